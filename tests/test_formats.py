"""The readers and writers of transfer/formats: what each file kind turns into, cell by cell.

The files are in tests/files (the same as in examples/): a 1C-style sheet with title rows
as .xlsx, .xls and .ods, sales with typed cells, cp1251 and cp866 bank statements, an
Android vCard 2.1 in quoted-printable with soft line breaks, and a vCard 4.0.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest

from dossier_cli.errors import InvalidInput
from dossier_cli.transfer.reading import ROW_ERROR

FILES = Path(__file__).parent / "files"
KNOWN = ["наименование", "инн", "город", "контрагент", "дата", "сумма"]


def sheet_rows(path: Path, **options):
    from dossier_cli.transfer.formats.spreadsheet import SpreadsheetSource

    source = SpreadsheetSource(path, path.name, known=KNOWN, **options)
    return source, list(source.rows())


@pytest.mark.parametrize("suffix", ["xlsx", "xls", "ods"])
def test_1c_sheet_with_title_rows_finds_its_header_and_types(suffix):
    source, rows = sheet_rows(FILES / f"clients-1c.{suffix}")
    assert source.sheet == "Контрагенты"
    assert source.header_number == 5  # four title rows above it
    assert source.headers[:2] == ["Наименование", "ИНН"]  # the row counter "№" is left out
    assert [location for location, _row in rows] == ["Контрагенты!6", "Контрагенты!7", "Контрагенты!8"]
    first, second, third = (row for _location, row in rows)
    assert first["Наименование"] == "ООО «Ромашка»" and "№" not in first
    assert first["Дата добавления"] == "2024-03-01"  # a date cell
    assert second["ИНН"] == "7701000001"  # an INN stored as a number keeps no ".0"
    assert second["Дата добавления"] == "15.03.2024"  # a date stored as text stays text for the date parser
    assert "ИНН" not in third  # an empty cell is no value
    assert source.columns["Город"] == "E"


def test_typed_sales_on_a_named_sheet():
    source, rows = sheet_rows(FILES / "sales.xlsx", sheet="продажи")  # sheet names match in any case
    assert source.sheet == "Продажи"
    cells = [row for _location, row in rows]
    assert cells[0] == {"Контрагент": "ООО «Ромашка»", "Дата": "2026-11-02", "Сумма": "125000.5", "Номер": "сч-1841"}
    assert cells[1]["Сумма"] == "480000"
    assert cells[2]["Сумма"] == "98 500,00"  # an amount stored as text


def test_unknown_sheet_names_the_sheets_there():
    with pytest.raises(InvalidInput) as raised:
        sheet_rows(FILES / "sales.xlsx", sheet="Нет такого")
    assert "no sheet 'Нет такого'" in raised.value.message
    assert "Сводка, Продажи" in (raised.value.hint or "")


def test_header_row_given_by_number():
    source, rows = sheet_rows(FILES / "clients-1c.xlsx", header_row=5)
    assert source.headers[0] == "Наименование" and len(rows) == 3
    with pytest.raises(InvalidInput, match="row 4 of sheet 'Контрагенты' is empty"):
        sheet_rows(FILES / "clients-1c.xlsx", header_row=4)


def test_a_file_that_is_not_a_workbook_is_refused_by_name(tmp_path):
    fake = tmp_path / "clients.xlsx"
    fake.write_text("name,city\nA,B\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="clients.xlsx: not a readable Excel or OpenDocument workbook"):
        sheet_rows(fake)


def test_cell_text_of_floats_and_times():
    from dossier_cli.transfer.formats.spreadsheet import cell_text, column_letter

    assert cell_text(1234.5600000000002) == "1234.56"
    assert cell_text(1e20) == "100000000000000000000"
    assert cell_text(datetime.datetime(2024, 3, 1, 10, 30)) == "2024-03-01T10:30:00"
    assert cell_text(datetime.datetime(2024, 3, 1)) == "2024-03-01"
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


# ---------------------------------------------------------------- vCard
def vcard_rows(data: bytes):
    from dossier_cli.transfer.formats.vcard import VCardSource

    return list(VCardSource(data, "contacts.vcf").rows())


def test_android_quoted_printable_cards_with_soft_breaks():
    rows = vcard_rows((FILES / "android.vcf").read_bytes())
    assert [location for location, _row in rows] == ["line 1", "line 24"]
    olga, andrey = (row for _location, row in rows)
    assert olga["name"] == "Ольга Петровна Смирнова"
    assert olga["company"] == "ООО «Ромашка»"  # the department after ';' is not the company
    assert olga["phone"] == "+7 914 555-12-34; 8 (4212) 30-40-50"
    assert olga["email"] == "olga@romashka.example"
    assert olga["notes"] == ("Job title: Главный бухгалтер\nЛюбит, когда звонят до обеда.\n"
                             "День рождения 12 марта; предпочитает почту.")
    assert andrey == {"name": "Андрей Ким", "company": "ООО «Северный ветер»", "phone": "+79241234567"}


def test_vcard_4_with_tel_uris():
    rows = [row for _location, row in vcard_rows((FILES / "contacts-4.0.vcf").read_bytes())]
    assert rows[0]["phone"] == "+7-914-555-98-76"
    assert rows[0]["notes"] == "Job title: Логист\nОтвечает на письма вечером, звонки — только по делу."
    assert rows[1] == {"name": "Ivan Petrov", "company": "Amur Logistics", "email": "ivan@amur-logistics.example"}


def test_a_cp1251_vcard_3():
    text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Пётр Соколов\r\nORG:АО «Дальсталь»\r\nEND:VCARD\r\n"
    [(location, row)] = vcard_rows(text.encode("cp1251"))
    assert row == {"name": "Пётр Соколов", "company": "АО «Дальсталь»"}


def test_broken_cards_are_bad_rows_at_their_lines():
    text = ("BEGIN:VCARD\nVERSION:3.0\nFN:Good One\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:3.0\nFN:No colon here\nthis line is no property\nEND:VCARD\n"
            "BEGIN:VCARD\nVERSION:3.0\nFN:Never ended\n")
    rows = vcard_rows(text.encode())
    assert rows[0] == ("line 1", {"name": "Good One"})
    assert rows[1][0] == "line 8" and "no ':'" in rows[1][1][ROW_ERROR]
    assert rows[2][0] == "line 10" and "no END:VCARD" in rows[2][1][ROW_ERROR]


def test_a_file_without_cards_is_refused():
    with pytest.raises(InvalidInput, match="no vCard in it"):
        vcard_rows(b"name,phone\nA,1\n")


def test_written_vcards_read_back_the_same():
    from dossier_cli.transfer.formats.vcard import write_vcards

    people = [
        {"id": 1, "name": "Ольга Смирнова", "company": "ООО «Ромашка», филиал", "phone": "+79145551234",
         "email": "olga@romashka.example", "notes": "Job title: Главный бухгалтер\nЗвонить до обеда; по средам"},
        {"id": 1, "name": "Ольга Смирнова", "company": "Amur Logistics", "active": False},  # a second link
        {"id": 2, "name": "Ivan", "company": None, "phone": None, "email": None, "notes": None},
    ]
    out = io.StringIO()
    assert write_vcards(people, out) == 2
    text = out.getvalue()
    assert "VERSION:3.0" in text and "TITLE:Главный бухгалтер" in text
    rows = [row for _location, row in vcard_rows(text.encode())]
    assert rows[0] == {"name": "Ольга Смирнова", "company": "ООО «Ромашка», филиал", "phone": "+79145551234",
                       "email": "olga@romashka.example",
                       "notes": "Job title: Главный бухгалтер\nЗвонить до обеда; по средам"}
    assert rows[1] == {"name": "Ivan"}


# ---------------------------------------------------------------- bank statements
def statement_rows(path_or_bytes, our_inn="2504000003"):
    from dossier_cli.transfer.payments import PaymentSource

    source = PaymentSource(path_or_bytes, "statement.txt", our_inn=our_inn)
    survey = source.survey_file()
    return source, survey, list(source.rows())


@pytest.mark.parametrize("name", ["statement-cp1251.txt", "statement-cp866.txt"])
def test_statement_incoming_payments_become_sale_rows(name):
    source, survey, rows = statement_rows(FILES / name)
    assert source.encoding == ("cp1251" if "1251" in name else "cp866")
    assert (survey.incoming, survey.outgoing) == (2, 1)
    assert sorted(survey.payers) == ["2721000000", "7701000001"]
    assert survey.payers["7701000001"].name == 'ООО "Северный ветер"'
    assert rows[0] == ("line 20", {
        "tax_number": "2721000000", "date": "2026-11-03", "amount": "125000.50", "reference": "п/п № 512 от 02.11.2026",
        "note": "Оплата по счету № 1841 от 28.10.2026 за продукцию. В том числе НДС 20% - 20833.42 рублей.",
    })
    assert [location for location, _row in rows] == ["line 20", "line 46"]


def test_without_our_inn_the_statement_accounts_tell_the_side():
    _source, survey, rows = statement_rows(FILES / "statement-cp1251.txt", our_inn=None)
    assert (survey.incoming, survey.outgoing) == (2, 1) and len(rows) == 2


def test_bad_statement_values_point_at_their_lines():
    text = (FILES / "statement-cp1251.txt").read_bytes().decode("cp1251")
    text = text.replace("Сумма=125000.50", "Сумма=сто рублей").replace("Дата=03.11.2026", "Дата=31.02.2026")
    text = text.replace("Номер=1043\r\n", "Номер=1043\r\nбез знака равенства\r\n")
    _source, _survey, rows = statement_rows(text.encode("cp1251"))
    lines = {location: row.get(ROW_ERROR) for location, row in rows}
    assert "bad amount 'сто рублей'" in lines["line 23"]
    assert "31.02.2026" in lines["line 48"]
    # the outgoing payment is broken too, and said so: a broken section is never silently skipped
    assert "is not a Key=value line" in lines["line 74"]


def test_a_text_file_that_is_no_statement_is_refused():
    from dossier_cli.transfer.payments import PaymentSource

    with pytest.raises(InvalidInput, match="not a 1C bank statement"):
        PaymentSource(b"name;amount\n", "x.txt", our_inn="2504000003")


# ---------------------------------------------------------------- writing .xlsx
def test_xlsx_export_keeps_dates_and_amounts_typed(tmp_path):
    from python_calamine import CalamineWorkbook

    from dossier_cli.transfer.formats.workbook import write_xlsx

    records = [
        {"id": 7, "company": "ООО «Ромашка»", "date": "2026-11-02", "amount": "125000.50", "reference": "=1+1"},
        {"id": 8, "company": "Amur", "date": "2026-10-15", "amount": "75.05", "reference": None},
    ]
    path = tmp_path / "sales.xlsx"
    with path.open("wb") as stream:
        assert write_xlsx(iter(records), ["id", "company", "date", "amount", "reference"], stream, sheet="sales") == 2
    rows = list(CalamineWorkbook.from_path(str(path)).get_sheet_by_name("sales").iter_rows())
    assert rows[0] == ["id", "company", "date", "amount", "reference"]
    assert rows[1] == [7.0, "ООО «Ромашка»", datetime.date(2026, 11, 2), 125000.5, "=1+1"]  # text stays text
    assert rows[2][2:4] == [datetime.date(2026, 10, 15), 75.05]
