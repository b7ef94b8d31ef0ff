"""Batched INSERTs for big writes (an import's companies and sales): the driver's own executemany over tuples.

Low level like audit.py: it knows tables, not records, so the domain's bulk forms and the
import both use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dossier_cli.errors import DossierError


class DriverInsert:
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
