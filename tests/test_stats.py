"""`dossier stats` on a data set whose every number is known in advance."""

from __future__ import annotations

from datetime import date

import pytest

from tests.test_touches import database, set_company

# name, source, listed on, touches (date, kind, outcome)
PROSPECTS = [
    ("Альфа", "referral", date(2025, 1, 10), [
        ("2025-01-15", "call", "no"), ("2025-02-01", "email", "no answer"), ("2025-02-20", "meeting", "positive"),
        ("2025-04-01", "call", "positive"),  # after it became a customer: not counted
    ]),
    ("Бета", "referral", date(2025, 2, 1), [
        ("2025-02-10", "call", "no"), ("2025-03-10", "call", "no"), ("2025-04-10", "email", "neutral"),
        ("2025-05-10", "meeting", "positive"), ("2025-06-01", "visit", "positive"),  # the day of the first sale counts
    ]),
    ("Gamma", "cold call", date(2025, 1, 1), [("2025-01-20", "call", "positive")]),
    ("Delta", "cold call", date(2025, 3, 1), [
        ("2025-03-05", "call", "no"), ("2025-04-05", "call", "no"), ("2025-05-05", "call", "no answer"),
        ("2025-06-05", "email", "neutral"), ("2025-08-05", "call", "no"), ("2025-10-05", "meeting", "positive"),
        ("2025-12-26", "call", "positive"),
    ]),
    ("Эпсилон", "cold call", date(2025, 5, 1), [("2025-05-10", "call", "no"), ("2025-06-10", "call", "no answer")]),
    ("Zeta", "referral", date(2025, 4, 1), [("2025-04-10", "call", "no")]),
    ("Эта", None, date(2026, 2, 1), [("2026-02-05", "call", "no"), ("2026-02-20", "meeting", "positive")]),
]
# Became customers: Альфа by stage 2025-03-01 (50 days); Бета by a sale 2025-06-01 before its stage
# change 2025-07-01 (120 days); Gamma by stage 2025-01-31 (30); Delta by a sale 2025-12-26 (300);
# Эта by stage 2026-03-01 (28). Эпсилон is still open; Zeta was liquidated without buying;
# «Клиент» was listed as a client already and is left out.


@pytest.fixture
def history(dossier, built_once):
    built_once("stats-history", lambda: _make_history(dossier))
    return dossier


def _make_history(dossier) -> None:
    from dossier_cli.models import Company, Sale, StageChange

    for company_id, (name, source, listed_on, touches) in enumerate(PROSPECTS, start=1):
        args = ["add", "company", name, "--stage", "contacted"]
        if source:
            args += ["--source", source]
        dossier(*args)
        set_company(company_id, listed_on=listed_on)
        for day, kind, outcome in touches:
            dossier("add", "touch", name, "--kind", kind, "--outcome", outcome, "--date", day)
    dossier("add", "company", "ООО «Клиент»", "--stage", "client", "--source", "referral")
    set_company(6, status="liquidated", liquidated_on=date(2025, 9, 1))
    with database() as session:
        for company_id, to_stage, day in [(1, "client", date(2025, 3, 1)), (2, "client", date(2025, 7, 1)),
                                          (3, "client", date(2025, 1, 31)), (4, "negotiating", date(2025, 9, 1)),
                                          (7, "client", date(2026, 3, 1))]:
            session.add(StageChange(company_id=company_id, from_stage="contacted", to_stage=to_stage, changed_on=day))
            company = session.get(Company, company_id)
            company.stage = to_stage
            session.add(company)
        session.add(Sale(company_id=2, sold_on=date(2025, 6, 1), amount_minor=100_000_00))
        session.add(Sale(company_id=4, sold_on=date(2025, 12, 26), amount_minor=50_000_00))
        session.add(Sale(company_id=8, sold_on=date(2025, 1, 5), amount_minor=10_000_00))


def test_overall_medians_quartiles_conversion_and_histogram(history):
    report = history.json("stats")
    overall = report["overall"]
    assert (overall["prospects"], overall["converted"], overall["open"], overall["lost"]) == (7, 5, 1, 1)
    assert overall["conversion_rate"] == 0.7143
    assert report["listed_as_customers"] == 1
    assert report["quartile_method"] == 'statistics.quantiles(n=4, method="inclusive")'
    # touches up to the first purchase: Gamma 1, Эта 2, Альфа 3, Бета 5, Delta 7
    assert overall["touches"] == {"n": 5, "median": 3, "q1": 2, "q3": 5, "min": 1, "max": 7}
    # "no" outcomes: Gamma 0, Альфа 1, Эта 1, Бета 2, Delta 3
    assert overall["no_outcomes"] == {"n": 5, "median": 1, "q1": 1, "q3": 2, "min": 0, "max": 3}
    # days from listing: Эта 28, Gamma 30, Альфа 50, Бета 120, Delta 300
    assert overall["days"] == {"n": 5, "median": 50, "q1": 30, "q3": 120, "min": 28, "max": 300}
    assert [(b["touches"], b["companies"]) for b in overall["histogram"]] == [
        ("0", 0), ("1", 1), ("2", 1), ("3", 1), ("4", 0), ("5", 1), ("6", 0), ("7", 1)
    ]


def test_by_source(history):
    groups = {g["group"]: g for g in history.json("stats", "--by", "source")["groups"]}
    assert list(groups) == ["cold call", "referral", "(none)"]
    referral = groups["referral"]
    assert (referral["prospects"], referral["converted"], referral["open"], referral["lost"]) == (3, 2, 0, 1)
    assert referral["conversion_rate"] == 0.6667
    assert referral["touches"] == {"n": 2, "median": 4, "q1": 3.5, "q3": 4.5, "min": 3, "max": 5}
    assert referral["days"] == {"n": 2, "median": 85, "q1": 67.5, "q3": 102.5, "min": 50, "max": 120}
    cold = groups["cold call"]
    assert (cold["prospects"], cold["converted"], cold["open"], cold["lost"]) == (3, 2, 1, 0)
    assert cold["touches"] == {"n": 2, "median": 4, "q1": 2.5, "q3": 5.5, "min": 1, "max": 7}
    assert cold["no_outcomes"] == {"n": 2, "median": 1.5, "q1": 0.75, "q3": 2.25, "min": 0, "max": 3}
    assert [(b["touches"], b["companies"]) for b in cold["histogram"]] == [
        ("0", 0), ("1", 1), ("2", 0), ("3", 0), ("4", 0), ("5", 0), ("6", 0), ("7", 1)
    ]
    none = groups["(none)"]
    assert none["touches"] == {"n": 1, "median": 2, "q1": 2, "q3": 2, "min": 2, "max": 2}
    assert none["conversion_rate"] == 1.0


def test_by_kind_counts_only_that_kind(history):
    groups = {g["group"]: g for g in history.json("stats", "--by", "kind")["groups"]}
    assert list(groups) == ["call", "email", "meeting", "visit"]  # in the order of the configured kinds
    calls = groups["call"]
    # every prospect was called; calls before buying: Альфа 1, Бета 2, Gamma 1, Delta 5, Эта 1
    assert (calls["prospects"], calls["converted"]) == (7, 5)
    assert calls["touches"] == {"n": 5, "median": 1, "q1": 1, "q3": 2, "min": 1, "max": 5}
    assert calls["no_outcomes"] == {"n": 5, "median": 1, "q1": 1, "q3": 2, "min": 0, "max": 3}
    assert (groups["meeting"]["prospects"], groups["meeting"]["touches"]["median"]) == (4, 1)
    assert (groups["visit"]["prospects"], groups["visit"]["converted"]) == (1, 1)


def test_period_takes_the_prospects_listed_in_it(history):
    report = history.json("stats", "--period", "2025")
    assert report["period"] == {"label": "2025", "start": "2025-01-01", "end": "2025-12-31"}
    overall = report["overall"]
    assert (overall["prospects"], overall["converted"], overall["open"], overall["lost"]) == (6, 4, 1, 1)
    assert overall["conversion_rate"] == 0.6667
    assert overall["touches"] == {"n": 4, "median": 4, "q1": 2.5, "q3": 5.5, "min": 1, "max": 7}
    empty = history.json("stats", "--period", "2024-Q1")["overall"]
    assert (empty["prospects"], empty["conversion_rate"], empty["touches"]["median"], empty["histogram"]) == (0, None, None, [])


def test_terminal_report_with_bars(history):
    result = history("stats", "--by", "source")
    out = result.stdout
    assert "all prospects: 7; became customers (client or a first sale): 5 (71.4%); still open: 1; lost: 1" in out
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in out.splitlines() if line.startswith("|")]
    assert ["touches", "3", "2–5", "1–7", "5"] in rows
    assert ["days since listed", "50", "30–120", "28–300", "5"] in rows
    histogram = [(row[0], row[1], "█" in row[2]) for row in rows if len(row) == 3 and row[0].isdigit()]
    assert histogram == [("0", "0", False), ("1", "1", True), ("2", "1", True), ("3", "1", True),
                         ("4", "0", False), ("5", "1", True), ("6", "0", False), ("7", "1", True)]
    assert "Touches to the first purchase" in out
    assert "By source" in out and "cold call" in out and "4 (3.5–4.5)" in out
    assert "Quartiles by the inclusive method (as QUARTILE.INC in spreadsheets)" in result.stderr


def test_quartile_note_in_russian(history, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    result = history("stats")
    assert "Квартили — включающим методом (как КВАРТИЛЬ.ВКЛ в таблицах)" in result.stderr, result.stderr
    assert "Python" not in result.stderr and "inclusive" not in result.stderr and "Quartiles" not in result.stderr
    assert history.json("stats")["quartile_method"] == 'statistics.quantiles(n=4, method="inclusive")'  # JSON stays exact


def test_csv_has_a_row_per_group(history):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(history("stats", "--by", "source", "--format", "csv").stdout)))
    assert [r["group"] for r in rows] == ["(all)", "cold call", "referral", "(none)"]
    assert rows[0]["touches_median"] == "3" and rows[2]["days_q1"] == "67.5"


def test_bad_grouping_and_period(history):
    assert "Invalid value for '--by'" in history("stats", "--by", "colour", expect=2).stderr
    result = history("stats", "--period", "last year", expect=2)
    assert result.stderr.startswith("Error: bad period 'last year'")


def test_back_filled_history_counts_from_the_first_touch(dossier, tmp_path):
    """Entered today with last year's touches and sales: each company was a prospect from its
    first recorded touch, so stats has real medians instead of 'listed as customers already'."""
    (tmp_path / "companies.csv").write_text("name\nАльфа\nБета\nГамма\n", encoding="utf-8")
    (tmp_path / "touches.csv").write_text(
        "company,date,kind\n"
        "Альфа,2025-01-10,call\nАльфа,2025-01-20,meeting\n"
        "Бета,2025-02-01,call\nБета,2025-02-05,email\nБета,2025-02-09,meeting\nБета,2025-02-20,call\n"
        "Гамма,2025-03-01,call\n",
        encoding="utf-8",
    )
    (tmp_path / "sales.csv").write_text(
        "company,date,amount\nАльфа,2025-01-30,1000\nБета,2025-03-03,2000\n", encoding="utf-8"
    )
    for kind in ("companies", "touches", "sales"):
        dossier("import", kind, str(tmp_path / f"{kind}.csv"))
    report = dossier.json("stats")
    overall = report["overall"]
    assert report["listed_as_customers"] == 0
    assert (overall["prospects"], overall["converted"], overall["open"]) == (3, 2, 1)
    assert overall["touches"]["median"] == 3  # Альфа 2 touches, Бета 4
    assert overall["days"]["median"] == 25  # 20 days and 30 days
