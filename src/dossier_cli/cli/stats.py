"""`dossier stats`: how many touches, "no"s and days it takes to turn a prospect into a customer."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Optional

import typer

from dossier_cli.cli.base import open_session, settings
from dossier_cli.cli.output import FormatOpt, OutputFormat, render_record, render_rows


class GroupBy(str, Enum):
    source = "source"
    territory = "territory"
    market = "market"
    kind = "kind"
    reason = "reason"  # why deals were lost (selling/lost.py), not the conversion figures



def stats(
    by: Annotated[Optional[GroupBy], typer.Option("--by", help="Also per source, territory, market or kind of touch; or the lost deals per reason.", case_sensitive=False)] = None,
    period: Annotated[Optional[str], typer.Option("--period", help="Only prospects listed in this period: 2026, 2026-Q3, 2026-11.")] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """How many touches, "no"s and days it takes to turn a prospect into a customer.

    Example: dossier stats --by source --period 2026
    """
    from dossier_cli.selling import stats as domain
    from dossier_cli.parsing import parse_period

    if by == GroupBy.reason:
        _lost_reasons(parse_period(period) if period else None, fmt)
        return
    with open_session(write=False) as session:
        report = domain.conversion_stats(
            session, settings(), by=by.value if by else None, period=parse_period(period) if period else None
        )
    if fmt == OutputFormat.json:
        render_record(report, fmt=fmt)
        return
    if fmt == OutputFormat.csv:
        rows = [_flat_row("(all)", report["overall"])] + [_flat_row(g["group"], g) for g in report["groups"]]
        render_rows(rows, fmt=fmt)
        return
    _print_stats(report)


def _lost_reasons(period: Any, fmt: OutputFormat) -> None:
    """`stats --by reason`: lost deals per reason, with counts and shares (losses dated in the period)."""
    from dossier_cli.i18n import _
    from dossier_cli.selling import lost

    with open_session(write=False) as session:
        report = lost.reason_report(session, settings(), period)
    if fmt == OutputFormat.json:
        render_record(report, fmt=fmt)
        return
    scope = _("lost in {period}").format(period=report["period"]["label"]) if report["period"] else _("lost, all time")
    render_rows(
        [{**row, "share_percent": f"{row['share_percent']:g}%" if fmt == OutputFormat.table else row["share_percent"]} for row in report["reasons"]],
        fmt=fmt,
        columns=["label", "lost", "share_percent"],
        headers={"label": _("reason"), "lost": _("lost"), "share_percent": _("share")},
        title=f"{scope}: {report['lost']}",
    )


def _flat_row(group: str, summary: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"group": group}
    for key in ("prospects", "converted", "open", "lost", "conversion_rate"):
        row[key] = summary[key]
    for metric in ("touches", "no_outcomes", "days"):
        for stat in ("n", "median", "q1", "q3", "min", "max"):
            row[f"{metric}_{stat}"] = summary[metric][stat]
    return row


def _percent(rate: float | None) -> str:
    from dossier_cli.cli.display import number

    return "—" if rate is None else f"{number(rate * 100, '.1f')}%"


def _print_stats(report: dict[str, Any]) -> None:
    from rich.bar import Bar
    from rich.table import Table
    from rich.text import Text

    from dossier_cli.cli.output import box_style, out_console

    from dossier_cli.cli.display import label as shown
    from dossier_cli.i18n import _

    console = out_console()
    overall = report["overall"]
    scope = _("prospects listed in {period}").format(period=report["period"]["label"]) if report["period"] else _("all prospects")
    console.print(
        Text(
            _("{scope}: {prospects}; became customers ({client_stage} or a first sale): {converted} ({rate}); "
              "still open: {open}; lost: {lost}; listed as customers already (not counted): {listed}").format(
                scope=scope, prospects=overall["prospects"], client_stage=shown("stage", report["client_stage"]),
                converted=overall["converted"], rate=_percent(overall["conversion_rate"]), open=overall["open"],
                lost=overall["lost"], listed=report["listed_as_customers"])
        )
    )
    table = Table(title=Text(_("Until the first purchase")), box=box_style())
    for column in ("", _("median"), _("quartiles"), _("range"), _("customers")):
        table.add_column(Text(column), justify="left" if not column else "right")
    for key, label in (("touches", _("touches")), ("no_outcomes", _("\"no\" outcomes")), ("days", _("days since listed"))):
        figures = overall[key]
        table.add_row(*(Text(cell) for cell in _figure_cells(label, figures)))
    console.print(table)
    if overall["histogram"]:
        top = max(b["companies"] for b in overall["histogram"]) or 1
        bars = Table(title=Text(_("Touches to the first purchase")), box=box_style())
        bars.add_column(Text(_("touches")), justify="right")
        bars.add_column(Text(_("customers")), justify="right")
        bars.add_column(Text(""), width=40)
        for bucket in overall["histogram"]:
            bars.add_row(Text(bucket["touches"]), Text(str(bucket["companies"])), Bar(size=top, begin=0, end=bucket["companies"], width=40))
        console.print(bars)
    if report["by"]:
        by = _(report["by"])
        groups = Table(title=Text(_("By {by}").format(by=by)), box=box_style())
        touches = _("touches of the kind") if report["by"] == "kind" else _("touches")
        for column in (by, _("prospects"), _("customers"), _("conversion"), _("open"), _("{touches}: median (q1–q3)").format(touches=touches),
                       _("\"no\" median"), _("days: median (q1–q3)")):
            groups.add_column(Text(column), overflow="fold")
        for group in report["groups"]:
            groups.add_row(
                Text(shown(report["by"], group["group"])),
                Text(str(group["prospects"])),
                Text(str(group["converted"])),
                Text(_percent(group["conversion_rate"])),
                Text(str(group["open"])),
                Text(_median_quartiles(group["touches"])),
                Text(_num(group["no_outcomes"]["median"])),
                Text(_median_quartiles(group["days"])),
            )
        console.print(groups)
    from dossier_cli.cli.base import stderr_line as note

    # report["quartile_method"] names the exact function for JSON readers; people get it in words.
    note(_("Quartiles by the inclusive method (as QUARTILE.INC in spreadsheets); touches counted up to and including the day of the first purchase."))


def _num(value: Any) -> str:
    from dossier_cli.cli.display import number

    return "—" if value is None else number(value)


def _median_quartiles(figures: dict[str, Any]) -> str:
    if figures["n"] == 0:
        return "—"
    return f"{_num(figures['median'])} ({_num(figures['q1'])}–{_num(figures['q3'])})"


def _figure_cells(label: str, figures: dict[str, Any]) -> list[str]:
    if figures["n"] == 0:
        return [label, "—", "—", "—", "0"]
    return [
        label,
        _num(figures["median"]),
        f"{_num(figures['q1'])}–{_num(figures['q3'])}",
        f"{figures['min']}–{figures['max']}",
        str(figures["n"]),
    ]
