"""The `dossier` command: wiring only. Each command group lives in its own module."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dossier_cli import __version__
from dossier_cli.cli import groups
from dossier_cli.cli.base import DossierGroup, reset_state

app = typer.Typer(
    cls=DossierGroup,
    name="dossier",
    help=(
        "A prospecting CRM for B2B salespeople: companies, people, the pipeline, the prospect dossier, "
        "sales, the contact log and the quarterly plan, in one local database.\n\n"
        "Example: dossier list companies --format json"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dossier {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        Optional[str],
        typer.Option("--db", help="Database file or URL (overrides DOSSIER_DB and the config file).", show_default=False),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Set up the run: which database, and how much to say when something fails."""
    reset_state(database_flag=db, debug=debug)


app.add_typer(groups.add_app, name="add")
app.add_typer(groups.list_app, name="list")
app.add_typer(groups.show_app, name="show")
app.add_typer(groups.edit_app, name="edit")
app.add_typer(groups.rm_app, name="rm")
app.add_typer(groups.import_app, name="import")
app.add_typer(groups.export_app, name="export")

# Command modules attach themselves to the groups above, or bring their own.
from dossier_cli.cli import companies as _companies  # noqa: E402,F401
from dossier_cli.cli import settings_cmd  # noqa: E402

app.add_typer(settings_cmd.config_app, name="config")
app.add_typer(settings_cmd.db_app, name="db")

from dossier_cli.cli import audit_cmd  # noqa: E402

app.command("audit")(audit_cmd.audit)


def main() -> None:
    """Console-script entry point."""
    from dossier_cli.cli.base import state

    state.command_words.clear()
    app(prog_name="dossier")
