"""Prospects from the register: firms that match where and whom we look for, not yet listed.

A firm matches when its region is one of the regions asked for, its head-office city one
of the cities, its main or an additional OKVED code lies under one of the codes asked for
(46.7 takes 46.71 and 46.72.1 too; a section letter takes its classes), its category one
of those asked for, and it entered the register on or after a date. A firm whose INN a
company in the database already has is left out: it is listed.

The quarterly plan's territories and markets may name regions (27, Хабаровский край) and
OKVED codes (46.7): `query_from_plan` reads them, and any other territory is taken as a
city. Markets that are not codes (food production) do not narrow the register search.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _
from dossier_cli.register import codes

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.register.store import Register

SOURCE = "tax register"


@dataclass
class ProspectQuery:
    regions: list[str] = field(default_factory=list)  # region codes
    cities: list[str] = field(default_factory=list)  # as typed
    okved: list[str] = field(default_factory=list)  # code prefixes (section letters expanded)
    categories: list[int] = field(default_factory=list)
    new_since: str | None = None  # ISO date

    def is_empty(self) -> bool:
        return not (self.regions or self.cities or self.okved)


def build_query(
    *,
    regions: list[str] | None = None,
    cities: list[str] | None = None,
    okved: list[str] | None = None,
    categories: list[str] | None = None,
    new_since: str | None = None,
) -> ProspectQuery:
    """A query from what a user typed; InvalidInput naming the bad value."""
    since = None
    if new_since:
        from dossier_cli.parsing import parse_date

        since = parse_date(new_since, field="--new-since").isoformat()
    return ProspectQuery(
        regions=sorted({codes.check_region(r) for r in regions or []}),
        cities=[c for c in (cities or []) if c.strip()],
        okved=codes.code_prefixes(okved or []),
        categories=sorted({codes.check_category(c) for c in categories or []}),
        new_since=since,
    )


def query_from_plan(plan_record: dict[str, Any]) -> ProspectQuery:
    """The register search a plan stands for: its territories as regions or cities, its markets as codes."""
    query = ProspectQuery()
    for territory in plan_record["territories"]:
        region = codes.region_code(territory)
        if region is not None:
            query.regions.append(region)
        else:
            query.cities.append(territory)
    market_codes = [m for m in plan_record["markets"] if codes.is_okved_code(m.replace(",", ".")) or (len(m.strip()) == 1 and m.strip().isalpha())]
    query.okved = codes.code_prefixes(market_codes) if market_codes else []
    query.regions.sort()
    return query


def plan_query(session: Session, quarter: str) -> tuple[str, ProspectQuery]:
    from dossier_cli.selling import plan

    found = plan.get_plan(session, quarter)
    record = plan.plan_record(found)
    query = query_from_plan(record)
    if not query.regions and not query.okved:
        raise InvalidInput(
            _("the plan for {quarter} names no region or OKVED code to search the tax register by").format(quarter=record["quarter"]),
            hint=_("e.g. dossier plan set {quarter} --territory 27 --market 46.7").format(quarter=record["quarter"]),
        )
    return record["quarter"], query


def _next(prefix: str) -> str:
    """The first string after every string starting with prefix (46.7 -> 46.8)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _in_list(name: str, values: list[Any], params: dict[str, Any]) -> str:
    keys = []
    for i, value in enumerate(values):
        params[f"{name}{i}"] = value
        keys.append(f":{name}{i}")
    return f"({', '.join(keys)})"


def _where(register: Register, query: ProspectQuery, params: dict[str, Any]) -> str:
    from dossier_cli.text import fold

    conditions: list[str] = []
    if query.okved:
        # Filed by region then code: one index range per region and code prefix. Without a
        # region, every region the register holds is listed, so the index still serves.
        regions = query.regions or sorted(register.meta.get("regions", "").split())
        region_list = _in_list("r", regions, params)
        parts = []
        for i, prefix in enumerate(query.okved):
            params[f"lo{i}"], params[f"hi{i}"] = prefix, _next(prefix)
            parts.append(f"SELECT firm_id FROM {{p}}activity WHERE region IN {region_list} AND code >= :lo{i} AND code < :hi{i}")
        conditions.append(f"f.id IN ({' UNION '.join(parts)})")
    elif query.regions:
        conditions.append(f"f.region IN {_in_list('r', query.regions, params)}")
    if query.cities:
        conditions.append(f"f.city_key IN {_in_list('c', sorted({fold(c) for c in query.cities}), params)}")
    if query.categories:
        conditions.append(f"f.category IN {_in_list('k', query.categories, params)}")
    if query.new_since:
        params["since"] = query.new_since
        conditions.append("f.included_on >= :since")
    return " AND ".join(conditions) or "1 = 1"


def _listed_inns(session: Session) -> set[str]:
    from sqlalchemy import text

    return {row[0] for row in session.execute(text("SELECT tax_number FROM company WHERE tax_number IS NOT NULL"))}


def find(session: Session, register: Register, query: ProspectQuery, *, limit: int = 50) -> list[dict[str, Any]]:
    """The matching register firms not yet in the database, by name (at most `limit`)."""
    from dossier_cli.register.lookups import firm_record
    from dossier_cli.register.store import FIRM_COLUMNS

    params: dict[str, Any] = {}
    where = _where(register, query, params)
    listed = _listed_inns(session)
    columns = ", ".join(f"f.{c}" for c in FIRM_COLUMNS)
    rows: list[dict[str, Any]] = []
    if limit <= 0:
        return rows
    names = register.okved_names()
    # Ids follow name order (see store._renumber_sql): reading in id order needs no sort and
    # stops after the first page.
    for row in register.rows(f"SELECT {columns} FROM {{p}}firm f WHERE {where} ORDER BY f.id", params):
        firm = dict(zip(FIRM_COLUMNS, row))
        if firm["inn"] in listed:
            continue
        rows.append(firm_record(register, firm, names))
        if len(rows) >= limit:
            break
    return rows


def count(session: Session, register: Register, query: ProspectQuery) -> int:
    """How many register firms match and are not yet in the database."""
    params: dict[str, Any] = {}
    where = _where(register, query, params)
    matching = register.scalar(f"SELECT count(*) FROM {{p}}firm f WHERE {where}", params)
    # Less those already listed: the database's INNs looked up in the register by the hundred.
    listed = sorted(_listed_inns(session))
    for start in range(0, len(listed), 500):
        chunk = dict(params)
        inns = _in_list("inn", listed[start : start + 500], chunk)
        matching -= register.scalar(f"SELECT count(*) FROM {{p}}firm f WHERE f.inn IN {inns} AND {where}", chunk)
    return matching


def add(session: Session, settings: Settings, records: list[dict[str, Any]]) -> dict[str, Any]:
    """List register firms as companies at the first stage, source "tax register", facts filled (audited).

    A firm whose name is that of a company already listed without an INN is not added: it is
    likely the same firm, typed in by hand. It is returned under "look_alikes" with that company.
    Otherwise two firms may share a name; their INNs tell them apart.
    """
    from sqlmodel import select

    from dossier_cli.models import Company
    from dossier_cli.records import companies
    from dossier_cli.register.lookups import company_facts
    from dossier_cli.text import company_key

    added: dict[str, Company] = {}
    look_alikes: dict[str, Company] = {}
    for record in records:
        same_name = session.exec(
            select(Company).where(Company.name_key == company_key(record["name"]), Company.tax_number.is_(None)).limit(1)  # type: ignore[union-attr]
        ).first()
        if same_name is not None:
            look_alikes[record["inn"]] = same_name
            continue
        fields: dict[str, Any] = {**company_facts(record), "source": SOURCE}
        added[record["inn"]] = companies.add_company(session, settings, name=record["name"], fields=fields, allow_duplicate=True)
    return {"added": added, "look_alikes": look_alikes}


def plan_matches(session: Session, settings: Settings, plan_record: dict[str, Any]) -> dict[str, Any] | None:
    """For `plan show`: how many unlisted register firms match the plan (None without a register or codes)."""
    from dossier_cli.register.store import open_register

    query = query_from_plan(plan_record)
    if not query.regions and not query.okved:
        return None
    with open_register(settings.database, session=session, required=False) as register:
        if register is None:
            return None
        return {"register_date": register.as_of, "unlisted": count(session, register, query)}
