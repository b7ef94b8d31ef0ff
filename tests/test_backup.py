"""Backups, restores and checks: years of work must never be lost."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(bool(os.environ.get("DOSSIER_TEST_PG_URL")), reason="SQLite file backups")


def test_backup_restore_round_trip(dossier, db_path, tmp_path):
    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск")
    target = tmp_path / "copy.db"
    result = dossier("backup", str(target))
    assert str(target) in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    dossier("add", "company", "Amur Logistics")
    dossier("restore", str(target), "--yes")
    assert [c["name"] for c in dossier.json("list", "companies")] == ["ООО «Ромашка»"]
    saved = list(db_path.parent.glob("dossier.db.before-restore-*.bak"))
    assert len(saved) == 1
    assert stat.S_IMODE(saved[0].stat().st_mode) == 0o600
    dossier("check")


def test_default_backups_are_dated_beside_the_database_and_pruned(dossier, db_path, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text("backup:\n  keep: 2\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    dossier("add", "company", "Ромашка")
    older = [db_path.with_name(f"dossier.db.2026010{day}T120000Z.bak") for day in (1, 2, 3)]
    for path in older:
        path.write_bytes(b"old backup")
    dossier("backup")
    dated = sorted(db_path.parent.glob("dossier.db.*Z.bak"))
    assert len(dated) == 2
    assert dated[0] == older[-1]  # the newest old one is kept beside today's
    assert dated[1].read_bytes()[:15] == b"SQLite format 3"


def test_restore_refuses_a_file_that_is_not_a_dossier_database(dossier, tmp_path):
    dossier("add", "company", "Ромашка")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    result = dossier("restore", str(junk), "--yes", expect=2)
    assert "not an SQLite database" in result.stderr
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    result = dossier("restore", str(other), "--yes", expect=2)
    assert "not a dossier database" in result.stderr
    assert [c["name"] for c in dossier.json("list", "companies")] == ["Ромашка"]


def test_restore_needs_yes_when_not_at_a_terminal(dossier, tmp_path):
    dossier("add", "company", "Ромашка")
    dossier("backup", str(tmp_path / "b.db"))
    result = dossier("restore", str(tmp_path / "b.db"), expect=2)
    assert "--yes" in result.stderr


def test_check_reports_a_broken_reference(dossier, db_path):
    dossier("add", "company", "Ромашка")
    dossier("check")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("INSERT INTO branch (company_id, city) VALUES (999, 'Nowhere')")
    conn.commit()
    conn.close()
    result = dossier("check", expect=1)
    assert "branch row" in result.stderr and "missing company" in result.stderr


@pytest.mark.slow
def test_backup_during_concurrent_writes_restores_to_a_healthy_database(dossier, db_path, tmp_path):
    dossier("add", "company", "Seed Co")
    env = dict(os.environ, DOSSIER_DB=str(db_path))
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys\n"
         "for i in range(6):\n"
         "    subprocess.run([sys.executable, '-m', 'dossier_cli', 'add', 'company', f'Компания {i}'], check=True)\n"],
        env=env,
    )
    copies = []
    try:
        for n in range(3):
            target = tmp_path / f"during-{n}.db"
            dossier("backup", str(target))
            copies.append(target)
    finally:
        assert writer.wait(timeout=120) == 0
    for copy in copies:
        restored = tmp_path / f"restored-{copy.name}"
        subprocess.run([sys.executable, "-m", "dossier_cli", "--db", str(restored), "restore", str(copy), "--yes"],
                       check=True, capture_output=True)
        check = subprocess.run([sys.executable, "-m", "dossier_cli", "--db", str(restored), "check"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


def test_backup_of_a_postgres_url_is_refused_with_advice(dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_DB", "postgresql://sales@localhost/dossier")
    result = dossier("backup", expect=2)
    assert "pg_dump" in result.stderr


def test_schema_upgrade_keeps_a_backup(tmp_path):
    from sqlalchemy import text

    from dossier_cli.store import dispose_engines, get_engine, open_engine

    database = str(tmp_path / "old.db")
    open_engine(database)
    with get_engine(database).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    dispose_engines()
    # An unknown older revision cannot be upgraded by Alembic, but the copy is made first.
    with pytest.raises(Exception):
        open_engine(database)
    assert list(Path(tmp_path).glob("old.db.before-upgrade-0000.bak"))
    dispose_engines()


def test_check_finds_a_search_index_out_of_step(dossier, db_path):
    dossier("add", "company", "ООО «Ромашка»")
    dossier("check")
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER IF EXISTS search_index_company_ai")
    conn.execute("DELETE FROM search_index")
    conn.commit()
    conn.close()
    result = dossier("check", expect=1)
    assert "search" in result.stderr.lower()


@pytest.mark.slow
def test_backup_during_a_running_import_restores_to_a_healthy_database(dossier, db_path, tmp_path):
    dossier("add", "company", "Seed Co")
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as stream:
        stream.write("name,city,notes\n")
        for i in range(30_000):
            stream.write(f"ООО «Импорт {i}»,Хабаровск,партия\n")
    env = dict(os.environ, DOSSIER_DB=str(db_path))
    importer = subprocess.Popen([sys.executable, "-m", "dossier_cli", "import", "companies", str(big)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    copies = []
    try:
        while importer.poll() is None and len(copies) < 4:
            target = tmp_path / f"during-import-{len(copies)}.db"
            dossier("backup", str(target))
            copies.append(target)
    finally:
        _out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err
    assert copies, "the import finished before any backup was taken"
    for copy in copies:
        restored = tmp_path / f"restored-{copy.name}"
        subprocess.run([sys.executable, "-m", "dossier_cli", "--db", str(restored), "restore", str(copy), "--yes"],
                       check=True, capture_output=True)
        check = subprocess.run([sys.executable, "-m", "dossier_cli", "--db", str(restored), "check"],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        # all of the import or none of it: it is one transaction
        count = sqlite3.connect(restored).execute("SELECT count(*) FROM company WHERE notes = 'партия'").fetchone()[0]
        assert count in (0, 30_000)
