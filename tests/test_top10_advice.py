"""`top10 --compare` advice fits the facts: no rating, an old rating, a weak one, no sales yet (issue 18, item 7)."""

from __future__ import annotations

import pytest


def _steps(dossier, a: dict, b: dict) -> list[str]:
    """Two companies, A (the bigger buyer) and B (the closer relationship); the top-1 lists."""
    for name, facts in (("Альфа", a), ("Бета", b)):
        dossier("add", "company", name, "--listed-on", "2025-01-01")
        if facts.get("sales"):
            dossier("add", "sale", name, str(facts["sales"]), "--date", "2026-06-01")
        if facts.get("rating") is not None:
            dossier("rate", name, str(facts["rating"]), "--date", facts.get("rated_on", "2026-11-01"))
    report = dossier.json("top10", "--compare", "--period", "2026", "--limit", "1")
    assert [row["name"] for row in report["by_sales"]] == ["Альфа"]
    assert [row["name"] for row in report["by_relationship"]] == ["Бета"]
    return report["next_steps"]


@pytest.mark.parametrize(("a", "b", "expected"), [
    pytest.param(
        {"sales": 5000, "rating": 1}, {"rating": 2},
        ["Альфа: a big buyer with a weak relationship (rating 1): work on the relationship",
         "Бета: no sales in the period and a weak relationship (rating 2): a prospect rather than a customer; "
         "rate your real customers so the list shows the closest ones"],
        id="no sales, low rating"),
    pytest.param(
        {"sales": 5000, "rating": 3}, {"rating": 9},
        ["Альфа: a big buyer with a weak relationship (rating 3): work on the relationship",
         "Бета: a close relationship (rating 9) but no sales in the period: make an offer"],
        id="no sales, close relationship"),
    pytest.param(
        {"sales": 5000, "rating": 6}, {"sales": 100, "rating": 9},
        ["Альфа: a big buyer rated 6, below the closest relationships: work on the relationship",
         "Бета: a close relationship (rating 9) with small sales: grow the business or re-rate"],
        id="small sales, close relationship"),
    pytest.param(
        {"sales": 5000}, {"sales": 100, "rating": 3},
        ["Альфа: a big buyer, not rated yet: rate the relationship (`dossier rate`), then work on it",
         "Бета: small sales and a weak relationship (rating 3): work on the relationship first"],
        id="not rated, small sales with a low rating"),
    pytest.param(
        {"sales": 5000, "rating": 2, "rated_on": "2025-02-01"}, {"sales": 100, "rating": 9, "rated_on": "2025-03-01"},
        ["Альфа: rated 2 on 2025-02-01, more than six months before the period's end: re-rate it (`dossier rate`) "
         "before acting on it",
         "Бета: rated 9 on 2025-03-01, more than six months before the period's end: re-rate it (`dossier rate`) "
         "before acting on it"],
        id="old ratings"),
])
def test_advice_fits_each_case(dossier, a, b, expected):
    assert _steps(dossier, a, b) == expected
