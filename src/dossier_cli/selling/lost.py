"""Lost deals: a company leaves the active pipeline with a reason, and may come back.

`lose` marks an active company lost at the stage it has reached, with a reason from the
lost-reason list (the shipped reasons below, plus the config's `lost_reasons`), and keeps
it on record. `reopen` starts a new cycle at the first stage; within a cycle stages still
only move forward. Lost is not liquidated: a liquidated firm is gone; a lost prospect
may buy another day.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli.formatting import format_day
from dossier_cli import audit
from dossier_cli.errors import Conflict, InvalidInput
from dossier_cli.i18n import N_, _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, LostDeal, StageChange
    from dossier_cli.parsing import Period

# The shipped reasons are a vocabulary (dossier_cli.vocab.LOST_REASONS): stored in English,
# shown and accepted in both languages; the config's `lost_reasons` add the user's own.


def _status_word(status: str) -> str:
    """A company's status in the reader's language (looked up when a message is made, not at import)."""
    return {"active": _("active"), "liquidated": _("liquidated"), "lost": _("lost")}.get(status, status)


def reasons(settings: Settings) -> list[str]:
    """Every reason a company may be lost for: the shipped ones, then the config's own."""
    from dossier_cli import vocab

    return list(dict.fromkeys([*vocab.LOST_REASONS.values, *settings.lost_reasons]))


def reason_label(reason: str) -> str:
    """A reason as the reader's language shows it (the config's own reasons as written)."""
    from dossier_cli import vocab

    return vocab.LOST_REASONS.label(reason)


def check_reason(value: str, settings: Settings) -> str:
    """The stored value of a reason given in either language (case, `ё`, hyphens ignored)."""
    from dossier_cli import vocab

    found = vocab.LOST_REASONS.resolve_configured(value, reasons(settings))
    if found is not None:
        return found
    raise InvalidInput(
        _("unknown lost reason '{value}'").format(value=value),
        hint=_("reasons are: {reasons}").format(reasons=", ".join(reason_label(r) for r in reasons(settings))),
    )


def lose(
    session: Session,
    settings: Settings,
    company: Company,
    *,
    reason: str,
    note: str | None = None,
    on: date | None = None,
) -> LostDeal:
    """Mark an active company lost at its current stage; it leaves the active pipeline."""
    from dossier_cli.models import LostDeal, utcnow
    from dossier_cli.selling.pipeline import _check_day, _clean_note, _lock, last_change_on

    reason = check_reason(reason, settings)
    note = _clean_note(note)
    on = _check_day(on, what=N_("loss"))
    company = _lock(session, company)
    if company.status == "liquidated":
        raise Conflict(_("{name} was liquidated; a liquidated company is not lost, it is gone").format(name=company.name))
    if company.status == "lost":
        previous = _current_loss(session, company)
        when = format_day(previous.lost_on) if previous is not None else "?"
        raise Conflict(
            _("{name} was already lost on {when}").format(name=company.name, when=when),
            hint=_("`dossier reopen` starts a new cycle"),
        )
    last = last_change_on(session, company.id)
    if last is not None and on < last:
        raise Conflict(
            _("{name} last changed stage on {last}; it cannot be lost on {on}").format(
                name=company.name, last=format_day(last), on=format_day(on)
            ),
            hint=_("give --date on or after that day"),
        )
    lost = LostDeal(
        company_id=company.id,
        cycle=company.cycle,
        stage=company.stage,
        reason=reason,
        note=note,
        lost_on=on,
        user=audit.current_user(),
    )
    session.add(lost)
    company.status = "lost"
    company.updated_at = utcnow()
    session.add(company)
    session.flush()
    audit.record(
        session,
        action="lose",
        entity="company",
        entity_id=company.id,
        company_id=company.id,
        changes={"status": ["active", "lost"], "stage": company.stage, "reason": reason, "lost_on": on, "note": note},
    )
    return lost


def _current_loss(session: Session, company: Company) -> LostDeal | None:
    from sqlmodel import select

    from dossier_cli.models import LostDeal

    return session.exec(
        select(LostDeal).where(LostDeal.company_id == company.id).order_by(LostDeal.cycle.desc(), LostDeal.id.desc())  # type: ignore[union-attr]
    ).first()


def reopen(
    session: Session,
    settings: Settings,
    company: Company,
    *,
    note: str | None = None,
    on: date | None = None,
) -> StageChange:
    """Bring a lost company back: a new cycle, starting at the first stage."""
    from dossier_cli.selling.pipeline import _check_day, _clean_note, _lock, move_stage

    note = _clean_note(note)
    on = _check_day(on, what=N_("reopening"))
    company = _lock(session, company)
    if company.status != "lost":
        raise Conflict(
            _("{name} is {status}, not lost; only a lost company can be reopened").format(
                name=company.name, status=_status_word(company.status)
            )
        )
    lost = _current_loss(session, company)
    if lost is not None and on < lost.lost_on:
        raise Conflict(
            _("{name} was lost on {lost}; it cannot be reopened on {on}").format(
                name=company.name, lost=format_day(lost.lost_on), on=format_day(on)
            ),
            hint=_("give --date on or after that day"),
        )
    if lost is not None:
        lost.reopened_on = on
        session.add(lost)
    first = settings.stages[0]
    left_at = company.stage
    company.cycle += 1
    company.status = "active"
    change = move_stage(session, company, from_stage=None, to_stage=first, on=on, note=note)
    audit.record(
        session,
        action="reopen",
        entity="company",
        entity_id=company.id,
        company_id=company.id,
        changes={"status": ["lost", "active"], "stage": [left_at, first], "cycle": company.cycle, "changed_on": on, "note": note},
    )
    return change


def reason_report(session: Session, settings: Settings, period: Period | None = None) -> dict[str, Any]:
    """Why deals were lost: per reason, how many losses and their share (every loss in the period).

    A company lost twice (in two cycles) counts twice. Reasons with no loss are listed with 0,
    in the order of the reason list; the rows are sorted by count, largest first.
    """
    from sqlalchemy import func
    from sqlmodel import select

    from dossier_cli.models import LostDeal

    statement = select(LostDeal.reason, func.count()).group_by(LostDeal.reason)
    if period is not None:
        statement = statement.where(LostDeal.lost_on >= period.start, LostDeal.lost_on <= period.end)
    counts = {reason: int(n) for reason, n in session.exec(statement).all()}
    order = reasons(settings) + sorted(r for r in counts if r not in reasons(settings))
    total = sum(counts.values())
    rows = [
        {
            "reason": reason,
            "label": reason_label(reason),
            "lost": counts.get(reason, 0),
            "share_percent": round(100 * counts.get(reason, 0) / total, 1) if total else 0.0,
        }
        for reason in order
    ]
    rows.sort(key=lambda row: -row["lost"])  # stable: ties keep the list's order
    return {
        "period": (
            {"from": period.start.isoformat(), "to": period.end.isoformat(), "label": period.label} if period else None
        ),
        "lost": total,
        "reasons": rows,
    }
