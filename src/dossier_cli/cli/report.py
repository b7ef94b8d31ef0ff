"""`dossier report`: the manager's printable report, one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from dossier_cli.cli.base import open_session, settings, stderr_line
from dossier_cli.i18n import _


def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write (readable by you only).", show_default=False)],
    period: Annotated[
        Optional[str], typer.Option("--period", help="The period: a quarter (2026-Q4), a year or a month (default: the current quarter).")
    ] = None,
) -> None:
    """Write the manager's report: funnel, top-10, ABC, conversion, plan, lost reasons, forecast.

    One HTML file with inline SVG charts: no JavaScript, nothing fetched, printable to A4.

    Example: dossier report --period 2026-Q4 --output report.html
    """
    from datetime import date

    from dossier_cli.cli.files import output_stream
    from dossier_cli.parsing import current_quarter, parse_period
    from dossier_cli.reports.manager import build_report

    chosen = parse_period(period) if period else current_quarter()
    with open_session(write=False) as session:
        page = build_report(session, settings(), chosen, today=date.today())
    with output_stream(str(output)) as stream:
        stream.write(page)
    stderr_line(_("Wrote the report for {period} to {path}.").format(period=chosen.label, path=output))
