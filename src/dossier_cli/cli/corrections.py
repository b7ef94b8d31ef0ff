"""Corrections: `dossier edit touch/sale/gift`, `dossier rm gift`, `dossier postpone`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dossier_cli.cli.base import confirm_or_require_yes, open_session, settings, stderr_line
from dossier_cli.cli.groups import edit_app, rm_app
from dossier_cli.formatting import format_day
from dossier_cli.i18n import _, N_

TouchIdArg = Annotated[str, typer.Argument(help="The touch's id (see `dossier list touches`).", show_default=False)]
GiftIdArg = Annotated[str, typer.Argument(help="The gift's number (see `dossier list gifts`).", show_default=False)]


def _say_changes(what: str, changes: dict) -> None:
    if not changes:
        stderr_line(_("Nothing changed in {what}.").format(what=what))
        return
    from dossier_cli.upkeep import audit_trail

    lines = audit_trail.change_lines(audit_trail.normalise_changes("update", changes))
    stderr_line(_("Changed {what}: {changes}.").format(what=what, changes="; ".join(lines)))


@edit_app.command("touch")
def edit_touch(
    touch_id: TouchIdArg,
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", help="The kind of contact (call, email, meeting…).")] = None,
    person: Annotated[
        Optional[str], typer.Option("--person", "-p", help="Whom you spoke to; an empty value (\"\") clears it.")
    ] = None,
    on: Annotated[Optional[str], typer.Option("--date", help="When it happened: YYYY-MM-DD or DD.MM.YYYY.")] = None,
    outcome: Annotated[Optional[str], typer.Option("--outcome", "-o", help="positive, neutral, no or no-answer; \"\" clears it.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What was said; \"\" clears it.")] = None,
    next_on: Annotated[
        Optional[str], typer.Option("--next", help="The next step's date; \"none\" removes the next step.")
    ] = None,
    next_action: Annotated[Optional[str], typer.Option("--next-action", help="What the next step is.")] = None,
) -> None:
    """Correct a touch already logged: its kind, person, date, outcome, note or next step.

    Example: dossier edit touch 12 --outcome positive --note "agreed to a meeting"
    """
    from dossier_cli.parsing import parse_date
    from dossier_cli.records import people
    from dossier_cli.selling import touch_edits, touches

    values: dict = {}
    if person is not None:
        values["person"] = None if not person.strip() else person
    if next_on is not None:
        values["next_on"] = None if next_on.strip().lower() in ("none", "") else parse_date(next_on, field="--next date")
    with open_session() as session:
        touch = touches.get_touch(session, touch_id)
        if isinstance(values.get("person"), str):
            values["person"] = people.find_person(session, values["person"])
        changes = touch_edits.edit_touch(
            session,
            settings(),
            touch,
            kind=kind,
            touched_on=parse_date(on, field=N_("touch date")) if on else None,
            outcome=outcome,
            note=note,
            next_action=next_action,
            **values,
        )
    _say_changes(_("touch #{id}").format(id=touch.id), changes)


def postpone(
    touch_id: TouchIdArg,
    day: Annotated[str, typer.Argument(help="The new day of the next step: YYYY-MM-DD or DD.MM.YYYY.", show_default=False)],
) -> None:
    """Move the next step set by a touch to another day (it moves in the agenda).

    Example: dossier postpone 12 2027-01-20
    """
    from dossier_cli.parsing import parse_date
    from dossier_cli.selling import touch_edits, touches

    new_day = parse_date(day, field=N_("new date"))
    with open_session() as session:
        touch = touches.get_touch(session, touch_id)
        before = touch.next_on
        changes = touch_edits.postpone(session, touch, new_day)
    if changes:
        stderr_line(
            _("Moved the next step of touch #{id} from {old} to {new}.").format(id=touch.id, old=format_day(before) if before else before, new=format_day(new_day))
        )
    else:
        stderr_line(_("The next step of touch #{id} is already on {day}; nothing changed.").format(id=touch.id, day=format_day(new_day)))


@edit_app.command("sale", context_settings={"ignore_unknown_options": True})
def edit_sale(
    sale: Annotated[str, typer.Argument(help="The sale's number (see `dossier list sales`).", show_default=False)],
    amount: Annotated[Optional[str], typer.Option("--amount", help="The amount: 125000.50, \"125 000,50\" or 125000.")] = None,
    sold_on: Annotated[Optional[str], typer.Option("--date", help="The day of the sale.")] = None,
    reference: Annotated[Optional[str], typer.Option("--ref", "--reference", help="Invoice number; \"\" clears it.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="A note; \"\" clears it.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Keep it even if another sale has the same day and amount and no reference.")
    ] = False,
) -> None:
    """Correct a sale: its amount, day, invoice reference or note.

    Example: dossier edit sale 12 --amount "125 000,50" --ref "invoice 1841"
    """
    from dossier_cli.selling import sales

    with open_session() as session:
        found = sales.find_sale(session, sale)
        changes = sales.edit_sale(
            session, settings(), found, amount=amount, sold_on=sold_on, reference=reference, note=note, force=force
        )
    _say_changes(_("sale #{id}").format(id=found.id), changes)


@edit_app.command("gift")
def edit_gift(
    gift: GiftIdArg,
    what: Annotated[Optional[str], typer.Option("--what", help="What was given or paid for.")] = None,
    value: Annotated[Optional[str], typer.Option("--value", help="Its value, e.g. 3500 or 3 500,00.")] = None,
    given_on: Annotated[Optional[str], typer.Option("--date", help="When (YYYY-MM-DD or DD.MM.YYYY).")] = None,
    person: Annotated[Optional[str], typer.Option("--person", "-p", help="Who received it; \"\" clears it.")] = None,
    purpose: Annotated[Optional[str], typer.Option("--purpose", help="Why: the occasion or the meeting.")] = None,
) -> None:
    """Correct a gift in the register: what, its value, the day, who received it, why.

    Example: dossier edit gift 3 --value 6500 --purpose "знакомство"
    """
    from dossier_cli.prospect import gifts

    with open_session() as session:
        found = gifts.find_gift(session, gift)
        changes = gifts.edit_gift(
            session, settings(), found, what=what, value=value, given_on=given_on, person=person, purpose=purpose
        )
    _say_changes(_("gift #{id}").format(id=found.id), changes)


@rm_app.command("gift")
def rm_gift(
    gift: GiftIdArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a gift from the register (a mistake); the audit trail keeps what it was.

    Example: dossier rm gift 3 --yes
    """
    from dossier_cli.prospect import gifts

    with open_session() as session:
        found = gifts.find_gift(session, gift)
        record = gifts.gift_record(found, company_name="", person_name=None)
        what = _("gift #{id} ({day}, {what})").format(id=found.id, day=format_day(record["date"]), what=record["what"])
        confirm_or_require_yes(_("Remove {what}?").format(what=what), yes=yes)
        gifts.remove_gift(session, found)
    stderr_line(_("Removed {what}.").format(what=what))
