"""A person's one current role at a company: the active links, and ending the extra ones.

`records/people.py` sets a role (`set_role`, `link_person`) and ends links (`unlink_person`,
through `end_extra_links`); merges use `end_extra_links` when two links of one person to one
company meet.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from dossier_cli import audit

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.models import Company, Person, PersonLink


def active_links(session: Session, *, person_id: int, company_id: int) -> list[PersonLink]:
    from sqlmodel import select

    from dossier_cli.models import PersonLink

    return list(
        session.exec(
            select(PersonLink)
            .where(
                PersonLink.person_id == person_id,
                PersonLink.company_id == company_id,
                PersonLink.active == True,  # noqa: E712
            )
            .order_by(PersonLink.id)
        ).all()
    )


def end_extra_links(
    session: Session, *, person: Person, company: Company, links: list[PersonLink], until: date | None = None
) -> None:
    """End links of a person at a company, kept as history (on `until`, default today): those
    beyond their one current role there, or those `unlink` ends."""
    if not links:
        return
    until = until or date.today()
    for link in links:
        link.active = False
        link.until = until
        session.add(link)
    audit.record(
        session,
        action="unlink",
        entity="person",
        entity_id=person.id,
        company_id=company.id,
        changes={"company": company.name, "roles": [link.role for link in links], "until": until},
    )
    session.flush()
