"""The contact log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, text
from sqlmodel import Field

from dossier_cli.models._base import Table, utcnow
from dossier_cli.models import _company  # noqa: F401  (the tables its foreign keys point to)
from dossier_cli.models import _person  # noqa: F401  (the tables its foreign keys point to)


class Touch(Table, table=True):
    __tablename__ = "touch"
    __table_args__ = (
        Index("ix_touch_company_date", "company_id", "touched_on", "kind", "outcome"),  # covers the stats counts
        Index("ix_touch_next", "next_on", "done"),
        Index("ix_touch_date_company", "touched_on", "company_id"),
        Index("ix_touch_person", "person_id"),
        # The open next steps by company: what a new touch may close, read without the closed ones.
        # Partial (WHERE next_on IS NOT NULL AND done = false): migration 0009 says so for each
        # database; naming the PostgreSQL option here would load that dialect (30 ms) in every command.
        Index("ix_touch_open", "company_id", sqlite_where=text("next_on IS NOT NULL AND done = 0")),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    touched_on: date = Field(default_factory=date.today)
    kind: str
    outcome: str | None = None  # positive | neutral | no | no-answer
    note: str | None = None
    next_on: date | None = None
    next_action: str | None = None
    done: bool = Field(default=False)  # the next step was done (explicitly or by a later touch)
    user: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
