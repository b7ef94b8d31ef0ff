"""Deal value, close month and the weighted forecast; the revenue goal; contact cadences in the agenda.

The data set: deals due in 2026-Q3 at target (10%), researching (25%) and negotiating (70%),
one due after the quarter, one on a lost company; sales booked inside and outside the quarter.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.usefixtures("no_dossier_gate")


@pytest.fixture
def deals(dossier):
    dossier("add", "company", "Alpha", "--territory", "Хабаровский край", "--listed-on", "2026-01-01")
    dossier("add", "company", "Beta", "--territory", "Приморский край", "--listed-on", "2026-01-01")
    dossier("add", "company", "Gamma", "--territory", "ХАБАРОВСКИЙ КРАЙ", "--listed-on", "2026-01-01")  # one territory, spelt otherwise
    dossier("add", "company", "Delta", "--listed-on", "2026-01-01")
    dossier("add", "company", "Epsilon", "--listed-on", "2026-01-01")
    dossier("promote", "Beta")
    dossier("promote", "Gamma", "--to", "negotiating")
    dossier("promote", "Delta", "--to", "contacted")
    dossier("promote", "Epsilon", "--to", "contacted")
    dossier("edit", "company", "Alpha", "--deal-value", "100 000", "--close-by", "2026-07")
    dossier("edit", "company", "Beta", "--deal-value", "200000", "--close-by", "08.2026")
    dossier("edit", "company", "Gamma", "--deal-value", "300000,00", "--close-by", "2026-08")
    dossier("edit", "company", "Delta", "--deal-value", "50000", "--close-by", "2026-10")  # after the quarter
    dossier("edit", "company", "Epsilon", "--deal-value", "80000", "--close-by", "2026-09")
    dossier("lose", "Epsilon", "--reason", "price")  # lost: out of the forecast
    dossier("add", "sale", "Alpha", "40000", "--date", "2026-07-10")
    dossier("add", "sale", "Gamma", "60000", "--date", "2026-09-05")
    dossier("add", "sale", "Delta", "999", "--date", "2026-06-30")  # before the quarter
    return dossier


def figures(rows, key):
    return {r[key]: (r["deals"], r["value_minor"], r["weighted_minor"], r["booked_minor"]) for r in rows}


def test_deal_fields_are_shown_and_cleared(deals):
    shown = deals.json("show", "company", "Beta")
    assert (shown["deal_value"], shown["close_by"]) == ("200000.00", "2026-08")
    deals("edit", "company", "Beta", "--deal-value", "", "--close-by", "")
    shown = deals.json("show", "company", "Beta")
    assert (shown["deal_value"], shown["close_by"]) == (None, None)


def test_forecast_by_month(deals):
    report = deals.json("forecast", "--quarter", "2026-Q3")
    assert report["quarter"] == "2026-Q3"
    assert figures(report["rows"], "month") == {
        "2026-07": (1, 10_000_000, 1_000_000, 4_000_000),
        "2026-08": (2, 50_000_000, 26_000_000, 0),
        "2026-09": (0, 0, 0, 6_000_000),
    }
    totals = report["totals"]
    assert (totals["deals"], totals["value"], totals["weighted"], totals["booked"], totals["expected"]) == (
        3, "600000.00", "270000.00", "100000.00", "370000.00"
    )
    assert (totals["goal_revenue"], totals["goal_percent"], totals["gap"]) == (None, None, None)


def test_forecast_beside_the_revenue_goal(deals):
    deals("plan", "set", "2026-Q3", "--goal-revenue", "500000")
    totals = deals.json("forecast", "--quarter", "2026-Q3")["totals"]
    assert (totals["goal_revenue"], totals["goal_percent"], totals["gap"]) == ("500000.00", 74.0, "130000.00")
    progress = deals.json("plan", "show", "2026-Q3")
    assert progress["revenue"] == {
        "planned": "500000.00", "planned_minor": 50_000_000, "booked": "100000.00", "booked_minor": 10_000_000, "percent": 20
    }
    table = deals("forecast", "--quarter", "2026-Q3").stdout
    assert "goal: 500,000.00 RUB (74.0%), still to find: 130,000.00 RUB" in table


def test_forecast_by_stage_and_territory(deals):
    by_stage = deals.json("forecast", "--quarter", "2026-Q3", "--by", "stage")
    assert [r["stage"] for r in by_stage["rows"]] == ["target", "researching", "contacted", "negotiating", "client", "regular", "key"]
    assert {r["stage"]: r["probability_percent"] for r in by_stage["rows"]} == {
        "target": 10.0, "researching": 25.0, "contacted": 50.0, "negotiating": 70.0, "client": 90.0, "regular": 90.0, "key": 90.0
    }
    got = figures(by_stage["rows"], "stage")
    assert got["target"] == (1, 10_000_000, 1_000_000, 4_000_000)
    assert got["researching"] == (1, 20_000_000, 5_000_000, 0)
    assert got["contacted"] == (0, 0, 0, 0)
    assert got["negotiating"] == (1, 30_000_000, 21_000_000, 6_000_000)
    by_territory = deals.json("forecast", "--quarter", "2026-Q3", "--by", "territory")
    assert figures(by_territory["rows"], "territory") == {
        "Приморский край": (1, 20_000_000, 5_000_000, 0),
        "Хабаровский край": (2, 40_000_000, 22_000_000, 10_000_000),
    }
    assert [r["territory"] for r in by_territory["rows"]] == ["Приморский край", "Хабаровский край"]


def test_probabilities_come_from_the_config(deals, tmp_path, monkeypatch):
    config = tmp_path / "p.yaml"
    config.write_text("dossier:\n  threshold: 0\nstage_probabilities:\n  negotiating: 60\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    totals = deals.json("forecast", "--quarter", "2026-Q3")["totals"]
    assert totals["weighted_minor"] == 1_000_000 + 5_000_000 + 18_000_000
    config.write_text("stage_probabilities:\n  negotiating: 150\n", encoding="utf-8")
    bad = deals("forecast", "--quarter", "2026-Q3", expect=2)
    assert bad.stderr.startswith("Error: config file") and "stage_probabilities.negotiating" in bad.stderr
    config.write_text("stage_probabilities:\n  closing: 50\n", encoding="utf-8")
    unknown = deals("forecast", expect=2)
    assert "'stage_probabilities.closing': not one of the stages" in unknown.stderr


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--deal-value", "lots", "Error: bad deal value 'lots'"),
        ("--deal-value", "-5", "Error: bad deal value '-5'"),
        ("--close-by", "2026-13", "Error: bad close-by month '2026-13'"),
        ("--close-by", "soon", "Error: bad close-by month 'soon'"),
        ("--every", "0", "Error: bad cadence '0'"),
        ("--every", "often", "Error: bad cadence 'often'"),
    ],
)
def test_bad_deal_values_change_nothing(deals, option, value, message):
    result = deals("edit", "company", "Alpha", option, value, expect=2)
    assert result.stderr.splitlines()[0].startswith(message)
    shown = deals.json("show", "company", "Alpha")
    assert (shown["deal_value"], shown["close_by"], shown["every_days"]) == ("100000.00", "2026-07", None)


def test_bad_quarter_or_grouping(deals):
    assert deals("forecast", "--quarter", "2026-Q5", expect=2).stderr.startswith("Error: bad quarter '2026-Q5'")
    assert "Invalid value for '--by'" in deals("forecast", "--by", "week", expect=2).stderr


# ---------------------------------------------------------------- contact cadence
def touched(dossier, company: str, days_ago: int) -> None:
    dossier("add", "touch", company, "--kind", "call", "--date", (date.today() - timedelta(days=days_ago)).isoformat())


def test_agenda_lists_companies_whose_cadence_ran_out(dossier):
    today = date.today()
    for name in ("Overdue", "Fresh", "Gone"):
        dossier("add", "company", name, "--listed-on", (today - timedelta(days=60)).isoformat())
    dossier("add", "company", "Never")
    dossier("edit", "company", "Overdue", "--every", "7")
    dossier("edit", "company", "Fresh", "--every", "30")
    dossier("edit", "company", "Never", "--every", "14")
    dossier("edit", "company", "Gone", "--every", "1")
    touched(dossier, "Overdue", 10)
    touched(dossier, "Fresh", 5)
    touched(dossier, "Gone", 20)
    dossier("lose", "Gone", "--reason", "no need")
    dossier(
        "add", "touch", "Fresh", "--kind", "email", "--next", today.isoformat(), "--next-action", "send the price list"
    )
    steps = dossier.json("agenda")
    assert [(s["item"], s["company"], s["days_from_today"]) for s in steps] == [
        ("cadence", "Overdue", -3),
        ("step", "Fresh", 0),
    ]
    assert steps[0]["due_on"] == (today - timedelta(days=3)).isoformat()
    assert (steps[0]["every_days"], steps[0]["touched_on"]) == (7, (today - timedelta(days=10)).isoformat())
    # Never touched: counted from the day it was listed (today).
    later = dossier.json("agenda", "--days", "14")
    assert [(s["item"], s["company"], s["days_from_today"]) for s in later] == [
        ("cadence", "Overdue", -3),
        ("step", "Fresh", 0),
        ("cadence", "Never", 14),
    ]
    assert [s["company"] for s in dossier.json("agenda", "--overdue")] == ["Overdue"]
    table = dossier("agenda").stdout
    assert "stay in touch (every 7 days)" in table
    # A touch resets the cadence.
    touched(dossier, "Overdue", 0)
    assert [s["company"] for s in dossier.json("agenda")] == ["Fresh"]
    # The calendar file gets the dated follow-ups only.
    ics = dossier("agenda", "--ics", "-").stdout
    assert ics.count("BEGIN:VEVENT") == 1


def test_deal_fields_go_out_and_come_back_in_with_the_companies(dossier, tmp_path):
    dossier("add", "company", "Alpha", "--listed-on", "2020-01-01")
    dossier("edit", "company", "Alpha", "--deal-value", "125000.50", "--close-by", "2027-02", "--every", "21")
    exported = tmp_path / "companies.csv"
    dossier("export", "companies", "--format", "csv", "--output", str(exported))
    header = exported.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[-3:] == ["deal_value", "close_by", "every_days"]
    dossier("edit", "company", "Alpha", "--deal-value", "", "--close-by", "", "--every", "")
    dossier("import", "companies", str(exported))
    shown = dossier.json("show", "company", "Alpha")
    assert (shown["deal_value"], shown["close_by"], shown["every_days"]) == ("125000.50", "2027-02", 21)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,deal value,close by\nBeta,lots,2027-02\n", encoding="utf-8")
    result = dossier("import", "companies", str(bad), expect=2)
    assert "line 2" in result.stderr and "deal value" in result.stderr
    assert [c["name"] for c in dossier.json("list", "companies")] == ["Alpha"]
