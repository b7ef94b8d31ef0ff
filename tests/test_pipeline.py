"""The pipeline: forward-only promote, history, liquidation and the funnel, as a salesperson uses them."""

from __future__ import annotations

import csv
import io
import json
import os
from contextlib import contextmanager
from datetime import date, timedelta

import pytest

# These tests are about stages; the dossier gate before first contact is tested in test_dossier.py.
pytestmark = pytest.mark.usefixtures("no_dossier_gate")

ROMASHKA = ["add", "company", "ООО «Ромашка»", "--city", "Хабаровск", "--territory", "Хабаровский край",
            "--industry", "food production"]
STAGES = ["target", "researching", "contacted", "negotiating", "client", "regular", "key"]


# ---------------------------------------------------------------- helpers
@contextmanager
def database(db_path):
    """A session on the test database, for what no command can do yet (backdating, touches)."""
    from dossier_cli.store import session_scope

    with session_scope(os.environ.get("DOSSIER_DB") or str(db_path)) as session:
        yield session


def listed_back(db_path, company_id: int, day: date) -> None:
    """Pretend the company went on our list on `day`: tests cannot wait months for history."""
    from sqlmodel import select

    from dossier_cli.models import Company, StageChange

    with database(db_path) as session:
        company = session.get(Company, company_id)
        company.listed_on = day
        session.add(company)
        for change in session.exec(select(StageChange).where(StageChange.company_id == company_id)):
            change.changed_on = day
            session.add(change)


def add_touch(db_path, company_id: int, day: date) -> None:
    from dossier_cli.models import Touch

    with database(db_path) as session:
        session.add(Touch(company_id=company_id, touched_on=day, kind="call"))


def audit_actions(db_path, entity: str) -> list[tuple[str, int | None, dict]]:
    from sqlmodel import select

    from dossier_cli.models import AuditEvent

    with database(db_path) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)).all()
        return [(e.action, e.company_id, json.loads(e.changes_json)) for e in events]


def snapshot(dossier, company: str = "ромашка") -> tuple[str, str]:
    return (dossier("show", "company", company, "--format", "json").stdout,
            dossier("history", company, "--format", "json").stdout)


# ---------------------------------------------------------------- promote and history
def test_company_promoted_through_every_stage_with_its_full_history(dossier, db_path):
    dossier(*ROMASHKA)
    listed_back(db_path, 1, date(2026, 1, 10))
    result = dossier("promote", "ромашка", "--date", "2026-01-20")
    assert result.stderr == "ООО «Ромашка»: target → researching (2026-01-20).\n"
    dossier("promote", "ромашка", "--date", "01.02.2026", "--note", "dossier complete")
    dossier("promote", "ромашка", "--to", "negotiating", "--date", "2026-03-01", "--note", "met at the Dalexpo fair")
    dossier("promote", "ромашка", "--to", "Client", "--date", "2026-04-15")
    dossier("promote", "ромашка", "--date", "2026-07-01")
    dossier("promote", "ромашка", "--to", "key", "--date", "2026-09-01", "--note", "second-largest buyer")

    history = dossier.json("history", "ромашка")
    assert [(h["from_stage"], h["to_stage"], h["changed_on"]) for h in history] == [
        (None, "target", "2026-01-10"),
        ("target", "researching", "2026-01-20"),
        ("researching", "contacted", "2026-02-01"),
        ("contacted", "negotiating", "2026-03-01"),
        ("negotiating", "client", "2026-04-15"),
        ("client", "regular", "2026-07-01"),
        ("regular", "key", "2026-09-01"),
    ]
    assert [h["days_at_previous"] for h in history] == [None, 10, 12, 28, 45, 77, 62]
    assert history[3]["note"] == "met at the Dalexpo fair"
    assert {h["user"] for h in history} == {"tester"}
    assert dossier.json("show", "company", "ромашка")["stage"] == "key"

    table = dossier("history", "ромашка").stdout
    assert "met at the Dalexpo fair" in table and "negotiating" in table

    result = dossier("promote", "ромашка", expect=4)
    assert result.stderr == "Error: ООО «Ромашка» is already at the last stage 'key'; stages only move forward\n"
    assert len(dossier.json("history", "ромашка")) == 7


@pytest.mark.parametrize("target", ["target", "researching", "TARGET"])
def test_backwards_or_sideways_promote_is_refused_and_changes_nothing(dossier, target):
    dossier(*ROMASHKA)
    dossier("promote", "ромашка")
    before = snapshot(dossier)
    result = dossier("promote", "ромашка", "--to", target, expect=4)
    assert result.stderr == (
        "Error: stages only move forward: ООО «Ромашка» is at 'researching'; "
        "it can move to contacted, negotiating, client, regular, key\n"
    )
    assert result.stdout == ""
    assert snapshot(dossier) == before


def test_unknown_stage_is_a_usage_error_and_changes_nothing(dossier):
    dossier(*ROMASHKA)
    before = snapshot(dossier)
    result = dossier("promote", "ромашка", "--to", "won", expect=2)
    assert result.stderr.startswith("Error: unknown stage 'won' (stages are: target → researching → contacted")
    assert result.stderr.count("\n") == 1
    assert snapshot(dossier) == before


def test_promote_of_an_unknown_company_is_not_found(dossier):
    result = dossier("promote", "Нет такой", expect=3)
    assert result.stderr == "Error: no company matches 'Нет такой' (see `dossier list companies`)\n"


def test_move_dated_before_the_last_one_or_in_the_future_is_refused(dossier, db_path):
    dossier(*ROMASHKA)
    listed_back(db_path, 1, date(2026, 3, 1))
    before = snapshot(dossier)
    result = dossier("promote", "ромашка", "--date", "2026-02-28", expect=4)
    assert result.stderr == (
        "Error: the promotion date 2026-02-28 is before ООО «Ромашка» was listed (2026-03-01) "
        "(earlier history needs an earlier listing day: dossier edit company 1 --listed-on 2026-02-28)\n"
    )
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    result = dossier("promote", "ромашка", "--date", tomorrow, expect=2)
    assert f"the promotion date {tomorrow} is in the future" in result.stderr
    result = dossier("promote", "ромашка", "--date", "31.02.2026", expect=2)
    assert "bad date '31.02.2026'" in result.stderr
    assert snapshot(dossier) == before


def test_moving_into_first_contact_asks_the_dossier_check(dossier, monkeypatch):
    from dossier_cli.errors import Conflict
    from dossier_cli.prospect import completeness

    calls = []

    def not_ready(session, settings, company, *, to_stage, force):
        calls.append((company.name, to_stage, force))
        if not force:
            raise Conflict(f"the dossier of {company.name} is 40% complete; 70% is needed before '{to_stage}'")

    monkeypatch.setattr(completeness, "require_dossier_ready", not_ready)
    dossier(*ROMASHKA)
    dossier("promote", "ромашка")  # target -> researching: no check
    assert calls == []
    before = snapshot(dossier)
    result = dossier("promote", "ромашка", "--to", "negotiating", expect=4)
    assert "Error: the dossier of ООО «Ромашка» is 40% complete" in result.stderr
    assert snapshot(dossier) == before
    dossier("promote", "ромашка", "--to", "negotiating", "--force")
    assert calls == [("ООО «Ромашка»", "negotiating", False), ("ООО «Ромашка»", "negotiating", True)]
    dossier("promote", "ромашка")  # already past first contact: no check
    assert len(calls) == 2


def test_promote_records_an_audit_event(dossier, db_path):
    dossier(*ROMASHKA)
    dossier("promote", "ромашка", "--to", "contacted", "--note", "звонок")
    events = [e for e in audit_actions(db_path, "company") if e[0] == "promote"]
    assert len(events) == 1
    action, company_id, changes = events[0]
    assert company_id == 1
    assert changes["stage"] == ["target", "contacted"]
    assert changes["note"] == "звонок"


# ---------------------------------------------------------------- liquidation
def test_liquidated_company_leaves_the_pipeline_but_stays_on_record(dossier, db_path):
    dossier(*ROMASHKA)
    dossier("add", "company", "Amur Logistics", "--city", "Khabarovsk", "--listed-on", "2026-01-15")
    dossier("add", "person", "Olga Kim", "--company", "Amur Logistics", "--role", "owner")
    assert sum(row["companies"] for row in dossier.json("pipeline")) == 2

    result = dossier("liquidate", "Amur Logistics", "--date", "2026-10-01", "--note", "closed by the owner")
    assert result.stderr == "Amur Logistics is marked liquidated as of 2026-10-01.\n"

    funnel = dossier.json("pipeline")
    assert sum(row["companies"] for row in funnel) == 1
    assert "Amur Logistics" not in dossier("pipeline").stdout
    shown = dossier.json("show", "company", "Amur Logistics")
    assert shown["status"] == "liquidated"
    assert shown["liquidated_on"] == "2026-10-01"
    assert shown["liquidation_note"] == "closed by the owner"
    assert [(p["name"], p["role"], p["active"]) for p in shown["people"]] == [("Olga Kim", "owner", False)]
    assert [c["name"] for c in dossier.json("list", "companies")] == ["ООО «Ромашка»"]
    assert [c["name"] for c in dossier.json("list", "companies", "--status", "liquidated")] == ["Amur Logistics"]

    liquidations = [e for e in audit_actions(db_path, "company") if e[0] == "liquidate"]
    assert len(liquidations) == 1
    assert liquidations[0][2]["liquidated_on"] == "2026-10-01"


def test_liquidated_company_cannot_be_promoted_or_liquidated_again(dossier):
    dossier("add", "company", "Amur Logistics", "--listed-on", "2026-01-15")
    dossier("liquidate", "amur", "--date", "2026-10-01")
    before = snapshot(dossier, "amur")
    result = dossier("promote", "amur", expect=4)
    assert result.stderr == "Error: Amur Logistics was liquidated on 2026-10-01; a liquidated company cannot be promoted\n"
    result = dossier("liquidate", "amur", expect=4)
    assert result.stderr == "Error: Amur Logistics was already liquidated on 2026-10-01\n"
    assert snapshot(dossier, "amur") == before


# ---------------------------------------------------------------- the funnel
def test_pipeline_counts_shares_medians_conversion_and_stale_contacts(dossier, db_path):
    for name in ("Альфа", "Бета", "Гамма", "Дельта"):
        dossier("add", "company", name)
    for company_id in (1, 2, 3, 4):
        listed_back(db_path, company_id, date(2026, 1, 1))
    dossier("promote", "Альфа", "--to", "negotiating", "--date", "2026-01-11")   # 10 days at target
    dossier("promote", "Бета", "--date", "2026-01-31")                            # 30 days at target
    dossier("promote", "Бета", "--to", "client", "--date", "2026-02-10")          # 10 days at researching
    dossier("promote", "Гамма", "--date", "2026-01-21")                           # 20 days at target
    today = date.today()
    add_touch(db_path, 1, today - timedelta(days=3))
    add_touch(db_path, 2, today - timedelta(days=45))

    rows = {row["stage"]: row for row in dossier.json("pipeline")}
    assert list(rows) == STAGES
    assert [rows[s]["companies"] for s in STAGES] == [1, 1, 0, 1, 1, 0, 0]
    assert rows["target"]["share_percent"] == 25.0
    # target stays: 10, 30, 20 days finished, and Дельта's, still there since 2026-01-01
    assert rows["target"]["median_days"] == 25.0
    # researching: Бета's 10 days, and Гамма's, still there since 2026-01-21
    assert rows["researching"]["median_days"] == (10 + (today - date(2026, 1, 21)).days) / 2
    # 4 reached target, 3 got past it; 2 of the 3 at researching or beyond went on
    assert rows["target"]["conversion_percent"] == 75.0
    assert rows["researching"]["conversion_percent"] == round(100 * 2 / 3, 1)
    assert rows["client"]["conversion_percent"] == 0.0
    assert rows["key"]["conversion_percent"] is None
    # Альфа was called 3 days ago; Бета 45 days ago; the others never
    assert rows["negotiating"]["no_contact"] == 0
    assert rows["client"]["no_contact"] == 1
    assert rows["target"]["no_contact"] == 1
    assert rows["target"]["no_contact_days"] == 30

    table = dossier("pipeline").stdout
    assert "█" in table and "no contact 30 d" in table and "25.0%" in table

    parsed = list(csv.DictReader(io.StringIO(dossier("pipeline", "--format", "csv").stdout)))
    assert [(r["stage"], r["companies"], r["median_days"]) for r in parsed][:2] == [
        ("target", "1", "25.0"), ("researching", "1", str(rows["researching"]["median_days"]))]


def test_pipeline_leaves_out_liquidated_stays_and_counts_a_recent_contact_once(dossier, db_path):
    for name in ("Альфа", "Бета", "Гамма"):
        dossier("add", "company", name, "--territory", "Приморье" if name != "Гамма" else "Хабаровский край")
    for company_id in (1, 2, 3):
        listed_back(db_path, company_id, date(2026, 1, 1))
    dossier("promote", "Альфа", "--date", "2026-01-11")  # 10 days at target
    dossier("promote", "Бета", "--date", "2026-01-31")  # 30 days at target, then liquidated
    dossier("liquidate", "Бета", "--date", "2026-02-01")
    today = date.today()
    for days_ago in (0, 1, 30):  # three touches, one company; the 30th day back still counts as recent
        add_touch(db_path, 1, today - timedelta(days=days_ago))
    add_touch(db_path, 2, today)  # liquidated: counts nowhere
    add_touch(db_path, 3, today - timedelta(days=31))

    rows = {row["stage"]: row for row in dossier.json("pipeline")}
    assert [rows[s]["companies"] for s in STAGES] == [1, 1, 0, 0, 0, 0, 0]
    # target: Альфа's 10 days and Гамма's stay since 2026-01-01; Бета's 30 days are left out
    assert rows["target"]["median_days"] == (10 + (today - date(2026, 1, 1)).days) / 2
    assert rows["researching"]["median_days"] == (today - date(2026, 1, 11)).days
    assert (rows["target"]["no_contact"], rows["researching"]["no_contact"]) == (1, 0)

    primorye = {row["stage"]: row for row in dossier.json("pipeline", "--territory", "приморье")}
    assert [primorye[s]["companies"] for s in STAGES] == [0, 1, 0, 0, 0, 0, 0]
    assert primorye["target"]["median_days"] == 10.0
    assert (primorye["target"]["no_contact"], primorye["researching"]["no_contact"]) == (0, 0)


def test_pipeline_by_territory_and_market(dossier):
    dossier(*ROMASHKA)
    dossier("add", "company", "Amur Logistics", "--territory", "Primorye", "--industry", "logistics")
    dossier("promote", "amur")
    by_territory = dossier.json("pipeline", "--territory", "ХАБАРОВСКИЙ КРАЙ")
    assert [(r["stage"], r["companies"]) for r in by_territory if r["companies"]] == [("target", 1)]
    by_market = dossier.json("pipeline", "--market", "Logistics")
    assert [(r["stage"], r["companies"]) for r in by_market if r["companies"]] == [("researching", 1)]
    empty = dossier.json("pipeline", "--market", "mining")
    assert all(r["companies"] == 0 and r["share_percent"] == 0.0 for r in empty)
