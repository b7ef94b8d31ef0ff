"""Sales and relationship ratings: add, list, rm, rate, as a salesperson uses them."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest


def run_sql(statement: str, **params: Any) -> list[tuple]:
    """Read or change the test database directly (for what other areas' commands will do)."""
    from sqlalchemy import text

    from dossier_cli.config import load_settings
    from dossier_cli.store import session_scope

    with session_scope(load_settings().database) as session:
        result = session.execute(text(statement), params)
        return [tuple(row) for row in result] if result.returns_rows else []


def audit_events(entity: str) -> list[dict[str, Any]]:
    rows = run_sql("SELECT action, entity_id, company_id, \"user\", command, changes_json FROM audit_event "
                   "WHERE entity = :e ORDER BY id", e=entity)
    return [dict(zip(("action", "entity_id", "company_id", "user", "command"), row[:5]),
                 changes=json.loads(row[5])) for row in rows]


@pytest.fixture
def romashka(dossier):
    dossier("add", "company", "ООО «Ромашка»", "--listed-on", "2020-01-01", "--city", "Хабаровск")
    return dossier


def sales_of(dossier) -> list[dict[str, Any]]:
    return dossier.json("list", "sales")


def test_add_sale_and_list_it(romashka):
    result = romashka("add", "sale", "ромашка", "125000.50", "--date", "2026-11-02", "--ref", "invoice 1841",
                      "--note", "первая партия")
    assert result.stderr.strip() == "Added sale #1: ООО «Ромашка», 2026-11-02, 125,000.50 RUB (invoice 1841)."
    assert sales_of(romashka) == [{
        "id": 1, "company_id": 1, "company": "ООО «Ромашка»", "sold_on": "2026-11-02", "amount": "125000.50",
        "amount_minor": 12500050, "currency": "RUB", "reference": "invoice 1841", "note": "первая партия",
    }]
    table = romashka("list", "sales").stdout
    assert "ООО «Ромашка»" in table and "125,000.50 RUB" in table and "invoice 1841" in table


@pytest.mark.parametrize(("typed", "minor"), [("125000.50", 12500050), ("125 000,50", 12500050),
                                              ("125000", 12500000), ("1 250,5", 125050), ("99,99", 9999)])
def test_amounts_as_people_write_them(romashka, typed, minor):
    romashka("add", "sale", "ромашка", typed, "--date", "2026-01-10")
    assert sales_of(romashka)[0]["amount_minor"] == minor


@pytest.mark.parametrize(("typed", "message"), [
    ("12,3,4", "bad amount '12,3,4': expected a number such as 125000.50 or 125 000,50"),
    ("abc", "bad amount 'abc': expected a number such as 125000.50 or 125 000,50"),
    ("-500", "bad amount '-500': must not be negative"),
    ("0", "bad amount '0': a sale must be more than zero"),
    ("10.505", "bad amount '10.505': expected a number such as 125000.50 or 125 000,50"),
])
def test_bad_amounts_are_refused_and_nothing_is_added(romashka, typed, message):
    result = romashka("add", "sale", "ромашка", typed, expect=2)
    assert result.stderr.strip() == f"Error: {message}"
    assert sales_of(romashka) == []
    assert audit_events("sale") == []


@pytest.mark.parametrize(("typed", "message"), [
    ("2026-02-30", "bad sale date '2026-02-30': no such day; write it as YYYY-MM-DD or DD.MM.YYYY"),
    ("next week", "bad sale date 'next week': write it as YYYY-MM-DD or DD.MM.YYYY"),
    ("31.13.2026", "bad sale date '31.13.2026': no such day; write it as YYYY-MM-DD or DD.MM.YYYY"),
])
def test_bad_dates_are_refused_and_nothing_is_added(romashka, typed, message):
    result = romashka("add", "sale", "ромашка", "100", "--date", typed, expect=2)
    assert result.stderr.strip() == f"Error: {message}"
    assert sales_of(romashka) == []


def test_day_first_dates(romashka):
    romashka("add", "sale", "ромашка", "100", "--date", "02.11.2026")
    assert sales_of(romashka)[0]["sold_on"] == "2026-11-02"


def test_duplicate_reference_for_the_same_company_is_refused(romashka):
    romashka("add", "company", "Amur Logistics", "--listed-on", "2020-01-01")
    romashka("add", "sale", "ромашка", "100", "--ref", "invoice 1841", "--date", "2026-01-10")
    result = romashka("add", "sale", "ромашка", "200", "--ref", "invoice 1841", expect=4)
    assert result.stderr.strip() == (
        "Error: ООО «Ромашка» already has a sale with reference 'invoice 1841': #1 of 2026-01-10 "
        "(use another reference, or `dossier rm sale` the old one first)")
    assert [s["amount"] for s in sales_of(romashka)] == ["100.00"]
    romashka("add", "sale", "amur", "300", "--ref", "invoice 1841")  # another company's invoice 1841 is fine
    romashka("add", "sale", "ромашка", "400")  # and sales without a reference never clash
    romashka("add", "sale", "ромашка", "500")
    assert len(sales_of(romashka)) == 4


def test_unknown_company(romashka):
    result = romashka("add", "sale", "Вектор", "100", expect=3)
    assert result.stderr.strip() == "Error: no company matches 'Вектор' (see `dossier list companies`)"


def test_a_sale_to_a_liquidated_company_is_kept_as_history(romashka):
    run_sql("UPDATE company SET status = 'liquidated'")
    result = romashka("add", "sale", "ромашка", "100", "--date", "today")
    assert "the sale is kept as history, outside top10 and abc" in result.stderr
    assert len(sales_of(romashka)) == 1
    assert romashka.json("top10") == []
    assert romashka.json("abc")["rows"] == []


def test_list_sales_filters_by_company_and_period(romashka):
    romashka("add", "company", "Amur Logistics", "--listed-on", "2020-01-01")
    for company, day in [("ромашка", "2025-12-31"), ("ромашка", "2026-01-01"), ("amur", "2026-06-30"),
                         ("ромашка", "2026-12-31"), ("amur", "2027-01-01")]:
        romashka("add", "sale", company, "100", "--date", day)
    listed = romashka.json("list", "sales", "--period", "2026")
    assert [s["sold_on"] for s in listed] == ["2026-12-31", "2026-06-30", "2026-01-01"]
    listed = romashka.json("list", "sales", "--company", "ромашка", "--period", "2026")
    assert [s["sold_on"] for s in listed] == ["2026-12-31", "2026-01-01"]
    listed = romashka.json("list", "sales", "--from", "2026-01-01", "--to", "2026-06-30")
    assert [s["sold_on"] for s in listed] == ["2026-06-30", "2026-01-01"]
    listed = romashka.json("list", "sales", "--period", "2026-q2")
    assert [s["sold_on"] for s in listed] == ["2026-06-30"]
    assert [s["sold_on"] for s in romashka.json("list", "sales", "--limit", "1", "--offset", "1")] == ["2026-12-31"]


@pytest.mark.parametrize(("period", "first", "last"), [
    ("2026", "2026-01-01", "2026-12-31"),
    ("2026-Q3", "2026-07-01", "2026-09-30"),
    ("2026-02", "2026-02-01", "2026-02-28"),
])
def test_period_edges_are_included_exactly(romashka, period, first, last):
    from datetime import date, timedelta

    day_before = (date.fromisoformat(first) - timedelta(days=1)).isoformat()
    day_after = (date.fromisoformat(last) + timedelta(days=1)).isoformat()
    for day, amount in [(day_before, "1"), (first, "10"), (last, "100"), (day_after, "1000")]:
        romashka("add", "sale", "ромашка", amount, "--date", day)
    assert romashka.json("top10", "--period", period)[0]["sales"] == "110.00"
    assert romashka.json("abc", "--period", period)["revenue"] == "110.00"
    assert romashka.json("top10", "--from", first, "--to", last)[0]["sales"] == "110.00"
    assert [s["sold_on"] for s in romashka.json("list", "sales", "--period", period)] == [last, first]


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "2026-Q5"], "bad period '2026-Q5': write a year (2026), a quarter (2026-Q3) or a month (2026-11)"),
    (["--period", "2026-13"], "bad period '2026-13': write a year (2026), a quarter (2026-Q3) or a month (2026-11)"),
    (["--period", "last year"], "bad period 'last year': write a year (2026), a quarter (2026-Q3) or a month (2026-11)"),
    (["--from", "2026-03-01", "--to", "2026-02-01"], "bad period: --from 2026-03-01 is after --to 2026-02-01"),
    (["--period", "2026", "--from", "2026-01-01"], "give either --period or --from/--to, not both"),
    (["--from", "1.2"], "bad --from date '1.2': write it as YYYY-MM-DD or DD.MM.YYYY"),
])
@pytest.mark.parametrize("command", [["top10"], ["top10", "--compare"], ["abc"], ["list", "sales"]])
def test_bad_periods(romashka, command, args, message):
    result = romashka(*command, *args, expect=2)
    assert result.stderr.strip() == f"Error: {message}"
    assert result.stdout == ""


def test_rm_sale(romashka):
    romashka("add", "sale", "ромашка", "125000.50", "--date", "2026-11-02", "--ref", "invoice 1841")
    refused = romashka("rm", "sale", "1", expect=2)
    assert "refusing without --yes when not at a terminal" in refused.stderr
    assert len(sales_of(romashka)) == 1
    result = romashka("rm", "sale", "1", "--yes")
    assert result.stderr.strip() == "Removed sale #1 (ООО «Ромашка», 2026-11-02, 125,000.50 RUB)."
    assert sales_of(romashka) == []
    missing = romashka("rm", "sale", "1", "--yes", expect=3)
    assert missing.stderr.strip() == "Error: no sale #1 (see `dossier list sales`)"
    bad = romashka("rm", "sale", "first", "--yes", expect=2)
    assert bad.stderr.strip() == "Error: bad sale 'first': name a sale by its number (see `dossier list sales`)"


def test_add_and_rm_sale_are_audited(romashka):
    romashka("add", "sale", "ромашка", "125 000,50", "--date", "2026-11-02", "--ref", "invoice 1841")
    romashka("rm", "sale", "1", "--yes")
    created, deleted = audit_events("sale")
    assert created["action"] == "create" and created["entity_id"] == 1 and created["company_id"] == 1
    assert created["user"] == "tester" and created["command"] == "dossier add sale"
    assert created["changes"] == {"sold_on": "2026-11-02", "amount": "125000.50", "currency": "RUB",
                                  "reference": "invoice 1841", "note": None}
    assert deleted["action"] == "delete" and deleted["command"] == "dossier rm sale"
    assert deleted["changes"]["deleted"]["amount"] == "125000.50"


def test_sales_as_csv(romashka):
    romashka("add", "sale", "ромашка", "100", "--date", "2026-01-10", "--note", "=SUM(A1)")
    rows = list(csv.DictReader(io.StringIO(romashka("list", "sales", "--company", "ромашка", "--format", "csv").stdout)))
    assert rows[0]["company"] == "ООО «Ромашка»"
    assert rows[0]["amount"] == "100.00"
    assert rows[0]["note"] == "'=SUM(A1)"


def test_currency_comes_from_the_config(romashka, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text("currency: USD\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    result = romashka("add", "sale", "ромашка", "99.90")
    assert "99.90 USD" in result.stderr
    assert sales_of(romashka)[0]["currency"] == "USD"


# ---------------------------------------------------------------- ratings
def test_rate_keeps_the_history_and_shows_the_trend(romashka):
    first = romashka("rate", "ромашка", "6")
    assert first.stderr.strip() == "Rated ООО «Ромашка» 6/10 (first rating)."
    second = romashka("rate", "ромашка", "8", "--note", "weekly calls with the owner, invited us to their anniversary")
    assert second.stderr.strip() == "Rated ООО «Ромашка» 8/10 (up from 6)."
    record = romashka.json("rate", "ромашка", "3")
    assert record["rating"] == 3 and record["rating_trend"] == "down from 8"
    assert [r["rating"] for r in record["history"]] == [3, 8, 6]
    assert record["history"][1]["note"] == "weekly calls with the owner, invited us to their anniversary"
    shown = romashka.json("show", "company", "ромашка")
    assert (shown["rating"], shown["rating_trend"]) == (3, "down from 8")


def test_rate_with_an_earlier_date_does_not_become_current(romashka):
    romashka("rate", "ромашка", "7", "--date", "2026-05-01")
    romashka("rate", "ромашка", "2", "--date", "2026-01-01")
    shown = romashka.json("show", "company", "ромашка")
    assert (shown["rating"], shown["rating_trend"]) == (7, "up from 2")


@pytest.mark.parametrize(("score", "message"), [
    ("11", "bad rating '11': must be from 0 (no relationship) to 10 (closest)"),
    ("-1", "bad rating '-1': must be from 0 (no relationship) to 10 (closest)"),
    ("7.5", "bad rating '7.5': give a whole number from 0 (no relationship) to 10 (closest)"),
    ("high", "bad rating 'high': give a whole number from 0 (no relationship) to 10 (closest)"),
])
def test_ratings_outside_0_to_10_are_refused(romashka, score, message):
    romashka("rate", "ромашка", "5")
    result = romashka("rate", "ромашка", score, expect=2)
    assert result.stderr.strip() == f"Error: {message}"
    assert romashka.json("show", "company", "ромашка")["rating"] == 5
    assert len(audit_events("rating")) == 1


def test_rate_is_audited(romashka):
    romashka("rate", "ромашка", "6")
    romashka("rate", "ромашка", "9", "--note", "зовут на юбилей")
    events = audit_events("rating")
    assert [e["action"] for e in events] == ["rate", "rate"]
    assert events[1]["company_id"] == 1 and events[1]["command"] == "dossier rate"
    assert events[1]["changes"]["score"] == [6, 9]
    assert events[1]["changes"]["note"] == "зовут на юбилей"


def test_show_company_without_sales_or_rating(romashka):
    shown = romashka.json("show", "company", "ромашка")
    assert shown["rating"] is None and shown["abc_group"] is None and shown["last_sale_on"] is None
    assert shown["sales_last_12_months"] == "0.00 RUB"
