"""Companies: the firm itself, its branches, tags and its name filed for look-alike checks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field

from dossier_cli.models._base import KeyText, Table, utcnow


class Company(Table, table=True):
    __tablename__ = "company"
    __table_args__ = (
        Index("ix_company_name_key", "name_key", "id"),
        Index("ix_company_search_key", "search_key"),
        Index("ix_company_stage", "stage", "status"),
        Index("ix_company_city_key", "city_key"),
        Index("ix_company_status_stage", "status", "stage"),  # covers the funnel's counts per stage
        Index("ix_company_listed", "listed_on"),
        # `list companies` (active ones, by name): filter and order from one index, no sort.
        Index("ix_company_status_name", "status", "name_key", "id"),
        # the agenda's companies with a contact cadence (few of many)
        Index("ix_company_cadence", "cadence_days"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(Text, nullable=False))
    name_key: str = Field(sa_column=Column(KeyText, nullable=False))  # for duplicates and sorting
    search_key: str = Field(sa_column=Column(Text, nullable=False))  # case-folded full name
    legal_form: str | None = None
    tax_number: str | None = Field(default=None, index=True, unique=True)  # INN
    kpp: str | None = None
    ogrn: str | None = None
    city: str | None = None  # head office
    city_key: str | None = None
    territory: str | None = None
    territory_key: str | None = Field(default=None, index=True)
    market: str | None = None  # industry
    market_key: str | None = Field(default=None, index=True)
    industry_needs: str | None = None
    activity: str | None = Field(default=None, index=True)  # extraction|production|trade|services
    source: str | None = Field(default=None, index=True)  # where we learned of it
    founded: int | None = None  # year
    strategy: str | None = None
    trend: str | None = None
    financial_standing: str | None = None
    supply_channels: str | None = None
    competitors: str | None = None
    payment_reputation: str | None = None
    notes: str | None = None
    stage: str = Field(default="target")
    status: str = Field(default="active")  # active | lost | liquidated
    listed_on: date = Field(default_factory=date.today)  # first put on our list
    liquidated_on: date | None = None
    liquidation_note: str | None = None
    # What a manager plans with (selling/forecast.py): the deal expected, the month it should
    # close (its first day), and how often to stay in touch; the current pipeline cycle
    # (1, then one more after each `reopen` of a lost company).
    deal_value_minor: int | None = Field(default=None, sa_type=BigInteger)
    close_by: date | None = None
    cadence_days: int | None = None
    cycle: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Branch(Table, table=True):
    __tablename__ = "branch"
    __table_args__ = (UniqueConstraint("company_id", "city"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    city: str


class CompanyTag(Table, table=True):
    __tablename__ = "company_tag"
    __table_args__ = (Index("ix_company_tag_tag", "tag"),)

    company_id: int = Field(foreign_key="company.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True)


class CompanyNameBlock(Table, table=True):
    """Where each company's name is filed for comparison: its blocks (`records.name_index.name_blocks`).

    Blocks are word beginnings and the start and end of the name in Latin letters.
    `add company` compares a new name only with the names sharing a block, found through
    this index, instead of reading and transliterating every name in the database.
    Derived data: kept in step by `records.name_index.index_company_names`, never exported.
    """

    __tablename__ = "company_name_block"
    # Stored in primary-key order on SQLite (no rowid): a block's companies are one range.
    __table_args__ = (Index("ix_company_name_block_company", "company_id"), {"sqlite_with_rowid": False})

    block: str = Field(primary_key=True)
    company_id: int = Field(foreign_key="company.id", primary_key=True, ondelete="CASCADE")