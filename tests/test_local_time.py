"""A person reads local time everywhere; JSON keeps UTC (issue 18, item 14)."""

from __future__ import annotations

import time

import pytest


@pytest.fixture
def in_vladivostok(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Vladivostok")  # UTC+10 all year
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _utc_and_local(stamp: str) -> tuple[str, str]:
    from datetime import datetime

    moment = datetime.fromisoformat(stamp)
    return moment.strftime("%Y-%m-%d %H:%M"), moment.astimezone().strftime("%Y-%m-%d %H:%M")


def test_checklist_history_shows_local_time_and_json_keeps_utc(dossier, in_vladivostok):
    dossier("add", "company", "Ромашка")
    dossier("fill", "Ромашка", "--set", "competitors=Восток")
    stamp = dossier.json("checklist", "Ромашка", "--history")["history"][0]["at"]
    assert stamp.endswith("+00:00")
    utc, local = _utc_and_local(stamp)
    table = dossier("checklist", "Ромашка", "--history").stdout
    assert local in table
    assert utc not in table and "+00:00" not in table


def test_audit_shows_local_time_and_json_keeps_utc(dossier, in_vladivostok):
    dossier("add", "company", "Ромашка")
    stamp = dossier.json("audit")[0]["at"]
    assert stamp.endswith("+00:00")
    utc, local = _utc_and_local(stamp)
    table = dossier("audit").stdout
    assert local in table and utc not in table
