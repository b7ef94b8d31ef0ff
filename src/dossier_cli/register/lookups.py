"""A firm's facts from the loaded register, and filling a company's fields from them.

What the register gives a company: its name, legal form, tax number (INN) and OGRN, city,
region (as the company's territory), main activity (OKVED code and name, as its industry)
and, from the activity's section, the kind of activity (extraction, production, trade or
services). A company's existing fields are kept unless the caller asks to refresh them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dossier_cli.formatting import format_day
from dossier_cli.errors import InvalidInput, NotFound
from dossier_cli.i18n import _
from dossier_cli.register import codes

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company
    from dossier_cli.register.store import Register

# The company fields the register fills, in the order they are shown.
FILLED_FIELDS: tuple[str, ...] = ("legal_form", "tax_number", "ogrn", "city", "territory", "market", "activity")
_LEGAL_FORMS = (
    ("общество с ограниченной ответственностью", "ООО"),
    ("непубличное акционерное общество", "АО"),
    ("публичное акционерное общество", "ПАО"),
    ("акционерное общество", "АО"),
    ("производственный кооператив", "ПК"),
    ("потребительский кооператив", "ПК"),
    ("сельскохозяйственный", "СПК"),
    ("хозяйственное партнерство", "ХП"),
    ("полное товарищество", "ПТ"),
    ("товарищество на вере", "ТВ"),
)
_ACTIVITY_BY_SECTION = {"B": "extraction", "A": "production", "C": "production", "D": "production", "F": "production", "G": "trade"}


def check_inn(text: str) -> str:
    inn = "".join(text.split())
    if not inn.isdigit() or len(inn) not in (10, 12):
        raise InvalidInput(
            _("bad INN '{inn}'").format(inn=text), hint=_("an INN has 10 digits (a firm) or 12 (a sole trader)")
        )
    return inn


def section_of(code: str | None) -> str | None:
    if not code or not code[:2].isdigit():
        return None
    number = int(code[:2])
    for letter, low, high in codes._SECTIONS:
        if low <= number <= high:
            return letter
    return None


def legal_form(firm: dict[str, Any]) -> str:
    if firm["kind"] != 1:
        return "ИП"
    from dossier_cli.text import fold, legal_form_of

    written = legal_form_of(firm["name"])
    if written:
        return written.upper() if written.isalpha() else written
    full = fold(firm.get("full_name") or "")
    for words, short in _LEGAL_FORMS:
        if full.startswith(words) or words in full:
            return short
    return ""


def firm_record(register: Register, firm: dict[str, Any], names: dict[str, str] | None = None) -> dict[str, Any]:
    """A register firm as plain data for `register show`, prospects and JSON."""
    names = names if names is not None else register.okved_names()
    extra = (firm.get("extra") or "").split()
    return {
        "inn": firm["inn"],
        "name": firm["name"],
        "full_name": firm["full_name"],
        "kind": codes.KINDS.get(firm["kind"], str(firm["kind"])),
        "category": codes.CATEGORIES.get(firm["category"], str(firm["category"])),
        "ogrn": firm["ogrn"],
        "legal_form": legal_form(firm) or None,
        "region": firm["region"],
        "region_name": codes.region_name(firm["region"]) or firm["region_name"],
        "city": firm["city"],
        "okved": firm["okved"],
        "okved_name": codes.okved_name(firm["okved"], names) if firm["okved"] else None,
        "additional_okved": [codes.okved_label(code, names) for code in extra],
        "in_register_since": firm["included_on"],
        "newly_created": bool(firm["is_new"]),
        "register_date": register.as_of,
    }


def company_facts(record: dict[str, Any]) -> dict[str, str]:
    """The company fields a register record fills (only those it knows)."""
    facts: dict[str, str] = {
        "legal_form": record["legal_form"] or "",
        "tax_number": record["inn"],
        "ogrn": record["ogrn"] or "",
        "city": record["city"] or "",
        "territory": record["region_name"] or "",
        "market": f"{record['okved']} {record['okved_name']}".strip() if record["okved"] and record["okved_name"] else (record["okved"] or ""),
        "activity": _ACTIVITY_BY_SECTION.get(section_of(record["okved"]) or "", "services") if record["okved"] else "",
    }
    return {key: value for key, value in facts.items() if value}


def find_firm(register: Register, inn: str) -> dict[str, Any]:
    firm = register.firm_by_inn(check_inn(inn))
    if firm is None:
        raise NotFound(
            _("INN {inn} is not in the tax register of {date}").format(inn=inn, date=format_day(register.as_of)),
            hint=_("only small and medium businesses are in it; check the number"),
        )
    return firm


def show(database: str, inn: str, *, session: Session | None = None) -> dict[str, Any]:
    from dossier_cli.register.store import open_register

    with open_register(database, session=session) as register:
        assert register is not None
        return firm_record(register, find_firm(register, inn))


def facts_for_new_company(session: Session, settings: Settings, inn: str | None) -> tuple[str, dict[str, str]]:
    """`add company --inn N` without a name: the name and fields from the register."""
    if not inn:
        raise InvalidInput(
            _("give the company's name, or --inn to take it from the tax register"),
            hint=_('dossier add company "ООО «Ромашка»" or dossier add company --inn 2721000000'),
        )
    record = show(settings.database, inn, session=session)
    return record["name"], company_facts(record)


def fill_company(session: Session, settings: Settings, company: Company, *, refresh: bool = False) -> dict[str, Any]:
    """Fill a company's empty fields from the register entry for its INN (all of them with refresh).

    Returns {field: new value} for what changed; the change is audited like `edit company`.
    """
    from dossier_cli.records import companies

    if not company.tax_number:
        raise InvalidInput(
            _("company #{id} {name} has no INN").format(id=company.id, name=company.name),
            hint=_("set it first: dossier edit company {id} --inn …").format(id=company.id),
        )
    record = show(settings.database, company.tax_number, session=session)
    facts = company_facts(record)
    changes: dict[str, Any] = {}
    for field, value in facts.items():
        if field == "tax_number":
            continue
        current = getattr(company, field)
        if current in (None, "") or (refresh and current != value):
            changes[field] = value
    name = record["name"] if refresh and record["name"] != company.name else None
    if changes or name:
        companies.edit_company(session, settings, company, name=name, fields=changes, allow_duplicate=True)
    if name:
        changes = {"name": name, **changes}
    return changes


def company_section(session: Session, settings: Settings, company: Company) -> dict[str, Any]:
    """For `show company`: whether the company's INN is (still) in the loaded register."""
    if not company.tax_number:
        return {}
    from dossier_cli.register.store import open_register

    with open_register(settings.database, session=session, required=False) as register:
        if register is None:
            return {}
        firm = register.firm_by_inn(company.tax_number)
        if firm is None:
            return {
                "tax_register": _("no longer in the tax register of {date} (not a small or medium business now, or closed)").format(
                    date=format_day(register.as_of)
                )
            }
        category = codes.CATEGORIES.get(firm["category"], "")
        return {"tax_register": _("{category} business in the tax register of {date}").format(category=_(category) if category else "", date=format_day(register.as_of))}
