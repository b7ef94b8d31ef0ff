"""Writing the flat export records as an .xlsx workbook (`export … --format xlsx`).

XlsxWriter (write-only, streaming in its constant-memory mode, ~0.1 s to import, loaded
only here) writes one sheet that Excel, LibreOffice and Google Sheets open as typed
columns: dates are dates (shown DD.MM.YYYY), amounts numbers with two decimals, ids and
years whole numbers, yes/no booleans; lists (tags, branches) are `; `-joined text. Text is
written as text, never as a formula. The header row is bold, frozen, and filterable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

DATE_COLUMNS = frozenset(("date", "listed_on", "liquidated_on", "next_on", "since", "until", "sold_on", "touched_on"))
DATETIME_COLUMNS = frozenset(("answered_at", "created_at", "updated_at", "at"))
AMOUNT_COLUMNS = frozenset(("amount", "total", "plan", "amount_minor"))
NUMBER_COLUMNS = frozenset(("id", "company_id", "person_id", "founded", "rating", "year"))
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
_WIDTHS = {"name": 36, "company": 36, "notes": 50, "note": 50, "email": 28, "phone": 18, "reference": 22}


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return float(Decimal(value.strip()))
        except (InvalidOperation, ValueError):
            return None
    return None


def write_xlsx(records: Iterable[dict[str, Any]], columns: Sequence[str], stream: BinaryIO, *, sheet: str = "dossier") -> int:
    """The records as one sheet written to a binary stream; the number of rows written."""
    import tempfile

    import xlsxwriter

    with tempfile.TemporaryDirectory(prefix="dossier-xlsx-") as scratch:  # mode 0700: rows are personal data
        book = xlsxwriter.Workbook(stream, {"constant_memory": True, "tmpdir": scratch, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
        out = book.add_worksheet(sheet[:31])
        bold = book.add_format({"bold": True})
        day = book.add_format({"num_format": "dd.mm.yyyy"})
        moment = book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
        money = book.add_format({"num_format": "#,##0.00"})
        for position, column in enumerate(columns):
            out.set_column(position, position, _WIDTHS.get(column, max(10, len(column) + 2)))
        out.write_row(0, 0, list(columns), bold)
        out.freeze_panes(1, 0)
        written = 0
        for written, record in enumerate(records, start=1):
            for position, column in enumerate(columns):
                value = record.get(column)
                if value is None or value == "" or value == []:
                    continue
                if column in DATE_COLUMNS or column in DATETIME_COLUMNS:
                    moment_value = _as_date(value)
                    if moment_value is not None:
                        fmt = moment if isinstance(moment_value, datetime) else day
                        if isinstance(moment_value, datetime) and moment_value.tzinfo is not None:
                            moment_value = moment_value.replace(tzinfo=None)
                        out.write_datetime(written, position, moment_value, fmt)
                        continue
                if column in AMOUNT_COLUMNS or column in NUMBER_COLUMNS:
                    number = _as_number(value)
                    if number is not None:
                        out.write_number(written, position, number, money if column in AMOUNT_COLUMNS else None)
                        continue
                if isinstance(value, bool):
                    out.write_boolean(written, position, value)
                    continue
                if isinstance(value, (int, float)):
                    out.write_number(written, position, value)
                    continue
                text = "; ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)
                out.write_string(written, position, text[:MAX_CELL_CHARS])
        if written:
            out.autofilter(0, 0, written, max(len(columns) - 1, 0))
        book.close()
    return written
