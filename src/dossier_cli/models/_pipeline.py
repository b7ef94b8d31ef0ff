"""The pipeline: every stage move of a company."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field

from dossier_cli.models._base import Table, utcnow
from dossier_cli.models import _company  # noqa: F401  (the tables its foreign keys point to)


class StageChange(Table, table=True):
    __tablename__ = "stage_change"
    __table_args__ = (
        Index("ix_stage_change_company", "company_id", "changed_on"),
        Index("ix_stage_change_stay", "company_id", "changed_on", "id", "to_stage"),  # covers the stays window
        Index("ix_stage_change_date", "changed_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", ondelete="CASCADE")
    from_stage: str | None = None  # None for the company's first stage
    to_stage: str
    changed_on: date = Field(default_factory=date.today)
    note: str | None = None
    user: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
