"""All of dossier's tables, in one place.

Conventions: money in integer minor units (`*_minor`), timestamps in UTC
(`*_at`, timezone-aware, stored as UTC), calendar dates as dates (`*_on`).
`*_key` columns hold a normalised form of a name (case-folded, `ё`→`е`, quotes and
legal forms removed) so that matching and sorting behave the same for Cyrillic and
Latin on every backend. Lists are stored as JSON text.

The schema itself is created and upgraded by the Alembic migrations in
`dossier_cli/migrations`; these classes must agree with them (a test checks).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from pydantic import ConfigDict
from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


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


# ---------------------------------------------------------------- companies
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
    status: str = Field(default="active")  # active | liquidated
    listed_on: date = Field(default_factory=date.today)  # first put on our list
    liquidated_on: date | None = None
    liquidation_note: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Branch(Table, table=True):
    __tablename__ = "branch"
    __table_args__ = (UniqueConstraint("company_id", "city"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True, ondelete="CASCADE")
    city: str


# ---------------------------------------------------------------- people
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


class CompanyNameBlock(Table, table=True):
    """A company's name, transliterated (`dupes.latin_key`), under each of its blocks.

    Blocks are word beginnings and the start and end of the whole name (`dupes.name_blocks`).
    `add company` compares a new name only with the names sharing a block, found through
    this index, instead of reading and transliterating every name in the database.
    Derived data: kept in step by `dupes.index_company_names`, never exported.
    """

    __tablename__ = "company_name_block"
    __table_args__ = (Index("ix_company_name_block_company", "company_id"),)

    block: str = Field(primary_key=True)
    company_id: int = Field(foreign_key="company.id", primary_key=True, ondelete="CASCADE")
    latin_key: str


class CompanyTag(Table, table=True):
    __tablename__ = "company_tag"
    __table_args__ = (Index("ix_company_tag_tag", "tag"),)

    company_id: int = Field(foreign_key="company.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True)


class PersonTag(Table, table=True):
    __tablename__ = "person_tag"
    __table_args__ = (Index("ix_person_tag_tag", "tag"),)

    person_id: int = Field(foreign_key="person.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True)


# ---------------------------------------------------------------- pipeline
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


# ---------------------------------------------------------------- sales
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


# ---------------------------------------------------------------- contact log
class Touch(Table, table=True):
    __tablename__ = "touch"
    __table_args__ = (
        Index("ix_touch_company_date", "company_id", "touched_on", "kind", "outcome"),  # covers the stats counts
        Index("ix_touch_next", "next_on", "done"),
        Index("ix_touch_date_company", "touched_on", "company_id"),
        Index("ix_touch_person", "person_id"),
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


# ---------------------------------------------------------------- the dossier
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


# ---------------------------------------------------------------- the plan
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
    review_note: str | None = None
    reviewed_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


# ---------------------------------------------------------------- audit and privacy
class AuditEvent(Table, table=True):
    """Append-only: ordinary commands never update or delete these rows."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_entity", "entity", "entity_id"),
        Index("ix_audit_company", "company_id", "at"),
        Index("ix_audit_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    user: str | None = None
    command: str | None = None
    action: str  # create|update|delete|promote|liquidate|import|erase|merge|…
    entity: str  # company|person|sale|touch|…
    entity_id: int | None = None
    company_id: int | None = None
    changes_json: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))


class ForgottenPerson(Table, table=True):
    """A do-not-contact marker left by `forget person`: a hash, never the name."""

    __tablename__ = "forgotten_person"

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(unique=True)
    forgotten_at: datetime = Field(default_factory=utcnow)
