"""Rows a bulk writer collects and inserts together, instead of one INSERT per record.

An import opens a buffer on its session for a batch (`with deferred.rows(session):`), the domain's
write functions hand their rows to `insert` as they always do, and the rows go in with one
statement per table when the batch ends, or earlier (`write`) when a later write must read them
back (the same company answered twice in one batch). Without a buffer, `insert` writes at once:
the interactive commands see no difference. Rows are written in the order they were given.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlmodel import Session

_KEY = "dossier_deferred_rows"


@contextmanager
def rows(session: Session) -> Iterator[None]:
    """Inside the block, rows given to `insert` wait and are written when it ends; if it fails,
    they are forgotten (its transaction is rolled back)."""
    session.info[_KEY] = {}
    try:
        yield
        write(session)
    finally:
        session.info.pop(_KEY, None)


def collecting(session: Session) -> bool:
    return _KEY in session.info


def insert(session: Session, table: Table, new_rows: list[dict[str, Any]]) -> None:
    """Insert `new_rows` into `table`: now, or with the session's waiting rows inside `rows`."""
    if not new_rows:
        return
    waiting = session.info.get(_KEY)
    if waiting is None:
        session.connection().execute(table.insert(), new_rows)
    else:
        waiting.setdefault(table, []).extend(new_rows)


def write(session: Session) -> None:
    """Insert every row waiting so far, one statement per table, in the order they came."""
    waiting = session.info.get(_KEY)
    if not waiting:
        return
    session.flush()  # the records these rows point at exist first
    for table, waiting_rows in list(waiting.items()):
        session.connection().execute(table.insert(), waiting_rows)
    waiting.clear()
