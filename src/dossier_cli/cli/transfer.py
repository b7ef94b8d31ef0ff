"""`dossier import KIND FILE` and `dossier export KIND`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import IO, Annotated, Any, Optional

import typer

from dossier_cli.cli.base import open_session, settings, stderr_line, warn
from dossier_cli.cli.files import output_stream
from dossier_cli.cli.groups import export_app, import_app
from dossier_cli.cli.output import plain, write_csv
from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import N_, _

# What an import brought in, as its summary line names it.
_KIND_WORDS = {"companies": N_("companies"), "people": N_("people"), "sales": N_("sales"), "touches": N_("touches"),
               "dossier": N_("dossier"), "payments": N_("payments"), "all": N_("all")}


class InputFormat(str, Enum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    xlsx = "xlsx"
    xls = "xls"
    ods = "ods"
    vcf = "vcf"


FileArg = Annotated[str, typer.Argument(help="The file to read, or - for standard input.", show_default=False)]
InputFormatOpt = Annotated[
    Optional[InputFormat],
    typer.Option("--format", "-f", case_sensitive=False, help=_(
        "csv, json, jsonl, xlsx, xls, ods or vcf (guessed from the file name; needed for stdin).")),
]
SheetOpt = Annotated[Optional[str], typer.Option("--sheet", help=_("Spreadsheets: the sheet to read (default: the first)."))]
HeaderRowOpt = Annotated[Optional[int], typer.Option(
    "--header-row", min=1, help=_("Spreadsheets: the row holding the column names, as Excel numbers it (default: found)."))]
CreateMissingOpt = Annotated[bool, typer.Option(
    "--create-missing", help=_("Add the companies the file names that are not listed yet (vCard ORG, statement payers)."))]
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


def _import(kind: str, file: str, fmt: Optional[InputFormat | str], encoding: Optional[str], mapping: Optional[list[str]],
            dry_run: bool, skip_errors: bool, reject_file: Optional[str], *, sheet: Optional[str] = None,
            header_row: Optional[int] = None, create_missing: bool = False, our_inn: Optional[str] = None,
            what: Optional[str] = None) -> None:
    from dossier_cli.transfer.importing import ImportOptions, run_import
    from dossier_cli.transfer.mapping import parse_mapping
    from dossier_cli.transfer.results import ImportRefused

    options = ImportOptions(
        kind=kind,
        fmt=fmt.value if isinstance(fmt, InputFormat) else fmt,
        encoding=encoding,
        mapping=parse_mapping(mapping, kind) if kind != "all" else {},
        dry_run=dry_run,
        skip_errors=skip_errors,
        reject_path=reject_file,
        sheet=sheet,
        header_row=header_row,
        create_missing=create_missing,
        our_inn=our_inn,
    )
    what = what or kind
    shown = _(_KIND_WORDS.get(what, what))  # the summary names what was imported in the display language
    if file == "-":
        stream: Any = sys.stdin.buffer
        total = None
    else:
        path = Path(file).expanduser()
        if not path.is_file():
            raise InvalidInput(_("no file '{file}'").format(file=file), hint=_("give the path of a CSV, JSON or JSON lines file, or - for standard input"))
        stream = path.open("rb")
        total = path.stat().st_size
    try:
        with _progress(f"importing {what}") as progress:
            options.progress = progress
            with open_session(write=not dry_run) as session:
                result = run_import(session, settings(), stream, file, options, total=total)
    except ImportRefused as refused:
        for line in refused.result.problem_lines():
            stderr_line(line)
        raise
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    for line in result.problem_lines():
        warn(line)
    for flag in result.flagged:
        warn(_("{name} (#{person_id}) matches do-not-contact marker #{marker_id} left by `forget person` on {forgotten_on}: marked do-not-contact").format(name=flag['name'], person_id=flag['person_id'], marker_id=flag['marker_id'], forgotten_on=flag['forgotten_on']))
    if result.ignored_columns:
        if result.unmapped_fields:
            warn(_("columns not imported: {columns} (name them with --map FIELD=COLUMN, FIELD one of: {fields})").format(
                columns=", ".join(result.ignored_columns), fields=", ".join(result.unmapped_fields)))
        else:
            warn(_("columns not imported: {columns} (every field already has a column)").format(
                columns=", ".join(result.ignored_columns)))
    counts = _("{created} created, {updated} updated, {unchanged} unchanged, {refused} refused").format(
        created=result.created, updated=result.updated, unchanged=result.unchanged, refused=result.refused)
    if result.details and kind != "all":  # what a vCard or a 1C statement also did (transfer/formats)
        counts += "; " + ", ".join(f"{_(name)}: {n}" for name, n in result.details.items())
    if dry_run:
        stderr_line(_("Dry run, nothing changed: importing {what} from {file} would give {counts}.").format(what=shown, file=file, counts=counts))
    else:
        stderr_line(_("Imported {what} from {file}: {counts}.").format(what=shown, file=file, counts=counts))
    if result.reject_file:
        stderr_line(_("Bad rows written to {reject_file} (readable by you only).").format(reject_file=result.reject_file))


@import_app.command("companies")
def import_companies(file: FileArg, fmt: InputFormatOpt = None, encoding: EncodingOpt = None, map_: MapOpt = None,
                     dry_run: DryRunOpt = False, skip_errors: SkipOpt = False, reject_file: RejectOpt = None,
                     sheet: SheetOpt = None, header_row: HeaderRowOpt = None) -> None:
    """Import companies; the same name or tax number updates the company already there.

    Example: dossier import companies clients.csv --dry-run
    """
    _import("companies", file, fmt, encoding, map_, dry_run, skip_errors, reject_file, sheet=sheet, header_row=header_row)


@import_app.command("people")
def import_people(file: FileArg, fmt: InputFormatOpt = None, encoding: EncodingOpt = None, map_: MapOpt = None,
                  dry_run: DryRunOpt = False, skip_errors: SkipOpt = False, reject_file: RejectOpt = None,
                     sheet: SheetOpt = None, header_row: HeaderRowOpt = None, create_missing: CreateMissingOpt = False) -> None:
    """Import people with their company and buying role; the same name at the same company is updated.

    Example: dossier import people contacts.csv --map name=ФИО --map company=Организация
    """
    _import("people", file, fmt, encoding, map_, dry_run, skip_errors, reject_file,
            sheet=sheet, header_row=header_row, create_missing=create_missing)


@import_app.command("sales")
def import_sales(file: FileArg, fmt: InputFormatOpt = None, encoding: EncodingOpt = None, map_: MapOpt = None,
                 dry_run: DryRunOpt = False, skip_errors: SkipOpt = False, reject_file: RejectOpt = None,
                     sheet: SheetOpt = None, header_row: HeaderRowOpt = None) -> None:
    """Import sales; a sale already there (same invoice, or same day and amount) is not added twice.

    Example: dossier import sales sales-2026.csv --map company=Контрагент --map amount=Сумма --map date=Дата
    """
    _import("sales", file, fmt, encoding, map_, dry_run, skip_errors, reject_file, sheet=sheet, header_row=header_row)


@import_app.command("touches")
def import_touches(file: FileArg, fmt: InputFormatOpt = None, encoding: EncodingOpt = None, map_: MapOpt = None,
                   dry_run: DryRunOpt = False, skip_errors: SkipOpt = False, reject_file: RejectOpt = None,
                     sheet: SheetOpt = None, header_row: HeaderRowOpt = None) -> None:
    """Import the contact log (calls, meetings, letters …).

    Example: cat touches.jsonl | dossier import touches - --format jsonl
    """
    _import("touches", file, fmt, encoding, map_, dry_run, skip_errors, reject_file, sheet=sheet, header_row=header_row)


@import_app.command("dossier")
def import_dossier(file: FileArg, fmt: InputFormatOpt = None, encoding: EncodingOpt = None, map_: MapOpt = None,
                   dry_run: DryRunOpt = False, skip_errors: SkipOpt = False, reject_file: RejectOpt = None,
                     sheet: SheetOpt = None, header_row: HeaderRowOpt = None) -> None:
    """Import dossier answers (company, item, value); a changed answer keeps the old one as history.

    Example: dossier import dossier answers.csv --map item=Пункт --map value=Ответ
    """
    _import("dossier", file, fmt, encoding, map_, dry_run, skip_errors, reject_file, sheet=sheet, header_row=header_row)


OurInnOpt = Annotated[Optional[str], typer.Option(
    "--our-inn", help=_("Our own tax number: payments to it are ours (default: our_inn in the config)."))]


@import_app.command("payments")
def import_payments(
    file: Annotated[str, typer.Argument(help=_("A 1C bank statement (1CClientBankExchange .txt), or - for standard input."),
                                        show_default=False)],
    our_inn: OurInnOpt = None, create_missing: CreateMissingOpt = False, dry_run: DryRunOpt = False,
    skip_errors: SkipOpt = False, reject_file: RejectOpt = None,
) -> None:
    """Import the payments we received from a 1C bank statement as sales of the paying companies.

    Each payment to us becomes a sale of the company with the payer's tax number (ПлательщикИНН),
    on the day the money came in, referenced `п/п № N от DD.MM.YYYY`: importing the same
    statement again adds nothing. Payments we made are skipped and counted.

    Example: dossier import payments statement.txt --our-inn 2504000003 --create-missing
    """
    from dossier_cli.records.contacts import check_tax_number

    inn = our_inn or settings().our_inn
    if inn:
        try:
            inn = check_tax_number(str(inn))
        except InvalidInput as exc:
            raise InvalidInput(_("our tax number: {why}").format(why=exc.message),
                               hint=_("give --our-inn, or fix our_inn in the config file")) from None
    _import("sales", file, "statement", None, None, dry_run, skip_errors, reject_file, create_missing=create_missing,
            our_inn=inn, what="payments")


@import_app.command("all")
def import_all(file: FileArg, dry_run: DryRunOpt = False) -> None:
    """Restore a whole `export all` JSON document into an empty database.

    Example: dossier --db restored.db import all backup.json
    """
    _import("all", file, InputFormat.json, None, None, dry_run, False, None)


# ---------------------------------------------------------------- export
class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    xlsx = "xlsx"
    vcf = "vcf"


ExportFormatOpt = Annotated[
    Optional[ExportFormat],
    typer.Option("--format", "-f", case_sensitive=False, help=_(
        "csv, json, jsonl, xlsx (an Excel sheet with typed columns) or vcf (people, as vCard 3.0); default csv, json for all.")),
]
ExcelOpt = Annotated[bool, typer.Option("--excel", help=_(
    "CSV for Russian Excel: UTF-8 with a BOM and ';' between cells, so a double-click opens it right."))]
OutputOpt = Annotated[str, typer.Option("--output", "-o", help="Write to this file (created readable by you only), or - for stdout.")]


def _write_records(rows: Iterator[dict[str, Any]], fmt: str, columns: tuple[str, ...], stream: IO[str], *,
                   excel: bool = False) -> int:
    import json

    written = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal written
        for row in rows:
            written += 1
            yield row

    if fmt == "csv" and excel:
        stream.write("\ufeff")
        write_csv(counted(), columns, stream, delimiter=";")  # type: ignore[arg-type]
    elif fmt == "csv":
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


def _export(kind: str, fmt: Optional[ExportFormat], output: str, *, excel: bool = False) -> None:
    from dossier_cli.transfer import exporting as exporter

    chosen = fmt.value if fmt else ("json" if kind == "all" else "csv")
    if kind == "all" and chosen != "json":
        raise InvalidInput(_("`export all` writes one JSON document"), hint=_("use --format json (or export one kind as CSV)"))
    if excel and chosen != "csv":
        raise InvalidInput(_("--excel shapes CSV for Excel; it does not go with --format {fmt}").format(fmt=chosen),
                           hint=_("for an Excel sheet use --format xlsx alone"))
    if chosen == "vcf" and kind != "people":
        raise InvalidInput(_("vCard holds people; `export {kind}` cannot write it").format(kind=kind),
                           hint=_("use `dossier export people --format vcf`"))
    if chosen == "xlsx" and output == "-" and _is_terminal(sys.stdout):
        raise InvalidInput(_("an .xlsx file is not for the terminal"), hint=_("add --output FILE.xlsx"))
    with open_session(write=False) as session, output_stream(output, binary=chosen == "xlsx") as stream:
        if kind == "all":
            counts = exporter.write_all_json(session, stream)
            written = sum(counts.values())
        elif chosen == "xlsx":
            from dossier_cli.transfer.formats.workbook import write_xlsx

            written = write_xlsx(exporter.records(session, settings(), kind), exporter.COLUMNS[kind], stream, sheet=kind)
        elif chosen == "vcf":
            from dossier_cli.transfer.formats.vcard import write_vcards

            written = write_vcards(exporter.records(session, settings(), kind), stream)
        else:
            written = _write_records(exporter.records(session, settings(), kind), chosen, exporter.COLUMNS[kind], stream,
                                     excel=excel)
    if output != "-":
        stderr_line(_("Exported {written} {value} to {output} (readable by you only).").format(written=written, value=kind if kind != 'all' else 'rows', output=output))


@export_app.command("companies")
def export_companies(fmt: ExportFormatOpt = None, output: OutputOpt = "-", excel: ExcelOpt = False) -> None:
    """Write every company out (branches and tags included), re-importable with `import companies`.

    Example: dossier export companies --format csv > companies.csv
    """
    _export("companies", fmt, output, excel=excel)


@export_app.command("people")
def export_people(fmt: ExportFormatOpt = None, output: OutputOpt = "-", excel: ExcelOpt = False) -> None:
    """Write every person out, one record per company they are linked to.

    Example: dossier export people --format jsonl --output people.jsonl
    """
    _export("people", fmt, output, excel=excel)


@export_app.command("sales")
def export_sales(fmt: ExportFormatOpt = None, output: OutputOpt = "-", excel: ExcelOpt = False) -> None:
    """Write every sale out, with its company's name and tax number.

    Example: dossier export sales --format xlsx --output sales.xlsx
    """
    _export("sales", fmt, output, excel=excel)


@export_app.command("touches")
def export_touches(fmt: ExportFormatOpt = None, output: OutputOpt = "-", excel: ExcelOpt = False) -> None:
    """Write the whole contact log out.

    Example: dossier export touches --format json
    """
    _export("touches", fmt, output, excel=excel)


@export_app.command("all")
def export_all(fmt: ExportFormatOpt = None, output: OutputOpt = "-") -> None:
    """Write the whole database as one JSON document that `import all` restores into an empty database.

    Example: dossier export all --format json > backup.json
    """
    _export("all", fmt, output)
