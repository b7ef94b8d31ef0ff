"""Sales, relationship ratings, ABC groups and the top-10 exercise.

The top-10 exercise (section 1 of the source article): list your ten largest customers
by relationship and your ten largest by sales. When the two lists hold the same
companies, it is time to look for new customers; when they do not, first work on the
difference. Liquidated companies keep their sales as history but never appear in the
top-10 lists or the ABC groups.

Everything that ranks companies is aggregated in SQL over the sale indexes
(company_id, sold_on, amount_minor) and (sold_on, company_id, amount_minor), so it
stays fast with a million sales.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.errors import Conflict, InvalidInput, NotFound
from dossier_cli.text import check_text

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, Rating, Sale
    from dossier_cli.parsing import Period

RATING_MIN, RATING_MAX = 0, 10
TOUCH_WINDOW_DAYS = 90  # touches counted to break ties between equal ratings
MAX_TOP_LIMIT = 1000
BY_CHOICES: tuple[str, ...] = ("sales", "relationship")


# ---------------------------------------------------------------- sales
def add_sale(
    session: Session,
    settings: Settings,
    company: Company,
    *,
    amount: str | int,
    sold_on: date | str | None = None,
    reference: str | None = None,
    note: str | None = None,
) -> Sale:
    """Record a sale. `amount` is as typed (125000.50, "125 000,50", 125000); a duplicate
    reference for the same company is refused."""
    from sqlmodel import select

    from dossier_cli.models import Sale
    from dossier_cli.parsing import parse_amount, parse_date

    amount_minor = parse_amount(amount)
    if amount_minor == 0:
        raise InvalidInput(f"bad amount '{amount}': a sale must be more than zero")
    day = sold_on if isinstance(sold_on, date) else date.today() if sold_on is None else parse_date(sold_on, field="sale date")
    reference = _clean_optional(reference, field="reference", max_length=200, one_line=True)
    note = _clean_optional(note, field="note")
    if reference is not None:
        existing = session.exec(
            select(Sale).where(Sale.company_id == company.id, Sale.reference == reference).limit(1)
        ).first()
        if existing is not None:
            raise Conflict(
                f"{company.name} already has a sale with reference '{reference}': "
                f"#{existing.id} of {existing.sold_on.isoformat()}",
                hint="use another reference, or `dossier rm sale` the old one first",
            )
    sale = Sale(company_id=company.id, sold_on=day, amount_minor=amount_minor, reference=reference, note=note)
    session.add(sale)
    session.flush()
    audit.record(
        session,
        action="create",
        entity="sale",
        entity_id=sale.id,
        company_id=company.id,
        changes=_sale_snapshot(sale, settings),
    )
    return sale


def _clean_optional(value: str | None, *, field: str, max_length: int = 10_000, one_line: bool = False) -> str | None:
    """Trimmed text, or None when empty; a reference (`one_line`) also has its inner spaces folded."""
    if value is None:
        return None
    cleaned = check_text(value, field=field, max_length=max_length).strip()
    if one_line:
        cleaned = " ".join(cleaned.split())
    return cleaned or None


def _sale_snapshot(sale: Sale, settings: Settings) -> dict[str, Any]:
    from dossier_cli.parsing import format_amount

    return {
        "sold_on": sale.sold_on,
        "amount": format_amount(sale.amount_minor),
        "currency": settings.currency,
        "reference": sale.reference,
        "note": sale.note,
    }


def find_sale(session: Session, ref: str | int) -> Sale:
    from dossier_cli.models import Sale

    text = str(ref).strip().lstrip("#")
    if not text.isdigit() or len(text) > 12:
        raise InvalidInput(f"bad sale '{ref}': name a sale by its number (see `dossier list sales`)")
    from dossier_cli.text import as_record_id

    record_id = as_record_id(text)
    sale = session.get(Sale, record_id) if record_id is not None else None
    if sale is None:
        raise NotFound(f"no sale #{text}", hint="see `dossier list sales`")
    return sale


def remove_sale(session: Session, settings: Settings, sale: Sale) -> None:
    audit.record(
        session,
        action="delete",
        entity="sale",
        entity_id=sale.id,
        company_id=sale.company_id,
        changes={"deleted": _sale_snapshot(sale, settings)},
    )
    session.delete(sale)
    session.flush()


def sale_record(sale: Sale, company_name: str, settings: Settings) -> dict[str, Any]:
    """A sale as plain data, the same for a table, JSON and CSV."""
    from dossier_cli.parsing import format_amount

    return {
        "id": sale.id,
        "company_id": sale.company_id,
        "company": company_name,
        "sold_on": sale.sold_on.isoformat(),
        "amount": format_amount(sale.amount_minor),
        "amount_minor": sale.amount_minor,
        "currency": settings.currency,
        "reference": sale.reference,
        "note": sale.note,
    }


def list_sales(
    session: Session,
    settings: Settings,
    *,
    company: Company | None = None,
    period: Period | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Sales, newest first; liquidated companies' sales are listed too (they are history)."""
    from sqlmodel import select

    from dossier_cli.models import Company, Sale

    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    query = select(Sale, Company.name).join(Company, Company.id == Sale.company_id)
    if company is not None:
        query = query.where(Sale.company_id == company.id)
    if period is not None:
        query = query.where(Sale.sold_on >= period.start, Sale.sold_on <= period.end)
    query = query.order_by(Sale.sold_on.desc(), Sale.id.desc()).offset(offset).limit(limit)  # type: ignore[attr-defined]
    return [sale_record(sale, name, settings) for sale, name in session.exec(query).all()]


def _sales_totals(period: Period) -> Any:
    """Subquery: (company_id, total) over the period, from the sale indexes alone."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Sale

    return (
        select(Sale.company_id.label("company_id"), func.sum(Sale.amount_minor).label("total"))
        .where(Sale.sold_on >= period.start, Sale.sold_on <= period.end)
        .group_by(Sale.company_id)
        .subquery("totals")
    )


def _active_only(company_id: Any) -> Any:
    """Leave out liquidated companies. They are few, so a NOT IN over them is cheaper
    than joining every aggregated row to the company table."""
    from sqlmodel import select

    from dossier_cli.models import Company

    return company_id.not_in(select(Company.id).where(Company.status != "active"))


def sales_by_company(session: Session, period: Period, *, limit: int | None = None) -> list[tuple[int, int]]:
    """(company id, total in minor units) for active companies, largest first, aggregated in SQL."""
    from sqlmodel import select

    totals = _sales_totals(period)
    query = (
        select(totals.c.company_id, totals.c.total)
        .where(_active_only(totals.c.company_id), totals.c.total > 0)
        .order_by(totals.c.total.desc(), totals.c.company_id)
    )
    if limit is not None:
        query = query.limit(limit)
    return [(company_id, int(amount)) for company_id, amount in session.exec(query).all()]


# ---------------------------------------------------------------- ABC
def _abc_ranked(settings: Settings, period: Period) -> Any:
    """Select: every active company with sales in the period, its rank, total, the
    revenue before it, the whole revenue and its group. A company belongs to the group
    in which its revenue starts: A while the revenue before it is under a%, B under a+b%."""
    from sqlalchemy import case, func
    from sqlmodel import select

    totals = _sales_totals(period)
    order = (totals.c.total.desc(), totals.c.company_id)
    ranked = (
        select(
            totals.c.company_id,
            totals.c.total,
            func.row_number().over(order_by=order).label("rank"),
            func.sum(totals.c.total).over(order_by=order, rows=(None, 0)).label("running"),
            func.sum(totals.c.total).over().label("revenue"),
        )
        .where(_active_only(totals.c.company_id), totals.c.total > 0)
        .subquery("ranked")
    )
    before = (ranked.c.running - ranked.c.total) * 100
    group = case(
        (before < ranked.c.revenue * float(settings.abc_a_percent), "A"),
        (before < ranked.c.revenue * float(settings.abc_a_percent + settings.abc_b_percent), "B"),
        else_="C",
    )
    return select(
        ranked.c.company_id,
        ranked.c.total,
        ranked.c.rank,
        ranked.c.running,
        ranked.c.revenue,
        group.label("abc_group"),
    )


def _default_period(period: Period | None) -> Period:
    from dossier_cli.parsing import resolve_period

    return period or resolve_period(None, None, None)


def abc_groups(session: Session, settings: Settings, period: Period | None = None) -> dict[int, str]:
    """Company id -> "A" | "B" | "C": A makes the first a% of revenue, B the next b%, C the rest."""
    from sqlmodel import select

    abc = _abc_ranked(settings, _default_period(period)).subquery("abc")
    return {company_id: group for company_id, group in session.exec(select(abc.c.company_id, abc.c.abc_group)).all()}


def _check_group(group: str) -> str:
    wanted = group.strip().upper()
    if wanted not in ("A", "B", "C"):
        raise InvalidInput(f"unknown ABC group '{group}'", hint="choose A, B or C")
    return wanted


def abc_group_ids(session: Session, settings: Settings, group: str, period: Period | None = None) -> list[int]:
    from sqlmodel import select

    wanted = _check_group(group)
    abc = _abc_ranked(settings, _default_period(period)).subquery("abc")
    query = select(abc.c.company_id).where(abc.c.abc_group == wanted).order_by(abc.c.rank)
    return list(session.exec(query).all())


def abc_group_of(session: Session, settings: Settings, company_id: int, period: Period | None = None) -> str | None:
    """The ABC group of one company (None when it had no sales in the period or is liquidated)."""
    from sqlalchemy import and_, case, func, or_
    from sqlmodel import select

    from dossier_cli.models import Sale

    period = _default_period(period)
    # Most companies bought nothing in the period: one index probe spares them the ranking
    # of every customer, which reads every sale of the period.
    bought = session.exec(
        select(Sale.id).where(Sale.company_id == company_id, Sale.sold_on >= period.start, Sale.sold_on <= period.end).limit(1)
    ).first()
    if bought is None:
        return None
    # Its group needs only the revenue before it in the ranking (the companies with a larger
    # total, or the same total and a lower id) and the whole revenue: two sums over the
    # totals, without ranking them all (the same rule as _abc_ranked).
    totals = _sales_totals(period)
    own = (
        select(func.sum(Sale.amount_minor))
        .where(Sale.company_id == company_id, Sale.sold_on >= period.start, Sale.sold_on <= period.end)
        .scalar_subquery()
    )
    ahead = or_(totals.c.total > own, and_(totals.c.total == own, totals.c.company_id < company_id))
    before = func.sum(case((ahead, totals.c.total), else_=0)) * 100
    revenue = func.sum(totals.c.total)
    group = case(
        (before < revenue * float(settings.abc_a_percent), "A"),
        (before < revenue * float(settings.abc_a_percent + settings.abc_b_percent), "B"),
        else_="C",
    )
    ranked = func.max(case((totals.c.company_id == company_id, 1), else_=0))
    found = session.exec(
        select(ranked, group).where(_active_only(totals.c.company_id), totals.c.total > 0)
    ).first()
    return found[1] if found is not None and found[0] else None


def abc_report(
    session: Session,
    settings: Settings,
    period: Period | None = None,
    *,
    group: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """The ABC analysis: ranked rows (sum, share, cumulative share, group) and a summary per group."""
    from sqlalchemy import func, literal_column, null, union_all
    from sqlmodel import select

    from dossier_cli.models import Company
    from dossier_cli.parsing import format_amount

    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    period = _default_period(period)
    # One statement, so the ranking (an aggregate over every sale in the period) runs
    # once: the page of rows, then one summary row per group.
    abc = _abc_ranked(settings, period).cte("abc")
    page = select(abc.c.company_id, abc.c.total, abc.c.rank, abc.c.running, abc.c.revenue, abc.c.abc_group)
    if group:
        page = page.where(abc.c.abc_group == _check_group(group))
    page_rows = page.order_by(abc.c.rank).offset(offset).limit(limit).subquery("page")
    summary = select(
        literal_column("'group'").label("kind"),
        null().label("company_id"),
        func.sum(abc.c.total).label("total"),
        func.count().label("rank"),
        null().label("running"),
        null().label("revenue"),
        abc.c.abc_group,
    ).group_by(abc.c.abc_group)
    statement = union_all(select(literal_column("'row'").label("kind"), *page_rows.c), summary)
    found = session.exec(statement).all()  # type: ignore[call-overload]
    names = dict(
        session.exec(select(Company.id, Company.name).where(Company.id.in_([r[1] for r in found if r[0] == "row"]))).all()  # type: ignore[union-attr]
    )
    rows = []
    by_group: dict[str, tuple[int, int]] = {}
    for kind, company_id, total, rank, running, revenue, abc_group in found:
        if kind == "group":
            by_group[abc_group] = (int(rank), int(total))
            continue
        rows.append(
            {
                "rank": rank,
                "id": company_id,
                "name": names.get(company_id),
                "sales": format_amount(int(total)),
                "sales_minor": int(total),
                "share_percent": _percent(total, revenue),
                "cumulative_percent": _percent(running, revenue),
                "abc_group": abc_group,
                "currency": settings.currency,
            }
        )
    rows.sort(key=lambda row: row["rank"])
    revenue = sum(t for _, t in by_group.values())
    groups = [
        {
            "abc_group": g,
            "companies": by_group.get(g, (0, 0))[0],
            "sales": format_amount(by_group.get(g, (0, 0))[1]),
            "sales_minor": by_group.get(g, (0, 0))[1],
            "share_percent": _percent(by_group.get(g, (0, 0))[1], revenue),
        }
        for g in ("A", "B", "C")
    ]
    return {
        "period": _period_record(period),
        "currency": settings.currency,
        "thresholds": {"a_percent": settings.abc_a_percent, "b_percent": settings.abc_b_percent},
        "revenue": format_amount(revenue),
        "revenue_minor": revenue,
        "companies": sum(n for n, _ in by_group.values()),
        "groups": groups,
        "rows": rows,
    }


def _percent(part: int | float, whole: int | float) -> float:
    return round(float(part) * 100 / float(whole), 2) if whole else 0.0


def _period_record(period: Period) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat(), "label": period.label}


# ---------------------------------------------------------------- ratings
def parse_rating(value: str | int) -> int:
    text = str(value).strip()
    try:
        score = int(text)
    except ValueError:
        raise InvalidInput(
            f"bad rating '{value}': give a whole number from {RATING_MIN} (no relationship) to {RATING_MAX} (closest)"
        ) from None
    if not RATING_MIN <= score <= RATING_MAX:
        raise InvalidInput(
            f"bad rating '{value}': must be from {RATING_MIN} (no relationship) to {RATING_MAX} (closest)"
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
    day = rated_on if isinstance(rated_on, date) else date.today() if rated_on is None else parse_date(rated_on, field="rating date")
    note = _clean_optional(note, field="note")
    previous = _ratings(session, company.id, limit=1)
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


def _ratings(session: Session, company_id: int | None, *, limit: int | None = None) -> list[Rating]:
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
        for r in _ratings(session, company.id)
    ]


def rating_trend(current: int | None, previous: int | None) -> str | None:
    if current is None:
        return None
    if previous is None:
        return "first rating"
    if current > previous:
        return f"up from {previous}"
    if current < previous:
        return f"down from {previous}"
    return f"unchanged ({previous})"


def _current_ratings() -> Any:
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


# ---------------------------------------------------------------- show company
def company_summary(session: Session, settings: Settings, company: Company) -> dict[str, Any]:
    """The `show company` section: rating and trend, ABC group, last 12 months' sales, last sale."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Sale
    from dossier_cli.parsing import format_amount

    recent = _ratings(session, company.id, limit=2)
    current = recent[0].score if recent else None
    previous = recent[1].score if len(recent) > 1 else None
    period = _default_period(None)
    total = session.exec(
        select(func.coalesce(func.sum(Sale.amount_minor), 0)).where(
            Sale.company_id == company.id, Sale.sold_on >= period.start, Sale.sold_on <= period.end
        )
    ).one()
    last_sale = session.exec(select(func.max(Sale.sold_on)).where(Sale.company_id == company.id)).one()
    group = abc_group_of(session, settings, company.id, period) if company.status == "active" and total else None
    return {
        "rating": current,
        "rating_trend": rating_trend(current, previous),
        "rating_note": recent[0].note if recent else None,
        "abc_group": group,
        "sales_last_12_months": f"{format_amount(int(total))} {settings.currency}",
        "last_sale_on": last_sale.isoformat() if isinstance(last_sale, date) else last_sale,
    }


# ---------------------------------------------------------------- top 10
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
    current = _current_ratings()
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
    current = _current_ratings()
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
        raise InvalidInput(f"bad --limit {limit}: give a number from 1 to {MAX_TOP_LIMIT}")
    return limit


def check_by(by: str) -> str:
    value = by.strip().lower()
    if value not in BY_CHOICES:
        raise InvalidInput(f"unknown ranking '{by}'", hint="choose --by sales or --by relationship")
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


MATCH_VERDICT = "the lists match: time to look for new customers"
ALIGN_VERDICT = "first make the lists match"
EMPTY_VERDICT = "nothing to compare yet"


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
        verdict = MATCH_VERDICT
        steps = [
            "make or review this quarter's prospecting plan: `dossier plan`",
            "add the companies you want to win: `dossier add company NAME --source …`, then complete their dossier",
        ]
    elif not sales_ids and not relationship_ids:
        verdict = EMPTY_VERDICT
        steps = ["record sales with `dossier add sale` and rate relationships with `dossier rate`"]
    else:
        verdict = ALIGN_VERDICT
        for row in big_buyers:
            how_close = "not rated yet" if row.rating is None else f"rating {row.rating}"
            steps.append(f"{row.name}: a big buyer with a weak relationship ({how_close}): work on the relationship"
                         + (" (or rate it: `dossier rate`)" if row.rating is None else ""))
        for row in close_small:
            steps.append(f"{row.name}: a close relationship (rating {row.rating}) with small sales: "
                         "grow the business or re-rate")
    return {
        "period": _period_record(period),
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


def _named(row: TopRow, settings: Settings) -> dict[str, Any]:
    from dossier_cli.parsing import format_amount

    return {"id": row.company_id, "name": row.name, "rating": row.rating, "sales": format_amount(row.sales_minor)}


__all__ = [
    "abc_group_ids",
    "abc_group_of",
    "abc_groups",
    "abc_report",
    "add_sale",
    "company_summary",
    "compare_top",
    "find_sale",
    "list_sales",
    "rate_company",
    "rating_history",
    "remove_sale",
    "sales_by_company",
    "top",
]
