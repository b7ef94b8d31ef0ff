"""Reading records in: companies, people, sales, touches, dossier answers, or a whole export.

Files are CSV (comma, semicolon or tab, sniffed from the header), a JSON array or JSON
lines, in UTF-8 (with or without BOM) or a legacy single-byte encoding detected with
charset-normalizer. Column names are mapped from common English and Russian headers;
`--map FIELD=COLUMN` names the rest.

The whole import is one transaction. Rows are validated as the interactive commands
validate them and written in batches with executemany (no ORM object per row), so a
million sales stream through in bounded memory. A file with any bad row is refused
whole (the rows are still all checked, so the report is complete) unless the caller
asks to skip bad rows, which then go to a reject file.
"""

from __future__ import annotations

import csv
import io
import json
import operator
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from dossier_cli import audit
from dossier_cli.errors import Conflict, DossierError, InvalidInput
from dossier_cli.i18n import _
from dossier_cli.parsing import parse_amount, parse_date
from dossier_cli.text import check_text, company_key, fold, legal_form_of, person_key
from dossier_cli.vocab import is_yes

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings

KINDS: tuple[str, ...] = ("companies", "people", "sales", "touches", "dossier", "all")
FORMATS: tuple[str, ...] = ("csv", "json", "jsonl")
MAX_SHOWN_PROBLEMS = 20
BATCH_SIZE = 5000
BULK_CACHE_KIB = 64 * 1024  # SQLite page cache while importing (memory stays well under 200 MB)
_SAMPLE_BYTES = 256 * 1024

Progress = Callable[[int, int | None], None]  # (bytes read, total bytes or None)


# ---------------------------------------------------------------- results
@dataclass
class RowProblem:
    line: int
    column: str | None
    problem: str


@dataclass
class ImportResult:
    kind: str
    source: str
    unit: str = "line"  # "line" for CSV and JSON lines, "record" for a JSON array
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    reject_file: str | None = None
    dry_run: bool = False
    details: dict[str, int] = field(default_factory=dict)  # `import all`: rows per table

    def add_problem(self, line: int, column: str | None, problem: str) -> None:
        self.refused += 1
        if len(self.problems) < MAX_SHOWN_PROBLEMS:
            self.problems.append(RowProblem(line, column, problem))

    def problem_lines(self) -> list[str]:
        lines = []
        for p in self.problems:
            where = f"{self.unit} {p.line}" + (f", column '{p.column}'" if p.column else "")
            lines.append(f"{self.source}: {where}: {p.problem}")
        if self.refused > len(self.problems):
            lines.append(f"… and {self.refused - len(self.problems)} more bad rows")
        return lines

    def summary(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "kind": self.kind,
            "file": self.source,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "refused": self.refused,
        }
        if self.details:
            record["tables"] = dict(self.details)
        if self.ignored_columns:
            record["ignored_columns"] = list(self.ignored_columns)
        if self.reject_file:
            record["reject_file"] = self.reject_file
        return record


class ImportRefused(InvalidInput):
    """The file has bad rows and the caller did not ask to skip them; nothing was imported."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__(
            f"{result.source}: {result.refused} bad row{'s' if result.refused != 1 else ''}; nothing was imported",
            hint="fix them, or add --skip-errors to import the good rows and write the bad ones to a reject file",
        )
        self.result = result


class _BadRow(Exception):
    def __init__(self, column: str | None, problem: str) -> None:
        super().__init__(problem)
        self.column = column
        self.problem = problem


# ---------------------------------------------------------------- column names
def _norm_header(text: str) -> str:
    text = fold(str(text).replace("\ufeff", ""))
    text = re.sub(r"[_\-.:/№#()]+", " ", text)
    return " ".join(text.split())


_COMMON = {
    "notes": ["notes", "note", "comment", "comments", "remarks", "примечание", "примечания", "комментарий", "комментарии", "заметки"],
}
_COMPANY_REF = ["company", "company name", "company id", "client", "customer", "buyer", "organisation", "organization",
                "компания", "контрагент", "организация", "клиент", "покупатель", "название", "наименование",
                "название компании", "наименование организации", "наименование контрагента"]
_PERSON_REF = ["person", "contact", "contact person", "person id", "контакт", "контактное лицо", "фио", "сотрудник"]

ALIASES: dict[str, dict[str, list[str]]] = {
    "companies": {
        "name": ["name", "company", "company name", "organisation", "organization", "client", "customer", "title",
                 "название", "наименование", "контрагент", "организация", "компания", "клиент", "покупатель",
                 "название компании", "наименование организации", "наименование контрагента"],
        "legal_form": ["legal form", "опф", "организационно правовая форма", "правовая форма"],
        "tax_number": ["tax number", "inn", "tin", "vat", "vat number", "инн"],
        "kpp": ["kpp", "кпп"],
        "ogrn": ["ogrn", "огрн"],
        "city": ["city", "town", "head office", "город", "населенный пункт"],
        "territory": ["territory", "region", "территория", "регион", "область"],
        "market": ["market", "industry", "sector", "отрасль", "сфера", "рынок", "сфера деятельности"],
        "industry_needs": ["industry needs", "needs", "потребности", "потребности отрасли"],
        "activity": ["activity", "kind of activity", "вид деятельности", "деятельность"],
        "source": ["source", "lead source", "источник", "источник информации"],
        "founded": ["founded", "year founded", "founding year", "год основания", "основана", "основан"],
        "strategy": ["strategy", "стратегия"],
        "trend": ["trend", "тренд", "динамика"],
        "financial_standing": ["financial standing", "finances", "финансовое положение"],
        "supply_channels": ["supply channels", "каналы снабжения"],
        "competitors": ["competitors", "конкуренты"],
        "payment_reputation": ["payment reputation", "pays", "платежная дисциплина"],
        "notes": _COMMON["notes"],
        "branches": ["branches", "филиалы"],
        "tags": ["tags", "теги", "метки"],
        "stage": ["stage", "стадия", "этап"],
        "listed_on": ["listed on", "added", "дата добавления"],
    },
    "people": {
        "name": ["name", "full name", "person", "contact", "contact person", "фио", "имя", "контакт", "контактное лицо", "сотрудник"],
        "company": ["company", "company name", "company id", "organisation", "organization", "компания", "организация",
                    "контрагент", "место работы", "клиент"],
        "role": ["role", "buying role", "роль"],
        "phone": ["phone", "telephone", "mobile", "phone number", "телефон", "тел", "мобильный"],
        "email": ["email", "e mail", "mail", "почта", "эл почта", "электронная почта"],
        "personality_type": ["personality type", "personality", "тип личности"],
        "notes": _COMMON["notes"],
    },
    "sales": {
        "company": _COMPANY_REF,
        "tax_number": ["tax number", "inn", "tin", "инн", "инн контрагента"],
        "date": ["date", "sold on", "sale date", "invoice date", "дата", "дата продажи", "дата документа", "дата реализации"],
        "amount": ["amount", "sum", "total", "value", "сумма", "итого", "сумма с ндс", "стоимость"],
        "reference": ["reference", "ref", "invoice", "invoice number", "number", "document", "номер", "документ",
                      "номер документа", "счет", "счет фактура", "накладная"],
        "note": _COMMON["notes"],
    },
    "touches": {
        "company": _COMPANY_REF,
        "person": _PERSON_REF,
        "date": ["date", "touched on", "дата", "дата контакта"],
        "kind": ["kind", "type", "channel", "вид", "тип", "канал"],
        "outcome": ["outcome", "result", "результат", "итог"],
        "note": [*_COMMON["notes"], "summary", "содержание"],
        "next_on": ["next on", "next date", "next contact", "дата следующего контакта", "следующий контакт"],
        "next_action": ["next action", "next step", "следующий шаг", "следующее действие"],
        "done": ["done", "выполнено"],
    },
    "dossier": {
        "company": _COMPANY_REF,
        "person": _PERSON_REF,
        "item": ["item", "item key", "key", "question", "field", "пункт", "вопрос", "поле"],
        "value": ["value", "answer", "ответ", "значение"],
        "answered_at": ["answered at", "date", "дата", "дата ответа"],
    },
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "companies": ("name",),
    "people": ("name",),
    "sales": ("date", "amount"),
    "touches": ("company", "date", "kind"),
    "dossier": ("company", "item", "value"),
}


def parse_mapping(pairs: list[str] | None, kind: str) -> dict[str, str]:
    """`--map FIELD=COLUMN` options as {field: column}."""
    mapping: dict[str, str] = {}
    fields = ALIASES.get(kind, {})
    for pair in pairs or []:
        if "=" not in pair:
            raise InvalidInput(f"bad --map '{pair}': write it as FIELD=COLUMN, for example --map amount=Сумма")
        name, column = (part.strip() for part in pair.split("=", 1))
        name = name.replace("-", "_")
        if name not in fields:
            raise InvalidInput(f"bad --map '{pair}': {kind} have no field '{name}'", hint=f"fields: {', '.join(fields)}")
        mapping[name] = column
    return mapping


class ColumnMap:
    """Which column of the file feeds which field, from the headers and the --map options."""

    def __init__(self, kind: str, headers: list[str], explicit: dict[str, str], source: str) -> None:
        aliases = ALIASES[kind]
        self.by_field: dict[str, str] = {}
        normalised = {header: _norm_header(header) for header in headers}
        for name, column in explicit.items():
            found = [h for h in headers if h == column] or [h for h in headers if normalised[h] == _norm_header(column)]
            if not found:
                raise InvalidInput(
                    f"{source}: no column '{column}' for --map {name}={column}",
                    hint=f"its columns are: {', '.join(headers) or 'none'}",
                )
            self.by_field[name] = found[0]
        taken = set(self.by_field.values())
        lookup = {_norm_header(alias): name for name, names in aliases.items() for alias in [name, *names]}
        for header in headers:
            if header in taken:
                continue
            name = lookup.get(normalised[header])
            if name is not None and name not in self.by_field:
                self.by_field[name] = header
                taken.add(header)
        self.ignored = [h for h in headers if h not in taken and h != ""]
        missing = [name for name in REQUIRED.get(kind, ()) if name not in self.by_field]
        if kind in ("sales",) and "company" not in self.by_field and "tax_number" not in self.by_field:
            missing.insert(0, "company")
        if missing:
            raise InvalidInput(
                f"{source}: no column for {', '.join(missing)} (columns: {', '.join(headers) or 'none'})",
                hint=f"name it with --map, for example --map {missing[0]}=COLUMN",
            )

    def get(self, row: dict[str, Any], name: str) -> Any:
        header = self.by_field.get(name)
        if header is None:
            return None
        value = row.get(header)
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def column(self, name: str) -> str:
        return self.by_field.get(name, name)


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
            raise InvalidInput(f"unknown format '{fmt}'", hint="choose csv, json or jsonl")
        return folded
    if name == "-":
        raise InvalidInput("reading standard input needs --format csv, json or jsonl")
    suffix = Path(name).suffix.lower()
    guessed = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix)
    if guessed is None:
        raise InvalidInput(f"cannot tell the format of '{name}' from its name", hint="add --format csv, json or jsonl")
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
        raise InvalidInput(f"{name}: cannot tell its text encoding", hint="give it with --encoding, for example --encoding cp1251")
    return best.encoding


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
        self._rows = iter(()) if whole_document else self._start()

    @staticmethod
    def _check_encoding(encoding: str) -> str:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidInput(f"unknown encoding '{encoding}'", hint="for example utf-8, cp1251, koi8-r") from None
        return encoding

    @property
    def position(self) -> int:
        return self._raw.position

    def _decode_error(self, exc: UnicodeDecodeError) -> InvalidInput:
        return InvalidInput(
            f"{self.name}: cannot be read as {self.encoding} ({exc.reason} at byte {exc.start})",
            hint="give the file's encoding with --encoding, for example --encoding cp1251",
        )

    def _start(self) -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            if self.format == "csv":
                return self._csv()
            if self.format == "jsonl":
                return self._jsonl()
            return self._json()
        except UnicodeDecodeError as exc:
            raise self._decode_error(exc) from None

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            yield from self._rows
        except UnicodeDecodeError as exc:
            raise self._decode_error(exc) from None

    def _csv(self) -> Iterator[tuple[int, dict[str, Any]]]:
        first = self._text.readline()
        if not first.strip():
            raise InvalidInput(f"{self.name}: the file is empty; the first line must name the columns")
        counts = {d: first.count(d) for d in (";", "\t", ",")}
        delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
        header_reader = csv.reader([first], delimiter=delimiter)
        self.headers = [h.strip() for h in next(header_reader)]
        reader = csv.reader(self._text, delimiter=delimiter)
        width = len(self.headers)

        def rows() -> Iterator[tuple[int, dict[str, Any]]]:
            for cells in reader:
                line = reader.line_num + 1
                if not (cells and cells[0].strip()) and not any(cell.strip() for cell in cells):
                    continue
                if len(cells) > width and any(c.strip() for c in cells[width:]):
                    yield line, {"\0error": f"the row has {len(cells)} cells, the header names {width}"}
                    continue
                yield line, dict(zip(self.headers, cells))

        return rows()

    def _jsonl(self) -> Iterator[tuple[int, dict[str, Any]]]:
        lines = enumerate(self._text, start=1)
        pending: list[tuple[int, dict[str, Any]]] = []
        for number, line in lines:
            if line.strip():
                pending.append((number, self._json_object(line, number)))
                break
        if pending and "\0error" not in pending[0][1]:
            self.headers = list(pending[0][1])

        def rows() -> Iterator[tuple[int, dict[str, Any]]]:
            yield from pending
            for number, line in lines:
                if line.strip():
                    yield number, self._json_object(line, number)

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

    def _json(self) -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            document = json.load(self._text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{self.name}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
        if isinstance(document, dict) and "records" in document:
            document = document["records"]
        if not isinstance(document, list):
            raise InvalidInput(f"{self.name}: expected a JSON array of objects [{{…}}, …]")
        if document and isinstance(document[0], dict):
            self.headers = list(document[0])

        def rows() -> Iterator[tuple[int, dict[str, Any]]]:
            for number, value in enumerate(document, start=1):
                yield number, value if isinstance(value, dict) else {"\0error": "expected a JSON object {…}"}

        return rows()

    def read_document(self) -> Any:
        try:
            return json.load(self._text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{self.name}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
        except UnicodeDecodeError as exc:
            raise self._decode_error(exc) from None


# ---------------------------------------------------------------- value parsing
_PLAIN_AMOUNT = re.compile(r"\d{1,13}(\.\d{1,2})?")


def _text(value: Any, column: str, *, max_length: int = 10_000) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        raise _BadRow(column, "expected text, not a list or object")
    text = str(value).strip()
    if not text:
        return None
    try:
        return check_text(text, field=column, max_length=max_length)
    except InvalidInput as exc:
        raise _BadRow(column, exc.message) from None


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def _bool(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip()
    answer = is_yes(text) if text else False
    if answer is None:
        raise _BadRow(column, _("expected yes or no, not '{value}'").format(value=value))
    return answer


class _Values:
    """Parsers with caches: dates and validated choices repeat a great deal in big files."""

    def __init__(self) -> None:
        self._dates: dict[str, date] = {}

    def date(self, value: Any, column: str) -> date:
        key = str(value).strip()
        cached = self._dates.get(key)
        if cached is not None:
            return cached
        try:
            parsed = parse_date(key, field=column)
        except InvalidInput as exc:
            raise _BadRow(column, exc.message) from None
        if len(self._dates) < 100_000 and fold(key) not in ("today", "сегодня", "yesterday", "вчера", "tomorrow", "завтра"):
            self._dates[key] = parsed
        return parsed

    @staticmethod
    def amount(value: Any, column: str) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        elif isinstance(value, float):
            value = repr(value)
        text = str(value).strip()
        if _PLAIN_AMOUNT.fullmatch(text):
            whole, _dot, cents = text.partition(".")
            return int(whole) * 100 + int((cents + "00")[:2])
        try:
            return parse_amount(text, field=column)
        except InvalidInput as exc:
            raise _BadRow(column, exc.message) from None


# ---------------------------------------------------------------- company lookup
class CompanyIndex:
    """Company references resolved in memory the way `find_company` resolves them (id, tax number, name).

    Kept small for 100,000 companies: names by their key only, and the full folded name
    only for the few keys several companies share (where it tells them apart).
    """

    _CACHE_LIMIT = 100_000  # references as given in the file; a sales file names each customer many times

    def __init__(self, session: Session) -> None:
        from sqlmodel import select

        from dossier_cli.models import Company

        self.session = session
        self.ids: set[int] = set()
        self.by_tax: dict[str, int] = {}
        self.by_key: dict[str, int] = {}  # -1: several companies share the key
        self.by_search: dict[str, int] = {}  # only for shared keys
        self._cache: dict[str, int | str] = {}
        self.known = self._cache  # reference as given -> id (or why it names none); emptied at times
        for company_id, tax, name_key in session.execute(select(Company.id, Company.tax_number, Company.name_key)):
            self.ids.add(company_id)
            if tax:
                self.by_tax[tax] = company_id
            self.by_key[name_key] = -1 if name_key in self.by_key else company_id
        shared = [key for key, value in self.by_key.items() if value == -1]
        for start in range(0, len(shared), 500):
            query = select(Company.id, Company.search_key).where(Company.name_key.in_(shared[start : start + 500]))  # type: ignore[attr-defined]
            for company_id, search_key in session.execute(query):
                self.by_search[search_key] = -1 if search_key in self.by_search else company_id

    def add(self, company_id: int, tax: str | None, search_key: str, name_key: str) -> None:
        self.ids.add(company_id)
        if tax:
            self.by_tax[tax] = company_id
        if name_key in self.by_key:
            self.by_key[name_key] = -1
            self.by_search[search_key] = -1 if search_key in self.by_search else company_id
        else:
            self.by_key[name_key] = company_id
        self._cache.clear()

    def resolve(self, ref: Any, tax: Any, *, ref_column: str, tax_column: str) -> int:
        if tax is not None and str(tax).strip():
            found = self.by_tax.get(str(tax).strip())
            if found is None:
                raise _BadRow(tax_column, f"no company with tax number '{tax}'")
            return found
        if ref is None or not str(ref).strip():
            raise _BadRow(ref_column, "no company given")
        ref = str(ref).strip()
        cached = self._cache.get(ref)
        if cached is None:
            cached = self._resolve(ref)
            if len(self._cache) >= self._CACHE_LIMIT:
                self._cache.clear()
            self._cache[ref] = cached
        if isinstance(cached, str):
            raise _BadRow(ref_column, cached)
        return cached

    def _resolve(self, ref: str) -> int | str:
        if ref.isdigit() and len(ref) < 12 and int(ref) in self.ids:
            return int(ref)
        if ref in self.by_tax:
            return self.by_tax[ref]
        found = self.by_key.get(company_key(ref))
        if found == -1:
            found = self.by_search.get(fold(ref))
        if found is not None and found != -1:
            return found
        from dossier_cli.companies import find_company

        try:  # a unique part of a name, as on the command line
            return int(find_company(self.session, ref).id or 0)
        except DossierError as exc:
            return exc.message


class PersonIndex:
    def __init__(self, session: Session) -> None:
        from sqlmodel import select

        from dossier_cli.models import Person

        self.session = session
        self.ids: set[int] = set()
        self.by_key: dict[str, int] = {}
        for person_id, name_key in session.execute(select(Person.id, Person.name_key)).all():
            self.ids.add(person_id)
            self.by_key[name_key] = -1 if name_key in self.by_key else person_id

    def resolve(self, ref: Any, column: str) -> int | None:
        if ref is None or not str(ref).strip():
            return None
        ref = str(ref).strip()
        if ref.isdigit() and len(ref) < 12 and int(ref) in self.ids:
            return int(ref)
        found = self.by_key.get(person_key(ref))
        if found is not None and found != -1:
            return found
        from dossier_cli.people import find_person

        try:
            return int(find_person(self.session, ref).id or 0)
        except DossierError as exc:
            raise _BadRow(column, exc.message) from None


# ---------------------------------------------------------------- the run
@dataclass
class ImportOptions:
    kind: str
    fmt: str | None = None
    encoding: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False
    skip_errors: bool = False
    reject_path: str | None = None
    progress: Progress | None = None


class _Rejects:
    """The reject file: bad rows as they were, with the line and the problem, readable by the owner only."""

    def __init__(self, path: str | None, headers: list[str]) -> None:
        self.path = path
        self.headers = headers
        self._stream: Any = None
        self._writer: Any = None

    def write(self, line: int, problem: RowProblem, row: dict[str, Any]) -> None:
        if self.path is None:
            return
        if self._stream is None:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(fd, 0o600)
            self._stream = os.fdopen(fd, "w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._stream, lineterminator="\r\n")
            self._writer.writerow(["line", "column", "problem", *self.headers])
        cells = [row.get(h) for h in self.headers]
        self._writer.writerow(
            [line, problem.column or "", problem.problem, *(json.dumps(c, ensure_ascii=False) if isinstance(c, (list, dict)) else c for c in cells)]
        )

    def close(self) -> str | None:
        if self._stream is not None:
            self._stream.close()
            return self.path
        return None


def run_import(
    session: Session, settings: Settings, stream: BinaryIO, name: str, options: ImportOptions, *, total: int | None = None
) -> ImportResult:
    """Import one file of `options.kind` records; raises ImportRefused when bad rows are not to be skipped."""
    kind = options.kind
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind '{kind}'", hint=f"choose one of: {', '.join(KINDS)}")
    reader = Reader(stream, name, fmt=options.fmt if kind != "all" else (options.fmt or "json"), encoding=options.encoding,
                    total=total, whole_document=kind == "all")
    result = ImportResult(kind=kind, source=name, unit=reader.unit, dry_run=options.dry_run)
    if kind == "all":
        if reader.format != "json":
            raise InvalidInput("`import all` reads the JSON document of `export all --format json`")
        _import_all(session, reader, result)
    else:
        columns = ColumnMap(kind, reader.headers, options.mapping, name)
        result.ignored_columns = columns.ignored
        rejects = _Rejects(
            (options.reject_path or default_reject_path(name)) if options.skip_errors and not options.dry_run else None,
            reader.headers,
        )
        importer = {"companies": _Companies, "people": _People, "sales": _Sales, "touches": _Touches, "dossier": _Dossier}[kind]
        try:
            with _bulk_settings(session, kind):
                importer(session, settings, columns, result, options, reader, rejects).run()
        finally:
            result.reject_file = rejects.close()
        if result.refused and not options.skip_errors:
            raise ImportRefused(result)
    audit.record(
        session,
        action="import",
        entity=kind,
        entity_id=None,
        changes={"file": name, **{k: v for k, v in result.summary().items() if k not in ("kind", "file")}},
    )
    session.flush()
    return result


@contextmanager
def _bulk_settings(session: Session, kind: str) -> Iterator[None]:
    """A larger page cache while importing (index inserts in random order thrash the default
    2 MB), and the search index filled once at the end rather than by a trigger per row."""
    from sqlalchemy import text

    from dossier_cli.search import deferred_index

    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    previous = conn.execute(text("PRAGMA cache_size")).scalar()
    conn.execute(text(f"PRAGMA cache_size = -{BULK_CACHE_KIB}"))
    table = {"companies": "company", "touches": "touch"}.get(kind)
    try:
        if table:
            with deferred_index(session, table):
                yield
        else:
            yield
    finally:
        conn.execute(text(f"PRAGMA cache_size = {int(previous)}"))


def default_reject_path(name: str) -> str:
    if name == "-":
        return f"dossier-rejects-{datetime.now().strftime('%Y%m%d-%H%M%S')}.csv"
    path = Path(name)
    return str(path.with_name(f"{path.stem}.rejects.csv"))


class _Importer:
    """Shared loop: validate each row, collect batches, write them; problems are counted, not raised."""

    def __init__(self, session: Session, settings: Settings, columns: ColumnMap, result: ImportResult,
                 options: ImportOptions, reader: Reader, rejects: _Rejects) -> None:
        self.session = session
        self.settings = settings
        self.columns = columns
        self.result = result
        self.options = options
        self.reader = reader
        self.rejects = rejects
        self.values = _Values()
        self.now = datetime.now(timezone.utc)
        self.conn = session.connection()

    def clean(self, row: dict[str, Any]) -> Any:
        raise NotImplementedError

    def write(self, batch: list[Any]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        return None

    def run(self) -> None:
        batch: list[Any] = []
        for line, row in self.reader.records():
            self.result.rows += 1
            try:
                if "\0error" in row:
                    raise _BadRow(None, row["\0error"])
                batch.append((line, self.clean(row)))
            except _BadRow as bad:
                problem = RowProblem(line, bad.column, bad.problem)
                self.result.add_problem(line, bad.column, bad.problem)
                self.rejects.write(line, problem, {k: v for k, v in row.items() if k != "\0error"})
            if len(batch) >= BATCH_SIZE:
                self._flush(batch)
                batch = []
        self._flush(batch)
        self.finish()

    def _flush(self, batch: list[Any]) -> None:
        # Once a file is going to be refused, writing more of it is wasted work.
        if batch and (self.options.skip_errors or not self.result.refused):
            self.write(batch)
        if self.options.progress is not None:
            self.options.progress(self.reader.position, self.reader.total)


# ---------------------------------------------------------------- companies
_COMPANY_FIELDS = (
    "legal_form", "tax_number", "kpp", "ogrn", "city", "territory", "market", "industry_needs", "activity", "source",
    "founded", "strategy", "trend", "financial_standing", "supply_channels", "competitors", "payment_reputation", "notes",
)


class _DriverInsert:
    """An INSERT of `names` (columns of `table`) run as the driver's own executemany over
    plain tuples, in the rows' order: none of SQLAlchemy's per-row parameter work, which
    costs more than SQLite's own at a million rows. Each value is still converted as
    SQLAlchemy would bind it (`binder`), here or, with `bound=True`, by the caller."""

    def __init__(self, conn: Any, table: Any, names: tuple[str, ...] | None = None, *,
                 on_conflict_do_nothing: bool = False, bound: bool = False) -> None:
        dialect = conn.dialect
        mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
        if mark is None:
            raise DossierError(f"the database driver's parameter style '{dialect.paramstyle}' is not supported")
        self.conn, self.table = conn, table
        self.names = names or tuple(c.name for c in table.c)
        quote = dialect.identifier_preparer.quote
        self.sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in self.names)}) "
                    f"VALUES ({', '.join([mark] * len(self.names))})"
                    + (" ON CONFLICT DO NOTHING" if on_conflict_do_nothing else ""))
        self._convert = [] if bound else [
            (i, processor, {}) for i, name in enumerate(self.names) if (processor := self._processor(name)) is not None
        ]

    def _processor(self, name: str) -> Callable[[Any], Any] | None:
        dialect = self.conn.dialect
        return self.table.c[name].type.dialect_impl(dialect).bind_processor(dialect)

    def binder(self, name: str) -> Callable[[Any], Any]:
        """What SQLAlchemy does to a value of column `name` before handing it to the driver."""
        processor = self._processor(name)
        return processor if processor is not None else (lambda value: value)

    def _bind(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for i, processor, memo in self._convert:  # dates and timestamps: few distinct values
            value = values[i]
            try:
                values[i] = memo[value]
            except KeyError:
                values[i] = processor(value)
                if len(memo) < 10_000:
                    memo[value] = values[i]
            except TypeError:  # unhashable
                values[i] = processor(value)
        return tuple(values)

    def execute(self, rows: list[tuple[Any, ...]]) -> None:
        if self._convert:
            rows = [self._bind(row) for row in rows]
        self.conn.exec_driver_sql(self.sql, rows)

    def returning_ids(self, rows: list[tuple[Any, ...]], *, check: str) -> list[int]:
        """Insert the rows and return their new ids, in the rows' order.

        SQLite gives each new row max(rowid)+1, and the write transaction holds the lock, so
        the batch's ids are the ones after the largest before it; `check` (a column) verifies
        that. Elsewhere RETURNING (sorted by parameter order) does the job.
        """
        from sqlalchemy import func, select

        table = self.table
        if self.conn.dialect.name != "sqlite":
            statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
            return [r[0] for r in self.conn.execute(statement, [dict(zip(self.names, row)) for row in rows]).all()]
        before = self.conn.execute(select(func.max(table.c.id))).scalar() or 0
        self.execute(rows)
        new = self.conn.execute(select(table.c.id, table.c[check]).where(table.c.id > before).order_by(table.c.id)).all()
        at = self.names.index(check)
        if len(new) != len(rows) or any(row[1] != wanted[at] for row, wanted in zip(new, rows)):
            raise DossierError("the database gave unexpected ids to imported rows; nothing was imported")
        return [row[0] for row in new]


_CACHEABLE_FIELDS = frozenset(("activity", "source", "founded", "city", "market", "territory"))


class _Companies(_Importer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from dossier_cli.models import Branch, Company, CompanyTag, StageChange

        self.table = Company.__table__
        self.branch_table = Branch.__table__
        self.tag_table = CompanyTag.__table__
        self.stage_table = StageChange.__table__
        self.companies = CompanyIndex(self.session)
        self._choices: dict[tuple[str, Any], dict[str, Any]] = {}
        self.pending: dict[str, int] = {}  # key -> index in the current batch (duplicates within the file)
        # The company fields this file has a column for, with that column.
        self._present = [(name, self.columns.by_field[name]) for name in _COMPANY_FIELDS if name in self.columns.by_field]
        self._empty_row = {column.name: None for column in self.table.c if column.name != "id"}
        self.company_insert = _DriverInsert(self.conn, self.table, tuple(self._empty_row))
        self._company_values = operator.itemgetter(*self.company_insert.names)
        self.stage_insert = _DriverInsert(
            self.conn, self.stage_table, ("company_id", "from_stage", "to_stage", "changed_on", "note", "user", "created_at"))

    def _field(self, name: str, value: Any) -> dict[str, Any]:
        cacheable = name in _CACHEABLE_FIELDS
        if cacheable:
            cached = self._choices.get((name, value))
            if cached is not None:
                return cached
        from dossier_cli.companies import clean_company_fields

        try:
            cleaned = clean_company_fields({name: value if not isinstance(value, (int, float)) else str(value)}, self.settings)
        except InvalidInput as exc:
            raise _BadRow(self.columns.column(name), exc.message) from None
        if cacheable and len(self._choices) < 50_000:
            self._choices[(name, value)] = cleaned
        return cleaned

    def clean(self, row: dict[str, Any]) -> dict[str, Any]:
        from dossier_cli.companies import check_stage, clean_company_name

        get = self.columns.get
        raw_name = get(row, "name")
        if raw_name is None:
            raise _BadRow(self.columns.column("name"), "the company name is empty")
        try:
            name = clean_company_name(str(raw_name))
        except InvalidInput as exc:
            raise _BadRow(self.columns.column("name"), exc.message) from None
        values: dict[str, Any] = {}
        for name_of_field, header in self._present:
            value = row.get(header)  # as ColumnMap.get reads it
            if isinstance(value, str):
                value = value.strip() or None
            if value is not None:
                values.update(self._field(name_of_field, value))
        extra: dict[str, Any] = {"branches": [], "tags": []}
        stage = get(row, "stage")
        if stage is not None:
            try:
                extra["stage"] = check_stage(str(stage), self.settings)
            except InvalidInput as exc:
                raise _BadRow(self.columns.column("stage"), exc.message) from None
        listed = get(row, "listed_on")
        if listed is not None:
            extra["listed_on"] = self.values.date(listed, self.columns.column("listed_on"))
        extra["branches"] = [_text(c, self.columns.column("branches"), max_length=200) for c in _list(get(row, "branches"))]
        extra["tags"] = sorted({fold(t) for t in _list(get(row, "tags"))})
        return {"name": name, "name_key": company_key(name), "search_key": fold(name), "fields": values, **extra}

    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        from sqlalchemy import bindparam, select

        new_rows: list[dict[str, Any]] = []
        updates: dict[int, dict[str, Any]] = {}
        by_key: dict[str, dict[str, Any]] = {}
        for _line, item in batch:
            tax = item["fields"].get("tax_number")
            existing = self.companies.by_tax.get(tax) if tax else None
            if existing is None:
                found = self.companies.by_key.get(item["name_key"])
                existing = found if found not in (None, -1) else None
            if existing is not None:
                merged = updates.setdefault(existing, {"fields": {}, "branches": [], "tags": []})
                merged["fields"].update(item["fields"])
                merged["branches"] += item["branches"]
                merged["tags"] += item["tags"]
                continue
            twin = by_key.get(item["name_key"]) or (by_key.get("tax:" + tax) if tax else None)
            if twin is not None:  # the same firm twice in the file: one company
                twin["fields"].update(item["fields"])
                twin["branches"] += item["branches"]
                twin["tags"] += item["tags"]
                self.result.unchanged += 1
                continue
            by_key[item["name_key"]] = item
            if tax:
                by_key["tax:" + tax] = item
            new_rows.append(item)
        if new_rows:
            self._insert_companies(new_rows)
        if updates:
            columns = self.table.c
            stored = {
                row.id: row._mapping
                for row in self.session.execute(select(self.table).where(columns.id.in_(list(updates)))).all()
            }
            changed_rows = []
            for company_id, change in updates.items():
                old = stored[company_id]
                diff = {k: v for k, v in change["fields"].items() if old[k] != v}
                new_links = self._links(company_id, change["branches"], change["tags"])
                if diff:
                    changed_rows.append({"_id": company_id, **{k: old[k] for k in self._update_columns}, **diff, "updated_at": self.now})
                if diff or new_links:
                    self.result.updated += 1
                else:
                    self.result.unchanged += 1
            if changed_rows:
                statement = (
                    self.table.update()
                    .where(columns.id == bindparam("_id"))
                    .values({k: bindparam(k) for k in (*self._update_columns, "updated_at")})
                )
                self.conn.execute(statement, changed_rows)

    _update_columns = tuple(f for f in _COMPANY_FIELDS) + ("city_key", "territory_key", "market_key")

    def _insert_companies(self, items: list[dict[str, Any]]) -> None:
        """Create the new companies of one batch, each with its first stage, branches and tags."""
        first_stage = self.settings.stages[0]
        today = date.today()
        rows = []
        for item in items:
            row = self._empty_row.copy()
            row.update(item["fields"])
            if not row.get("legal_form"):
                row["legal_form"] = legal_form_of(item["name"])
            row.update(
                name=item["name"], name_key=item["name_key"], search_key=item["search_key"],
                stage=item.get("stage", first_stage), status="active", listed_on=item.get("listed_on", today),
                created_at=self.now, updated_at=self.now,
            )
            rows.append(row)
        ids = self.company_insert.returning_ids([self._company_values(row) for row in rows], check="name_key")
        from dossier_cli.dupes import index_company_names

        index_company_names(self.session, [(company_id, row["name_key"]) for company_id, row in zip(ids, rows)], replace=False)
        stage_rows, branch_rows, tag_rows = [], [], []
        user = audit.current_user()
        for company_id, item, row in zip(ids, items, rows):
            self.companies.add(company_id, row["tax_number"], item["search_key"], item["name_key"])
            stage_rows.append((company_id, None, row["stage"], row["listed_on"], "imported", user, self.now))
            seen: set[str] = set()
            for city in item["branches"]:
                if city and fold(city) not in seen:
                    seen.add(fold(city))
                    branch_rows.append({"company_id": company_id, "city": city})
            tag_rows += [{"company_id": company_id, "tag": tag} for tag in sorted(set(item["tags"]))]
        self.stage_insert.execute(stage_rows)
        if branch_rows:
            self.conn.execute(self.branch_table.insert(), branch_rows)
        if tag_rows:
            self.conn.execute(self.tag_table.insert(), tag_rows)
        self.result.created += len(ids)

    def _links(self, company_id: int, branches: list[str | None], tags: list[str]) -> bool:
        from sqlalchemy import select

        added = False
        if branches:
            have = {fold(c) for c in self.session.execute(select(self.branch_table.c.city).where(self.branch_table.c.company_id == company_id)).scalars()}
            for city in branches:
                if city and fold(city) not in have:
                    have.add(fold(city))
                    self.conn.execute(self.branch_table.insert(), [{"company_id": company_id, "city": city}])
                    added = True
        if tags:
            have_tags = set(self.session.execute(select(self.tag_table.c.tag).where(self.tag_table.c.company_id == company_id)).scalars())
            for tag in sorted(set(tags) - have_tags):
                self.conn.execute(self.tag_table.insert(), [{"company_id": company_id, "tag": tag}])
                added = True
        return added


# ---------------------------------------------------------------- people
class _People(_Importer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from sqlalchemy import select

        from dossier_cli.models import Person, PersonLink

        self.table = Person.__table__
        self.link_table = PersonLink.__table__
        self.companies = CompanyIndex(self.session)
        # (name_key, company id or None) -> person id
        self.known: dict[tuple[str, int | None], int] = {}
        self.by_name: dict[str, int] = {}
        for person_id, name_key, company_id in self.session.execute(
            select(Person.id, Person.name_key, PersonLink.company_id)
            .join(PersonLink, PersonLink.person_id == Person.id, isouter=True)
            .order_by(Person.id)
        ).all():
            self.known.setdefault((name_key, company_id), person_id)
            self.by_name.setdefault(name_key, person_id)
        self.links: set[tuple[int, int]] = {
            (p, c) for p, c in self.session.execute(select(PersonLink.person_id, PersonLink.company_id)).all()
        }

    def clean(self, row: dict[str, Any]) -> dict[str, Any]:
        from dossier_cli.people import normalise_role

        get, col = self.columns.get, self.columns.column
        name = _text(get(row, "name"), col("name"), max_length=300)
        if not name:
            raise _BadRow(col("name"), "the person's name is empty")
        name = " ".join(name.split())
        company_id = None
        if get(row, "company") is not None:
            company_id = self.companies.resolve(get(row, "company"), None, ref_column=col("company"), tax_column=col("company"))
        role = None
        if get(row, "role") is not None:
            try:
                role = normalise_role(str(get(row, "role")))
            except InvalidInput as exc:
                raise _BadRow(col("role"), exc.message) from None
        return {
            "name": name,
            "name_key": person_key(name),
            "company_id": company_id,
            "role": role,
            "phone": self._phone(get(row, "phone"), col("phone")),
            "email": self._email(get(row, "email"), col("email")),
            "notes": _text(get(row, "notes"), col("notes")),
            "personality_type": _text(get(row, "personality_type"), col("personality_type"), max_length=200),
        }

    def _phone(self, value: Any, column: str) -> str | None:
        return self._contact("phone", value, column)

    def _email(self, value: Any, column: str) -> str | None:
        return self._contact("email", value, column)

    def _contact(self, kind: str, value: Any, column: str) -> str | None:
        """Normalised exactly as `add person` does it (contacts.normalise), or a bad row."""
        if value is None:
            return None
        from dossier_cli.contacts import normalise

        try:
            return normalise(kind, str(value), self.settings)
        except InvalidInput as exc:
            raise _BadRow(column, exc.message) from None

    def _register_contacts(self, person_id: int, item: dict[str, Any]) -> None:
        """Make imported phones and e-mails findable, as `add person --phone/--email` does."""
        from sqlalchemy import select

        from dossier_cli.models import ContactPoint

        table = ContactPoint.__table__
        for kind in ("phone", "email"):
            value = item.get(kind)
            if not value:
                continue
            owner = self.session.execute(
                select(table.c.company_id, table.c.person_id).where(table.c.kind == kind, table.c.value == value)
            ).first()
            if owner is None:
                self.conn.execute(table.insert(), [{
                    "kind": kind, "value": value, "company_id": None, "person_id": person_id, "created_at": self.now,
                }])
            # A value that another record already has stays with that record (it is the
            # person's own column only); `dossier dupes` shows such pairs.

    _FIELDS = ("phone", "email", "notes", "personality_type")

    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        from sqlalchemy import select

        for _line, item in batch:
            key = (item["name_key"], item["company_id"])
            person_id = self.known.get(key)
            if person_id is None and item["company_id"] is None:
                # without a company, a person of that name anywhere is the same person
                person_id = self.by_name.get(item["name_key"])
            created = person_id is None
            changed = False
            if person_id is None:
                row = {c.name: None for c in self.table.c if c.name != "id"}
                row.update({k: item[k] for k in ("name", "name_key", *self._FIELDS)})
                row.update(do_not_contact=False, created_at=self.now, updated_at=self.now)
                person_id = self.conn.execute(self.table.insert().returning(self.table.c.id), [row]).scalar_one()
                self.known[key] = person_id
                self.by_name.setdefault(item["name_key"], person_id)
            else:
                stored = self.session.execute(select(self.table).where(self.table.c.id == person_id)).one()._mapping
                diff = {k: item[k] for k in self._FIELDS if item[k] is not None and stored[k] != item[k]}
                if diff:
                    self.conn.execute(self.table.update().where(self.table.c.id == person_id).values(**diff, updated_at=self.now))
                    changed = True
            self._register_contacts(person_id, item)
            if item["company_id"] is not None and (person_id, item["company_id"]) not in self.links:
                self.conn.execute(self.link_table.insert(), [{
                    "person_id": person_id, "company_id": item["company_id"], "role": item["role"] or "other",
                    "active": True, "since": None, "until": None, "created_at": self.now,
                }])
                self.links.add((person_id, item["company_id"]))
                self.known[key] = person_id
                changed = True
            if created:
                self.result.created += 1
            elif changed:
                self.result.updated += 1
            else:
                self.result.unchanged += 1


# ---------------------------------------------------------------- sales
class _Sales(_Importer):
    """Sales go through a temporary staging table so duplicates are found in SQL, not in memory."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        import sqlalchemy as sa

        from dossier_cli.models import Sale

        self.sale = Sale.__table__
        self.companies = CompanyIndex(self.session)
        self.staging = sa.Table(
            "dossier_import_sale",
            sa.MetaData(),
            sa.Column("line", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("company_id", sa.Integer, nullable=False),
            sa.Column("sold_on", self.sale.c.sold_on.type, nullable=False),
            sa.Column("amount_minor", sa.BigInteger, nullable=False),
            sa.Column("reference", sa.Text),
            sa.Column("note", sa.Text),
            sa.Column("dedup", sa.Text, nullable=False),
            sa.UniqueConstraint("company_id", "dedup"),
            prefixes=["TEMPORARY"],
        )
        self.staging.drop(self.conn, checkfirst=True)
        self.staging.create(self.conn)
        dialect = self.conn.dialect.name
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        self.stage_insert = _DriverInsert(self.conn, self.staging, on_conflict_do_nothing=True, bound=True)
        self.bind_day = self.stage_insert.binder("sold_on")
        self.valid = 0
        by_field = self.columns.by_field
        # The cells the short path reads; it serves files that name companies (not tax numbers).
        self._cells = None if "tax_number" in by_field or "company" not in by_field else (
            by_field["company"], by_field["date"], by_field["amount"], by_field.get("reference"), by_field.get("note"))
        self._days: dict[str, tuple[Any, str]] = {}  # an ISO date as written -> (its bound value, its text)

    def clean(self, row: dict[str, Any]) -> tuple[Any, ...]:
        """(company id, the day as bound, minor units, reference, note, duplicate key)."""
        cells = self._cells
        if cells is not None:
            # The common shapes (a company's name, `2025-01-26`, `24382.06`, text cells) take a
            # short path with the very same results; anything else takes the general one.
            h_company, h_date, h_amount, h_ref, h_note = cells
            company, day, amount = row.get(h_company), row.get(h_date), row.get(h_amount)
            ref = row.get(h_ref) if h_ref is not None else None
            note = row.get(h_note) if h_note is not None else None
            if (type(company) is str and type(day) is str and type(amount) is str
                    and (ref is None or type(ref) is str) and (note is None or type(note) is str)):
                company_id = self.companies.known.get(company)
                known_day = self._days.get(day) or self._iso_day(day)
                whole, dot, cents = amount.partition(".")
                if (type(company_id) is int and known_day is not None and whole.isdecimal() and len(whole) <= 13
                        and (not dot or (cents.isdecimal() and len(cents) <= 2))):
                    minor = int(whole) * 100 + (int(cents) * (10 if len(cents) == 1 else 1) if cents else 0)
                    if ref is not None:
                        ref = ref.strip() or None
                        if ref is not None and (len(ref) > 200 or "\x00" in ref):
                            ref = _text(ref, self.columns.column("reference"), max_length=200)  # raises
                    if note is not None:
                        note = note.strip() or None
                        if note is not None and (len(note) > 10_000 or "\x00" in note):
                            note = _text(note, self.columns.column("note"))  # raises
                    bound, text = known_day
                    return company_id, bound, minor, ref, note, ("r:" + ref) if ref is not None else f"d:{text}:{minor}"
        return self._clean(row)

    def _iso_day(self, value: str) -> tuple[Any, str] | None:
        """`YYYY-MM-DD` read with date.fromisoformat (what parse_date makes of it), remembered."""
        if (len(value) != 10 or value[4] != "-" or value[7] != "-" or not value.isascii() or not value[:4].isdigit()
                or not value[5:7].isdigit() or not value[8:].isdigit() or len(self._days) >= 100_000):
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
        text = day.isoformat()
        known = self._days[value] = self.bind_day(day), text
        return known

    def _clean(self, row: dict[str, Any]) -> tuple[Any, ...]:
        get, col = self.columns.get, self.columns.column
        company_id = self.companies.resolve(get(row, "company"), get(row, "tax_number"), ref_column=col("company"), tax_column=col("tax_number"))
        raw_date = get(row, "date")
        if raw_date is None:
            raise _BadRow(col("date"), "no date")
        sold_on = self.values.date(raw_date, col("date"))
        raw_amount = get(row, "amount")
        if raw_amount is None:
            raise _BadRow(col("amount"), "no amount")
        amount = self.values.amount(raw_amount, col("amount"))
        reference = _text(get(row, "reference"), col("reference"), max_length=200)
        note = _text(get(row, "note"), col("note"))
        text = sold_on.isoformat()
        return (company_id, self.bind_day(sold_on), amount, reference, note,
                ("r:" + reference) if reference is not None else f"d:{text}:{amount}")

    def write(self, batch: list[tuple[int, tuple[Any, ...]]]) -> None:
        self.valid += len(batch)
        self.stage_insert.execute([(line, *item) for line, item in batch])

    def finish(self) -> None:
        import sqlalchemy as sa

        s, x = self.staging, self.sale.alias("x")
        if self.options.skip_errors or not self.result.refused:
            # First drop the rows the database already holds (the same reference, or the same
            # day and amount without one), probing only the sales from before this import; the
            # rest then go in, in file order, without SQLite having to set the whole result
            # aside first (it must when the SELECT reads the table being inserted into).
            same_reference = sa.exists().where(x.c.company_id == s.c.company_id, x.c.reference == s.c.reference)
            same_day_amount = sa.exists().where(
                s.c.reference.is_(None), x.c.company_id == s.c.company_id, x.c.sold_on == s.c.sold_on,
                x.c.amount_minor == s.c.amount_minor, x.c.reference.is_(None),
            )
            self.conn.execute(s.delete().where(same_reference | same_day_amount))
            query = sa.select(
                s.c.company_id, s.c.sold_on, s.c.amount_minor, s.c.reference, s.c.note,
                sa.bindparam("now", self.now, type_=self.sale.c.created_at.type),
            ).order_by(s.c.line)
            # preserve_rowcount: without it SQLAlchemy reports -1 for INSERT … SELECT on PostgreSQL
            inserted = self.conn.execute(
                self.sale.insert().from_select(["company_id", "sold_on", "amount_minor", "reference", "note", "created_at"], query)
                .execution_options(preserve_rowcount=True)
            )
            self.result.created = max(inserted.rowcount, 0)
            self.result.unchanged = self.valid - self.result.created
        self.staging.drop(self.conn)


# ---------------------------------------------------------------- touches
class _Touches(_Importer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from sqlalchemy import select

        from dossier_cli.models import Touch

        from dossier_cli.models import Person

        self.table = Touch.__table__
        self.companies = CompanyIndex(self.session)
        self.people = PersonIndex(self.session)
        self.kinds = {fold(k): k for k in self.settings.touch_kinds}
        # People who asked not to be contacted: a touch with them is refused, as `add touch` does.
        self.refusing = dict(self.session.execute(select(Person.id, Person.name).where(Person.do_not_contact == True)).all())  # noqa: E712
        self.seen: set[int] = {
            hash(self._key(c, p, d, k, n))
            for c, p, d, k, n in self.session.execute(select(Touch.company_id, Touch.person_id, Touch.touched_on, Touch.kind, Touch.note))
        }

    @staticmethod
    def _key(company_id: int, person_id: int | None, day: date, kind: str, note: str | None) -> tuple[Any, ...]:
        return company_id, person_id, day, kind, fold(note or "")

    def clean(self, row: dict[str, Any]) -> dict[str, Any]:
        get, col = self.columns.get, self.columns.column
        company_id = self.companies.resolve(get(row, "company"), None, ref_column=col("company"), tax_column=col("company"))
        person_id = self.people.resolve(get(row, "person"), col("person"))
        if person_id in self.refusing:
            raise _BadRow(
                col("person"),
                f"#{person_id} {self.refusing[person_id]} asked not to be contacted (lift it with `dossier edit person {person_id} --may-contact` "
                "if they agreed again)",
            )
        from dossier_cli.touches import normalise_kind, normalise_outcome

        raw_kind = str(get(row, "kind") or "")
        kind = self.kinds.get(fold(raw_kind))
        if kind is None:
            try:
                kind = normalise_kind(raw_kind, self.settings)
            except InvalidInput as exc:
                raise _BadRow(col("kind"), str(exc)) from None
        outcome = None
        if get(row, "outcome") is not None:
            try:
                outcome = normalise_outcome(str(get(row, "outcome")))
            except InvalidInput as exc:
                raise _BadRow(col("outcome"), str(exc)) from None
        next_on = get(row, "next_on")
        return {
            "company_id": company_id,
            "person_id": person_id,
            "touched_on": self.values.date(get(row, "date") or "", col("date")),
            "kind": kind,
            "outcome": outcome,
            "note": _text(get(row, "note"), col("note")),
            "next_on": self.values.date(next_on, col("next_on")) if next_on is not None else None,
            "next_action": _text(get(row, "next_action"), col("next_action"), max_length=500),
            "done": _bool(get(row, "done"), col("done")) if get(row, "done") is not None else False,
        }

    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        rows = []
        user = audit.current_user()
        for _line, item in batch:
            key = hash(self._key(item["company_id"], item["person_id"], item["touched_on"], item["kind"], item["note"]))
            if key in self.seen:
                self.result.unchanged += 1
                continue
            self.seen.add(key)
            rows.append({**item, "user": user, "created_at": self.now})
        if rows:
            self.conn.execute(self.table.insert(), rows)
            self.result.created += len(rows)


# ---------------------------------------------------------------- dossier answers
class _Dossier(_Importer):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        from sqlalchemy import select

        from dossier_cli.models import DossierAnswer

        self.table = DossierAnswer.__table__
        self.companies = CompanyIndex(self.session)
        self.people = PersonIndex(self.session)
        self.current: dict[tuple[int, int | None, str], tuple[int, str]] = {
            (c, p, k): (i, v)
            for i, c, p, k, v in self.session.execute(
                select(DossierAnswer.id, DossierAnswer.company_id, DossierAnswer.person_id, DossierAnswer.item_key, DossierAnswer.value_json)
                .where(DossierAnswer.is_current)
            )
        }

    def clean(self, row: dict[str, Any]) -> dict[str, Any]:
        get, col = self.columns.get, self.columns.column
        company_id = self.companies.resolve(get(row, "company"), None, ref_column=col("company"), tax_column=col("company"))
        person_id = self.people.resolve(get(row, "person"), col("person"))
        item = _text(get(row, "item"), col("item"), max_length=200)
        if not item:
            raise _BadRow(col("item"), "no dossier item named")
        value = get(row, "value")
        if isinstance(value, str):
            value = _text(value, col("value"))
        if value is None:
            raise _BadRow(col("value"), "no answer given")
        answered = get(row, "answered_at")
        answered_at = self.now
        if answered is not None:
            try:
                answered_at = datetime.fromisoformat(str(answered))
                if answered_at.tzinfo is None:
                    answered_at = answered_at.replace(tzinfo=timezone.utc)
            except ValueError:
                day = self.values.date(answered, col("answered_at"))
                answered_at = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
        return {"company_id": company_id, "person_id": person_id, "item_key": item,
                "value_json": json.dumps(value, ensure_ascii=False), "answered_at": answered_at}

    def write(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        user = audit.current_user()
        for _line, item in batch:
            key = (item["company_id"], item["person_id"], item["item_key"])
            previous = self.current.get(key)
            if previous is not None and previous[1] == item["value_json"]:
                self.result.unchanged += 1
                continue
            if previous is not None:
                self.conn.execute(self.table.update().where(self.table.c.id == previous[0]).values(is_current=False))
                self.result.updated += 1
            else:
                self.result.created += 1
            new_id = self.conn.execute(
                self.table.insert().returning(self.table.c.id), [{**item, "is_current": True, "user": user}]
            ).scalar_one()
            self.current[key] = (new_id, item["value_json"])


# ---------------------------------------------------------------- import all
# Tables of `export all`, in an order that satisfies the foreign keys.
ALL_SECTIONS: tuple[tuple[str, str], ...] = (
    ("companies", "company"),
    ("people", "person"),
    ("person_links", "person_link"),
    ("contact_points", "contact_point"),
    ("stage_changes", "stage_change"),
    ("sales", "sale"),
    ("ratings", "rating"),
    ("touches", "touch"),
    ("dossier_answers", "dossier_answer"),
    ("gifts", "gift"),
    ("plans", "plan"),
    ("forgotten_people", "forgotten_person"),
)
EXPORT_FORMAT = "dossier-export"
EXPORT_VERSION = 1


def _column_converter(column: Any) -> Callable[[Any], Any]:
    import sqlalchemy as sa

    column_type = column.type
    if isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, sa.DateTime):
        return lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return lambda v: v
    if python_type is datetime:
        return lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v
    if python_type is date:
        return lambda v: date.fromisoformat(v) if isinstance(v, str) else v
    return lambda v: v


def _import_all(session: Session, reader: Reader, result: ImportResult) -> None:
    from sqlalchemy import func, select
    from sqlmodel import SQLModel

    from dossier_cli.models import load_all


    load_all()  # registers every table

    document = reader.read_document()
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise InvalidInput(f"{reader.name}: not a dossier export (made by `dossier export all --format json`)")
    if document.get("version") != EXPORT_VERSION:
        raise InvalidInput(f"{reader.name}: export version {document.get('version')} is not one this dossier reads ({EXPORT_VERSION})")
    tables = SQLModel.metadata.tables
    conn = session.connection()
    for _section, table_name in ALL_SECTIONS:
        if conn.execute(select(func.count()).select_from(tables[table_name])).scalar():
            raise Conflict(
                "`import all` restores into an empty database, and this one already holds data",
                hint="use a new file with --db, or import kinds one by one (import companies, import sales, …)",
            )
    for section, table_name in ALL_SECTIONS:
        rows = document.get(section) or []
        if not isinstance(rows, list):
            raise InvalidInput(f"{reader.name}: '{section}' must be a list")
        table = tables[table_name]
        converters = {c.name: _column_converter(c) for c in table.c}
        clean_rows = []
        branches, tags = [], []
        for number, record in enumerate(rows, start=1):
            if not isinstance(record, dict):
                raise InvalidInput(f"{reader.name}: {section} record {number} is not an object")
            unknown = set(record) - set(converters) - {"branches", "tags"}
            if unknown:
                raise InvalidInput(f"{reader.name}: {section} record {number} has unknown fields: {', '.join(sorted(unknown))}")
            try:
                clean_rows.append({name: convert(record.get(name)) for name, convert in converters.items()})
            except (TypeError, ValueError) as exc:
                raise InvalidInput(f"{reader.name}: {section} record {number}: {exc}") from None
            if table_name == "company":
                branches += [{"company_id": record["id"], "city": city} for city in record.get("branches") or []]
                tags += [{"company_id": record["id"], "tag": tag} for tag in record.get("tags") or []]
            elif table_name == "person":
                tags += [{"person_id": record["id"], "tag": tag} for tag in record.get("tags") or []]
        for start in range(0, len(clean_rows), BATCH_SIZE):
            conn.execute(table.insert(), clean_rows[start : start + BATCH_SIZE])
        if branches:
            conn.execute(tables["branch"].insert(), branches)
        if table_name == "company":
            from dossier_cli.dupes import index_company_names

            index_company_names(session, [(row["id"], row["name_key"]) for row in clean_rows], replace=False)
        if tags:
            conn.execute(tables["company_tag" if table_name == "company" else "person_tag"].insert(), tags)
        result.details[section] = len(clean_rows)
        result.created += len(clean_rows)
        result.rows += len(clean_rows)
    if conn.dialect.name == "postgresql":
        from sqlalchemy import text

        for _section, table_name in ALL_SECTIONS:
            if "id" in tables[table_name].c:
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table_name}"
                ))
