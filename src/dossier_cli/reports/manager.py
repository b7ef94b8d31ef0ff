"""The manager's report: one printable page on a period, from the commands' own numbers.

Each section is what a command prints with `--format json`, called through the same
domain function with the same arguments (the command line is written beside each one), so
the page and the terminal never disagree:

    funnel          dossier pipeline --format json
    top-10          dossier top10 --compare --period P --format json
    ABC             dossier abc --period P --limit 40 --format json
    touches, days   dossier stats --period P --format json
    plan            dossier plan show Q --format json
    lost reasons    dossier stats --by reason --period P --format json
    forecast        dossier forecast --quarter Q --format json

P is the report's period; Q its quarter (the period itself when it is a quarter, else the
quarter holding its last day).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli.i18n import N_, _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.parsing import Period

# What the commands keep in English in their JSON (the top-10 verdict, the plan's goals), shown
# translated on the page: listed here so that the catalog has them.
SHOWN_TRANSLATED = (
    N_("the lists match: time to look for new customers"),
    N_("first make the lists match"),
    N_("nothing to compare yet"),
    N_("new prospects"),
    N_("touches logged"),
    N_("new clients"),
)
ABC_ROWS = 40  # companies drawn in the Pareto chart (the groups table counts them all)


def report_quarter(period: Period) -> Period:
    from dossier_cli.parsing import current_quarter, parse_quarter

    if re.fullmatch(r"\d{4}-Q[1-4]", period.label):
        return parse_quarter(period.label)
    return current_quarter(period.end)


def gather(session: Session, settings: Settings, period: Period, *, today: date) -> dict[str, Any]:
    """Every section's numbers, as the commands give them."""
    from dossier_cli.errors import NotFound
    from dossier_cli.selling import abc, forecast, lost, pipeline, stats, top10
    from dossier_cli.selling.plan import plan_progress

    quarter = report_quarter(period)
    try:
        plan = plan_progress(session, settings, quarter=quarter.label, today=today)
    except NotFound:
        plan = None
    return {
        "period": {"label": period.label, "from": period.start.isoformat(), "to": period.end.isoformat()},
        "quarter": quarter.label,
        "printed_on": today.isoformat(),
        "currency": settings.currency,
        "funnel": pipeline.funnel(session, settings, today=today),
        "top10": top10.compare_top(session, settings, period),
        "abc": abc.abc_report(session, settings, period, limit=ABC_ROWS),
        "stats": stats.conversion_stats(session, settings, period=period),
        "plan": plan,
        "lost": lost.reason_report(session, settings, period),
        "forecast": forecast.forecast(session, settings, quarter, by="month"),
    }


def charts(data: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The SVG geometry of every chart, from the gathered numbers."""
    from dossier_cli import vocab
    from dossier_cli.reports import charts as draw

    overall = data["stats"]["overall"]
    days = overall.get("days_histogram") or []
    return {
        "funnel": draw.funnel(data["funnel"], conversion_label=_("→ next"), label=vocab.STAGES.label),
        "abc": draw.pareto(data["abc"]["rows"], a_percent=settings.abc_a_percent, a_label="A"),
        "touches": draw.columns("touches", [(b["touches"], b["companies"]) for b in overall["histogram"]], series="companies"),
        "days": draw.columns("days", [(b["days"], b["companies"]) for b in days], series="companies"),
        "lost": draw.hbars(
            "lost",
            [(row["label"], row["lost"], f"{row['lost']} · {row['share_percent']:g}%") for row in data["lost"]["reasons"]],
            series="lost",
        ),
        "forecast": draw.forecast(
            data["forecast"]["rows"], "month", booked_label=_("booked"), weighted_label=_("weighted forecast")
        ),
        "progress": draw.progress,
    }


def render_report(data: dict[str, Any], settings: Settings) -> str:
    from dossier_cli.i18n import language
    from dossier_cli.reports.render import render

    return render("report.html.j2", data=data, charts=charts(data, settings), language=language())


def build_report(session: Session, settings: Settings, period: Period, *, today: date | None = None) -> str:
    return render_report(gather(session, settings, period, today=today or date.today()), settings)
