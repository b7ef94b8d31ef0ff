"""The readers an import gets for the files of this package (spreadsheets, vCards, 1C
statements), with what `transfer.importing` asks of a reader: records, headers, progress,
how to write the rejects, and an optional `prepare` step run inside the import's
transaction before any row is written (`--create-missing` adds the companies a file names
but the database lacks, through `add_company`, so they are there when the rows resolve)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from dossier_cli.errors import DossierError, InvalidInput, NotFound
from dossier_cli.i18n import N_, _
from dossier_cli.transfer.formats import kind_of

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings


class FileReader:
    """What an import reads (records, headers, progress, how to write rejects) over a row
    source of this package, as `transfer.reading.Reader` is for CSV and JSON."""

    unit = "line"

    def __init__(self, source: Any, fmt: str, *, total: int | None = None) -> None:
        self.source = source
        self.name = source.name
        self.format = fmt
        self.headers: list[str] = list(source.headers)
        self.columns: dict[str, str] = dict(getattr(source, "columns", None) or {})
        self.total = total
        # Rejects of a spreadsheet open in Russian Excel; of a text file, in the file's own encoding.
        self.delimiter: str | None = getattr(source, "delimiter", None) or (";" if fmt == "spreadsheet" else None)
        self.written_encoding: str | None = "utf-8-sig" if fmt == "spreadsheet" else getattr(source, "encoding", None)

    @property
    def position(self) -> int:
        """Bytes read, for the progress bar: unknown here (a workbook is read whole by calamine), so 0."""
        return 0

    def records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for location, row in self.source.rows():
            yield location, row


def known_headers(kind: str, mapping: dict[str, str]) -> list[str]:
    """The column names a header row of this kind may hold (to find it under title rows)."""
    from dossier_cli.transfer.mapping import ALIASES, norm_header

    return [*(alias for aliases in ALIASES.get(kind, {}).values() for alias in aliases),
            *(norm_header(column) for column in mapping.values())]


def open_reader(stream: BinaryIO, name: str, *, kind: str, fmt: str | None, sheet: str | None = None,
                header_row: int | None = None, known: Iterable[str] = (), our_inn: str | None = None) -> FileReader | None:
    """A reader for a spreadsheet, vCard or 1C statement (by `fmt`, else by the file's name); None for text tables."""
    if fmt == "statement":
        from dossier_cli.transfer.payments import PaymentSource

        target: Any = getattr(stream, "name", None)
        return PaymentReader(PaymentSource(target if isinstance(target, str) else stream.read(), name, our_inn=our_inn),
                             "statement")
    chosen = {"xlsx": "spreadsheet", "xls": "spreadsheet", "ods": "spreadsheet", "vcf": "vcard"}.get(fmt or "") or (
        kind_of(name) if fmt is None else None)
    if chosen is None and fmt is None:
        peek = getattr(stream, "peek", None)
        head = peek(64)[:64] if peek is not None else b""
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"1CClientBankExchange"):
            raise InvalidInput(_("{file} is a 1C bank statement").format(file=name),
                               hint=_("import it with `dossier import payments {file}`").format(file=name))
    if chosen is None:
        if sheet is not None or header_row is not None:
            raise InvalidInput(_("--sheet and --header-row are for spreadsheets (.xlsx, .xls, .ods)"))
        return None
    if chosen == "spreadsheet":
        from dossier_cli.transfer.formats.spreadsheet import SpreadsheetSource

        target = getattr(stream, "name", None)
        source: Any = SpreadsheetSource(target if isinstance(target, str) else stream, name, sheet=sheet,
                                        header_row=header_row, known=known)
        return FileReader(source, chosen)
    if sheet is not None or header_row is not None:
        raise InvalidInput(_("--sheet and --header-row are for spreadsheets (.xlsx, .xls, .ods)"))
    if kind != "people":
        raise InvalidInput(_("a vCard file holds people; import it with `dossier import people {file}`").format(file=name))
    from dossier_cli.transfer.formats.vcard import VCardSource

    return VCardReader(VCardSource(stream.read(), name), chosen)


class VCardReader(FileReader):
    """The cards are read once and kept (an address book is small): `--create-missing` looks at
    every ORG before the people are written."""

    def __init__(self, source: Any, fmt: str) -> None:
        super().__init__(source, fmt)
        self._rows = list(source.rows())

    def records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for location, row in self._rows:
            yield location, row

    def prepare(self, session: Session, settings: Settings, options: Any, result: Any) -> None:
        if not getattr(options, "create_missing", False):
            return
        names = [row["company"] for _location, row in self._rows if row.get("company")]
        added = create_missing_companies(session, settings, names)
        if added:
            result.details[N_("companies added")] = len(added)


def create_missing_companies(session: Session, settings: Settings, names: Iterable[str]) -> list[str]:
    """Add each company named here that no company is (by name, legal form ignored, or a unique
    part of a name), through `add_company`; the names added."""
    from dossier_cli.records.companies import add_company, find_company
    from dossier_cli.text import company_key

    added: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = " ".join(str(name).split())
        key = company_key(name)
        if not name or key in seen:
            continue
        seen.add(key)
        try:
            find_company(session, name)
            continue
        except NotFound:
            pass
        except DossierError:
            continue  # several companies of that name: the row will say so
        add_company(session, settings, name=name)
        added.append(name)
    return added


class PaymentReader(FileReader):
    """A 1C statement read twice: once to count the payments and find their payers, then for the rows."""

    def prepare(self, session: Session, settings: Settings, options: Any, result: Any) -> None:
        source = self.source
        survey = source.survey_file()
        source.resolve_payers(session, settings, create_missing=getattr(options, "create_missing", False))
        result.details[N_("incoming payments")] = survey.incoming
        result.details[N_("outgoing payments skipped")] = survey.outgoing
        if survey.own_transfers:
            result.details[N_("transfers between our accounts skipped")] = survey.own_transfers
        if survey.not_ours:
            result.details[N_("payments of others skipped")] = survey.not_ours
        if survey.created:
            result.details[N_("companies added")] = len(survey.created)
