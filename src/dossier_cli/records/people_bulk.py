"""The bulk form of adding people: `add person` and `import people` both write through `add_people`.

The callers check every value first with the same functions (`people.clean_person_name`,
`people.normalise_role`, `contacts.normalise`, `contacts.clean_tag`, and
`contacts.contact_owners` for a phone or e-mail another record has); `add_people` then writes
the people, their contact points, tags and links in a few batched statements.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session

# The person's own columns a caller may give (cleaned); phone and e-mail come from `contacts`.
PERSON_COLUMNS: tuple[str, ...] = ("notes", "personality_type")


def add_people(session: Session, people: list[dict[str, Any]], *, now: datetime | None = None) -> list[int]:
    """Write people already checked, in order; their ids.

    Each item: `name`, `name_key`, `fields` (cleaned values of PERSON_COLUMNS), `contacts`
    [(kind, normalised value)] that no other record has (`phone` and `email`, or else the first
    phone and the first e-mail, become the person's own), `tags` (cleaned), `links` [(company id, role, since)] to companies
    the person is not linked to yet. An item with an `id` is a person already recorded: its
    given `fields` and `phone` / `email` replace the stored ones, and the contacts, tags and
    links given (new to them) are added.
    """
    from dossier_cli.inserts import DriverInsert
    from dossier_cli.models import ContactPoint, Person, PersonLink, PersonTag, utcnow

    if not people:
        return []
    now = now or utcnow()
    conn = session.connection()
    session.flush()
    table = Person.__table__
    names = ("name", "name_key", "phone", "email", *PERSON_COLUMNS, "do_not_contact", "created_at", "updated_at")
    new = [item for item in people if item.get("id") is None]
    recorded = {id(item) for item in people if item.get("id") is not None}
    if new:
        rows = []
        for item in new:
            own = _own_contacts(item)
            fields = item.get("fields") or {}
            rows.append((item["name"], item["name_key"], own.get("phone"), own.get("email"),
                         *(fields.get(name) for name in PERSON_COLUMNS), False, now, now))
        for item, person_id in zip(new, DriverInsert(conn, table, names).returning_ids(rows, check="name_key")):
            item["id"] = person_id
    points, tags, links = [], [], []
    for item in people:
        person_id = item["id"]
        if id(item) in recorded:
            changed = {**(item.get("fields") or {}), **{kind: item[kind] for kind in ("phone", "email") if item.get(kind)}}
            if changed:
                conn.execute(table.update().where(table.c.id == person_id).values(**changed, updated_at=now))
        points += [{"kind": kind, "value": value, "company_id": None, "person_id": person_id, "created_at": now}
                   for kind, value in dict.fromkeys(item.get("contacts") or [])]
        tags += [{"person_id": person_id, "tag": tag} for tag in sorted(set(item.get("tags") or []))]
        links += [{"person_id": person_id, "company_id": company_id, "role": role, "active": True, "since": since,
                   "until": None, "created_at": now} for company_id, role, since in item.get("links") or []]
    for model, values in ((ContactPoint, points), (PersonTag, tags), (PersonLink, links)):
        if values:
            conn.execute(model.__table__.insert(), values)
    session.expire_all()
    return [item["id"] for item in people]


def _own_contacts(item: dict[str, Any]) -> dict[str, str]:
    """A new person's own phone and e-mail: those the item names, else the first of each kind among its contacts."""
    own = {kind: item[kind] for kind in ("phone", "email") if item.get(kind)}
    for kind, value in item.get("contacts") or []:
        if kind in ("phone", "email"):
            own.setdefault(kind, value)
    return own
