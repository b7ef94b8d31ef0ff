"""One renderer for every command: a Rich table, JSON or CSV, from the same records.

Records are plain dicts from the domain layer. User text is never read as markup.
JSON is exactly one document on stdout; CSV is RFC 4180 with a header, and cells that
a spreadsheet would run as a formula are prefixed with `'`.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any

import typer


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output as a table, JSON or CSV.", case_sensitive=False),
]
CompanyArg = Annotated[
    str, typer.Argument(help="The company: id, name, tax number, phone, e-mail, website or a unique part of its name.", show_default=False)
]
PersonArg = Annotated[
    str, typer.Argument(help="The person: id, name, phone, e-mail or a unique part of the name.", show_default=False)
]
LimitOpt = Annotated[int, typer.Option("--limit", help="Show at most N records.", min=0)]
OffsetOpt = Annotated[int, typer.Option("--offset", help="Skip the first N records (for paging).", min=0)]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _console(stderr: bool) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    terminal = _is_terminal(stream)
    width = None
    if not terminal:
        width = int(os.environ.get("COLUMNS", "0") or 0) or 160
    return Console(
        file=stream,
        width=width,
        highlight=False,
        no_color=not terminal or bool(os.environ.get("NO_COLOR")),
        color_system="auto" if terminal and not os.environ.get("NO_COLOR") else None,
        force_terminal=terminal,
        emoji=False,
    )


_out_console: tuple[Any, Any] | None = None  # (the stream, its console)


def reset_consoles() -> None:
    """Forget the console made for stdout (a session's next line sees the terminal's new width)."""
    global _out_console
    _out_console = None


def out_console() -> Any:
    """The console on stdout, made once per stream (a command printing many tables, like
    `agenda`'s one per day, would otherwise set one up for each)."""
    global _out_console
    if _out_console is None or _out_console[0] is not sys.stdout:
        _out_console = (sys.stdout, _console(stderr=False))
    return _out_console[1]


def err_console() -> Any:
    return _console(stderr=True)


def box_style() -> Any:
    """Box-drawing in a terminal, plain ASCII when piped."""
    from rich import box

    return box.SIMPLE_HEAVY if _is_terminal(sys.stdout) else box.ASCII2


def plain(value: Any) -> Any:
    """A value as JSON would carry it."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {cell_text(v)}" for k, v in value.items())
    return str(plain(value))


_UTC_STAMP = None  # compiled on first use


def shown_text(value: Any) -> str:
    """A value as a person reads it in a table: like `cell_text`, but a moment in time is
    shown in the local time zone (`2026-11-30 14:24:40`); JSON and CSV keep UTC."""
    global _UTC_STAMP
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        if _UTC_STAMP is None:
            import re

            _UTC_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(\+00:00|Z)")
        if _UTC_STAMP.fullmatch(value):
            return local_time(datetime.fromisoformat(value.replace("Z", "+00:00")))
    if isinstance(value, (list, tuple)):
        return ", ".join(shown_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {shown_text(v)}" for k, v in value.items())
    return cell_text(value)


def local_time(moment: datetime) -> str:
    """A stored moment (UTC) in the user's local time zone, to the second."""
    if moment.tzinfo is None:
        from datetime import timezone

        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def safe_csv_cell(value: Any) -> str:
    text = cell_text(value) if not isinstance(value, (list, tuple)) else "; ".join(cell_text(v) for v in value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(plain(document), ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


def write_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None, stream: Any = None,
              *, delimiter: str = ",") -> None:
    stream = stream or sys.stdout
    columns = list(columns or (rows[0].keys() if rows else []))
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_csv_cell(row.get(column)) for column in columns])


def render_rows(
    rows: Sequence[dict[str, Any]],
    *,
    fmt: OutputFormat,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    empty_message: str | None = None,
    optional: Sequence[str] = (),
) -> None:
    """A list of records. `columns` picks the table columns; JSON and CSV get every field.
    `optional` columns are left out, the last first, while the table is wider than the terminal."""
    if fmt == OutputFormat.json:
        print_json(list(rows))
        return
    if fmt == OutputFormat.csv:
        write_csv(rows, _all_keys(rows))
        return
    from dossier_cli.i18n import _

    if not rows:
        from dossier_cli.cli.base import stderr_line

        stderr_line(empty_message or _("nothing to show"))
        return
    from rich.table import Table
    from rich.text import Text

    from dossier_cli.cli import display

    shown = list(columns or rows[0].keys())
    cells = {column: [_shown(column, row.get(column), row.get("currency")) for row in rows] for column in shown}
    names = {column: display.header((headers or {}).get(column, column.replace("_", " "))) for column in shown}
    console = out_console()
    amounts = {column for column in shown if display.is_money(column)
               and all(not text or text[0].isdigit() or text[0] == "-" for text in cells[column])}
    # Piped or redirected, a table is never wrapped: each row stays one line, whatever COLUMNS says.
    terminal = _is_terminal(sys.stdout)
    widths = _fitted_widths(shown, names, cells, console.width if terminal else _UNLIMITED, optional, amounts)
    left_out = [names[column] for column in shown if column not in widths and any(cells[column])]
    caption = _("not shown at this width: {columns} (see --format csv)").format(columns=", ".join(left_out))
    table = Table(title=Text(title) if title else None, box=box_style(), show_lines=False,
                  caption=Text(caption) if left_out else None)
    shown = [column for column in shown if column in widths]
    for column in shown:
        table.add_column(Text(names[column]), overflow="fold", width=widths[column],
                         justify="right" if column in amounts else "left")
    for index in range(len(rows)):
        table.add_row(*(Text(cells[column][index]) for column in shown))
    if terminal:
        console.print(table)
        return
    # Console.print never goes past the console's width; a table that does not expand is laid
    # out at its natural width within it (measuring it first would lay it out twice).
    previous = console.width
    console.width = _UNLIMITED
    try:
        console.print(table)
    finally:
        console.width = previous


_UNLIMITED = 100_000  # the width a table has when it is not shown at a terminal


_SHORT_CELL = 12  # a cell this long or shorter without a space (id, date, stage, number) is never folded
_WHOLE = frozenset(("phone",))  # columns never wrapped although their values hold spaces (+7 421 255-01-02)


def _fitted_widths(shown: list[str], names: dict[str, str], cells: dict[str, list[str]], width: int,
                   optional: Sequence[str], amounts: set[str]) -> dict[str, int | None]:
    """Which columns a table shows and the fixed width of some, so that it reads at the terminal's
    width. When the table is too wide: columns empty in every row are left out, then the optional
    ones (the last first), and amounts and short one-word values (ids, dates, stages) keep their
    width while the longer texts wrap around them."""
    from rich.cells import cell_len

    longest = {column: max((cell_len(text) for text in cells[column]), default=0) for column in shown}

    def needed(columns: list[str]) -> int:
        return sum(max(longest[c], cell_len(names[c])) + 3 for c in columns) + 1

    if needed(shown) <= width:
        return {column: None for column in shown}
    fixed: dict[str, int | None] = {}  # the width of the columns that never wrap
    least: dict[str, int] = {}  # the longest word of those that do
    for column in shown:
        short = column in amounts or column in _WHOLE or (
            longest[column] <= _SHORT_CELL and not any(" " in text for text in cells[column]))
        words = max((cell_len(word) for word in names[column].split()), default=1)
        fixed[column] = max(longest[column], min(words, _SHORT_CELL)) if short else None
        least[column] = max(cell_len(word) for text in (*cells[column], names[column]) for word in text.split() or [""])

    kept = [column for column in shown if longest[column] > 0] or list(shown)
    for column in reversed(optional):
        if needed(kept) <= width:
            break
        if column in kept and len(kept) > 1:
            kept.remove(column)
    fitted = {column: fixed[column] for column in kept}
    # The texts that wrap: each gets at least its longest word when they all can, and what is left
    # goes to the longer texts; otherwise Rich shares the width out and long words are cut.
    wrapping = [column for column in kept if fitted[column] is None]
    room = width - sum(width_ + 3 for width_ in fitted.values() if width_ is not None) - 3 * len(wrapping) - 1
    most = {column: max(longest[column], least[column]) for column in wrapping}
    if wrapping and sum(least[column] for column in wrapping) <= room:
        spare = room - sum(least[column] for column in wrapping)
        wanted = sum(most[column] - least[column] for column in wrapping) or 1
        for column in wrapping:
            fitted[column] = min(most[column], least[column] + spare * (most[column] - least[column]) // wanted)
    return fitted


def _shown(column: str, value: Any, currency: Any = None) -> str:
    from dossier_cli.cli import display

    text = display.cell(column, value, currency=currency if isinstance(currency, str) else None)
    return shown_text(value) if text is None else text


def report_record(record: dict[str, Any], *, fmt: OutputFormat, said: str) -> None:
    """What a command that writes answers: in the table form the one line `said` on stderr; JSON
    and CSV carry the whole record."""
    if fmt == OutputFormat.table:
        from dossier_cli.cli.base import stderr_line

        stderr_line(said)
    else:
        render_record(record, fmt=fmt)


def render_record(record: dict[str, Any], *, fmt: OutputFormat, title: str | None = None, skip_empty: bool = True,
                  person: bool = False) -> None:
    """One record: a two-column table, one JSON object, or a one-row CSV (`person`: the record is a person's)."""
    if fmt == OutputFormat.json:
        print_json(record)
        return
    if fmt == OutputFormat.csv:
        flat = {k: v for k, v in record.items() if not isinstance(v, (dict,)) and not _is_record_list(v)}
        write_csv([flat], list(flat))
        return
    from rich.table import Table
    from rich.text import Text

    from dossier_cli.cli import display

    table = Table(title=Text(title) if title else None, box=box_style(), show_header=False)
    table.add_column("field", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    nested: list[tuple[str, list[dict[str, Any]]]] = []
    for key, value in record.items():
        if _is_record_list(value):
            nested.append((key, value))
            continue
        if skip_empty and value in (None, "", [], {}):
            continue
        shown_key = display.person_name_header() if person and key == "name" else display.header(key.replace("_", " "))
        table.add_row(Text(shown_key), Text(_shown(key, value, record.get("currency"))))
    console = out_console()
    console.print(table)
    for key, rows in nested:
        if rows:
            columns = [column for column in _NESTED_COLUMNS.get(key, rows[0].keys()) if column not in _NEVER_NESTED]
            render_rows(rows, fmt=fmt, title=display.header(key.replace("_", " ")), columns=columns,
                        optional=_NESTED_OPTIONAL.get(key, ()),
                        headers={"name": display.person_name_header()} if key == "people" else None)


# What a list inside a record shows as a table (JSON and CSV keep every field): ids and the
# numbers behind a sentence already shown ("client for 1 year 2 months" is client_days) stay out.
_NEVER_NESTED = frozenset({"company_id", "person_id", "client_days"})
_NESTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "previous_businesses": ("person", "role", "company", "liquidated_on", "client_from", "client_for", "payment_reputation"),
}
_NESTED_OPTIONAL: dict[str, tuple[str, ...]] = {
    "previous_businesses": ("role", "client_from", "payment_reputation"),
}


def _is_record_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _all_keys(rows: Sequence[dict[str, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for row in rows:
        for key in row:
            keys.setdefault(key, None)
    return list(keys)


