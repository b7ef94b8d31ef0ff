"""One rule for dated events: none before the company was listed, none before the event it follows (issue 18, item 6)."""

from __future__ import annotations

import pytest


@pytest.fixture
def client(dossier, no_dossier_gate):
    """A company listed on 2026-01-10 that became a client on 2026-03-01."""
    dossier("add", "company", "Зейская Сталь", "--listed-on", "2026-01-10")
    dossier("promote", "Зейская", "--to", "client", "--date", "2026-03-01")
    return dossier


def test_liquidation_before_the_company_became_a_client_is_refused(client):
    dossier = client
    result = dossier("liquidate", "Зейская", "--date", "2026-02-15", expect=4)
    assert result.stderr.startswith("Error: the liquidation date 2026-02-15 is before its last stage move (2026-03-01)")
    assert dossier.json("show", "company", "Зейская")["status"] == "active"
    result = dossier("promote", "Зейская", "--date", "2026-02-01", expect=4)
    assert result.stderr.startswith("Error: the promotion date 2026-02-01 is before its last stage move (2026-03-01)")
    dossier("liquidate", "Зейская", "--date", "2026-03-01")


def test_promotion_before_the_listing_names_the_listing_and_the_way_out(dossier, no_dossier_gate):
    dossier("add", "company", "Ромашка")
    result = dossier("promote", "Ромашка", "--date", "01.02.2025", expect=4)
    assert result.stderr.startswith("Error: the promotion date 2025-02-01 is before Ромашка was listed (")
    assert "dossier edit company 1 --listed-on 2025-02-01" in result.stderr
    dossier("edit", "company", "Ромашка", "--listed-on", "2025-01-01")
    dossier("promote", "Ромашка", "--date", "01.02.2025")
    history = dossier.json("history", "Ромашка")
    assert [h["changed_on"] for h in history] == ["2025-01-01", "2025-02-01"]


@pytest.mark.parametrize("args", [
    ("add", "sale", "Ромашка", "1000", "--date", "2025-12-31"),
    ("add", "touch", "Ромашка", "--kind", "call", "--date", "2025-12-31"),
    ("add", "gift", "Ромашка", "--what", "конфеты", "--date", "2025-12-31"),
    ("rate", "Ромашка", "5", "--date", "2025-12-31"),
])
def test_no_event_before_the_listing(dossier, args):
    dossier("add", "company", "Ромашка", "--listed-on", "2026-01-01")
    result = dossier(*args, expect=4)
    assert "2025-12-31 is before Ромашка was listed (2026-01-01)" in result.stderr
    dossier(*[a if a != "2025-12-31" else "2026-01-01" for a in args])


def test_the_listing_cannot_move_past_the_first_event(dossier):
    dossier("add", "company", "Ромашка", "--listed-on", "2026-01-01")
    dossier("add", "sale", "Ромашка", "1000", "--date", "2026-02-01")
    result = dossier("edit", "company", "Ромашка", "--listed-on", "2026-03-01", expect=4)
    assert result.stderr.startswith("Error: Ромашка cannot be listed on 2026-03-01: a sale is recorded on 2026-02-01")
    dossier("edit", "company", "Ромашка", "--listed-on", "2026-02-01")
    assert dossier.json("show", "company", "Ромашка")["listed_on"] == "2026-02-01"
