"""`dossier register …` (the tax service's SME register) and `dossier prospects`."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from dossier_cli.formatting import format_day
from dossier_cli.cli.base import new_app, open_session, settings, stderr_line, warn
from dossier_cli.cli.output import FormatOpt, LimitOpt, OutputFormat, render_record, render_rows
from dossier_cli.i18n import _

register_app = new_app(
    _(
        "The tax service's register of small and medium businesses: load it, see what is loaded, look a firm up.\n\n"
        "Example: dossier register load data-10112026-structure-10032024.zip"
    )
)

InnArg = Annotated[str, typer.Argument(help=_("The firm's or sole trader's INN (10 or 12 digits)."), show_default=False)]


@register_app.command("load")
def register_load(
    files: Annotated[
        list[str], typer.Argument(help=_("The dataset's ZIP, a folder of its XML files, or XML files."), show_default=False)
    ],
    force: Annotated[bool, typer.Option("--force", help=_("Load it even if it is older than the register loaded."))] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Load the SME register (dataset 7707329152-rsmp), replacing the one loaded before.

    Example: dossier register load ~/Downloads/data-10112026-structure-10032024.zip
    """
    from dossier_cli.register import store

    with _progress_bar() as progress:
        result = store.load(settings().database, files, force=force, progress=progress)
    record = {
        "register_date": result.as_of,
        "replaced": result.previous,
        "documents": result.documents,
        "firms": result.firms,
        "sole_traders": result.sole_traders,
        "files": result.files,
        "where": result.where,
    }
    if fmt != OutputFormat.table:
        render_record(record, fmt=fmt)
        return
    replaced = _(" (replacing the register of {date})").format(date=format_day(result.previous)) if result.previous else ""
    stderr_line(
        _("Loaded the tax register of {date}: {documents} documents, {firms} firms and {traders} sole traders, from {files} file(s){replaced}.").format(
            date=format_day(result.as_of),
            documents=f"{result.documents:,}",
            firms=f"{result.firms:,}",
            traders=f"{result.sole_traders:,}",
            files=result.files,
            replaced=replaced,
        )
    )


class _progress_bar:
    """A progress bar on stderr while the register loads (silent when stderr is not a terminal)."""

    def __enter__(self) -> Any:
        import sys

        if not sys.stderr.isatty():
            self.bar = None
            return None
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn(_("Loading the register")),
            BarColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[documents]} " + _("documents")),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task("load", total=None, documents="0")

        def update(done: int, total: int, documents: int) -> None:
            self.bar.update(self.task, completed=done, total=total, documents=f"{documents:,}")

        return update

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.stop()


@register_app.command("status")
def register_status(fmt: FormatOpt = OutputFormat.table) -> None:
    """Show the register loaded: the date it describes, how many firms and sole traders, its size.

    Example: dossier register status
    """
    from dossier_cli.register import store

    record = store.status(settings().database)
    if fmt == OutputFormat.table:
        size = record.pop("size_bytes")
        record = {**record, "size": _size(size), "files": "\n".join(record["files"])}
    render_record(record, fmt=fmt, title=_("Tax register"))


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


@register_app.command("show")
def register_show(inn: InnArg, fmt: FormatOpt = OutputFormat.table) -> None:
    """Show what the register says about a firm or sole trader, by INN.

    Example: dossier register show 2721000000
    """
    from dossier_cli.register import lookups

    record = lookups.show(settings().database, inn)
    if fmt == OutputFormat.table:  # the words in the display language; JSON and CSV keep the English values
        record = {**record, **{key: _(record[key]) for key in ("kind", "category") if record.get(key)}}
    render_record(record, fmt=fmt, title=f"{record['inn']} {record['name']}")


@register_app.command("codes")
def register_codes(
    text: Annotated[
        Optional[str],
        typer.Argument(help=_("A code (46.7: it and the codes below it), a section letter (G) or a word of the name."), show_default=False),
    ] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List OKVED codes with their names: the classes, or those under a code, in a section or named by a word.

    Example: dossier register codes 46.7
    """
    from dossier_cli.register import codes
    from dossier_cli.register.store import open_register

    with open_register(settings().database, required=False) as register:
        names = register.okved_names() if register is not None else {}
    rows = codes.find_codes(text, names)
    render_rows(rows, fmt=fmt, columns=["code", "name"], empty_message=_("no OKVED code matches '{text}'").format(text=text))


@register_app.command("regions")
def register_regions(fmt: FormatOpt = OutputFormat.table) -> None:
    """List the region codes (as in the register and the first two digits of an INN) with their names.

    Example: dossier register regions --format csv
    """
    from dossier_cli.register import codes

    rows = [{"code": code, "name": name} for code, name in codes.region_table().items()]
    render_rows(rows, fmt=fmt, columns=["code", "name"])


@register_app.command("fill")
def register_fill(
    company: Annotated[str, typer.Argument(help=_("The company: id, name, INN or a unique part of its name."), show_default=False)],
    refresh: Annotated[
        bool, typer.Option("--refresh", help=_("Overwrite fields already filled, and the name, with the register's values."))
    ] = False,
) -> None:
    """Fill a company's empty fields from the register entry for its INN.

    Example: dossier register fill ромашка --refresh
    """
    from dossier_cli.records import companies
    from dossier_cli.register import lookups

    with open_session() as session:
        found = companies.find_company(session, company)
        changes = lookups.fill_company(session, settings(), found, refresh=refresh)
    if not changes:
        stderr_line(_("Nothing to fill for #{id} {name}: its fields are already set (--refresh overwrites them).").format(id=found.id, name=found.name))
        return
    filled = ", ".join(f"{field}: {value}" for field, value in changes.items())
    stderr_line(_("Filled #{id} {name} from the tax register: {filled}.").format(id=found.id, name=found.name, filled=filled))


def prospects(
    region: Annotated[
        Optional[list[str]], typer.Option("--region", help=_("A region code (27) or name (repeat for several)."))
    ] = None,
    city: Annotated[Optional[list[str]], typer.Option("--city", help=_("A head-office city (repeat for several)."))] = None,
    okved: Annotated[
        Optional[list[str]],
        typer.Option("--okved", help=_("An OKVED code; its sub-codes match too (46.7 takes 46.71). Repeat for several.")),
    ] = None,
    category: Annotated[
        Optional[list[str]], typer.Option("--category", help=_("micro, small or medium (repeat for several)."))
    ] = None,
    new_since: Annotated[
        Optional[str], typer.Option("--new-since", help=_("Only firms that entered the register on or after this date."))
    ] = None,
    plan: Annotated[
        Optional[str], typer.Option("--plan", help=_("Search by a quarter's plan: its territories and markets (2027-Q1)."))
    ] = None,
    add: Annotated[
        bool, typer.Option("--add", help=_('List the firms found as targets, source "tax register", facts filled.'))
    ] = False,
    limit: LimitOpt = 50,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Find firms in the tax register that match where and whom you look for, and are not listed yet.

    Example: dossier prospects --region 27 --okved 46.7 --category small --limit 20
    """
    from dossier_cli.register import prospects as search
    from dossier_cli.register.store import open_register

    query = search.build_query(regions=region, cities=city, okved=okved, categories=category, new_since=new_since)
    with open_session(write=add) as session:
        if plan:
            _quarter, from_plan = search.plan_query(session, plan)
            query.regions = query.regions or from_plan.regions
            query.cities = query.cities or from_plan.cities
            query.okved = query.okved or from_plan.okved
        if query.is_empty():
            from dossier_cli.errors import InvalidInput

            raise InvalidInput(
                _("say where or whom to look for: --region, --city, --okved or --plan"),
                hint=_("e.g. dossier prospects --region 27 --okved 46.7"),
            )
        with open_register(settings().database, session=session) as register:
            assert register is not None
            rows = search.find(session, register, query, limit=limit)
        outcome = search.add(session, settings(), rows) if add else {"added": {}, "look_alikes": {}}
    added, look_alikes = outcome["added"], outcome["look_alikes"]
    for row in rows:
        if row["inn"] in added:
            row["company_id"] = added[row["inn"]].id
    columns = ["inn", "name", "category", "city", "okved", "okved_name", "in_register_since"]
    if fmt == OutputFormat.table:  # the category in the display language; JSON and CSV keep the English value
        rows = [{**row, "category": _(row["category"])} if row.get("category") else row for row in rows]
    if add:
        columns.insert(0, "company_id")
    render_rows(
        rows,
        fmt=fmt,
        columns=columns if fmt != OutputFormat.json else None,
        headers={"okved_name": "main activity", "in_register_since": "in register since", "company_id": "id"},
        optional=["in_register_since", "okved_name"],  # the activity's name goes first, its code stays
        empty_message=_("no register firms match that are not listed already"),
    )
    if add:
        stderr_line(_('Listed {n} firm(s) as targets, source "tax register".').format(n=len(added)))
    for inn, company in look_alikes.items():
        warn(
            _("not added: {inn} has the name of #{id} {name}, listed without an INN; if they are one firm: "
              "dossier edit company {id} --inn {inn} && dossier register fill {id}").format(inn=inn, id=company.id, name=company.name)
        )
