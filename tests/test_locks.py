"""Locks: a writer that waits too long fails with a clear, retryable message; readers never block writers."""

from __future__ import annotations

import os
import sqlite3

import pytest

pytestmark = pytest.mark.skipif(bool(os.environ.get("DOSSIER_TEST_PG_URL")), reason="SQLite file locks")


@pytest.fixture
def short_busy_timeout(monkeypatch):
    monkeypatch.setenv("DOSSIER_BUSY_TIMEOUT_MS", "200")


def _holding_the_write_lock(db_path) -> sqlite3.Connection:
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO forgotten_person (digest, forgotten_at) VALUES ('lock-holder', '2026-01-01')")
    return other


def test_a_writer_waiting_too_long_is_told_to_try_again(dossier, db_path, short_busy_timeout):
    dossier("add", "company", "ООО «Ромашка»")
    other = _holding_the_write_lock(db_path)
    try:
        result = dossier("add", "company", "Amur Logistics", expect=6)
        assert result.stderr == (
            "Error: the database is busy: another dossier command is writing (try again in a moment)\n"
        )
        assert "Traceback" not in result.stderr
        # a reader is not held up by the writer
        assert [c["name"] for c in dossier.json("list", "companies")] == ["ООО «Ромашка»"]
        result = dossier("promote", "ромашка", "--to", "prospect", expect=6)
        assert "try again" in result.stderr
    finally:
        other.rollback()
        other.close()
    dossier("add", "company", "Amur Logistics")
    assert [c["name"] for c in dossier.json("list", "companies")] == ["Amur Logistics", "ООО «Ромашка»"]
    assert [c["stage"] for c in dossier.json("list", "companies")] == ["target", "target"]


def test_a_long_read_does_not_block_writers(dossier, db_path, short_busy_timeout):
    dossier("add", "company", "ООО «Ромашка»")
    reader = sqlite3.connect(db_path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM company").fetchone() == (1,)
        dossier("add", "company", "Amur Logistics")
        dossier("add", "sale", "amur", "--amount", "1000", "--date", "2026-01-15", expect=None)
        # the reader keeps its snapshot; the writers were not kept waiting
        assert reader.execute("SELECT count(*) FROM company").fetchone() == (1,)
    finally:
        reader.rollback()
        reader.close()
    assert len(dossier.json("list", "companies")) == 2
