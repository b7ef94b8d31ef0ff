"""Everything `dossier show company` shows: the company's own fields, then what each area adds.

It sits above the areas (records, selling, register), so the company record itself never
imports the modules that build on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dossier_cli.records import contacts, people
from dossier_cli.records.companies import branch_cities, company_record
from dossier_cli.register import lookups as register
from dossier_cli.selling import abc, pipeline, touches

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company

# Each takes (session, settings, company) and returns a dict of fields, in display order.
SECTIONS = (
    pipeline.company_pipeline_section,
    people.company_people_section,
    abc.company_summary,
    touches.company_section,
    contacts.company_section,
    register.company_section,
)


def company_details(session: Session, settings: Settings, company: Company) -> dict[str, Any]:
    record = company_record(company, branches=branch_cities(session, company.id))
    for section in SECTIONS:
        record.update(section(session, settings, company))
    return record
