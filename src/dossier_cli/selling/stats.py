"""How many touches and days it takes to win a customer, from the user's own contact log.

Definitions (the README states them too):
- A prospect is a company listed at a stage before the client stage. Companies listed
  already as customers (their first stage is the client stage or later, or their first
  sale predates the listing) are left out and counted separately.
- A prospect *became a customer* on the earlier of: the first day it reached the client
  stage (or a later one) per its stage history, and the day of its first sale.
- Touches and "no" outcomes are counted up to and including that day; days run from
  the day it became a prospect to that day: `listed_on`, or its first recorded touch when
  that is earlier (history entered after the fact).
- The cohort is the prospects listed in `--period` (all of them without it). The
  conversion rate is converted / cohort; open prospects (active, not converted) count in
  it but not in the medians, and so do prospects liquidated before buying ("lost").
- Quartiles are Python's `statistics.quantiles(data, n=4, method="inclusive")`; the
  second quartile is the median. With one value, all three are that value.

Everything is counted in SQL in one statement (the cohort is one CTE): only counts come
back (how many converted prospects needed n touches), never a row per prospect.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.parsing import Period

GROUPINGS: tuple[str, ...] = ("source", "territory", "market", "kind")
QUARTILE_METHOD = 'statistics.quantiles(n=4, method="inclusive")'
HISTOGRAM_MAX_BARS = 20
NO_VALUE = "(none)"


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


def histogram(values: list[int], *, key: str = "touches") -> list[dict[str, Any]]:
    """Companies per number of touches (or days: `key`), 0 to the maximum; wider bins beyond 20 bars."""
    if not values:
        return []
    counts = Counter(values)
    top = max(counts)
    width = max(1, math.ceil((top + 1) / HISTOGRAM_MAX_BARS))
    bins = []
    for start in range(0, top + 1, width):
        end = start + width - 1
        count = sum(counts.get(v, 0) for v in range(start, end + 1))
        bins.append({key: str(start) if width == 1 else f"{start}-{end}", "from": start, "to": end, "companies": count})
    return bins


@dataclass
class _Group:
    """What one group's summary needs, as counted in SQL: prospects by state, and the
    touches, "no"s and days of the converted ones as lists of values."""

    prospects: int = 0
    first_id: int = 0  # the lowest company id in it: ties of the sort order keep the listing order
    converted: int = 0
    open: int = 0
    touches: list[int] = field(default_factory=list)
    noes: list[int] = field(default_factory=list)
    days: list[int] = field(default_factory=list)


def _load(session: Session, settings: Settings, period: Period | None, *, by: str | None) -> tuple[dict[Any, _Group], int]:
    """The cohort counted in SQL, overall (key None) and per group of `by` (key: the value).

    One statement. Only counts come back (prospects, converted and open per group; how
    many converted prospects had n touches, and so on), never a row per prospect. The
    cohort is one CTE, which the database evaluates once; each company's first sale is one
    probe of the (company_id, sold_on) index, not a grouping of every sale."""
    from datetime import date

    from sqlalchemy import Date, Integer, String, and_, case, cast, func, literal, null, union_all
    from sqlmodel import select

    from dossier_cli.models import Company, Sale, StageChange, Touch
    from dossier_cli.selling.pipeline import _days_between
    from dossier_cli.selling.touches import customer_stages

    stages = customer_stages(settings)
    reached = (
        select(StageChange.company_id, func.min(StageChange.changed_on).label("on"))
        .where(StageChange.to_stage.in_(stages), StageChange.from_stage.is_not(None))  # type: ignore[attr-defined,union-attr]
        .group_by(StageChange.company_id)
        .subquery()
    )
    listed = (
        select(StageChange.company_id)
        .where(StageChange.from_stage.is_(None), StageChange.to_stage.in_(stages))  # type: ignore[union-attr,attr-defined]
        .cte("listed")
    )
    listed_as_customer = select(listed.c.company_id)
    # The earlier of reaching a customer stage and the first sale: the first sale before the
    # stage was reached (one index probe: the lowest sold_on under a bound), else that day.
    sale_first = (
        select(func.min(Sale.sold_on))
        .where(Sale.company_id == Company.id, Sale.sold_on < func.coalesce(reached.c.on, literal(date.max, Date)))
        .scalar_subquery()
    )
    converted_on = func.coalesce(sale_first, reached.c.on).label("converted_on")
    # Back-filled history: a company entered today with last year's touches and sales was a
    # prospect from its first recorded touch, when that came before the listing day.
    # (One index probe per company: the first touch under the listing day, if any.)
    first_touch = (
        select(func.min(Touch.touched_on))
        .where(Touch.company_id == Company.id, Touch.touched_on < Company.listed_on)
        .scalar_subquery()
    )
    since = func.coalesce(first_touch, Company.listed_on).label("listed_on")
    in_period = [since >= period.start, since <= period.end] if period is not None else []
    grouped_by = [getattr(Company, by).label("grp")] if by in ("source", "territory", "market") else []
    cohort = (
        select(
            Company.id.label("company_id"),  # type: ignore[union-attr]
            since,
            Company.status,
            Company.stage,
            *grouped_by,
            converted_on,
        )
        .outerjoin(reached, reached.c.company_id == Company.id)
        .where(Company.id.not_in(listed_as_customer), *in_period)  # type: ignore[union-attr]
        .cte("cohort")
    )
    conv, listed_on = cohort.c.converted_on, cohort.c.listed_on
    # Left out: bought before it was listed (a customer already, not a conversion), and a
    # customer with no date to count from (imported, say). CASE, so a NULL never drops a row.
    left_out = case(
        (and_(conv.is_not(None), listed_on.is_not(None), conv < listed_on), 1),
        (and_(conv.is_(None), cohort.c.stage.in_(stages)), 1),  # type: ignore[attr-defined]
        else_=0,
    )
    kept = left_out == 0
    converted = case((conv.is_not(None), 1), else_=0)
    still_open = case((and_(conv.is_(None), cohort.c.status == "active"), 1), else_=0)
    days = _days_between(session, listed_on, conv)
    no_value = cast(null(), Integer)
    no_group = cast(null(), String)

    def prospects(level: int, grp: Any, *joins: Any) -> Any:
        """Per group: prospects, converted, open and the lowest company id (ties of the sort order)."""
        query = select(
            literal("p"),
            literal(level),
            grp,
            func.count(),
            func.sum(converted),
            func.sum(still_open),
            func.min(cohort.c.company_id),
        ).select_from(cohort)
        for target, on in joins:
            query = query.join(target, on)
        query = query.where(kept)
        return query.group_by(grp) if level else query

    # Touches and "no"s up to the conversion day, per converted company (and kind).
    def counted(*keys: Any) -> Any:
        is_no = func.sum(case((Touch.outcome == "no", 1), else_=0))
        return (
            select(*keys, func.count(Touch.id).label("touches"), is_no.label("noes"))  # type: ignore[arg-type]
            .join(cohort, and_(cohort.c.company_id == Touch.company_id, conv.is_not(None)))
            .where(Touch.touched_on <= conv, kept)
            .group_by(*keys)
            .subquery()
        )

    def converted_units(level: int, grp: Any, counts: Any, on: Any, *joins: Any) -> Any:
        """Per converted prospect (and group): its touches, "no"s and days to the first purchase."""
        query = select(
            literal(level).label("level"),
            grp.label("grp"),
            func.coalesce(counts.c.touches, 0).label("touches"),
            func.coalesce(counts.c.noes, 0).label("noes"),
            days.label("days"),
        ).select_from(cohort)
        for target, condition in joins:
            query = query.join(target, condition)
        return query.outerjoin(counts, on).where(kept, conv.is_not(None))

    per_company = counted(Touch.company_id)
    on_company = per_company.c.company_id == cohort.c.company_id
    parts = [prospects(0, no_group)]
    units = [converted_units(0, no_group, per_company, on_company)]
    if by == "kind":
        # A kind's group: the prospects that ever had a touch of that kind; their touches
        # and "no"s of that kind up to conversion.
        kinds_ever = select(Touch.company_id, Touch.kind).group_by(Touch.company_id, Touch.kind).subquery()
        per_kind = counted(Touch.company_id, Touch.kind)
        kind = cast(kinds_ever.c.kind, String)
        ever = (kinds_ever, kinds_ever.c.company_id == cohort.c.company_id)
        parts.append(prospects(1, kind, ever))
        on_kind = and_(per_kind.c.company_id == cohort.c.company_id, per_kind.c.kind == kinds_ever.c.kind)
        units.append(converted_units(1, kind, per_kind, on_kind, ever))
    elif by is not None:
        grp = cast(cohort.c.grp, String)
        parts.append(prospects(1, grp))
        units.append(converted_units(1, grp, per_company, on_company))
    u = (union_all(*units) if len(units) > 1 else units[0]).cte("units").c
    statement = union_all(
        *parts,
        *(
            select(literal(tag), u.level, u.grp, cast(column, Integer), func.count(), no_value, no_value).group_by(
                u.level, u.grp, column
            )
            for tag, column in (("t", u.touches), ("n", u.noes), ("d", u.days))
        ),
        select(literal("x"), literal(0), no_group, no_value, func.count(), no_value, no_value)
        .select_from(cohort)
        .where(left_out == 1),
        select(literal("x"), literal(0), no_group, no_value, func.count(), no_value, no_value)
        .select_from(Company)
        .where(Company.id.in_(listed_as_customer), *in_period),  # type: ignore[union-attr]
    )
    groups: dict[Any, _Group] = {None: _Group()}
    excluded = 0
    # p: prospects, converted, open, lowest id; t/n/d: value, how many; x: how many left out.
    for tag, level, grp, first, second, third, fourth in session.connection().execute(statement):
        if tag == "x":
            excluded += int(second)
            continue
        key = None if level == 0 else grp if by == "kind" else (grp or NO_VALUE)
        group = groups.setdefault(key, _Group())
        if tag == "p":
            if not first:  # no prospect at all: the aggregate's single row of nothing
                continue
            # Accumulated: NULL and "" are two groups in SQL and one (NO_VALUE) here.
            group.first_id = min(group.first_id, int(fourth)) if group.prospects else int(fourth)
            group.prospects += int(first)
            group.converted += int(second)
            group.open += int(third)
        else:
            values = group.touches if tag == "t" else group.noes if tag == "n" else group.days
            values.extend([int(first)] * int(second))
    return groups, excluded


def _group_summary(group: _Group) -> dict[str, Any]:
    return {
        "prospects": group.prospects,
        "converted": group.converted,
        "open": group.open,
        "lost": group.prospects - group.converted - group.open,
        "conversion_rate": round(group.converted / group.prospects, 4) if group.prospects else None,
        "touches": summarise(group.touches),
        "no_outcomes": summarise(group.noes),
        "days": summarise(group.days),
        "histogram": histogram(group.touches),
        "days_histogram": histogram(group.days, key="days"),
    }


def conversion_stats(session: Session, settings: Settings, *, by: str | None = None, period: Period | None = None) -> dict[str, Any]:
    """Touches, "no"s and days to the first purchase; conversion; overall and per group."""
    if by is not None and by not in GROUPINGS:
        raise InvalidInput(_("unknown grouping '{by}'").format(by=by), hint=_("choose one of: {items}").format(items=', '.join(GROUPINGS)))
    found, excluded = _load(session, settings, period, by=by)
    report: dict[str, Any] = {
        "period": (
            {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()} if period else None
        ),
        "client_stage": settings.client_stage,
        "quartile_method": QUARTILE_METHOD,
        "listed_as_customers": excluded,
        "overall": _group_summary(found.pop(None)),
        "by": by,
        "groups": [],
    }
    if by is None:
        return report
    if by == "kind":
        order = sorted(found, key=_kind_order(settings))
    else:
        order = sorted(found, key=lambda v: (v == NO_VALUE, v.casefold(), found[v].first_id))
    report["groups"] = [{"group": value, **_group_summary(found[value])} for value in order]
    return report


def _kind_order(settings: Settings) -> Any:
    order = {kind: i for i, kind in enumerate(settings.touch_kinds)}
    return lambda kind: (order.get(kind, len(order)), kind)
