"""The prospect dossier's answers, and the gifts-and-hospitality register."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Text
from sqlmodel import Field

from dossier_cli.models._base import Table, utcnow
from dossier_cli.models import _company  # noqa: F401  (the tables its foreign keys point to)
from dossier_cli.models import _person  # noqa: F401  (the tables its foreign keys point to)


class DossierAnswer(Table, table=True):
    """One answer to a dossier item; earlier answers stay as history (is_current false)."""

    __tablename__ = "dossier_answer"
    __table_args__ = (Index("ix_dossier_answer_current", "company_id", "is_current", "item_key"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="CASCADE")
    item_key: str
    value_json: str = Field(sa_column=Column(Text, nullable=False))
    is_current: bool = Field(default=True)
    answered_at: datetime = Field(default_factory=utcnow)
    user: str | None = None


class Gift(Table, table=True):
    """The gifts-and-hospitality register that compliance policies ask for."""

    __tablename__ = "gift"
    __table_args__ = (Index("ix_gift_company", "company_id", "given_on"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    given_on: date
    what: str
    value_minor: int = Field(default=0, sa_type=BigInteger)
    purpose: str | None = None
    user: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
