"""The loop every writer shares: check each row, collect batches, write them; bad rows are counted, not raised."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from dossier_cli.transfer.results import BATCH_SIZE, BadRow, ImportResult, RowProblem
from dossier_cli.transfer.values import Values

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.transfer.importing import ImportOptions, Rejects
    from dossier_cli.transfer.mapping import ColumnMap
    from dossier_cli.transfer.reading import Reader


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
        self.line = ""  # where the row being cleaned is ("line 14")
        self.batch: list[Any] = []  # rows cleaned and not yet written

    def refuse_earlier(self, line: str, column: str | None, problem: str, row: dict[str, Any] | None) -> bool:
        """Refuse a row accepted earlier; True when it was still waiting in the batch (so nothing of it was written)."""
        waiting = [entry for entry in self.batch if entry[0] == line]
        for entry in waiting:
            self.batch.remove(entry)
        self.result.add_problem(line, column, problem)
        self.rejects.write(line, RowProblem(line, column, problem), row or {})
        return bool(waiting)

    def clean(self, row: dict[str, Any]) -> Any:
        raise NotImplementedError

    def write(self, batch: list[Any]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        return None

    def run(self) -> None:
        result, clean = self.result, self.clean  # looked up once: a file may hold a million rows
        for line, row in self.reader.records():
            result.rows += 1
            self.line = line
            try:
                if "\0error" in row:
                    raise BadRow(None, row["\0error"])
                self.batch.append((line, clean(row)))
            except BadRow as bad:
                problem = RowProblem(line, bad.column, bad.problem)
                result.add_problem(line, bad.column, bad.problem)
                self.rejects.write(line, problem, {k: v for k, v in row.items() if k != "\0error"})
            if len(self.batch) >= BATCH_SIZE:
                batch, self.batch = self.batch, []
                self._flush(batch)
        batch, self.batch = self.batch, []
        self._flush(batch)
        self.finish()

    # A writer whose write() is where rows are checked writes even a file that is being refused
    # (the transaction is rolled back), so that every bad row is reported.
    checks_in_write = False

    def _flush(self, batch: list[Any]) -> None:
        # Once a file is going to be refused, writing more of it is wasted work.
        if batch and (self.options.skip_errors or not self.result.refused or self.checks_in_write):
            self.write(batch)
        if self.options.progress is not None:
            self.options.progress(self.reader.position, self.reader.total)
