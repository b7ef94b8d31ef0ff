"""People at companies: representatives with their buying roles, and owners.

A person outlives the companies they work at: links carry the role and whether it
is still active, so the owner of a liquidated company stays a contact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dossier_cli.errors import Ambiguous, InvalidInput, NotFound
from dossier_cli.text import check_text, fold, like_pattern, person_key

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.models import Person

# The seed's buying roles, plus the coach (someone inside who helps us), owner and other.
ROLES: tuple[str, ...] = ("economic-buyer", "technical-buyer", "user", "coach", "owner", "other")
_ROLE_SYNONYMS = {
    "financial-buyer": "economic-buyer",
    "economic": "economic-buyer",
    "financial": "economic-buyer",
    "technical": "technical-buyer",
    "referrer": "coach",
}


def normalise_role(value: str) -> str:
    role = fold(value).replace(" ", "-").replace("_", "-")
    role = _ROLE_SYNONYMS.get(role, role)
    if role not in ROLES:
        raise InvalidInput(f"unknown role '{value}'", hint=f"choose one of: {', '.join(ROLES)}")
    return role


def find_person(session: Session, ref: str) -> Person:
    """A person by id, exact name, or a unique case-insensitive part of their name."""
    from sqlmodel import select

    from dossier_cli.models import Person

    ref = ref.strip()
    if not ref:
        raise InvalidInput("no person given; name them by id, name or part of their name")
    check_text(ref, field="person reference", max_length=500)
    if ref.isdigit() and len(ref) < 12:
        person = session.get(Person, int(ref))
        if person is not None:
            return person
    key = person_key(ref)
    exact = session.exec(select(Person).where(Person.name_key == key).limit(2)).all()
    if len(exact) == 1:
        return exact[0]
    candidates = session.exec(
        select(Person)
        .where(Person.name_key.like(like_pattern(key), escape="\\"))  # type: ignore[union-attr]
        .order_by(Person.name_key, Person.id)
        .limit(11)
    ).all()
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFound(f"no person matches '{ref}'", hint="see `dossier list people`")
    names = [f"#{p.id} {p.name}" for p in candidates[:10]]
    raise Ambiguous(
        f"'{ref}' matches several people: {'; '.join(names)}{' …' if len(candidates) > 10 else ''}",
        candidates=names,
        hint="name them by id or by their full name",
    )
