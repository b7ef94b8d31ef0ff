"""`dossier export`: records out for scripts and spreadsheets, and the whole database as one document."""

from __future__ import annotations

import csv
import io
import json
import stat


def seed(dossier, tmp_path):
    dossier("add", "company", "ООО «Ромашка»", "--city", "Хабаровск", "--branch", "Владивосток",
            "--activity", "production", "--note", "=HYPERLINK(\"http://evil\")")
    dossier("add", "company", "Amur Logistics", "--tax-number", "2721000018")
    (tmp_path / "people.csv").write_text("name,company,role,email\nИван Петров,Ромашка,user,ivan@example.ru\n", encoding="utf-8")
    dossier("import", "people", str(tmp_path / "people.csv"))
    (tmp_path / "sales.csv").write_text(
        "company,date,amount,reference\nромашка,02.11.2026,\"1 250,50\",СФ-1\nAmur Logistics,2026-11-03,\"75,5\",\n", encoding="utf-8"
    )
    dossier("import", "sales", str(tmp_path / "sales.csv"))
    dossier("import", "touches", "-", "--format", "jsonl",
            input='{"company": "ромашка", "person": "Иван Петров", "date": "2026-11-05", "kind": "call", "note": "+7 перезвонить"}\n')
    dossier("import", "dossier", "-", "--format", "json", input='[{"company": "Amur", "item": "competitors", "value": "Fesco"}]')


def test_csv_export_is_formula_safe_and_reimportable(dossier, tmp_path):
    seed(dossier, tmp_path)
    result = dossier("export", "companies", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["name"] for r in rows] == ["ООО «Ромашка»", "Amur Logistics"]
    assert rows[0]["notes"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["branches"] == "Владивосток"
    touches = list(csv.DictReader(io.StringIO(dossier("export", "touches").stdout)))
    assert touches[0]["note"] == "'+7 перезвонить"
    (tmp_path / "companies.csv").write_text(result.stdout, encoding="utf-8")
    again = dossier("import", "companies", str(tmp_path / "companies.csv"))
    assert "0 created" in again.stderr


def test_export_file_is_private_and_json_lines_parse(dossier, tmp_path):
    seed(dossier, tmp_path)
    target = tmp_path / "sales.jsonl"
    result = dossier("export", "sales", "--format", "jsonl", "--output", str(target))
    assert f"Exported 2 sales to {target}" in result.stderr
    assert result.stdout == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    sales = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [(s["company"], s["date"], s["amount"], s["reference"]) for s in sales] == [
        ("ООО «Ромашка»", "2026-11-02", "1250.50", "СФ-1"),
        ("Amur Logistics", "2026-11-03", "75.50", None),
    ]


def test_export_all_round_trip_into_an_empty_database(dossier, tmp_path, monkeypatch):
    seed(dossier, tmp_path)
    dossier("edit", "company", "amur", "--branch", "Благовещенск", "--note", "pays in 30 days")
    backup = tmp_path / "backup.json"
    dossier("export", "all", "--format", "json", "--output", str(backup))
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    first = backup.read_text(encoding="utf-8")
    document = json.loads(first)
    assert len(document["companies"]) == 2 and len(document["sales"]) == 2
    assert document["companies"][1]["branches"] == ["Благовещенск"]

    empty = tmp_path / "restored.db"
    result = dossier("--db", str(empty), "import", "all", str(backup))
    assert "Imported all from" in result.stderr
    second = json.loads(dossier("--db", str(empty), "export", "all", "--format", "json").stdout)
    restoring = second["audit_events"].pop()  # the restore's own entry follows the trail it restored
    assert (restoring["action"], restoring["entity"]) == ("import", "all")
    assert second == document
    assert dossier.json("--db", str(empty), "search", "fesco")[0]["company"] == "Amur Logistics"


def test_import_all_refuses_a_database_that_holds_data(dossier, tmp_path):
    seed(dossier, tmp_path)
    backup = tmp_path / "backup.json"
    dossier("export", "all", "--output", str(backup))
    result = dossier("import", "all", str(backup), expect=4)
    assert "`import all` restores into an empty database" in result.stderr
    assert len(dossier.json("export", "sales")) == 2


def test_export_all_is_json_only(dossier):
    result = dossier("export", "all", "--format", "csv", expect=2)
    assert "Error: `export all` writes one JSON document" in result.stderr
