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
    from_stage: str | None = None  # None for the company's first stage (of a cycle)
    to_stage: str
    changed_on: date = Field(default_factory=date.today)
    cycle: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # the company's pipeline cycle
    note: str | None = None
    user: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


class LostDeal(Table, table=True):
    """A company lost from the pipeline: when, at which stage, why. One row per lost cycle."""

    __tablename__ = "lost_deal"
    __table_args__ = (
        Index("ix_lost_deal_company", "company_id", "cycle"),
        Index("ix_lost_deal_date", "lost_on", "reason"),
        {"sqlite_autoincrement": True},  # ids are never reused
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", ondelete="CASCADE")
    cycle: int
    stage: str  # the stage it was lost at
    reason: str  # a key of the lost-reason list (selling/lost.py)
    note: str | None = None
    lost_on: date
    reopened_on: date | None = None
    user: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
