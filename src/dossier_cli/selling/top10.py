"""The top-10 exercise (section 1 of the source article).

List your ten largest customers by relationship and your ten largest by sales. When the
two lists hold the same companies, it is time to look for new customers; when they do
not, first work on the difference. Liquidated companies never appear in either list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import InvalidInput
from dossier_cli.formatting import format_day
from dossier_cli.i18n import N_, _
from dossier_cli.selling.ratings import current_ratings
from dossier_cli.selling.sales import period_record, sales_by_company

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.parsing import Period


TOUCH_WINDOW_DAYS = 90  # touches counted to break ties between equal ratings
MAX_TOP_LIMIT = 1000
BY_CHOICES: tuple[str, ...] = ("sales", "relationship")


@dataclass(frozen=True)
class TopRow:
    rank: int
    company_id: int
    name: str
    sales_minor: int
    rating: int | None
    touches: int


def _touch_window(period: Period) -> tuple[date, date]:
    """The 90 days ending with the period (or today, whichever is earlier)."""
    end = min(period.end, date.today())
    return end - timedelta(days=TOUCH_WINDOW_DAYS - 1), end


def _company_facts(session: Session, company_ids: list[int], period: Period) -> dict[int, tuple[str, int, int | None, int]]:
    """id -> (name, sales in period, current rating, touches in the window), one query, index lookups."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Company, Sale, Touch

    if not company_ids:
        return {}
    touch_from, touch_to = _touch_window(period)
    current = current_ratings()
    sales_total = (
        select(func.coalesce(func.sum(Sale.amount_minor), 0))
        .where(Sale.company_id == Company.id, Sale.sold_on >= period.start, Sale.sold_on <= period.end)
        .scalar_subquery()
    )
    touches = (
        select(func.count())
        .select_from(Touch)
        .where(Touch.company_id == Company.id, Touch.touched_on >= touch_from, Touch.touched_on <= touch_to)
        .scalar_subquery()
    )
    query = (
        select(Company.id, Company.name, sales_total, current.c.score, touches)
        .outerjoin(current, current.c.company_id == Company.id)
        .where(Company.id.in_(company_ids))  # type: ignore[union-attr]
    )
    return {cid: (name, int(total), score, int(n)) for cid, name, total, score, n in session.exec(query).all()}


def top_by_sales(session: Session, period: Period, *, limit: int = 10) -> list[TopRow]:
    """The active companies with the largest sales in the period."""
    ranked = sales_by_company(session, period, limit=limit)
    facts = _company_facts(session, [cid for cid, _ in ranked], period)
    return [
        TopRow(rank, cid, facts[cid][0], total, facts[cid][2], facts[cid][3])
        for rank, (cid, total) in enumerate(ranked, start=1)
    ]


def top_by_relationship(session: Session, period: Period, *, limit: int = 10) -> list[TopRow]:
    """Active rated companies by current rating; ties by touches in the last 90 days, then by sales."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Company, Sale, Touch

    touch_from, touch_to = _touch_window(period)
    current = current_ratings()
    touches = (
        select(func.count())
        .select_from(Touch)
        .where(Touch.company_id == current.c.company_id, Touch.touched_on >= touch_from, Touch.touched_on <= touch_to)
        .scalar_subquery()
    )
    sales_total = (
        select(func.coalesce(func.sum(Sale.amount_minor), 0))
        .where(Sale.company_id == current.c.company_id, Sale.sold_on >= period.start, Sale.sold_on <= period.end)
        .scalar_subquery()
    )
    query = (
        select(Company.id, Company.name, current.c.score, touches.label("touches"), sales_total.label("sales"))
        .join(Company, Company.id == current.c.company_id)
        .where(Company.status == "active")
        .order_by(current.c.score.desc(), touches.desc(), sales_total.desc(), Company.name_key, Company.id)
        .limit(limit)
    )
    return [
        TopRow(rank, cid, name, int(total), score, int(n))
        for rank, (cid, name, score, n, total) in enumerate(session.exec(query).all(), start=1)
    ]


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_TOP_LIMIT:
        raise InvalidInput(_("bad --limit {limit}: give a number from 1 to {MAX_TOP_LIMIT}").format(limit=limit, MAX_TOP_LIMIT=MAX_TOP_LIMIT))
    return limit


def check_by(by: str) -> str:
    value = by.strip().lower()
    if value not in BY_CHOICES:
        raise InvalidInput(_("unknown ranking '{by}'").format(by=by), hint=_("choose --by sales or --by relationship"))
    return value


def top_row_record(row: TopRow, settings: Settings) -> dict[str, Any]:
    from dossier_cli.parsing import format_amount

    return {
        "rank": row.rank,
        "id": row.company_id,
        "name": row.name,
        "sales": format_amount(row.sales_minor),
        "sales_minor": row.sales_minor,
        "currency": settings.currency,
        "rating": row.rating,
        "touches_90_days": row.touches,
    }


def top(session: Session, settings: Settings, period: Period, *, by: str = "sales", limit: int = 10) -> list[dict[str, Any]]:
    """`dossier top10`: the largest customers by sales or by relationship."""
    limit = check_limit(limit)
    ranking = top_by_sales if check_by(by) == "sales" else top_by_relationship
    return [top_row_record(row, settings) for row in ranking(session, period, limit=limit)]


MATCH_VERDICT = N_("the lists match: time to look for new customers")
ALIGN_VERDICT = N_("first make the lists match")
EMPTY_VERDICT = N_("nothing to compare yet")


def compare_top(session: Session, settings: Settings, period: Period, *, limit: int = 10) -> dict[str, Any]:
    """The top-10 exercise: both lists, what they share, and what to do next."""
    limit = check_limit(limit)
    by_sales = top_by_sales(session, period, limit=limit)
    by_relationship = top_by_relationship(session, period, limit=limit)
    sales_ids = {row.company_id for row in by_sales}
    relationship_ids = {row.company_id for row in by_relationship}
    shared = sales_ids & relationship_ids
    big_buyers = [row for row in by_sales if row.company_id not in relationship_ids]
    close_small = [row for row in by_relationship if row.company_id not in sales_ids]
    match = bool(sales_ids) and sales_ids == relationship_ids
    steps: list[str] = []
    if match:
        verdict = _(MATCH_VERDICT)
        steps = [
            _("make or review this quarter's prospecting plan: `dossier plan`"),
            _("add the companies you want to win: `dossier add company NAME --source …`, then complete their dossier"),
        ]
    elif not sales_ids and not relationship_ids:
        verdict = _(EMPTY_VERDICT)
        steps = [_("record sales with `dossier add sale` and rate relationships with `dossier rate`")]
    else:
        verdict = _(ALIGN_VERDICT)
        rated_on = _rating_days(session, [row.company_id for row in (*big_buyers, *close_small)])
        steps = [advice(row, rated_on.get(row.company_id), period, big_buyer=True) for row in big_buyers]
        steps += [advice(row, rated_on.get(row.company_id), period, big_buyer=False) for row in close_small]
    return {
        "period": period_record(period),
        "currency": settings.currency,
        "limit": limit,
        "by_sales": [top_row_record(row, settings) | {"in_both": row.company_id in shared} for row in by_sales],
        "by_relationship": [
            top_row_record(row, settings) | {"in_both": row.company_id in shared} for row in by_relationship
        ],
        "in_both": [row.name for row in by_sales if row.company_id in shared],
        "overlap": len(shared),
        "match": match,
        "verdict": verdict,
        "work_on_relationship": [_named(row, settings) for row in big_buyers],
        "grow_or_rerate": [_named(row, settings) for row in close_small],
        "next_steps": steps,
    }


# A rating at or below this is a weak relationship; one older than RATING_OLD_DAYS before the
# period's end no longer says how close the relationship is now.
WEAK_RATING = 4
RATING_OLD_DAYS = 180


def advice(row: TopRow, rated_on: date | None, period: Period, *, big_buyer: bool) -> str:
    """What to do about one company that is in only one of the two lists, fitted to its facts:
    no rating, an old rating, a weak rating, no sales yet, or small sales."""
    from dossier_cli.i18n import _

    name = row.name
    if row.rating is None:
        return _("{name}: a big buyer, not rated yet: rate the relationship (`dossier rate`), then work on it").format(name=name)
    if rated_on is not None and (period.end - rated_on).days > RATING_OLD_DAYS:
        return _(
            "{name}: rated {rating} on {day}, more than six months before the period's end: "
            "re-rate it (`dossier rate`) before acting on it"
        ).format(name=name, rating=row.rating, day=format_day(rated_on))
    weak = row.rating <= WEAK_RATING
    if big_buyer:
        if weak:
            return _("{name}: a big buyer with a weak relationship (rating {rating}): work on the relationship").format(
                name=name, rating=row.rating
            )
        return _(
            "{name}: a big buyer rated {rating}, below the closest relationships: work on the relationship"
        ).format(name=name, rating=row.rating)
    if row.sales_minor == 0:
        if weak:
            return _(
                "{name}: no sales in the period and a weak relationship (rating {rating}): a prospect rather "
                "than a customer; rate your real customers so the list shows the closest ones"
            ).format(name=name, rating=row.rating)
        return _("{name}: a close relationship (rating {rating}) but no sales in the period: make an offer").format(
            name=name, rating=row.rating
        )
    if weak:
        return _(
            "{name}: small sales and a weak relationship (rating {rating}): work on the relationship first"
        ).format(name=name, rating=row.rating)
    return _("{name}: a close relationship (rating {rating}) with small sales: grow the business or re-rate").format(
        name=name, rating=row.rating
    )


def _rating_days(session: Session, company_ids: list[int]) -> dict[int, date]:
    """id -> the day of the company's current (newest) rating."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Rating

    if not company_ids:
        return {}
    query = select(Rating.company_id, func.max(Rating.rated_on)).where(Rating.company_id.in_(company_ids)).group_by(Rating.company_id)  # type: ignore[attr-defined]
    return {cid: day for cid, day in session.exec(query).all()}


def _named(row: TopRow, settings: Settings) -> dict[str, Any]:
    from dossier_cli.parsing import format_amount

    return {"id": row.company_id, "name": row.name, "rating": row.rating, "sales": format_amount(row.sales_minor)}
