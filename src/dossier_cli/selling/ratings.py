"""Relationship ratings: how close the relationship with a company is (0..10), with history."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.errors import InvalidInput
from dossier_cli.selling.sales import clean_optional
from dossier_cli.i18n import _, N_

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.models import Company, Rating


RATING_MIN, RATING_MAX = 0, 10


def parse_rating(value: str | int) -> int:
    text = str(value).strip()
    try:
        score = int(text)
    except ValueError:
        raise InvalidInput(
            _("bad rating '{value}': give a whole number from {RATING_MIN} (no relationship) to {RATING_MAX} (closest)").format(value=value, RATING_MIN=RATING_MIN, RATING_MAX=RATING_MAX)
        ) from None
    if not RATING_MIN <= score <= RATING_MAX:
        raise InvalidInput(
            _("bad rating '{value}': must be from {RATING_MIN} (no relationship) to {RATING_MAX} (closest)").format(value=value, RATING_MIN=RATING_MIN, RATING_MAX=RATING_MAX)
        )
    return score


def rate_company(
    session: Session,
    company: Company,
    *,
    score: str | int,
    note: str | None = None,
    rated_on: date | str | None = None,
) -> Rating:
    """Record how close the relationship is now (0..10); earlier ratings stay as history."""
    from dossier_cli.models import Rating
    from dossier_cli.parsing import parse_date

    value = parse_rating(score)
    day = rated_on if isinstance(rated_on, date) else date.today() if rated_on is None else parse_date(rated_on, field=N_("rating date"))
    note = clean_optional(note, field=N_("note"))
    previous = ratings_of(session, company.id, limit=1)
    from dossier_cli.records.history import check_not_before_listing

    check_not_before_listing(company, day, what="rating")
    rating = Rating(company_id=company.id, score=value, rated_on=day, note=note, user=audit.current_user())
    session.add(rating)
    session.flush()
    audit.record(
        session,
        action="rate",
        entity="rating",
        entity_id=rating.id,
        company_id=company.id,
        changes={"score": [previous[0].score if previous else None, value], "rated_on": day, "note": note},
    )
    return rating


def ratings_of(session: Session, company_id: int | None, *, limit: int | None = None) -> list[Rating]:
    from sqlmodel import select

    from dossier_cli.models import Rating

    query = (
        select(Rating)
        .where(Rating.company_id == company_id)
        .order_by(Rating.rated_on.desc(), Rating.id.desc())  # type: ignore[attr-defined]
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).all())


def rating_history(session: Session, company: Company) -> list[dict[str, Any]]:
    """Every rating of a company, newest first."""
    return [
        {"rated_on": r.rated_on.isoformat(), "rating": r.score, "note": r.note, "user": r.user}
        for r in ratings_of(session, company.id)
    ]


def rating_trend(current: int | None, previous: int | None) -> str | None:
    if current is None:
        return None
    from dossier_cli.i18n import _

    if previous is None:
        return _("first rating")
    if current > previous:
        return _("up from {previous}").format(previous=previous)
    if current < previous:
        return _("down from {previous}").format(previous=previous)
    return _("unchanged ({previous})").format(previous=previous)


def current_ratings() -> Any:
    """Subquery: (company_id, score) of each company's newest rating."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Rating

    numbered = select(
        Rating.company_id,
        Rating.score,
        func.row_number()
        .over(partition_by=Rating.company_id, order_by=(Rating.rated_on.desc(), Rating.id.desc()))  # type: ignore[attr-defined]
        .label("n"),
    ).subquery("numbered")
    return select(numbered.c.company_id, numbered.c.score).where(numbered.c.n == 1).subquery("current_rating")
