"""The pipeline: forward-only stages with their history, liquidation, and the funnel.

A company moves only forward through the configured stages (`settings.stages`); every
move is a StageChange row (from, to, when, note, who), so time spent at each stage and
conversion between stages can be computed from history. A liquidated company is kept
(with its people) but leaves the pipeline and cannot move any more.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.i18n import _, N_
from dossier_cli.errors import Conflict, InvalidInput
from dossier_cli.formatting import format_day
from dossier_cli.i18n import _
from dossier_cli.text import check_text, fold

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, StageChange


def _lock(session: Session, company: Company) -> Company:
    """Re-read the company under a row lock, so concurrent moves see each other's result.

    SQLite write sessions already hold the database lock (BEGIN IMMEDIATE); on PostgreSQL
    this is SELECT … FOR UPDATE, and populate_existing makes us see the committed stage.
    """
    from sqlmodel import select

    from dossier_cli.models import Company

    return session.exec(
        select(Company)
        .where(Company.id == company.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _check_day(on: date | None, *, what: str) -> date:
    today = date.today()
    on = on or today
    if on > today:
        raise InvalidInput(_("the {what} date {date} is in the future; give today's date or an earlier one").format(what=_(what), date=format_day(on)))
    return on


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    return check_text(note, field=N_("note")).strip() or None


def last_change_on(session: Session, company_id: int | None) -> date | None:
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import StageChange

    return session.exec(select(func.max(StageChange.changed_on)).where(StageChange.company_id == company_id)).one()


def promote(
    session: Session,
    settings: Settings,
    company: Company,
    *,
    to_stage: str | None = None,
    note: str | None = None,
    on: date | None = None,
    force: bool = False,
) -> StageChange:
    """Move `company` forward: to the next stage, or to the named later one."""
    from dossier_cli.prospect import completeness
    from dossier_cli.records.companies import check_stage

    stages = list(settings.stages)
    target = check_stage(to_stage, settings) if to_stage is not None else None
    note = _clean_note(note)
    on = _check_day(on, what=N_("promotion"))
    company = _lock(session, company)
    if company.status == "liquidated":
        when = f" on {company.liquidated_on.isoformat()}" if company.liquidated_on else ""
        raise Conflict(_("{name} was liquidated{when}; a liquidated company cannot be promoted").format(name=company.name, when=when))
    if company.status == "lost":
        raise Conflict(
            _("{name} was lost; a lost company cannot be promoted").format(name=company.name),
            hint=_("`dossier reopen` starts a new cycle at the first stage"),
        )
    current = company.stage
    if current not in stages:
        raise Conflict(
            _("{name} is at stage '{current}', which is not in the configured stage list").format(name=company.name, current=current),
            hint=_("stages are: {items}").format(items=' → '.join(stages)),
        )
    position = stages.index(current)
    later = stages[position + 1 :]
    if target is None:
        if not later:
            raise Conflict(_("{name} is already at the last stage '{current}'; stages only move forward").format(name=company.name, current=current))
        target = later[0]
    elif stages.index(target) <= position:
        onward = f"; it can move to {', '.join(later)}" if later else "; it is at the last stage"
        raise Conflict(_("stages only move forward: {name} is at '{current}'{onward}").format(name=company.name, current=current, onward=onward))
    from dossier_cli.records.history import check_not_before, check_not_before_listing

    check_not_before_listing(company, on, what="promotion")
    check_not_before(on, last_change_on(session, company.id), what="promotion", follows=_("its last stage move"))
    first_contact = stages.index(settings.first_contact_stage)
    if position < first_contact <= stages.index(target):
        completeness.require_dossier_ready(session, settings, company, to_stage=target, force=force)
    change = move_stage(session, company, from_stage=current, to_stage=target, on=on, note=note)
    audit.record(
        session,
        action="promote",
        entity="company",
        entity_id=company.id,
        company_id=company.id,
        changes={"stage": [current, target], "changed_on": on, "note": note, "forced": force or None},
    )
    return change


def move_stage(
    session: Session, company: Company, *, from_stage: str | None, to_stage: str, on: date, note: str | None
) -> StageChange:
    """Put the company at `to_stage` and keep the move in its history (a StageChange row of its
    current cycle): the one way a stage changes. The caller checks the move and records the audit event."""
    from dossier_cli.models import StageChange, utcnow

    company.stage = to_stage
    company.updated_at = utcnow()
    session.add(company)
    change = StageChange(
        company_id=company.id,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_on=on,
        cycle=company.cycle,
        note=note,
        user=audit.current_user(),
    )
    session.add(change)
    session.flush()
    return change


def liquidate(
    session: Session,
    settings: Settings,
    company: Company,
    *,
    on: date | None = None,
    note: str | None = None,
) -> Company:
    """Mark a company liquidated: it leaves the pipeline; it and its people stay."""
    from dossier_cli.records import people
    from dossier_cli.models import utcnow

    note = _clean_note(note)
    on = _check_day(on, what="liquidation")
    company = _lock(session, company)
    if company.status == "liquidated":
        when = f" on {company.liquidated_on.isoformat()}" if company.liquidated_on else ""
        raise Conflict(_("{name} was already liquidated{when}").format(name=company.name, when=when))
    from dossier_cli.records.history import check_not_before, check_not_before_listing

    check_not_before_listing(company, on, what="liquidation")
    check_not_before(on, last_change_on(session, company.id), what="liquidation", follows=_("its last stage move"))
    previous_status = company.status
    company.status = "liquidated"
    company.liquidated_on = on
    company.liquidation_note = note
    company.updated_at = utcnow()
    session.add(company)
    closed = people.close_company_links(session, company, until=on)
    session.flush()
    audit.record(
        session,
        action="liquidate",
        entity="company",
        entity_id=company.id,
        company_id=company.id,
        changes={"status": [previous_status, "liquidated"], "liquidated_on": on, "note": note, "links_closed": closed},
    )
    return company


def stage_history(session: Session, company: Company) -> list[dict[str, Any]]:
    """Every move of one company, oldest first, with the days spent at the stage it left.

    Each row names its pipeline `cycle` and its `event`: "move" (a stage change), "lost"
    (the company was lost at `from_stage`, with its reason) or "reopen" (a new cycle's first
    stage). Days are counted within a cycle.
    """
    from sqlmodel import select

    from dossier_cli import vocab
    from dossier_cli.models import LostDeal, StageChange

    changes = session.exec(
        select(StageChange)
        .where(StageChange.company_id == company.id)
        .order_by(StageChange.changed_on, StageChange.id)
    ).all()
    events: list[tuple[date, int, int, dict[str, Any]]] = []
    for change in changes:
        event = "reopen" if change.cycle > 1 and change.from_stage is None else "move"
        events.append(
            (
                change.changed_on,
                change.cycle,
                0,
                {
                    "cycle": change.cycle,
                    "event": event,
                    "changed_on": change.changed_on,
                    "from_stage": change.from_stage,
                    "to_stage": change.to_stage,
                    "reason": None,
                    "note": change.note,
                    "user": change.user,
                },
            )
        )
    for lost in session.exec(
        select(LostDeal).where(LostDeal.company_id == company.id).order_by(LostDeal.lost_on, LostDeal.id)
    ).all():
        events.append(
            (
                lost.lost_on,
                lost.cycle,
                1,  # after the cycle's moves of the same day
                {
                    "cycle": lost.cycle,
                    "event": "lost",
                    "changed_on": lost.lost_on,
                    "from_stage": lost.stage,
                    "to_stage": None,
                    "reason": vocab.LOST_REASONS.label(lost.reason),
                    "note": lost.note,
                    "user": lost.user,
                },
            )
        )
    events.sort(key=lambda e: (e[1], e[0], e[2]))
    rows: list[dict[str, Any]] = []
    previous: tuple[int, date] | None = None
    for on, cycle, _order, row in events:
        days = (on - previous[1]).days if previous is not None and previous[0] == cycle else None
        rows.append({**row, "days_at_previous": days})
        previous = (cycle, on)
    return rows


def company_pipeline_section(session: Session, settings: Settings, company: Company) -> dict[str, Any]:
    """For `show company`: since when it is at its stage, why it was liquidated, and its cycle;
    a lost company also says when and why it was lost."""
    section: dict[str, Any] = {
        "stage_since": last_change_on(session, company.id),
        "liquidation_note": company.liquidation_note,
        "cycle": company.cycle,
    }
    if company.status == "lost":
        from sqlmodel import select

        from dossier_cli import vocab
        from dossier_cli.models import LostDeal

        lost = session.exec(
            select(LostDeal).where(LostDeal.company_id == company.id).order_by(LostDeal.id.desc())  # type: ignore[union-attr]
        ).first()
        if lost is not None:
            section.update(
                lost_on=lost.lost_on, lost_reason=vocab.LOST_REASONS.label(lost.reason), lost_note=lost.note
            )
    return section


# ---------------------------------------------------------------- the funnel
def _days_between(session: Session, start: Any, end: Any) -> Any:
    from sqlalchemy import Integer, cast, func

    if session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(end) - func.julianday(start), Integer)
    return end - start  # date - date is a whole number of days on PostgreSQL


def funnel(
    session: Session,
    settings: Settings,
    *,
    territory: str | None = None,
    market: str | None = None,
    today: date | None = None,
) -> list[dict[str, Any]]:
    """Per stage: companies, share, median days at the stage, conversion onward, and no recent contact.

    Active companies only, except `lost`: how many companies are lost at the stage now
    (they left the active pipeline there). Days at a stage count every stay, a finished one up to the
    next move and a current one up to today. Conversion is the share of companies that
    reached the stage and went on to the next one or beyond. Everything is aggregated in SQL.
    """
    from sqlalchemy import Date, bindparam, func
    from sqlmodel import select

    from dossier_cli.models import Company, StageChange, Touch

    today = today or date.today()
    conditions = [Company.status == "active"]
    if territory:
        conditions.append(Company.territory_key == fold(territory))
    if market:
        conditions.append(Company.market_key == fold(market))

    counts = dict(
        session.exec(select(Company.stage, func.count()).where(*conditions).group_by(Company.stage)).all()
    )
    # No recent contact = all minus those touched since the cutoff: the recent touches are a
    # range of the (touched_on, company_id) index, a few thousand entries, where a NOT EXISTS
    # probed the touches of every company.
    cutoff = today - timedelta(days=settings.stale_days)
    touched = select(Touch.company_id).where(Touch.touched_on >= cutoff)
    recent = dict(
        session.exec(
            select(Company.stage, func.count()).where(*conditions, Company.id.in_(touched)).group_by(Company.stage)  # type: ignore[union-attr]
        ).all()
    )
    stale = {stage: count - recent.get(stage, 0) for stage, count in counts.items()}

    # The window runs over stage_change alone, in the order of its covering
    # (company_id, changed_on, id, to_stage) index, so nothing is sorted or looked up; the companies are filtered afterwards (a company's stays
    # never depend on another company's). SQL returns a histogram (stage, days, stays), a
    # few thousand rows at most, and the medians are read off it: sorting every stay by its
    # length in SQL cost several times more.
    left_on = func.lead(StageChange.changed_on).over(
        partition_by=StageChange.company_id, order_by=(StageChange.changed_on, StageChange.id)
    )
    stays = select(
        StageChange.company_id.label("company_id"),
        StageChange.to_stage.label("stage"),
        StageChange.changed_on.label("entered"),
        left_on.label("left_on"),
    ).subquery()
    days = _days_between(
        session, stays.c.entered, func.coalesce(stays.c.left_on, bindparam("today", today, type_=Date))
    ).label("days")
    if territory or market:
        in_scope = stays.c.company_id.in_(select(Company.id).where(*conditions))
    else:
        # The same companies, as "not one of the few inactive ones" (every stay belongs to a
        # company: the foreign key): a short list to probe instead of 100,000 active ids.
        in_scope = stays.c.company_id.not_in(select(Company.id).where(Company.status != "active"))
    histogram: dict[str, list[tuple[int, int]]] = {}
    for stage, length, stays_count in session.exec(
        select(stays.c.stage, days, func.count())
        .where(in_scope)
        .group_by(stays.c.stage, days)
        .order_by(stays.c.stage, days)
    ).all():
        histogram.setdefault(stage, []).append((int(length), int(stays_count)))
    medians = {stage: _median_of_histogram(counts_by_days) for stage, counts_by_days in histogram.items()}

    # Lost companies keep the stage they were lost at (selling/lost.py).
    lost = dict(
        session.exec(
            select(Company.stage, func.count()).where(Company.status == "lost", *conditions[1:]).group_by(Company.stage)
        ).all()
    )
    stages = list(settings.stages) + sorted(s for s in {*counts, *lost} if s not in settings.stages)
    total = sum(counts.values())
    reached = [sum(counts.get(s, 0) for s in stages[i:]) for i in range(len(stages))]
    rows: list[dict[str, Any]] = []
    for i, stage in enumerate(stages):
        count = counts.get(stage, 0)
        median = medians.get(stage)
        onward = reached[i + 1] if i + 1 < len(settings.stages) else None
        rows.append(
            {
                "stage": stage,
                "companies": count,
                "share_percent": round(100 * count / total, 1) if total else 0.0,
                "median_days": round(float(median), 1) if median is not None else None,
                "conversion_percent": (
                    round(100 * onward / reached[i], 1) if onward is not None and reached[i] else None
                ),
                "no_contact": stale.get(stage, 0),
                "no_contact_days": settings.stale_days,
                "lost": lost.get(stage, 0),
            }
        )
    return rows


def _median_of_histogram(counts_by_days: list[tuple[int, int]]) -> float | None:
    """The median of values given as sorted (value, how many) pairs: the middle one, or the mean of the two."""
    total = sum(count for _, count in counts_by_days)
    if not total:
        return None
    wanted = ((total + 1) // 2, (total + 2) // 2)  # 1-based positions of the middle value(s)
    found: list[int] = []
    seen = 0
    for value, count in counts_by_days:
        seen += count
        while len(found) < 2 and seen >= wanted[len(found)]:
            found.append(value)
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2
