"""`dossier search`: words anywhere in names, notes, the contact log and dossier answers."""

from __future__ import annotations

import pytest


@pytest.fixture
def data(dossier):
    dossier("add", "company", "ООО «РОМАШКА»", "--city", "Хабаровск", "--note", "Берёт C++ разработку, директор O'Brien")
    dossier("add", "company", "Amur Logistics", "--source", "chamber of commerce")
    dossier("import", "touches", "-", "--format", "jsonl",
            input='{"company": "Amur", "date": "2026-11-05", "kind": "call", "note": "Ромашка советовала нас"}\n')
    dossier("import", "dossier", "-", "--format", "json",
            input='[{"company": "ромашка", "item": "reputation", "value": "Таёжный лес и NOT-a-company"}]')


def test_cyrillic_is_found_whatever_the_case(dossier, data):
    for query in ("ромашка", "РОМАШКА", "Ромашка", "ромаш"):
        found = dossier.json("search", query)
        assert [(r["kind"], r["company"]) for r in found] == [
            ("companies", "ООО «РОМАШКА»"),
            ("touches", "Amur Logistics"),
        ], query
    assert dossier.json("search", "таежный")[0]["kind"] == "dossier"  # ё and е alike


def test_table_shows_the_snippet(dossier, data):
    result = dossier("search", "chamber of commerce")
    assert "Amur Logistics" in result.stdout
    assert "[chamber] [of] [commerce]" in result.stdout


@pytest.mark.parametrize("query", ['"', "*", "-", "NOT", "C++", "O'Brien", "(", ":", 'ромашка"', "a AND (b OR", "^x", "NEAR(a b)"])
def test_search_syntax_characters_are_text_never_an_error(dossier, data, query):
    dossier("search", query)
    dossier.json("search", query)


def test_special_words_find_what_they_say(dossier, data):
    assert [r["title"] for r in dossier.json("search", "O'Brien")] == ["ООО «РОМАШКА»"]
    assert [r["kind"] for r in dossier.json("search", "NOT-a-company")] == ["dossier"]


def test_kind_and_limit(dossier, data):
    assert [r["kind"] for r in dossier.json("search", "ромашка", "--kind", "touches")] == ["touches"]
    assert len(dossier.json("search", "ромашка", "--limit", "1")) == 1
    result = dossier("search", "ромашка", "--kind", "gifts", expect=2)
    assert "unknown kind 'gifts'" in result.stderr


def test_index_follows_edits_and_removals(dossier, data):
    dossier("edit", "company", "amur", "--note", "Платит вовремя")
    assert [r["title"] for r in dossier.json("search", "вовремя")] == ["Amur Logistics"]
    dossier("rm", "company", "amur", "--yes")
    assert dossier.json("search", "вовремя") == []
    assert [r["kind"] for r in dossier.json("search", "ромашка")] == ["companies"]


def test_nothing_matches_says_so(dossier, data):
    result = dossier("search", "zzzz")
    assert result.stdout == ""
    assert "nothing matches" in result.stderr


def test_index_check_finds_the_index_in_step(dossier, data):
    from dossier_cli import search
    from dossier_cli.config import load_settings
    from dossier_cli.store import session_scope

    database = load_settings().database
    with session_scope(database) as session:
        assert search.check_index(session) == []


def test_index_stays_in_step_through_changes_that_touch_other_columns(dossier, data):
    """Only a change to a column the entry is made of re-indexes a row; every other change
    (a stage move, a next step closed, an outcome) leaves the entry right."""
    from dossier_cli import search
    from dossier_cli.config import load_settings
    from dossier_cli.store import session_scope

    from datetime import date, timedelta

    soon = (date.today() + timedelta(days=7)).isoformat()
    dossier("add", "touch", "amur", "--kind", "call", "--note", "обсудили тариф", "--next", soon, "--next-action", "прислать КП")
    closed = dossier("add", "touch", "amur", "--kind", "meeting", "--force")  # answers (closes) the step
    assert "marked done" in closed.stderr
    dossier("promote", "amur", "--force")
    dossier("edit", "company", "ромашка", "--city", "Владивосток")
    assert [r["title"] for r in dossier.json("search", "Владивосток")] == ["ООО «РОМАШКА»"]
    assert [r["kind"] for r in dossier.json("search", "тариф")] == ["touches"]
    assert [r["kind"] for r in dossier.json("search", "прислать")] == ["touches"]
    with session_scope(load_settings().database) as session:
        assert search.check_index(session) == []


def test_a_touch_found_is_titled_by_its_kind_in_the_display_language(dossier, data, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    table = dossier("search", "советовала").stdout
    assert "звонок" in table and "call" not in table
    assert dossier.json("search", "советовала")[0]["title"] == "call"  # scripts keep the stored kind
