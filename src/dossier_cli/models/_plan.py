"""The quarterly prospecting plan."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Text
from sqlmodel import Field

from dossier_cli.models._base import Table, utcnow


class Plan(Table, table=True):
    __tablename__ = "plan"

    id: int | None = Field(default=None, primary_key=True)
    quarter: str = Field(unique=True)  # 2027-Q1
    territories_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    markets_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    who: str | None = None
    from_office: str | None = None
    when_text: str | None = None
    with_json: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    goal_prospects: int | None = None
    goal_touches: int | None = None
    goal_clients: int | None = None
    goal_revenue_minor: int | None = Field(default=None, sa_type=BigInteger)  # sales hoped for in the quarter
    review_note: str | None = None
    reviewed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
