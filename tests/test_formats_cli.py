"""Bringing Excel sheets, 1C bank statements and vCards in and out, as a user does it."""

from __future__ import annotations

import datetime
import os
import stat
from pathlib import Path

import pytest

FILES = Path(__file__).parent / "files"
EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture
def base(dossier):
    dossier("import", "companies", str(EXAMPLES / "companies.csv"))
    dossier("edit", "company", "ромашка", "--listed-on", "2026-01-01")  # its history starts before today
    dossier("add", "sale", "ромашка", "125000.50", "--date", "2026-11-02", "--ref", "сч-1841")
    dossier("add", "person", "Ольга Смирнова", "--company", "ромашка", "--phone", "+7 914 555 12 34",
            "--email", "olga@romashka.example")
    return dossier


# ---------------------------------------------------------------- export
def test_export_sales_as_xlsx_has_typed_dates_and_amounts(base, tmp_path):
    from python_calamine import CalamineWorkbook

    target = tmp_path / "sales.xlsx"
    result = base("export", "sales", "--format", "xlsx", "--output", str(target))
    assert "Exported 1 sales to" in result.stderr
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    rows = list(CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).iter_rows())
    header = rows[0]
    sale = dict(zip(header, rows[1]))
    assert sale["date"] == datetime.date(2026, 11, 2)
    assert sale["amount"] == 125000.5
    assert sale["company"] == "ООО «Ромашка»"


def test_export_csv_for_excel_has_bom_and_semicolons(base, tmp_path):
    target = tmp_path / "sales.csv"
    base("export", "sales", "--excel", "--output", str(target))
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id;company_id;company;")
    assert ";ООО «Ромашка»;" in lines[1]


def test_excel_flag_is_for_csv_only(base):
    result = base("export", "sales", "--excel", "--format", "xlsx", "--output", "x.xlsx", expect=2)
    assert result.stderr.startswith("Error: --excel shapes CSV for Excel")


def test_export_people_as_vcard_reads_back(base, tmp_path):
    target = tmp_path / "people.vcf"
    base("export", "people", "--format", "vcf", "--output", str(target))
    text = target.read_text(encoding="utf-8")
    assert text.count("BEGIN:VCARD") == 1
    assert "VERSION:3.0" in text and "FN:Ольга Смирнова" in text and "ORG:ООО «Ромашка»" in text
    assert "TEL;TYPE=VOICE:+79145551234" in text and "EMAIL;TYPE=INTERNET:olga@romashka.example" in text


def test_vcard_export_of_companies_is_refused(base):
    result = base("export", "companies", "--format", "vcf", expect=2)
    assert result.stderr.startswith("Error: vCard holds people")


# ---------------------------------------------------------------- Excel and OpenDocument in
def companies_of(dossier):
    return {c["name"]: c for c in dossier.json("list", "companies")}


@pytest.mark.parametrize("suffix", ["xlsx", "xls", "ods"])
def test_import_a_1c_sheet_with_title_rows(dossier, suffix):
    result = dossier("import", "companies", str(FILES / f"clients-1c.{suffix}"))
    assert "3 created, 0 updated, 0 unchanged, 0 refused" in result.stderr
    assert "columns not imported" not in result.stderr  # 1C's "№" row counter is no column to map
    shown = dossier.json("show", "company", "Северный ветер")
    assert shown["tax_number"] == "7701000001"  # stored as a number in the sheet
    assert shown["city"] == "Москва"
    assert shown["listed_on"] == "2024-03-15"  # a date written as text
    assert dossier.json("show", "company", "ромашка")["listed_on"] == "2024-03-01"  # a date cell


def test_import_sales_from_a_named_sheet_with_typed_cells(dossier):
    dossier("import", "companies", str(FILES / "clients-1c.xlsx"))
    result = dossier("import", "sales", str(FILES / "sales.xlsx"), "--sheet", "Продажи")
    assert "3 created" in result.stderr
    sales = {s["reference"]: s for s in dossier.json("list", "sales")}
    assert sales["сч-1841"]["amount"] == "125000.50"
    assert sales["сч-1841"]["sold_on"] == "2026-11-02"
    assert sales["сч-1702"]["amount"] == "98500.00"  # "98 500,00" stored as text


def _bad_sheet(path: Path) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Клиенты")
    sheet.write_row(0, 0, ["Отчёт по контрагентам"])
    sheet.write_row(2, 1, ["Наименование", "ИНН", "Город"])
    sheet.write_row(3, 1, ["ООО «Добрый»", "2721000000", "Хабаровск"])
    sheet.write_row(4, 1, ["ООО «Кривой»", "12345", "Москва"])  # an INN with 5 digits
    sheet.write_row(5, 1, ["ООО «Третий»", "", "Казань"])
    book.close()
    return path


def test_a_bad_cell_is_named_sheet_column_row_and_nothing_is_imported(dossier, tmp_path):
    bad = _bad_sheet(tmp_path / "clients.xlsx")
    result = dossier("import", "companies", str(bad), expect=2)
    assert "clients.xlsx: Клиенты!C5:" in result.stderr  # the INN column is C, the row is 5 as Excel shows it
    assert "Error: " in result.stderr and "nothing was imported" in result.stderr
    assert dossier.json("list", "companies") == []


def test_skip_errors_on_a_sheet_imports_the_good_rows(dossier, tmp_path):
    bad = _bad_sheet(tmp_path / "clients.xlsx")
    result = dossier("import", "companies", str(bad), "--skip-errors")
    assert "2 created, 0 updated, 0 unchanged, 1 refused" in result.stderr
    rejects = tmp_path / "clients.rejects.csv"
    text = rejects.read_bytes().decode("utf-8-sig")  # for Excel: BOM and semicolons
    assert text.splitlines()[0].startswith("line;column;problem;")
    assert "ООО «Кривой»" in text
    assert sorted(companies_of(dossier)) == ["ООО «Добрый»", "ООО «Третий»"]


def test_header_row_and_unknown_sheet(dossier, tmp_path):
    bad = _bad_sheet(tmp_path / "clients.xlsx")
    result = dossier("import", "companies", str(bad), "--header-row", "1", "--dry-run", expect=2)
    assert "Error:" in result.stderr  # row 1 is the title: no name column there
    result = dossier("import", "companies", str(bad), "--sheet", "Лист9", expect=2)
    assert result.stderr.startswith("Error: ") and "no sheet 'Лист9'" in result.stderr and "Клиенты" in result.stderr


# ---------------------------------------------------------------- 1C bank statements
def test_payments_from_unknown_payers_are_refused_and_listed(dossier):
    result = dossier("import", "payments", str(FILES / "statement-cp1251.txt"), "--our-inn", "2504000003", expect=2)
    assert "line 27: no company has the payer's tax number 2721000000" in result.stderr
    assert "line 53: no company has the payer's tax number 7701000001" in result.stderr
    assert "nothing was imported" in result.stderr
    assert dossier.json("list", "sales") == [] and dossier.json("list", "companies") == []


@pytest.mark.parametrize("name", ["statement-cp1251.txt", "statement-cp866.txt"])
def test_payments_become_sales_once(dossier, name):
    result = dossier("import", "payments", str(FILES / name), "--our-inn", "2504000003", "--create-missing")
    assert "2 created" in result.stderr and "outgoing payments skipped: 1" in result.stderr
    assert "companies added: 2" in result.stderr
    company = dossier.json("show", "company", "Северный ветер")
    assert company["tax_number"] == "7701000001" and company["name"] == 'ООО "Северный ветер"'
    sales = dossier.json("list", "sales")
    assert {(s["reference"], s["sold_on"]) for s in sales} == {("п/п № 512 от 02.11.2026", "2026-11-03"),
                                                            ("п/п № 77 от 03.11.2026", "2026-11-03")}
    again = dossier("import", "payments", str(FILES / name), "--our-inn", "2504000003")
    assert "0 created, 0 updated, 2 unchanged" in again.stderr
    assert len(dossier.json("list", "sales")) == 2


def test_our_inn_from_the_config_and_payers_found_by_tax_number(dossier, tmp_path, monkeypatch):
    config = tmp_path / "config.yaml"
    config.write_text("our_inn: '2504000003'\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_CONFIG", str(config))
    dossier("import", "companies", str(FILES / "clients-1c.xlsx"))
    result = dossier("import", "payments", str(FILES / "statement-cp866.txt"))
    assert "2 created" in result.stderr and "companies added" not in result.stderr
    assert {s["company"] for s in dossier.json("list", "sales")} == {"ООО «Ромашка»", "ООО «Северный ветер»"}


def test_a_broken_statement_names_its_lines_and_changes_nothing(dossier, tmp_path):
    text = (FILES / "statement-cp1251.txt").read_bytes().decode("cp1251")
    text = text.replace("Сумма=210000.00", "Сумма=двести тысяч")
    broken = tmp_path / "statement.txt"
    broken.write_bytes(text.encode("cp1251"))
    result = dossier("import", "payments", str(broken), "--our-inn", "2504000003", "--create-missing", expect=2)
    assert "statement.txt: line 49: bad amount 'двести тысяч'" in result.stderr
    assert dossier.json("list", "companies") == [] and dossier.json("list", "sales") == []


def test_a_file_that_is_no_statement(dossier):
    result = dossier("import", "payments", str(EXAMPLES / "companies.csv"), "--our-inn", "2504000003", expect=2)
    assert result.stderr.startswith("Error: ") and "not a 1C bank statement" in result.stderr


def test_a_wrong_our_inn_is_refused(dossier):
    result = dossier("import", "payments", str(FILES / "statement-cp1251.txt"), "--our-inn", "123", expect=2)
    assert result.stderr.startswith("Error: our tax number:")


# ---------------------------------------------------------------- vCard in
def test_android_contacts_with_create_missing(dossier):
    result = dossier("import", "people", str(FILES / "android.vcf"), "--create-missing")
    assert "2 created" in result.stderr and "companies added: 2" in result.stderr
    olga = dossier.json("show", "person", "Ольга")
    assert olga["name"] == "Ольга Петровна Смирнова"
    assert olga["phone"] == "+7 914 555-12-34"
    assert olga["email"] == "olga@romashka.example"
    assert "Job title: Главный бухгалтер" in olga["notes"] and "День рождения 12 марта" in olga["notes"]
    assert [c["company"] for c in olga["companies"]] == ["ООО «Ромашка»"]


def test_vcard_org_must_be_a_company_unless_create_missing(dossier):
    dossier("add", "company", "ООО «Ромашка»")
    result = dossier("import", "people", str(FILES / "android.vcf"), expect=2)
    assert "android.vcf: line 24, column 'company': no company matches 'ООО «Северный ветер»'" in result.stderr
    assert dossier.json("list", "people") == []


def test_vcard_4_and_a_broken_card(dossier, tmp_path):
    result = dossier("import", "people", str(FILES / "contacts-4.0.vcf"), "--create-missing")
    assert "2 created" in result.stderr
    assert dossier.json("show", "person", "Анна Петрова")["phone"] == "+7 914 555-98-76"
    broken = tmp_path / "broken.vcf"
    broken.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Пётр\nORG Без двоеточия\nEND:VCARD\n"
                      "BEGIN:VCARD\nVERSION:3.0\nFN:Павел\n", encoding="utf-8")
    result = dossier("import", "people", str(broken), expect=2)
    assert "broken.vcf: line 4: not a readable vCard" in result.stderr
    assert "broken.vcf: line 6: the card begun here has no END:VCARD" in result.stderr
    assert len(dossier.json("list", "people")) == 2


def test_vcard_round_trip_into_an_empty_database(base, tmp_path):
    target = tmp_path / "people.vcf"
    base("export", "people", "--format", "vcf", "--output", str(target))
    fresh = tmp_path / "fresh.db"
    result = base("--db", str(fresh), "import", "people", str(target), "--create-missing")
    assert "1 created" in result.stderr
    person = base.json("--db", str(fresh), "show", "person", "Ольга")
    assert person["phone"] == "+7 914 555-12-34" and person["email"] == "olga@romashka.example"


def test_a_statement_given_to_import_sales_points_at_import_payments(dossier):
    result = dossier("import", "sales", str(FILES / "statement-cp1251.txt"), expect=2)
    assert result.stderr.startswith("Error: ") and "is a 1C bank statement" in result.stderr
    assert "dossier import payments" in result.stderr


def test_dry_run_of_payments_with_create_missing_changes_nothing(dossier):
    result = dossier("import", "payments", str(FILES / "statement-cp1251.txt"), "--our-inn", "2504000003",
                     "--create-missing", "--dry-run")
    assert "Dry run, nothing changed: importing payments" in result.stderr and "companies added: 2" in result.stderr
    assert dossier.json("list", "companies") == [] and dossier.json("list", "sales") == []


def test_skip_errors_on_a_statement_writes_the_bad_payment_aside(dossier, tmp_path):
    text = (FILES / "statement-cp1251.txt").read_bytes().decode("cp1251").replace("ПлательщикИНН=7701000001\r\n", "")
    statement = tmp_path / "statement.txt"
    statement.write_bytes(text.encode("cp1251"))
    result = dossier("import", "payments", str(statement), "--our-inn", "2504000003", "--create-missing", "--skip-errors")
    assert "1 created, 0 updated, 0 unchanged, 1 refused" in result.stderr
    assert "line 46: the payer has no ИНН" in result.stderr
    rejects = (tmp_path / "statement.rejects.csv").read_bytes().decode("cp1251")  # in the statement's encoding
    assert rejects.splitlines()[0].startswith("line,column,problem,")
    assert [s["reference"] for s in dossier.json("list", "sales")] == ["п/п № 512 от 02.11.2026"]


def test_create_missing_is_for_vcards_and_statements(dossier, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("name,company\nПётр Ли,ООО «Нет такой»\n", encoding="utf-8")
    result = dossier("import", "people", str(people), "--create-missing", expect=2)
    assert result.stderr.startswith("Error: --create-missing works with vCard files and 1C bank statements")
    assert dossier.json("list", "companies") == []


def test_payments_counts_in_russian(dossier, monkeypatch):
    monkeypatch.setenv("DOSSIER_LANG", "ru")
    result = dossier("import", "payments", str(FILES / "statement-cp1251.txt"), "--our-inn", "2504000003", "--create-missing")
    assert "входящих платежей: 2" in result.stderr and "исходящих платежей пропущено: 1" in result.stderr, result.stderr
    assert "добавлено компаний: 2" in result.stderr, result.stderr
    for english in ("incoming", "outgoing", "skipped", "companies added"):
        assert english not in result.stderr, result.stderr
