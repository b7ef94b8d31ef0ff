"""Sales and relationship ratings."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Index
from sqlmodel import Field

from dossier_cli.models._base import Table, utcnow
from dossier_cli.models import _company  # noqa: F401  (the tables its foreign keys point to)


class Sale(Table, table=True):
    __tablename__ = "sale"
    __table_args__ = (
        Index("ix_sale_company_date", "company_id", "sold_on", "amount_minor"),
        Index("ix_sale_date_company", "sold_on", "company_id", "amount_minor"),
        Index("ix_sale_company_ref", "company_id", "reference"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", ondelete="CASCADE")
    sold_on: date
    amount_minor: int = Field(sa_type=BigInteger)  # 64-bit on every backend: large B2B deals
    reference: str | None = None  # invoice number; unique per company when given
    note: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Rating(Table, table=True):
    """How close the relationship is, 0..10, as the salesperson judges it."""

    __tablename__ = "rating"
    __table_args__ = (Index("ix_rating_company", "company_id", "rated_on", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", ondelete="CASCADE")
    score: int
    rated_on: date = Field(default_factory=date.today)
    note: str | None = None
    user: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
