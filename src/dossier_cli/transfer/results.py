"""What an import reports: rows created, updated, unchanged and refused, with where and why."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _, ngettext


KINDS: tuple[str, ...] = ("companies", "people", "sales", "touches", "dossier", "all")
MAX_SHOWN_PROBLEMS = 20
BATCH_SIZE = 5000
BULK_CACHE_KIB = 64 * 1024  # SQLite page cache while importing (memory stays well under 200 MB)

Progress = Callable[[int, int | None], None]  # (bytes read, total bytes or None)


# ---------------------------------------------------------------- results
@dataclass
class RowProblem:
    line: str  # where the row is: "line 14", "record 3", "Sheet1!14"
    column: str | None
    problem: str


@dataclass
class ImportResult:
    kind: str
    source: str
    columns: dict[str, str] = field(default_factory=dict)  # spreadsheet column letters, for cell labels
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    unmapped_fields: list[str] = field(default_factory=list)
    flagged: list[dict[str, Any]] = field(default_factory=list)  # new people marked do-not-contact (forgotten before)  # fields no column feeds (what --map may name)
    reject_file: str | None = None
    dry_run: bool = False
    details: dict[str, int] = field(default_factory=dict)  # `import all`: rows per table

    def add_problem(self, line: str, column: str | None, problem: str) -> None:
        self.refused += 1
        if len(self.problems) < MAX_SHOWN_PROBLEMS:
            self.problems.append(RowProblem(line, column, problem))

    def problem_lines(self) -> list[str]:
        lines = []
        for p in self.problems:
            from dossier_cli.transfer.reading import cell_label

            where = cell_label(self, p.line, p.column)
            lines.append(f"{self.source}: {where}: {p.problem}")
        if self.refused > len(self.problems):
            lines.append(_("… and {n} more bad rows").format(n=self.refused - len(self.problems)))
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
            ngettext("{file}: {n} bad row; nothing was imported", "{file}: {n} bad rows; nothing was imported", result.refused).format(
                file=result.source, n=result.refused),
            hint=_("fix them, or add --skip-errors to import the good rows and write the bad ones to a reject file"),
        )
        self.result = result


class BadRow(Exception):
    def __init__(self, column: str | None, problem: str) -> None:
        super().__init__(problem)
        self.column = column
        self.problem = problem
