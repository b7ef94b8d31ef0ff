"""Numbers, money and dates as people write them in the display language.

- Russian: `4 870 000,00 ₽`, `30.11.2026`, `12,5`.
- English: `4,870,000.00 RUB`, `2026-11-30`, `12.5`.

Only what a person reads goes through here (tables, reports, the printable dossier);
JSON and CSV keep plain values (`4870000.00`, ISO dates) so scripts never change.
Money is Babel's number formatting. Loading Babel and a locale's data costs 50-150 ms, which
every command printing an amount would pay, so the symbols Babel gives for the two display
languages and the common currencies are written out below (`tests/test_formatting.py` checks
each against Babel); any other currency is formatted by Babel itself.
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


# Babel's `format_decimal(value, "#,##0.00", locale)`: the group and the decimal separator.
NUMBER_SYMBOLS = {"ru": ("\u00a0", ","), "en": (",", ".")}
LOCALES = {"ru": "ru_RU", "en": "en_US"}
# Babel's `format_currency(value, code, locale="ru_RU")` is the number, a no-break space and
# this sign, for these currencies of two decimal places.
RUSSIAN_CURRENCY_SIGNS = {
    "RUB": "₽", "USD": "$", "EUR": "€", "CNY": "CN¥", "GBP": "£", "UAH": "₴", "INR": "₹",
    "KZT": "KZT", "BYN": "BYN", "CHF": "CHF", "TRY": "TRY", "AED": "AED", "UZS": "UZS", "AMD": "AMD",
    "GEL": "GEL", "KGS": "KGS", "TJS": "TJS", "MNT": "MNT",
}


def _decimal(amount: int | str | Decimal) -> Decimal:
    return Decimal(amount) / 100 if isinstance(amount, int) else Decimal(str(amount))


def _grouped(value: Decimal, language: str) -> str:
    """`#,##0.00` with the language's separators (Python rounds a Decimal half-even, as Babel does)."""
    group, point = NUMBER_SYMBOLS["ru" if language == "ru" else "en"]
    return f"{value:,.2f}".replace(",", "\0").replace(".", point).replace("\0", group)


def format_money(amount: int | str | Decimal, currency: str = "RUB", *, language: str | None = None) -> str:
    """An amount for reading: minor units (int), or a plain decimal string (`4870000.00`)."""
    value = _decimal(amount)
    if _language(language) == "ru":
        sign = RUSSIAN_CURRENCY_SIGNS.get(currency)
        if sign is None:
            from babel.numbers import format_currency

            return format_currency(value, currency, locale="ru_RU")
        return f"{_grouped(value, 'ru')}\u00a0{sign}"
    return f"{_grouped(value, 'en')} {currency}"


def format_amount(amount: int | str | Decimal, *, language: str | None = None) -> str:
    """An amount without its currency, for a table whose title names it: `4 870 000,00` / `4,870,000.00`."""
    return _grouped(_decimal(amount), _language(language))


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
