"""What ties people to companies: roles, and phones, e-mails and websites."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from dossier_cli.models._base import Table, utcnow
from dossier_cli.models import _company  # noqa: F401  (the tables its foreign keys point to)
from dossier_cli.models import _person  # noqa: F401  (the tables its foreign keys point to)


class PersonLink(Table, table=True):
    """A person's role at a company; kept (inactive) when the company closes."""

    __tablename__ = "person_link"
    __table_args__ = (
        Index("ix_person_link_company", "company_id", "active"),
        Index("ix_person_link_person", "person_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE")
    company_id: int = Field(foreign_key="company.id", ondelete="CASCADE")
    role: str  # economic-buyer|technical-buyer|user|coach|owner|other
    active: bool = Field(default=True)
    since: date | None = None
    until: date | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ContactPoint(Table, table=True):
    """A phone, e-mail or website of a company or a person, stored normalised."""

    __tablename__ = "contact_point"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str  # phone | email | website
    value: str  # E.164 phone, lower-case e-mail, bare host
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True, ondelete="CASCADE")
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
