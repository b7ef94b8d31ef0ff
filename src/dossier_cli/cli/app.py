"""The `dossier` command: wiring only. Each command group lives in its own module."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dossier_cli import __version__
from dossier_cli.cli.base import LazyGroup, reset_state

# Every top-level command: name -> "module:attribute", a Typer app of subcommands or one
# command function. They are built only when used (see LazyGroup), so keep this table the
# one place where commands are wired.
COMMANDS: dict[str, str] = {
    "add": "dossier_cli.cli.groups:add_app",
    "list": "dossier_cli.cli.groups:list_app",
    "show": "dossier_cli.cli.groups:show_app",
    "edit": "dossier_cli.cli.groups:edit_app",
    "rm": "dossier_cli.cli.groups:rm_app",
    "import": "dossier_cli.cli.groups:import_app",
    "export": "dossier_cli.cli.groups:export_app",
    "config": "dossier_cli.cli.settings_cmd:config_app",
    "db": "dossier_cli.cli.settings_cmd:db_app",
    "backup": "dossier_cli.cli.maintenance:backup",
    "restore": "dossier_cli.cli.maintenance:restore",
    "check": "dossier_cli.cli.maintenance:check",
    "plan": "dossier_cli.cli.plan:plan_app",
    "link": "dossier_cli.cli.people:link_app",
    "unlink": "dossier_cli.cli.people:unlink_app",
    "promote": "dossier_cli.cli.pipeline:promote",
    "history": "dossier_cli.cli.pipeline:history",
    "pipeline": "dossier_cli.cli.pipeline:show_pipeline",
    "liquidate": "dossier_cli.cli.pipeline:liquidate",
    "checklist": "dossier_cli.cli.dossier_cmd:checklist",
    "fill": "dossier_cli.cli.dossier_cmd:fill",
    "ready": "dossier_cli.cli.dossier_cmd:ready",
    "rate": "dossier_cli.cli.sales:rate_app",
    "top10": "dossier_cli.cli.sales:top10",
    "abc": "dossier_cli.cli.sales:abc",
    "touches": "dossier_cli.cli.touches:touches_of_company",
    "agenda": "dossier_cli.cli.touches:agenda",
    "done": "dossier_cli.cli.touches:done",
    "stale": "dossier_cli.cli.touches:stale",
    "stats": "dossier_cli.cli.touches:stats",
    "search": "dossier_cli.cli.transfer:search_command",
    "audit": "dossier_cli.cli.audit_cmd:audit",
    "dupes": "dossier_cli.cli.clean:dupes",
    "merge": "dossier_cli.cli.clean:merge_app",
    "forget": "dossier_cli.cli.privacy:forget_app",
}

# Modules whose commands attach to the verb groups above (`add company`, `list people`, …).
VERB_MODULES: tuple[str, ...] = (
    "dossier_cli.cli.companies",
    "dossier_cli.cli.people",
    "dossier_cli.cli.dossier_cmd",
    "dossier_cli.cli.sales",
    "dossier_cli.cli.touches",
    "dossier_cli.cli.transfer",
    "dossier_cli.cli.privacy",
)


class RootGroup(LazyGroup):
    lazy_commands = COMMANDS

    def get_command(self, ctx, cmd_name):  # type: ignore[no-untyped-def]
        if cmd_name in ("add", "list", "show", "edit", "rm", "import", "export"):
            from importlib import import_module

            for module in VERB_MODULES:
                import_module(module)
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    cls=RootGroup,
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


def main() -> None:
    """Console-script entry point."""
    from dossier_cli.cli.base import state

    state.command_words.clear()
    app(prog_name="dossier")
