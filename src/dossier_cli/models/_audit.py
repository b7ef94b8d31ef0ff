"""The audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field

from dossier_cli.models._base import Table, utcnow


class AuditEvent(Table, table=True):
    """Append-only: ordinary commands never update or delete these rows."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_entity", "entity", "entity_id"),
        Index("ix_audit_company", "company_id", "at"),
        Index("ix_audit_at", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    user: str | None = None
    command: str | None = None
    action: str  # create|update|delete|promote|liquidate|import|erase|merge|…
    entity: str  # company|person|sale|touch|…
    entity_id: int | None = None
    company_id: int | None = None
    changes_json: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
