"""Reading the audit trail back: `dossier audit`'s listing, filters and change lines.

Recording an event is dossier_cli/audit.py (low, needed by every write); this half looks
companies and people up, so it sits high, beside the other upkeep jobs.
"""

from __future__ import annotations

from dossier_cli.i18n import _

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session


def list_events(
    session: Session,
    *,
    company: str | None = None,
    person: str | None = None,
    user: str | None = None,
    since: date | str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Audit events, newest first, as plain records.

    `company` and `person` are references as a user types them (id, name, or a unique
    part of it); a removed company is still found by its id. `since` is a date (or
    its text, `YYYY-MM-DD`, `DD.MM.YYYY`, `today`…), from local midnight on.
    """
    from sqlmodel import select

    from dossier_cli.errors import InvalidInput
    from dossier_cli.models import AuditEvent, Company

    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    query = select(AuditEvent, Company.name).outerjoin(Company, Company.id == AuditEvent.company_id)  # type: ignore[arg-type]
    if company is not None:
        query = query.where(AuditEvent.company_id == _company_id(session, company))
    if person is not None:
        from dossier_cli.records.people import find_person

        found = find_person(session, person)
        query = query.where(AuditEvent.entity == "person", AuditEvent.entity_id == found.id)
    if user is not None:
        if not user.strip():
            raise InvalidInput(_("--user is empty; give a user name as `dossier audit` shows it"))
        query = query.where(AuditEvent.user == user.strip())
    if since is not None:
        query = query.where(AuditEvent.at >= _start_of(since))
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).offset(offset).limit(limit)  # type: ignore[attr-defined,union-attr]
    found = session.exec(query).all()
    named_then = _names_then(session, {event.company_id for event, _ in found if event.company_id is not None})
    return [
        event_record(event, company_name=named_then(event.company_id, event.id) or name) for event, name in found
    ]


def _names_then(session: Session, company_ids: set[int]) -> Any:
    """A function (company id, event id) -> the company's name when that event happened.

    The names come from the trail itself: the name a company was created with, each
    rename, the name it had when removed. An event shows its record as it was named
    then, not as it is named now (and a removed company keeps its last name).
    """
    from bisect import bisect_right

    from sqlmodel import select

    from dossier_cli.models import AuditEvent

    timeline: dict[int, list[tuple[int, str]]] = {}
    first_name: dict[int, str] = {}
    if company_ids:
        query = (
            select(AuditEvent)
            .where(AuditEvent.entity == "company", AuditEvent.entity_id.in_(company_ids))  # type: ignore[union-attr]
            .order_by(AuditEvent.id)
        )
        for event in session.exec(query):
            change = event_record(event)["changes"].get("name")
            if not change or event.entity_id is None:
                continue
            old, new = change.get("old"), change.get("new")
            if old and event.entity_id not in timeline:
                first_name.setdefault(event.entity_id, str(old))
            timeline.setdefault(event.entity_id, []).append((event.id, str(new or old)))

    def named_then(company_id: int | None, event_id: int) -> str | None:
        if company_id is None:
            return None
        names = timeline.get(company_id, [])
        at = bisect_right([event for event, _ in names], event_id)
        if at:
            return names[at - 1][1]
        return first_name.get(company_id)

    return named_then


def _company_id(session: Session, ref: str) -> int:
    """A company's id, also for one that has been removed (then only by its id)."""
    from sqlmodel import select

    from dossier_cli.records.companies import find_company
    from dossier_cli.errors import NotFound
    from dossier_cli.models import AuditEvent

    try:
        return int(find_company(session, ref).id)  # type: ignore[arg-type]
    except NotFound:
        from dossier_cli.text import as_record_id

        record_id = as_record_id(ref)
        if record_id is not None:
            known = session.exec(select(AuditEvent.id).where(AuditEvent.company_id == record_id).limit(1)).first()
            if known is not None:
                return record_id
        raise NotFound(
            _("no company matches '{ref}'").format(ref=ref),
            hint=_("a removed company is named by its id; see `dossier audit` for the ids"),
        ) from None


def _start_of(since: date | str) -> datetime:
    from datetime import time

    if isinstance(since, datetime):
        return since if since.tzinfo else since.astimezone()
    if isinstance(since, str):
        from dossier_cli.parsing import parse_date

        since = parse_date(since, field="--since date")
    # Midnight where the user is: "since today" means since this morning, not since UTC midnight.
    return datetime.combine(since, time.min).astimezone()


def event_record(event: Any, *, company_name: str | None = None) -> dict[str, Any]:
    """One event as plain data; `changes` maps each field to {"old": …, "new": …}."""
    try:
        raw = json.loads(event.changes_json or "{}")
    except ValueError:
        raw = {}
    changes = normalise_changes(event.action, raw if isinstance(raw, dict) else {})
    return {
        "id": event.id,
        "at": event.at,
        "user": event.user,
        "command": event.command,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "company_id": event.company_id,
        "company": company_name,
        "changes": changes,
    }


def normalise_changes(action: str, changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field -> {"old", "new"}, whatever shape the event was recorded in.

    `diff` gives [old, new] pairs; a `create` records the new values; a removal
    records a snapshot under "deleted" (the old values).
    """
    if set(changes) == {"deleted"} and isinstance(changes["deleted"], dict):
        return {key: {"old": value, "new": None} for key, value in changes["deleted"].items() if not _empty(value)}
    out: dict[str, dict[str, Any]] = {}
    for key, value in changes.items():
        if key in FACT_KEYS or action in FACT_ACTIONS:
            # What the command did or read (an import's counts and ignored columns, what a
            # merge moved), not a field going from one value to another.
            if not _empty(value):
                out[key] = {"old": None, "new": value, "fact": True}
        elif action != "create" and isinstance(value, list) and len(value) == 2:
            out[key] = {"old": value[0], "new": value[1]}
        elif not _empty(value):
            out[key] = {"old": None, "new": value}
    return out


# Keys of an event that record facts about the command, never a change [old, new].
FACT_KEYS = frozenset({
    "file", "dry_run", "rows", "created", "updated", "unchanged", "refused", "tables", "ignored_columns",
    "reject_file", "merged", "moved", "closed_next_steps", "by_touch", "links_closed", "roles", "until",
    "counts", "forced",
})
# Actions whose every key is such a fact.
FACT_ACTIONS = frozenset({"import"})


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def change_lines(changes: dict[str, dict[str, Any]]) -> list[str]:
    """`field: old → new` for each change (`field: new` when there was nothing before)."""

    def show(value: Any) -> str:
        if _empty(value):
            return "∅"
        if isinstance(value, dict):
            return ", ".join(f"{key} {show(item)}" for key, item in value.items() if not _empty(item)) or "∅"
        if isinstance(value, list):
            return ", ".join(show(v) for v in value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    lines = []
    for field, change in changes.items():
        old, new = change.get("old"), change.get("new")
        if change.get("fact"):
            lines.append(f"{field.replace('_', ' ')}: {show(new)}")
        elif _empty(old):
            lines.append(f"{field}: {show(new)}")
        else:
            lines.append(f"{field}: {show(old)} → {show(new)}")
    return lines
