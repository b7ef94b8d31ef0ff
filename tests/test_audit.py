"""The audit trail: every change leaves exactly one event saying who did what, and `dossier audit` lists them."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

ROMASHKA = ["add", "company", "ООО «Ромашка»", "--city", "Хабаровск", "--branch", "Владивосток"]


def _events(dossier, *args):
    return dossier.json("audit", *args)


def test_add_edit_rm_each_leave_exactly_one_event_with_user_and_diff(dossier, monkeypatch):
    dossier(*ROMASHKA)
    [created] = _events(dossier)
    assert created["action"] == "create"
    assert created["entity"] == "company"
    assert created["entity_id"] == 1
    assert created["company"] == "ООО «Ромашка»"
    assert created["user"] == "tester"
    assert created["command"] == "dossier add company"
    assert created["changes"]["name"] == {"old": None, "new": "ООО «Ромашка»"}
    assert created["changes"]["city"] == {"old": None, "new": "Хабаровск"}
    assert datetime.fromisoformat(created["at"]).utcoffset() == timedelta(0)

    monkeypatch.setenv("DOSSIER_USER", "анна")
    dossier("edit", "company", "ромашка", "--city", "Владивосток", "--note", "платит вовремя", "--rm-branch", "владивосток")
    updated, first = _events(dossier)
    assert first == created  # earlier events are never rewritten
    assert updated["action"] == "update"
    assert updated["user"] == "анна"
    assert updated["command"] == "dossier edit company"
    assert updated["changes"] == {
        "branches": {"old": ["Владивосток"], "new": []},
        "city": {"old": "Хабаровск", "new": "Владивосток"},
        "notes": {"old": None, "new": "платит вовремя"},
    }

    monkeypatch.setenv("DOSSIER_USER", "boris")
    dossier("rm", "company", "ромашка", "--yes")
    events = _events(dossier)
    assert [e["action"] for e in events] == ["delete", "update", "create"]
    removed = events[0]
    assert removed["user"] == "boris"
    assert removed["company"] == "ООО «Ромашка»"  # the name survives in the event
    assert removed["changes"]["name"] == {"old": "ООО «Ромашка»", "new": None}
    assert removed["changes"]["city"] == {"old": "Владивосток", "new": None}
    assert events[1:] == [updated, created]


def test_edit_that_changes_nothing_and_failed_commands_leave_no_event(dossier):
    dossier(*ROMASHKA)
    dossier("edit", "company", "ромашка", "--city", "Хабаровск")
    refused = dossier("add", "company", "Ромашка", expect=4)
    assert "already exists" in refused.stderr
    dossier("edit", "company", "ромашка", "--founded", "1066", expect=2)
    dossier("rm", "company", "ромашка", expect=2)  # no --yes and no terminal
    assert [e["action"] for e in _events(dossier)] == ["create"]


def test_who_comes_from_the_config_file_without_dossier_user(dossier, monkeypatch, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("user: вера\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    monkeypatch.delenv("DOSSIER_USER")
    dossier("add", "company", "Вектор")
    assert _events(dossier)[0]["user"] == "вера"


def test_audit_table_shows_when_who_command_record_and_changes(dossier, monkeypatch):
    dossier(*ROMASHKA)
    monkeypatch.setenv("DOSSIER_USER", "анна")
    dossier("edit", "company", "ромашка", "--city", "Владивосток")
    table = dossier("audit", "--limit", "1").stdout
    header = table.splitlines()[1]
    for column in ("when", "who", "command", "action", "record", "changes"):
        assert column in header
    assert "анна" in table
    assert "dossier edit company" in table
    assert "company #1 ООО «Ромашка»" in table
    assert "city: Хабаровск → Владивосток" in table
    assert "dossier add company" not in table  # --limit 1: only the newest


def test_audit_csv_has_the_changes_as_text(dossier):
    dossier(*ROMASHKA)
    dossier("edit", "company", "ромашка", "--city", "Владивосток")
    rows = list(csv.DictReader(io.StringIO(dossier("audit", "--format", "csv").stdout)))
    assert [r["action"] for r in rows] == ["update", "create"]
    assert rows[0]["changes"] == "city: Хабаровск → Владивосток"
    assert rows[0]["user"] == "tester"


def test_audit_filters_by_company_user_and_date(dossier, monkeypatch):
    dossier(*ROMASHKA)
    monkeypatch.setenv("DOSSIER_USER", "анна")
    dossier("add", "company", "Amur Logistics")
    dossier("edit", "company", "amur", "--industry", "logistics")

    assert [e["action"] for e in _events(dossier, "--company", "amur")] == ["update", "create"]
    assert [e["company"] for e in _events(dossier, "--company", "РОМАШКА")] == ["ООО «Ромашка»"]
    assert {e["company"] for e in _events(dossier, "--user", "анна")} == {"Amur Logistics"}
    assert _events(dossier, "--user", "nobody") == []
    assert len(_events(dossier, "--since", "today")) == 3
    assert len(_events(dossier, "--since", date.today().strftime("%d.%m.%Y"))) == 3
    assert _events(dossier, "--since", (date.today() + timedelta(days=1)).isoformat()) == []
    page = _events(dossier, "--limit", "1", "--offset", "1")
    assert [e["action"] for e in page] == ["create"] and page[0]["company"] == "Amur Logistics"


def test_events_of_a_removed_company_are_found_by_its_id(dossier):
    dossier("add", "company", "Amur Logistics")
    dossier("rm", "company", "amur", "--yes")
    assert [e["action"] for e in _events(dossier, "--company", "1")] == ["delete", "create"]
    missing = dossier("audit", "--company", "amur", expect=3)
    assert missing.stderr.strip() == (
        "Error: no company matches 'amur' (a removed company is named by its id; see `dossier audit` for the ids)"
    )
    assert missing.stdout == ""


def test_audit_errors(dossier):
    dossier(*ROMASHKA)
    bad_date = dossier("audit", "--since", "вчера-позавчера", expect=2)
    assert "bad --since date 'вчера-позавчера'" in bad_date.stderr
    unknown = dossier("audit", "--company", "Вектор", expect=3)
    assert "no company matches 'Вектор'" in unknown.stderr
    nobody = dossier("audit", "--person", "Иванов", expect=3)
    assert "no person matches 'Иванов'" in nobody.stderr
    too_many = dossier("audit", "--limit", "20000", expect=2)
    assert "--limit 20000 is too large" in too_many.stderr
    empty = dossier("audit", "--user", "nobody")
    assert empty.stdout == ""
    assert empty.stderr.strip() == "no audit events match"
    assert len(_events(dossier)) == 1  # reading the trail changes nothing


def test_change_lines_read_as_field_old_new():
    from dossier_cli.upkeep.audit_trail import change_lines, normalise_changes

    assert change_lines(normalise_changes("update", {"stage": ["target", "contacted"], "notes": [None, "звонить"]})) == [
        "stage: target → contacted",
        "notes: звонить",
    ]
    assert change_lines(normalise_changes("update", {"notes": ["звонить", None]})) == ["notes: звонить → ∅"]
    assert change_lines(normalise_changes("create", {"branches": ["Хабаровск", "Владивосток"]})) == [
        "branches: Хабаровск, Владивосток"
    ]
    assert normalise_changes("delete", {"deleted": {"name": "Вектор", "city": None}}) == {
        "name": {"old": "Вектор", "new": None}
    }


def test_since_means_local_midnight():
    from dossier_cli.upkeep.audit_trail import _start_of

    start = _start_of(date(2026, 3, 1))
    assert start.tzinfo is not None
    assert start.astimezone().replace(tzinfo=None) == datetime(2026, 3, 1)
    assert _start_of(datetime(2026, 3, 1, tzinfo=timezone.utc)) == datetime(2026, 3, 1, tzinfo=timezone.utc)
