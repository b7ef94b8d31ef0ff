"""What every command shares: the app factory, run state, sessions and the error boundary."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from dossier_cli.errors import DossierError, ExitCode, InvalidInput

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

    def settings(self) -> Settings:
        if self._settings is None:
            from dossier_cli.config import load_settings

            self._settings = load_settings(database_flag=self.database_flag)
        return self._settings


state = RunState()


def reset_state(*, database_flag: str | None, debug: bool) -> None:
    global state
    state.database_flag = database_flag
    state.debug = debug or os.environ.get("DOSSIER_DEBUG", "") not in ("", "0")
    state._settings = None


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


def stderr_line(message: str) -> None:
    from dossier_cli.cli.output import err_console

    err_console().print(message, markup=False, highlight=False, soft_wrap=True)


def warn(message: str) -> None:
    stderr_line(f"Warning: {message}")


def confirm_or_require_yes(question: str, *, yes: bool) -> None:
    """Ask at a terminal; elsewhere insist on --yes, so scripts never hang on a prompt."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise InvalidInput(f"{question.rstrip('?')}: refusing without --yes when not at a terminal", hint="add --yes")
    if not typer.confirm(question, default=False, err=True):
        raise typer.Exit(ExitCode.ERROR)


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
            stderr_line(f"Error: {exc}")
            raise typer.Exit(int(exc.exit_code)) from None
        except BrokenPipeError:
            raise typer.Exit(int(ExitCode.ERROR)) from None
        except Exception as exc:
            if state.debug:
                traceback.print_exc(file=sys.stderr)
            else:
                detail = str(exc).splitlines()[0] if str(exc) else ""
                stderr_line(
                    f"Error: unexpected {type(exc).__name__}{': ' + detail if detail else ''} "
                    "(run again with --debug for the details, and please report it)"
                )
            raise typer.Exit(int(ExitCode.ERROR)) from None


def new_app(help_text: str, **kwargs: Any) -> typer.Typer:
    """A Typer app wired to the error boundary, with dossier's defaults."""
    kwargs.setdefault("no_args_is_help", True)
    return typer.Typer(
        cls=DossierGroup,
        help=help_text,
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
        add_completion=False,
        **kwargs,
    )
