"""`dossier promote`, `history`, `liquidate` and `pipeline`: the forward-only stages."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from dossier_cli.cli.base import remind_about_the_plan, open_session, settings, stderr_line
from dossier_cli.cli.display import day, label, number
from dossier_cli.cli.output import CompanyArg, FormatOpt, OutputFormat, render_rows
from dossier_cli.i18n import _

NoteOpt = Annotated[Optional[str], typer.Option("--note", help="Why, or what happened.")]
DateOpt = Annotated[Optional[str], typer.Option("--date", help="When (YYYY-MM-DD or DD.MM.YYYY; default today).")]


def _day(text: Optional[str]):  # -> date | None
    if text is None:
        return None
    from dossier_cli.parsing import parse_date

    return parse_date(text)


def promote(
    company: CompanyArg,
    to: Annotated[Optional[str], typer.Option("--to", help="Move to this later stage (default: the next one).")] = None,
    note: NoteOpt = None,
    date: DateOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Move into first contact even if the dossier is not complete enough.")
    ] = False,
) -> None:
    """Move a company forward to the next stage, or to a named later one (never back).

    Example: dossier promote ромашка --to negotiating --note "met at the Dalexpo fair"
    """
    from dossier_cli.records import companies
    from dossier_cli.selling import pipeline

    with open_session() as session:
        found = companies.find_company(session, company)
        change = pipeline.promote(session, settings(), found, to_stage=to, note=note, on=_day(date), force=force)
        stderr_line(f"{found.name}: {label('stage', change.from_stage)} → {label('stage', change.to_stage)} ({day(change.changed_on)}).")


def history(company: CompanyArg, fmt: FormatOpt = OutputFormat.table) -> None:
    """Show every stage move of a company: when, from, to, who, and the note.

    Example: dossier history ромашка --format json
    """
    from dossier_cli.records import companies
    from dossier_cli.selling import pipeline

    with open_session(write=False) as session:
        found = companies.find_company(session, company)
        rows = pipeline.stage_history(session, found)
        title = f"#{found.id} {found.name}"
    render_rows(
        rows,
        fmt=fmt,
        columns=["cycle", "changed_on", "event", "from_stage", "to_stage", "days_at_previous", "reason", "user", "note"],
        headers={"changed_on": "date", "from_stage": "from", "to_stage": "to", "days_at_previous": "days at from"},
        title=title,
        empty_message=_("no stage moves recorded"),
    )


def liquidate(company: CompanyArg, date: DateOpt = None, note: NoteOpt = None) -> None:
    """Mark a company liquidated: it leaves the pipeline; it and its people stay on record.

    Example: dossier liquidate "Amur Logistics" --date 2026-10-01 --note "closed by the owner"
    """
    from dossier_cli.records import companies
    from dossier_cli.selling import pipeline

    with open_session() as session:
        found = companies.find_company(session, company)
        done = pipeline.liquidate(session, settings(), found, on=_day(date), note=note)
        stderr_line(_("{name} is marked liquidated as of {date}.").format(name=done.name, date=day(done.liquidated_on)))


def show_pipeline(
    territory: Annotated[Optional[str], typer.Option("--territory", help="Only companies in this territory.")] = None,
    market: Annotated[Optional[str], typer.Option("--market", "--industry", help="Only companies in this market.")] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show the funnel: companies per stage, share, median days there, conversion, no recent contact.

    Example: dossier pipeline --territory "Khabarovsk region"
    """
    from dossier_cli.selling import pipeline

    with open_session(write=False) as session:
        rows = pipeline.funnel(session, settings(), territory=territory, market=market)
        remind_about_the_plan(session)
    if fmt != OutputFormat.table:
        render_rows(rows, fmt=fmt)
        return
    _render_funnel(rows)


def _render_funnel(rows: list[dict[str, Any]]) -> None:
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from dossier_cli.cli.output import box_style, out_console

    stale_days = rows[0]["no_contact_days"] if rows else 30
    headers = [_("stage"), _("companies"), _("share"), _("median days"), _("→ next"),
               _("no contact {days} d").format(days=stale_days), _("lost here")]
    cells = [[
        label("stage", row["stage"]),
        str(row["companies"]),
        f"{number(row['share_percent'], '.1f')}%",
        "" if row["median_days"] is None else number(row["median_days"]),
        "" if row["conversion_percent"] is None else f"{number(row['conversion_percent'], '.1f')}%",
        str(row["no_contact"]),
        str(row["lost"]) if row["lost"] else "",
    ] for row in rows]
    # Each column as wide as its longest value and its header, or its longest header word when
    # that leaves no room for the bar (headers wrap, values never do);
    # the bar takes what is left of the terminal's width, up to 24 (and is left out below 6).
    console = out_console()
    for whole_headers in (True, False):
        widths = [max(([cell_len(header)] if whole_headers else [cell_len(word) for word in header.split()])
                      + [cell_len(line[index]) for line in cells])
                  for index, header in enumerate(headers)]
        bar_width = min(24, console.width - sum(width + 3 for width in widths) - 4)
        if bar_width >= 6:
            break
    bar_width = bar_width if bar_width >= 6 else 0
    widest = max((row["companies"] for row in rows), default=0)
    table = Table(box=box_style(), title=Text(_("pipeline (active companies)")))
    for index, header in enumerate(headers):
        # the stage's name is the one column that wraps when the terminal is narrow
        table.add_column(Text(header), width=None if index == 0 else widths[index], justify="left" if index == 0 else "right")
        if index == 1 and bar_width:
            table.add_column("", width=bar_width)
    for row, line in zip(rows, cells):
        bar = "█" * round(bar_width * row["companies"] / widest) if widest else ""
        texts = [Text(text) for text in line]
        if bar_width:
            texts.insert(2, Text(bar, style="cyan"))
        table.add_row(*texts)
    console.print(table)
