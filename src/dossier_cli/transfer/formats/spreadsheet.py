"""Reading Excel (.xlsx, .xlsm, .xlsb, .xls) and OpenDocument (.ods) sheets as rows.

python-calamine reads all of them (a Rust reader: a few milliseconds to import, fast on
100,000 rows); it loads only when a spreadsheet is imported. The first sheet is read,
or the one named by `--sheet`. 1C and many accounting programs write title rows
("Список контрагентов", a date, the firm) above the header: the header is the first row
that names known columns, or the row given by `--header-row N` (as Excel numbers it).

Typed cells become the text the value parsers read: a date cell `2024-03-01`, a
date-and-time `2024-03-01T10:30:00`, a number `1234.5` (never `1.2345e3`; a whole number
without `.0`, so an INN stored as a number stays `2721000000`). Numbers and dates stored
as text ("1 234,50", "01.03.2024") stay text and are parsed like CSV cells. Rows are
located as `Sheet!14`, and a bad cell as `Sheet!C14`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _
from dossier_cli.transfer.reading import ROW_ERROR, find_header_row

MAX_CELL_CHARS = 1_000_000  # what one cell may hold before its row is refused
_ROW_NUMBER_TITLES = frozenset(("№", "№ п/п", "№п/п", "n", "n п/п", "#", "no."))


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_text(value: Any) -> str:
    """A cell as the text a value parser reads ("" for an empty cell)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        # Excel keeps 15 significant digits; `1234.5600000000002` is 1234.56 to anyone who sees the sheet
        text = format(value, ".15g")
        return format(Decimal(text), "f") if "e" in text else text
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


class SpreadsheetSource:
    """A row source over one sheet of a workbook (see `transfer.reading`)."""

    encoding: str | None = None
    delimiter: str | None = None

    def __init__(self, path: str | Path | BinaryIO, name: str, *, sheet: str | None = None,
                 header_row: int | None = None, known: Iterable[str] = ()) -> None:
        self.name = name
        workbook = _open(path, name)
        try:
            sheet_names = list(workbook.sheet_names)
        except Exception:  # noqa: BLE001 - whatever calamine raises on a broken workbook
            sheet_names = []
        if not sheet_names:
            raise InvalidInput(_("{file}: the workbook has no sheets").format(file=name))
        if sheet is None:
            chosen = sheet_names[0]
        else:
            chosen = next((s for s in sheet_names if s == sheet), None) or next(
                (s for s in sheet_names if s.casefold() == sheet.strip().casefold()), None)
            if chosen is None:
                raise InvalidInput(
                    _("{file}: no sheet '{sheet}'").format(file=name, sheet=sheet),
                    hint=_("its sheets: {names}").format(names=", ".join(sheet_names)),
                )
        self.sheet = chosen
        try:
            data = workbook.get_sheet_by_name(chosen)
            rows: Iterator[list[Any]] = iter(data.iter_rows())
            start = data.start
        except Exception as exc:  # noqa: BLE001
            raise InvalidInput(_("{file}: cannot read sheet '{sheet}': {why}").format(
                file=name, sheet=chosen, why=_reason(exc))) from None
        self._col0 = start[1] if start else 0  # calamine leaves out the empty columns on the left
        # …but pads the rows above the first used one: rows count from the sheet's first row
        self._row0 = 0
        self._rows = rows
        self._buffer: list[list[Any]] = []
        if header_row is not None:
            if header_row < 1:
                raise InvalidInput(_("bad --header-row {n}: rows are numbered from 1").format(n=header_row))
            index = header_row - 1 - self._row0
            self._fill(index + 1)
            if index < 0 or index >= len(self._buffer) or not any(cell_text(c).strip() for c in self._buffer[index]):
                raise InvalidInput(_("{file}: row {n} of sheet '{sheet}' is empty; it cannot be the header").format(
                    file=name, n=header_row, sheet=chosen))
        else:
            from dossier_cli.transfer.reading import HEADER_SEARCH_ROWS

            self._fill(HEADER_SEARCH_ROWS)
            from dossier_cli.transfer.mapping import norm_header

            found = find_header_row(([norm_header(cell_text(c)) for c in row] for row in self._buffer), known)
            if found is None:  # no known names: the first row that is not blank, as in a CSV file
                found = next((i for i, row in enumerate(self._buffer) if any(cell_text(c).strip() for c in row)), None)
            if found is None:
                raise InvalidInput(_("{file}: sheet '{sheet}' is empty").format(file=name, sheet=chosen))
            index = found
        self.header_number = index + 1 + self._row0  # as Excel shows it
        self._first = index + 1
        header = self._buffer[index]
        self.headers: list[str] = []
        self.columns: dict[str, str] = {}
        self._positions: list[tuple[int, str]] = []
        seen: set[str] = set()
        for position, value in enumerate(header):
            letter = column_letter(position + self._col0)
            title = " ".join(cell_text(value).split())
            if title.casefold() in _ROW_NUMBER_TITLES:
                continue  # 1C's row counter ("№", "№ п/п") is no data
            if not title:
                title = letter  # a column without a title is named by its letter
            if title in seen:
                title = f"{title} ({letter})"
            seen.add(title)
            self.headers.append(title)
            self.columns[title] = letter
            self._positions.append((position, title))

    def _fill(self, count: int) -> None:
        while len(self._buffer) < count:
            try:
                self._buffer.append(next(self._rows))
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001
                raise InvalidInput(_("{file}: cannot read the sheet: {why}").format(file=self.name, why=_reason(exc))) from None

    def rows(self) -> Iterator[tuple[str, dict[str, str]]]:
        """(`Sheet!14`, {column title: cell text}) for every row under the header that is not blank."""
        number = self._first + self._row0
        sheet = self.sheet
        positions = self._positions
        for row in _chain(self._buffer[self._first:], self._rows):
            number += 1
            location = f"{sheet}!{number}"
            record: dict[str, str] = {}
            for position, title in positions:
                if position >= len(row):
                    break
                value = row[position]
                if value == "" or value is None:
                    continue
                text = value if type(value) is str else cell_text(value)
                if len(text) > MAX_CELL_CHARS:
                    record = {ROW_ERROR: _("cell {cell} holds {n} characters (at most {limit})").format(
                        cell=f"{sheet}!{self.columns[title]}{number}", n=len(text), limit=MAX_CELL_CHARS)}
                    break
                if text.strip():
                    record[title] = text
            if record:
                yield location, record
        self._buffer = []


def _chain(first: list[list[Any]], rest: Iterator[list[Any]]) -> Iterator[list[Any]]:
    yield from first
    yield from rest


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] or type(exc).__name__


def _open(path: str | Path | BinaryIO, name: str) -> Any:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - a broken install
        raise InvalidInput(_("reading spreadsheets needs python-calamine"),
                           hint=_("reinstall dossier-cli, or save the sheet as CSV")) from None
    try:
        if isinstance(path, (str, Path)):
            return CalamineWorkbook.from_path(str(path))
        return CalamineWorkbook.from_filelike(io.BytesIO(path.read()))
    except Exception as exc:  # noqa: BLE001 - calamine's errors are many and all mean "unreadable"
        message = _reason(exc)
        if "password" in message.casefold() or "encrypt" in message.casefold():
            raise InvalidInput(_("{file}: the workbook is password-protected").format(file=name),
                               hint=_("save it without a password, or as CSV")) from None
        raise InvalidInput(_("{file}: not a readable Excel or OpenDocument workbook ({why})").format(
            file=name, why=message), hint=_("save it as .xlsx or CSV")) from None
