"""Gifts and hospitality given to people at a company, kept with the dossier."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.errors import InvalidInput
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

    what = " ".join(check_text(what, field="what", max_length=1000).split())
    if not what:
        raise InvalidInput(_('say what was given: --what "dinner for two"'))
    value_minor = parse_amount(value, field="value") if value not in (None, "") else 0
    day = parse_date(given_on, field="gift date") if given_on else date.today()
    receiver = people.find_person(session, person) if person else None
    gift = Gift(
        company_id=company.id,
        person_id=receiver.id if receiver else None,
        given_on=day,
        what=what,
        value_minor=value_minor,
        purpose=(check_text(purpose, field="purpose").strip() or None) if purpose else None,
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
