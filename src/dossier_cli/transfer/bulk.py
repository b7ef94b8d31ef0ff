"""The SQLite settings while importing (a larger page cache, the search index filled at the end)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from dossier_cli.transfer.results import BULK_CACHE_KIB

if TYPE_CHECKING:
    from sqlmodel import Session


@contextmanager
def settled_objects() -> Iterator[None]:
    """Keep the garbage collector off what was loaded before the rows (modules, tables, settings).

    Each full collection walks every object alive; during a 100,000-row import it walked the
    start-up's half million objects again and again (1.1 of 16 s CPU measured). Frozen
    (`gc.freeze`), they are skipped; reference counting still frees them, and they are handed
    back to the collector when the import ends.
    """
    import gc

    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def bulk_settings(session: Session, kind: str) -> Iterator[None]:
    """A larger page cache while importing (index inserts in random order thrash the default
    2 MB), and the search index filled once at the end rather than by a trigger per row."""
    from sqlalchemy import text

    from dossier_cli.search import deferred_index

    conn = session.connection()
    # A people file writes little: the default cache does for it, and reading 100,000 companies
    # to find its people's would fill the larger one (some 50 MB more for no gain).
    if conn.dialect.name != "sqlite" or kind == "people":
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
