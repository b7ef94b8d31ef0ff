"""Corrections: edit touch/sale/gift, rm gift, postpone; likely duplicates refused (issue 18, item 5)."""

from __future__ import annotations

import pytest


@pytest.fixture
def romashka(dossier):
    dossier("add", "company", "ООО «Ромашка»", "--listed-on", "2026-01-10")
    dossier("add", "person", "Иван Петров", "--company", "Ромашка")
    dossier("add", "person", "Анна Смирнова", "--company", "Ромашка")
    return dossier


def test_edit_touch_changes_what_was_given_and_is_audited(romashka):
    dossier = romashka
    dossier("add", "touch", "Ромашка", "--kind", "call", "--date", "2026-11-02", "--person", "Иван")
    result = dossier("edit", "touch", "1", "--kind", "meeting", "--outcome", "positive", "--person", "Анна",
                     "--note", "договорились о встрече")
    assert result.stderr.startswith("Changed touch #1: ")
    touch = dossier.json("list", "touches")[0]
    assert (touch["kind"], touch["outcome"], touch["person"], touch["note"]) == (
        "meeting", "positive", "Анна Смирнова", "договорились о встрече")
    assert dossier.json("audit")[0]["action"] == "update"
    assert "Nothing changed in touch #1." in dossier("edit", "touch", "1", "--kind", "meeting").stderr
    dossier("edit", "touch", "1", "--next", "2026-10-01", expect=4)  # before the touch itself
    assert "no touch #9" in dossier("edit", "touch", "9", "--kind", "call", expect=3).stderr


def test_postpone_moves_the_next_step_in_the_agenda(romashka):
    dossier = romashka
    dossier("add", "touch", "Ромашка", "--kind", "call", "--next", "2030-12-07", "--next-action", "позвонить")
    result = dossier("postpone", "1", "14.12.2030")
    assert "Moved the next step of touch #1 from 2030-12-07 to 2030-12-14." in result.stderr
    assert [s["due_on"] for s in dossier.json("agenda", "--days", "3650")] == ["2030-12-14"]
    result = dossier("postpone", "1", "2001-01-01", expect=4)
    assert result.stderr.startswith("Error: the next step date 2001-01-01 is before the touch that set it")
    dossier("add", "touch", "Ромашка", "--kind", "letter")
    assert "has no next step" in dossier("postpone", "2", "2030-12-20", expect=4).stderr
    dossier("done", "1")
    assert "is done already" in dossier("postpone", "1", "2030-12-20", expect=4).stderr


def test_the_same_touch_twice_is_refused_unless_forced(romashka):
    dossier = romashka
    dossier("add", "touch", "Ромашка", "--kind", "call", "--person", "Иван", "--date", "2026-11-02")
    result = dossier("add", "touch", "Ромашка", "--kind", "call", "--person", "Иван", "--date", "2026-11-02", expect=4)
    assert result.stderr.startswith("Error: touch #1 already logs a call with ООО «Ромашка» on 2026-11-02")
    assert len(dossier.json("list", "touches")) == 1
    dossier("add", "touch", "Ромашка", "--kind", "call", "--person", "Анна", "--date", "2026-11-02")  # another person
    dossier("add", "touch", "Ромашка", "--kind", "call", "--person", "Иван", "--date", "2026-11-02", "--force")
    assert len(dossier.json("list", "touches")) == 3


def test_edit_sale_and_the_same_sale_twice(romashka):
    dossier = romashka
    dossier("add", "sale", "Ромашка", "1000", "--date", "2026-11-02")
    result = dossier("add", "sale", "Ромашка", "1000", "--date", "2026-11-02", expect=4)
    assert "sale #1 already records 1000.00 from ООО «Ромашка» on 2026-11-02" in result.stderr
    dossier("add", "sale", "Ромашка", "1000", "--date", "2026-11-02", "--ref", "счёт 7")  # a reference tells them apart
    dossier("add", "sale", "Ромашка", "1000", "--date", "2026-11-02", "--force")
    assert len(dossier.json("list", "sales")) == 3
    result = dossier("edit", "sale", "1", "--amount", "1 250,50", "--ref", "счёт 6")
    assert "amount: 1000.00 → 1250.50" in result.stderr
    sale = next(s for s in dossier.json("list", "sales") if s["id"] == 1)
    assert (sale["amount"], sale["reference"]) == ("1250.50", "счёт 6")
    result = dossier("edit", "sale", "1", "--ref", "счёт 7", expect=4)
    assert "already has a sale with reference 'счёт 7'" in result.stderr
    dossier("edit", "sale", "1", "--date", "2025-01-01", expect=4)  # before the company was listed


def test_edit_and_rm_gift(romashka):
    dossier = romashka
    dossier("add", "gift", "Ромашка", "--what", "ужин", "--value", "6000", "--person", "Иван", "--date", "2026-11-02")
    result = dossier("edit", "gift", "1", "--value", "6500", "--purpose", "знакомство", "--person", "Анна")
    assert result.stderr.startswith("Changed gift #1: ")
    gift = dossier.json("list", "gifts")[0]
    assert (gift["value"], gift["purpose"], gift["person"]) == ("6500.00", "знакомство", "Анна Смирнова")
    dossier("rm", "gift", "1", expect=2)  # not at a terminal: needs --yes
    assert dossier("rm", "gift", "1", "--yes").stderr == "Removed gift #1 (2026-11-02, ужин).\n"
    assert dossier.json("list", "gifts") == []
    assert "no gift #1" in dossier("rm", "gift", "1", "--yes", expect=3).stderr
    assert dossier.json("audit")[0]["action"] == "delete"


@pytest.mark.parametrize("kind", ["touch", "sale", "gift"])
def test_a_touch_sale_or_gift_is_named_by_its_number_the_same_way(dossier, kind):
    """A word is a bad value (2); a number no record can have, such as 0 or 11 digits, is not found (3)."""
    assert f"no {kind} #0" in dossier("rm", kind, "0", "--yes", expect=3).stderr
    assert f"no {kind} #12345678901" in dossier("rm", kind, "#12345678901", "--yes", expect=3).stderr
    assert f"bad {kind}" in dossier("rm", kind, "first", "--yes", expect=2).stderr
