"""Search finds word forms, keeps ё, shows names and labels, and finds phones (issue 18, item 9)."""

from __future__ import annotations

import pytest


@pytest.fixture
def zeya(dossier):
    dossier("add", "company", "Зейская Сталь", "--note", "крупные поставки металлопроката; ёмкости под заказ",
            "--phone", "8 (4212) 41-12-34")
    dossier("add", "person", "Иван Петров", "--company", "Зейская", "--phone", "+7 914 555 12 34")
    dossier("fill", "Зейская", "--set", "decision_maker=Иван Петров", "--set", "company_needs=выход на рынок Китая")
    dossier("add", "touch", "Зейская", "--kind", "call", "--note", "обсудили металлопрокат и сроки")
    return dossier


def _hits(dossier, *args: str) -> list[dict]:
    return dossier.json("search", *args)


def test_russian_word_forms_find_each_other(zeya):
    kinds = {(hit["kind"], hit["id"]) for hit in _hits(zeya, "металлопроката")}
    assert ("companies", 1) in kinds and ("touches", 1) in kinds  # «металлопрокат» in the touch note
    assert {hit["kind"] for hit in _hits(zeya, "поставкам")} == {"companies"}


def test_english_word_forms_find_each_other(dossier):
    dossier("add", "company", "Amur Logistics", "--note", "serves three shipping companies")
    assert [hit["title"] for hit in _hits(dossier, "company")] == ["Amur Logistics"]
    assert [hit["title"] for hit in _hits(dossier, "shipped")] == ["Amur Logistics"]


def test_snippets_keep_yo(zeya):
    [hit] = _hits(zeya, "емкости")
    assert "[ёмкост" in hit["snippet"]


def test_a_decision_maker_hit_shows_the_name_and_the_item_label(zeya):
    dossier_hits = [hit for hit in _hits(zeya, "Петров") if hit["kind"] == "dossier"]
    assert [hit["snippet"] for hit in dossier_hits] == ["Иван [Петров]"]
    assert dossier_hits[0]["title"] == "Who makes the purchase decision"
    strategy = [hit for hit in _hits(zeya, "Китая") if hit["kind"] == "dossier"]
    assert [hit["title"] for hit in strategy] == ["The client company's needs"]


@pytest.mark.parametrize("typed", ["4212411234", "8 (4212) 41-12-34", "+7 4212 41 12 34", "84212411234"])
def test_a_phone_in_any_format_finds_the_company(zeya, typed):
    assert [(hit["kind"], hit["title"]) for hit in _hits(zeya, typed)] == [("companies", "Зейская Сталь")]


def test_a_phone_finds_the_person(zeya):
    assert [(hit["kind"], hit["title"]) for hit in _hits(zeya, "89145551234")] == [("people", "Иван Петров")]
