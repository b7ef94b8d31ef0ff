"""`dossier audit`: who changed what, and when."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dossier_cli.cli.base import open_session
from dossier_cli.cli.output import FormatOpt, LimitOpt, OffsetOpt, OutputFormat, local_time, render_rows
from dossier_cli.i18n import _


def audit(
    company: Annotated[
        Optional[str], typer.Option("--company", help="Only changes to this company (id, name or part of it).")
    ] = None,
    person: Annotated[Optional[str], typer.Option("--person", help="Only changes to this person.")] = None,
    user: Annotated[Optional[str], typer.Option("--user", help="Only changes made by this user.")] = None,
    since: Annotated[
        Optional[str], typer.Option("--since", help="Only changes on or after this date (YYYY-MM-DD, DD.MM.YYYY, today).")
    ] = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List the audit trail, newest first: when, who, which command, which record, what changed.

    Example: dossier audit --company ромашка --since 2026-01-01
    """
    from dossier_cli.upkeep import audit_trail

    with open_session(write=False) as session:
        events = audit_trail.list_events(
            session, company=company, person=person, user=user, since=since, limit=limit, offset=offset
        )
    if fmt == OutputFormat.json:
        render_rows(events, fmt=fmt)
        return
    if fmt == OutputFormat.csv:
        flat = [{**event, "changes": "; ".join(audit_trail.change_lines(event["changes"]))} for event in events]
        render_rows(flat, fmt=fmt)
        return
    rows = [
        {
            "when": local_time(event["at"]),
            "who": event["user"],
            "command": event["command"],
            "action": event["action"],
            "record": _record_label(event),
            "changes": "\n".join(audit_trail.change_lines(event["changes"])),
        }
        for event in events
    ]
    render_rows(rows, fmt=fmt, empty_message=_("no audit events match"))


def _record_label(event: dict) -> str:
    label = f"{event['entity']} #{event['entity_id']}" if event["entity_id"] is not None else event["entity"]
    if event["company"] and event["entity"] == "company":
        return f"{label} {event['company']}"
    if event["company"]:
        return f"{label} ({event['company']})"
    return label
