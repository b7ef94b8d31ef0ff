"""What a table cell and header look like in the display language (tables only: JSON and CSV
keep the stored values and English keys, so scripts never change with the language).

- headers: the English header, translated (each one is listed below for the catalog);
- money columns: `4 870 000,00 ₽` / `4,870,000.00 RUB`, right-aligned;
- dates: `30.11.2026` in Russian;
- enumerated values (stage, role, kind, outcome, activity, source): their label.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from dossier_cli.i18n import N_, _

# Columns holding an amount as a plain decimal string (`4870000.00`).
MONEY_COLUMNS = frozenset(("amount", "sales", "revenue", "value", "total", "sales_last_12_months", "deal_value"))

# Columns holding an enumerated value, and the vocabulary that labels it.
_ENUM_COLUMNS = {
    "stage": "STAGES", "from_stage": "STAGES", "to_stage": "STAGES", "first_stage": "STAGES",
    "role": "ROLES", "kind": "TOUCH_KINDS", "outcome": "OUTCOMES", "activity": "ACTIVITIES", "source": "SOURCES",
    "status": "STATUSES", "company_status": "STATUSES", "event": "EVENTS",
}
_SYSTEM_NOTE_COLUMNS = ("note",)

# Every header a table shows, marked for the catalog (the English text is the message).
HEADERS = (
    N_("id"), N_("name"), N_("stage"), N_("status"), N_("city"), N_("market"), N_("industry"), N_("activity"),
    N_("source"), N_("territory"), N_("legal form"), N_("tax number"), N_("kpp"), N_("ogrn"), N_("founded"),
    N_("industry needs"), N_("strategy"), N_("trend"), N_("financial standing"), N_("supply channels"),
    N_("competitors"), N_("payment reputation"), N_("notes"), N_("note"), N_("tags"), N_("branches"),
    N_("phones"), N_("emails"), N_("websites"), N_("phone"), N_("email"), N_("people"), N_("person"),
    N_("companies"), N_("company"), N_("role"), N_("active"), N_("since"), N_("until"), N_("listed on"),
    N_("liquidated on"), N_("date"), N_("amount"), N_("currency"), N_("reference"), N_("kind"), N_("outcome"),
    N_("next on"), N_("next action"), N_("done"), N_("action"), N_("touched on"), N_("last touch"),
    N_("days quiet"), N_("from"), N_("to"), N_("days at from"), N_("user"), N_("rank"), N_("sales"),
    N_("rating"), N_("touches (90 days)"), N_("share percent"), N_("cumulative percent"), N_("abc group"),
    N_("setting"), N_("value"), N_("title"), N_("snippet"), N_("at"), N_("item"), N_("percent"), N_("ready"),
    N_("short by"), N_("missing"), N_("what"), N_("purpose"), N_("score"), N_("first"), N_("second"),
    N_("reason"), N_("quarter"), N_("territories"), N_("markets"), N_("who"), N_("prospects"), N_("touches"),
    N_("clients"), N_("reviewed"), N_("do not contact"), N_("company status"), N_("previous businesses"),
    N_("links"), N_("revenue"), N_("share"), N_("group"), N_("customers"), N_("conversion"), N_("open"),
    N_("main activity"), N_("in register since"), N_("inn"), N_("region"), N_("category"), N_("okved"),
    N_("address"), N_("rating history"), N_("sales last 12 months"), N_("stage history"), N_("dossier"),
    N_("gifts"), N_("touches (last 5)"), N_("open steps"), N_("relationship"), N_("client since"),
    N_("backend"), N_("schema revision"), N_("company count"), N_("person count"), N_("sale count"), N_("touch count"),
    N_("server version"), N_("connected as"), N_("file"), N_("file mode"), N_("database"),
    N_("client for"), N_("client from"), N_("client days"), N_("company id"), N_("previous saved as"),
    N_("cycle"), N_("event"), N_("stage since"), N_("last sale on"), N_("field"), N_("count"), N_("median days"), N_("no recent contact"), N_("last contact"),
    N_("deal value"), N_("close by"), N_("every days"), N_("rating trend"), N_("rating note"), N_("tax register"),
    N_("person id"), N_("company id"),
    # the tax register's status and firm cards
    N_("as of"), N_("loaded at"), N_("files"), N_("firms"), N_("sole traders"), N_("category micro"), N_("category small"), N_("category medium"),
    N_("activity codes"), N_("where"), N_("size"), N_("full name"), N_("region name"), N_("okved name"), N_("newly created"), N_("register date"),
)

_TRUE_FALSE = {True: N_("yes"), False: N_("no")}


def header(text: str) -> str:
    return _(text)


def person_name_header() -> str:
    """The "name" column of a table of people («имя»; a company's name is «название»)."""
    from dossier_cli.i18n import pgettext

    return pgettext("person", "name")


def is_money(column: str) -> bool:
    return column in MONEY_COLUMNS or column.startswith("sales")


def cell(column: str, value: Any, *, currency: str | None = None) -> str | None:
    """The cell as shown, or None to show it as the plain renderer does."""
    from dossier_cli import formatting

    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _(_TRUE_FALSE[value]) if formatting.language_is_russian() else None
    if is_money(column) and isinstance(value, str):
        amount, _space, code = value.partition(" ")
        if formatting.is_plain_amount(amount) and (not code or (len(code) == 3 and code.isalpha())):
            return formatting.format_money(amount, code or currency or _currency())
    if isinstance(value, (date, datetime)) or (isinstance(value, str) and len(value) == 10 and value[4:5] == "-"):
        if formatting.language_is_russian():
            return formatting.format_day(value)
        return None
    if isinstance(value, float) and formatting.language_is_russian():
        return formatting.format_number(value)
    vocabulary = _ENUM_COLUMNS.get(column) or ("SYSTEM_NOTES" if column in _SYSTEM_NOTE_COLUMNS else None)
    if vocabulary and isinstance(value, str) and formatting.language_is_russian():
        from dossier_cli import vocab

        return getattr(vocab, vocabulary).label(value)
    return None


def _currency() -> str:
    from dossier_cli.cli.base import settings

    try:
        return settings().currency
    except Exception:  # noqa: BLE001 - a bad config is reported elsewhere; the cell still prints
        return "RUB"


def label(column: str, value: Any) -> str:
    """An enumerated value for a message: its Russian label under ru, the stored value in English."""
    from dossier_cli import formatting, vocab

    vocabulary = _ENUM_COLUMNS.get(column)
    if value is None:
        return ""
    if vocabulary and formatting.language_is_russian():
        return getattr(vocab, vocabulary).label(str(value))
    return str(value)


def day(value: Any) -> str:
    """A date for a message: 30.11.2026 under ru, ISO in English."""
    from dossier_cli import formatting

    return "" if value is None else formatting.format_day(value)


def number(value: Any, spec: str = "g") -> str:
    """A statistic for a message or a cell (`g`, `.1f`): a decimal comma under ru."""
    from dossier_cli import formatting

    return formatting.format_number(value, spec)
