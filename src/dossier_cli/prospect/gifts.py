"""Gifts and hospitality given to people at a company, kept with the dossier."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.errors import InvalidInput, NotFound
from dossier_cli.i18n import _, N_
from dossier_cli.text import check_text
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, Gift


def add_gift(
    session: Session,
    settings: Settings,
    company: Company,
    *,
    what: str,
    value: str | int | None = None,
    given_on: str | None = None,
    person: str | None = None,
    purpose: str | None = None,
) -> Gift:
    """Record a gift or hospitality given to someone at `company` (the compliance register)."""
    from dossier_cli.models import Gift
    from dossier_cli.parsing import parse_amount, parse_date
    from dossier_cli.records import people

    what = " ".join(check_text(what, field=N_("what"), max_length=1000).split())
    if not what:
        raise InvalidInput(_('say what was given: --what "dinner for two"'))
    value_minor = parse_amount(value, field=N_("value")) if value not in (None, "") else 0
    day = parse_date(given_on, field=N_("gift date")) if given_on else date.today()
    from dossier_cli.records.history import check_not_before_listing

    check_not_before_listing(company, day, what="gift")
    receiver = people.find_person(session, person) if person else None
    gift = Gift(
        company_id=company.id,
        person_id=receiver.id if receiver else None,
        given_on=day,
        what=what,
        value_minor=value_minor,
        purpose=(check_text(purpose, field=N_("purpose")).strip() or None) if purpose else None,
        user=audit.current_user(),
    )
    session.add(gift)
    session.flush()
    audit.record(session, action="create", entity="gift", entity_id=gift.id, company_id=company.id,
                 changes=gift_record(gift, company_name=company.name, person_name=receiver.name if receiver else None))
    return gift


def gift_record(gift: Gift, *, company_name: str, person_name: str | None, currency: str = "") -> dict[str, Any]:
    from dossier_cli.parsing import format_amount

    return {
        "id": gift.id,
        "date": gift.given_on.isoformat(),
        "company": company_name,
        "person": person_name,
        "what": gift.what,
        "value": format_amount(gift.value_minor),
        "value_minor": gift.value_minor,
        "currency": currency or None,
        "purpose": gift.purpose,
        "user": gift.user,
    }


def list_gifts(
    session: Session, settings: Settings, company: Company | None = None, *, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    from sqlmodel import select

    from dossier_cli.models import Company, Gift, Person
    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    query = (
        select(Gift, Company.name, Person.name)
        .join(Company, Company.id == Gift.company_id)
        .join(Person, Person.id == Gift.person_id, isouter=True)
    )
    if company is not None:
        query = query.where(Gift.company_id == company.id)
    query = query.order_by(Gift.given_on, Gift.id).offset(offset).limit(limit)
    return [
        gift_record(gift, company_name=company_name, person_name=person_name, currency=settings.currency)
        for gift, company_name, person_name in session.exec(query)
    ]


def find_gift(session: Session, ref: str | int) -> Gift:
    from dossier_cli.models import Gift
    from dossier_cli.records.finding import find_by_number

    return find_by_number(
        session, Gift, ref, bad=_("bad gift '{ref}': name a gift by its number (see `dossier list gifts`)").format(ref=ref),
        missing=lambda number: NotFound(_("no gift #{id}").format(id=number), hint=_("see `dossier list gifts`")),
    )


def _snapshot(session: Session, gift: Gift) -> dict[str, Any]:
    from dossier_cli.models import Company, Person

    company = session.get(Company, gift.company_id)
    person = session.get(Person, gift.person_id) if gift.person_id is not None else None
    record = gift_record(gift, company_name=company.name if company else "", person_name=person.name if person else None)
    return {key: record[key] for key in ("date", "company", "person", "what", "value", "purpose")}


def edit_gift(
    session: Session,
    settings: Settings,
    gift: Gift,
    *,
    what: str | None = None,
    value: str | None = None,
    given_on: str | None = None,
    person: str | None = None,
    purpose: str | None = None,
) -> dict[str, Any]:
    """Correct a gift; returns the changes (field -> [old, new]), audited. An empty --person or --purpose clears it."""
    from dossier_cli.models import Company
    from dossier_cli.parsing import parse_amount, parse_date
    from dossier_cli.records import people
    from dossier_cli.records.history import check_not_before_listing

    before = _snapshot(session, gift)
    if what is not None:
        cleaned = " ".join(check_text(what, field=N_("what"), max_length=1000).split())
        if not cleaned:
            raise InvalidInput("say what was given: --what \"dinner for two\"")
        gift.what = cleaned
    if value is not None:
        gift.value_minor = parse_amount(value, field=N_("value")) if value.strip() else 0
    if given_on is not None:
        gift.given_on = parse_date(given_on, field=N_("gift date"))
        check_not_before_listing(session.get(Company, gift.company_id), gift.given_on, what="gift")  # type: ignore[arg-type]
    if person is not None:
        gift.person_id = people.find_person(session, person).id if person.strip() else None
    if purpose is not None:
        gift.purpose = check_text(purpose, field=N_("purpose")).strip() or None
    changes = audit.diff(before, _snapshot(session, gift))
    if changes:
        session.add(gift)
        audit.record(session, action="update", entity="gift", entity_id=gift.id, company_id=gift.company_id, changes=changes)
        session.flush()
    return changes


def remove_gift(session: Session, gift: Gift) -> dict[str, Any]:
    """Remove a gift from the register (a mistake); the trail keeps what it was."""
    snapshot = _snapshot(session, gift)
    audit.record(
        session, action="delete", entity="gift", entity_id=gift.id, company_id=gift.company_id, changes={"deleted": snapshot}
    )
    session.delete(gift)
    session.flush()
    return snapshot
