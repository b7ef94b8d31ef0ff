"""The top-10 exercise and the ABC analysis, on a data set small enough to check by hand.

Sales in 2025 (roubles; 1,000,000 in all), and the current relationship ratings:

    company            sales 2025   rating (earlier)   touches in the 90 days to 2025-12-31
    ООО «Ромашка»         500 000   9 (5)
    АО «Дальсталь»        200 000   3 (8)              big buyer, weak relationship
    Amur Logistics        150 000   8
    ИП Сидоров            100 000   7
    Vostok-Trade LLC       20 000   6
    ООО «Амур-Снаб»        10 000   6
    ООО «Таёжный лес»       8 000   5
    Pacific Fish JSC        6 000   5
    ООО «Северный ветер»    3 000   4                  1 (and 3 the day before the window)
    Khabarovsk Dairy        2 000   4                  3 (one on the window's first day)
    ООО «Берёза»            1 000   10                 close relationship, small sales
    ООО «Ёлка»            (2024 only) 7                close relationship, no sales in 2025
    Old Mill (liquidated) 900 000   10                 never in top10 or abc

By sales: Ромашка, Дальсталь, Amur, Сидоров, Vostok, Амур-Снаб, Таёжный, Pacific, Северный, Dairy.
By relationship: Берёза 10, Ромашка 9, Amur 8, Сидоров 7 (more sales than Ёлка 7), Ёлка,
Vostok 6 (more sales than Амур-Снаб 6), Амур-Снаб, Таёжный 5, Pacific 5, Dairy 4 (3 touches
against Северный's 1). Overlap 8 of 10. ABC (80/15): A = Ромашка, Дальсталь, Amur (85%),
B = Сидоров (10%), C = the other seven (5%).
"""

from __future__ import annotations

import json

import pytest

from tests.test_sales import run_sql

SALES_2025 = [
    ("ООО «Ромашка»", ["250000.50", "249 999,50"], ["5", "9"]),
    ("АО «Дальсталь»", ["200000"], ["8", "3"]),
    ("Amur Logistics", ["150000"], ["8"]),
    ("ИП Сидоров", ["100000"], ["7"]),
    ("Vostok-Trade LLC", ["20000"], ["6"]),
    ("ООО «Амур-Снаб»", ["10000"], ["6"]),
    ("ООО «Таёжный лес»", ["8000"], ["5"]),
    ("Pacific Fish JSC", ["6000"], ["5"]),
    ("ООО «Северный ветер»", ["3000"], ["4"]),
    ("Khabarovsk Dairy", ["2000"], ["4"]),
    ("ООО «Берёза»", ["1000"], ["10"]),
]
BY_SALES = ["ООО «Ромашка»", "АО «Дальсталь»", "Amur Logistics", "ИП Сидоров", "Vostok-Trade LLC", "ООО «Амур-Снаб»",
            "ООО «Таёжный лес»", "Pacific Fish JSC", "ООО «Северный ветер»", "Khabarovsk Dairy"]
BY_RELATIONSHIP = ["ООО «Берёза»", "ООО «Ромашка»", "Amur Logistics", "ИП Сидоров", "ООО «Ёлка»", "Vostok-Trade LLC",
                   "ООО «Амур-Снаб»", "ООО «Таёжный лес»", "Pacific Fish JSC", "Khabarovsk Dairy"]


def _touch(dossier, company: str, day: str, times: int = 1) -> None:
    # The contact-log commands belong to another area; the table is there, so write it directly.
    company_id = dossier.json("show", "company", company)["id"]
    for _ in range(times):
        run_sql("INSERT INTO touch (company_id, touched_on, kind, done, created_at) "
                "VALUES (:c, :d, 'call', false, '2025-12-31T00:00:00+00:00')", c=company_id, d=day)


@pytest.fixture
def customers(dossier, built_once):
    built_once("top10-customers", lambda: _make_customers(dossier))
    return dossier


def _make_customers(dossier) -> None:
    for name, amounts, ratings in SALES_2025:
        dossier("add", "company", name, "--listed-on", "2020-01-01")
        for number, amount in enumerate(amounts):
            dossier("add", "sale", name, amount, "--date", f"2025-0{number + 3}-15")
        for score in ratings:
            dossier("rate", name, score)
    dossier("add", "company", "ООО «Ёлка»", "--listed-on", "2020-01-01")
    dossier("add", "sale", "Ёлка", "70000", "--date", "2024-12-31")
    dossier("rate", "Ёлка", "7")
    dossier("add", "company", "Old Mill", "--listed-on", "2020-01-01")
    dossier("add", "sale", "Old Mill", "900000", "--date", "2025-05-05")
    dossier("rate", "Old Mill", "10")
    run_sql("UPDATE company SET status = 'liquidated' WHERE name = 'Old Mill'")
    _touch(dossier, "Dairy", "2025-10-03")  # the first day of the 90-day window
    _touch(dossier, "Dairy", "2025-12-31", times=2)
    _touch(dossier, "Северный", "2025-11-20")
    _touch(dossier, "Северный", "2025-10-02", times=3)  # the day before the window: not counted


def test_top10_by_sales(customers):
    rows = customers.json("top10", "--period", "2025")
    assert [row["name"] for row in rows] == BY_SALES
    assert [row["rank"] for row in rows] == list(range(1, 11))
    assert rows[0]["sales"] == "500000.00" and rows[0]["sales_minor"] == 50000000
    assert rows[0]["currency"] == "RUB"
    assert rows[1]["rating"] == 3
    assert [row["touches_90_days"] for row in rows][-2:] == [1, 3]


def test_top10_by_sales_as_a_table(customers):
    out = customers("top10", "--period", "2025").stdout
    assert "Top 10 by sales, 2025" in out
    assert " sales |" in out
    lines = [line for line in out.splitlines() if "|" in line]
    assert "ООО «Ромашка»" in lines[1] and "500,000.00 RUB" in lines[1]
    assert "Khabarovsk Dairy" in lines[-1] and "2,000.00 RUB" in lines[-1]
    assert "Old Mill" not in out
    assert "Берёза" not in out


def test_top10_by_relationship(customers):
    rows = customers.json("top10", "--by", "relationship", "--period", "2025")
    assert [row["name"] for row in rows] == BY_RELATIONSHIP
    assert [row["rating"] for row in rows] == [10, 9, 8, 7, 7, 6, 6, 5, 5, 4]
    assert rows[-1]["touches_90_days"] == 3


def test_top10_limit(customers):
    rows = customers.json("top10", "--period", "2025", "--limit", "3")
    assert [row["name"] for row in rows] == BY_SALES[:3]
    result = customers("top10", "--limit", "0", expect=2)
    assert "Error: bad --limit 0: give a number from 1 to 1000" in result.stderr


def test_compare_names_the_mismatches(customers):
    report = customers.json("top10", "--compare", "--period", "2025")
    assert [row["name"] for row in report["by_sales"]] == BY_SALES
    assert [row["name"] for row in report["by_relationship"]] == BY_RELATIONSHIP
    assert report["overlap"] == 8
    assert report["limit"] == 10
    assert report["match"] is False
    assert report["verdict"] == "first make the lists match"
    assert [c["name"] for c in report["work_on_relationship"]] == ["АО «Дальсталь»", "ООО «Северный ветер»"]
    assert [c["rating"] for c in report["work_on_relationship"]] == [3, 4]
    assert [c["name"] for c in report["grow_or_rerate"]] == ["ООО «Берёза»", "ООО «Ёлка»"]
    assert sorted(report["in_both"]) == sorted(set(BY_SALES) & set(BY_RELATIONSHIP))
    assert report["by_sales"][1]["in_both"] is False and report["by_sales"][0]["in_both"] is True
    assert report["period"] == {"from": "2025-01-01", "to": "2025-12-31", "label": "2025"}
    assert report["currency"] == "RUB"


def test_compare_table_side_by_side_with_verdict(customers):
    out = customers("top10", "--compare", "--period", "2025").stdout
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert "by sales" in rows[0] and "by relationship" in rows[0]
    assert "ООО «Ромашка» *" in rows[1] and "ООО «Берёза» " in rows[1] and "ООО «Берёза» *" not in rows[1]
    assert "АО «Дальсталь» " in rows[2] and "АО «Дальсталь» *" not in rows[2] and "ООО «Ромашка» *" in rows[2]
    assert "* in both lists" in out
    assert "Overlap: 8 of 10" in out
    assert "Verdict: first make the lists match" in out
    assert "АО «Дальсталь»: a big buyer with a weak relationship (rating 3): work on the relationship" in out
    assert "ООО «Берёза»: a close relationship (rating 10) with small sales: grow the business or re-rate" in out


def test_check_exits_1_when_the_lists_differ_and_prints_the_same_report(customers):
    plain = customers("top10", "--compare", "--period", "2025").stdout
    checked = customers("top10", "--compare", "--check", "--period", "2025", expect=1)
    assert checked.stdout == plain
    as_json = customers("top10", "--compare", "--check", "--period", "2025", "--format", "json", expect=1)
    assert json.loads(as_json.stdout)["match"] is False


def test_check_exits_0_when_the_lists_match(customers):
    # Bring the relationship in line with the sales: the lists then hold the same companies.
    customers("rate", "Дальсталь", "9")
    customers("rate", "Северный", "9")
    customers("rate", "Берёза", "2")
    customers("rate", "Ёлка", "1")
    result = customers("top10", "--compare", "--check", "--period", "2025")
    assert "Overlap: 10 of 10" in result.stdout
    assert "Verdict: the lists match: time to look for new customers" in result.stdout
    assert "dossier plan" in result.stdout
    report = customers.json("top10", "--compare", "--period", "2025")
    assert report["match"] is True
    assert report["work_on_relationship"] == [] and report["grow_or_rerate"] == []


def test_compare_with_nothing_recorded_is_not_a_match(dossier):
    result = dossier("top10", "--compare", "--check", expect=1)
    assert "Verdict: nothing to compare yet" in result.stdout


def test_abc_groups(customers):
    report = customers.json("abc", "--period", "2025")
    rows = report["rows"]
    assert [row["name"] for row in rows] == [*BY_SALES, "ООО «Берёза»"]
    assert [row["abc_group"] for row in rows] == ["A"] * 3 + ["B"] + ["C"] * 7
    assert [row["share_percent"] for row in rows][:4] == [50.0, 20.0, 15.0, 10.0]
    assert [row["cumulative_percent"] for row in rows] == [50.0, 70.0, 85.0, 95.0, 97.0, 98.0, 98.8, 99.4, 99.7,
                                                           99.9, 100.0]
    assert report["revenue"] == "1000000.00"
    assert [(g["abc_group"], g["companies"], g["sales"]) for g in report["groups"]] == [
        ("A", 3, "850000.00"), ("B", 1, "100000.00"), ("C", 7, "50000.00")]
    assert "Old Mill" not in json.dumps(report, ensure_ascii=False)


def test_abc_table_and_filters(customers):
    out = customers("abc", "--period", "2025").stdout
    assert "ABC by sales, 2025 (A: first 80%, B: next 15%, C: the rest)" in out
    line = next(line for line in out.splitlines() if "ИП Сидоров" in line)
    assert "100,000.00 RUB" in line and "10.0" in line and "95.0" in line and "| B " in line
    assert "Revenue 1,000,000.00 RUB; A: 3 companies, 850,000.00 RUB (85%)" in out
    only_b = customers.json("abc", "--period", "2025", "--group", "b")["rows"]
    assert [row["name"] for row in only_b] == ["ИП Сидоров"]
    bad = customers("abc", "--group", "D", expect=2)
    assert "Error: unknown ABC group 'D' (choose A, B or C)" in bad.stderr


def test_abc_thresholds_from_the_config_file(customers, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text("abc: {a_percent: 50, b_percent: 30}\ncurrency: EUR\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    rows = customers.json("abc", "--period", "2025")["rows"]
    assert [row["abc_group"] for row in rows][:4] == ["A", "B", "B", "C"]
    assert rows[0]["currency"] == "EUR"


def test_show_company_has_rating_trend_and_abc_group(dossier):
    dossier("add", "company", "ООО «Ромашка»", "--listed-on", "2020-01-01")
    dossier("add", "company", "Amur Logistics", "--listed-on", "2020-01-01")
    dossier("add", "sale", "ромашка", "950", "--date", "today")
    dossier("add", "sale", "amur", "50", "--date", "yesterday")  # its revenue starts at 95%: C
    dossier("rate", "ромашка", "5")
    dossier("rate", "ромашка", "8", "--note", "weekly calls with the owner")
    shown = dossier.json("show", "company", "ромашка")
    assert shown["rating"] == 8
    assert shown["rating_trend"] == "up from 5"
    assert shown["rating_note"] == "weekly calls with the owner"
    assert shown["abc_group"] == "A"
    assert shown["sales_last_12_months"] == "950.00 RUB"
    assert dossier.json("show", "company", "amur")["abc_group"] == "C"
    assert [c["name"] for c in dossier.json("list", "companies", "--abc", "a")] == ["ООО «Ромашка»"]
    table = dossier("show", "company", "ромашка").stdout
    assert "rating trend" in table and "up from 5" in table


def test_default_period_is_the_last_12_months(dossier):
    from datetime import date, timedelta

    dossier("add", "company", "ООО «Ромашка»", "--listed-on", "2020-01-01")
    dossier("add", "company", "Amur Logistics", "--listed-on", "2020-01-01")
    first_day = date.today() - timedelta(days=364)
    dossier("add", "sale", "ромашка", "100", "--date", first_day.isoformat())
    dossier("add", "sale", "amur", "500", "--date", (first_day - timedelta(days=1)).isoformat())
    assert [row["name"] for row in dossier.json("top10")] == ["ООО «Ромашка»"]


def test_show_company_group_agrees_with_the_abc_ranking_through_ties(dossier, tmp_path, monkeypatch):
    config = tmp_path / "abc.yaml"
    config.write_text("abc: {a_percent: 40, b_percent: 40}\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    # Three tie at 300 (ids decide their order), revenue 1,200: Альфа starts at 0% (A),
    # Бета at 25% (A), Гамма at 50% (B), Дельта at 75% (B), Эпсилон at 91.7% (C).
    amounts = [("Альфа", "300"), ("Бета", "300"), ("Гамма", "300"), ("Дельта", "200"), ("Эпсилон", "100")]
    for name, amount in amounts:
        dossier("add", "company", name, "--listed-on", "2020-01-01")
        dossier("add", "sale", name, amount, "--date", "today")
    dossier("add", "company", "Last Year", "--listed-on", "2020-01-01")
    dossier("add", "sale", "last year", "900", "--date", "2020-01-01")
    dossier("add", "company", "Closed Mill", "--listed-on", "2020-01-01")
    dossier("add", "sale", "closed mill", "5000", "--date", "today")
    dossier("liquidate", "closed mill")

    ranked = {row["name"]: row["abc_group"] for row in dossier.json("abc")["rows"]}
    assert ranked == {"Альфа": "A", "Бета": "A", "Гамма": "B", "Дельта": "B", "Эпсилон": "C"}
    shown = {name: dossier.json("show", "company", name)["abc_group"] for name, _ in amounts}
    assert shown == ranked
    assert dossier.json("show", "company", "last year")["abc_group"] is None
    assert dossier.json("show", "company", "closed mill")["abc_group"] is None
