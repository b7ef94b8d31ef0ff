"""Reading an input file as a stream of rows (the "row source" every import reads).

The contract, shared by the CSV/JSON/JSON-lines readers here and the readers of
`transfer/formats/` (xlsx/xls/ods, 1C bank statements, vCard):

A **row source** is an iterator of ``(location, row)`` pairs::

    Iterator[tuple[str, dict[str, str]]]

- ``location`` is a human label of where the row is, used verbatim in messages:
  ``"line 14"`` for text files (the line where the row *starts*), ``"record 3"`` for an
  element of a JSON array, ``"Sheet1!14"`` for a spreadsheet row. When a problem is in one
  cell, the message names the cell with :func:`cell_label` (``"line 14, column 'city'"``,
  ``"Sheet1!C14"``), so a reader that knows its cells' letters registers them (below).
- ``row`` maps the file's column names (as written in its header, stripped) to the cell's
  text. Values are ``str``: a reader turns typed cells into text the value parsers accept
  (a date cell becomes ``"2024-03-01"``, a number ``"1234.5"``, never ``"1.2345e3"``; a
  datetime ``"2024-03-01T10:30:00"``; an empty cell ``""`` or no key). Several values in one
  cell stay one string (``"+7 495 1; +7 495 2"``); the mapping layer splits them.
- A row the reader cannot make sense of (too many cells, an unterminated quote, a cell over
  the size limit, a vCard it cannot parse) is **not** raised: it is yielded as
  ``{ROW_ERROR: "what is wrong"}`` at its location, so the import reports it with the others
  and ``--skip-errors`` can reject it. Only a file that cannot be read at all (unknown
  encoding, not a spreadsheet, no header found) raises ``InvalidInput`` naming the file.
- Blank rows are skipped by the reader.

A reader is a class or function in its own module that builds a :class:`RowSource`::

    class RowSource:
        name: str               # the file as the user named it ("-" for stdin)
        headers: list[str]      # column names in file order
        def rows(self) -> Iterator[tuple[str, dict[str, str]]]: ...
        # optional:
        encoding: str | None    # text files: the encoding read (the rejects file uses it)
        delimiter: str | None   # CSV: the delimiter (the rejects file uses it)
        columns: dict[str, str] # column name -> spreadsheet letter ("city" -> "C"), for cell_label

Spreadsheets with title rows above the header (1C exports) find the header with
:func:`find_header_row` (the first row where at least two cells are known column names,
within the first 30 rows), or the caller's ``--header-row N`` (1-based).
"""

from __future__ import annotations



from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

ROW_ERROR = "\0error"  # the key of a row the reader could not read; its value says why
HEADER_SEARCH_ROWS = 30

Row = dict[str, str]
Rows = Iterator[tuple[str, Row]]


class RowSource(Protocol):
    name: str
    headers: list[str]

    def rows(self) -> Rows: ...


def cell_label(source: object, location: str, column: str | None) -> str:
    """Where one cell is: ``Sheet1!C14`` when the source knows its column letters, else ``line 14, column 'x'``."""
    if column is None:
        return location
    letters = getattr(source, "columns", None) or {}
    letter = letters.get(column)
    if letter and "!" in location:
        sheet, _, row = location.rpartition("!")
        return f"{sheet}!{letter}{row}"
    return f"{location}, column '{column}'"


def find_header_row(rows: Iterable[Sequence[object]], known: Iterable[str], *, minimum: int = 2) -> int | None:
    """The 0-based index of the first row (among the first 30) naming at least `minimum` known columns."""
    from dossier_cli.text import fold

    names = {" ".join(fold(str(k)).split()) for k in known}
    for index, cells in enumerate(rows):
        if index >= HEADER_SEARCH_ROWS:
            break
        hits = sum(1 for c in cells if c is not None and " ".join(fold(str(c)).split()) in names)
        if hits >= minimum:
            return index
    return None
