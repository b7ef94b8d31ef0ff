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


import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _


FORMATS: tuple[str, ...] = ("csv", "json", "jsonl")  # the text formats read here (formats/ reads the rest)
ROW_ERROR = "\0error"  # the key of a row the reader could not read; its value says why
HEADER_SEARCH_ROWS = 30
_SAMPLE_BYTES = 256 * 1024

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


# ---------------------------------------------------------------- reading
class _Counting(io.RawIOBase):
    """A byte stream that first replays what was read to sniff it, and counts bytes for progress."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if len(self._head):
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
        else:
            data = self._rest.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        self.position += n
        return n


def guess_format(name: str, fmt: str | None) -> str:
    if fmt:
        folded = fmt.lower()
        if folded not in FORMATS:
            raise InvalidInput(_("unknown format '{fmt}'").format(fmt=fmt), hint=_("choose csv, json or jsonl"))
        return folded
    if name == "-":
        raise InvalidInput(_("reading standard input needs --format csv, json or jsonl"))
    suffix = Path(name).suffix.lower()
    guessed = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix)
    if guessed is None:
        raise InvalidInput(_("cannot tell the format of '{name}' from its name").format(name=name), hint=_("add --format csv, json or jsonl"))
    return guessed


def detect_encoding(sample: bytes, name: str) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        import codecs

        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise InvalidInput(_("{name}: cannot tell its text encoding").format(name=name), hint=_("give it with --encoding, for example --encoding cp1251"))
    return best.encoding


class _Lines:
    """A text's lines for csv.reader (`feed`), the lines of the row being read (`taken`), and
    lines that can be given back to be read again.

    A generator, not an iterator class: csv.reader calls it once a line, a million times for
    a big file, and resuming a generator costs less than a method call.
    """

    def __init__(self, text: Any) -> None:
        self._text = text
        self._back: list[str] = []  # lines to read again, the next one last
        self.taken: list[str] = []  # the lines of the row being read
        self.ended = False
        self.feed = self._lines()

    def _lines(self) -> Iterator[str]:
        taken, back = self.taken, self._back
        for line in self._text:
            while back:  # lines given back come before the one just read
                again = back.pop()
                taken.append(again)
                yield again
            taken.append(line)
            yield line
        while back:
            again = back.pop()
            taken.append(again)
            yield again
        self.ended = True

    def give_back(self, lines: list[str]) -> bool:
        """Read these lines again; True when the feed had ended, so a new reader must read them from `feed`."""
        self._back.extend(reversed(lines))
        if self.ended:
            self.ended = False
            self.feed = self._lines()
            return True
        return False


def _open_at_the_end(taken: list[str], delimiter: str) -> bool:
    """Whether a row's lines end inside a quoted cell (the lenient reader takes it as a cell)."""
    try:
        list(csv.reader(taken, delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


class Reader:
    """Records of one file as (line or record number, {column: value}), streamed."""

    def __init__(self, stream: BinaryIO, name: str, *, fmt: str | None, encoding: str | None, total: int | None,
                 whole_document: bool = False) -> None:
        self.name = name
        self.format = guess_format(name, fmt)
        self.total = total
        head = stream.read(_SAMPLE_BYTES)
        self.encoding = self._check_encoding(encoding) if encoding else detect_encoding(head, name)
        self._raw = _Counting(head, stream)
        self._text = io.TextIOWrapper(io.BufferedReader(self._raw, 1 << 16), encoding=self.encoding, newline="")
        self.unit = "record" if self.format == "json" else "line"
        self.headers: list[str] = []
        self.delimiter: str | None = None
        # The encoding to write back in (the rejects file): UTF-8 with a BOM only if the input had one.
        self.written_encoding = "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else (
            "utf-8" if self.encoding == "utf-8-sig" else self.encoding)
        self._rows = iter(()) if whole_document else self._start()

    @staticmethod
    def _check_encoding(encoding: str) -> str:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidInput(_("unknown encoding '{encoding}'").format(encoding=encoding), hint=_("for example utf-8, cp1251, koi8-r")) from None
        return encoding

    @property
    def position(self) -> int:
        return self._raw.position

    def _decode_error(self, exc: UnicodeDecodeError) -> InvalidInput:
        return InvalidInput(
            _("{name}: cannot be read as {encoding} ({reason} at byte {start})").format(name=self.name, encoding=self.encoding, reason=exc.reason, start=exc.start),
            hint=_("give the file's encoding with --encoding, for example --encoding cp1251"),
        )

    def _start(self) -> Iterator[tuple[str, dict[str, Any]]]:
        try:
            if self.format == "csv":
                return self._csv()
            if self.format == "jsonl":
                return self._jsonl()
            return self._json()
        except UnicodeDecodeError as exc:
            raise self._decode_error(exc) from None

    def records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        try:
            yield from self._rows
        except UnicodeDecodeError as exc:
            raise self._decode_error(exc) from None

    def _csv(self) -> Iterator[tuple[str, dict[str, Any]]]:
        first = self._text.readline()
        if not first.strip():
            raise InvalidInput(_("{name}: the file is empty; the first line must name the columns").format(name=self.name))
        counts = {d: first.count(d) for d in (";", "\t", ",")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        self.delimiter = delimiter
        header_reader = csv.reader([first], delimiter=delimiter)
        self.headers = [h.strip() for h in next(header_reader)]
        lines = _Lines(self._text)
        reader = csv.reader(lines.feed, delimiter=delimiter)
        headers = self.headers
        width = len(headers)
        shown = {"\t": "tab"}.get(delimiter, delimiter)

        def rows() -> Iterator[tuple[str, dict[str, Any]]]:
            nonlocal reader
            taken = lines.taken
            number = 2  # the line the next row starts on
            while True:
                taken.clear()
                start = number
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    number = start + len(taken)
                    if "field larger than field limit" in str(exc):
                        yield f"line {start}", {ROW_ERROR: f"a cell is larger than {csv.field_size_limit() // 1024} KB"}
                        continue
                    cells = None
                else:
                    number = start + len(taken)
                    # a cell holding the delimiter and a line break spans lines; or a quote ran to the
                    # end of the file (taking the last line's break, if it had one). Without a quote
                    # on its one line, no cell of the row can hold the delimiter.
                    if (len(taken) > 1 or '"' in taken[0]) and (any(delimiter in c and ("\n" in c or "\r" in c) for c in cells) or (
                            any(delimiter in c for c in cells) and _open_at_the_end(taken, delimiter))):
                        cells = None
                if cells is None:
                    # A quote opened on line `start` and never closed (or a cell spanning lines that
                    # holds the delimiter): that row is bad, and the lines after it are read again
                    # as rows of their own.
                    if lines.give_back(taken[1:]):
                        reader = csv.reader(lines.feed, delimiter=delimiter)
                    number = start + 1
                    yield f"line {start}", {ROW_ERROR: f"a quote (\") opened on this line is not closed before the next line; "
                                                       f"a cell spanning lines holds the delimiter ({shown})"}
                    continue
                if not (cells and cells[0].strip()) and not any(cell.strip() for cell in cells):
                    continue
                if len(cells) > width and any(c.strip() for c in cells[width:]):
                    yield f"line {start}", {ROW_ERROR: f"the row has {len(cells)} cells, the header names {width}"}
                    continue
                yield f"line {start}", dict(zip(headers, cells))

        return rows()

    def _jsonl(self) -> Iterator[tuple[str, dict[str, Any]]]:
        lines = enumerate(self._text, start=1)
        pending: list[tuple[int, dict[str, Any]]] = []
        for number, line in lines:
            if line.strip():
                pending.append((number, self._json_object(line, number)))
                break
        if pending and "\0error" not in pending[0][1]:
            self.headers = list(pending[0][1])

        def rows() -> Iterator[tuple[str, dict[str, Any]]]:
            for number, row in pending:
                yield f"line {number}", row
            for number, line in lines:
                if line.strip():
                    yield f"line {number}", self._json_object(line, number)

        return rows()

    @staticmethod
    def _json_object(text: str, number: int) -> dict[str, Any]:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            return {"\0error": f"not valid JSON ({exc.msg})"}
        if not isinstance(value, dict):
            return {"\0error": "expected a JSON object {…}"}
        return value

    def _json(self) -> Iterator[tuple[str, dict[str, Any]]]:
        try:
            document = json.load(self._text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(_("{name}: not valid JSON ({msg}, line {lineno})").format(name=self.name, msg=exc.msg, lineno=exc.lineno)) from None
        if isinstance(document, dict) and "records" in document:
            document = document["records"]
        if not isinstance(document, list):
            raise InvalidInput(_("{name}: expected a JSON array of objects [{{…}}, …]").format(name=self.name))
        if document and isinstance(document[0], dict):
            self.headers = list(document[0])

        def rows() -> Iterator[tuple[str, dict[str, Any]]]:
            for number, value in enumerate(document, start=1):
                yield f"record {number}", value if isinstance(value, dict) else {ROW_ERROR: "expected a JSON object {…}"}

        return rows()

    def read_document(self) -> Any:
        try:
            return json.load(self._text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(_("{name}: not valid JSON ({msg}, line {lineno})").format(name=self.name, msg=exc.msg, lineno=exc.lineno)) from None
        except UnicodeDecodeError as exc:
            raise self._decode_error(exc) from None

