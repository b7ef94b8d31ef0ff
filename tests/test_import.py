"""`dossier import`: the files salespeople actually have, in every format and encoding."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import stat

import pytest

CLIENTS_CSV = (
    "name,city,industry,activity,source,founded,ИНН\n"
    "ООО «Ромашка»,Хабаровск,food production,production,chamber of commerce,2009,2721000000\n"
    "Amur Logistics,Khabarovsk,logistics,services,referral,2014,\n"
)
SALES_CP1251 = (
    "Контрагент;Сумма;Дата;Номер\n"
    "ООО «Ромашка»;1 250 000,50;02.11.2026;СФ-1\n"
    "ромашка;\u00a0300,00;03.11.2026;\n"
    "Amur Logistics;75,5;2026-12-01;\n"
)


def names(dossier):
    return [c["name"] for c in dossier.json("list", "companies")]


def sales_of(db_path):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT company_id, sold_on, amount_minor, reference FROM sale ORDER BY id").fetchall()


@pytest.fixture
def clients(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(CLIENTS_CSV, encoding="utf-8-sig")  # with a BOM, as Excel writes it
    return path


@pytest.fixture
def sqlite_only():
    if os.environ.get("DOSSIER_TEST_PG_URL"):
        pytest.skip("reads the SQLite file directly")


def test_import_companies_from_utf8_csv_with_bom(dossier, clients):
    result = dossier("import", "companies", str(clients))
    assert "Imported companies from" in result.stderr
    assert "2 created, 0 updated, 0 unchanged, 0 refused" in result.stderr
    shown = dossier.json("show", "company", "ромашка")
    assert shown["city"] == "Хабаровск"
    assert shown["tax_number"] == "2721000000"
    assert shown["activity"] == "production"
    assert shown["founded"] == 2009
    assert shown["legal_form"] == "ООО"


def test_semicolon_cp1251_sales_with_decimal_commas_and_day_first_dates(dossier, clients, tmp_path, db_path, sqlite_only):
    dossier("import", "companies", str(clients))
    path = tmp_path / "sales-2026.csv"
    path.write_bytes(SALES_CP1251.encode("cp1251"))
    result = dossier("import", "sales", str(path))
    assert "3 created" in result.stderr
    assert sales_of(db_path) == [
        (1, "2026-11-02", 125000050, "СФ-1"),
        (1, "2026-11-03", 30000, None),
        (2, "2026-12-01", 7550, None),
    ]


def test_koi8r_tab_separated_people_and_forced_encoding(dossier, clients, tmp_path):
    dossier("import", "companies", str(clients))
    path = tmp_path / "contacts.txt"
    path.write_bytes("ФИО\tОрганизация\tРоль\tТелефон\nИван Петров\tРомашка\tfinancial buyer\t8 (914) 123-45-67\n".encode("koi8-r"))
    dossier("import", "people", str(path), "--encoding", "koi8-r")
    exported = dossier.json("export", "people")
    assert exported[0]["name"] == "Иван Петров"
    assert exported[0]["company"] == "ООО «Ромашка»"
    assert exported[0]["role"] == "economic-buyer"
    assert exported[0]["phone"] == "+79141234567"


def test_json_array_and_json_lines_from_stdin(dossier, clients):
    dossier("import", "companies", str(clients))
    dossier("import", "sales", "-", "--format", "json",
            input='[{"company": "Amur Logistics", "date": "2026-01-15", "amount": 1000}]')
    touches = (
        '{"company": "ромашка", "date": "05.11.2026", "kind": "звонок", "note": "Обсудили поставки"}\n'
        '{"company": "amur", "date": "2026-11-06", "kind": "meeting", "outcome": "positive"}\n'
    )
    result = dossier("import", "touches", "-", "--format", "jsonl", input=touches)
    assert "2 created" in result.stderr
    log = dossier.json("export", "touches")
    assert [(t["company"], t["kind"], t["date"]) for t in log] == [
        ("ООО «Ромашка»", "call", "2026-11-05"),
        ("Amur Logistics", "meeting", "2026-11-06"),
    ]
    assert dossier.json("export", "sales")[0]["amount"] == "1000.00"


def test_standard_input_needs_a_format(dossier):
    result = dossier("import", "companies", "-", input="name\nX\n", expect=2)
    assert "Error: reading standard input needs --format csv, json or jsonl" in result.stderr


def test_map_names_columns_the_importer_does_not_know(dossier, clients, tmp_path, db_path, sqlite_only):
    dossier("import", "companies", str(clients))
    path = tmp_path / "1c.csv"
    path.write_text("Получатель;Итого к оплате;Отгружено\nAmur Logistics;10;01.02.2026\n", encoding="utf-8")
    result = dossier("import", "sales", str(path), expect=2)
    assert "no column for company, date" in result.stderr
    dossier("import", "sales", str(path), "--map", "company=Получатель", "--map", "amount=Итого к оплате",
            "--map", "date=Отгружено")
    assert sales_of(db_path) == [(2, "2026-02-01", 1000, None)]
    bad = dossier("import", "sales", str(path), "--map", "colour=Получатель", expect=2)
    assert "sales have no field 'colour'" in bad.stderr


def test_dry_run_changes_nothing(dossier, clients):
    result = dossier("import", "companies", str(clients), "--dry-run")
    assert "Dry run, nothing changed" in result.stderr
    assert "2 created" in result.stderr
    assert names(dossier) == []


def test_a_bad_row_refuses_the_whole_file_with_a_line_numbered_report(dossier, tmp_path):
    path = tmp_path / "clients.csv"
    rows = ["name;activity;founded", "Ромашка;production;2009", "Вектор;juggling;2010", "Берёза;trade;около 2000"]
    rows += [f"Фирма {i};trade;1700-{i}" for i in range(25)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = dossier("import", "companies", str(path), expect=2)
    lines = result.stderr.splitlines()
    assert lines[0] == f"{path}: line 3, column 'activity': unknown activity 'juggling' (choose one of: extraction, production, trade, services)"
    assert lines[1] == f"{path}: line 4, column 'founded': bad founding year 'около 2000': expected a four-digit year such as 2009"
    assert len([line for line in lines if ": line " in line]) == 20
    assert "… and 7 more bad rows" in result.stderr
    assert "Error: " in lines[-1] and "27 bad rows; nothing was imported" in lines[-1]
    assert names(dossier) == []


def test_skip_errors_imports_the_good_rows_and_writes_a_private_reject_file(dossier, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("name,activity\nРомашка,production\nВектор,juggling\n", encoding="utf-8")
    result = dossier("import", "companies", str(path), "--skip-errors")
    rejects = tmp_path / "clients.rejects.csv"
    assert f"Bad rows written to {rejects}" in result.stderr
    assert "1 created, 0 updated, 0 unchanged, 1 refused" in result.stderr
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    assert rejects.read_text(encoding="utf-8").splitlines() == [
        "line,column,problem,name,activity",
        "3,activity,\"unknown activity 'juggling' (choose one of: extraction, production, trade, services)\",Вектор,juggling",
    ]
    assert names(dossier) == ["Ромашка"]


def test_importing_twice_creates_no_duplicates(dossier, clients, tmp_path, db_path, sqlite_only):
    dossier("import", "companies", str(clients))
    again = dossier("import", "companies", str(clients))
    assert "0 created, 0 updated, 2 unchanged" in again.stderr
    # the same firm spelt differently, found by its tax number and by its normalised name
    other = tmp_path / "other.csv"
    other.write_text("name,ИНН,city\nРомашка,2721000000,Владивосток\n\"AMUR LOGISTICS LLC\",,Khabarovsk\n", encoding="utf-8")
    result = dossier("import", "companies", str(other))
    assert "0 created, 1 updated, 1 unchanged" in result.stderr
    assert names(dossier) == ["Amur Logistics", "ООО «Ромашка»"]
    assert dossier.json("show", "company", "ромашка")["city"] == "Владивосток"
    sales = tmp_path / "sales.csv"
    sales.write_bytes(SALES_CP1251.encode("cp1251"))
    dossier("import", "sales", str(sales))
    twice = dossier("import", "sales", str(sales))
    assert "0 created, 0 updated, 3 unchanged" in twice.stderr
    assert len(sales_of(db_path)) == 3


def test_sales_duplicates_in_the_file_and_in_the_database_are_counted_on_every_backend(dossier, clients, tmp_path):
    dossier("import", "companies", str(clients))
    path = tmp_path / "sales.csv"
    path.write_text(
        "company,date,amount,reference\n"
        "ООО «Ромашка»,2026-11-02,1250000.50,СФ-1\n"
        "ромашка,2026-11-03,300,СФ-1\n"  # the same reference again: the same sale
        "Amur Logistics,2026-12-01,75.5,\n"
        "Amur Logistics,2026-12-01,75.50,\n"  # the same day and amount, no reference: the same sale
        "Amur Logistics, 2026-12-01 , 75.51 ,\n",
        encoding="utf-8",
    )
    first = dossier("import", "sales", str(path))
    assert "3 created, 0 updated, 2 unchanged, 0 refused" in first.stderr
    again = dossier("import", "sales", str(path))
    assert "0 created, 0 updated, 5 unchanged, 0 refused" in again.stderr
    rows = list(csv.DictReader(io.StringIO(dossier("export", "sales").stdout)))
    assert [(r["company"], r["date"], r["amount"], r["reference"]) for r in rows] == [
        ("ООО «Ромашка»", "2026-11-02", "1250000.50", "СФ-1"),
        ("Amur Logistics", "2026-12-01", "75.50", ""),
        ("Amur Logistics", "2026-12-01", "75.51", ""),
    ]


def test_undecodable_file_is_one_clear_error(dossier, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes("name\nРомашка\n".encode("cp1251"))
    result = dossier("import", "companies", str(path), "--encoding", "utf-8", expect=2)
    assert result.stderr.count("\n") == 1
    assert f"Error: {path}: cannot be read as utf-8" in result.stderr
    assert "--encoding cp1251" in result.stderr


def test_one_audit_event_per_import(dossier, clients, db_path, sqlite_only):
    dossier("import", "companies", str(clients))
    with sqlite3.connect(db_path) as conn:
        events = conn.execute("SELECT action, entity, changes_json FROM audit_event").fetchall()
    assert len(events) == 1
    assert events[0][:2] == ("import", "companies")
    assert '"created": 2' in events[0][2]


def test_unknown_company_in_sales_names_the_row(dossier, clients, tmp_path):
    dossier("import", "companies", str(clients))
    path = tmp_path / "sales.csv"
    path.write_text("company,date,amount\nНет такой,2026-01-01,5\n", encoding="utf-8")
    result = dossier("import", "sales", str(path), expect=2)
    assert f"{path}: line 2, column 'company': no company matches 'Нет такой'" in result.stderr


def test_imported_people_are_found_by_phone_and_email_in_any_format(dossier, tmp_path):
    dossier("add", "company", "ООО «Ромашка»")
    people = tmp_path / "people.csv"
    people.write_text("ФИО;Компания;Телефон;Почта\nИван Петров;ромашка;8 (914) 123-45-67;Ivan.Petrov@Romashka.RU\n",
                      encoding="utf-8")
    dossier("import", "people", str(people))
    for ref in ("+7 914 123 45 67", "89141234567", "ivan.petrov@romashka.ru"):
        assert dossier.json("show", "person", ref)["name"] == "Иван Петров"
    dossier("import", "people", str(people))  # again: nothing new, no error
    assert len(dossier.json("list", "people")) == 1


def test_imported_bad_phone_is_a_bad_row(dossier, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("name,phone\nИван Петров,not a phone\n", encoding="utf-8")
    result = dossier("import", "people", str(people), expect=2)
    assert "line 2" in result.stderr and "not a phone number" in result.stderr
    assert dossier.json("list", "people") == []


def test_the_summary_names_what_was_imported_in_russian(dossier, tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    (tmp_path / "clients.csv").write_text("name\nООО «Ромашка»\n", encoding="utf-8")
    line = dossier("import", "companies", str(tmp_path / "clients.csv")).stderr
    assert "(компании)" in line and "companies" not in line


def test_a_touches_file_with_the_column_names_list_touches_shows_in_russian(dossier, tmp_path):
    dossier("add", "company", "ООО «Ромашка»", "--listed-on", "2026-01-15")
    (tmp_path / "touches.csv").write_text("компания,дата,вид,заметка\nРомашка,01.02.2026,звонок,обсудили цены\n",
                                          encoding="utf-8")
    result = dossier("import", "touches", str(tmp_path / "touches.csv"))
    assert "not imported" not in result.stderr
    assert [t["note"] for t in dossier.json("list", "touches")] == ["обсудили цены"]
