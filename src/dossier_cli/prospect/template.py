"""The prospect dossier's template: what to know about a company before first contact.

The dossier is defined by a YAML template (shipped in English and Russian, or the
user's own): three parts, each a list of items with a key, a label, a hint and a kind.
Items that are facts the company or the person already carries (`field:`) are read and
written there; the others are `DossierAnswer` rows, whose earlier values stay as
history. Items of a `per_person` part are answered once for each person linked to the
company. This module loads and checks the template, parses and shows a value of each
kind, and finds the people at the company a per-person item is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossier_cli.documents import dotted_key, parse_yaml, read_text, validate
from dossier_cli.errors import ConfigError, InvalidInput
from dossier_cli.i18n import _, N_
from dossier_cli.text import check_text, fold, person_key

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings
    from dossier_cli.models import Company, Person


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
_RESERVED_KEYS = ("people",)


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
    path = template_path(settings)
    text = read_text(path, source=f"dossier template {path}", error=ConfigError, hint=_("fix `dossier.template` in the config file"))
    raw = parse_yaml(text, source=f"dossier template {path}", error=ConfigError)
    return _validate_template(path, text, raw)


def _validate_template(path: Path, text: str, raw: Any) -> Template:
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field, model_validator

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
        raise ConfigError(_("dossier template {path}: expected a mapping with 'parts' at the top level").format(path=path))
    spec = validate(
        TemplateSpec, raw, source=f"dossier template {path}", text=text, error=ConfigError,
        place=lambda loc: _template_location(raw, loc),
    )
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
    dotted = dotted_key(loc)
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
    for person, _link_id in rows:
        seen.setdefault(person.id, person)
    return list(seen.values())


def roles_of(session: Session, company: Company) -> dict[int, list[str]]:
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
            _("{name} is not linked to {name2}").format(name=person.name, name2=company.name),
            hint=_('link them first: dossier link person "{name}" "{name2}" --role economic-buyer').format(name=person.name, name2=company.name),
        )
    return person


def parse_value(session: Session, settings: Settings, company: Company, item: Item, raw: Any) -> Any:
    """A user's answer as stored (JSON-ready), or None to clear; InvalidInput when it does not fit."""
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None
    kind = item.kind
    if isinstance(raw, bool) or isinstance(raw, dict) or (isinstance(raw, list) and kind != "list"):
        raise InvalidInput(_("expected {value}, got {value2}").format(value=_kind_words(item), value2=_type_words(raw)))
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
                raise InvalidInput(_("expected {value}, got a list holding {value2}").format(value=_kind_words(item), value2=_type_words(value)))
            text = check_text(str(value), field=item.key).strip()
            if text and fold(text) not in {fold(c) for c in cleaned}:
                cleaned.append(text)
        return cleaned or None
    if kind == "choice":
        return _parse_choice(settings, item, str(raw))
    if kind == "number":
        if item.field == "founded":
            from dossier_cli.parsing import parse_year

            return parse_year(raw, field=N_("founding year"))
        return _parse_number(raw)
    if kind == "money":
        from dossier_cli.parsing import parse_amount

        return parse_amount(str(raw), field=N_("amount"))
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
    raise InvalidInput(_("unknown kind '{kind}'").format(kind=kind))  # pragma: no cover - the template forbids it


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
    from dossier_cli.vocab import DOSSIER_CHOICES

    words = DOSSIER_CHOICES.get(item.key)
    if words is not None:
        # `неформальный` answers the English template's `informal`, `formal` the Russian one's `формальные`
        option = words.resolve_configured(raw, item.options)
        if option is not None:
            return option
    raise InvalidInput(
        _("'{raw}' is not one of the choices").format(raw=raw),
        hint=_("choose one of: {choices}").format(choices=", ".join(item.options)),
    )


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
        raise InvalidInput(_("expected a number, got '{raw}'").format(raw=raw)) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidInput(_("expected a number, got '{raw}'").format(raw=raw))
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
        from dossier_cli.formatting import format_money

        return format_money(int(value), currency or "RUB")
    if item.kind == "person":
        return str(value.get("name", "")) if isinstance(value, dict) else str(value)
    if item.kind == "choice" and _russian():
        # sources, activities and roles are stored in English: shown by their Russian label
        from dossier_cli import vocab

        words = {"source": vocab.SOURCES, "activity": vocab.ACTIVITIES, "role": vocab.ROLES}.get(item.field or "")
        if words is None and item.options_from == "sources":
            words = vocab.SOURCES
        if words is not None:
            return words.label(str(value))
    return str(value)


def _russian() -> bool:
    from dossier_cli.i18n import language

    return language() == "ru"


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
