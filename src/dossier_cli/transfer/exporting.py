"""Writing records out: companies, people, sales, touches as flat records, or everything.

Records are produced as a stream (pages of `PAGE` rows by id), so exporting a million
sales needs little memory. The flat records re-import with `dossier import KIND`; the
`export all` document restores with `dossier import all` into an empty database, with
every table's rows exactly as they were (ids included).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TextIO

from dossier_cli.errors import InvalidInput
from dossier_cli.transfer.restore import ALL_SECTIONS, EXPORT_FORMAT, EXPORT_VERSION
from dossier_cli.parsing import format_amount
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings

KINDS: tuple[str, ...] = ("companies", "people", "sales", "touches", "all")
PAGE = 5000

COLUMNS: dict[str, tuple[str, ...]] = {
    "companies": (
        "id", "name", "legal_form", "tax_number", "kpp", "ogrn", "city", "branches", "territory", "market",
        "industry_needs", "strategy", "trend", "financial_standing", "supply_channels", "competitors",
        "payment_reputation", "notes", "activity", "source", "founded", "stage", "status", "listed_on",
        "liquidated_on", "phones", "emails", "websites", "tags", "deal_value", "close_by", "every_days",
    ),
    "people": ("id", "name", "company_id", "company", "role", "active", "phone", "email", "phones", "emails",
               "personality_type", "do_not_contact", "notes", "tags"),
    "sales": ("id", "company_id", "company", "tax_number", "date", "amount", "reference", "note"),
    "touches": ("id", "company_id", "company", "person_id", "person", "date", "kind", "outcome", "note", "next_on",
                "next_action", "done"),
}


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise InvalidInput(_("unknown kind '{kind}'").format(kind=kind), hint=_("choose one of: {items}").format(items=', '.join(KINDS)))
    return kind


def count(session: Session, kind: str) -> int:
    from sqlalchemy import func, select

    from dossier_cli.models import Company, Person, Sale, Touch

    model = {"companies": Company, "people": Person, "sales": Sale, "touches": Touch}[kind]
    return int(session.execute(select(func.count()).select_from(model)).scalar() or 0)


def _pages(session: Session, query: Any, id_column: Any) -> Iterator[list[Any]]:
    """Keyset paging by id: each page is one short query, whatever the table's size."""
    last = 0
    while True:
        rows = session.execute(query.where(id_column > last).order_by(id_column).limit(PAGE)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]  # every query here selects the id first


def records(session: Session, settings: Settings, kind: str) -> Iterator[dict[str, Any]]:
    """The flat records of one kind, in id order."""
    check_kind(kind)
    if kind == "companies":
        yield from _companies(session)
    elif kind == "people":
        yield from _people(session)
    elif kind == "sales":
        yield from _sales(session)
    elif kind == "touches":
        yield from _touches(session)
    else:
        raise InvalidInput(_("`export all` is one JSON document: use --format json"))


def _companies(session: Session) -> Iterator[dict[str, Any]]:
    from sqlmodel import select

    from dossier_cli.records.companies import branches_for, company_record
    from dossier_cli.models import Company, CompanyTag

    for page in _pages(session, select(Company.id, Company), Company.id):
        companies = [row[1] for row in page]
        ids = [c.id for c in companies]
        branches = branches_for(session, ids)
        tags: dict[int, list[str]] = {i: [] for i in ids}
        for company_id, tag in session.execute(
            select(CompanyTag.company_id, CompanyTag.tag).where(CompanyTag.company_id.in_(ids)).order_by(CompanyTag.tag)  # type: ignore[union-attr]
        ):
            tags[company_id].append(tag)
        points = _contact_points(session, "company_id", ids)
        for company in companies:
            record = company_record(company, branches=branches.get(company.id, []))
            record.update(points[company.id])
            record["tags"] = tags[company.id]
            yield record
        session.expunge_all()


def _contact_points(session: Session, owner: str, ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """{id: {"phones": […], "emails": […], "websites": […]}} as people read them (`+7 421 255-01-02`)."""
    from sqlmodel import select

    from dossier_cli.models import ContactPoint
    from dossier_cli.records.contacts import PLURALS, display

    found: dict[int, dict[str, list[str]]] = {i: {plural: [] for plural in PLURALS.values()} for i in ids}
    column = getattr(ContactPoint, owner)
    query = select(column, ContactPoint.kind, ContactPoint.value).where(column.in_(ids)).order_by(ContactPoint.id)
    for owner_id, kind, value in session.execute(query):
        if kind in PLURALS:
            found[owner_id][PLURALS[kind]].append(display(kind, value))
    return found


def _people(session: Session) -> Iterator[dict[str, Any]]:
    from sqlmodel import select

    from dossier_cli.models import Company, Person, PersonLink, PersonTag

    for page in _pages(session, select(Person.id, Person), Person.id):
        people = [row[1] for row in page]
        ids = [p.id for p in people]
        points = _contact_points(session, "person_id", ids)
        tags: dict[int, list[str]] = {i: [] for i in ids}
        for person_id, tag in session.execute(
            select(PersonTag.person_id, PersonTag.tag).where(PersonTag.person_id.in_(ids)).order_by(PersonTag.tag)  # type: ignore[union-attr]
        ):
            tags[person_id].append(tag)
        links: dict[int, list[Any]] = {p.id: [] for p in people}
        for link, company_name in session.execute(
            select(PersonLink, Company.name)
            .join(Company, Company.id == PersonLink.company_id)
            .where(PersonLink.person_id.in_(list(links)))  # type: ignore[union-attr]
            .order_by(PersonLink.id)
        ):
            links[link.person_id].append((link, company_name))
        for person in people:
            base = {"id": person.id, "name": person.name}
            rest = {"phone": person.phone, "email": person.email, "phones": points[person.id]["phones"],
                    "emails": points[person.id]["emails"], "personality_type": person.personality_type,
                    "do_not_contact": person.do_not_contact, "notes": person.notes, "tags": tags[person.id]}
            # One record per link, so that `import people` restores every role.
            for link, company_name in links[person.id] or [(None, None)]:
                yield {
                    **base,
                    "company_id": link.company_id if link else None,
                    "company": company_name,
                    "role": link.role if link else None,
                    "active": link.active if link else None,
                    **rest,
                }
        session.expunge_all()


def _sales(session: Session) -> Iterator[dict[str, Any]]:
    from sqlmodel import select

    from dossier_cli.models import Company, Sale

    query = select(Sale.id, Sale.company_id, Company.name, Company.tax_number, Sale.sold_on, Sale.amount_minor,
                   Sale.reference, Sale.note).join(Company, Company.id == Sale.company_id)
    for page in _pages(session, query, Sale.id):
        for sale_id, company_id, name, tax, sold_on, amount, reference, note in page:
            yield {"id": sale_id, "company_id": company_id, "company": name, "tax_number": tax,
                   "date": sold_on.isoformat(), "amount": format_amount(amount), "reference": reference, "note": note}


def _touches(session: Session) -> Iterator[dict[str, Any]]:
    from sqlmodel import select

    from dossier_cli.models import Company, Person, Touch

    query = (
        select(Touch.id, Touch, Company.name, Person.name)
        .join(Company, Company.id == Touch.company_id)
        .join(Person, Person.id == Touch.person_id, isouter=True)
    )
    for page in _pages(session, query, Touch.id):
        for _id, touch, company_name, person_name in page:
            yield {
                "id": touch.id, "company_id": touch.company_id, "company": company_name, "person_id": touch.person_id,
                "person": person_name, "date": touch.touched_on.isoformat(), "kind": touch.kind,
                "outcome": touch.outcome, "note": touch.note,
                "next_on": touch.next_on.isoformat() if touch.next_on else None,
                "next_action": touch.next_action, "done": touch.done,
            }
        session.expunge_all()


# ---------------------------------------------------------------- export all
def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def all_sections(session: Session) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """(section, rows) for every table of the database, rows as stored (ids included)."""
    from sqlmodel import SQLModel, select

    from dossier_cli.models import load_all


    load_all()  # registers every table

    tables = SQLModel.metadata.tables

    def rows(table_name: str) -> Iterator[dict[str, Any]]:
        table = tables[table_name]
        key = table.c.id
        for page in _pages(session, select(table), key):
            extra: dict[int, dict[str, list[str]]] = {}
            ids = [row.id for row in page]
            if table_name == "company":
                extra = {i: {"branches": [], "tags": []} for i in ids}
                branch, tag = tables["branch"], tables["company_tag"]
                for cid, city in session.execute(select(branch.c.company_id, branch.c.city).where(branch.c.company_id.in_(ids)).order_by(branch.c.id)):
                    extra[cid]["branches"].append(city)
                for cid, name in session.execute(select(tag.c.company_id, tag.c.tag).where(tag.c.company_id.in_(ids)).order_by(tag.c.tag)):
                    extra[cid]["tags"].append(name)
            elif table_name == "person":
                extra = {i: {"tags": []} for i in ids}
                tag = tables["person_tag"]
                for pid, name in session.execute(select(tag.c.person_id, tag.c.tag).where(tag.c.person_id.in_(ids)).order_by(tag.c.tag)):
                    extra[pid]["tags"].append(name)
            for row in page:
                record = {name: _plain(value) for name, value in row._mapping.items()}
                record.update(extra.get(row.id, {}))
                yield record

    for section, table_name in ALL_SECTIONS:
        yield section, rows(table_name)


def write_all_json(session: Session, stream: TextIO, *, on_row: Any = None) -> dict[str, int]:
    """Write the whole database as one JSON document, a row per line; returns the rows per section."""
    from dossier_cli.store import SCHEMA_REVISION

    counts: dict[str, int] = {}
    stream.write("{\n")
    stream.write(f'  "format": {json.dumps(EXPORT_FORMAT)},\n  "version": {EXPORT_VERSION},\n')
    stream.write(f'  "schema_revision": {json.dumps(SCHEMA_REVISION)}')
    for section, rows in all_sections(session):
        stream.write(f',\n  {json.dumps(section)}: [')
        n = 0
        for row in rows:
            stream.write(("\n    " if n == 0 else ",\n    ") + json.dumps(row, ensure_ascii=False, sort_keys=False))
            n += 1
            if on_row is not None:
                on_row()
        stream.write("\n  ]" if n else "]")
        counts[section] = n
    stream.write("\n}\n")
    return counts
