"""The one rule for dated events: none before the company was listed, none before the event it follows.

Every dated event of a company (a touch, a sale, a gift, a rating, a stage move, its
liquidation) is checked here before it is written or moved:

- it is not before the day the company was put on the list (`listed_on`); history
  from before that enters by listing the company with `add company --listed-on DATE`
  (or `edit company --listed-on DATE`);
- an event that follows another is not before it: a stage move not before the last one,
  a liquidation not before the last stage move, a next step not before its touch.

A date that contradicts what is recorded is refused as a conflict (exit 4), naming
both dates.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from dossier_cli.formatting import format_day
from dossier_cli.errors import Conflict
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.models import Company


def check_not_before_listing(company: Company, day: date, *, what: str) -> None:
    """Refuse an event of `company` dated before it was listed."""
    listed = company.listed_on
    if listed is not None and day < listed:
        raise Conflict(
            _("the {what} date {day} is before {name} was listed ({listed})").format(
                what=what, day=format_day(day), name=company.name, listed=format_day(listed)
            ),
            hint=_("earlier history needs an earlier listing day: dossier edit company {id} --listed-on {day}").format(
                id=company.id, day=day.isoformat()
            ),
        )


def check_not_before(day: date, earlier: date | None, *, what: str, follows: str) -> None:
    """Refuse an event dated before the event it follows."""
    if earlier is not None and day < earlier:
        raise Conflict(
            _("the {what} date {day} is before {follows} ({earlier})").format(
                what=what, day=format_day(day), follows=follows, earlier=format_day(earlier)
            )
        )


def earliest_event(session: Session, company: Company) -> tuple[date, str] | None:
    """The company's earliest dated event after its listing, and what it is."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Gift, Rating, Sale, StageChange, Touch

    found: list[tuple[date, str]] = []
    for column, key, what in (
        (Sale.sold_on, Sale.company_id, "a sale"),
        (Touch.touched_on, Touch.company_id, "a touch"),
        (Gift.given_on, Gift.company_id, "a gift"),
        (Rating.rated_on, Rating.company_id, "a rating"),
    ):
        day = session.exec(select(func.min(column)).where(key == company.id)).one()
        if day is not None:
            found.append((day, what))
    moved = session.exec(
        select(func.min(StageChange.changed_on)).where(
            StageChange.company_id == company.id, StageChange.from_stage.is_not(None)  # type: ignore[union-attr]
        )
    ).one()
    if moved is not None:
        found.append((moved, "a stage move"))
    return min(found) if found else None


def move_listing(session: Session, company: Company, day: date) -> None:
    """Change the day `company` was listed (and the listing entry of its stage history).

    Earlier is always possible (older history can then be entered); later only up to its
    first recorded event.
    """
    from sqlmodel import select

    from dossier_cli.models import StageChange

    if day > date.today():
        raise Conflict(_("the listing date {day} is in the future").format(day=format_day(day)))
    first = earliest_event(session, company)
    if first is not None and day > first[0]:
        raise Conflict(
            _("{name} cannot be listed on {day}: {what} is recorded on {first}").format(
                name=company.name, day=format_day(day), what=first[1], first=format_day(first[0])
            )
        )
    listing = session.exec(
        select(StageChange).where(StageChange.company_id == company.id, StageChange.from_stage.is_(None))  # type: ignore[union-attr]
    ).all()
    for change in listing:
        change.changed_on = day
        session.add(change)
    company.listed_on = day
