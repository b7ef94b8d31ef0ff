"""`dossier add/list/rm sale`, `dossier rate`, `dossier top10`, `dossier abc`."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from dossier_cli.cli.base import confirm_or_require_yes, new_app, open_session, settings, stderr_line
from dossier_cli.cli.display import day as shown_day, label, number
from dossier_cli.cli.groups import add_app, list_app, rm_app
from dossier_cli.formatting import format_money
from dossier_cli.i18n import N_, _, ngettext
from dossier_cli.cli.output import (
    CompanyArg,
    FormatOpt,
    LimitOpt,
    OffsetOpt,
    OutputFormat,
    box_style,
    out_console,
    print_json,
    render_record,
    render_rows,
    report_record,
    write_csv,
)

PeriodOpt = Annotated[
    Optional[str], typer.Option("--period", help="A year (2026), quarter (2026-Q3) or month (2026-11); both ends included.")
]
FromOpt = Annotated[Optional[str], typer.Option("--from", help="First day of the period (YYYY-MM-DD or DD.MM.YYYY).")]
ToOpt = Annotated[Optional[str], typer.Option("--to", help="Last day of the period, included (default: today).")]
NoteOpt = Annotated[Optional[str], typer.Option("--note", help="Free-form note.")]
# Lets a negative number reach our own check ("must not be negative") instead of
# being taken for an unknown option.
NUMBER_ARGS = {"ignore_unknown_options": True}


@add_app.command("sale", context_settings=NUMBER_ARGS)
def add_sale(
    company: CompanyArg,
    amount: Annotated[str, typer.Argument(help="The amount: 125000.50, \"125 000,50\" or 125000.", show_default=False)],
    sold_on: Annotated[Optional[str], typer.Option("--date", help="The day of the sale (default: today).")] = None,
    reference: Annotated[
        Optional[str], typer.Option("--ref", "--reference", help="Invoice number; unique per company.")
    ] = None,
    note: NoteOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Record it even if a sale of the same day and amount, without a reference, exists.")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Record a sale to a company, in the database's currency (see `dossier config show`).

    Example: dossier add sale ромашка 125000.50 --date 2026-11-02 --ref "invoice 1841"
    """
    from dossier_cli.records import companies
    from dossier_cli.selling import sales

    current = settings()
    with open_session() as session:
        found = companies.find_company(session, company)
        sale = sales.add_sale(
            session, current, found, amount=amount, sold_on=sold_on, reference=reference, note=note, force=force
        )
        record = sales.sale_record(sale, found.name, current)
    if fmt == OutputFormat.table:
        ref = f" ({record['reference']})" if record["reference"] else ""
        stderr_line(_("Added sale #{id}: {company}, {date}, {amount}{ref}.").format(
            id=record["id"], company=record["company"], date=shown_day(record["sold_on"]),
            amount=format_money(record["amount"], record["currency"]), ref=ref))
        if found.status != "active":
            stderr_line(_("Note: {name} is {status}; the sale is kept as history, outside top10 and abc.").format(
                name=found.name, status=label("status", found.status)))
    else:
        render_record(record, fmt=fmt)


@list_app.command("sales")
def list_sales(
    company: Annotated[Optional[str], typer.Option("--company", help="Only this company's sales.")] = None,
    period: PeriodOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List sales, newest first (all dates unless a period is given).

    Example: dossier list sales --company ромашка --period 2026 --format csv
    """
    from dossier_cli.records import companies
    from dossier_cli.selling import sales
    from dossier_cli.parsing import resolve_period

    chosen = resolve_period(period, date_from, date_to) if (period or date_from or date_to) else None
    with open_session(write=False) as session:
        found = companies.find_company(session, company) if company else None
        rows = sales.list_sales(session, settings(), company=found, period=chosen, limit=limit, offset=offset)
    render_rows(
        rows,
        fmt=fmt,
        columns=["id", "sold_on", "company", "amount", "currency", "reference", "note"],
        headers={"sold_on": "date"},
        empty_message=_("no sales match"),
    )


@rm_app.command("sale")
def rm_sale(
    sale: Annotated[str, typer.Argument(help="The sale's number (see `dossier list sales`).", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a sale (a mistake, a cancelled invoice).

    Example: dossier rm sale 12 --yes
    """
    from dossier_cli.selling import sales
    from dossier_cli.models import Company

    current = settings()
    with open_session() as session:
        found = sales.find_sale(session, sale)
        company = session.get(Company, found.company_id)
        name = company.name if company else _("company #{id}").format(id=found.company_id)
        what = _("sale #{id} ({company}, {date}, {amount})").format(
            id=found.id, company=name, date=shown_day(found.sold_on), amount=format_money(found.amount_minor, current.currency))
        confirm_or_require_yes(_("Remove {what}?").format(what=what), yes=yes)
        sales.remove_sale(session, current, found)
    stderr_line(_("Removed {what}.").format(what=what))


def rate(
    company: CompanyArg,
    score: Annotated[str, typer.Argument(help="How close the relationship is: 0 (none) to 10 (closest).", show_default=False)],
    note: NoteOpt = None,
    rated_on: Annotated[Optional[str], typer.Option("--date", help="The day of the judgement (default: today).")] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Rate the relationship with a company, 0..10; earlier ratings are kept as its history.

    Example: dossier rate ромашка 8 --note "weekly calls with the owner, invited us to their anniversary"
    """
    from dossier_cli.records import companies
    from dossier_cli.selling import abc as abc_analysis, ratings

    with open_session() as session:
        found = companies.find_company(session, company)
        ratings.rate_company(session, found, score=score, note=note, rated_on=rated_on)
        summary = abc_analysis.company_summary(session, settings(), found)
        record = {"id": found.id, "name": found.name, **summary, "history": ratings.rating_history(session, found)}
    report_record(record, fmt=fmt, said=_("Rated {name} {rating}/10 ({trend}).").format(
        name=found.name, rating=record["rating"], trend=record["rating_trend"]))


def top10(
    by: Annotated[str, typer.Option("--by", help="Rank by sales or by relationship.")] = "sales",
    period: PeriodOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    limit: Annotated[int, typer.Option("--limit", help="How many companies in each list.")] = 10,
    compare: Annotated[
        bool, typer.Option("--compare", help="Both lists side by side, what they share, and what to do.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="With --compare: exit 0 when the lists match, 1 when they do not.")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Your largest customers by sales (default: the last 12 months) or by relationship.

    Example: dossier top10 --compare --period 2026
    """
    from dossier_cli.parsing import resolve_period
    from dossier_cli.selling import top10

    current = settings()
    chosen = resolve_period(period, date_from, date_to)
    if compare or check:
        with open_session(write=False) as session:
            report = top10.compare_top(session, current, chosen, limit=limit)
        _render_compare(report, fmt)
        if check and not report["match"]:
            from dossier_cli.errors import ExitCode

            raise typer.Exit(int(ExitCode.ERROR))
        return
    with open_session(write=False) as session:
        rows = top10.top(session, current, chosen, by=by, limit=limit)
    ranked_by = top10.check_by(by)
    render_rows(
        rows,
        fmt=fmt,
        columns=["rank", "id", "name", "sales", "rating", "touches_90_days"],
        headers={"sales": N_("sales"), "touches_90_days": N_("touches (90 days)")},
        title=(_("Top {n} by sales, {period}") if ranked_by == "sales" else _("Top {n} by relationship, {period}")).format(
            n=limit, period=chosen.label),
        empty_message=(
            _("no sales in this period") if ranked_by == "sales" else _("no rated companies yet: `dossier rate COMPANY 0..10`")
        ),
    )


def _render_compare(report: dict[str, Any], fmt: OutputFormat) -> None:
    if fmt == OutputFormat.json:
        print_json(report)
        return
    if fmt == OutputFormat.csv:
        rows = [{"list": "sales", **row} for row in report["by_sales"]]
        rows += [{"list": "relationship", **row} for row in report["by_relationship"]]
        write_csv(rows, ["list", "rank", "id", "name", "sales", "currency", "rating", "touches_90_days", "in_both"])
        return
    from rich.table import Table
    from rich.text import Text

    def name_cell(row: dict[str, Any] | None) -> Text:
        if row is None:
            return Text("")
        return Text(row["name"]) + Text(" *" if row["in_both"] else "")

    currency = report["currency"]
    table = Table(
        title=Text(_("Top {n} by sales and by relationship, {period}").format(n=report["limit"], period=report["period"]["label"])),
        caption=Text(_("* in both lists")),
        box=box_style(),
    )
    table.add_column("#", justify="right")
    table.add_column(_("by sales"), overflow="fold")
    table.add_column(_("sales"), justify="right", no_wrap=True)  # an amount is never cut or wrapped
    table.add_column(_("by relationship"), overflow="fold")
    table.add_column(_("rating"), justify="right")
    table.add_column(_("touches (90 days)"), justify="right")
    by_sales, by_relationship = report["by_sales"], report["by_relationship"]
    for index in range(max(len(by_sales), len(by_relationship))):
        left = by_sales[index] if index < len(by_sales) else None
        right = by_relationship[index] if index < len(by_relationship) else None
        table.add_row(
            Text(str(index + 1)),
            name_cell(left),
            Text(format_money(left["sales"], currency) if left else ""),
            name_cell(right),
            Text(str(right["rating"]) if right else ""),
            Text(str(right["touches_90_days"]) if right else ""),
        )
    console = out_console()
    if by_sales or by_relationship:
        console.print(table)
    console.print(Text(_("Overlap: {n} of {limit}").format(n=report["overlap"], limit=report["limit"])))
    console.print(Text(_("Verdict: {verdict}").format(verdict=report["verdict"])))
    for step in report["next_steps"]:
        console.print(Text(f"  - {step}"))


def abc(
    period: PeriodOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    group: Annotated[Optional[str], typer.Option("--group", help="Only this group: A, B or C.")] = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """ABC analysis: companies ranked by sales, with share, cumulative share and group.

    Example: dossier abc --period 2026 --group A
    """
    from dossier_cli.parsing import resolve_period
    from dossier_cli.selling import abc as abc_analysis

    current = settings()
    chosen = resolve_period(period, date_from, date_to)
    with open_session(write=False) as session:
        report = abc_analysis.abc_report(session, current, chosen, group=group, limit=limit, offset=offset)
    if fmt == OutputFormat.json:
        print_json(report)
        return
    if fmt == OutputFormat.csv:
        write_csv(report["rows"], ["rank", "id", "name", "sales", "currency", "share_percent", "cumulative_percent", "abc_group"])
        return
    thresholds = report["thresholds"]
    render_rows(
        report["rows"],
        fmt=fmt,
        columns=["rank", "id", "name", "sales", "share_percent", "cumulative_percent", "abc_group"],
        headers={
            "share_percent": N_("share, %"),
            "cumulative_percent": N_("cumulative, %"),
            "abc_group": N_("group"),
        },
        title=_("ABC by sales, {period} (A: first {a}%, B: next {b}%, C: the rest)").format(
            period=report["period"]["label"], a=number(thresholds["a_percent"]), b=number(thresholds["b_percent"])),
        empty_message=_("no sales in this period"),
    )
    if report["companies"]:
        from rich.text import Text

        parts = [
            ngettext("{group}: {n} company, {amount} ({share}%)", "{group}: {n} companies, {amount} ({share}%)", g["companies"]).format(
                group=g["abc_group"], n=g["companies"], amount=format_money(g["sales"], report["currency"]), share=number(g["share_percent"]))
            for g in report["groups"]
        ]
        out_console().print(Text(_("Revenue {amount}; ").format(amount=format_money(report["revenue"], report["currency"])) + "; ".join(parts)))
        if len(report["rows"]) < report["companies"] and not group:
            stderr_line(_("Showing {n} of {total} companies; use --limit/--offset.").format(n=len(report["rows"]), total=report["companies"]))


# `rate` takes a number that may be negative, so it is wired with NUMBER_ARGS to reach
# our own range check instead of being taken for an unknown option.
rate_app = new_app("", group=False, no_args_is_help=False)
rate_app.command("rate", context_settings=NUMBER_ARGS)(rate)
