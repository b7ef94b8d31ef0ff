"""Do-not-contact: a person's objection to being contacted (GDPR art. 21), and the markers a
forgotten person leaves behind.

`set_do_not_contact` records or lifts an objection; `refuse_contact` is what the contact log
asks before logging a touch. `forget person` (upkeep/privacy.py) leaves hashes of the
person's name with each e-mail and phone (`marker_digests`), never the name itself; a person
added later who matches one is marked do-not-contact (`flag_forgotten`: `add person` and
`import people` both call it), not refused silently.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.errors import Conflict
from dossier_cli.text import person_key
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.models import ForgottenPerson, Person

_DIGEST_PREFIX = "dossier-forgotten-v1\x00"


def refuse_contact(person: Person | None) -> None:
    """Raise Conflict when the person objected to being contacted."""
    if person is not None and person.do_not_contact:
        raise Conflict(
            _("#{id} {name} asked not to be contacted").format(id=person.id, name=person.name),
            hint=_("lift it with `dossier edit person {id} --may-contact` if they agreed again").format(id=person.id),
        )


def phone_digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def marker_digests(name: str, *, emails: list[str] | tuple[str, ...] = (), phones: list[str] | tuple[str, ...] = ()) -> set[str]:
    """The hashes that stand for a person: their normalised name with each e-mail and phone.

    A person with neither is represented by their name alone. Only the hashes are
    stored, so the marker says "we were asked to forget someone like this" without
    saying who.
    """
    key = person_key(name)
    parts = {f"email:{e.strip().lower()}" for e in emails if e and e.strip()}
    parts |= {f"phone:{phone_digits(p)}" for p in phones if p and phone_digits(p)}
    if not parts:
        parts = {"name-only"}
    return {hashlib.sha256(f"{_DIGEST_PREFIX}{key}\x00{part}".encode()).hexdigest() for part in parts}


def contacts_of(session: Session, person: Person) -> tuple[list[str], list[str]]:
    from sqlmodel import select

    from dossier_cli.models import ContactPoint

    emails = [person.email] if person.email else []
    phones = [person.phone] if person.phone else []
    for kind, value in session.exec(
        select(ContactPoint.kind, ContactPoint.value).where(ContactPoint.person_id == person.id)
    ).all():
        if kind == "email":
            emails.append(value)
        elif kind == "phone":
            phones.append(value)
    return emails, phones


def matching_markers(session: Session, person: Person) -> list[ForgottenPerson]:
    """The do-not-contact markers this person matches (name with an e-mail or phone, or name alone)."""
    from sqlmodel import select

    from dossier_cli.models import ForgottenPerson

    if session.exec(select(ForgottenPerson.id).limit(1)).first() is None:
        return []
    emails, phones = contacts_of(session, person)
    digests = marker_digests(person.name, emails=emails, phones=phones)
    return list(
        session.exec(
            select(ForgottenPerson).where(ForgottenPerson.digest.in_(sorted(digests))).order_by(ForgottenPerson.id)  # type: ignore[attr-defined]
        ).all()
    )


def flag_forgotten(session: Session, people: list[Person]) -> list[dict[str, Any]]:
    """Mark do-not-contact every one of `people` who matches a marker; what was flagged.

    Called after `add person` and `import people`: a person who asked to be forgotten
    and comes back through a list is not refused silently, but flagged and kept away
    from touches and marketing exports.
    """
    flagged: list[dict[str, Any]] = []
    for person in people:
        markers = matching_markers(session, person)
        if not markers:
            continue
        if not person.do_not_contact:
            set_do_not_contact(session, person, True, reason=f"matches forgotten-person marker #{markers[0].id}")
        flagged.append(
            {
                "person_id": person.id,
                "name": person.name,
                "marker_id": markers[0].id,
                "forgotten_on": markers[0].forgotten_at.date().isoformat(),
            }
        )
    return flagged


def flag_new_people(session: Session, *, after_id: int) -> list[dict[str, Any]]:
    """`flag_forgotten` over the people created after `after_id` (an import's new people)."""
    from sqlmodel import select

    from dossier_cli.models import ForgottenPerson, Person

    if session.exec(select(ForgottenPerson.id).limit(1)).first() is None:
        return []
    new = list(session.exec(select(Person).where(Person.id > after_id).order_by(Person.id)).all())  # type: ignore[operator]
    return flag_forgotten(session, new)


def last_person_id(session: Session) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Person

    return int(session.exec(select(func.coalesce(func.max(Person.id), 0))).one())


# ---------------------------------------------------------------- objection (art. 21)
def set_do_not_contact(session: Session, person: Person, value: bool, *, reason: str | None = None) -> bool:
    """Record (or lift) a person's objection to being contacted; True when it changed."""
    from dossier_cli.models import utcnow

    if person.do_not_contact == value:
        return False
    person.do_not_contact = value
    person.updated_at = utcnow()
    session.add(person)
    changes: dict[str, Any] = {"do_not_contact": [not value, value]}
    if reason:
        changes["reason"] = reason
    audit.record(session, action="update", entity="person", entity_id=person.id, changes=changes)
    session.flush()
    return True
