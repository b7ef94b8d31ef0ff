"""How many touches and days it takes to win a customer, from the user's own contact log.

Definitions (the README states them too):
- A prospect is a company listed at a stage before the client stage. Companies listed
  already as customers (their first stage is the client stage or later, or their first
  sale predates the listing) are left out and counted separately.
- A prospect *became a customer* on the earlier of: the first day it reached the client
  stage (or a later one) per its stage history, and the day of its first sale.
- Touches and "no" outcomes are counted up to and including that day; days run from
  `listed_on` to that day.
- The cohort is the prospects listed in `--period` (all of them without it). The
  conversion rate is converted / cohort; open prospects (active, not converted) count in
  it but not in the medians, and so do prospects liquidated before buying ("lost").
- Quartiles are Python's `statistics.quantiles(data, n=4, method="inclusive")`; the
  second quartile is the median. With one value, all three are that value.

The per-company numbers come from two GROUP BY queries, whatever the number of companies.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import InvalidInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.parsing import Period

GROUPINGS: tuple[str, ...] = ("source", "territory", "market", "kind")
QUARTILE_METHOD = 'statistics.quantiles(n=4, method="inclusive")'
HISTOGRAM_MAX_BARS = 20
NO_VALUE = "(none)"


@dataclass
class _Prospect:
    company_id: int
    listed_on: date
    status: str
    source: str | None
    territory: str | None
    market: str | None
    converted_on: date | None = None
    touches: int = 0
    noes: int = 0
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (touches, noes) up to conversion
    kinds_ever: set[str] = field(default_factory=set)


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def summarise(values: list[int]) -> dict[str, Any]:
    """n, median, quartiles (inclusive method) and range of whole numbers."""
    if not values:
        return {"n": 0, "median": None, "q1": None, "q3": None, "min": None, "max": None}
    ordered = sorted(values)
    if len(ordered) == 1:
        q1 = median = q3 = float(ordered[0])
    else:
        q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return {
        "n": len(ordered),
        "median": _tidy(median),
        "q1": _tidy(q1),
        "q3": _tidy(q3),
        "min": ordered[0],
        "max": ordered[-1],
    }


def _tidy(value: float) -> float | int:
    """Whole numbers as ints, others rounded to 2 places (quartiles may be quarters)."""
    return int(value) if float(value).is_integer() else round(value, 2)


def histogram(values: list[int]) -> list[dict[str, Any]]:
    """Companies per number of touches, 0 to the maximum; wider bins beyond 20 bars."""
    if not values:
        return []
    top = max(values)
    width = max(1, math.ceil((top + 1) / HISTOGRAM_MAX_BARS))
    bins = []
    for start in range(0, top + 1, width):
        end = start + width - 1
        count = sum(1 for v in values if start <= v <= end)
        bins.append({"touches": str(start) if width == 1 else f"{start}-{end}", "from": start, "to": end, "companies": count})
    return bins


def _load(session: Session, settings: Settings, period: Period | None, *, with_kinds: bool) -> tuple[list[_Prospect], int]:
    from sqlalchemy import and_, case, func
    from sqlmodel import select

    from dossier_cli.models import Company, Sale, StageChange, Touch
    from dossier_cli.touches import customer_stages

    stages = customer_stages(settings)
    reached = (
        select(StageChange.company_id, func.min(StageChange.changed_on).label("on"))
        .where(StageChange.to_stage.in_(stages), StageChange.from_stage.is_not(None))  # type: ignore[attr-defined,union-attr]
        .group_by(StageChange.company_id)
        .subquery()
    )
    first_sale = select(Sale.company_id, func.min(Sale.sold_on).label("on")).group_by(Sale.company_id).subquery()
    listed_as_customer = select(StageChange.company_id).where(
        StageChange.from_stage.is_(None), StageChange.to_stage.in_(stages)  # type: ignore[union-attr,attr-defined]
    )
    converted_on = case(
        (reached.c.on.is_(None), first_sale.c.on),
        (first_sale.c.on.is_(None), reached.c.on),
        (reached.c.on <= first_sale.c.on, reached.c.on),
        else_=first_sale.c.on,
    ).label("converted_on")
    conditions = [Company.id.not_in(listed_as_customer)]  # type: ignore[union-attr]
    if period is not None:
        conditions += [Company.listed_on >= period.start, Company.listed_on <= period.end]
    cohort = (
        select(
            Company.id.label("company_id"),  # type: ignore[union-attr]
            Company.listed_on,
            Company.status,
            Company.stage,
            Company.source,
            Company.territory,
            Company.market,
            converted_on,
        )
        .outerjoin(reached, reached.c.company_id == Company.id)
        .outerjoin(first_sale, first_sale.c.company_id == Company.id)
        .where(*conditions)
        .subquery()
    )
    prospects: dict[int, _Prospect] = {}
    excluded = 0
    customer_set = set(stages)
    # Core execution, not the ORM's: these are plain rows, up to one per company.
    connection = session.connection()
    # Fetched at once and unpacked as tuples: iterating a result row by row, with
    # attribute access, cost more than the query itself at 100,000 companies.
    rows = connection.execute(select(*cohort.c)).all()
    for company_id, listed_raw, status, stage, source, territory, market, converted_raw in rows:
        listed_on = _as_date(listed_raw)
        conv = _as_date(converted_raw)
        if conv is not None and listed_on is not None and conv < listed_on:
            excluded += 1  # bought before it was listed: a customer already, not a conversion
            continue
        if conv is None and stage in customer_set:
            excluded += 1  # a customer with no date to count from (imported, say)
            continue
        prospects[company_id] = _Prospect(company_id, listed_on, status, source, territory, market, conv)  # type: ignore[arg-type]
    excluded += session.exec(
        select(func.count()).select_from(Company).where(
            Company.id.in_(listed_as_customer),  # type: ignore[union-attr]
            *([Company.listed_on >= period.start, Company.listed_on <= period.end] if period is not None else []),
        )
    ).one()

    # Touches up to the conversion day, per company and kind, in one grouped query.
    is_no = func.sum(case((Touch.outcome == "no", 1), else_=0))
    counted = connection.execute(
        select(Touch.company_id, Touch.kind, func.count(Touch.id), is_no)  # type: ignore[arg-type]
        .join(cohort, and_(cohort.c.company_id == Touch.company_id, cohort.c.converted_on.is_not(None)))
        .where(Touch.touched_on <= cohort.c.converted_on)
        .group_by(Touch.company_id, Touch.kind)
    ).all()
    for company_id, kind, count, noes in counted:
        prospect = prospects.get(company_id)
        if prospect is None:
            continue
        prospect.touches += int(count)
        prospect.noes += int(noes or 0)
        prospect.by_kind[kind] = (int(count), int(noes or 0))
    if with_kinds:
        # Which kinds of touch each prospect ever had, also grouped in SQL.
        for company_id, kind in connection.execute(select(Touch.company_id, Touch.kind).group_by(Touch.company_id, Touch.kind)):
            if company_id in prospects:
                prospects[company_id].kinds_ever.add(kind)
    return list(prospects.values()), excluded


def _group_summary(prospects: list[_Prospect], *, kind: str | None = None) -> dict[str, Any]:
    converted = [p for p in prospects if p.converted_on is not None]
    if kind is None:
        touches = [p.touches for p in converted]
        noes = [p.noes for p in converted]
    else:
        touches = [p.by_kind.get(kind, (0, 0))[0] for p in converted]
        noes = [p.by_kind.get(kind, (0, 0))[1] for p in converted]
    days = [(p.converted_on - p.listed_on).days for p in converted]  # type: ignore[operator]
    still_open = sum(1 for p in prospects if p.converted_on is None and p.status == "active")
    return {
        "prospects": len(prospects),
        "converted": len(converted),
        "open": still_open,
        "lost": len(prospects) - len(converted) - still_open,
        "conversion_rate": round(len(converted) / len(prospects), 4) if prospects else None,
        "touches": summarise(touches),
        "no_outcomes": summarise(noes),
        "days": summarise(days),
        "histogram": histogram(touches),
    }


def conversion_stats(session: Session, settings: Settings, *, by: str | None = None, period: Period | None = None) -> dict[str, Any]:
    """Touches, "no"s and days to the first purchase; conversion; overall and per group."""
    if by is not None and by not in GROUPINGS:
        raise InvalidInput(f"unknown grouping '{by}'", hint=f"choose one of: {', '.join(GROUPINGS)}")
    prospects, excluded = _load(session, settings, period, with_kinds=by == "kind")
    report: dict[str, Any] = {
        "period": (
            {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()} if period else None
        ),
        "client_stage": settings.client_stage,
        "quartile_method": QUARTILE_METHOD,
        "listed_as_customers": excluded,
        "overall": _group_summary(prospects),
        "by": by,
        "groups": [],
    }
    if by is None:
        return report
    groups: list[dict[str, Any]] = []
    if by == "kind":
        kinds = sorted({k for p in prospects for k in p.kinds_ever}, key=_kind_order(settings))
        for kind in kinds:
            members = [p for p in prospects if kind in p.kinds_ever]
            groups.append({"group": kind, **_group_summary(members, kind=kind)})
    else:
        buckets: dict[str, list[_Prospect]] = {}
        for prospect in prospects:
            value = getattr(prospect, by) or NO_VALUE
            buckets.setdefault(value, []).append(prospect)
        for value in sorted(buckets, key=lambda v: (v == NO_VALUE, v.casefold())):
            groups.append({"group": value, **_group_summary(buckets[value])})
    report["groups"] = groups
    return report


def _kind_order(settings: Settings) -> Any:
    order = {kind: i for i, kind in enumerate(settings.touch_kinds)}
    return lambda kind: (order.get(kind, len(order)), kind)
