"""Where each company's name is filed for comparison (the `company_name_block` table).

A name key (`text.company_key`) is transliterated to plain Latin with `anyascii`, so
«Ромашка» and "Romashka" meet, and filed under its word beginnings and its start and end.
Every write of a company's name keeps the index in step (`index_company_names`, in the
same transaction); `upkeep/dupes.py` reads it to find look-alikes without comparing every
pair.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import repeat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

_LATIN_WORD = re.compile(r"[a-z0-9]+")


class _Translit(dict):
    """A str.translate table filled on demand from anyascii, one character at a time."""

    def __missing__(self, codepoint: int) -> str:
        from anyascii import anyascii

        value = anyascii(chr(codepoint)).lower()
        self[codepoint] = value
        return value


_TRANSLIT = _Translit()


def latin_key(key: str) -> str:
    """A name key in plain Latin letters: `ромашка` -> `romashka`."""
    return " ".join(_latin_words(key))


def _latin_words(key: str) -> list[str]:
    return _LATIN_WORD.findall((key if key.isascii() else key.translate(_TRANSLIT)).lower())


def name_blocks(latin: str) -> set[str]:
    """Where a Latin name key is filed for comparison: its word beginnings, and its start and end."""
    return _blocks(latin.split())


def _blocks(words: list[str]) -> set[str]:
    blocks = {word[:4] for word in words if len(word) >= 3}
    if words:
        compact = "".join(words)
        blocks.add("<" + compact[:4])
        blocks.add(">" + compact[-4:])  # a typo near the start still meets its twin
    return blocks


def index_company_names(session: Session | Connection, names: Iterable[tuple[int, str]], *, replace: bool = True) -> None:
    """File companies' names (id, name key) under their blocks, for `look_alikes`.

    Every path that creates a company or changes its name calls this in the same
    transaction (the schema upgrade that added the index, too, with its connection);
    a removed company's rows go with it (ON DELETE CASCADE). Rows go to the driver as
    plain tuples, a few thousand companies at a time: an import files 100,000 names.
    """
    from sqlalchemy import delete
    from sqlalchemy.engine import Connection

    from dossier_cli.models import CompanyNameBlock

    conn = session if isinstance(session, Connection) else session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    insert = f"INSERT INTO company_name_block (block, company_id) VALUES ({mark}, {mark})"
    batch: list[tuple[int, str]] = []

    def flush() -> None:
        ids = [company_id for company_id, _ in batch]
        if replace:
            conn.execute(delete(CompanyNameBlock).where(CompanyNameBlock.company_id.in_(ids)))  # type: ignore[attr-defined]
        rows: list[tuple[str, int]] = []
        for company_id, key in batch:
            rows.extend(zip(_blocks(_latin_words(key or "")), repeat(company_id)))
        if rows:
            conn.exec_driver_sql(insert, sorted(rows))
        batch.clear()

    for item in names:
        batch.append(item)
        if len(batch) >= 2000:
            flush()
    if batch:
        flush()
