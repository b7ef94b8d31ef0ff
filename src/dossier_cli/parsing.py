"""Parsing what users type: dates, periods, money. Shared by commands and the import.

Dates: ISO (`2026-11-02`) and day-first local forms (`02.11.2026`, `2.11.26`), plus
`today` and `yesterday`. Money: `125000.50`, `125 000,50`, `125000`; stored in minor units.
Periods: `2026`, `2026-Q3`, `2026-11`, or explicit from/to dates; both ends included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _

_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_DAY_FIRST = re.compile(r"^\d{1,2}[./]\d{1,2}[./]\d{2,4}$")
MAX_AMOUNT_MINOR = 10**15  # a quadrillion kopecks: far beyond any real invoice


def parse_date(text: str, *, field: str = "date") -> date:
    value = text.strip()
    lowered = value.lower()
    if lowered in ("today", "сегодня"):
        return date.today()
    if lowered in ("yesterday", "вчера"):
        return date.today() - timedelta(days=1)
    if lowered in ("tomorrow", "завтра"):
        return date.today() + timedelta(days=1)
    if not (_ISO.match(value) or _DAY_FIRST.match(value)):
        raise InvalidInput(_("bad {field} '{text}': write it as YYYY-MM-DD or DD.MM.YYYY").format(field=_(field), text=text))
    from dateutil import parser as date_parser

    try:
        parsed = date_parser.parse(value, dayfirst=not _ISO.match(value), yearfirst=bool(_ISO.match(value)))
    except (ValueError, OverflowError):
        raise InvalidInput(_("bad {field} '{text}': no such day; write it as YYYY-MM-DD or DD.MM.YYYY").format(field=_(field), text=text)) from None
    return parsed.date()


def parse_year(text: str | int, *, field: str = "year") -> int:
    try:
        year = int(str(text).strip())
    except ValueError:
        raise InvalidInput(_("bad {field} '{text}': expected a four-digit year such as 2009").format(field=_(field), text=text)) from None
    if not 1700 <= year <= date.today().year:
        raise InvalidInput(_("bad {field} '{text}': expected a year between 1700 and {year}").format(field=_(field), text=text, year=date.today().year))
    return year


# A currency written before or after an amount: ₽, руб., руб, р., RUB, RUR, $, €, USD, EUR…
_CURRENCY_MARK = re.compile(r"(?i)^\s*(₽|\$|€|[a-z]{3}\b)\s*|\s*(₽|руб\.?|рублей|рубля|рубль|р\.|р|\$|€|[a-z]{3})\s*$")


def parse_amount(text: str | int | float, *, field: str = "amount", allow_negative: bool = False) -> int:
    """Parse money into integer minor units (kopecks, cents)."""
    raw = _CURRENCY_MARK.sub("", str(text).strip())  # `4 870 000,00 ₽`, `1 200 руб.`, `5,000.00 RUB`
    raw = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    elif raw.count(",") >= 1 and raw.count(".") == 1 and raw.rfind(",") < raw.rfind("."):
        raw = raw.replace(",", "")  # 1,250,000.50
    if not re.fullmatch(r"[+-]?\d+(\.\d{1,2})?", raw):
        raise InvalidInput(_("bad {field} '{text}': expected a number such as 125000.50 or 125 000,50").format(field=_(field), text=text))
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise InvalidInput(_("bad {field} '{text}': expected a number such as 125000.50").format(field=_(field), text=text)) from None
    minor = int((amount * 100).to_integral_value())
    if minor < 0 and not allow_negative:
        raise InvalidInput(_("bad {field} '{text}': must not be negative").format(field=_(field), text=text))
    if abs(minor) > MAX_AMOUNT_MINOR:
        raise InvalidInput(_("bad {field} '{text}': too large").format(field=_(field), text=text))
    return minor


def format_amount(minor: int) -> str:
    """Minor units as a plain decimal string (`12500050` -> `125000.50`)."""
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    return f"{sign}{whole}.{cents:02d}"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


# The years a period or a quarter may name: the calendar's arithmetic (next quarter, weeks
# left) must stay within Python's dates, and anything else is a typo.
PERIOD_YEARS = range(1900, 3000)


def parse_period(text: str) -> Period:
    """`2026`, `2026-Q3`, `2026-11`; both ends included."""
    value = text.strip().upper()
    if (m := re.match(r"(\d{4})", value)) and int(m[1]) not in PERIOD_YEARS:
        raise InvalidInput(_("bad period '{text}': write a year (2026), a quarter (2026-Q3) or a month (2026-11)").format(text=text))
    if m := re.fullmatch(r"(\d{4})", value):
        year = int(m[1])
        return Period(date(year, 1, 1), date(year, 12, 31), value)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        return quarter_period(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            start = date(year, month, 1)
            return Period(start, _month_end(start), f"{year}-{month:02d}")
    raise InvalidInput(_("bad period '{text}': write a year (2026), a quarter (2026-Q3) or a month (2026-11)").format(text=text))


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * (quarter - 1) + 1, 1)
    end = _month_end(date(year, 3 * quarter, 1))
    return Period(start, end, f"{year}-Q{quarter}")


def parse_quarter(text: str) -> Period:
    value = text.strip().upper()
    m = re.fullmatch(r"(\d{4})-Q([1-4])", value)
    if not m or int(m[1]) not in PERIOD_YEARS:
        raise InvalidInput(_("bad quarter '{text}': write it as YYYY-Qn, for example 2027-Q1").format(text=text))
    return quarter_period(int(m[1]), int(m[2]))


def current_quarter(today: date | None = None) -> Period:
    today = today or date.today()
    return quarter_period(today.year, (today.month - 1) // 3 + 1)


def resolve_period(period: str | None, date_from: str | None, date_to: str | None, *, default_days: int = 365) -> Period:
    """A period from `--period`, or `--from/--to`, or the last `default_days` days up to today."""
    if period and (date_from or date_to):
        raise InvalidInput(_("give either --period or --from/--to, not both"))
    if period:
        return parse_period(period)
    end = parse_date(date_to, field="--to date") if date_to else date.today()
    start = parse_date(date_from, field="--from date") if date_from else end - timedelta(days=default_days - 1)
    if start > end:
        raise InvalidInput(_("bad period: --from {start} is after --to {end}").format(start=start, end=end))
    return Period(start, end, f"{start}..{end}")


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


MAX_PAGE = 10_000  # records one list command returns at most; page with --offset


def check_page(limit: int, offset: int) -> None:
    """Refuse a page that no list command should serve (negative, or absurdly large)."""
    if limit < 0 or offset < 0:
        raise InvalidInput(_("--limit and --offset must not be negative"))
    if limit > MAX_PAGE:
        raise InvalidInput(_("--limit {limit} is too large; page with --offset (at most {MAX_PAGE} a page)").format(limit=limit, MAX_PAGE=MAX_PAGE))


MAX_CADENCE_DAYS = 3660  # ten years: anything longer is a typo


def parse_month(text: str, *, field: str = "--close-by") -> date:
    """`2027-02` or `02.2027` (a full date is taken as its month) -> the month's first day."""
    value = text.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", value) or None
    if m:
        year, month = int(m[1]), int(m[2])
    elif m2 := re.fullmatch(r"(?:\d{1,2}\.)?(\d{1,2})\.(\d{4})", value):
        year, month = int(m2[2]), int(m2[1])
    else:
        raise InvalidInput(_("bad {field} '{text}': write the month as YYYY-MM, for example 2027-02").format(field=_(field), text=text))
    if not 1 <= month <= 12 or not 1900 <= year <= 9999:
        raise InvalidInput(_("bad {field} '{text}': no such month").format(field=_(field), text=text))
    return date(year, month, 1)


def parse_cadence(value: str | int, *, field: str = "--every") -> int:
    """Stay-in-touch days: a whole number from 1 to 3660."""
    text = str(value).strip()
    if not re.fullmatch(r"\d+", text) or not 1 <= int(text) <= MAX_CADENCE_DAYS:
        raise InvalidInput(
            _("bad {field} '{text}': give a number of days from 1 to {most}").format(field=_(field), text=text, most=MAX_CADENCE_DAYS)
        )
    return int(text)
