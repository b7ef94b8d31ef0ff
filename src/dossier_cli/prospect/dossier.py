"""The prospect dossier: what to know about a company before first contact.

The dossier is defined by a YAML template (shipped in English and Russian, or the
user's own): three parts, each a list of items with a key, a label, a hint and a kind.
Items that are facts the company or the person already carries (`field:`) are read and
written there; the others are `DossierAnswer` rows, whose earlier values stay as
history. Items of a `per_person` part are answered once for each person linked to the
company.

Completeness is the share of answered items (a stale answer still counts, but is
flagged). The seed: about a prospect we must know almost as much as about a group-A
customer, so a company is ready for first contact when its completeness reaches the
threshold: `dossier.threshold` in the config, else the A group's average, else 70%.
`require_dossier_ready` is the hook `promote` calls before a company moves into the
first-contact stage.
"""

from __future__ import annotations

import difflib
import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossier_cli import audit
from dossier_cli.errors import ConfigError, Conflict, InvalidInput
from dossier_cli.text import check_text, fold, person_key

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, Gift, Person

KINDS: tuple[str, ...] = ("text", "list", "choice", "number", "money", "date", "person")
# Company columns a template item may stand for, with the kind the item must have.
COMPANY_FIELDS: dict[str, str] = {
    "name": "text",
    "city": "text",
    "branches": "list",
    "territory": "text",
    "market": "text",
    "industry_needs": "text",
    "activity": "choice",
    "source": "choice",
    "founded": "number",
    "strategy": "text",
    "trend": "text",
    "financial_standing": "text",
    "supply_channels": "text",
    "competitors": "text",
    "payment_reputation": "text",
    "notes": "text",
}
PERSON_FIELDS: dict[str, str] = {"personality_type": "text", "role": "choice"}
BUYING_ROLES: tuple[str, ...] = ("economic-buyer", "technical-buyer", "user", "coach")
DEFAULT_THRESHOLD = 70.0
MARKS = {"answered": "[x]", "missing": "[ ]", "stale": "[~]"}
_RESERVED_KEYS = ("people",)
_CHUNK = 5000  # ids per IN list: well under SQLite's and PostgreSQL's parameter limits


# ---------------------------------------------------------------- the template
@dataclass(frozen=True)
class Item:
    key: str
    label: str
    hint: str
    kind: str
    part: str
    per_person: bool
    options: tuple[str, ...] = ()
    options_from: str | None = None
    field: str | None = None
    important: bool = False


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    per_person: bool
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Template:
    path: str
    language: str
    title: str
    parts: tuple[Part, ...]

    def items(self, *, per_person: bool) -> dict[str, Item]:
        return {item.key: item for part in self.parts if part.per_person == per_person for item in part.items}


def template_path(settings: Settings) -> Path:
    if settings.dossier_template:
        return Path(settings.dossier_template).expanduser()
    language = settings.language if settings.language in ("en", "ru") else "en"
    return Path(str(resources.files("dossier_cli") / "data" / f"dossier_template.{language}.yaml"))


def load_template(settings: Settings) -> Template:
    """The dossier template in force; a malformed one is one ConfigError naming file, item and problem."""
    import yaml

    path = template_path(settings)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"dossier template {path}: no such file", hint="fix `dossier.template` in the config file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"dossier template {path}: not valid UTF-8; save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"dossier template {path}: cannot read it ({exc.strerror})") from None
    try:
        # libyaml's safe loader when PyYAML has it: the same data, ten times faster (this
        # runs on every checklist, ready and promote).
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"dossier template {path}: not valid YAML{where}") from None
    return _validate_template(path, raw)


def _validate_template(path: Path, raw: Any) -> Template:
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

    class ItemSpec(BaseModel):
        model_config = ConfigDict(extra="forbid")
        key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
        label: str = Field(min_length=1)
        hint: str = ""
        kind: Literal["text", "list", "choice", "number", "money", "date", "person"]
        options: list[str] | None = None
        options_from: Literal["sources"] | None = None
        field: str | None = None
        important: bool = False

        @model_validator(mode="after")
        def _consistent(self) -> ItemSpec:
            if self.key in _RESERVED_KEYS:
                raise ValueError(f"the key '{self.key}' is reserved")
            if self.kind != "choice" and (self.options or self.options_from):
                raise ValueError("only a choice item has options")
            if self.kind == "choice" and not (self.options or self.options_from or self.field in ("activity", "role")):
                raise ValueError("a choice item needs options")
            if self.options is not None and len({fold(o) for o in self.options}) != len(self.options):
                raise ValueError("an option appears twice")
            return self

    class PartSpec(BaseModel):
        model_config = ConfigDict(extra="forbid")
        key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
        title: str = Field(min_length=1)
        per_person: bool = False
        items: list[ItemSpec] = Field(min_length=1)

        @model_validator(mode="after")
        def _fields_known(self) -> PartSpec:
            known = PERSON_FIELDS if self.per_person else COMPANY_FIELDS
            for item in self.items:
                if item.field is None:
                    continue
                if item.field not in known:
                    scope = "a person" if self.per_person else "the company"
                    raise ValueError(f"item '{item.key}': '{item.field}' is not a field of {scope} (known: {', '.join(known)})")
                if known[item.field] != item.kind:
                    raise ValueError(f"item '{item.key}': field '{item.field}' needs kind '{known[item.field]}'")
            return self

    class TemplateSpec(BaseModel):
        model_config = ConfigDict(extra="forbid")
        language: str | None = None
        title: str = "The prospect dossier"
        parts: list[PartSpec] = Field(min_length=1)

        @model_validator(mode="after")
        def _unique(self) -> TemplateSpec:
            for per_person in (False, True):
                seen: set[str] = set()
                fields: set[str] = set()
                for part in self.parts:
                    if part.per_person != per_person:
                        continue
                    for item in part.items:
                        if item.key in seen:
                            raise ValueError(f"item '{item.key}' appears twice")
                        seen.add(item.key)
                        if item.field and item.field in fields:
                            raise ValueError(f"item '{item.key}': field '{item.field}' is used by two items")
                        if item.field:
                            fields.add(item.field)
            if len({p.key for p in self.parts}) != len(self.parts):
                raise ValueError("two parts have the same key")
            return self

    if not isinstance(raw, dict):
        raise ConfigError(f"dossier template {path}: expected a mapping with 'parts' at the top level")
    try:
        spec = TemplateSpec.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _template_location(raw, first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = f"unknown key '{first['loc'][-1]}'"
        elif first["type"] == "missing":
            message = f"'{first['loc'][-1]}' is missing"
        raise ConfigError(f"dossier template {path}: {where}: {message}") from None
    parts = tuple(
        Part(
            key=part.key,
            title=part.title,
            per_person=part.per_person,
            items=tuple(
                Item(
                    key=item.key,
                    label=item.label,
                    hint=item.hint,
                    kind=item.kind,
                    part=part.key,
                    per_person=part.per_person,
                    options=tuple(item.options or ()),
                    options_from=item.options_from,
                    field=item.field,
                    important=item.important,
                )
                for item in part.items
            ),
        )
        for part in spec.parts
    )
    return Template(path=str(path), language=spec.language or "", title=spec.title, parts=parts)


def _template_location(raw: Any, loc: tuple[Any, ...]) -> str:
    """'item 'founded' (parts[0].items[7], kind)' for a pydantic error location."""
    dotted = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "(top level)"
    if len(loc) >= 4 and loc[0] == "parts" and loc[2] == "items":
        try:
            key = raw["parts"][loc[1]]["items"][loc[3]].get("key")
        except (KeyError, IndexError, TypeError, AttributeError):
            key = None
        return f"item '{key}' ({dotted})" if key else f"item {dotted}"
    if len(loc) >= 2 and loc[0] == "parts":
        try:
            key = raw["parts"][loc[1]].get("key")
        except (KeyError, IndexError, TypeError, AttributeError):
            key = None
        return f"part '{key}' ({dotted})" if key else f"part {dotted}"
    return dotted


def item_choices(item: Item, settings: Settings) -> tuple[str, ...]:
    if item.options:
        return item.options
    if item.options_from == "sources" or item.field == "source":
        return tuple(settings.sources)
    if item.field == "activity":
        from dossier_cli.records.companies import ACTIVITIES

        return ACTIVITIES
    if item.field == "role":
        from dossier_cli.records.people import ROLES

        return ROLES
    return ()


# ---------------------------------------------------------------- people at the company
def linked_people(session: Session, company: Company) -> list[Person]:
    """People with an active link to the company, in the order they were linked."""
    from sqlmodel import select

    from dossier_cli.models import Person, PersonLink

    rows = session.exec(
        select(Person, PersonLink.id)
        .join(PersonLink, PersonLink.person_id == Person.id)
        .where(PersonLink.company_id == company.id, PersonLink.active == True)  # noqa: E712
        .order_by(PersonLink.id)
    ).all()
    seen: dict[int, Person] = {}
    for person, _ in rows:
        seen.setdefault(person.id, person)
    return list(seen.values())


def _roles_of(session: Session, company: Company) -> dict[int, list[str]]:
    from sqlmodel import select

    from dossier_cli.models import PersonLink

    roles: dict[int, list[str]] = {}
    for link in session.exec(
        select(PersonLink)
        .where(PersonLink.company_id == company.id, PersonLink.active == True)  # noqa: E712
        .order_by(PersonLink.id)
    ):
        roles.setdefault(link.person_id, []).append(link.role)
    return roles


def linked_person(session: Session, company: Company, ref: str) -> Person:
    """A person linked to `company`, named as `people.find_person` allows."""
    from dossier_cli.records import people

    linked = linked_people(session, company)
    wanted = ref.strip()
    if wanted.isdigit():
        for person in linked:
            if str(person.id) == wanted:
                return person
    same_name = [p for p in linked if p.name_key == person_key(wanted)]
    if len(same_name) == 1:
        return same_name[0]
    person = people.find_person(session, wanted)
    if person.id not in {p.id for p in linked}:
        raise InvalidInput(
            f"{person.name} is not linked to {company.name}",
            hint=f"link them first: dossier link person \"{person.name}\" \"{company.name}\" --role economic-buyer",
        )
    return person


# ---------------------------------------------------------------- values
def parse_value(session: Session, settings: Settings, company: Company, item: Item, raw: Any) -> Any:
    """A user's answer as stored (JSON-ready), or None to clear; InvalidInput when it does not fit."""
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None
    kind = item.kind
    if isinstance(raw, bool) or isinstance(raw, dict) or (isinstance(raw, list) and kind != "list"):
        raise InvalidInput(f"expected {_kind_words(item)}, got {_type_words(raw)}")
    if kind == "text":
        if isinstance(raw, (date, datetime)):
            raw = raw.isoformat()
        text = check_text(str(raw), field=item.key).strip()
        if item.field == "name":
            text = " ".join(text.split())
        return text or None
    if kind == "list":
        values = raw if isinstance(raw, list) else re.split(r"[;\n]", str(raw))
        cleaned: list[str] = []
        for value in values:
            if isinstance(value, (dict, list, bool)) or value is None:
                raise InvalidInput(f"expected {_kind_words(item)}, got a list holding {_type_words(value)}")
            text = check_text(str(value), field=item.key).strip()
            if text and fold(text) not in {fold(c) for c in cleaned}:
                cleaned.append(text)
        return cleaned or None
    if kind == "choice":
        return _parse_choice(settings, item, str(raw))
    if kind == "number":
        if item.field == "founded":
            from dossier_cli.parsing import parse_year

            return parse_year(raw, field="founding year")
        return _parse_number(raw)
    if kind == "money":
        from dossier_cli.parsing import parse_amount

        return parse_amount(str(raw), field="amount")
    if kind == "date":
        if isinstance(raw, datetime):
            return raw.date().isoformat()
        if isinstance(raw, date):
            return raw.isoformat()
        from dossier_cli.parsing import parse_date

        return parse_date(str(raw)).isoformat()
    if kind == "person":
        person = linked_person(session, company, str(raw))
        return {"id": person.id, "name": person.name}
    raise InvalidInput(f"unknown kind '{kind}'")  # pragma: no cover - the template forbids it


def _parse_choice(settings: Settings, item: Item, raw: str) -> str:
    if item.field == "activity":
        from dossier_cli.records.companies import normalise_activity

        return normalise_activity(raw)
    if item.field == "source" or item.options_from == "sources":
        from dossier_cli.records.companies import normalise_source

        return normalise_source(raw, settings)
    if item.field == "role":
        from dossier_cli.records.people import normalise_role

        return normalise_role(raw)
    by_fold = {fold(option): option for option in item.options}
    if fold(raw) in by_fold:
        return by_fold[fold(raw)]
    raise InvalidInput(f"'{raw}' is not one of the choices", hint=f"choose one of: {', '.join(item.options)}")


def _parse_number(raw: Any) -> int | float:
    if isinstance(raw, (int, float)):
        return raw
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise InvalidInput(f"expected a number, got '{raw}'") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidInput(f"expected a number, got '{raw}'")
    return number


def _kind_words(item: Item) -> str:
    return {
        "text": "text",
        "list": "a list (one value per line, or separated by ';')",
        "choice": "one of the choices",
        "number": "a number",
        "money": "an amount of money",
        "date": "a date",
        "person": "a person's name",
    }[item.kind]


def _type_words(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return "a value"


def display_value(item: Item, value: Any, *, currency: str = "") -> str:
    """An answer as a person reads it."""
    if value is None:
        return ""
    if item.kind == "list":
        return "; ".join(str(v) for v in value)
    if item.kind == "money":
        from dossier_cli.parsing import format_amount

        return f"{format_amount(int(value))} {currency}".strip()
    if item.kind == "person":
        return str(value.get("name", "")) if isinstance(value, dict) else str(value)
    return str(value)


def input_value(item: Item, value: Any) -> Any:
    """An answer in the form a user would type it back (for the editor document)."""
    if value is None:
        return None
    if item.kind == "money":
        from dossier_cli.parsing import format_amount

        return format_amount(int(value))
    if item.kind == "person":
        return value.get("name") if isinstance(value, dict) else value
    return value


# ---------------------------------------------------------------- what is known
@dataclass
class Known:
    value: Any
    at: datetime | None
    user: str | None


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _known_values(
    session: Session, template: Template, company: Company, people_list: list[Person]
) -> dict[tuple[int | None, str], Known]:
    """(person id or None, item key) -> the current value, when and by whom it was given."""
    from sqlmodel import select

    from dossier_cli.records.companies import branch_cities
    from dossier_cli.models import AuditEvent, DossierAnswer, PersonLink

    known: dict[tuple[int | None, str], Known] = {}
    company_items = template.items(per_person=False)
    person_items = template.items(per_person=True)
    person_ids = {p.id for p in people_list}
    for answer in session.exec(
        select(DossierAnswer).where(DossierAnswer.company_id == company.id, DossierAnswer.is_current == True)  # noqa: E712
    ):
        value = json.loads(answer.value_json)
        if value is None:
            continue
        if answer.person_id is None and answer.item_key in company_items and not company_items[answer.item_key].field:
            known[(None, answer.item_key)] = Known(value, _aware(answer.answered_at), answer.user)
        elif answer.person_id in person_ids and answer.item_key in person_items and not person_items[answer.item_key].field:
            known[(answer.person_id, answer.item_key)] = Known(value, _aware(answer.answered_at), answer.user)

    # Field items: the value is the column; when and who come from the audit trail.
    changed: dict[str, tuple[datetime | None, str | None]] = {}
    for event in session.exec(
        select(AuditEvent)
        .where(AuditEvent.entity == "company", AuditEvent.entity_id == company.id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ):
        for field in json.loads(event.changes_json or "{}"):
            changed[field] = (_aware(event.at), event.user)
    fallback = (_aware(company.updated_at), None)
    for item in company_items.values():
        if not item.field:
            continue
        value = branch_cities(session, company.id) if item.field == "branches" else getattr(company, item.field)
        if value in (None, "", []):
            continue
        at, user = changed.get(item.field, fallback)
        known[(None, item.key)] = Known(value, at, user)

    if people_list:
        person_changed: dict[tuple[int, str], tuple[datetime | None, str | None]] = {}
        for event in session.exec(
            select(AuditEvent)
            .where(AuditEvent.entity == "person", AuditEvent.entity_id.in_(list(person_ids)))  # type: ignore[union-attr]
            .order_by(AuditEvent.at, AuditEvent.id)
        ):
            for field in json.loads(event.changes_json or "{}"):
                person_changed[(event.entity_id, field)] = (_aware(event.at), event.user)
        links = session.exec(
            select(PersonLink)
            .where(PersonLink.company_id == company.id, PersonLink.active == True)  # noqa: E712
            .order_by(PersonLink.id)
        ).all()
        for person in people_list:
            for item in person_items.values():
                if item.field == "personality_type" and person.personality_type:
                    at, user = person_changed.get((person.id, "personality_type"), (_aware(person.updated_at), None))
                    known[(person.id, item.key)] = Known(person.personality_type, at, user)
                elif item.field == "role":
                    roles = [link for link in links if link.person_id == person.id and link.role != "other"]
                    if roles:
                        known[(person.id, item.key)] = Known(roles[0].role, _aware(roles[0].created_at), None)
    return known


def _percent(answered: int, total: int) -> float:
    return round(100.0 * answered / total, 1) if total else 100.0


def dossier_status(
    session: Session, settings: Settings, company: Company, *, template: Template | None = None, with_a_group: bool = True
) -> dict[str, Any]:
    """The dossier as a checklist: each item with its mark, completeness per part and overall."""
    from dossier_cli.models import utcnow

    template = template or load_template(settings)
    people_list = linked_people(session, company)
    roles = _roles_of(session, company)
    known = _known_values(session, template, company, people_list)
    stale_before = utcnow() - timedelta(days=settings.dossier_stale_days)
    parts: list[dict[str, Any]] = []
    answered_total = total = 0

    def entry(item: Item, person: Person | None) -> dict[str, Any]:
        # A per-person item with nobody linked yet is missing (the company's item of the same key is not it).
        found = None if item.per_person and person is None else known.get((person.id if person else None, item.key))
        status = "missing"
        if found is not None:
            status = "stale" if found.at is not None and found.at < stale_before else "answered"
        return {
            "key": item.key,
            "label": item.label,
            "hint": item.hint,
            "kind": item.kind,
            "important": item.important,
            "person": {"id": person.id, "name": person.name} if person else None,
            "status": status,
            "mark": MARKS[status],
            "value": found.value if found else None,
            "display": display_value(item, found.value if found else None, currency=settings.currency),
            "answered_at": found.at.isoformat(timespec="seconds") if found and found.at else None,
            "user": found.user if found else None,
        }

    for part in template.parts:
        subjects: list[Person | None] = list(people_list) if part.per_person and people_list else [None]
        items = [entry(item, subject) for subject in subjects for item in part.items]
        answered = sum(1 for i in items if i["status"] != "missing")
        answered_total += answered
        total += len(items)
        parts.append(
            {
                "key": part.key,
                "title": part.title,
                "per_person": part.per_person,
                "answered": answered,
                "total": len(items),
                "percent": _percent(answered, len(items)),
                "items": items,
            }
        )
    coverage = {
        role: [p.name for p in people_list if role in roles.get(p.id, [])] for role in BUYING_ROLES
    }
    status: dict[str, Any] = {
        "company": {"id": company.id, "name": company.name, "stage": company.stage, "status": company.status},
        "template": template.path,
        "title": template.title,
        "percent": _percent(answered_total, total),
        "answered": answered_total,
        "total": total,
        "parts": parts,
        "people": [{"id": p.id, "name": p.name, "roles": roles.get(p.id, [])} for p in people_list],
        "roles": coverage,
        "economic_buyer_covered": bool(coverage["economic-buyer"]),
    }
    if with_a_group:
        bar = readiness_threshold(session, settings, template=template)
        status["a_group"] = bar["a_group"]
        status["threshold"] = bar["threshold"]
        status["threshold_basis"] = bar["basis"]
        status["ready"] = status["percent"] >= bar["threshold"]
    return status


def missing_items(status: dict[str, Any], *, limit: int | None = None) -> list[str]:
    """The missing items, the important ones first, as 'Label' or 'Label (Person)'."""
    found: list[tuple[int, int, str]] = []
    order = 0
    if not status["economic_buyer_covered"]:
        found.append((0, order, "an economic buyer (a person linked with the role economic-buyer)"))
    for part in status["parts"]:
        for item in part["items"]:
            order += 1
            if item["status"] != "missing":
                continue
            name = item["label"]
            if item["person"]:
                name = f"{name} ({item['person']['name']})"
            elif part["per_person"]:
                name = f"{name} (no representative linked yet)"
            found.append((0 if item["important"] else 1, order, name))
    found.sort()
    names = [name for _, _, name in found]
    return names[:limit] if limit is not None else names


# ---------------------------------------------------------------- many companies at once (in SQL)
def completeness_by_company(session: Session, template: Template, scope: Any) -> dict[int, float]:
    """Company id -> completeness % for the companies `scope` (a select of ids) names, counted in SQL.

    Gives the same percentages as `dossier_status`.
    """
    from sqlalchemy import and_, case, distinct, exists, func, literal
    from sqlmodel import select

    from dossier_cli.models import Branch, Company, DossierAnswer, Person, PersonLink

    company_items = template.items(per_person=False)
    person_items = template.items(per_person=True)
    answer_keys = [key for key, item in company_items.items() if not item.field]
    person_answer_keys = [key for key, item in person_items.items() if not item.field]
    fields = {item.field for item in company_items.values() if item.field}
    person_fields = {item.field for item in person_items.values() if item.field}

    filled: Any = literal(0)
    for field in fields:
        if field == "branches":
            filled = filled + case((exists(select(Branch.id).where(Branch.company_id == Company.id)), 1), else_=0)
        elif COMPANY_FIELDS[field] == "text":
            column = getattr(Company, field)
            filled = filled + case((and_(column.is_not(None), column != ""), 1), else_=0)
        else:
            filled = filled + case((getattr(Company, field).is_not(None), 1), else_=0)
    # Core execution: plain rows, up to one per company in scope.
    connection = session.connection()
    answered: dict[int, int] = {
        cid: int(n) for cid, n in connection.execute(select(Company.id, filled).where(Company.id.in_(scope)))  # type: ignore[union-attr]
    }

    # The template's keys are counted, not filtered on: an IN over the keys in the WHERE made
    # SQLite probe the answer index once per company and key (0.3 s for 65,000 prospects).
    def of_keys(keys: list[str]) -> Any:
        return func.sum(case((DossierAnswer.item_key.in_(keys), 1), else_=0))  # type: ignore[attr-defined]

    if answer_keys:
        for cid, n in connection.execute(
            select(DossierAnswer.company_id, of_keys(answer_keys))
            .where(
                DossierAnswer.company_id.in_(scope),
                DossierAnswer.is_current == True,  # noqa: E712
                DossierAnswer.person_id.is_(None),  # type: ignore[union-attr]
                DossierAnswer.value_json != "null",
            )
            .group_by(DossierAnswer.company_id)
        ):
            answered[cid] = answered.get(cid, 0) + int(n)

    people_count: dict[int, int] = {}
    if person_items:
        active = PersonLink.active == True  # noqa: E712
        # One pass over the links: the people, and those whose personality type and role
        # (the per-person field items) are filled.
        filled_fields: list[Any] = []
        if "personality_type" in person_fields:
            typed = and_(Person.personality_type.is_not(None), Person.personality_type != "")  # type: ignore[union-attr]
            filled_fields.append(func.count(distinct(case((typed, PersonLink.person_id)))))
        if "role" in person_fields:
            filled_fields.append(func.count(distinct(case((PersonLink.role != "other", PersonLink.person_id)))))
        for cid, n, *filled_people in connection.execute(
            select(PersonLink.company_id, func.count(distinct(PersonLink.person_id)), *filled_fields)
            .outerjoin(Person, Person.id == PersonLink.person_id)
            .where(PersonLink.company_id.in_(scope), active)
            .group_by(PersonLink.company_id)
        ):
            people_count[cid] = int(n)
            answered[cid] = answered.get(cid, 0) + sum(int(k) for k in filled_people)
        if person_answer_keys:
            linked = select(PersonLink.person_id).where(PersonLink.company_id == DossierAnswer.company_id, active)
            for cid, n in connection.execute(
                select(DossierAnswer.company_id, of_keys(person_answer_keys))
                .where(
                    DossierAnswer.company_id.in_(scope),
                    DossierAnswer.is_current == True,  # noqa: E712
                    DossierAnswer.person_id.in_(linked),  # type: ignore[union-attr]
                    DossierAnswer.value_json != "null",
                )
                .group_by(DossierAnswer.company_id)
            ):
                answered[cid] = answered.get(cid, 0) + int(n)

    result: dict[int, float] = {}
    for cid, count in answered.items():
        total = len(company_items) + len(person_items) * max(1, people_count.get(cid, 0))
        result[cid] = _percent(count, total)
    return result


def _completeness_for_ids(session: Session, template: Template, ids: list[int]) -> dict[int, float]:
    from sqlmodel import select

    from dossier_cli.models import Company

    result: dict[int, float] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        result.update(completeness_by_company(session, template, select(Company.id).where(Company.id.in_(chunk))))
    return result


def _top_stage_scope(settings: Settings) -> Any:
    from sqlmodel import select

    from dossier_cli.models import Company

    return select(Company.id).where(Company.stage == settings.stages[-1], Company.status == "active")


def a_group(session: Session, settings: Settings) -> tuple[list[int], str]:
    """The A group's company ids and what they are: the ABC A group, else the companies at the top stage."""
    from dossier_cli.selling import sales

    ids = sales.abc_group_ids(session, settings, "A")
    if ids:
        return ids, "abc"
    top = list(session.exec(_top_stage_scope(settings)).all())
    return top, "top-stage" if top else "none"


def a_group_average(session: Session, settings: Settings, *, template: Template | None = None) -> dict[str, Any]:
    """The A group's average completeness: the bar a prospect is held to."""
    from dossier_cli.selling import sales

    template = template or load_template(settings)
    ids = sales.abc_group_ids(session, settings, "A")
    if ids:
        basis = "abc"
        percents = _completeness_for_ids(session, template, ids)
    else:
        basis = "top-stage"
        percents = completeness_by_company(session, template, _top_stage_scope(settings))
    if not percents:
        return {"basis": "none", "companies": 0, "average": None}
    average = round(sum(percents.values()) / len(percents), 1) if percents else None
    return {"basis": basis, "companies": len(percents), "average": average}


def readiness_threshold(session: Session, settings: Settings, *, template: Template | None = None) -> dict[str, Any]:
    """The completeness a prospect needs before first contact, and where that number comes from."""
    group = a_group_average(session, settings, template=template)
    if settings.dossier_threshold is not None:
        return {"threshold": float(settings.dossier_threshold), "basis": "config", "a_group": group}
    if group["average"] is not None:
        return {"threshold": group["average"], "basis": "a-group", "a_group": group}
    return {"threshold": DEFAULT_THRESHOLD, "basis": "default", "a_group": group}


def _stage_index(settings: Settings, stage: str) -> int:
    return settings.stages.index(stage) if stage in settings.stages else -1


def require_dossier_ready(session: Session, settings: Settings, company: Company, *, to_stage: str, force: bool) -> None:
    """Raise Conflict when `company` may not yet move to `to_stage` (dossier below threshold)."""
    if force:
        return
    first_contact = _stage_index(settings, settings.first_contact_stage)
    if _stage_index(settings, to_stage) < first_contact or _stage_index(settings, company.stage) >= first_contact:
        return  # only the step from prospecting into (or past) first contact is gated
    status = dossier_status(session, settings, company)
    if status["ready"]:
        return
    missing = missing_items(status)
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    raise Conflict(
        f"the dossier of {company.name} is {status['percent']:g}% complete, below the {status['threshold']:g}% "
        f"needed before '{settings.first_contact_stage}'; missing: {shown}",
        hint=f"fill it (dossier fill {company.id}) or add --force",
    )


def ready_report(session: Session, settings: Settings, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Prospects (before first contact) at or over the threshold, and how far the others are."""
    from sqlmodel import select

    from dossier_cli.models import Company

    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    template = load_template(settings)
    bar = readiness_threshold(session, settings, template=template)
    first_contact = _stage_index(settings, settings.first_contact_stage)
    prospect_stages = settings.stages[:first_contact]
    scope = select(Company.id).where(Company.status == "active", Company.stage.in_(prospect_stages))  # type: ignore[attr-defined]
    percents = completeness_by_company(session, template, scope) if prospect_stages else {}
    ranked = sorted(percents.items(), key=lambda pair: (-(pair[1] >= bar["threshold"]), -pair[1], pair[0]))
    rows: list[dict[str, Any]] = []
    for company_id, percent in ranked[offset : offset + limit]:
        company = session.get(Company, company_id)
        ready = percent >= bar["threshold"]
        missing: list[str] = []
        if not ready:
            missing = missing_items(dossier_status(session, settings, company, template=template, with_a_group=False), limit=5)
        rows.append(
            {
                "id": company_id,
                "name": company.name,
                "stage": company.stage,
                "percent": percent,
                "ready": ready,
                "short_by": 0.0 if ready else round(bar["threshold"] - percent, 1),
                "missing": missing,
            }
        )
    return {
        "threshold": bar["threshold"],
        "basis": bar["basis"],
        "a_group": bar["a_group"],
        "prospects": len(percents),
        "ready_count": sum(1 for p in percents.values() if p >= bar["threshold"]),
        "companies": rows,
    }


# ---------------------------------------------------------------- filling
def parse_assignments(pairs: list[str]) -> dict[str, Any]:
    """`key=value` strings (from repeated --set) as a mapping; a repeated key collects a list."""
    answers: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInput(f"bad --set '{pair}': write it as key=value, e.g. --set competitors=\"Восток-Трейд\"")
        if key in answers:
            previous = answers[key]
            answers[key] = [*(previous if isinstance(previous, list) else [previous]), value]
        else:
            answers[key] = value
    return answers


def parse_answers_document(text: str, *, source: str) -> dict[str, Any]:
    """A YAML or JSON mapping of item key -> answer (with an optional `people:` mapping)."""
    import yaml

    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InvalidInput(f"{source}: not valid YAML or JSON{where}; nothing was saved") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidInput(f"{source}: expected a mapping of item: answer; nothing was saved")
    return {str(key): value for key, value in raw.items()}


@dataclass
class _Change:
    item: Item
    person: Person | None
    old: Any
    new: Any


def check_answer(session: Session, settings: Settings, company: Company, item: Item, raw: Any) -> Any:
    """One answer checked the way `fill` checks it; InvalidInput names the item."""
    try:
        return parse_value(session, settings, company, item, raw)
    except InvalidInput as exc:
        raise InvalidInput(f"item '{item.key}' ({item.label}): {exc}") from None


def fill(
    session: Session,
    settings: Settings,
    company: Company,
    answers: Mapping[str, Any],
    *,
    person: str | None = None,
    template: Template | None = None,
) -> list[dict[str, Any]]:
    """Answer dossier items; all are checked before anything is saved. Returns what changed.

    `answers` maps item keys to values; per-person items go to `person`, or under a
    `people:` mapping of person -> {key: value}. Unchanged answers are skipped, so
    history only grows when something is learned.
    """
    template = template or load_template(settings)
    company_items = template.items(per_person=False)
    person_items = template.items(per_person=True)
    answers = dict(answers)
    people_section = answers.pop("people", None)
    problems: list[str] = []
    wanted: list[tuple[Item, Person | None, Any]] = []
    subject = linked_person(session, company, person) if person else None

    def unknown(key: str, scope: dict[str, Item], where: str) -> str:
        close = difflib.get_close_matches(key, list(scope), n=1, cutoff=0.6)
        suggestion = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown dossier item '{key}'{where}{suggestion}"

    for key, raw in answers.items():
        if subject is not None and key in person_items:
            wanted.append((person_items[key], subject, raw))
        elif key in company_items:
            wanted.append((company_items[key], None, raw))
        elif key in person_items:
            problems.append(f"item '{key}' ({person_items[key].label}) is answered per person: add --person NAME")
        else:
            problems.append(unknown(key, {**company_items, **person_items}, ""))
    if people_section is not None:
        if not isinstance(people_section, dict):
            problems.append("'people' must be a mapping of person -> {item: answer}")
        else:
            for ref, section in people_section.items():
                try:
                    who = linked_person(session, company, str(ref))
                except InvalidInput as exc:
                    problems.append(f"people: {exc}")
                    continue
                if not isinstance(section, dict):
                    if section is not None:
                        problems.append(f"people: {who.name}: expected a mapping of item: answer")
                    continue
                for key, raw in section.items():
                    if str(key) in person_items:
                        wanted.append((person_items[str(key)], who, raw))
                    else:
                        problems.append(unknown(str(key), person_items, f" for {who.name}"))

    people_now = linked_people(session, company)
    known = _known_values(session, template, company, people_now)
    changes: list[_Change] = []
    for item, who, raw in wanted:
        try:
            value = check_answer(session, settings, company, item, raw)
        except InvalidInput as exc:
            where = f" for {who.name}" if who else ""
            problems.append(f"{exc.message}{where}" + (f" ({exc.hint})" if exc.hint else ""))
            continue
        current = known.get((who.id if who else None, item.key))
        old = current.value if current else None
        if _same(item, old, value, session, company, who):
            continue
        changes.append(_Change(item, who, old, value))
    if problems:
        raise InvalidInput("; ".join(problems) + "; nothing was saved")
    if changes:
        _apply(session, settings, company, changes)
    return [
        {
            "key": c.item.key,
            "label": c.item.label,
            "person": c.person.name if c.person else None,
            "old": c.old,
            "new": c.new,
        }
        for c in changes
    ]


def _same(item: Item, old: Any, new: Any, session: Session, company: Company, who: Person | None) -> bool:
    if item.field == "role" and who is not None and new is not None:
        return new in _roles_of(session, company).get(who.id, [])
    if item.kind == "person" and isinstance(old, dict) and isinstance(new, dict):
        return old.get("id") == new.get("id")
    if item.kind == "list" and old is not None and new is not None:
        return [fold(str(v)) for v in old] == [fold(str(v)) for v in new]
    return old == new


def _apply(session: Session, settings: Settings, company: Company, changes: list[_Change]) -> None:
    from sqlmodel import select

    from dossier_cli.records import companies
    from dossier_cli.models import DossierAnswer, utcnow

    user = audit.current_user()
    fields: dict[str, Any] = {}
    name: str | None = None
    add_branches: list[str] = []
    remove_branches: list[str] = []
    for change in changes:
        field = change.item.field
        if change.person is None and field:
            if field == "name":
                if change.new is None:
                    raise InvalidInput(f"item '{change.item.key}' ({change.item.label}): a company must keep its name")
                name = change.new
            elif field == "branches":
                old = {fold(c): c for c in change.old or []}
                new = {fold(c): c for c in change.new or []}
                add_branches += [city for key, city in new.items() if key not in old]
                remove_branches += [city for key, city in old.items() if key not in new]
            else:
                fields[field] = "" if change.new is None else str(change.new)
    if fields or name is not None or add_branches or remove_branches:
        companies.edit_company(
            session,
            settings,
            company,
            name=name,
            fields=fields,
            add_branches=add_branches,
            remove_branches=remove_branches,
        )
    for change in changes:
        who, item = change.person, change.item
        if who is not None and item.field == "personality_type":
            who.personality_type = change.new
            who.updated_at = utcnow()
            session.add(who)
            audit.record(
                session, action="update", entity="person", entity_id=who.id, company_id=company.id,
                changes={"personality_type": [change.old, change.new]},
            )
        elif who is not None and item.field == "role":
            _set_role(session, company, who, change.new)
        elif not item.field:
            for previous in session.exec(
                select(DossierAnswer).where(
                    DossierAnswer.company_id == company.id,
                    DossierAnswer.person_id == (who.id if who else None),
                    DossierAnswer.item_key == item.key,
                    DossierAnswer.is_current == True,  # noqa: E712
                )
            ):
                previous.is_current = False
                session.add(previous)
            session.add(
                DossierAnswer(
                    company_id=company.id,
                    person_id=who.id if who else None,
                    item_key=item.key,
                    value_json=json.dumps(change.new, ensure_ascii=False),
                    user=user,
                )
            )
    audit.record(
        session,
        action="fill",
        entity="dossier",
        entity_id=company.id,
        company_id=company.id,
        changes={
            (f"{c.person.name}: {c.item.key}" if c.person else c.item.key): [c.old, c.new] for c in changes
        },
    )
    session.flush()


def _set_role(session: Session, company: Company, who: Person, role: str | None) -> None:
    """Give `who` the buying `role` at `company`: reuse a role-less ('other') link, else add one."""
    from sqlmodel import select

    from dossier_cli.models import PersonLink

    links = session.exec(
        select(PersonLink)
        .where(PersonLink.company_id == company.id, PersonLink.person_id == who.id, PersonLink.active == True)  # noqa: E712
        .order_by(PersonLink.id)
    ).all()
    if role is None:
        for link in links:
            if link.role != "other":
                audit.record(session, action="update", entity="person_link", entity_id=link.id, company_id=company.id,
                             changes={"role": [link.role, "other"]})
                link.role = "other"
                session.add(link)
        return
    spare = next((link for link in links if link.role == "other"), None)
    if spare is not None:
        audit.record(session, action="update", entity="person_link", entity_id=spare.id, company_id=company.id,
                     changes={"role": ["other", role]})
        spare.role = role
        session.add(spare)
        return
    link = PersonLink(person_id=who.id, company_id=company.id, role=role, since=date.today())
    session.add(link)
    session.flush()
    audit.record(session, action="create", entity="person_link", entity_id=link.id, company_id=company.id,
                 changes={"person": who.name, "role": role})


def questions(
    session: Session, settings: Settings, company: Company, *, person: str | None = None, missing_only: bool = True
) -> list[dict[str, Any]]:
    """The items to ask at a terminal, in template order: each {item, person, current}."""
    template = load_template(settings)
    people_list = [linked_person(session, company, person)] if person else linked_people(session, company)
    known = _known_values(session, template, company, linked_people(session, company))
    asked: list[dict[str, Any]] = []
    for part in template.parts:
        subjects: list[Person | None] = list(people_list) if part.per_person else [None]
        if person and not part.per_person:
            continue
        for subject in subjects:
            for item in part.items:
                current = known.get((subject.id if subject else None, item.key))
                if missing_only and current is not None:
                    continue
                asked.append(
                    {
                        "item": item,
                        "person": subject,
                        "current": display_value(item, current.value if current else None, currency=settings.currency),
                        "choices": item_choices(item, settings) if item.kind == "choice" else (),
                    }
                )
    return asked


def editor_document(session: Session, settings: Settings, company: Company, *, person: str | None = None) -> str:
    """The dossier as a commented YAML document for `fill --edit`."""
    import yaml

    template = load_template(settings)
    people_all = linked_people(session, company)
    people_list = [linked_person(session, company, person)] if person else people_all
    known = _known_values(session, template, company, people_all)
    names = [p.name for p in people_all]

    def block(item: Item, subject: Person | None, indent: str) -> list[str]:
        current = known.get((subject.id if subject else None, item.key))
        lines = [f"{indent}# {item.label}" + (f" — {item.hint}" if item.hint else "")]
        choices = item_choices(item, settings) if item.kind == "choice" else ()
        if choices:
            lines.append(f"{indent}#   choices: {', '.join(choices)}")
        dumped = yaml.safe_dump(
            {item.key: input_value(item, current.value if current else None)},
            allow_unicode=True, default_flow_style=False, sort_keys=False, width=100_000,
        )
        lines += [indent + line for line in dumped.rstrip("\n").splitlines()]
        return lines

    lines = [
        f"# {template.title}: {company.name} (#{company.id})",
        "# Fill in what you know and save; leave ~ where you do not know yet.",
        "# Lists: one '- value' per line. Lines starting with # are ignored.",
        "",
    ]
    if not person:
        for part in template.parts:
            if part.per_person:
                continue
            lines += [f"# ==== {part.title}", ""]
            for item in part.items:
                lines += [*block(item, None, ""), ""]
    person_parts = [part for part in template.parts if part.per_person]
    if person_parts and people_list:
        lines += [f"# ==== {' / '.join(p.title for p in person_parts)}", "people:"]
        for subject in people_list:
            ref = subject.name if names.count(subject.name) == 1 else str(subject.id)
            lines.append(f"  {json.dumps(ref, ensure_ascii=False)}:")
            for part in person_parts:
                for item in part.items:
                    lines += block(item, subject, "    ")
            lines.append("")
    elif person_parts and not person:
        lines += [f"# ==== {' / '.join(p.title for p in person_parts)}: link people to the company to answer these"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- history
def dossier_history(session: Session, settings: Settings, company: Company) -> list[dict[str, Any]]:
    """Every answer ever given, oldest first: the dossier's growth, with who and when."""
    from sqlmodel import select

    from dossier_cli.models import AuditEvent, DossierAnswer, Person

    template = load_template(settings)
    company_items = template.items(per_person=False)
    person_items = template.items(per_person=True)
    by_field = {item.field: item for item in company_items.values() if item.field}
    names = {p.id: p.name for p in session.exec(select(Person).join(DossierAnswer, DossierAnswer.person_id == Person.id)
                                                .where(DossierAnswer.company_id == company.id))}
    rows: list[dict[str, Any]] = []
    for answer in session.exec(select(DossierAnswer).where(DossierAnswer.company_id == company.id)):
        scope = person_items if answer.person_id else company_items
        item = scope.get(answer.item_key)
        value = json.loads(answer.value_json)
        rows.append(
            {
                "at": _aware(answer.answered_at),
                "user": answer.user,
                "item": answer.item_key,
                "label": item.label if item else answer.item_key,
                "person": names.get(answer.person_id) if answer.person_id else None,
                "value": display_value(item, value, currency=settings.currency) if item else json.dumps(value, ensure_ascii=False),
                "current": answer.is_current,
            }
        )
    for event in session.exec(
        select(AuditEvent).where(AuditEvent.entity == "company", AuditEvent.entity_id == company.id)
    ):
        for field, change in json.loads(event.changes_json or "{}").items():
            item = by_field.get(field)
            if item is None:
                continue
            value = change[1] if event.action == "update" and isinstance(change, list) and len(change) == 2 else change
            rows.append(
                {
                    "at": _aware(event.at),
                    "user": event.user,
                    "item": item.key,
                    "label": item.label,
                    "person": None,
                    "value": display_value(item, value, currency=settings.currency) if value is not None else "",
                    "current": None,
                }
            )
    rows.sort(key=lambda row: (row["at"] or datetime.min.replace(tzinfo=timezone.utc)))
    for row in rows:
        row["at"] = row["at"].isoformat(timespec="seconds") if row["at"] else None
    return rows


# ---------------------------------------------------------------- gifts and hospitality
def add_gift(
    session: Session,
    settings: Settings,
    company: Company,
    *,
    what: str,
    value: str | int | None = None,
    given_on: str | None = None,
    person: str | None = None,
    purpose: str | None = None,
) -> Gift:
    """Record a gift or hospitality given to someone at `company` (the compliance register)."""
    from dossier_cli.records import people
    from dossier_cli.models import Gift
    from dossier_cli.parsing import parse_amount, parse_date

    what = " ".join(check_text(what, field="what", max_length=1000).split())
    if not what:
        raise InvalidInput("say what was given: --what \"dinner for two\"")
    value_minor = parse_amount(value, field="value") if value not in (None, "") else 0
    day = parse_date(given_on, field="gift date") if given_on else date.today()
    receiver = people.find_person(session, person) if person else None
    gift = Gift(
        company_id=company.id,
        person_id=receiver.id if receiver else None,
        given_on=day,
        what=what,
        value_minor=value_minor,
        purpose=(check_text(purpose, field="purpose").strip() or None) if purpose else None,
        user=audit.current_user(),
    )
    session.add(gift)
    session.flush()
    audit.record(session, action="create", entity="gift", entity_id=gift.id, company_id=company.id,
                 changes=gift_record(gift, company_name=company.name, person_name=receiver.name if receiver else None))
    return gift


def gift_record(gift: Gift, *, company_name: str, person_name: str | None, currency: str = "") -> dict[str, Any]:
    from dossier_cli.parsing import format_amount

    return {
        "id": gift.id,
        "date": gift.given_on.isoformat(),
        "company": company_name,
        "person": person_name,
        "what": gift.what,
        "value": format_amount(gift.value_minor),
        "value_minor": gift.value_minor,
        "currency": currency or None,
        "purpose": gift.purpose,
        "user": gift.user,
    }


def list_gifts(
    session: Session, settings: Settings, company: Company | None = None, *, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    from sqlmodel import select

    from dossier_cli.models import Company, Gift, Person

    from dossier_cli.parsing import check_page

    check_page(limit, offset)
    query = (
        select(Gift, Company.name, Person.name)
        .join(Company, Company.id == Gift.company_id)
        .join(Person, Person.id == Gift.person_id, isouter=True)
    )
    if company is not None:
        query = query.where(Gift.company_id == company.id)
    query = query.order_by(Gift.given_on, Gift.id).offset(offset).limit(limit)
    return [
        gift_record(gift, company_name=company_name, person_name=person_name, currency=settings.currency)
        for gift, company_name, person_name in session.exec(query)
    ]


# ---------------------------------------------------------------- the printable dossier
def export_document(session: Session, settings: Settings, company: Company) -> dict[str, Any]:
    """Everything the printed dossier shows: the checklist, the people and the gifts register."""
    from sqlmodel import select

    from dossier_cli.models import ContactPoint

    status = dossier_status(session, settings, company)
    contacts: dict[int, list[str]] = {}
    people_list = linked_people(session, company)
    if people_list:
        for point in session.exec(
            select(ContactPoint).where(ContactPoint.person_id.in_([p.id for p in people_list]))  # type: ignore[union-attr]
        ):
            contacts.setdefault(point.person_id, []).append(point.value)
    status["people"] = [
        {
            "id": p.id,
            "name": p.name,
            "roles": next((x["roles"] for x in status["people"] if x["id"] == p.id), []),
            "phone": p.phone,
            "email": p.email,
            "contacts": [c for c in contacts.get(p.id, []) if c not in (p.phone, p.email)],
            "personality_type": p.personality_type,
        }
        for p in people_list
    ]
    status["gifts"] = list_gifts(session, settings, company, limit=10_000)
    status["currency"] = settings.currency
    status["language"] = settings.language
    status["printed_on"] = date.today().isoformat()
    return status


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~&])")


def md_escape(text: str) -> str:
    """User text made inert in Markdown: every special character backslash-escaped, lines kept."""
    return " ".join(_MD_SPECIAL.sub(r"\\\1", str(text)).split())


def to_markdown(doc: dict[str, Any]) -> str:
    e = md_escape
    company = doc["company"]
    out = [f"# {e(doc['title'])}: {e(company['name'])}", ""]
    out.append(
        f"Stage: {e(company['stage'])} · completeness {doc['percent']:g}% · threshold {doc['threshold']:g}% "
        f"({'ready' if doc['ready'] else 'not ready'}) · printed {doc['printed_on']}"
    )
    out.append("")
    for part in doc["parts"]:
        out += [f"## {e(part['title'])} ({part['percent']:g}%)", ""]
        current_person: Any = object()
        for item in part["items"]:
            if part["per_person"] and item["person"] != current_person:
                current_person = item["person"]
                out += ["", f"### {e(current_person['name']) if current_person else '(no representative linked yet)'}", ""]
            value = e(item["display"]) if item["display"] else "_…_"
            out.append(f"- {e(item['mark'])} **{e(item['label'])}:** {value}")
        out.append("")
    out += ["## Buying roles", ""]
    for role, names in doc["roles"].items():
        out.append(f"- {e(role)}: {e(', '.join(names)) if names else '**not covered**'}")
    out += ["", "## People", ""]
    if doc["people"]:
        out += ["| name | roles | phone | e-mail | personality type |", "|---|---|---|---|---|"]
        for p in doc["people"]:
            out.append(
                f"| {e(p['name'])} | {e(', '.join(p['roles']))} | {e(p['phone'] or '')} | {e(p['email'] or '')} "
                f"| {e(p['personality_type'] or '')} |"
            )
    else:
        out.append("No people linked yet.")
    out += ["", "## Gifts and hospitality register", ""]
    if doc["gifts"]:
        out += ["| date | person | what | value | purpose |", "|---|---|---|---|---|"]
        for g in doc["gifts"]:
            out.append(
                f"| {g['date']} | {e(g['person'] or '')} | {e(g['what'])} | {e(g['value'])} {e(doc['currency'])} "
                f"| {e(g['purpose'] or '')} |"
            )
    else:
        out.append("Nothing given.")
    return "\n".join(out) + "\n"


_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 52em; margin: 2em auto; color: #111; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #999; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #bbb; padding: .3em .5em; vertical-align: top; text-align: left; }
.missing { color: #a00; } .stale { color: #a60; } .mark { font-family: monospace; white-space: pre; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } }
"""


def to_html(doc: dict[str, Any]) -> str:
    """One self-contained, printable HTML file; every piece of user text escaped."""
    e = html.escape
    company = doc["company"]
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(doc.get("language") or "en")}"><head><meta charset="utf-8">',
        f"<title>{e(doc['title'])}: {e(company['name'])}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(doc['title'])}: {e(company['name'])}</h1>",
        f"<p>Stage: {e(company['stage'])} · completeness {doc['percent']:g}% · threshold {doc['threshold']:g}% "
        f"({'ready' if doc['ready'] else 'not ready'}) · printed {e(doc['printed_on'])}</p>",
    ]
    for part in doc["parts"]:
        out.append(f"<h2>{e(part['title'])} ({part['percent']:g}%)</h2>")
        current_person: Any = object()
        out.append("<table>")
        for item in part["items"]:
            if part["per_person"] and item["person"] != current_person:
                current_person = item["person"]
                name = e(current_person["name"]) if current_person else "(no representative linked yet)"
                out.append(f'<tr><th colspan="3">{name}</th></tr>')
            if item["kind"] == "list" and item["value"]:
                value = "<br>".join(e(str(v)) for v in item["value"])
            else:
                value = e(item["display"]) if item["display"] else "…"
            out.append(
                f'<tr class="{item["status"]}"><td class="mark">{e(item["mark"])}</td>'
                f"<td>{e(item['label'])}</td><td>{value}</td></tr>"
            )
        out.append("</table>")
    out.append("<h2>Buying roles</h2><ul>")
    for role, names in doc["roles"].items():
        shown = e(", ".join(names)) if names else '<strong class="missing">not covered</strong>'
        out.append(f"<li>{e(role)}: {shown}</li>")
    out.append("</ul><h2>People</h2>")
    if doc["people"]:
        out.append("<table><tr><th>name</th><th>roles</th><th>phone</th><th>e-mail</th><th>personality type</th></tr>")
        for p in doc["people"]:
            out.append(
                f"<tr><td>{e(p['name'])}</td><td>{e(', '.join(p['roles']))}</td><td>{e(p['phone'] or '')}</td>"
                f"<td>{e(p['email'] or '')}</td><td>{e(p['personality_type'] or '')}</td></tr>"
            )
        out.append("</table>")
    else:
        out.append("<p>No people linked yet.</p>")
    out.append("<h2>Gifts and hospitality register</h2>")
    if doc["gifts"]:
        out.append("<table><tr><th>date</th><th>person</th><th>what</th><th>value</th><th>purpose</th></tr>")
        for g in doc["gifts"]:
            out.append(
                f"<tr><td>{e(g['date'])}</td><td>{e(g['person'] or '')}</td><td>{e(g['what'])}</td>"
                f"<td>{e(g['value'])} {e(doc['currency'])}</td><td>{e(g['purpose'] or '')}</td></tr>"
            )
        out.append("</table>")
    else:
        out.append("<p>Nothing given.</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
