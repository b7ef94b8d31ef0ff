"""Sales, relationship ratings, ABC groups and the top-10 exercise."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from dossier_cli.errors import InvalidInput

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.parsing import Period


def sales_by_company(session: Session, period: Period) -> list[tuple[int, int]]:
    """(company id, total in minor units) for active companies, largest first, aggregated in SQL."""
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Company, Sale

    total = func.sum(Sale.amount_minor).label("total")
    query = (
        select(Sale.company_id, total)
        .join(Company, Company.id == Sale.company_id)
        .where(Sale.sold_on >= period.start, Sale.sold_on <= period.end, Company.status == "active")
        .group_by(Sale.company_id)
        .order_by(total.desc(), Sale.company_id)
    )
    return [(company_id, int(amount)) for company_id, amount in session.exec(query).all()]


def abc_groups(session: Session, settings: Settings, period: Period | None = None) -> dict[int, str]:
    """Company id -> "A" | "B" | "C": A makes the first a% of revenue, B the next b%, C the rest."""
    from dossier_cli.parsing import resolve_period

    period = period or resolve_period(None, None, None)
    ranked = sales_by_company(session, period)
    revenue = sum(amount for _, amount in ranked if amount > 0)
    groups: dict[int, str] = {}
    running = 0
    a_limit = revenue * settings.abc_a_percent / 100
    b_limit = revenue * (settings.abc_a_percent + settings.abc_b_percent) / 100
    for company_id, amount in ranked:
        # A company belongs to the group in which its revenue starts.
        if revenue and running < a_limit:
            groups[company_id] = "A"
        elif revenue and running < b_limit:
            groups[company_id] = "B"
        else:
            groups[company_id] = "C"
        running += max(amount, 0)
    return groups


def abc_group_ids(session: Session, settings: Settings, group: str, period: Period | None = None) -> list[int]:
    wanted = group.strip().upper()
    if wanted not in ("A", "B", "C"):
        raise InvalidInput(f"unknown ABC group '{group}'", hint="choose A, B or C")
    return [cid for cid, g in abc_groups(session, settings, period).items() if g == wanted]


__all__ = ["abc_group_ids", "abc_groups", "sales_by_company", "date"]
