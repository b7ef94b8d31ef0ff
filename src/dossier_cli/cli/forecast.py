"""`dossier forecast`: the weighted forecast of a quarter beside booked sales and the goal."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Optional

import typer

from dossier_cli.cli.base import open_session, settings
from dossier_cli.cli.output import FormatOpt, OutputFormat, render_record, render_rows
from dossier_cli.i18n import _


class ForecastBy(str, Enum):
    month = "month"
    stage = "stage"
    territory = "territory"


def forecast(
    quarter: Annotated[
        Optional[str], typer.Option("--quarter", help="The quarter, e.g. 2027-Q1 (default: the current one).")
    ] = None,
    by: Annotated[ForecastBy, typer.Option("--by", help="Group by month, stage or territory.", case_sensitive=False)] = ForecastBy.month,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Weighted forecast: expected deals × stage probability, beside booked sales and the revenue goal.

    Example: dossier forecast --quarter 2027-Q1 --by stage
    """
    from dossier_cli.parsing import current_quarter, parse_quarter
    from dossier_cli.selling.forecast import forecast as domain_forecast

    period = parse_quarter(quarter) if quarter else current_quarter()
    with open_session(write=False) as session:
        report = domain_forecast(session, settings(), period, by=by.value)
    if fmt == OutputFormat.json:
        render_record(report, fmt=fmt)
        return
    if fmt == OutputFormat.csv:
        render_rows(report["rows"], fmt=fmt)
        return
    _print(report)


def _print(report: dict[str, Any]) -> None:
    from rich.table import Table
    from rich.text import Text

    from dossier_cli.cli.display import number
    from dossier_cli.cli.output import box_style, out_console
    from dossier_cli.formatting import format_amount, format_money

    def money(amount: str) -> str:  # the title names the currency
        return format_amount(amount)

    by = report["by"]
    table = Table(title=Text(_("forecast {quarter} ({currency})").format(quarter=report["quarter"], currency=report["currency"])), box=box_style())
    table.add_column(Text(_(by)))
    if by == "stage":
        table.add_column(Text(_("probability")), justify="right")
    for header in (_("deals"), _("pipeline value"), _("weighted"), _("booked")):
        table.add_column(Text(header), justify="right", no_wrap=True)
    for row in report["rows"]:
        cells = [row[by]]
        if by == "stage":
            cells.append(f"{row['probability_percent']:g}%")
        cells += [str(row["deals"]), *(money(row[key]) for key in ("value", "weighted", "booked"))]
        table.add_row(*(Text(c) for c in cells))
    totals = report["totals"]
    table.add_row(
        *(Text(c, style="bold") for c in [_("total"), *([""] if by == "stage" else []), str(totals["deals"]),
                                           *(money(totals[key]) for key in ("value", "weighted", "booked"))])
    )
    console = out_console()
    console.print(table)
    def sum_(amount: str) -> str:
        return format_money(amount, report["currency"])

    line = _("booked + weighted: {expected}").format(expected=sum_(totals["expected"]))
    if totals["goal_revenue"] is not None:
        line += "; " + _("goal: {goal} ({percent}%), still to find: {gap}").format(
            goal=sum_(totals["goal_revenue"]), percent=number(totals["goal_percent"], ".1f"), gap=sum_(totals["gap"])
        )
    else:
        line += "; " + _("no revenue goal for {quarter} (dossier plan set {quarter} --goal-revenue …)").format(quarter=report["quarter"])
    console.print(Text(line))
