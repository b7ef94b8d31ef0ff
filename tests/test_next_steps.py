"""A touch closes only the next steps it answers (issue 18, item 3)."""

from __future__ import annotations

import pytest


@pytest.fixture
def vostok(dossier):
    dossier("add", "company", "Восток-Снабжение", "--listed-on", "2026-01-10")
    dossier("add", "person", "Воробьёва Анна", "--company", "Восток-Снабжение")
    dossier("add", "person", "Тимофеев Олег", "--company", "Восток-Снабжение")
    return dossier


def _open_steps(dossier) -> list[int]:
    return [step["touch_id"] for step in dossier.json("agenda", "--days", "3650")]


def test_a_touch_with_another_person_leaves_her_step_open(vostok):
    dossier = vostok
    dossier("add", "touch", "Восток-Снабжение", "--kind", "call", "--person", "Воробьёва", "--next", "2030-12-07")
    result = dossier("add", "touch", "Восток-Снабжение", "--kind", "call", "--person", "Тимофеев")
    assert "marked done" not in result.stderr
    assert _open_steps(dossier) == [1]


def test_a_touch_with_the_same_person_closes_her_step_and_says_so(vostok):
    dossier = vostok
    dossier("add", "touch", "Восток-Снабжение", "--kind", "call", "--person", "Воробьёва", "--next", "2030-12-07")
    result = dossier("add", "touch", "Восток-Снабжение", "--kind", "meeting", "--person", "Воробьёва")
    assert "It answers the open next step of touch #1: marked done." in result.stderr
    assert _open_steps(dossier) == []


def test_a_step_naming_no_one_is_answered_by_any_touch_with_the_company(vostok):
    dossier = vostok
    dossier("add", "touch", "Восток-Снабжение", "--kind", "call", "--person", "Воробьёва", "--next", "2030-12-08")
    dossier("add", "touch", "Восток-Снабжение", "--kind", "letter", "--next", "2030-12-07")
    result = dossier.json("add", "touch", "Восток-Снабжение", "--kind", "call", "--person", "Тимофеев")
    assert result["closed_next_steps"] == [2]
    assert _open_steps(dossier) == [1]


def test_a_touch_naming_no_one_leaves_a_persons_step_open(vostok):
    dossier = vostok
    dossier("add", "touch", "Восток-Снабжение", "--kind", "call", "--person", "Воробьёва", "--next", "2030-12-07")
    dossier("add", "touch", "Восток-Снабжение", "--kind", "email")
    assert _open_steps(dossier) == [1]


def test_a_back_dated_touch_counts_only_later_touches_with_its_person(vostok):
    dossier = vostok
    dossier("add", "touch", "Восток-Снабжение", "--kind", "call", "--person", "Тимофеев", "--date", "2026-11-20")
    # Воробьёва's step from the 1st: the later call was with Тимофеев, so it is still open.
    dossier("add", "touch", "Восток-Снабжение", "--kind", "call", "--person", "Воробьёва", "--date", "2026-11-01",
            "--next", "2026-11-10")
    assert _open_steps(dossier) == [2]
