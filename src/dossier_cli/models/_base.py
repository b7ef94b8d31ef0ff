"""The base of every table class, and what the tables share."""

from __future__ import annotations

from datetime import datetime, timezone

from pydantic import ConfigDict
from sqlalchemy import Text
from sqlmodel import SQLModel


class Table(SQLModel):
    """The base of every table class.

    Pydantic's validation schema is built on first use (`defer_build`), not at import:
    rows loaded from the database and objects the domain layer creates never need it,
    and building it for all the tables cost every command about 35 ms at start-up.
    """

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]


# The sort keys compare code point by code point on every backend: SQLite does so by
# default; a PostgreSQL server might otherwise sort by its locale (ru-RU puts Cyrillic
# before Latin), so there the column is declared with the "C" collation.
KeyText = Text().with_variant(Text(collation="C"), "postgresql")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
