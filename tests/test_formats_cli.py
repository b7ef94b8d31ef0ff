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
