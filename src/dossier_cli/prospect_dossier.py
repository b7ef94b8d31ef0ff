"""The prospect dossier: what to know before first contact.

Work in progress (issue 4): the checklist template, filling, completeness against the
A group. `require_dossier_ready` is the hook `promote` calls before a company moves into
the first-contact stage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company


def require_dossier_ready(session: Session, settings: Settings, company: Company, *, to_stage: str, force: bool) -> None:
    """Raise Conflict when `company` may not yet move to `to_stage` (dossier below threshold)."""
    return None
