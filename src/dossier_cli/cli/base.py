"""What every command shares: the app factory, run state, sessions and the error boundary."""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from dossier_cli.errors import DossierError, ExitCode, InvalidInput
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from dossier_cli.config import Settings


@dataclass
class RunState:
    """Per-invocation state set by the root callback (reset on every run)."""

    database_flag: str | None = None
    debug: bool = False
    command_words: list[str] = field(default_factory=list)
    _settings: Any = None
    # In a session (`dossier shell`, `dossier batch`): the --db and --debug given to the
    # session apply to every line, and the settings are read once per database.
    session_database: str | None = None
    session_debug: bool = False
    keep_settings: bool = False
    kept_settings: dict[str | None, Any] = field(default_factory=dict)

    def settings(self) -> Settings:
        if self._settings is None:
            from dossier_cli.config import load_settings

            self._settings = load_settings(database_flag=self.database_flag)
            if self.keep_settings:
                self.kept_settings[self.database_flag] = self._settings
        return self._settings


state = RunState()


def reset_state(*, database_flag: str | None, debug: bool) -> None:
    global state
    if database_flag is None:
        database_flag = state.session_database
    state.database_flag = database_flag
    state.debug = debug or state.session_debug or os.environ.get("DOSSIER_DEBUG", "") not in ("", "0")
    state._settings = state.kept_settings.get(database_flag) if state.keep_settings else None


def settings() -> Settings:
    return state.settings()


@contextmanager
def open_session(*, write: bool = True) -> Iterator[Session]:
    """One command, one transaction; the audit trail learns who is acting."""
    from dossier_cli import audit
    from dossier_cli.store import session_scope

    current = settings()
    audit.set_actor(current.user, " ".join(["dossier", *state.command_words]))
    with session_scope(current.database, write=write) as session:
        yield session


def remind_about_the_plan(session: Session) -> None:
    """The seed's plan is reviewed every quarter: say so (stderr) when it is missing or unreviewed."""
    from datetime import date

    from dossier_cli.selling.plan import plan_reminder

    reminder = plan_reminder(session, settings(), date.today())
    if reminder:
        stderr_line(reminder)


# Control characters (escape sequences, carriage returns, bells) in user text must not
# reach the terminal: they could rewrite what is on the screen. Newlines and tabs stay.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def stderr_line(message: str) -> None:
    """One message line on stderr, as plain text (no Rich: a one-line message needs no console)."""
    sys.stderr.write(_CONTROL_CHARACTERS.sub("", message) + "\n")
    sys.stderr.flush()


def warn(message: str) -> None:
    stderr_line(_("Warning: {message}").format(message=message))


def confirm_or_require_yes(question: str, *, yes: bool) -> None:
    """Ask at a terminal; elsewhere insist on --yes, so scripts never hang on a prompt."""
    if yes:
        return
    if not is_interactive():
        raise InvalidInput(
            _("{question}: refusing without --yes when not at a terminal").format(question=question.rstrip("?")),
            hint=_("add --yes"),
        )
    if not ask_yes_no(question):
        raise typer.Exit(ExitCode.ERROR)


def ask_yes_no(question: str, *, default: bool = False) -> bool:
    """Ask a yes/no question on stderr; y, yes, д, да (and n, no, н, нет) in either language."""
    from dossier_cli.vocab import is_yes

    choices = _("[Y/n]") if default else _("[y/N]")
    while True:
        answer = typer.prompt(f"{question} {choices}", default="", show_default=False, err=True)
        if not answer.strip():
            return default
        verdict = is_yes(answer)
        if verdict is not None:
            return verdict
        stderr_line(_("Please answer yes or no (y/n, д/н)."))


def is_interactive() -> bool:
    return sys.stdin.isatty()


class DossierGroup(TyperGroup):
    """A command group that is also the one error boundary of the program."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if name:
            state.command_words.append(name)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt):
            raise
        except DossierError as exc:
            if state.debug:
                traceback.print_exc(file=sys.stderr)
            stderr_line(_("Error: {message}").format(message=exc))
            raise typer.Exit(int(exc.exit_code)) from None
        except BrokenPipeError:
            raise typer.Exit(int(ExitCode.ERROR)) from None
        except Exception as exc:
            if state.debug:
                traceback.print_exc(file=sys.stderr)
            else:
                detail = str(exc).splitlines()[0] if str(exc) else ""
                stderr_line(
                    _("Error: unexpected {error} (run again with --debug for the details, and please report it)").format(
                        error=f"{type(exc).__name__}{': ' + detail if detail else ''}"
                    )
                )
            raise typer.Exit(int(ExitCode.ERROR)) from None


class LazyGroup(DossierGroup):
    """The root group: builds a top-level command only when it is used.

    Typer turns every command function into a parser by inspecting its signature,
    which costs about a millisecond a command. Building only the command a run needs
    keeps start-up fast as the program grows; `--help` and completion list the
    commands from their summaries without building them.
    """

    # name -> ("module:attribute", one-line summary), or just "module:attribute" (the summary
    # is then read from the command, which imports its module); the attribute is a Typer app
    # or a function.
    lazy_commands: dict[str, tuple[str, str] | str] = {}
    # panel title (English, translated when shown) -> its commands, in the order `--help` lists them
    panels: dict[str, tuple[str, ...]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        names = [*super().list_commands(ctx), *(n for n in self.lazy_commands if n not in self.commands)]
        order = {name: i for i, name in enumerate(n for commands in self.panels.values() for n in commands)}
        return sorted(names, key=lambda name: order.get(name, len(order)))

    def panel_of(self, name: str) -> str | None:
        for title, commands in self.panels.items():
            if name in commands:
                return _(title)
        return None

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        found = super().get_command(ctx, cmd_name)
        if found is not None or cmd_name not in self.lazy_commands:
            return found
        entry = self.lazy_commands[cmd_name]
        spec, summary = (entry, None) if isinstance(entry, str) else entry
        if self._listing and summary is not None:
            return TyperGroup(name=cmd_name, help=_(summary), rich_help_panel=self.panel_of(cmd_name))
        target = _load_target(spec)
        if self._listing:
            return TyperGroup(name=cmd_name, help=_(_summary(target)), rich_help_panel=self.panel_of(cmd_name))
        built = _build_command(cmd_name, target)
        self.add_command(built, cmd_name)
        return built

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """Run the program; a usage error (a bad option value, an unknown option or choice)
        is one `Error: …` line on stderr with exit 2, never a framed panel."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.Abort:
            stderr_line("Aborted.")
            sys.exit(int(ExitCode.ERROR))
        except typer.TyperException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # `dossier list` alone: the help, as asked
                exc.show()  # type: ignore[attr-defined]
                sys.exit(int(getattr(exc, "exit_code", ExitCode.USAGE)))
            format_message = getattr(exc, "format_message", None)
            message = format_message() if format_message else str(exc)
            stderr_line(f"Error: {' '.join(str(message).split())}")
            sys.exit(int(getattr(exc, "exit_code", ExitCode.USAGE)))
        sys.exit(result if isinstance(result, int) else 0)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def shell_complete(self, ctx: Any, incomplete: str) -> Any:
        self._listing = True
        try:
            return super().shell_complete(ctx, incomplete)
        finally:
            self._listing = False


def _load_target(spec: str) -> Any:
    from importlib import import_module

    module_name, attribute = spec.split(":")
    return getattr(import_module(module_name), attribute)


def _summary(target: Any) -> str:
    if isinstance(target, typer.Typer):
        text = target.info.help if isinstance(target.info.help, str) else ""
        if not text and len(target.registered_commands) == 1:
            text = target.registered_commands[0].callback.__doc__ or ""
    else:
        text = target.__doc__ or ""
    return text.strip().splitlines()[0] if text.strip() else ""


def _build_command(name: str, target: Any) -> Any:
    from typer.main import get_command

    if not isinstance(target, typer.Typer):
        single = new_app("", no_args_is_help=False, group=False)
        single.command(name)(target)
        target = single
    command = get_command(target)
    command.name = name
    translate_help(command)
    return command


def translate_help(command: Any) -> None:
    """Put a built command's help (its docstring, its options' help) into the display language.

    The messages are the English texts, paragraph by paragraph (scripts/i18n_extract.py finds
    them); English needs no work at all."""
    from dossier_cli.i18n import help_text, language

    if language() == "en":
        return
    if command.help:
        command.help = help_text(command.help)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = help_text(param.help)
    for sub in getattr(command, "commands", {}).values():
        translate_help(sub)


def new_app(help_text: str, *, group: bool = True, **kwargs: Any) -> typer.Typer:
    """A Typer app wired to the error boundary, with dossier's defaults.

    A group stays a group even while it has a single subcommand (`dossier add company`).
    """
    kwargs.setdefault("no_args_is_help", True)
    app = typer.Typer(
        cls=DossierGroup,
        help=help_text,  # English here; translated when the command is built (translate_help)
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
        add_completion=False,
        **kwargs,
    )
    if group:

        @app.callback()
        def _group() -> None:
            pass

    return app
