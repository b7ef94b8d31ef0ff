"""The contact log as a salesperson uses it: touches, the agenda, follow-ups, quiet prospects."""

from __future__ import annotations

import json
import stat
from contextlib import contextmanager
from datetime import date

import pytest


@contextmanager
def database():
    """The test's own database, for setting up what no command does yet (people, liquidation)."""
    from dossier_cli.config import load_settings
    from dossier_cli.store import session_scope

    with session_scope(load_settings().database) as session:
        yield session


def add_person(name: str) -> int:
    from dossier_cli.models import Person
    from dossier_cli.text import person_key

    with database() as session:
        person = Person(name=name, name_key=person_key(name))
        session.add(person)
        session.flush()
        return person.id


def set_company(company_id: int, **values) -> None:
    from dossier_cli.models import Company

    with database() as session:
        company = session.get(Company, company_id)
        for key, value in values.items():
            setattr(company, key, value)
        session.add(company)


def audit_events(entity: str = "touch") -> list[tuple[str, int, dict]]:
    from sqlmodel import select

    from dossier_cli.models import AuditEvent

    with database() as session:
        rows = session.exec(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)).all()
        return [(row.action, row.entity_id, json.loads(row.changes_json)) for row in rows]


@pytest.fixture
def today(monkeypatch):
    """Fix "today" for the commands, the way the salesperson's clock would."""
    current = {"day": date(2026, 11, 30)}

    def set_today(day: date) -> None:
        current["day"] = day

    monkeypatch.setattr("dossier_cli.selling.touches.local_today", lambda: current["day"])
    return set_today


@pytest.fixture
def romashka(dossier, today):
    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск", "--stage", "contacted", "--listed-on", "2026-01-01")
    dossier("add", "company", "Amur Logistics", "--city", "Khabarovsk", "--listed-on", "2026-01-01")
    add_person("Иван Петров")
    return dossier


# ---------------------------------------------------------------- logging touches
def test_add_touch_with_person_outcome_and_next_step(romashka):
    dossier = romashka
    result = dossier("add", "touch", "ромашка", "--kind", "call", "--person", "петров", "--outcome", "no",
                     "--note", "not before the new budget", "--date", "2026-11-20",
                     "--next", "2027-01-15", "--next-action", "call about the Q1 budget")
    assert result.stderr == "Logged touch #1 with ООО «Ромашка» on 2026-11-20 (call); next step 2027-01-15.\n"
    [touch] = dossier.json("touches", "ромашка")
    assert touch == {
        "id": 1, "date": "2026-11-20", "company_id": 1, "company": "ООО «Ромашка»", "person_id": 1,
        "person": "Иван Петров", "kind": "call", "outcome": "no", "note": "not before the new budget",
        "next_on": "2027-01-15", "next_action": "call about the Q1 budget", "done": False, "user": "tester",
    }


def test_date_defaults_to_today_and_no_answer_is_accepted(romashka):
    dossier = romashka
    dossier("add", "touch", "Amur Logistics", "--kind", "Meeting", "--outcome", "no answer")
    dossier("add", "touch", "amur", "--kind", "звонок", "--outcome", "no-answer", "--date", "29.11.2026")
    touches = dossier.json("touches", "amur")
    assert [(t["date"], t["kind"], t["outcome"]) for t in touches] == [
        ("2026-11-30", "meeting", "no-answer"),
        ("2026-11-29", "call", "no-answer"),
    ]


def test_history_is_newest_first_and_list_filters(romashka):
    dossier = romashka
    dossier("add", "touch", "ромашка", "--kind", "call", "--outcome", "no", "--date", "2026-10-01", "--person", "Иван Петров")
    dossier("add", "touch", "ромашка", "--kind", "email", "--outcome", "neutral", "--date", "2026-11-02")
    dossier("add", "touch", "amur", "--kind", "call", "--outcome", "positive", "--date", "2026-11-05")
    assert [t["date"] for t in dossier.json("touches", "ромашка")] == ["2026-11-02", "2026-10-01"]
    assert [t["id"] for t in dossier.json("list", "touches")] == [3, 2, 1]
    assert [t["id"] for t in dossier.json("list", "touches", "--kind", "call")] == [3, 1]
    assert [t["id"] for t in dossier.json("list", "touches", "--outcome", "no")] == [1]
    assert [t["id"] for t in dossier.json("list", "touches", "--person", "иван")] == [1]
    assert [t["id"] for t in dossier.json("list", "touches", "--company", "amur")] == [3]
    assert [t["id"] for t in dossier.json("list", "touches", "--period", "2026-11")] == [3, 2]
    assert [t["id"] for t in dossier.json("list", "touches", "--from", "2026-11-03", "--to", "2026-11-30")] == [3]
    table = dossier("touches", "ромашка").stdout
    assert "#1 ООО «Ромашка»" in table and "Иван Петров" in table and "2026-10-01" in table


def test_rm_touch_needs_yes_and_is_audited(romashka):
    dossier = romashka
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20")
    result = dossier("rm", "touch", "1", expect=2)
    assert "--yes" in result.stderr
    assert len(dossier.json("list", "touches")) == 1
    result = dossier("rm", "touch", "1", "--yes")
    assert result.stderr == "Removed touch #1 (2026-11-20 call with ООО «Ромашка»).\n"
    assert dossier.json("list", "touches") == []
    assert dossier("rm", "touch", "1", "--yes", expect=3).stderr.startswith("Error: no touch #1")
    actions = [(action, entity_id) for action, entity_id, _ in audit_events()]
    assert actions == [("create", 1), ("delete", 1)]
    assert audit_events()[1][2]["deleted"]["company"] == "ООО «Ромашка»"


def test_touch_for_a_liquidated_company_needs_force(romashka):
    dossier = romashka
    set_company(1, status="liquidated", liquidated_on=date(2026, 11, 1))
    result = dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20", expect=4)
    assert result.stderr.startswith("Error: company #1 ООО «Ромашка» is liquidated")
    assert "--force" in result.stderr
    assert dossier.json("list", "touches") == []
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20", "--force")
    assert len(dossier.json("list", "touches")) == 1


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--kind", "fax"], 2, "unknown kind of touch 'fax' (choose one of: call, email, letter, meeting"),
        (["--kind", "call", "--outcome", "maybe"], 2, "unknown outcome 'maybe'"),
        (["--kind", "call", "--date", "31.02.2026"], 2, "bad touch date '31.02.2026': no such day"),
        (["--kind", "call", "--date", "next week"], 2, "bad touch date 'next week'"),
        (["--kind", "call", "--date", "2026-12-01"], 2, "the touch date 2026-12-01 is in the future"),
        (["--kind", "call", "--next", "someday"], 2, "bad --next date 'someday'"),
        (["--kind", "call", "--date", "2026-11-20", "--next", "2026-11-19"], 2,
         "the next step (2026-11-19) is before the touch itself (2026-11-20)"),
        (["--kind", "call", "--next-action", "call back"], 2, "--next-action needs a date: add --next DATE"),
        (["--kind", "call", "--person", "Сидоров"], 3, "no person matches 'Сидоров'"),
    ],
)
def test_bad_touch_gets_one_clear_error_and_changes_nothing(romashka, args, code, message):
    dossier = romashka
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20", "--next", "2026-12-01")
    before = dossier("list", "touches", "--format", "json").stdout
    events_before = audit_events()
    result = dossier("add", "touch", "ромашка", *args, expect=code)
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert dossier("list", "touches", "--format", "json").stdout == before
    assert audit_events() == events_before


def test_unknown_company_and_bad_touch_ids(romashka):
    dossier = romashka
    assert "no company matches 'Вектор'" in dossier("add", "touch", "Вектор", "--kind", "call", expect=3).stderr
    assert "bad touch id 'abc'" in dossier("done", "abc", expect=2).stderr
    assert "no touch #99" in dossier("done", "99", expect=3).stderr
    assert "unknown outcome 'soso'" in dossier("list", "touches", "--outcome", "soso", expect=2).stderr


# ---------------------------------------------------------------- the agenda
def test_agenda_groups_by_day_overdue_first(romashka, today):
    dossier = romashka
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20", "--next", "2026-11-28",
            "--next-action", "call back")
    dossier("add", "touch", "amur", "--kind", "email", "--date", "2026-11-25", "--next", "2026-11-30",
            "--next-action", "send the price list")
    steps = dossier.json("agenda")
    assert [(s["due_on"], s["when"], s["days_from_today"], s["company"]) for s in steps] == [
        ("2026-11-28", "overdue", -2, "ООО «Ромашка»"),
        ("2026-11-30", "today", 0, "Amur Logistics"),
    ]
    out = dossier("agenda").stdout
    assert out.index("2026-11-28: overdue by 2 days") < out.index("2026-11-30: today")
    assert "call back" in out and "send the price list" in out
    assert [s["company"] for s in dossier.json("agenda", "--overdue")] == ["ООО «Ромашка»"]
    result = dossier("agenda", "--limit", "1", "--format", "json")
    assert [s["company"] for s in json.loads(result.stdout)] == ["ООО «Ромашка»"]
    assert result.stderr.endswith("Warning: showing the first 1 steps only; raise --limit to see more\n")


def test_agenda_around_midnight_and_month_end(romashka, today):
    dossier = romashka
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20", "--next", "2026-11-30")
    dossier("add", "touch", "amur", "--kind", "call", "--date", "2026-11-20", "--next", "2026-12-01")

    today(date(2026, 11, 30))  # the last evening of November
    assert [(s["due_on"], s["when"]) for s in dossier.json("agenda")] == [("2026-11-30", "today")]
    assert [s["due_on"] for s in dossier.json("agenda", "--days", "1")] == ["2026-11-30", "2026-12-01"]
    assert dossier.json("agenda", "--overdue") == []

    today(date(2026, 12, 1))  # a minute past midnight: November's step is now overdue
    assert [(s["due_on"], s["when"], s["days_from_today"]) for s in dossier.json("agenda")] == [
        ("2026-11-30", "overdue", -1),
        ("2026-12-01", "today", 0),
    ]
    out = dossier("agenda").stdout
    assert "2026-11-30: overdue by 1 day" in out and "1 days" not in out
    assert [s["due_on"] for s in dossier.json("agenda", "--overdue")] == ["2026-11-30"]


@pytest.mark.parametrize(
    ("day", "due", "days", "shown"),
    [
        (date(2026, 12, 31), date(2027, 1, 1), 1, True),  # across the year end
        (date(2026, 12, 31), date(2027, 1, 2), 1, False),
        (date(2028, 2, 28), date(2028, 2, 29), 1, True),  # a leap day
        (date(2028, 2, 28), date(2028, 3, 1), 1, False),
        (date(2027, 2, 28), date(2027, 3, 1), 1, True),  # no leap day: March follows at once
        (date(2027, 1, 31), date(2027, 3, 2), 30, True),  # thirty days from the end of January
        (date(2027, 1, 31), date(2027, 3, 3), 30, False),
    ],
)
def test_agenda_window_uses_calendar_arithmetic(romashka, today, day, due, days, shown):
    dossier = romashka
    today(day)
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", day.isoformat(), "--next", due.isoformat())
    steps = dossier.json("agenda", "--days", str(days))
    assert [s["due_on"] for s in steps] == ([due.isoformat()] if shown else [])
    if shown:
        assert steps[0]["days_from_today"] == (due - day).days


def test_a_later_touch_closes_the_step(romashka, today):
    dossier = romashka
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20", "--next", "2026-11-25")
    dossier("add", "touch", "amur", "--kind", "call", "--date", "2026-11-20", "--next", "2026-11-26")
    assert [s["touch_id"] for s in dossier.json("agenda")] == [1, 2]
    dossier("add", "touch", "ромашка", "--kind", "meeting", "--outcome", "positive", "--date", "2026-11-27")
    assert [s["touch_id"] for s in dossier.json("agenda")] == [2]  # only Ромашка's step went
    assert dossier.json("touches", "ромашка")[1]["done"] is True
    done_events = [(a, i, c) for a, i, c in audit_events() if a == "done"]
    assert done_events == [("done", 1, {"done": [False, True], "by_touch": 3})]


def test_a_second_touch_the_same_day_closes_the_step(romashka, today):
    dossier = romashka
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20", "--next", "2026-11-21")
    dossier("add", "touch", "ромашка", "--kind", "email", "--date", "2026-11-20", "--note", "sent the offer as promised")
    assert dossier.json("list", "touches", "--open") == []


def test_a_back_dated_touch_does_not_close_a_later_step(romashka, today):
    dossier = romashka
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20", "--next", "2026-12-05")
    dossier("add", "touch", "ромашка", "--kind", "letter", "--date", "2026-11-01", "--next", "2026-11-10")
    open_steps = dossier.json("list", "touches", "--open")
    assert [t["id"] for t in open_steps] == [1]  # the letter's step was followed up on the 20th already


def test_done_marks_one_step_and_is_audited(romashka, today):
    dossier = romashka
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20", "--next", "2026-11-25",
            "--next-action", "call back")
    dossier("add", "touch", "amur", "--kind", "call", "--date", "2026-11-20")
    result = dossier("done", "1")
    assert result.stderr == "Done: the next step of touch #1 (2026-11-25 call back).\n"
    assert dossier.json("agenda") == []
    assert "already done; nothing changed" in dossier("done", "1").stderr
    result = dossier("done", "2", expect=4)
    assert result.stderr == "Error: touch #2 has no next step to mark done\n"
    assert [(a, i) for a, i, _ in audit_events()] == [("create", 1), ("create", 2), ("done", 1)]


def test_agenda_as_a_calendar_file(romashka, today, tmp_path):
    from icalendar import Calendar

    dossier = romashka
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20", "--next", "2026-11-28",
            "--next-action", "позвонить про бюджет", "--person", "Петров")
    dossier("add", "touch", "amur", "--kind", "email", "--date", "2026-11-25", "--next", "2027-01-15")
    dossier("add", "touch", "amur", "--kind", "call", "--date", "2026-11-26", "--next", "2027-02-01")  # closes #2
    path = tmp_path / "follow-ups.ics"
    result = dossier("agenda", "--ics", str(path))
    assert result.stderr.endswith(f"Wrote 2 follow-ups to {path}.\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    calendar = Calendar.from_ical(path.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == ["touch-1@dossier", "touch-3@dossier"]
    assert [e.decoded("DTSTART") for e in events] == [date(2026, 11, 28), date(2027, 2, 1)]
    assert [e.decoded("DTEND") for e in events] == [date(2026, 11, 29), date(2027, 2, 2)]
    assert str(events[0]["SUMMARY"]) == "позвонить про бюджет — ООО «Ромашка»"
    assert "Person: Иван Петров" in str(events[0]["DESCRIPTION"])
    assert str(events[1]["SUMMARY"]) == "Follow up — Amur Logistics"
    # the same to stdout, limited to today and overdue when asked
    only_due = Calendar.from_ical(dossier("agenda", "--ics", "-", "--days", "0").stdout.encode())
    assert [str(e["UID"]) for e in only_due.walk("VEVENT")] == ["touch-1@dossier"]


def test_calendar_file_that_existed_becomes_owner_only(romashka, today, tmp_path):
    path = tmp_path / "old.ics"
    path.write_text("old")
    path.chmod(0o644)
    romashka("agenda", "--ics", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"BEGIN:VCALENDAR" in path.read_bytes()


# ---------------------------------------------------------------- prospects gone quiet
def test_stale_lists_quiet_prospects_oldest_first(dossier, today):
    today(date(2026, 11, 30))
    for name in ("Альфа", "Бета", "Гамма", "Дельта", "Клиент", "Закрыта"):
        dossier("add", "company", name, "--stage", "client" if name == "Клиент" else "contacted")
    set_company(1, listed_on=date(2026, 9, 1))
    set_company(2, listed_on=date(2026, 8, 1))
    set_company(3, listed_on=date(2026, 11, 20))  # listed ten days ago, never contacted: not yet stale
    set_company(4, listed_on=date(2026, 6, 1))
    set_company(5, listed_on=date(2026, 1, 1))
    set_company(6, listed_on=date(2026, 1, 1))
    dossier("add", "touch", "Альфа", "--kind", "call", "--date", "2026-10-01")
    dossier("add", "touch", "Бета", "--kind", "call", "--date", "2026-11-15")
    set_company(6, status="liquidated")
    rows = dossier.json("stale")  # stale_days: 30 by default
    assert [(r["name"], r["last_touch"], r["days_quiet"]) for r in rows] == [
        ("Дельта", None, 182),
        ("Альфа", "2026-10-01", 60),
    ]
    assert [r["name"] for r in dossier.json("stale", "--days", "10")] == ["Дельта", "Альфа", "Бета", "Гамма"]
    assert [r["name"] for r in dossier.json("stale", "--days", "100")] == ["Дельта"]
    assert [r["name"] for r in dossier.json("stale", "--days", "10", "--limit", "2", "--offset", "1")] == ["Альфа", "Бета"]


def test_show_company_includes_recent_touches_and_next_step(romashka, today):
    dossier = romashka
    dossier("add", "touch", "ромашка", "--kind", "call", "--date", "2026-11-20", "--next", "2026-12-03",
            "--next-action", "send the offer")
    shown = dossier.json("show", "company", "ромашка")
    assert shown["next_step"] == "2026-12-03 send the offer"
    assert [t["id"] for t in shown["touches"]] == [1]
