"""Money as a person reads it: the symbols formatting.py writes out must be Babel's own.

formatting.py keeps Babel's separators and currency signs for Russian and English so that a
command printing an amount does not load Babel's locale data; here each of them is compared
with what Babel itself prints, so a newer Babel (or a mistyped sign) fails this test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dossier_cli import formatting

babel_numbers = pytest.importorskip("babel.numbers")

AMOUNTS = [0, 5, 99, 100, 123456, -123456, 487000000, -487000000, 10**15 + 7, "4870000.00", "-0.50", "12.30",
           Decimal("1234567.891"), Decimal("0.005"), Decimal("2.675")]


@pytest.mark.parametrize("currency", sorted(formatting.RUSSIAN_CURRENCY_SIGNS))
def test_russian_money_is_babels(currency: str) -> None:
    for amount in AMOUNTS:
        value = Decimal(amount) / 100 if isinstance(amount, int) else Decimal(str(amount))
        assert formatting.format_money(amount, currency, language="ru") == babel_numbers.format_currency(
            value, currency, locale="ru_RU"), (amount, currency)


def test_other_currencies_are_formatted_by_babel() -> None:
    assert "JPY" not in formatting.RUSSIAN_CURRENCY_SIGNS
    assert formatting.format_money(123456, "JPY", language="ru") == babel_numbers.format_currency(
        Decimal("1234.56"), "JPY", locale="ru_RU")


@pytest.mark.parametrize("language", ["ru", "en"])
def test_amounts_are_babels(language: str) -> None:
    locale = formatting.LOCALES[language]
    for amount in AMOUNTS:
        value = Decimal(amount) / 100 if isinstance(amount, int) else Decimal(str(amount))
        expected = babel_numbers.format_decimal(value, format="#,##0.00", locale=locale)
        assert formatting.format_amount(amount, language=language) == expected, (amount, language)
        if language == "en":
            assert formatting.format_money(amount, "RUB", language="en") == f"{expected} RUB"


def test_what_a_reader_sees() -> None:
    assert formatting.format_money(487000000, "RUB", language="ru") == "4\u00a0870\u00a0000,00\u00a0₽"
    assert formatting.format_money(487000000, "RUB", language="en") == "4,870,000.00 RUB"
    assert formatting.format_amount("-1234.50", language="ru") == "-1\u00a0234,50"
