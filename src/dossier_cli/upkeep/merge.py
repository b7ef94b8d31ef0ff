"""Merging duplicates: the kept record absorbs everything of the other, which is removed.

Rows that point at the other record are moved with one UPDATE per table, so a merge
costs the same however much history the records have. Where both records hold the
same thing (a tag, a branch, a link to the same person in the same role, a current
dossier answer to the same item), the kept one's wins and the other's is dropped or,
for dossier answers, kept as history. Tables added later that point at company.id or
person.id are moved too: they are found from the schema, not listed by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.errors import InvalidInput
from dossier_cli.text import fold
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, Person

# Company fields copied from the other company when the kept one has none.
_FILLABLE_COMPANY_FIELDS: tuple[str, ...] = (
    "legal_form", "tax_number", "kpp", "ogrn", "city", "city_key", "territory", "territory_key", "market",
    "market_key", "industry_needs", "activity", "source", "founded", "strategy", "trend", "financial_standing",
    "supply_channels", "competitors", "payment_reputation", "notes",
)
_FILLABLE_PERSON_FIELDS: tuple[str, ...] = ("phone", "email", "notes", "personality_type")


def _referencing_columns(target_table: str) -> list[tuple[Any, Any]]:
    """(table, column) for every column with a foreign key to `target_table`.id."""
    from sqlmodel import SQLModel

    from dossier_cli.models import load_all


    load_all()  # registers every table

    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == target_table and fk.column.name == "id" for fk in column.foreign_keys):
                found.append((table, column))
    return found


def _move_rest(session: Session, target_table: str, keep_id: int, other_id: int, handled: set[str]) -> dict[str, int]:
    from sqlalchemy import update

    moved: dict[str, int] = {}
    for table, column in _referencing_columns(target_table):
        if table.name in handled:
            continue
        result = session.execute(update(table).where(column == other_id).values({column.name: keep_id}))
        if result.rowcount:
            moved[table.name] = moved.get(table.name, 0) + result.rowcount
    return moved


def _move_answers(session: Session, *, column: str, keep_id: int, other_id: int) -> int:
    """Dossier answers: where both have a current one for an item, the kept one's stays current."""
    from sqlalchemy import update
    from sqlmodel import select

    from dossier_cli.models import DossierAnswer

    owner = getattr(DossierAnswer, column)
    kept_items = set(
        session.exec(
            select(DossierAnswer.item_key, DossierAnswer.person_id, DossierAnswer.company_id).where(
                owner == keep_id, DossierAnswer.is_current == True  # noqa: E712
            )
        )
    )
    for answer in session.exec(select(DossierAnswer).where(owner == other_id, DossierAnswer.is_current == True)):  # noqa: E712
        slot = (
            (answer.item_key, answer.person_id, keep_id)
            if column == "company_id"
            else (answer.item_key, keep_id, answer.company_id)
        )
        if slot in kept_items:
            answer.is_current = False
            session.add(answer)
    session.flush()
    result = session.execute(update(DossierAnswer).where(owner == other_id).values({column: keep_id}))
    return result.rowcount


def merge_companies(session: Session, settings: Settings, keep: Company, other: Company) -> dict[str, Any]:
    """Move everything of `other` onto `keep`, then remove `other`; returns what moved."""
    from sqlmodel import select

    from dossier_cli.records.companies import branch_cities, company_record
    from dossier_cli.records.contacts import company_section
    from dossier_cli.models import Branch, CompanyTag, Sale, StageChange

    if keep.id == other.id:
        raise InvalidInput(_("#{id} {name} is the same company twice; name two different companies").format(id=keep.id, name=keep.name))
    snapshot = company_record(other, branches=branch_cities(session, other.id))
    snapshot.update(company_section(session, settings, other))
    before = company_record(keep, branches=branch_cities(session, keep.id))
    moved: dict[str, int] = {}
    _move_contacts_and_tags(session, moved, "company_id", CompanyTag, keep.id, other.id)

    # Cities compare as `add company` compares branches: folded (case, and ё as е).
    kept_cities = {fold(city) for city in branch_cities(session, keep.id)}
    for branch in session.exec(select(Branch).where(Branch.company_id == other.id)).all():
        if fold(branch.city) in kept_cities or (keep.city and fold(branch.city) == fold(keep.city)):
            session.delete(branch)
        else:
            branch.company_id = keep.id
            session.add(branch)
            kept_cities.add(fold(branch.city))
            _count(moved, "branch", 1)

    _move_links_and_answers(session, moved, "company_id", keep.id, other.id)

    # An invoice both had is probably one sale entered twice: moved all the same, but named.
    kept_references = select(Sale.reference).where(Sale.company_id == keep.id, Sale.reference.is_not(None))  # type: ignore[union-attr]
    shared_references = sorted(
        set(session.exec(select(Sale.reference).where(Sale.company_id == other.id, Sale.reference.in_(kept_references))))  # type: ignore[union-attr]
    )

    # The later stage wins; the kept company never moves backwards.
    stages = list(settings.stages)
    rank = {stage: index for index, stage in enumerate(stages)}
    if rank.get(other.stage, -1) > rank.get(keep.stage, -1):
        session.add(
            StageChange(
                company_id=keep.id,
                from_stage=keep.stage,
                to_stage=other.stage,
                note=f"merged with #{other.id} {other.name}",
                user=audit.current_user(),
            )
        )
        keep.stage = other.stage

    # Fill the kept company's blanks; the tax number is unique, so free it first.
    fills = {field: getattr(other, field) for field in _FILLABLE_COMPANY_FIELDS if getattr(keep, field) in (None, "") and getattr(other, field) not in (None, "")}
    if "tax_number" in fills:
        other.tax_number = None
        session.add(other)
        session.flush()
    for field, value in fills.items():
        setattr(keep, field, value)
    if other.listed_on and keep.listed_on and other.listed_on < keep.listed_on:
        keep.listed_on = other.listed_on
    if keep.status != "active" and other.status == "active":
        keep.status, keep.liquidated_on, keep.liquidation_note = "active", None, None

    _move_rest_and_remove(session, moved, "company", keep, other, handled={"branch", "company_name_block"})
    after = company_record(keep, branches=branch_cities(session, keep.id))
    audit.record(
        session,
        action="merge",
        entity="company",
        entity_id=keep.id,
        company_id=keep.id,
        changes={"merged": snapshot, "moved": moved, **audit.diff(before, after)},
    )
    return {
        "kept_id": keep.id,
        "kept": keep.name,
        "removed_id": snapshot["id"],
        "removed": snapshot["name"],
        "stage": keep.stage,
        "moved": moved,
        "shared_sale_references": shared_references,
    }


def merge_people(session: Session, settings: Settings, keep: Person, other: Person) -> dict[str, Any]:
    """Move everything of `other` onto `keep` (contacts, tags, links, touches, gifts, answers), then remove `other`."""
    from dossier_cli.records.contacts import person_section
    from dossier_cli.models import PersonTag

    if keep.id == other.id:
        raise InvalidInput(_("#{id} {name} is the same person twice; name two different people").format(id=keep.id, name=keep.name))
    snapshot = {"id": other.id, "name": other.name, "phone": other.phone, "email": other.email, "notes": other.notes}
    snapshot.update(person_section(session, other))
    moved: dict[str, int] = {}
    _move_contacts_and_tags(session, moved, "person_id", PersonTag, keep.id, other.id)
    _move_links_and_answers(session, moved, "person_id", keep.id, other.id)
    for field in _FILLABLE_PERSON_FIELDS:
        if getattr(keep, field) in (None, "") and getattr(other, field) not in (None, ""):
            setattr(keep, field, getattr(other, field))
    keep.do_not_contact = bool(keep.do_not_contact or other.do_not_contact)  # a refusal is never lost
    _move_rest_and_remove(session, moved, "person", keep, other, handled=set())
    audit.record(
        session,
        action="merge",
        entity="person",
        entity_id=keep.id,
        changes={"merged": snapshot, "moved": moved},
    )
    return {"kept_id": keep.id, "kept": keep.name, "removed_id": snapshot["id"], "removed": snapshot["name"], "moved": moved}


def _count(moved: dict[str, int], table: str, rows: int | None) -> None:
    """Add to what a merge moved (a table with nothing moved stays out of the summary)."""
    if rows:
        moved[table] = moved.get(table, 0) + rows


def _move_contacts_and_tags(
    session: Session, moved: dict[str, int], owner: str, tag_table: Any, keep_id: int | None, other_id: int | None
) -> None:
    """What a company and a person both own, first: `other`'s contact points and tags go to `keep`."""
    from sqlalchemy import update

    from dossier_cli.models import ContactPoint

    column = getattr(ContactPoint, owner)
    _count(moved, "contact_point", session.execute(update(ContactPoint).where(column == other_id).values({owner: keep_id})).rowcount)
    _count(moved, tag_table.__tablename__, _move_tags(session, tag_table, owner, keep_id, other_id))


def _move_links_and_answers(session: Session, moved: dict[str, int], owner: str, keep_id: int | None, other_id: int | None) -> None:
    """`other`'s person-company links and dossier answers go to `keep`."""
    _count(moved, "person_link", _move_links(session, owner, keep_id, other_id))
    _count(moved, "dossier_answer", _move_answers(session, column=owner, keep_id=keep_id, other_id=other_id))


def _move_rest_and_remove(session: Session, moved: dict[str, int], kind: str, keep: Any, other: Any, handled: set[str]) -> None:
    """Move every other row that points at `other` (the tables found from the schema, less those
    the merge `handled` itself), then remove `other`."""
    from dossier_cli.models import utcnow

    handled = handled | {"contact_point", f"{kind}_tag", "person_link", "dossier_answer"}
    for table, rows in _move_rest(session, kind, keep.id, other.id, handled=handled).items():
        _count(moved, table, rows)
    keep.updated_at = utcnow()
    session.add(keep)
    session.flush()
    session.delete(other)
    session.flush()


def _move_tags(session: Session, tag_table: Any, owner: str, keep_id: int | None, other_id: int | None) -> int:
    """Give `keep` the tags of `other` it lacks, drop `other`'s; how many it gained."""
    from sqlalchemy import delete
    from sqlmodel import select

    column = getattr(tag_table, owner)
    kept = set(session.exec(select(tag_table.tag).where(column == keep_id)))
    gained = 0
    for tag in session.exec(select(tag_table.tag).where(column == other_id)).all():
        if tag not in kept:
            session.add(tag_table(**{owner: keep_id, "tag": tag}))
            gained += 1
    session.execute(delete(tag_table).where(column == other_id))
    return gained


def _move_links(session: Session, owner: str, keep_id: int | None, other_id: int | None) -> int:
    """Move `other`'s person-company links to `keep` (`owner` is the side being merged); a link
    `keep` already has (same other side, role and state) is dropped. How many moved."""
    from sqlmodel import select

    from dossier_cli.models import PersonLink

    far = "person_id" if owner == "company_id" else "company_id"
    column = getattr(PersonLink, owner)
    kept = {(getattr(link, far), link.role, link.active) for link in session.exec(select(PersonLink).where(column == keep_id))}
    moved = 0
    for link in session.exec(select(PersonLink).where(column == other_id)).all():
        if (getattr(link, far), link.role, link.active) in kept:
            session.delete(link)
        else:
            setattr(link, owner, keep_id)
            session.add(link)
            moved += 1
    session.flush()
    _one_role_per_company(session, owner, keep_id)
    return moved


def _one_role_per_company(session: Session, owner: str, keep_id: int | None) -> None:
    """After a merge, a person linked twice to one company keeps one current role there:
    a buying role before 'other', the older link first; the rest end today (kept as history)."""
    from sqlmodel import select

    from dossier_cli.models import Company, Person, PersonLink
    from dossier_cli.records.roles import end_extra_links

    pairs: dict[tuple[int, int], list[PersonLink]] = {}
    for link in session.exec(
        select(PersonLink).where(getattr(PersonLink, owner) == keep_id, PersonLink.active == True)  # noqa: E712
    ).all():
        pairs.setdefault((link.person_id, link.company_id), []).append(link)
    for (person_id, company_id), links in pairs.items():
        if len(links) < 2:
            continue
        links.sort(key=lambda link: (link.role == "other", link.id))
        end_extra_links(
            session, person=session.get(Person, person_id), company=session.get(Company, company_id), links=links[1:]  # type: ignore[arg-type]
        )
