"""People, their tags, and the do-not-contact markers left by `forget person`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field

from dossier_cli.models._base import KeyText, Table, utcnow


class Person(Table, table=True):
    __tablename__ = "person"
    __table_args__ = (Index("ix_person_name_key", "name_key", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(Text, nullable=False))
    name_key: str = Field(sa_column=Column(KeyText, nullable=False))
    phone: str | None = None  # primary phone, E.164 when it parses
    email: str | None = None  # primary e-mail, lower-cased
    notes: str | None = None
    personality_type: str | None = None
    do_not_contact: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PersonTag(Table, table=True):
    __tablename__ = "person_tag"
    __table_args__ = (Index("ix_person_tag_tag", "tag"),)

    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True)


class ForgottenPerson(Table, table=True):
    """A do-not-contact marker left by `forget person`: a hash, never the name."""

    __tablename__ = "forgotten_person"

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(unique=True)
    forgotten_at: datetime = Field(default_factory=utcnow)
