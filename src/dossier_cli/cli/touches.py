"""The contact log: `add/list/rm touch`, `touches`, `agenda`, `done`, `stale`."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from dossier_cli.i18n import _, N_
from dossier_cli.cli.base import remind_about_the_plan, confirm_or_require_yes, open_session, settings, stderr_line, warn
from dossier_cli.cli.display import day as shown_day, label
from dossier_cli.cli.groups import add_app, list_app, rm_app
from dossier_cli.i18n import N_, _, ngettext
from dossier_cli.cli.output import CompanyArg, FormatOpt, LimitOpt, OffsetOpt, OutputFormat, render_record, render_rows

TouchIdArg = Annotated[str, typer.Argument(help="The touch's id (see `dossier list touches`).", show_default=False)]

TOUCH_COLUMNS = ["id", "date", "company", "person", "kind", "outcome", "note", "next_on", "next_action", "done"]
MAX_DAYS = 36_500  # a hundred years: any more is a typo (and past the calendar's end)
TOUCH_HEADERS = {"next_on": N_("next step"), "next_action": N_("action")}
# left out, the last first, when the terminal is too narrow for the whole table
TOUCH_OPTIONAL = ["note", "outcome", "done"]


@add_app.command("touch")
def add_touch(
    company: CompanyArg,
    kind: Annotated[str, typer.Option("--kind", "-k", help="call, email, letter, meeting, visit, exhibition, other (config: touch_kinds).", show_default=False)],
    person: Annotated[Optional[str], typer.Option("--person", "-p", help="Whom you spoke to: id, name or a unique part of it.")] = None,
    on: Annotated[Optional[str], typer.Option("--date", help="When it happened (default today): YYYY-MM-DD or DD.MM.YYYY.")] = None,
    outcome: Annotated[Optional[str], typer.Option("--outcome", "-o", help="positive, neutral, no, or no-answer (\"no answer\").")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What was said.")] = None,
    next_on: Annotated[Optional[str], typer.Option("--next", help="Date of the next step (it appears in `dossier agenda`).")] = None,
    next_action: Annotated[Optional[str], typer.Option("--next-action", help="What the next step is.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Log it even though the company is liquidated or the same touch is logged already.")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Log a contact with a company; it closes the earlier open next steps it answers.

    Example: dossier add touch ромашка --kind call --outcome no --note "not before the new budget" --next 2027-01-15 --next-action "call about the Q1 budget"
    """
    from dossier_cli.records import companies, people
    from dossier_cli.selling import touches
    from dossier_cli.parsing import parse_date

    with open_session() as session:
        found = companies.find_company(session, company)
        who = people.find_person(session, person) if person else None
        touch, closed = touches.add_touch(
            session,
            settings(),
            company=found,
            person=who,
            kind=kind,
            touched_on=parse_date(on, field=N_("touch date")) if on else None,
            outcome=outcome,
            note=note,
            next_on=parse_date(next_on, field="--next date") if next_on else None,
            next_action=next_action,
            force=force,
        )
        record = touches.touch_records(session, [touch])[0]
    if fmt == OutputFormat.table:
        step = _("; next step {date}").format(date=shown_day(record["next_on"])) if record["next_on"] else ""
        stderr_line(_("Logged touch #{id} with {company} on {date} ({kind}){step}.").format(
            id=record["id"], company=record["company"], date=shown_day(record["date"]), kind=label("kind", record["kind"]), step=step))
        if closed:
            stderr_line(
                _("It answers the open next step of touch {ids}: marked done.").format(ids=", ".join(f"#{i}" for i in closed))
                if len(closed) == 1
                else _("It answers the open next steps of touches {ids}: marked done.").format(
                    ids=", ".join(f"#{i}" for i in closed)
                )
            )
    else:
        render_record({**record, "closed_next_steps": closed}, fmt=fmt)


@list_app.command("touches")
def list_touches(
    company: Annotated[Optional[str], typer.Option("--company", "-c", help="Only touches with this company.")] = None,
    person: Annotated[Optional[str], typer.Option("--person", "-p", help="Only touches with this person.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", help="Only this kind of touch.")] = None,
    outcome: Annotated[Optional[str], typer.Option("--outcome", "-o", help="Only this outcome.")] = None,
    period: Annotated[Optional[str], typer.Option("--period", help="2026, 2026-Q3 or 2026-11.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="From this date (included).")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="To this date (included).")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only touches whose next step is still open.")] = False,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List touches, newest first.

    Example: dossier list touches --kind call --outcome no --period 2026-Q4
    """
    from dossier_cli.records import companies, people
    from dossier_cli.selling import touches
    from dossier_cli.parsing import resolve_period

    with open_session(write=False) as session:
        rows = touches.list_touches(
            session,
            settings(),
            company=companies.find_company(session, company) if company else None,
            person=people.find_person(session, person) if person else None,
            kind=kind,
            outcome=outcome,
            period=resolve_period(period, date_from, date_to) if (period or date_from or date_to) else None,
            open_only=open_only,
            limit=limit,
            offset=offset,
        )
    render_rows(rows, fmt=fmt, columns=TOUCH_COLUMNS, headers=TOUCH_HEADERS, optional=TOUCH_OPTIONAL,
                empty_message=_("no touches match"))


def touches_of_company(
    company: CompanyArg,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show a company's contact history, newest first.

    Example: dossier touches ромашка
    """
    from dossier_cli.records import companies
    from dossier_cli.selling import touches

    with open_session(write=False) as session:
        found = companies.find_company(session, company)
        rows = touches.list_touches(session, settings(), company=found, limit=limit, offset=offset)
        title, name = f"#{found.id} {found.name}", found.name
    columns = [c for c in TOUCH_COLUMNS if c != "company"]
    render_rows(rows, fmt=fmt, columns=columns, headers=TOUCH_HEADERS, title=title, optional=TOUCH_OPTIONAL,
                empty_message=_("no touches with {name} yet").format(name=name))


@rm_app.command("touch")
def rm_touch(
    touch_id: TouchIdArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a touch from the contact log.

    Example: dossier rm touch 12 --yes
    """
    from dossier_cli.selling import touches

    with open_session() as session:
        touch = touches.get_touch(session, touch_id)
        record = touches.touch_records(session, [touch])[0]
        confirm_or_require_yes(_("Remove touch #{id} ({date} {kind} with {company})?").format(
            id=touch.id, date=shown_day(record["date"]), kind=label("kind", record["kind"]), company=record["company"]), yes=yes)
        touches.remove_touch(session, touch)
    stderr_line(_("Removed touch #{id} ({date} {kind} with {company}).").format(
        id=record["id"], date=shown_day(record["date"]), kind=label("kind", record["kind"]), company=record["company"]))


def done(touch_id: TouchIdArg) -> None:
    """Mark the next step set by a touch as done (it leaves the agenda).

    Example: dossier done 12
    """
    from dossier_cli.selling import touches

    with open_session() as session:
        touch, changed = touches.mark_done(session, touch_id)
    if changed:
        stderr_line(_("Done: the next step of touch #{id} ({date} {action}).").format(
            id=touch.id, date=shown_day(touch.next_on), action=touch.next_action or _("follow up")))
    else:
        stderr_line(_("The next step of touch #{id} was already done; nothing changed.").format(id=touch.id))


def agenda(
    days: Annotated[Optional[int], typer.Option("--days", "-d", help="Also steps due in the next N days (default: today and overdue).", min=0, max=MAX_DAYS)] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only steps that are overdue.")] = False,
    ics: Annotated[
        Optional[str],
        typer.Option("--ics", help="Write the steps as an iCalendar file (- for stdout); without --days or --overdue, every open step."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most N steps, a screenful like every list (the calendar file gets them all).", min=0)] = 50,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Open next steps, overdue first, grouped by day.

    Companies whose contact cadence (`edit company --every N`) has run out are listed
    beside the steps, as "stay in touch".

    Example: dossier agenda --days 7
    """
    from dossier_cli.selling import cadence, touches

    window = days if days is not None else (None if ics is not None else 0)
    with open_session(write=False) as session:
        steps = cadence.agenda(
            session, today=touches.local_today(), days=window, overdue_only=overdue, limit=None if ics is not None else limit + 1
        )
        remind_about_the_plan(session)
    if ics is None and len(steps) > limit:
        steps = steps[:limit]
        warn(_("showing the first {limit} steps only; raise --limit to see more").format(limit=limit))
    if ics is not None:
        from dossier_cli.cli.files import output_stream

        steps = [step for step in steps if step["item"] == "step"]  # the calendar gets the dated follow-ups
        with output_stream(ics, binary=True) as stream:
            stream.write(touches.agenda_ics(steps))
        if ics != "-":
            stderr_line(ngettext("Wrote {n} follow-up to {file}.", "Wrote {n} follow-ups to {file}.", len(steps)).format(
                n=len(steps), file=ics))
        return
    if fmt != OutputFormat.table:
        render_rows(steps, fmt=fmt)
        return
    if not steps:
        stderr_line(_("nothing due: no open next steps are overdue") if overdue else _("nothing due: no open next steps in this window"))
        return
    by_day: dict[str, list[dict[str, Any]]] = {}
    for step in steps:
        by_day.setdefault(step["due_on"], []).append(step)
    for day, day_steps in by_day.items():
        offset = day_steps[0]["days_from_today"]
        if offset < 0:
            title = ngettext("{date}: overdue by {n} day", "{date}: overdue by {n} days", -offset).format(date=shown_day(day), n=-offset)
        elif offset == 0:
            title = _("{date}: today").format(date=shown_day(day))
        else:
            title = ngettext("{date}: in {n} day", "{date}: in {n} days", offset).format(date=shown_day(day), n=offset)
        render_rows(
            day_steps,
            fmt=fmt,
            columns=["touch_id", "company", "person", "action", "touched_on", "kind", "outcome", "note"],
            headers={"touch_id": N_("touch"), "touched_on": N_("last touch")},
            title=title,
        )


def stale(
    days: Annotated[Optional[int], typer.Option("--days", "-d", help="Quiet for at least N days (default: stale_days from the config).", min=0, max=MAX_DAYS)] = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Active prospects nobody has contacted for N days, the longest-quiet first.

    Example: dossier stale --days 30
    """
    from dossier_cli.selling import touches

    with open_session(write=False) as session:
        rows = touches.stale(session, settings(), days=days, today=touches.local_today(), limit=limit, offset=offset)
    render_rows(
        rows,
        fmt=fmt,
        columns=["id", "name", "stage", "last_touch", "listed_on", "days_quiet"],
        headers={"last_touch": "last touch", "days_quiet": "days quiet"},
        empty_message=_("no prospect has gone quiet"),
    )
