"""One import run: read rows, check each, hand batches to the writer of the kind, report."""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from dossier_cli import audit
from dossier_cli.errors import InvalidInput
from dossier_cli.transfer.bulk import bulk_settings
from dossier_cli.transfer.mapping import ColumnMap
from dossier_cli.transfer.reading import Reader
from dossier_cli.transfer.results import BATCH_SIZE, KINDS, BadRow, ImportRefused, ImportResult, Progress, RowProblem
from dossier_cli.transfer.values import Values

if TYPE_CHECKING:
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


class Rejects:
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
        from dossier_cli.transfer.restore import import_all

        import_all(session, reader, result)
    else:
        columns = ColumnMap(kind, reader.headers, options.mapping, name)
        result.ignored_columns = columns.ignored
        rejects = Rejects(
            (options.reject_path or default_reject_path(name)) if options.skip_errors and not options.dry_run else None,
            reader.headers,
        )
        importer = writer_for(kind)
        try:
            with bulk_settings(session, kind):
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


def default_reject_path(name: str) -> str:
    if name == "-":
        return f"dossier-rejects-{datetime.now().strftime('%Y%m%d-%H%M%S')}.csv"
    path = Path(name)
    return str(path.with_name(f"{path.stem}.rejects.csv"))


class Importer:
    """Shared loop: validate each row, collect batches, write them; problems are counted, not raised."""

    def __init__(self, session: Session, settings: Settings, columns: ColumnMap, result: ImportResult,
                 options: ImportOptions, reader: Reader, rejects: Rejects) -> None:
        self.session = session
        self.settings = settings
        self.columns = columns
        self.result = result
        self.options = options
        self.reader = reader
        self.rejects = rejects
        self.values = Values()
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
                    raise BadRow(None, row["\0error"])
                batch.append((line, self.clean(row)))
            except BadRow as bad:
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
