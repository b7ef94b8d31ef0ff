"""Numbers, money and dates as people write them in the display language.

- Russian: `4 870 000,00 ₽`, `30.11.2026`, `12,5`.
- English: `4,870,000.00 RUB`, `2026-11-30`, `12.5`.

Only what a person reads goes through here (tables, reports, the printable dossier);
JSON and CSV keep plain values (`4870000.00`, ISO dates) so scripts never change.
Money uses Babel's number formatting, imported on the first amount printed (it costs
tens of milliseconds, so commands that print no money never load it).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

_PLAIN_AMOUNT = re.compile(r"-?\d+\.\d{2}")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _language(language: str | None) -> str:
    if language is not None:
        return language
    from dossier_cli.i18n import language as current

    return current()


def format_money(amount: int | str | Decimal, currency: str = "RUB", *, language: str | None = None) -> str:
    """An amount for reading: minor units (int), or a plain decimal string (`4870000.00`)."""
    value = Decimal(amount) / 100 if isinstance(amount, int) else Decimal(str(amount))
    if _language(language) == "ru":
        from babel.numbers import format_currency

        return format_currency(value, currency, locale="ru_RU")
    from babel.numbers import format_decimal

    return f"{format_decimal(value, format='#,##0.00', locale='en_US')} {currency}"


def format_amount(amount: int | str | Decimal, *, language: str | None = None) -> str:
    """An amount without its currency, for a table whose title names it: `4 870 000,00` / `4,870,000.00`."""
    from babel.numbers import format_decimal

    value = Decimal(amount) / 100 if isinstance(amount, int) else Decimal(str(amount))
    return format_decimal(value, format="#,##0.00", locale="ru_RU" if _language(language) == "ru" else "en_US")


def format_day(day: date | datetime | str, *, language: str | None = None) -> str:
    """A calendar date: `30.11.2026` in Russian, ISO `2026-11-30` in English."""
    if isinstance(day, str):
        if not _ISO_DAY.fullmatch(day):
            return day
        day = date.fromisoformat(day)
    if isinstance(day, datetime):
        day = day.date()
    if _language(language) == "ru":
        return day.strftime("%d.%m.%Y")
    return day.isoformat()


def format_number(value: float | int | None, spec: str = "g", *, language: str | None = None) -> str:
    """A statistic (a median, a share) by a format spec (`g`, `.1f`), with a decimal comma in Russian."""
    if value is None:
        return ""
    text = format(value, spec)
    if _language(language) == "ru":
        text = text.replace(".", ",")
    return text


def language_is_russian() -> bool:
    return _language(None) == "ru"


def is_plain_amount(value: Any) -> bool:
    return isinstance(value, str) and bool(_PLAIN_AMOUNT.fullmatch(value))
