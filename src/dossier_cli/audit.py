"""The audit trail: every change appends one event (who, which command, what changed).

The CLI sets the actor once per command (`set_actor`); domain functions call
`record(...)` inside the same transaction as the change, so the event exists exactly
when the change does. Events are never updated or deleted by ordinary commands.

This is the recording half, low in the house: every write needs it, so it imports no
domain module. Reading the trail back (which looks records up) is upkeep/audit_trail.py.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass(frozen=True)
class Actor:
    user: str
    command: str


_actor: ContextVar[Actor] = ContextVar("dossier_actor", default=Actor(user="unknown", command=""))


def set_actor(user: str, command: str) -> None:
    _actor.set(Actor(user=user, command=command))


def current_user() -> str:
    return _actor.get().user


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field -> [old, new] for the fields that changed."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: int | None,
    company_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    from dossier_cli import deferred
    from dossier_cli.models import AuditEvent, utcnow

    actor = _actor.get()
    event = {
        "user": actor.user,
        "command": actor.command,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "company_id": company_id,
        "changes_json": json.dumps({k: _plain(v) for k, v in (changes or {}).items()}, ensure_ascii=False, default=str),
    }
    if deferred.collecting(session):  # a bulk import: written with its batch, one INSERT for all its events
        deferred.insert(session, AuditEvent.__table__, [{**event, "at": utcnow()}])  # type: ignore[attr-defined]
    else:
        session.add(AuditEvent(**event))
