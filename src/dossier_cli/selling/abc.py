"""ABC groups: A makes the first a% of revenue, B the next b%, C the rest; and the sales
section of `show company` (rating and trend, ABC group, the last 12 months' sales).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import InvalidInput
from dossier_cli.selling.ratings import rating_trend, ratings_of
from dossier_cli.selling.sales import (
    active_only,
    default_period,
    period_record,
    sales_totals,
)
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company
    from dossier_cli.parsing import Period


def _abc_ranked(settings: Settings, period: Period) -> Any:
    """Select: every active company with sales in the period, its rank, total, the
    revenue before it, the whole revenue and its group. A company belongs to the group
    in which its revenue starts: A while the revenue before it is under a%, B under a+b%."""
    from sqlalchemy import case, func
    from sqlmodel import select

    totals = sales_totals(period)
    order = (totals.c.total.desc(), totals.c.company_id)
    ranked = (
        select(
            totals.c.company_id,
            totals.c.total,
            func.row_number().over(order_by=order).label("rank"),
            func.sum(totals.c.total).over(order_by=order, rows=(None, 0)).label("running"),
            func.sum(totals.c.total).over().label("revenue"),
        )
        .where(active_only(totals.c.company_id), totals.c.total > 0)
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


def _check_group(group: str) -> str:
    wanted = group.strip().upper()
    if wanted not in ("A", "B", "C"):
        raise InvalidInput(_("unknown ABC group '{group}'").format(group=group), hint=_("choose A, B or C"))
    return wanted


def abc_group_ids(session: Session, settings: Settings, group: str, period: Period | None = None) -> list[int]:
    from sqlmodel import select

    wanted = _check_group(group)
    abc = _abc_ranked(settings, default_period(period)).subquery("abc")
    query = select(abc.c.company_id).where(abc.c.abc_group == wanted).order_by(abc.c.rank)
    return list(session.exec(query).all())


def abc_group_of(session: Session, settings: Settings, company_id: int, period: Period | None = None) -> str | None:
    """The ABC group of one company (None when it had no sales in the period or is liquidated)."""
    from sqlalchemy import and_, case, func, or_
    from sqlmodel import select

    from dossier_cli.models import Sale

    period = default_period(period)
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
    totals = sales_totals(period)
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
        select(ranked, group).where(active_only(totals.c.company_id), totals.c.total > 0)
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
    from dossier_cli.parsing import check_page, format_amount

    check_page(limit, offset)
    period = default_period(period)
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
        "period": period_record(period),
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


def company_summary(session: Session, settings: Settings, company: Company) -> dict[str, Any]:
    """The `show company` section: rating and trend, ABC group, last 12 months' sales, last sale."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Sale
    from dossier_cli.parsing import format_amount

    recent = ratings_of(session, company.id, limit=2)
    current = recent[0].score if recent else None
    previous = recent[1].score if len(recent) > 1 else None
    period = default_period(None)
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
