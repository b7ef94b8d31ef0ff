"""Several salespeople at once: separate processes writing to one database lose nothing.

Runs on an SQLite file and on PostgreSQL (when a server is configured; see tests/pg.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dossier_cli.store import SCHEMA_REVISION

pytestmark = pytest.mark.slow  # several processes at once

WORKERS = 4
WRITES = 25  # per worker: every fifth one edits the company they all share
SHARED = "ООО «Общая»"

# One salesperson: WRITES commands in a row, each its own `dossier` run and transaction.
WORKER = r"""
import io, json, os, sys, time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from dossier_cli.cli.app import main

worker, writes, shared, gate = sys.argv[1], int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
while not gate.exists():  # start together, so the writers really overlap
    time.sleep(0.01)
results = []
for i in range(writes):
    if i % 5 == 4:
        argv = ["edit", "company", shared, "--branch", f"Город {worker}-{i}"]
    else:
        argv = ["add", "company", f"Ромашка {worker}-{i}", "--city", "Хабаровск"]
    sys.argv = ["dossier", *argv]
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    results.append({"argv": argv, "code": code, "stderr": err.getvalue()})
print(json.dumps(results, ensure_ascii=False))
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    return request.getfixturevalue("pg_database")


def _env(database: str, home: Path, user: str) -> dict[str, str]:
    env = dict(os.environ, DOSSIER_DB=database, DOSSIER_USER=user, HOME=str(home))
    env.pop("DOSSIER_DEBUG", None)
    return env


def test_four_salespeople_writing_at_once_lose_nothing(dossier, database, isolated_home, tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_DB", database)
    dossier("add", "company", SHARED, "--city", "Хабаровск")
    gate = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(n), str(WRITES), SHARED, str(gate)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(database, isolated_home, f"продавец-{n}"),
        )
        for n in range(WORKERS)
    ]
    gate.touch()
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err
        assert err == ""
        results.extend(json.loads(out))

    failed = [r for r in results if r["code"] != 0 or "Error" in r["stderr"] or "Traceback" in r["stderr"]]
    assert failed == []
    assert len(results) == WORKERS * WRITES

    adds = WORKERS * WRITES * 4 // 5
    names = {c["name"] for c in dossier.json("list", "companies", "--limit", "1000")}
    assert names == {SHARED} | {f"Ромашка {n}-{i}" for n in range(WORKERS) for i in range(WRITES) if i % 5 != 4}
    shared = dossier.json("show", "company", SHARED)
    assert sorted(shared["branches"]) == sorted(
        f"Город {n}-{i}" for n in range(WORKERS) for i in range(WRITES) if i % 5 == 4
    )
    events = dossier.json("audit", "--limit", "1000")
    assert len(events) == 1 + WORKERS * WRITES
    assert sum(e["action"] == "create" for e in events) == 1 + adds
    for n in range(WORKERS):
        mine = dossier.json("audit", "--user", f"продавец-{n}", "--limit", "1000")
        assert len(mine) == WRITES


def test_first_use_by_several_processes_at_once_creates_the_schema_once(dossier, database, isolated_home, monkeypatch):
    """Nobody ran `db upgrade`: four people's first commands race to create the schema."""
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "dossier_cli", "add", "company", f"Вектор {n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(database, isolated_home, "tester"),
        )
        for n in range(WORKERS)
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        assert err.startswith("Added company #")
    monkeypatch.setenv("DOSSIER_DB", database)
    assert sorted(c["name"] for c in dossier.json("list", "companies")) == [f"Вектор {n}" for n in range(WORKERS)]
    assert dossier.json("db", "status")["schema_revision"] == SCHEMA_REVISION


def _hold_write_lock(database: str):
    """Another writer that does not let go: returns a function that releases it."""
    from dossier_cli.store import WRITE_LOCK_KEY, database_url, sqlite_path

    path = sqlite_path(database_url(database))
    if path is not None:
        import sqlite3

        conn = sqlite3.connect(str(path), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return lambda: (conn.execute("ROLLBACK"), conn.close())
    import psycopg

    conn = psycopg.connect(database, autocommit=True)
    conn.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK_KEY,))
    return conn.close


def test_a_writer_held_up_too_long_gets_busy_and_changes_nothing(dossier, database, monkeypatch):
    from dossier_cli import store

    monkeypatch.setenv("DOSSIER_DB", database)
    dossier("add", "company", SHARED)
    store.dispose_engines()
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 300)
    release = _hold_write_lock(database)
    try:
        busy = dossier("edit", "company", SHARED, "--city", "Хабаровск", expect=6)
        assert busy.stderr.startswith("Error: the database is busy: ")
        assert busy.stderr.count("\n") == 1
        assert "Traceback" not in busy.stderr
        # Readers are never blocked by a writer.
        assert dossier.json("show", "company", SHARED)["city"] is None
    finally:
        release()
    assert dossier.json("show", "company", SHARED)["city"] is None
    assert [e["action"] for e in dossier.json("audit")] == ["create"]
    dossier("edit", "company", SHARED, "--city", "Хабаровск")
    assert dossier.json("show", "company", SHARED)["city"] == "Хабаровск"


def test_lock_for_update_reads_the_row_and_locks_it(database):
    """What `promote` uses to read a company's stage so that no other writer can move it meanwhile."""
    from sqlmodel import select

    from dossier_cli.models import Company
    from dossier_cli.store import lock_for_update, session_scope

    with session_scope(database) as session:
        session.add(Company(name="Вектор", name_key="вектор", search_key="вектор"))
    with session_scope(database) as session:
        query = lock_for_update(select(Company).where(Company.search_key == "вектор"))
        compiled = str(query.compile(dialect=session.get_bind().dialect))
        company = session.exec(query).one()
        company.stage = "contacted"
    assert ("FOR UPDATE" in compiled) == (session.get_bind().dialect.name == "postgresql")
    with session_scope(database, write=False) as session:
        assert session.exec(select(Company.stage)).one() == "contacted"


def test_people_promoting_one_company_at_once_never_move_it_backwards(dossier, database, isolated_home, monkeypatch):
    """Four people move the same company to four different stages at the same moment."""
    import importlib.util

    if importlib.util.find_spec("dossier_cli.selling.pipeline") is None:
        pytest.skip("`dossier promote` is not on this branch yet (it comes with the pipeline)")
    monkeypatch.setenv("DOSSIER_DB", database)
    dossier("add", "company", SHARED)
    stages = ["target", "researching", "contacted", "negotiating", "client"]
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "dossier_cli", "promote", SHARED, "--to", stage, "--force"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(database, isolated_home, f"продавец-{n}"),
        )
        for n, stage in enumerate(stages[1:])
    ]
    outcomes = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    for code, err in outcomes:
        assert code in (0, 4), err
        if code == 4:
            assert err.startswith("Error: stages only move forward: ООО «Общая» is at '"), err
            assert err.count("\n") == 1
    assert outcomes[-1][0] == 0  # "client" is ahead of every other move: it always wins
    assert dossier.json("show", "company", SHARED)["stage"] == "client"
    moves = [row["to_stage"] for row in dossier.json("history", SHARED)]
    positions = [stages.index(stage) for stage in moves]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert len(moves) == 1 + sum(code == 0 for code, _ in outcomes)
    promotions = [e for e in dossier.json("audit", "--company", SHARED) if e["action"] == "promote"]
    assert len(promotions) == sum(code == 0 for code, _ in outcomes)
