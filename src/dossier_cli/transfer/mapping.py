"""Which column of a file feeds which field: English and Russian headers, and `--map FIELD=COLUMN`."""

from __future__ import annotations

import re
from typing import Any

from dossier_cli.errors import InvalidInput
from dossier_cli.text import fold
from dossier_cli.i18n import _


# ---------------------------------------------------------------- column names
def norm_header(text: str) -> str:
    text = fold(str(text).replace("\ufeff", ""))
    text = re.sub(r"[_\-.:/№#()]+", " ", text)
    return " ".join(text.split())


_COMMON = {
    "notes": ["notes", "note", "comment", "comments", "remarks", "примечание", "примечания", "комментарий", "комментарии", "заметка", "заметки"],
}
_COMPANY_REF = ["company", "company name", "company id", "client", "customer", "buyer", "organisation", "organization",
                "компания", "контрагент", "организация", "клиент", "покупатель", "название", "наименование",
                "название компании", "наименование организации", "наименование контрагента"]
_TAGS = ["tags", "tag", "теги", "тег", "метки", "метка"]
# A companies file names its contacts in the singular or the plural; several values in one cell.
_PHONE = ["phone", "phones", "telephone", "tel", "mobile", "phone number", "телефон", "телефоны", "тел", "моб",
          "мобильный", "контактный телефон", "телефон организации"]
_EMAIL = ["email", "emails", "e mail", "e mails", "mail", "почта", "эл почта", "электронная почта", "e mail адрес",
          "адрес эл почты"]
_PERSON_REF = ["person", "contact", "contact person", "person id", "контакт", "контактное лицо", "фио", "сотрудник"]

ALIASES: dict[str, dict[str, list[str]]] = {
    "companies": {
        "name": ["name", "company", "company name", "organisation", "organization", "client", "customer", "title",
                 "название", "наименование", "контрагент", "организация", "компания", "клиент", "покупатель",
                 "название компании", "наименование организации", "наименование контрагента"],
        "legal_form": ["legal form", "опф", "организационно правовая форма", "правовая форма"],
        "tax_number": ["tax number", "inn", "tin", "vat", "vat number", "инн"],
        "kpp": ["kpp", "кпп"],
        "ogrn": ["ogrn", "огрн"],
        "city": ["city", "town", "head office", "город", "населенный пункт"],
        "territory": ["territory", "region", "территория", "регион", "область"],
        "market": ["market", "industry", "sector", "отрасль", "сфера", "рынок", "сфера деятельности"],
        "industry_needs": ["industry needs", "needs", "потребности", "потребности отрасли"],
        "activity": ["activity", "kind of activity", "вид деятельности", "деятельность"],
        "source": ["source", "lead source", "источник", "источник информации"],
        "founded": ["founded", "year founded", "founding year", "год основания", "основана", "основан"],
        "strategy": ["strategy", "стратегия"],
        "trend": ["trend", "тренд", "динамика"],
        "financial_standing": ["financial standing", "finances", "финансовое положение"],
        "supply_channels": ["supply channels", "каналы снабжения"],
        "competitors": ["competitors", "конкуренты"],
        "payment_reputation": ["payment reputation", "pays", "платежная дисциплина"],
        "notes": _COMMON["notes"],
        "branches": ["branches", "филиалы"],
        "tags": _TAGS,
        "phone": _PHONE,
        "email": _EMAIL,
        "website": ["website", "websites", "site", "web site", "web", "url", "www", "homepage", "сайт", "сайты",
                    "веб сайт", "интернет сайт", "адрес сайта"],
        "stage": ["stage", "стадия", "этап"],
        "listed_on": ["listed on", "added", "added on", "first contact", "дата добавления", "дата внесения",
                      "в базе с", "клиент с", "дата первого контакта"],
        "deal_value": ["deal value", "deal", "expected deal", "сумма сделки", "ожидаемая сделка"],
        "close_by": ["close by", "close month", "expected close", "месяц закрытия", "закрытие сделки"],
        "cadence_days": ["every", "every days", "cadence", "contact every", "stay in touch every", "периодичность контакта", "связываться каждые"],
    },
    "people": {
        "name": ["name", "full name", "person", "contact", "contact person", "фио", "имя", "контакт", "контактное лицо", "сотрудник"],
        "company": ["company", "company name", "company id", "organisation", "organization", "компания", "организация",
                    "контрагент", "место работы", "клиент"],
        "role": ["role", "buying role", "роль"],
        "phone": ["phone", "telephone", "mobile", "phone number", "телефон", "тел", "мобильный", "моб", "моб тел",
                  "мобильный телефон", "контактный телефон"],
        "phones": ["phones", "телефоны"],
        "email": ["email", "e mail", "mail", "почта", "эл почта", "электронная почта", "e mail адрес", "адрес эл почты"],
        "emails": ["emails", "e mails"],
        "tags": _TAGS,
        "personality_type": ["personality type", "personality", "тип личности"],
        "notes": _COMMON["notes"],
    },
    "sales": {
        "company": _COMPANY_REF,
        "tax_number": ["tax number", "inn", "tin", "инн", "инн контрагента"],
        "date": ["date", "sold on", "sale date", "invoice date", "дата", "дата продажи", "дата документа", "дата реализации"],
        "amount": ["amount", "sum", "total", "value", "сумма", "итого", "сумма с ндс", "стоимость"],
        "reference": ["reference", "ref", "invoice", "invoice number", "number", "document", "номер", "документ",
                      "номер документа", "счет", "счет фактура", "накладная"],
        "note": _COMMON["notes"],
    },
    "touches": {
        "company": _COMPANY_REF,
        "person": _PERSON_REF,
        "date": ["date", "touched on", "дата", "дата контакта"],
        "kind": ["kind", "type", "channel", "вид", "тип", "канал"],
        "outcome": ["outcome", "result", "результат", "итог"],
        "note": [*_COMMON["notes"], "summary", "содержание"],
        "next_on": ["next on", "next date", "next contact", "дата следующего контакта", "следующий контакт"],
        "next_action": ["next action", "next step", "следующий шаг", "следующее действие"],
        "done": ["done", "выполнено"],
    },
    "dossier": {
        "company": _COMPANY_REF,
        "person": _PERSON_REF,
        "item": ["item", "item key", "key", "question", "field", "пункт", "вопрос", "поле"],
        "value": ["value", "answer", "ответ", "значение"],
        "answered_at": ["answered at", "date", "дата", "дата ответа"],
    },
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "companies": ("name",),
    "people": ("name",),
    "sales": ("date", "amount"),
    "touches": ("company", "date", "kind"),
    "dossier": ("company", "item", "value"),
}


def parse_mapping(pairs: list[str] | None, kind: str) -> dict[str, str]:
    """`--map FIELD=COLUMN` options as {field: column}."""
    mapping: dict[str, str] = {}
    fields = ALIASES.get(kind, {})
    for pair in pairs or []:
        if "=" not in pair:
            raise InvalidInput(_("bad --map '{pair}': write it as FIELD=COLUMN, for example --map amount=Сумма").format(pair=pair))
        name, column = (part.strip() for part in pair.split("=", 1))
        name = name.replace("-", "_")
        if name not in fields:
            raise InvalidInput(_("bad --map '{pair}': {kind} have no field '{name}'").format(pair=pair, kind=kind, name=name), hint=_("fields: {items}").format(items=', '.join(fields)))
        mapping[name] = column
    return mapping


class ColumnMap:
    """Which column of the file feeds which field, from the headers and the --map options."""

    def __init__(self, kind: str, headers: list[str], explicit: dict[str, str], source: str) -> None:
        aliases = ALIASES[kind]
        self.by_field: dict[str, str] = {}
        normalised = {header: norm_header(header) for header in headers}
        for name, column in explicit.items():
            found = [h for h in headers if h == column] or [h for h in headers if normalised[h] == norm_header(column)]
            if not found:
                raise InvalidInput(
                    _("{source}: no column '{column}' for --map {name}={column}").format(source=source, column=column, name=name),
                    hint=_("its columns are: {value}").format(value=', '.join(headers) or 'none'),
                )
            self.by_field[name] = found[0]
        taken = set(self.by_field.values())
        lookup = {norm_header(alias): name for name, names in aliases.items() for alias in [name, *names]}
        for header in headers:
            if header in taken:
                continue
            name = lookup.get(normalised[header])
            if name is not None and name not in self.by_field:
                self.by_field[name] = header
                taken.add(header)
        self.ignored = [h for h in headers if h not in taken and h != ""]
        self.unmapped = [name for name in aliases if name not in self.by_field]  # what --map could still name
        missing = [name for name in REQUIRED.get(kind, ()) if name not in self.by_field]
        if kind in ("sales",) and "company" not in self.by_field and "tax_number" not in self.by_field:
            missing.insert(0, "company")
        if missing:
            raise InvalidInput(
                _("{source}: no column for {items} (columns: {value})").format(source=source, items=', '.join(missing), value=', '.join(headers) or 'none'),
                hint=_("name it with --map, for example --map {value}=COLUMN").format(value=missing[0]),
            )

    def get(self, row: dict[str, Any], name: str) -> Any:
        header = self.by_field.get(name)
        if header is None:
            return None
        value = row.get(header)
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    def cells(self, row: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
        """`get` of each of `names` at once (an import reads every row's cells this way)."""
        by_field = self.by_field
        found: dict[str, Any] = {}
        for name in names:
            header = by_field.get(name)
            value = row.get(header) if header is not None else None
            if isinstance(value, str):
                value = value.strip() or None
            found[name] = value
        return found

    def column(self, name: str) -> str:
        return self.by_field.get(name, name)
