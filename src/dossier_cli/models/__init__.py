"""All of dossier's tables: one module per area, loaded on first use.

Conventions: money in integer minor units (`*_minor`), timestamps in UTC
(`*_at`, timezone-aware, stored as UTC), calendar dates as dates (`*_on`).
`*_key` columns hold a normalised form of a name (case-folded, `ё`→`е`, quotes and
legal forms removed) so that matching and sorting behave the same for Cyrillic and
Latin on every backend. Lists are stored as JSON text.

The schema itself is created and upgraded by the Alembic migrations in
`dossier_cli/migrations`; these classes must agree with them (a test checks).

A command imports only the tables it names (`from dossier_cli.models import Sale`
loads the sales module and the company module its foreign key points to): building a
table class costs a few milliseconds, and a command that touches three tables should
not pay for sixteen. Code that walks every table (exports, merges, migrations) calls
`load_all()` first.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from dossier_cli.models._base import KeyText, Table, utcnow

if TYPE_CHECKING:
    from dossier_cli.models._company import Company, Branch, CompanyTag, CompanyNameBlock
    from dossier_cli.models._person import Person, PersonTag, ForgottenPerson
    from dossier_cli.models._links import PersonLink, ContactPoint
    from dossier_cli.models._pipeline import StageChange, LostDeal
    from dossier_cli.models._sales import Sale, Rating
    from dossier_cli.models._touch import Touch
    from dossier_cli.models._dossier import DossierAnswer, Gift
    from dossier_cli.models._plan import Plan
    from dossier_cli.models._audit import AuditEvent

# class name -> the module defining it
_WHERE: dict[str, str] = {
    "Company": "_company",
    "Branch": "_company",
    "CompanyTag": "_company",
    "CompanyNameBlock": "_company",
    "Person": "_person",
    "PersonTag": "_person",
    "ForgottenPerson": "_person",
    "PersonLink": "_links",
    "ContactPoint": "_links",
    "StageChange": "_pipeline",
    "LostDeal": "_pipeline",
    "Sale": "_sales",
    "Rating": "_sales",
    "Touch": "_touch",
    "DossierAnswer": "_dossier",
    "Gift": "_dossier",
    "Plan": "_plan",
    "AuditEvent": "_audit",
}

__all__ = ["KeyText", "Table", "load_all", "utcnow", *_WHERE]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'dossier_cli.models' has no attribute {name!r}")
    return getattr(import_module(f"dossier_cli.models.{module}"), name)


def load_all() -> None:
    """Register every table on SQLModel.metadata (for code that walks all of them)."""
    for module in dict.fromkeys(_WHERE.values()):
        import_module(f"dossier_cli.models.{module}")
