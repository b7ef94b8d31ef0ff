"""Corrections to the contact log: editing a touch, and moving its next step to another day.

Adding a touch lives in touches.py (it also closes the steps it answers); these change a
touch already logged, under the same rules: the date rule of records/history.py, the
next step not before the touch, the kinds and outcomes of touches.py. Each change is
audited as field -> [old, new].
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.errors import Conflict, InvalidInput
from dossier_cli.i18n import _, N_

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Person, Touch

_UNSET: Any = object()


def edit_touch(
    session: Session,
    settings: Settings,
    touch: Touch,
    *,
    kind: str | None = None,
    person: Person | None | Any = _UNSET,
    touched_on: date | None = None,
    outcome: str | None = None,
    note: str | None = None,
    next_on: date | None | Any = _UNSET,
    next_action: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Correct a touch; returns the changes (field -> [old, new]). `person=None` and
    `next_on=None` clear them; empty text clears the outcome, the note or the next action."""
    from dossier_cli.models import Company
    from dossier_cli.records.history import check_not_before, check_not_before_listing
    from dossier_cli.selling.touches import _clean_text, local_today, normalise_kind, normalise_outcome

    today = today or local_today()
    company = session.get(Company, touch.company_id)
    before = _snapshot(touch)
    if kind is not None:
        touch.kind = normalise_kind(kind, settings)
    if person is not _UNSET:
        if person is not None:
            from dossier_cli.records.objections import refuse_contact

            refuse_contact(person)
        touch.person_id = person.id if person is not None else None
    if touched_on is not None:
        if touched_on > today:
            raise InvalidInput(f"the touch date {touched_on} is in the future")
        check_not_before_listing(company, touched_on, what="touch")  # type: ignore[arg-type]
        touch.touched_on = touched_on
    if outcome is not None:
        touch.outcome = normalise_outcome(outcome) if outcome.strip() else None
    if note is not None:
        touch.note = _clean_text(note, field=N_("note"))
    if next_on is not _UNSET:
        touch.next_on = next_on
        if next_on is None:
            touch.next_action = None
            touch.done = False
    if next_action is not None:
        touch.next_action = _clean_text(next_action, field=N_("next action"), max_length=1000)
    if touch.next_action is not None and touch.next_on is None:
        raise InvalidInput("--next-action needs a date: add --next DATE")
    if touch.next_on is not None:
        check_not_before(touch.next_on, touch.touched_on, what="next step", follows="the touch itself")
    changes = audit.diff(before, _snapshot(touch))
    if changes:
        session.add(touch)
        audit.record(session, action="update", entity="touch", entity_id=touch.id, company_id=touch.company_id, changes=changes)
        session.flush()
    return changes


def postpone(session: Session, touch: Touch, new_day: date) -> dict[str, Any]:
    """Move the open next step set by `touch` to `new_day` (not before the touch itself)."""
    from dossier_cli.records.history import check_not_before

    if touch.next_on is None:
        raise Conflict(
            _("touch #{id} has no next step to move").format(id=touch.id),
            hint=_("set one with `dossier edit touch {id} --next DATE`").format(id=touch.id),
        )
    if touch.done:
        raise Conflict(
            _("the next step of touch #{id} is done already").format(id=touch.id),
            hint=_("log the new contact with `dossier add touch … --next DATE`"),
        )
    check_not_before(new_day, touch.touched_on, what="next step", follows="the touch that set it")
    if new_day == touch.next_on:
        return {}
    changes = {"next_on": [touch.next_on.isoformat(), new_day.isoformat()]}
    touch.next_on = new_day
    session.add(touch)
    audit.record(session, action="postpone", entity="touch", entity_id=touch.id, company_id=touch.company_id, changes=changes)
    session.flush()
    return changes


def _snapshot(touch: Touch) -> dict[str, Any]:
    return {
        "date": touch.touched_on,
        "person_id": touch.person_id,
        "kind": touch.kind,
        "outcome": touch.outcome,
        "note": touch.note,
        "next_on": touch.next_on,
        "next_action": touch.next_action,
    }
