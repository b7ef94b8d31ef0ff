"""Cell values parsed the way the interactive commands parse them (dates, amounts, text, lists, yes/no)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _
from dossier_cli.parsing import parse_amount, parse_date
from dossier_cli.text import check_text, fold
from dossier_cli.transfer.results import BadRow
from dossier_cli.vocab import is_yes


# ---------------------------------------------------------------- value parsing
PLAIN_AMOUNT = re.compile(r"\d{1,13}(\.\d{1,2})?")


def text_cell(value: Any, column: str, *, max_length: int = 10_000) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        raise BadRow(column, _("expected text, not a list or object"))
    text = str(value).strip()
    if not text:
        return None
    try:
        return check_text(text, field=column, max_length=max_length)
    except InvalidInput as exc:
        raise BadRow(column, domain_message(exc)) from None


def list_cell(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(";") if part.strip()]


def split_cell(value: Any) -> list[str]:
    """Several values in one cell, separated by `;` or `,` (or a JSON list): phones, e-mails, websites, tags."""
    if value is None:
        return []
    if isinstance(value, list):
        parts = [str(v) for v in value]
    else:
        parts = re.split(r"[;,]", str(value))
    return [part.strip() for part in parts if part.strip()]


def bool_cell(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip()
    answer = is_yes(text) if text else False
    if answer is None:
        raise BadRow(column, _("expected yes or no, not '{value}'").format(value=value))
    return answer


class Values:
    """Parsers with caches: dates and validated choices repeat a great deal in big files."""

    def __init__(self) -> None:
        self._dates: dict[str, date] = {}

    def date(self, value: Any, column: str, *, field: str | None = None) -> date:
        """`field` names the date as the command does in its messages ("sale date"); by default the column."""
        key = str(value).strip()
        cached = self._dates.get(key)
        if cached is not None:
            return cached
        try:
            parsed = parse_date(key, field=field or column)
        except InvalidInput as exc:
            raise BadRow(column, domain_message(exc)) from None
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
            whole, _dot, cents = text.partition(".")
            return int(whole) * 100 + int((cents + "00")[:2])
        try:
            return parse_amount(text, field=column)
        except InvalidInput as exc:
            raise BadRow(column, domain_message(exc)) from None


def checked(column: str, check: Any, *args: Any, **kwargs: Any) -> Any:
    """`check(*args, **kwargs)` (a domain rule); what it refuses is a bad row naming `column`."""
    try:
        return check(*args, **kwargs)
    except InvalidInput as exc:
        raise BadRow(column, domain_message(exc)) from None


def domain_message(exc: Any) -> str:
    """A domain error as one row's problem: its message, and its hint in brackets."""
    hint = getattr(exc, "hint", None)
    return f"{exc.message} ({hint})" if hint else exc.message
