"""Companies: add, list, show, edit, rm, as a salesperson uses them."""

from __future__ import annotations

import csv
import io
import json

import pytest

ROMASHKA = ["add", "company", "ООО «Ромашка»", "--city", "Хабаровск", "--industry", "food production",
            "--activity", "production", "--source", "chamber of commerce", "--founded", "2009"]


def test_add_and_show_company_by_part_of_its_name(dossier):
    result = dossier(*ROMASHKA)
    assert "Added company #1 ООО «Ромашка»" in result.stderr
    shown = dossier.json("show", "company", "ромашка")
    assert shown["name"] == "ООО «Ромашка»"
    assert shown["city"] == "Хабаровск"
    assert shown["market"] == "food production"
    assert shown["activity"] == "production"
    assert shown["source"] == "chamber of commerce"
    assert shown["founded"] == 2009
    assert shown["legal_form"] == "ООО"
    assert shown["stage"] == "target"


def test_company_found_by_id_and_case_insensitive_cyrillic(dossier):
    dossier(*ROMASHKA)
    assert dossier.json("show", "company", "1")["name"] == "ООО «Ромашка»"
    assert dossier.json("show", "company", "РОМАШКА")["name"] == "ООО «Ромашка»"
    assert dossier.json("show", "company", "ооо «ромашка»")["name"] == "ООО «Ромашка»"


def test_branches_and_edit(dossier):
    dossier("add", "company", "Amur Logistics", "--city", "Khabarovsk", "--branch", "Vladivostok",
            "--branch", "Blagoveshchensk")
    dossier("edit", "company", "Amur Logistics", "--industry", "logistics", "--note", "pays on time, 30-day terms")
    shown = dossier.json("show", "company", "amur")
    assert shown["branches"] == ["Vladivostok", "Blagoveshchensk"]
    assert shown["market"] == "logistics"
    assert shown["notes"] == "pays on time, 30-day terms"
    dossier("edit", "company", "amur", "--rm-branch", "vladivostok", "--note", "")
    shown = dossier.json("show", "company", "amur")
    assert shown["branches"] == ["Blagoveshchensk"]
    assert shown["notes"] is None


def test_list_sorted_alphabetically_cyrillic_too(dossier):
    for name in ["Яблоко", "ООО «Ромашка»", "Ёлка", "Берёза", "Amur Logistics", "ель"]:
        dossier("add", "company", name)
    names = [c["name"] for c in dossier.json("list", "companies")]
    assert names == ["Amur Logistics", "Берёза", "Ёлка", "ель", "ООО «Ромашка»", "Яблоко"]


def test_list_filters_and_paging(dossier):
    dossier(*ROMASHKA)
    dossier("add", "company", "Amur Logistics", "--city", "Khabarovsk")
    dossier("add", "company", "Вектор", "--city", "ХАБАРОВСК", "--activity", "trade")
    in_city = dossier.json("list", "companies", "--city", "хабаровск")
    assert [c["name"] for c in in_city] == ["Вектор", "ООО «Ромашка»"]
    assert [c["name"] for c in dossier.json("list", "companies", "--activity", "trade")] == ["Вектор"]
    page = dossier.json("list", "companies", "--limit", "1", "--offset", "1")
    assert [c["name"] for c in page] == ["Вектор"]


def test_csv_output_parses_and_guards_formulas(dossier):
    dossier(*ROMASHKA)
    dossier("add", "company", "=HYPERLINK(\"x\")", "--note", "+7 not a formula")
    result = dossier("list", "companies", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_name = {row["name"]: row for row in rows}
    assert "ООО «Ромашка»" in by_name
    assert "'=HYPERLINK(\"x\")" in by_name
    assert by_name["'=HYPERLINK(\"x\")"]["notes"] == "'+7 not a formula"


def test_markup_in_names_prints_as_typed(dossier):
    dossier("add", "company", "Acme [bold]Corp")
    dossier("add", "company", "[/]")
    result = dossier("list", "companies")
    assert "Acme [bold]Corp" in result.stdout
    assert "[/]" in result.stdout
    assert "\x1b[" not in result.stdout


def test_escape_sequences_in_names_never_reach_the_terminal_in_messages(dossier):
    """A name carrying terminal control codes is quoted in messages without them."""
    result = dossier("show", "company", "\x1b[2J\x1b[31mEvil\rCorp\x07", expect=3)
    assert result.stderr.startswith("Error: no company matches '[2J[31mEvilCorp'")
    assert not any(code in result.stderr for code in ("\x1b", "\r", "\x07"))


def test_json_is_one_document_and_nothing_else(dossier):
    dossier(*ROMASHKA)
    result = dossier("list", "companies", "--format", "json")
    assert isinstance(json.loads(result.stdout), list)


def test_rm_needs_yes_when_not_at_a_terminal(dossier):
    dossier(*ROMASHKA)
    result = dossier("rm", "company", "ромашка", expect=2)
    assert "--yes" in result.stderr
    assert dossier.json("show", "company", "ромашка")["name"] == "ООО «Ромашка»"
    dossier("rm", "company", "ромашка", "--yes")
    result = dossier("show", "company", "ромашка", expect=3)
    assert result.stderr.startswith("Error: no company matches 'ромашка'")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "company", "nothing-like-it"], 3, "no company matches 'nothing-like-it'"),
        (["add", "company", "Ромашка ООО"], 4, "already exists: #1 ООО «Ромашка»"),
        (["add", "company", "New", "--source", "chamber of comerce"], 2, "unknown information source"),
        (["add", "company", "New", "--activity", "farming"], 2, "unknown activity 'farming'"),
        (["add", "company", "New", "--founded", "20o9"], 2, "bad founding year '20o9'"),
        (["add", "company", "New", "--founded", "3000"], 2, "bad founding year '3000'"),
        (["add", "company", "New", "--stage", "won"], 2, "unknown stage 'won'"),
        (["add", "company", "   "], 2, "the company name is empty"),
        (["list", "companies", "--status", "zombie"], 2, "unknown status 'zombie'"),
    ],
)
def test_bad_input_gets_one_line_error_and_changes_nothing(dossier, args, code, message):
    dossier(*ROMASHKA)
    before = dossier("list", "companies", "--status", "all", "--format", "json").stdout
    result = dossier(*args, expect=code)
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert dossier("list", "companies", "--status", "all", "--format", "json").stdout == before


def test_unknown_source_suggests_the_closest(dossier):
    result = dossier("add", "company", "New", "--source", "chamber of comerce", expect=2)
    assert "'chamber of commerce'" in result.stderr


def test_ambiguous_reference_lists_candidates(dossier):
    dossier("add", "company", "Amur Logistics")
    dossier("add", "company", "Amur Freight")
    result = dossier("show", "company", "amur", expect=5)
    assert "Amur Logistics" in result.stderr and "Amur Freight" in result.stderr


def test_allow_duplicate(dossier):
    dossier(*ROMASHKA)
    dossier("add", "company", "Ромашка", "--allow-duplicate")
    assert len(dossier.json("list", "companies")) == 2


def test_like_wildcards_are_literal(dossier):
    dossier("add", "company", "100% Cotton")
    dossier("add", "company", "Cotton_Mill")
    dossier("add", "company", "CottonXMill")
    assert dossier.json("show", "company", "100%")["name"] == "100% Cotton"
    assert dossier.json("show", "company", "n_m")["name"] == "Cotton_Mill"


def test_sql_characters_are_plain_text(dossier):
    dossier("add", "company", "O'Brien & Sons'; DROP TABLE company; --")
    assert dossier.json("show", "company", "o'brien")["name"] == "O'Brien & Sons'; DROP TABLE company; --"
