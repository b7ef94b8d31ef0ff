"""`dossier plan …`: the quarterly prospecting plan, the plan against what was done, the review."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from dossier_cli.formatting import format_day
from dossier_cli.cli.base import is_interactive, new_app, open_session, settings, stderr_line
from dossier_cli.i18n import N_, _
from dossier_cli.cli.output import FormatOpt, OutputFormat, box_style, out_console, render_record, render_rows

plan_app = new_app(
    "The quarterly prospecting plan: where, whom, who, from where, when, with what, and the goals.\n\n"
    "Example: dossier plan show"
)

QuarterArg = Annotated[str, typer.Argument(help="The quarter, written 2027-Q1.", show_default=False)]


def _print_reminder(session: Any) -> None:
    from datetime import date

    from dossier_cli.selling import plan

    reminder = plan.plan_reminder(session, settings(), date.today())
    if reminder:
        stderr_line(reminder)


@plan_app.command("set")
def plan_set(
    quarter: QuarterArg,
    territory: Annotated[
        Optional[list[str]], typer.Option("--territory", help="Where we look (repeat; replaces the list; '' empties it).")
    ] = None,
    market: Annotated[
        Optional[list[str]], typer.Option("--market", help="Whom we look for: a market or kind of business (repeat).")
    ] = None,
    who: Annotated[Optional[str], typer.Option("--who", help="Who does the work (an employee or a new hire).")] = None,
    from_office: Annotated[
        Optional[str], typer.Option("--from-office", help="Where they work from (office, branch, representative office).")
    ] = None,
    when: Annotated[Optional[str], typer.Option("--when", help="The timeline and working time.")] = None,
    with_: Annotated[
        Optional[list[str]],
        typer.Option("--with", help="What we work with: unique offer, handbook, referrals, exhibitions (repeat)."),
    ] = None,
    goal_prospects: Annotated[
        Optional[int], typer.Option("--goal-prospects", min=0, help="Goal: new prospects added.", show_default=False)
    ] = None,
    goal_touches: Annotated[
        Optional[int], typer.Option("--goal-touches", min=0, help="Goal: touches logged.", show_default=False)
    ] = None,
    goal_clients: Annotated[
        Optional[int], typer.Option("--goal-clients", min=0, help="Goal: new clients won.", show_default=False)
    ] = None,
    goal_revenue: Annotated[
        Optional[str],
        typer.Option("--goal-revenue", help="Goal: sales booked in the quarter, in the currency (e.g. 2500000).", show_default=False),
    ] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Create a quarter's plan, or change the parts given.

    Example: dossier plan set 2027-Q1 --territory Khabarovsk --market "food production" --with exhibition --goal-prospects 40 --goal-touches 200 --goal-clients 5
    """
    from dossier_cli.selling import plan

    goals = {
        goal: value
        for goal, value in (("prospects", goal_prospects), ("touches", goal_touches), ("clients", goal_clients))
        if value is not None
    }
    with open_session() as session:
        found, status = plan.set_plan(
            session,
            quarter=quarter,
            territories=territory,
            markets=market,
            who=who,
            from_office=from_office,
            when=when,
            with_=with_,
            goals=goals,
            goal_revenue=goal_revenue,
        )
        record = plan.plan_record(found)
    _report_change(record, status, fmt)


def _report_change(record: dict[str, Any], status: str, fmt: OutputFormat) -> None:
    message = {
        "created": _("Created the plan for {quarter}."),
        "updated": _("Updated the plan for {quarter}."),
        "unchanged": _("The plan for {quarter} is unchanged."),
    }[status].format(quarter=record["quarter"])
    stderr_line(message)
    if fmt != OutputFormat.table:
        render_record(record, fmt=fmt)


@plan_app.command("edit")
def plan_edit(
    quarter: QuarterArg,
    from_file: Annotated[
        Optional[str],
        typer.Option("--from", help="Read the plan YAML from this file ('-' for stdin) instead of opening $EDITOR."),
    ] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Edit a quarter's whole plan as YAML in $EDITOR (or take it from a file).

    Example: dossier plan edit 2027-Q1 --from plan.yaml
    """
    from dossier_cli.cli.files import edit_text, read_source
    from dossier_cli.errors import InvalidInput
    from dossier_cli.selling import plan

    label = plan.quarter_label(quarter)
    if from_file is not None:
        text, source = read_source(from_file, file_label="plan file {path}", stdin_label="plan YAML from stdin")
    else:
        if not is_interactive():
            raise InvalidInput(
                _("plan edit opens an editor, but this is not a terminal"), hint=_("give the plan with --from FILE or --from -")
            )
        with open_session(write=False) as session:
            start = plan.plan_yaml(plan.find_plan(session, label), label)
        edited = edit_text(start, hint=_("set $EDITOR, or use --from FILE"))
        if edited is None:
            stderr_line(_("No changes made in the editor: the plan for {label} is unchanged.").format(label=label))
            return
        text, source = edited, "plan YAML"
    with open_session() as session:
        found, status = plan.apply_plan_yaml(session, quarter=label, text=text, source=source)
        record = plan.plan_record(found)
    _report_change(record, status, fmt)


@plan_app.command("copy")
def plan_copy(
    from_quarter: Annotated[str, typer.Argument(help="The quarter to copy from.", show_default=False)],
    to_quarter: Annotated[str, typer.Argument(help="The quarter to start.", show_default=False)],
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite the target quarter's plan if it exists.")] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Start a quarter's plan from another one (goals included, the review not).

    Example: dossier plan copy 2026-Q4 2027-Q1
    """
    from dossier_cli.selling import plan

    with open_session() as session:
        found = plan.copy_plan(session, from_quarter=from_quarter, to_quarter=to_quarter, replace=replace)
        record = plan.plan_record(found)
    stderr_line(_("Copied the plan for {value} to {quarter}.").format(value=plan.quarter_label(from_quarter), quarter=record['quarter']))
    if fmt != OutputFormat.table:
        render_record(record, fmt=fmt)


@plan_app.command("review")
def plan_review(
    quarter: QuarterArg,
    note: Annotated[str, typer.Option("--note", help="What worked, what did not, what to change.", show_default=False)],
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Record the quarterly review of a plan.

    Example: dossier plan review 2026-Q4 --note "exhibitions worked, cold calls did not; add Amur region"
    """
    from dossier_cli.selling import plan

    with open_session() as session:
        found = plan.review_plan(session, quarter=quarter, note=note)
        record = plan.plan_record(found)
    stderr_line(_("Recorded the review of the {quarter} plan.").format(quarter=record['quarter']))
    if fmt != OutputFormat.table:
        render_record(record, fmt=fmt)


@plan_app.command("list")
def plan_list(fmt: FormatOpt = OutputFormat.table) -> None:
    """List the quarterly plans, oldest first, with their goals and whether they were reviewed.

    Example: dossier plan list --format json
    """
    from dossier_cli.selling import plan

    from dossier_cli.parsing import current_quarter

    with open_session(write=False) as session:
        rows = plan.list_plans(session)
        _print_reminder(session)
    label = current_quarter().label
    render_rows(
        rows,
        fmt=fmt,
        columns=["quarter", "territories", "markets", "who", "goal_prospects", "goal_touches", "goal_clients", "reviewed"],
        headers={"goal_prospects": N_("prospects"), "goal_touches": N_("touches"), "goal_clients": N_("clients")},
        empty_message=_("no plans yet: dossier plan set {label} --territory … --goal-prospects …").format(label=label),
    )


@plan_app.command("show")
def plan_show(
    quarter: Annotated[
        Optional[str], typer.Argument(help="The quarter (2027-Q1); the current quarter if left out.", show_default=False)
    ] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show a quarter's plan beside what was actually done, and the pace still needed.

    Example: dossier plan show 2026-Q4 --format json
    """
    from datetime import date

    from dossier_cli.selling import plan

    with open_session(write=False) as session:
        progress = plan.plan_progress(
            session,
            settings(),
            quarter=quarter,
            today=date.today(),
            outside_limit=None if fmt == OutputFormat.json else plan.OUTSIDE_ROWS_SHOWN,
        )
        from dossier_cli.register.prospects import plan_matches

        register_matches = plan_matches(session, settings(), progress["plan"])
        if register_matches is not None:
            progress["tax_register"] = register_matches
        _print_reminder(session)
    if fmt == OutputFormat.json:
        render_record(progress, fmt=fmt)
        return
    if fmt == OutputFormat.csv:
        render_rows(progress["goals"], fmt=fmt)
        return
    _render_progress(progress)
    if register_matches is not None:
        stderr_line(
            _("The tax register of {date} holds {n} firm(s) matching the plan that are not listed yet: dossier prospects --plan {quarter}").format(
                date=format_day(register_matches["register_date"]), n=f"{register_matches['unlisted']:,}", quarter=progress["quarter"]
            )
        )


def _render_progress(progress: dict[str, Any]) -> None:
    from rich.progress_bar import ProgressBar
    from rich.table import Table
    from rich.text import Text

    from dossier_cli.cli.output import shown_text

    console = out_console()
    from dossier_cli.cli.display import day as shown_day, number
    from dossier_cli.formatting import format_money

    record = progress["plan"]
    when = f"{shown_day(progress['start'])} – {shown_day(progress['end'])}, {_(progress['status'])}"
    if progress["weeks_left"] is not None:
        when += _(", {n} weeks left").format(n=number(progress["weeks_left"]))
    console.print(Text(_("Plan for {quarter} ({when})").format(quarter=progress["quarter"], when=when), style="bold"))
    facts = Table(box=box_style(), show_header=False)
    facts.add_column("question", style="bold", no_wrap=True)
    facts.add_column("answer", overflow="fold")
    for label, key in (
        (_("where (territories)"), "territories"),
        (_("whom (markets)"), "markets"),
        (_("who"), "who"),
        (_("from"), "from_office"),
        (_("when"), "when"),
        (_("with"), "with"),
        (_("review"), "review_note"),
    ):
        if record[key] not in (None, [], ""):
            facts.add_row(Text(label), Text(shown_text(record[key])))
    if facts.row_count:  # a plan with goals only has no facts to show
        console.print(facts)

    goals = Table(title=Text(_("Planned against done")), box=box_style())
    # the goals' names whole when the terminal is wide enough, else wrapped between words, never inside one
    names = [*(_(goal["label"]) for goal in progress["goals"]), _("sales booked"), _("goal")]
    goal_width = min(max(len(name) for name in names),
                     max(max(len(word) for name in names for word in name.split()), console.width - 70))
    lines: list[tuple[list[str], Any]] = []  # the cells of each goal, and its bar's (total, completed)
    for goal in progress["goals"]:
        planned = goal["planned"]
        lines.append(([
            _(goal["label"]),
            "" if planned is None else str(planned),
            str(goal["done"]),
            "" if goal["percent"] is None else f"{goal['percent']}%",
            "" if goal["needed_per_week"] is None else number(goal["needed_per_week"]),
            str(goal["outside_plan"]),
        ], (planned, goal["done"]) if planned else None))
    revenue = progress.get("revenue")
    if revenue:
        currency = revenue.get("currency") or settings().currency
        done = min(revenue["booked_minor"], revenue["planned_minor"]) if revenue["planned_minor"] else 0
        lines.append(([
            _("sales booked"), format_money(revenue["planned"], currency), format_money(revenue["booked"], currency),
            "" if revenue["percent"] is None else f"{revenue['percent']}%", "", "",
        ], (revenue["planned_minor"], done) if revenue["planned_minor"] else None))
    # the bars take what the other columns leave of the terminal's width (none when that is too little)
    others = goal_width + sum(max(len(cells[i]) for cells, _bar in lines) for i in (1, 2)) + 4 + 7 + 7 + 3 * 7 + 1
    bar_width = min(24, console.width - others)
    bars = bar_width >= len(_("progress"))
    for header in (N_("goal"), N_("planned"), N_("done"), N_("progress"), "%", N_("needed per week"), N_("outside the plan")):
        if header == "progress" and not bars:
            continue
        goals.add_column(Text(_(header) if header != "%" else header), justify="left" if header in ("goal", "progress") else "right",
                         overflow="fold", no_wrap=header in ("planned", "done", "%"),  # amounts and shares never wrap
                         width={"goal": goal_width, "progress": bar_width}.get(header))
    for cells, bar in lines:
        texts: list[Any] = [Text(cell) for cell in cells]
        if bars:
            texts.insert(3, ProgressBar(total=bar[0], completed=bar[1], width=bar_width) if bar else Text(""))
        goals.add_row(*texts)
    console.print(goals)

    if progress["outside_plan"]:
        outside = Table(title=Text(_("Done outside the plan (other territories or markets)")), box=box_style())
        for header in (N_("territory"), N_("market"), N_("prospects"), N_("touches"), N_("clients")):
            outside.add_column(Text(_(header)), justify="right" if header in ("prospects", "touches", "clients") else "left")
        for row in progress["outside_plan"]:
            outside.add_row(
                Text(row["territory"] or _("(none)")),
                Text(row["market"] or _("(none)")),
                *(Text(str(row[key])) for key in ("prospects", "touches", "clients")),
            )
        console.print(outside)
        if progress["outside_plan_truncated"]:
            stderr_line(_("… and more territory/market pairs outside the plan: see them all with --format json."))
    else:
        stderr_line(_("Nothing was done outside the plan this quarter."))
