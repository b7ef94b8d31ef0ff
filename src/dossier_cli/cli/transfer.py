"""`dossier import KIND FILE`, `dossier export KIND`, and `dossier search TEXT`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import IO, Annotated, Any, Optional

import typer

from dossier_cli.cli.base import open_session, settings, stderr_line, warn
from dossier_cli.cli.groups import export_app, import_app
from dossier_cli.cli.output import FormatOpt, OutputFormat, plain, render_rows, write_csv
from dossier_cli.errors import InvalidInput


class InputFormat(str, Enum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


FileArg = Annotated[str, typer.Argument(help="The file to read, or - for standard input.", show_default=False)]
InputFormatOpt = Annotated[
    Optional[InputFormat],
    typer.Option("--format", "-f", help="csv, json or jsonl (guessed from the file name; needed for stdin).", case_sensitive=False),
]
EncodingOpt = Annotated[Optional[str], typer.Option("--encoding", help="The file's encoding (detected when not given), e.g. cp1251.")]
MapOpt = Annotated[
    Optional[list[str]], typer.Option("--map", help="FIELD=COLUMN: which column feeds a field (repeat for several).")
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Report what would be created, updated and refused; change nothing.")]
SkipOpt = Annotated[bool, typer.Option("--skip-errors", help="Import the good rows; write the bad ones to a reject file.")]
RejectOpt = Annotated[
    Optional[str], typer.Option("--reject-file", help="Where --skip-errors writes bad rows (default: FILE.rejects.csv).")
]


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


@contextmanager
def _progress(description: str) -> Iterator[Any]:
    """A Rich progress bar on stderr when it is a terminal; otherwise a callback that does nothing."""
    if not _is_terminal(sys.stderr):
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from dossier_cli.cli.output import err_console

    with Progress(
        TextColumn("{task.description}", markup=False), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
        console=err_console(), transient=True,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _import(kind: str, file: str, fmt: Optional[InputFormat], encoding: Optional[str], mapping: Optional[list[str]],
            dry_run: bool, skip_errors: bool, reject_file: Optional[str]) -> None:
    from dossier_cli.transfer.importing import ImportOptions, run_import
    from dossier_cli.transfer.mapping import parse_mapping
    from dossier_cli.transfer.results import ImportRefused

    options = ImportOptions(
        kind=kind,
        fmt=fmt.value if fmt else None,
        encoding=encoding,
        mapping=parse_mapping(mapping, kind) if kind != "all" else {},
        dry_run=dry_run,
        skip_errors=skip_errors,
        reject_path=reject_file,
    )
    if file == "-":
        stream: Any = sys.stdin.buffer
        total = None
    else:
        path = Path(file).expanduser()
        if not path.is_file():
            raise InvalidInput(f"no file '{file}'", hint="give the path of a CSV, JSON or JSON lines file, or - for standard input")
        stream = path.open("rb")
        total = path.stat().st_size
    try:
        with _progress(f"importing {kind}") as progress:
            options.progress = progress
            with open_session(write=not dry_run) as session:
                from dossier_cli.upkeep import privacy

                people_before = privacy.last_person_id(session)
                result = run_import(session, settings(), stream, file, options, total=total)
                flagged = privacy.flag_new_people(session, after_id=people_before) if kind in ("people", "all") else []
    except ImportRefused as refused:
        for line in refused.result.problem_lines():
            stderr_line(line)
        raise
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    for line in result.problem_lines():
        warn(line)
    for flag in flagged:
        warn(f"{flag['name']} (#{flag['person_id']}) matches do-not-contact marker #{flag['marker_id']} left by "
             f"`forget person` on {flag['forgotten_on']}: marked do-not-contact")
    if result.ignored_columns:
        warn(f"columns not imported: {', '.join(result.ignored_columns)} (name them with --map FIELD=COLUMN)")
    counts = f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, {result.refused} refused"
    if dry_run:
        stderr_line(f"Dry run, nothing changed: importing {kind} from {file} would give {counts}.")
    else:
        stderr_line(f"Imported {kind} from {file}: {counts}.")
    if result.reject_file:
        stderr_line(f"Bad rows written to {result.reject_file} (readable by you only).")


@import_app.command("companies")
def import_companies(file: FileArg, fmt: InputFormatOpt = None, encoding: EncodingOpt = None, map_: MapOpt = None,
                     dry_run: DryRunOpt = False, skip_errors: SkipOpt = False, reject_file: RejectOpt = None) -> None:
    """Import companies; the same name or tax number updates the company already there.

    Example: dossier import companies clients.csv --dry-run
    """
    _import("companies", file, fmt, encoding, map_, dry_run, skip_errors, reject_file)


@import_app.command("people")
def import_people(file: FileArg, fmt: InputFormatOpt = None, encoding: EncodingOpt = None, map_: MapOpt = None,
                  dry_run: DryRunOpt = False, skip_errors: SkipOpt = False, reject_file: RejectOpt = None) -> None:
    """Import people with their company and buying role; the same name at the same company is updated.

    Example: dossier import people contacts.csv --map name=ФИО --map company=Организация
    """
    _import("people", file, fmt, encoding, map_, dry_run, skip_errors, reject_file)


@import_app.command("sales")
def import_sales(file: FileArg, fmt: InputFormatOpt = None, encoding: EncodingOpt = None, map_: MapOpt = None,
                 dry_run: DryRunOpt = False, skip_errors: SkipOpt = False, reject_file: RejectOpt = None) -> None:
    """Import sales; a sale already there (same invoice, or same day and amount) is not added twice.

    Example: dossier import sales sales-2026.csv --map company=Контрагент --map amount=Сумма --map date=Дата
    """
    _import("sales", file, fmt, encoding, map_, dry_run, skip_errors, reject_file)


@import_app.command("touches")
def import_touches(file: FileArg, fmt: InputFormatOpt = None, encoding: EncodingOpt = None, map_: MapOpt = None,
                   dry_run: DryRunOpt = False, skip_errors: SkipOpt = False, reject_file: RejectOpt = None) -> None:
    """Import the contact log (calls, meetings, letters …).

    Example: cat touches.jsonl | dossier import touches - --format jsonl
    """
    _import("touches", file, fmt, encoding, map_, dry_run, skip_errors, reject_file)


@import_app.command("dossier")
def import_dossier(file: FileArg, fmt: InputFormatOpt = None, encoding: EncodingOpt = None, map_: MapOpt = None,
                   dry_run: DryRunOpt = False, skip_errors: SkipOpt = False, reject_file: RejectOpt = None) -> None:
    """Import dossier answers (company, item, value); a changed answer keeps the old one as history.

    Example: dossier import dossier answers.csv --map item=Пункт --map value=Ответ
    """
    _import("dossier", file, fmt, encoding, map_, dry_run, skip_errors, reject_file)


@import_app.command("all")
def import_all(file: FileArg, dry_run: DryRunOpt = False) -> None:
    """Restore a whole `export all` JSON document into an empty database.

    Example: dossier --db restored.db import all backup.json
    """
    _import("all", file, InputFormat.json, None, None, dry_run, False, None)


# ---------------------------------------------------------------- export
ExportFormatOpt = Annotated[
    Optional[InputFormat], typer.Option("--format", "-f", help="csv, json or jsonl (default csv; json for all).", case_sensitive=False)
]
OutputOpt = Annotated[str, typer.Option("--output", "-o", help="Write to this file (created readable by you only), or - for stdout.")]


@contextmanager
def _output(target: str) -> Iterator[IO[str]]:
    """Standard output, or a private file written beside the target and renamed into place when complete."""
    if target == "-":
        yield sys.stdout
        return
    path = Path(target).expanduser()
    if path.is_dir():
        raise InvalidInput(f"'{target}' is a folder; give a file name")
    temporary = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise InvalidInput(f"cannot write '{target}': {exc.strerror}") from None
    os.fchmod(fd, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _write_records(rows: Iterator[dict[str, Any]], fmt: str, columns: tuple[str, ...], stream: IO[str]) -> int:
    import json

    written = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal written
        for row in rows:
            written += 1
            yield row

    if fmt == "csv":
        write_csv(counted(), columns, stream)  # type: ignore[arg-type]
    elif fmt == "jsonl":
        for row in counted():
            stream.write(json.dumps(plain(row), ensure_ascii=False) + "\n")
    else:
        stream.write("[")
        for row in counted():
            stream.write(("\n  " if written == 1 else ",\n  ") + json.dumps(plain(row), ensure_ascii=False))
        stream.write("\n]\n" if written else "]\n")
    return written


def _export(kind: str, fmt: Optional[InputFormat], output: str) -> None:
    from dossier_cli.transfer import exporting as exporter

    chosen = fmt.value if fmt else ("json" if kind == "all" else "csv")
    if kind == "all" and chosen != "json":
        raise InvalidInput("`export all` writes one JSON document", hint="use --format json (or export one kind as CSV)")
    with open_session(write=False) as session, _output(output) as stream:
        if kind == "all":
            counts = exporter.write_all_json(session, stream)
            written = sum(counts.values())
        else:
            written = _write_records(exporter.records(session, settings(), kind), chosen, exporter.COLUMNS[kind], stream)
    if output != "-":
        stderr_line(f"Exported {written} {kind if kind != 'all' else 'rows'} to {output} (readable by you only).")


@export_app.command("companies")
def export_companies(fmt: ExportFormatOpt = None, output: OutputOpt = "-") -> None:
    """Write every company out (branches and tags included), re-importable with `import companies`.

    Example: dossier export companies --format csv > companies.csv
    """
    _export("companies", fmt, output)


@export_app.command("people")
def export_people(fmt: ExportFormatOpt = None, output: OutputOpt = "-") -> None:
    """Write every person out, one record per company they are linked to.

    Example: dossier export people --format jsonl --output people.jsonl
    """
    _export("people", fmt, output)


@export_app.command("sales")
def export_sales(fmt: ExportFormatOpt = None, output: OutputOpt = "-") -> None:
    """Write every sale out, with its company's name and tax number.

    Example: dossier export sales --format csv --output sales.csv
    """
    _export("sales", fmt, output)


@export_app.command("touches")
def export_touches(fmt: ExportFormatOpt = None, output: OutputOpt = "-") -> None:
    """Write the whole contact log out.

    Example: dossier export touches --format json
    """
    _export("touches", fmt, output)


@export_app.command("all")
def export_all(fmt: ExportFormatOpt = None, output: OutputOpt = "-") -> None:
    """Write the whole database as one JSON document that `import all` restores into an empty database.

    Example: dossier export all --format json > backup.json
    """
    _export("all", fmt, output)


# ---------------------------------------------------------------- search
def search_command(
    text: Annotated[str, typer.Argument(help="Words to look for (any characters; all words must match).", show_default=False)],
    kind: Annotated[
        Optional[str], typer.Option("--kind", help="Only companies, people, touches or dossier.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most N matches.", min=0)] = 20,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Search company names and notes, people, touch notes and dossier answers, best match first.

    Example: dossier search "ромашка"
    """
    from dossier_cli import search

    with open_session(write=False) as session:
        rows = search.search(session, text, kind=kind, limit=limit)
    render_rows(rows, fmt=fmt, columns=["kind", "id", "title", "company", "snippet"], empty_message="nothing matches")
