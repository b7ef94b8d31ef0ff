"""The weighted forecast: expected deals × the probability of their stage, per month.

A company in the pipeline may carry an expected deal value (`deal_value_minor`) and the
month it should close (`close_by`, stored as the month's first day). Its weighted value is
value × the probability of its current stage (`settings.stage_probabilities`, percent).
The forecast of a quarter sums the deals of active companies due to close in it, beside the
sales already booked in it and the plan's revenue goal for it.

Money is in minor units; a weighted sum is rounded to whole minor units per group of
deals at one stage in one month (half up), so the totals are the sums of the rows.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _
from dossier_cli.text import fold

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.parsing import Period

BY_CHOICES: tuple[str, ...] = ("month", "stage", "territory")
NO_TERRITORY = "(none)"


# ---------------------------------------------------------------- the forecast
def probability(settings: Settings, stage: str) -> float:
    return float(settings.stage_probabilities.get(stage, 0.0))


def check_by(by: str) -> str:
    value = by.strip().lower()
    if value not in BY_CHOICES:
        raise InvalidInput(_("unknown grouping '{by}'").format(by=by), hint=_("choose --by month, stage or territory"))
    return value


def _weighted(value_minor: int, percent: float) -> int:
    exact = Decimal(value_minor) * Decimal(str(percent)) / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _months(period: Period) -> list[str]:
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(day.strftime("%Y-%m"))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def forecast(session: Session, settings: Settings, quarter: Period, *, by: str = "month") -> dict[str, Any]:
    """The quarter's weighted forecast grouped by month, stage or territory, with booked sales and the goal."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Company, Plan, Sale
    from dossier_cli.parsing import format_amount

    by = check_by(by)
    # Deals: active companies due to close in the quarter, summed per (month, stage, territory).
    # A territory is grouped by its folded form (case and `ё` aside), shown as one of its spellings.
    deals = session.exec(
        select(Company.close_by, Company.stage, Company.territory, func.count(), func.sum(Company.deal_value_minor))
        .where(
            Company.status == "active",
            Company.deal_value_minor.is_not(None),  # type: ignore[union-attr]
            Company.close_by >= quarter.start,  # type: ignore[operator]
            Company.close_by <= quarter.end,  # type: ignore[operator]
        )
        .group_by(Company.close_by, Company.stage, Company.territory)
    ).all()
    # Booked: every sale in the quarter (lost and liquidated companies' sales were made all the same).
    booked_rows = session.exec(
        select(Sale.sold_on, Company.stage, Company.territory, func.sum(Sale.amount_minor))
        .join(Company, Company.id == Sale.company_id)  # type: ignore[arg-type]
        .where(Sale.sold_on >= quarter.start, Sale.sold_on <= quarter.end)
        .group_by(Sale.sold_on, Company.stage, Company.territory)
    ).all()
    # Territory key -> the spelling shown: the last in code point order, so `Хабаровский край`
    # wins over `ХАБАРОВСКИЙ КРАЙ` (lower case sorts after capitals).
    spellings: dict[str, str] = {}
    for row in (*deals, *booked_rows):
        if row[2]:
            spellings[fold(row[2])] = max(spellings.get(fold(row[2]), row[2]), row[2])

    def key_of(day: Any, stage: str, territory: str | None) -> str:
        if by == "month":
            return str(day)[:7]
        if by == "stage":
            return stage
        return spellings[fold(territory)] if territory else NO_TERRITORY

    groups: dict[str, dict[str, int]] = {}

    def group(key: str) -> dict[str, int]:
        return groups.setdefault(key, {"deals": 0, "value": 0, "weighted": 0, "booked": 0})

    if by == "month":
        for month in _months(quarter):
            group(month)
    elif by == "stage":
        for stage in settings.stages:
            group(stage)
    for day, stage, territory, count, value in deals:
        row = group(key_of(day, stage, territory))
        row["deals"] += int(count)
        row["value"] += int(value or 0)
        row["weighted"] += _weighted(int(value or 0), probability(settings, stage))
    for day, stage, territory, amount in booked_rows:
        group(key_of(day, stage, territory))["booked"] += int(amount or 0)

    plan = session.exec(select(Plan).where(Plan.quarter == quarter.label)).first()
    goal = plan.goal_revenue_minor if plan is not None else None
    if by == "territory":
        keys = sorted(groups, key=lambda k: (k == NO_TERRITORY, k.casefold()))
    else:
        keys = list(groups)

    def money(minor: int | None) -> str | None:
        return format_amount(minor) if minor is not None else None

    rows = []
    for key in keys:
        row = groups[key]
        record: dict[str, Any] = {by: key}
        if by == "stage":
            record["probability_percent"] = probability(settings, key)
        record.update(
            {
                "deals": row["deals"],
                "value": money(row["value"]),
                "value_minor": row["value"],
                "weighted": money(row["weighted"]),
                "weighted_minor": row["weighted"],
                "booked": money(row["booked"]),
                "booked_minor": row["booked"],
            }
        )
        rows.append(record)
    value = sum(r["value"] for r in groups.values())
    weighted = sum(r["weighted"] for r in groups.values())
    booked = sum(r["booked"] for r in groups.values())
    expected = booked + weighted
    return {
        "quarter": quarter.label,
        "by": by,
        "currency": settings.currency,
        "probabilities": {stage: probability(settings, stage) for stage in settings.stages},
        "rows": rows,
        "totals": {
            "deals": sum(r["deals"] for r in groups.values()),
            "value": money(value),
            "value_minor": value,
            "weighted": money(weighted),
            "weighted_minor": weighted,
            "booked": money(booked),
            "booked_minor": booked,
            "expected": money(expected),
            "expected_minor": expected,
            "goal_revenue": money(goal),
            "goal_revenue_minor": goal,
            "goal_percent": round(100 * expected / goal, 1) if goal else None,
            "gap": money(goal - expected) if goal is not None else None,
            "gap_minor": goal - expected if goal is not None else None,
        },
    }
