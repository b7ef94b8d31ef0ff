"""The audit trail reads as a person expects (issue 18, item 12)."""

from __future__ import annotations

from pathlib import Path


def _changes(dossier, *args: str) -> str:
    return dossier("audit", *args).stdout


def test_an_imports_ignored_columns_are_not_shown_as_a_change(dossier, tmp_path: Path):
    source = tmp_path / "companies.csv"
    source.write_text("name,Цвет,Размер\nРомашка,синий,большой\n", encoding="utf-8")
    dossier("import", "companies", str(source))
    event = dossier.json("audit")[0]
    assert event["action"] == "import"
    table = " ".join(_changes(dossier).split())
    assert "ignored columns: Цвет, Размер" in table
    assert "Цвет → Размер" not in table


def test_merge_events_print_no_python_dict_text(dossier):
    dossier("add", "company", "Ромашка", "--city", "Хабаровск")
    dossier("add", "company", "Romashka LLC", "--allow-duplicate")
    dossier("merge", "company", "1", "2", "--yes")
    table = _changes(dossier, "--company", "1")
    assert "{" not in table and "'" not in table
    assert "merged:" in table and "Romashka LLC" in table


def test_fields_an_import_changed_show_in_the_companys_trail(dossier, tmp_path: Path):
    dossier("add", "company", "Ромашка", "--city", "Хабаровск")
    source = tmp_path / "companies.csv"
    source.write_text("name,city\nРомашка,Владивосток\n", encoding="utf-8")
    dossier("import", "companies", str(source))
    events = dossier.json("audit", "--company", "Ромашка")
    assert events[0]["action"] == "update"
    assert events[0]["changes"]["city"] == {"old": "Хабаровск", "new": "Владивосток"}
    assert "city: Хабаровск → Владивосток" in _changes(dossier, "--company", "Ромашка")
