"""Companies: prospects and clients, and how a user names one on the command line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from dossier_cli import audit, vocab
from dossier_cli.errors import Ambiguous, Conflict, InvalidInput, NotFound
from dossier_cli.i18n import _, N_
from dossier_cli.records.contacts import find_company_by_contact
from dossier_cli.text import visible_name, check_text, company_key, fold, legal_form_of

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company

ACTIVITIES: tuple[str, ...] = vocab.ACTIVITIES.values
STATUSES: tuple[str, ...] = ("active", "lost", "liquidated")

# Free-text fields from the seed's "About the company", in the order `show` prints them.
TEXT_FIELDS: tuple[str, ...] = (
    "legal_form",
    "tax_number",
    "kpp",
    "ogrn",
    "city",
    "territory",
    "market",
    "industry_needs",
    "strategy",
    "trend",
    "financial_standing",
    "supply_channels",
    "competitors",
    "payment_reputation",
    "notes",
)
# What a manager plans with (selling/forecast.py, selling/cadence.py): typed as shown, stored
# as deal_value_minor, close_by (the month's first day) and cadence_days.
DEAL_FIELDS: tuple[str, ...] = ("deal_value", "close_by", "cadence_days")
_KEYED_FIELDS = {"city": "city_key", "territory": "territory_key", "market": "market_key"}


@dataclass
class CompanyFilter:
    city: str | None = None
    market: str | None = None
    activity: str | None = None
    source: str | None = None
    territory: str | None = None
    stage: str | None = None
    status: str | None = "active"  # "all" for every status
    tags: tuple[str, ...] = ()
    company_ids: tuple[int, ...] | None = None  # set by callers that pre-select (ABC group, …)


# ---------------------------------------------------------------- validation
def normalise_activity(value: str) -> str:
    """A kind of activity named in either language (`торговля`, `trade`, `retail`)."""
    return vocab.ACTIVITIES.require(value, _("unknown activity '{value}'"))


def normalise_source(value: str, settings: Settings) -> str:
    """An information source as configured, named in either language (`выставка`, `exhibition`)."""
    source = vocab.SOURCES.resolve_configured(value, settings.sources)
    if source is not None:
        return source
    folded = fold(value)
    by_fold = {fold(source): source for source in settings.sources}
    # "chambers of commerce" is the same source as "chamber of commerce"
    singular = {_singular(key): source for key, source in by_fold.items()}
    if _singular(folded) in singular:
        return singular[_singular(folded)]
    names = {**by_fold, **{fold(vocab.SOURCES.label(s, "ru")): s for s in settings.sources}}
    close = difflib.get_close_matches(folded, list(names), n=3, cutoff=0.5)
    if close:
        suggestion = ", ".join(f"'{vocab.SOURCES.label(names[c])}'" for c in close)
    else:
        suggestion = _("see `dossier config show`")
    raise InvalidInput(
        _("unknown information source '{value}'").format(value=value),
        hint=_("did you mean {suggestion}? Add your own under 'sources:' in the config file").format(suggestion=suggestion),
    )


def _singular(text: str) -> str:
    return " ".join(word[:-1] if word.endswith("s") and len(word) > 3 else word for word in text.split())


def check_stage(value: str, settings: Settings) -> str:
    """A stage as configured, named in either language (`переговоры`, `negotiating`)."""
    if value in settings.stages:
        return value
    stage = vocab.STAGES.resolve_configured(value, settings.stages)
    if stage is not None:
        return stage
    raise InvalidInput(
        _("unknown stage '{value}'").format(value=value),
        hint=_("stages are: {stages}").format(stages=" → ".join(vocab.STAGES.label(s) for s in settings.stages)),
    )


def check_status(value: str) -> str:
    folded = fold(value)
    if folded in (*STATUSES, "all"):
        return folded
    raise InvalidInput(_("unknown status '{value}'").format(value=value), hint=_("choose active, lost, liquidated or all"))


def _clean_name(name: str) -> str:
    name = " ".join(visible_name(check_text(name, field=N_("company name"), max_length=500)).split())
    if not name:
        raise InvalidInput(_("the company name is empty; give the name in quotes"))
    return name


def _clean_fields(values: dict[str, Any], settings: Settings) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key == "activity":
            cleaned[key] = normalise_activity(value) if value != "" else None
        elif key == "source":
            cleaned[key] = normalise_source(value, settings) if value != "" else None
        elif key == "founded":
            from dossier_cli.parsing import parse_year

            cleaned[key] = parse_year(value, field=N_("founding year")) if value != "" else None
        elif key in ("tax_number", "kpp", "ogrn"):
            from dossier_cli.records.contacts import clean_registration_field

            cleaned[key] = clean_registration_field(key, str(value)) if str(value).strip() else None
        elif key in TEXT_FIELDS:
            text = check_text(str(value), field=key.replace("_", " ")).strip()
            cleaned[key] = text or None
        elif key in DEAL_FIELDS:
            cleaned.update(clean_deal_fields({key: value}))
        else:
            raise InvalidInput(_("unknown company field '{key}'").format(key=key))
    for key, key_column in _KEYED_FIELDS.items():
        if key in cleaned:
            cleaned[key_column] = fold(cleaned[key]) if cleaned[key] else None
    return cleaned


def clean_company_name(name: str) -> str:
    """A company name as `add company` accepts it (spaces collapsed), or InvalidInput."""
    return _clean_name(name)


def clean_company_fields(values: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Company fields validated as `add company` does (activity, source, founded, text), with their *_key columns."""
    return _clean_fields(values, settings)


def _refuse_duplicate(session: Session, name_key: str, *, exclude_id: int | None = None) -> None:
    from dossier_cli.models import Company
    from dossier_cli.records.finding import other_holder

    existing = other_holder(session, Company, Company.name_key, name_key, exclude_id=exclude_id)
    if existing is not None:
        raise Conflict(
            _("a company with this name already exists: #{id} {name}").format(id=existing.id, name=existing.name),
            hint=_("use --allow-duplicate if they really are different firms"),
        )


def clean_deal_fields(values: dict[str, Any]) -> dict[str, Any]:
    """`deal_value`, `close_by`, `cadence_days` as typed -> the company's columns; "" clears one."""
    from dossier_cli.parsing import parse_amount, parse_cadence, parse_month

    cleaned: dict[str, Any] = {}
    if values.get("deal_value") is not None:
        text = str(values["deal_value"])
        cleaned["deal_value_minor"] = parse_amount(text, field=N_("deal value")) if text.strip() else None
    if values.get("close_by") is not None:
        text = str(values["close_by"])
        cleaned["close_by"] = parse_month(text, field=N_("close-by month")) if text.strip() else None
    if values.get("cadence_days") is not None:
        text = str(values["cadence_days"])
        cleaned["cadence_days"] = parse_cadence(text, field=N_("cadence")) if text.strip() else None
    return cleaned


def deal_record(company: Any) -> dict[str, Any]:
    """The deal fields of a company as plain data (for `show company` and exports)."""
    from dossier_cli.parsing import format_amount

    value = company.deal_value_minor
    return {
        "deal_value": format_amount(value) if value is not None else None,
        "close_by": company.close_by.strftime("%Y-%m") if company.close_by else None,
        "every_days": company.cadence_days,
    }


# ---------------------------------------------------------------- create / change
def add_companies(session: Session, settings: Settings, companies: list[dict[str, Any]], *, note: str = "listed") -> list[int]:
    """Write new companies already checked (the bulk form `add_company` and the import share); their ids.

    Each item: `name`, `name_key`, `search_key`, `fields` (cleaned), and optionally `stage`,
    `listed_on`, `branches` (cleaned), `tags` (cleaned), `contacts` [(kind, normalised value)].
    Each company gets its first stage (dated `listed_on`), its branches, tags, contact points
    and its entries in the look-alike name index, in a few batched statements.
    """
    from dossier_cli.inserts import DriverInsert
    from dossier_cli.models import Branch, Company, CompanyTag, ContactPoint, StageChange, utcnow
    from dossier_cli.records.name_index import index_company_names

    if not companies:
        return []
    conn = session.connection()
    session.flush()
    table = Company.__table__
    first_stage = settings.stages[0]
    blank = Company(name="", name_key="", search_key="", stage=first_stage)  # the model's defaults
    now, today, user = utcnow(), date.today(), audit.current_user()
    defaults = {column.name: getattr(blank, column.name) for column in table.c if column.name != "id"}
    defaults["created_at"] = defaults["updated_at"] = now
    # The columns a company of the batch has a value for: the rest are left to be NULL (the
    # driver binds a NULL far more slowly than a value; 16 of a company's 35 columns are often empty).
    given = {"legal_form", "name", "name_key", "search_key", "stage", "listed_on"}
    for item in companies:
        given.update(item["fields"])
    names = tuple(name for name, value in defaults.items()
                  if value is not None or name in given or table.c[name].server_default is not None)
    insert = DriverInsert(conn, table, names)
    # Each row is built as the driver takes it, a tuple in the columns' order: the defaults, the
    # checked fields over them, then what every new company gets.
    at = {name: index for index, name in enumerate(names)}
    template = [defaults[name] for name in names]
    legal_at, stage_at, listed_at = at["legal_form"], at["stage"], at["listed_on"]
    name_at, name_key_at, search_key_at = at["name"], at["name_key"], at["search_key"]
    rows = []
    for item in companies:
        row = template.copy()
        for key, value in item["fields"].items():
            row[at[key]] = value
        if not row[legal_at]:
            row[legal_at] = legal_form_of(item["name"])
        row[name_at], row[name_key_at], row[search_key_at] = item["name"], item["name_key"], item["search_key"]
        row[stage_at] = item.get("stage") or first_stage
        row[listed_at] = item.get("listed_on") or today
        rows.append(tuple(row))
    ids = insert.returning_ids(rows, check="name_key")
    index_company_names(session, [(company_id, item["name_key"]) for company_id, item in zip(ids, companies)], replace=False)
    stages, branches, tags, points = [], [], [], []
    for company_id, item, row in zip(ids, companies, rows):
        stages.append((company_id, row[stage_at], row[listed_at], note, user, now))
        if item.get("branches"):
            branches += [{"company_id": company_id, "city": city} for city in _clean_branches(item["branches"])]
        if item.get("tags"):
            tags += [{"company_id": company_id, "tag": tag} for tag in sorted(set(item["tags"]))]
        if item.get("contacts"):
            points += [{"kind": kind, "value": value, "company_id": company_id, "person_id": None, "created_at": now}
                       for kind, value in dict.fromkeys(item["contacts"])]
    # The first stage comes from none (from_stage is left NULL).
    DriverInsert(conn, StageChange.__table__, ("company_id", "to_stage", "changed_on", "note", "user", "created_at")).execute(stages)
    for model, values in ((Branch, branches), (CompanyTag, tags), (ContactPoint, points)):
        if values:
            conn.execute(model.__table__.insert(), values)
    return ids


def add_company(
    session: Session,
    settings: Settings,
    *,
    name: str,
    fields: dict[str, Any] | None = None,
    branches: list[str] | None = None,
    stage: str | None = None,
    listed_on: date | None = None,
    allow_duplicate: bool = False,
    contacts: dict[str, list[str]] | None = None,
    tags: list[str] | None = None,
) -> Company:
    """`contacts` maps "phone"/"email"/"website" to values in any format (see contacts.py).

    Checks everything, then writes with `add_companies` (the bulk form the import uses)."""
    from dossier_cli.records import contacts as contact_points
    from dossier_cli.models import Company

    name = _clean_name(name)
    values = _clean_fields(dict(fields or {}), settings)
    contact_points.refuse_taken_tax_number(session, values.get("tax_number"))
    key = company_key(name)
    if not allow_duplicate:
        _refuse_duplicate(session, key)
    first_stage = check_stage(stage, settings) if stage else settings.stages[0]
    points = contact_points.check_contacts(session, settings, contacts)
    cleaned_tags = sorted({contact_points.clean_tag(tag) for tag in tags or []})
    [company_id] = add_companies(session, settings, [{
        "name": name, "name_key": key, "search_key": fold(name), "fields": values, "stage": first_stage,
        "listed_on": listed_on, "branches": branches, "tags": cleaned_tags, "contacts": points,
    }])
    company = session.get(Company, company_id)
    assert company is not None
    extra: dict[str, Any] = {}
    for kind, value in points:
        extra.setdefault(contact_points.PLURALS[kind], []).append(contact_points.display(kind, value))
    if cleaned_tags:
        extra["tags_added"] = cleaned_tags
    audit.record(
        session,
        action="create",
        entity="company",
        entity_id=company.id,
        company_id=company.id,
        changes={k: v for k, v in {**company_record(company), **extra}.items() if v not in (None, [], "")},
    )
    session.flush()
    return company


def _clean_branches(branches: list[str] | None) -> list[str]:
    cleaned: list[str] = []
    for city in branches or []:
        city = " ".join(check_text(city, field=N_("branch"), max_length=200).split())
        if city and fold(city) not in {fold(c) for c in cleaned}:
            cleaned.append(city)
    return cleaned


def edit_company(
    session: Session,
    settings: Settings,
    company: Company,
    *,
    name: str | None = None,
    fields: dict[str, Any] | None = None,
    add_branches: list[str] | None = None,
    remove_branches: list[str] | None = None,
    allow_duplicate: bool = False,
    add_contacts: dict[str, list[str]] | None = None,
    remove_contacts: dict[str, list[str]] | None = None,
    add_tags: list[str] | None = None,
    remove_tags: list[str] | None = None,
    listed_on: date | None = None,
) -> Company:
    from sqlmodel import select

    from dossier_cli.records import contacts as contact_points
    from dossier_cli.models import Branch, utcnow

    before = company_record(company, branches=branch_cities(session, company.id))
    before.update(contact_points.company_section(session, settings, company))
    if name is not None:
        name = _clean_name(name)
        key = company_key(name)
        if not allow_duplicate and key != company.name_key:
            _refuse_duplicate(session, key, exclude_id=company.id)
        if key != company.name_key:
            from dossier_cli.records.name_index import index_company_names

            index_company_names(session, [(company.id, key)])
        company.name, company.name_key, company.search_key = name, key, fold(name)
    if listed_on is not None:
        from dossier_cli.records.history import move_listing

        move_listing(session, company, listed_on)
    cleaned = _clean_fields(dict(fields or {}), settings)
    contact_points.refuse_taken_tax_number(session, cleaned.get("tax_number"), exclude_id=company.id)
    for field, value in cleaned.items():
        setattr(company, field, value)
    for field, value in (fields or {}).items():
        if value == "" and field in (*TEXT_FIELDS, "activity", "source", "founded"):
            setattr(company, field, None)  # an empty value clears the field
            if field in _KEYED_FIELDS:
                setattr(company, _KEYED_FIELDS[field], None)
    existing = {fold(b.city): b for b in session.exec(select(Branch).where(Branch.company_id == company.id))}
    for city in _clean_branches(add_branches):
        if fold(city) not in existing:
            branch = Branch(company_id=company.id, city=city)
            session.add(branch)
            existing[fold(city)] = branch
    for city in remove_branches or []:
        branch = existing.pop(fold(city), None)
        if branch is None:
            raise NotFound(_("company '{name}' has no branch in '{city}'").format(name=company.name, city=city))
        session.delete(branch)
    contact_points.remove_contacts(session, settings, company=company, values=remove_contacts)
    contact_points.add_contacts(session, settings, company=company, values=add_contacts)
    contact_points.change_tags(session, company=company, add=add_tags, remove=remove_tags)
    company.updated_at = utcnow()
    session.add(company)
    session.flush()
    after = company_record(company, branches=branch_cities(session, company.id))
    after.update(contact_points.company_section(session, settings, company))
    changes = audit.diff(before, after)
    if changes:
        audit.record(session, action="update", entity="company", entity_id=company.id, company_id=company.id, changes=changes)
    return company


def remove_company(session: Session, company: Company) -> None:
    snapshot = company_record(company, branches=branch_cities(session, company.id))
    audit.record(session, action="delete", entity="company", entity_id=company.id, company_id=company.id, changes={"deleted": snapshot})
    session.delete(company)
    session.flush()


# ---------------------------------------------------------------- finding
def find_company(session: Session, ref: str) -> Company:
    """A company by id, exact name, or a unique case-insensitive part of its name; a tax number,
    phone, e-mail or website names one company before any name matching."""
    from dossier_cli.models import Company
    from dossier_cli.records.finding import find_record

    def exact(ref: str) -> list[tuple[Any, str]]:
        key = company_key(ref)
        return [(Company.search_key, fold(ref))] + ([(Company.name_key, key)] if key else [])

    return find_record(
        session, Company, ref, field=N_("company reference"),
        empty=_("no company given; name it by id, name or part of its name"),
        by_contact=find_company_by_contact, exact=exact, part=lambda ref: (Company.search_key, fold(ref)),
        not_found=lambda ref: NotFound(_("no company matches '{ref}'").format(ref=ref), hint=_("see `dossier list companies`")),
        several=lambda ref, names, more: Ambiguous(
            _("'{ref}' matches several companies: {items}{more}").format(ref=ref, items="; ".join(names), more=more),
            candidates=names, hint=_("name it by id or by its full name"),
        ),
    )


def list_companies(session: Session, settings: Settings, filters: CompanyFilter, *, limit: int = 50, offset: int = 0) -> list[Company]:
    from sqlmodel import select

    from dossier_cli.models import Company, CompanyTag

    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    query = select(Company)
    if filters.status and check_status(filters.status) != "all":
        query = query.where(Company.status == check_status(filters.status))
    if filters.city:
        query = query.where(Company.city_key == fold(filters.city))
    if filters.territory:
        query = query.where(Company.territory_key == fold(filters.territory))
    if filters.market:
        query = query.where(Company.market_key == fold(filters.market))
    if filters.activity:
        query = query.where(Company.activity == normalise_activity(filters.activity))
    if filters.source:
        query = query.where(Company.source == normalise_source(filters.source, settings))
    if filters.stage:
        query = query.where(Company.stage == check_stage(filters.stage, settings))
    for tag in filters.tags:
        query = query.where(
            Company.id.in_(select(CompanyTag.company_id).where(CompanyTag.tag == fold(tag)))  # type: ignore[union-attr]
        )
    if filters.company_ids is not None:
        query = query.where(Company.id.in_(filters.company_ids))  # type: ignore[union-attr]
    query = query.order_by(Company.name_key, Company.id).offset(offset).limit(limit)
    return list(session.exec(query).all())


def branch_cities(session: Session, company_id: int | None) -> list[str]:
    from sqlmodel import select

    from dossier_cli.models import Branch

    return [b.city for b in session.exec(select(Branch).where(Branch.company_id == company_id).order_by(Branch.id))]


def branches_for(session: Session, company_ids: list[int]) -> dict[int, list[str]]:
    from sqlmodel import select

    from dossier_cli.models import Branch

    result: dict[int, list[str]] = {cid: [] for cid in company_ids}
    if company_ids:
        for branch in session.exec(select(Branch).where(Branch.company_id.in_(company_ids)).order_by(Branch.id)):  # type: ignore[union-attr]
            result[branch.company_id].append(branch.city)
    return result


def list_company_records(
    session: Session, settings: Settings, filters: CompanyFilter, *, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    found = list_companies(session, settings, filters, limit=limit, offset=offset)
    branches = branches_for(session, [c.id for c in found if c.id is not None])
    return [company_record(c, branches=branches.get(c.id or 0, [])) for c in found]


def company_record(company: Company, *, branches: list[str] | None = None) -> dict[str, Any]:
    """A company as plain data, the same for a table, JSON and CSV."""
    record: dict[str, Any] = {"id": company.id, "name": company.name}
    for field in TEXT_FIELDS:
        record[field] = getattr(company, field)
        if field == "city":
            record["branches"] = list(branches or [])
    record["activity"] = company.activity
    record["source"] = company.source
    record["founded"] = company.founded
    record["stage"] = company.stage
    record["status"] = company.status
    record["listed_on"] = company.listed_on.isoformat() if company.listed_on else None
    record["liquidated_on"] = company.liquidated_on.isoformat() if company.liquidated_on else None
    record.update(deal_record(company))
    return record
