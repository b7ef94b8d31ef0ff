"""Rows a bulk writer collects and inserts together, instead of one INSERT per record.

An import opens a buffer on its session (`collect`), the domain's write functions hand their
rows to `insert` as they always do, and the importer writes them all with one statement per
table (`write`) at the end of each batch, or earlier when a later write must read them back
(the same company answered twice in one batch). Without a buffer, `insert` writes at once:
the interactive commands see no difference. Rows are written in the order they were given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlmodel import Session

_KEY = "dossier_deferred_rows"


def collect(session: Session) -> None:
    """From now on, rows given to `insert` on this session wait for `write`."""
    session.info.setdefault(_KEY, {})


def collecting(session: Session) -> bool:
    return _KEY in session.info


def insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` into `table`: now, or with the session's collected rows when it collects."""
    if not rows:
        return
    waiting = session.info.get(_KEY)
    if waiting is None:
        session.connection().execute(table.insert(), rows)
    else:
        waiting.setdefault(table, []).extend(rows)


def write(session: Session) -> None:
    """Insert every row collected so far, one statement per table, in the order they came."""
    waiting = session.info.get(_KEY)
    if not waiting:
        return
    session.flush()  # the records these rows point at exist first
    for table, rows in list(waiting.items()):
        session.connection().execute(table.insert(), rows)
    waiting.clear()


def stop(session: Session) -> None:
    """Write what is waiting and stop collecting."""
    write(session)
    session.info.pop(_KEY, None)


def drop(session: Session) -> None:
    """Stop collecting and forget what is waiting (the write failed; its transaction is rolled back)."""
    session.info.pop(_KEY, None)
