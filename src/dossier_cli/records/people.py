"""People at companies: representatives with their buying roles, and owners.

A person outlives the companies they work at: links carry the role and whether it
is still active, so the owner of a liquidated company stays a contact.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli import audit, vocab
from dossier_cli.errors import Ambiguous, Conflict, InvalidInput, NotFound
from dossier_cli.i18n import _, ngettext, N_
from dossier_cli.records.contacts import find_person_by_contact
from dossier_cli.records.objections import flag_forgotten, set_do_not_contact
from dossier_cli.records.roles import active_links, end_extra_links
from dossier_cli.text import visible_name, check_text, fold, person_key

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, Person, PersonLink

# The seed's buying roles, plus the coach (someone inside who helps us), owner and other.
ROLES: tuple[str, ...] = vocab.ROLES.values


def normalise_role(value: str) -> str:
    """A buying role named in either language (`economic-buyer`, `финансовый покупатель`)."""
    return vocab.ROLES.require(value, _("unknown role '{value}'"))


def find_person(session: Session, ref: str) -> Person:
    """A person by id, exact name, or a unique case-insensitive part of their name; a phone or an
    e-mail names one person before any name matching."""
    from dossier_cli.models import Person
    from dossier_cli.records.finding import find_record

    return find_record(
        session, Person, ref, field=N_("person reference"),
        empty=_("no person given; name them by id, name or part of their name"),
        by_contact=find_person_by_contact, exact=lambda ref: [(Person.name_key, person_key(ref))],
        part=lambda ref: (Person.name_key, person_key(ref)),
        not_found=lambda ref: NotFound(_("no person matches '{ref}'").format(ref=ref), hint=_("see `dossier list people`")),
        several=lambda ref, names, more: Ambiguous(
            _("'{ref}' matches several people: {items}{value}").format(ref=ref, items="; ".join(names), value=more),
            candidates=names, hint=_("name them by id or by their full name"),
        ),
    )


# ---------------------------------------------------------------- create / change
PERSON_FIELDS: tuple[str, ...] = ("phone", "email", "notes")


def clean_person_name(name: str) -> str:
    name = " ".join(visible_name(check_text(name, field=N_("person's name"), max_length=300)).split())
    if not name:
        raise InvalidInput(_("the person's name is empty; give the name in quotes"))
    return name


def _clean_person_fields(values: dict[str, Any]) -> dict[str, Any]:
    """Phone, e-mail and notes as they will be stored ("" clears a field).

    The one place contact details are cleaned before storing, for add and edit alike.
    """
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key not in PERSON_FIELDS:
            raise InvalidInput(_("unknown person field '{key}'").format(key=key))
        limit = 10_000 if key == "notes" else 300
        text = check_text(str(value), field=key, max_length=limit).strip()
        cleaned[key] = text or None
    return cleaned


def _refuse_duplicate(session: Session, name_key: str, *, exclude_id: int | None = None) -> None:
    from dossier_cli.models import Person
    from dossier_cli.records.finding import other_holder

    existing = other_holder(session, Person, Person.name_key, name_key, exclude_id=exclude_id)
    if existing is not None:
        raise Conflict(
            _("a person with this name already exists: #{id} {name}").format(id=existing.id, name=existing.name),
            hint=_("use --allow-duplicate if they really are two people"),
        )


def add_person(
    session: Session,
    settings: Settings,
    *,
    name: str,
    fields: dict[str, Any] | None = None,
    company: Company | None = None,
    role: str | None = None,
    since: date | None = None,
    allow_duplicate: bool = False,
    contacts: dict[str, list[str]] | None = None,
    tags: list[str] | None = None,
) -> Person:
    """A new person, linked to `company` in `role` (default: other) when a company is given.

    `contacts` maps "phone"/"email" to values in any format; the first of each becomes
    the person's primary phone / e-mail (as does `fields["phone"]` / `fields["email"]`).
    """
    from dossier_cli.records import contacts as contact_points
    from dossier_cli.models import Person
    from dossier_cli.records.people_bulk import add_people

    name = clean_person_name(name)
    values = _clean_person_fields(dict(fields or {}))
    points = {kind: list(values_ or []) for kind, values_ in (contacts or {}).items()}
    for kind in ("phone", "email"):
        if values.pop(kind, None):
            points.setdefault(kind, []).insert(0, str((fields or {})[kind]))
    if role is not None and company is None:
        raise InvalidInput(_("--role needs --company: a role is always at some company"))
    checked_role = normalise_role(role) if role is not None else "other"
    key = person_key(name)
    if not allow_duplicate:
        _refuse_duplicate(session, key)
    checked = contact_points.check_contacts(session, settings, points)
    cleaned_tags = sorted({contact_points.clean_tag(tag) for tag in tags or []})
    since = since or date.today()
    [person_id] = add_people(session, [{
        "name": name, "name_key": key, "fields": values, "contacts": checked, "tags": cleaned_tags,
        "links": [(company.id, checked_role, since)] if company is not None else [],
    }])
    person = session.get(Person, person_id)
    assert person is not None
    audit.record(
        session,
        action="create",
        entity="person",
        entity_id=person.id,
        changes={
            k: v
            for k, v in {**person_record(person), **contact_points.person_section(session, person)}.items()
            if v not in (None, "", [])
        },
    )
    if company is not None:
        _record_link(session, person_id, company, checked_role, since)
    session.flush()
    # Someone who asked to be forgotten and comes back is kept away from touches, not refused.
    flag_forgotten(session, [person])
    return person


def edit_person(
    session: Session,
    settings: Settings,
    person: Person,
    *,
    name: str | None = None,
    fields: dict[str, Any] | None = None,
    allow_duplicate: bool = False,
    add_contacts: dict[str, list[str]] | None = None,
    remove_contacts: dict[str, list[str]] | None = None,
    add_tags: list[str] | None = None,
    remove_tags: list[str] | None = None,
    do_not_contact: bool | None = None,
) -> Person:
    """`fields["phone"]`/`["email"]` replace the primary one ("" clears it); the rest add or remove.
    `do_not_contact` records (True) or lifts (False) the person's objection to being contacted."""
    from dossier_cli.records import contacts as contact_points
    from dossier_cli.models import utcnow

    before = {**person_record(person), **contact_points.person_section(session, person)}
    if name is not None:
        name = clean_person_name(name)
        key = person_key(name)
        if not allow_duplicate and key != person.name_key:
            _refuse_duplicate(session, key, exclude_id=person.id)
        person.name, person.name_key = name, key
    for field, value in (fields or {}).items():
        if field in ("phone", "email") and value is not None:
            contact_points.replace_primary(session, settings, person, field, str(value))
    for field, value in _clean_person_fields(dict(fields or {})).items():
        if field not in ("phone", "email"):
            setattr(person, field, value)
    contact_points.remove_contacts(session, settings, person=person, values=remove_contacts)
    contact_points.add_contacts(session, settings, person=person, values=add_contacts)
    contact_points.change_tags(session, person=person, add=add_tags, remove=remove_tags)
    contact_points.sync_primary(session, person)
    after = {**person_record(person), **contact_points.person_section(session, person)}
    changes = audit.diff(before, after)
    if changes:
        person.updated_at = utcnow()
        session.add(person)
        audit.record(session, action="update", entity="person", entity_id=person.id, changes=changes)
    session.flush()
    if do_not_contact is not None:
        set_do_not_contact(session, person, do_not_contact)
    return person


# ---------------------------------------------------------------- links
def link_person(
    session: Session,
    *,
    person: Person,
    company: Company,
    role: str,
    since: date | None = None,
) -> PersonLink:
    """Link a person to a company in a role. A person has one current role per company:
    linking them again in another role changes it; in the same role is a conflict."""
    role = normalise_role(role)
    current = active_links(session, person_id=person.id, company_id=company.id)  # type: ignore[arg-type]
    if len(current) == 1 and current[0].role == role:
        raise Conflict(_("{name} is already linked to {name2} as {role}").format(name=person.name, name2=company.name, role=role))
    return set_role(session, person=person, company=company, role=role, since=since)


def set_role(
    session: Session, *, person: Person, company: Company, role: str, since: date | None = None
) -> PersonLink:
    """The one write path for a person's role at a company (one current role per company).

    No active link: one is added. Otherwise the oldest active link takes the role (its
    change is audited) and any further active links (older data, merges) end today.
    """
    from dossier_cli.models import PersonLink

    role = normalise_role(role)
    links = active_links(session, person_id=person.id, company_id=company.id)  # type: ignore[arg-type]
    if not links:
        link = PersonLink(person_id=person.id, company_id=company.id, role=role, since=since or date.today())
        session.add(link)
        session.flush()
        _record_link(session, person.id, company, role, link.since)  # type: ignore[arg-type]
        return link
    link, extra = links[0], links[1:]
    end_extra_links(session, person=person, company=company, links=extra)
    if link.role != role:
        audit.record(
            session,
            action="update",
            entity="person",
            entity_id=person.id,
            company_id=company.id,
            changes={"company": company.name, "role": [link.role, role]},
        )
        link.role = role
        session.add(link)
        session.flush()
    return link


def _record_link(session: Session, person_id: int, company: Company, role: str, since: date | None) -> None:
    """The audit trail's entry for a new link (`add person --company`, `link person`)."""
    audit.record(session, action="link", entity="person", entity_id=person_id, company_id=company.id,
                 changes={"company": company.name, "role": role, "since": since})


def link_owner(session: Session, settings: Settings, *, company: Company, person_ref: str) -> PersonLink:
    """Link an existing person as owner of `company` (used by `add company --owner`)."""
    person = find_person(session, person_ref)
    return link_person(session, person=person, company=company, role="owner", since=company.listed_on)


def unlink_person(
    session: Session,
    *,
    person: Person,
    company: Company,
    role: str | None = None,
    until: date | None = None,
) -> list[PersonLink]:
    """End a person's active links to a company (one role, or all); the links stay as history."""
    wanted = normalise_role(role) if role is not None else None
    links = [link for link in active_links(session, person_id=person.id, company_id=company.id)  # type: ignore[arg-type]
             if wanted is None or link.role == wanted]
    if not links:
        what = f" as {wanted}" if wanted is not None else ""
        raise NotFound(_("{name} is not linked to {name2}{what}").format(name=person.name, name2=company.name, what=what), hint=_("see `dossier show person {id}`").format(id=person.id))
    end_extra_links(session, person=person, company=company, links=links, until=until)
    return links


def close_company_links(session: Session, company: Company, *, until: date) -> int:
    """Mark every active link to a closing company inactive (kept as history); how many."""
    from sqlmodel import select

    from dossier_cli.models import PersonLink

    links = session.exec(
        select(PersonLink).where(PersonLink.company_id == company.id, PersonLink.active == True)  # noqa: E712
    ).all()
    for link in links:
        link.active = False
        link.until = until
        session.add(link)
    return len(links)


# ---------------------------------------------------------------- reading
def person_record(person: Person) -> dict[str, Any]:
    from dossier_cli.records.contacts import format_phone

    return {
        "id": person.id,
        "name": person.name,
        "phone": format_phone(person.phone) if person.phone else None,
        "email": person.email,
        "notes": person.notes,
    }


def _link_label(company_name: str, link: PersonLink) -> str:
    """`Ромашка (economic-buyer)` for reading: the role, and the end of a former link, in the display language."""
    from dossier_cli.formatting import format_day

    role = vocab.ROLES.label(link.role) if _russian() else link.role
    if link.active:
        return f"{company_name} ({role})"
    until = format_day(link.until) if link.until else _("ended")
    return _("{company} ({role}, until {date})").format(company=company_name, role=role, date=until)


def _russian() -> bool:
    from dossier_cli.i18n import language

    return language() == "ru"


def list_people(
    session: Session,
    *,
    company: Company | None = None,
    role: str | None = None,
    limit: int = 50,
    offset: int = 0,
    tags: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """People sorted by name, optionally those at a company and/or in a role."""
    from sqlmodel import select

    from dossier_cli.models import Company, Person, PersonLink

    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    checked_role = normalise_role(role) if role is not None else None
    query = select(Person)
    if company is not None or checked_role is not None:
        linked = select(PersonLink.person_id)
        if company is not None:
            linked = linked.where(PersonLink.company_id == company.id)
        if checked_role is not None:
            linked = linked.where(PersonLink.role == checked_role)
        query = query.where(Person.id.in_(linked))  # type: ignore[union-attr]
    for tag in tags:
        from dossier_cli.models import PersonTag

        query = query.where(Person.id.in_(select(PersonTag.person_id).where(PersonTag.tag == fold(tag))))  # type: ignore[union-attr]
    found = list(session.exec(query.order_by(Person.name_key, Person.id).offset(offset).limit(limit)).all())
    labels: dict[int, list[str]] = {p.id: [] for p in found if p.id is not None}
    if labels:
        rows = session.exec(
            select(PersonLink, Company.name)
            .join(Company, Company.id == PersonLink.company_id)
            .where(PersonLink.person_id.in_(list(labels)))  # type: ignore[attr-defined]
            .order_by(PersonLink.active.desc(), PersonLink.id)  # type: ignore[attr-defined]
        ).all()
        for link, company_name in rows:
            labels[link.person_id].append(_link_label(company_name, link))
    return [{**person_record(p), "companies": labels.get(p.id or 0, [])} for p in found]


def person_details(session: Session, settings: Settings, person: Person) -> dict[str, Any]:
    """A person in full: contact details, every company link, and the businesses they ran before."""
    from sqlmodel import select

    from dossier_cli.models import Company, PersonLink

    from dossier_cli.records.contacts import person_section

    record = {**person_record(person), **person_section(session, person)}
    rows = session.exec(
        select(PersonLink, Company)
        .join(Company, Company.id == PersonLink.company_id)
        .where(PersonLink.person_id == person.id)
        .order_by(PersonLink.active.desc(), PersonLink.since, PersonLink.id)  # type: ignore[attr-defined]
    ).all()
    record["companies"] = [
        {
            "company_id": company.id,
            "company": company.name,
            "role": link.role,
            "active": link.active,
            "since": link.since,
            "until": link.until,
            "company_status": company.status,
            "stage": company.stage,
        }
        for link, company in rows
    ]
    record["previous_businesses"] = previous_businesses(session, settings, person_ids=[person.id])
    record["do_not_contact"] = person.do_not_contact
    return record


def client_since(session: Session, settings: Settings, company_ids: list[int | None]) -> dict[int, date]:
    """Company id -> the day it first reached the client stage (or a later one)."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import StageChange

    ids = sorted({cid for cid in company_ids if cid is not None})
    if not ids or settings.client_stage not in settings.stages:
        return {}
    client_stages = settings.stages[settings.stages.index(settings.client_stage) :]
    rows = session.exec(
        select(StageChange.company_id, func.min(StageChange.changed_on))
        .where(StageChange.company_id.in_(ids), StageChange.to_stage.in_(client_stages))  # type: ignore[attr-defined]
        .group_by(StageChange.company_id)
    ).all()
    return {cid: _as_date(day) for cid, day in rows if day is not None}


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def previous_businesses(
    session: Session,
    settings: Settings,
    *,
    person_ids: list[int | None],
    exclude_company_id: int | None = None,
) -> list[dict[str, Any]]:
    """Liquidated companies these people owned or represented: how long each was our client, how it paid."""
    from sqlmodel import select

    from dossier_cli.models import Company, Person, PersonLink

    ids = [pid for pid in person_ids if pid is not None]
    if not ids:
        return []
    query = (
        select(Person, PersonLink, Company)
        .join(PersonLink, PersonLink.person_id == Person.id)
        .join(Company, Company.id == PersonLink.company_id)
        .where(Person.id.in_(ids), Company.status == "liquidated")  # type: ignore[union-attr]
        .order_by(Person.name_key, Company.liquidated_on, Company.id, PersonLink.id)
    )
    if exclude_company_id is not None:
        query = query.where(Company.id != exclude_company_id)
    rows = session.exec(query).all()
    since = client_since(session, settings, [company.id for _, _, company in rows])
    result: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    for person, link, company in rows:
        if (person.id, company.id) in seen:  # several roles at one company: one line
            continue
        seen.add((person.id, company.id))
        became_client = since.get(company.id)
        result.append(
            {
                "person": person.name,
                "role": link.role,
                "company_id": company.id,
                "company": company.name,
                "liquidated_on": company.liquidated_on,
                "client_from": became_client,
                "client_for": _duration(became_client, company.liquidated_on) if became_client else _("never a client"),
                "client_days": (
                    max((company.liquidated_on - became_client).days, 0)
                    if became_client and company.liquidated_on
                    else None
                ),
                "payment_reputation": company.payment_reputation,
            }
        )
    return result


def _duration(start: date, end: date | None) -> str:
    from dateutil.relativedelta import relativedelta

    end = end or date.today()
    if end <= start:
        return ngettext("{n} day", "{n} days", 0).format(n=0)
    delta = relativedelta(end, start)
    parts = []
    if delta.years:
        parts.append(ngettext("{n} year", "{n} years", delta.years).format(n=delta.years))
    if delta.months:
        parts.append(ngettext("{n} month", "{n} months", delta.months).format(n=delta.months))
    if not parts:
        days = (end - start).days
        parts.append(ngettext("{n} day", "{n} days", days).format(n=days))
    return " ".join(parts)


def company_people_section(session: Session, settings: Settings, company: Company) -> dict[str, Any]:
    """For `show company`: its people with their roles, and the businesses they ran before."""
    from sqlmodel import select

    from dossier_cli.records.contacts import format_phone
    from dossier_cli.models import Person, PersonLink

    rows = session.exec(
        select(PersonLink, Person)
        .join(Person, Person.id == PersonLink.person_id)
        .where(PersonLink.company_id == company.id)
        .order_by(PersonLink.active.desc(), Person.name_key, PersonLink.id)  # type: ignore[attr-defined]
    ).all()
    people = [
        {
            "person_id": person.id,
            "name": person.name,
            "role": link.role,
            "active": link.active,
            "phone": format_phone(person.phone) if person.phone else None,
            "email": person.email,
        }
        for link, person in rows
    ]
    before = previous_businesses(
        session, settings, person_ids=list({person.id for _, person in rows}), exclude_company_id=company.id
    )
    return {"people": people, "previous_businesses": before}
