"""Cell values parsed the way the interactive commands parse them (dates, amounts, text, lists, yes/no)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from dossier_cli.errors import InvalidInput
from dossier_cli.parsing import parse_amount, parse_date
from dossier_cli.text import check_text, fold
from dossier_cli.transfer.results import BadRow


# ---------------------------------------------------------------- value parsing
PLAIN_AMOUNT = re.compile(r"\d{1,13}(\.\d{1,2})?")
_TRUE = {"1", "true", "yes", "y", "да", "x", "+"}
_FALSE = {"0", "false", "no", "n", "нет", "-", ""}


def text_cell(value: Any, column: str, *, max_length: int = 10_000) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        raise BadRow(column, "expected text, not a list or object")
    text = str(value).strip()
    if not text:
        return None
    try:
        return check_text(text, field=column, max_length=max_length)
    except InvalidInput as exc:
        raise BadRow(column, exc.message) from None


def list_cell(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def bool_cell(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    folded = fold(str(value if value is not None else ""))
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise BadRow(column, f"expected yes or no, not '{value}'")


class Values:
    """Parsers with caches: dates and validated choices repeat a great deal in big files."""

    def __init__(self) -> None:
        self._dates: dict[str, date] = {}

    def date(self, value: Any, column: str) -> date:
        key = str(value).strip()
        cached = self._dates.get(key)
        if cached is not None:
            return cached
        try:
            parsed = parse_date(key, field=column)
        except InvalidInput as exc:
            raise BadRow(column, exc.message) from None
        if len(self._dates) < 100_000 and fold(key) not in ("today", "сегодня", "yesterday", "вчера", "tomorrow", "завтра"):
            self._dates[key] = parsed
        return parsed

    @staticmethod
    def amount(value: Any, column: str) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        elif isinstance(value, float):
            value = repr(value)
        text = str(value).strip()
        if PLAIN_AMOUNT.fullmatch(text):
            whole, _, cents = text.partition(".")
            return int(whole) * 100 + int((cents + "00")[:2])
        try:
            return parse_amount(text, field=column)
        except InvalidInput as exc:
            raise BadRow(column, exc.message) from None
