"""Contact cadence: "stay in touch at least every N days" (`edit company --every N`).

A company's cadence runs out N days after its latest touch (after the day it was listed,
when it was never touched). The agenda lists the companies whose cadence has run out, or
runs out within its window, beside the dated next steps. Active companies only: a lost or
liquidated company has no cadence to keep.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def due_cadences(session: Session, *, today: date, until: date | None) -> list[dict[str, Any]]:
    """Companies whose cadence runs out by `until` (every one with a cadence when None), earliest first.

    Each record has the agenda's keys (`due_on`, `when`, `days_from_today`, `action`,
    `company_id`, `company`, …) with `item` = "cadence", `every_days` and `touched_on`, the
    latest touch (None when never touched).
    """
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import Company, Touch

    last_touch = (
        select(func.max(Touch.touched_on)).where(Touch.company_id == Company.id).correlate(Company).scalar_subquery()
    )
    # Read through ix_company_cadence (a cadence is 1 day or more); the status is checked
    # here, or SQLite would rather walk every active company by its status index.
    found = session.exec(
        select(Company.id, Company.name, Company.name_key, Company.cadence_days, Company.listed_on, last_touch,
               Company.status).where(Company.cadence_days > 0)  # type: ignore[operator]
    ).all()
    rows = []
    for company_id, name, name_key, every, listed_on, touched_on, status in found:
        if status != "active":
            continue
        touched = _as_date(touched_on)
        since = touched or _as_date(listed_on) or today
        due = since + timedelta(days=int(every))
        if until is not None and due > until:
            continue
        offset = (due - today).days
        rows.append(
            {
                "item": "cadence",
                "due_on": due.isoformat(),
                "when": "overdue" if offset < 0 else "today" if offset == 0 else "upcoming",
                "days_from_today": offset,
                "action": _("stay in touch (every {days} days)").format(days=every),
                "company_id": company_id,
                "company": name,
                "person": None,
                "touch_id": None,
                "touched_on": touched.isoformat() if touched else None,
                "kind": None,
                "outcome": None,
                "note": None,
                "every_days": int(every),
                "_sort": (due, name_key, company_id),
            }
        )
    rows.sort(key=lambda row: row.pop("_sort"))
    return rows


def agenda(
    session: Session,
    *,
    today: date,
    days: int | None = 0,
    overdue_only: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The agenda: open next steps (`item` "step") and run-out cadences (`item` "cadence"), by due day.

    The window is the steps' one (`touches.agenda`): due by today + `days`, every one when
    `days` is None, only the overdue with `overdue_only`. Within a day, steps come first.
    """
    from dossier_cli.selling import touches

    steps = [{"item": "step", **step} for step in touches.agenda(session, today=today, days=days, overdue_only=overdue_only, limit=limit)]
    if overdue_only:
        until: date | None = today - timedelta(days=1)
    else:
        until = None if days is None else today + timedelta(days=days)
    cadences = due_cadences(session, today=today, until=until)
    merged = sorted([*steps, *cadences], key=lambda row: (row["due_on"], row["item"] != "step"))
    return merged[:limit] if limit is not None else merged
