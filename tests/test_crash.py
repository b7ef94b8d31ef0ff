"""Crash safety: a writer killed (SIGKILL) at random moments never leaves a broken or half-written database."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.skipif(bool(os.environ.get("DOSSIER_TEST_PG_URL")), reason="kills a writer of a SQLite file"),
    pytest.mark.slow,
]

# How many times the writer is killed. The default run kills it a few times; .ci/run sets
# CRASH_KILLS=50 (and CRASH_IMPORT_KILLS=4) for the full depth.
KILLS = int(os.environ.get("CRASH_KILLS", "5"))

WRITER = r"""
import sys
from dossier_cli.cli.app import app
from dossier_cli.cli.base import state
start = int(sys.argv[1])
for i in range(start, start + 100000):
    state.command_words.clear()
    code = app(["add", "company", f"Компания {i}", "--city", "Хабаровск", "--branch", "Владивосток"],
               standalone_mode=False)
    if code not in (None, 0):
        sys.exit(code)
    print(f"done {i}", flush=True)
"""


def _check(db: Path, reported: set[int]) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        names = {row[0] for row in conn.execute("SELECT name FROM company")}
        stored = {int(name.split()[-1]) for name in names}
        assert reported <= stored, f"reported but missing: {sorted(reported - stored)[:5]}"
        # Every stored company is whole: its branch, first stage and audit event came with it.
        partial = conn.execute(
            "SELECT count(*) FROM company c WHERE NOT EXISTS (SELECT 1 FROM branch b WHERE b.company_id = c.id)"
            " OR NOT EXISTS (SELECT 1 FROM stage_change s WHERE s.company_id = c.id)"
            " OR NOT EXISTS (SELECT 1 FROM audit_event a WHERE a.entity = 'company' AND a.entity_id = c.id)"
        ).fetchone()[0]
        assert partial == 0
        return len(stored)
    finally:
        conn.close()


def test_a_writer_killed_again_and_again_loses_nothing_reported(tmp_path):
    db = tmp_path / "crash.db"
    env = dict(os.environ, DOSSIER_DB=str(db))
    subprocess.run([sys.executable, "-m", "dossier_cli", "add", "company", "Компания 0", "--branch", "Владивосток"], env=env, check=True,
                   capture_output=True)
    rng = random.Random(20261126)
    reported: set[int] = {0}
    next_start = 1
    for _kill in range(KILLS):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(next_start)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.6, 1.4))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        assert "Traceback" not in err, err
        done = [int(line.split()[1]) for line in out.splitlines() if line.startswith("done ")]
        reported.update(done)
        next_start += 100000
        _check(db, reported)
    assert _check(db, reported) >= len(reported)


# ---------------------------------------------------------------- a long import, killed
IMPORT_KILLS = int(os.environ.get("CRASH_IMPORT_KILLS", "2"))
IMPORT_ROWS = 20_000


def _valid_inn(prefix: int) -> str:
    """A 10-digit INN with a correct check digit (dossier refuses wrong ones)."""
    body = f"{prefix:09d}"
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    check = sum(int(d) * w for d, w in zip(body, weights)) % 11 % 10
    return f"{body}{check}"


def _company_file(path: Path, round_no: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("name,city,tax_number,notes\n")
        for i in range(IMPORT_ROWS):
            stream.write(f"ООО «Импорт {round_no}-{i}»,Хабаровск,{_valid_inn(round_no * 10**8 + i)},партия {round_no}\n")


def _imported(db: Path, round_no: int) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return conn.execute("SELECT count(*) FROM company WHERE notes = ?", (f"партия {round_no}",)).fetchone()[0]
    finally:
        conn.close()


def test_a_long_import_killed_is_all_or_nothing_and_can_be_run_again(tmp_path):
    db = tmp_path / "import.db"
    env = dict(os.environ, DOSSIER_DB=str(db))
    dossier = [sys.executable, "-m", "dossier_cli"]
    subprocess.run([*dossier, "add", "company", "Компания 0"], env=env, check=True, capture_output=True)
    rng = random.Random(20261127)
    outcomes = []
    for round_no in range(1, IMPORT_KILLS + 1):
        source = tmp_path / f"companies-{round_no}.csv"
        _company_file(source, round_no)
        proc = subprocess.Popen([*dossier, "import", "companies", str(source)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.3, 2.8))
        proc.send_signal(signal.SIGKILL)
        _out, err = proc.communicate()
        assert "Traceback" not in err, err
        found = _imported(db, round_no)
        assert found in (0, IMPORT_ROWS), f"round {round_no}: {found} of {IMPORT_ROWS} companies after the kill"
        outcomes.append(found)
        checked = subprocess.run([*dossier, "check"], env=env, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        again = subprocess.run([*dossier, "import", "companies", str(source)], env=env, capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert f"{IMPORT_ROWS - found} created" in again.stderr
        assert _imported(db, round_no) == IMPORT_ROWS
    assert 0 in outcomes  # at least one kill landed mid-import (else the test proved nothing)
