"""One import run: read rows, check each, hand batches to the writer of the kind, report."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from dossier_cli import audit
from dossier_cli.errors import InvalidInput
from dossier_cli.transfer.bulk import bulk_settings, settled_objects
from dossier_cli.transfer.mapping import ColumnMap
from dossier_cli.transfer.reading import Reader
from dossier_cli.transfer.results import KINDS, ImportRefused, ImportResult, Progress, RowProblem
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from dossier_cli.transfer.writers.base import Importer
    from sqlmodel import Session

    from dossier_cli.config import Settings


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
    sheet: str | None = None  # spreadsheets: the sheet to read (default the first)
    header_row: int | None = None  # spreadsheets: the header's row, as Excel numbers it (default: found)
    create_missing: bool = False  # vCard and 1C statements: add the companies they name that are not listed
    our_inn: str | None = None  # 1C statements: our tax number (payments to it are ours)


class Rejects:
    """The reject file: bad rows as they were, with the line and the problem, readable by the owner only."""

    def __init__(self, path: str | None, headers: list[str], *, encoding: str | None = None, delimiter: str | None = None) -> None:
        self.path = path
        self.headers = headers
        # As the input was written, so that the program that wrote it (Excel, 1C) reads the rejects too.
        self.encoding = encoding or "utf-8"
        self.delimiter = delimiter or ","
        self._stream: Any = None
        self._writer: Any = None

    def write(self, line: str, problem: RowProblem, row: dict[str, Any]) -> None:
        if self.path is None:
            return
        if self._stream is None:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(fd, 0o600)
            self._stream = os.fdopen(fd, "w", encoding=self.encoding, errors="replace", newline="")
            self._writer = csv.writer(self._stream, delimiter=self.delimiter, lineterminator="\r\n")
            self._writer.writerow(["line", "column", "problem", *self.headers])
        cells = [row.get(h) for h in self.headers]
        self._writer.writerow(
            [line.removeprefix("line ").removeprefix("record "), problem.column or "", problem.problem, *(json.dumps(c, ensure_ascii=False) if isinstance(c, (list, dict)) else c for c in cells)]
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
        raise InvalidInput(_("unknown kind '{kind}'").format(kind=kind), hint=_("choose one of: {items}").format(items=', '.join(KINDS)))
    from dossier_cli.transfer.formats.sources import known_headers, open_reader
    from dossier_cli.records import objections

    people_before = objections.last_person_id(session) if kind in ("people", "all") else None

    reader: Any = None if kind == "all" else open_reader(
        stream, name, kind=kind, fmt=options.fmt, sheet=options.sheet, header_row=options.header_row,
        known=known_headers(kind, options.mapping), our_inn=options.our_inn)
    if reader is None:
        reader = Reader(stream, name, fmt=options.fmt if kind != "all" else (options.fmt or "json"), encoding=options.encoding,
                        total=total, whole_document=kind == "all")
    result = ImportResult(kind=kind, source=name, columns=dict(getattr(reader, "columns", None) or {}), dry_run=options.dry_run)
    if kind == "all":
        if reader.format != "json":
            raise InvalidInput(_("`import all` reads the JSON document of `export all --format json`"))
        from dossier_cli.transfer.restore import import_all

        import_all(session, reader, result)
    else:
        columns = ColumnMap(kind, reader.headers, options.mapping, name)
        result.ignored_columns = columns.ignored
        result.unmapped_fields = columns.unmapped
        rejects = Rejects(
            (options.reject_path or default_reject_path(name)) if options.skip_errors and not options.dry_run else None,
            reader.headers,
            encoding=reader.written_encoding if reader.format not in ("json", "jsonl") else None,
            delimiter=reader.delimiter,
        )
        importer = writer_for(kind)
        prepare = getattr(reader, "prepare", None)  # vCard and 1C statements: companies first (transfer/formats)
        if options.create_missing and prepare is None:
            raise InvalidInput(_("--create-missing works with vCard files and 1C bank statements"),
                               hint=_("import the companies first: `dossier import companies FILE`"))
        if prepare is not None:
            prepare(session, settings, options, result)
        try:
            with settled_objects(), bulk_settings(session, kind):
                importer(session, settings, columns, result, options, reader, rejects).run()
        finally:
            result.reject_file = rejects.close()
        if result.refused and not options.skip_errors:
            raise ImportRefused(result)
    if people_before is not None:  # new people who match a `forget person` marker: do-not-contact
        result.flagged = objections.flag_new_people(session, after_id=people_before)
    audit.record(
        session,
        action="import",
        entity=kind,
        entity_id=None,
        changes={"file": name, **{k: v for k, v in result.summary().items() if k not in ("kind", "file")}},
    )
    session.flush()
    return result


def default_reject_path(name: str) -> str:
    if name == "-":
        return f"dossier-rejects-{datetime.now().strftime('%Y%m%d-%H%M%S')}.csv"
    path = Path(name)
    return str(path.with_name(f"{path.stem}.rejects.csv"))


def writer_for(kind: str) -> type[Importer]:
    """The writer of one kind of record (imported here, so that each loads only when used)."""
    if kind == "companies":
        from dossier_cli.transfer.writers.companies import CompanyWriter as writer
    elif kind == "people":
        from dossier_cli.transfer.writers.people import PersonWriter as writer
    elif kind == "sales":
        from dossier_cli.transfer.writers.sales import SaleWriter as writer
    elif kind == "touches":
        from dossier_cli.transfer.writers.touches import TouchWriter as writer
    else:
        from dossier_cli.transfer.writers.dossier import AnswerWriter as writer
    return writer
