"""`dossier shell` and `dossier batch`: many dossier commands in one process.

Starting Python with Typer, Rich and SQLAlchemy costs about a second; a session pays it
once. At a terminal `shell` is an interactive prompt (prompt_toolkit, loaded only here);
otherwise it, like `batch`, runs a script: one command per line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from dossier_cli.cli.base import reset_state, state, stderr_line
from dossier_cli.cli.session import LineError, Session, run_script, script_lines, split_line
from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _

KeepGoingOpt = Annotated[
    bool,
    typer.Option("--keep-going", "-k", help="Run every line even after one fails (the exit code is still the first failure's)."),
]


def shell(keep_going: KeepGoingOpt = False) -> None:
    """Run dossier commands one after another in one process, with completion and history.

    At a terminal: a prompt where you type any dossier command without `dossier` in
    front. Tab completes commands, options, and company and person names (any part of
    the name, Cyrillic too); the history is kept in the data folder (readable by you
    only); Ctrl-C cancels the line, Ctrl-D leaves. Each line runs exactly as the one-shot
    command: same output, same errors (the session goes on), its own transaction, and it
    sees what other processes changed. `.help` lists the meta-commands (`.db`, `.quit`).

    When standard input is not a terminal, it is read as a script, as `dossier batch -`
    does: one command per line, stopping at the first failing line.

    Example: dossier shell
    """
    session = _session()
    try:
        if sys.stdin.isatty():
            code = _interactive(session)
        else:
            code = run_script(session, script_lines(sys.stdin.read()), keep_going=keep_going, source="stdin")
    finally:
        session.end()
    raise typer.Exit(code)


def batch(
    file: Annotated[str, typer.Argument(help="The script: one dossier command per line, or - for standard input.", show_default=False)],
    keep_going: KeepGoingOpt = False,
) -> None:
    """Run the dossier commands of a file, one per line, in one process (fast for scripts).

    Each line is a dossier command line with or without `dossier` in front, quoted as in
    a POSIX shell; `#` starts a comment, a line ending in `\\` goes on on the next.
    Lines run in order, each its own transaction. At the first line that fails, batch
    stops and names its line number and exit code, and exits with that code; with
    `--keep-going` it runs the rest too and exits with the first failure's code.

    Example: dossier batch touches.txt --keep-going
    """
    if file == "-":
        text, source = sys.stdin.read(), "stdin"
    else:
        path = Path(file).expanduser()
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise InvalidInput(_("no such file: {path}").format(path=path)) from None
        except UnicodeDecodeError:
            raise InvalidInput(_("{path}: not valid UTF-8; save it as UTF-8").format(path=path)) from None
        except OSError as exc:
            raise InvalidInput(_("cannot read {path}: {problem}").format(path=path, problem=exc.strerror)) from None
        source = str(path)
    session = _session()
    try:
        code = run_script(session, script_lines(text), keep_going=keep_going, source=source)
    finally:
        session.end()
    raise typer.Exit(code)


def _session() -> Session:
    """The session of this run: the `--db` and `--debug` given before the command stay in force."""
    session = Session(database_flag=state.database_flag, debug=state.debug)
    session.start()
    return session


# ---------------------------------------------------------------- at a terminal
def history_file() -> Path:
    """The shell's history, in the data folder, readable by the user only."""
    from dossier_cli.paths import data_dir

    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / "shell_history"
    descriptor = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    os.close(descriptor)
    os.chmod(path, 0o600)
    return path


def _names(kind: str, fragment: str) -> list[str]:
    """Company or person names holding `fragment`, read in a transaction of their own."""
    from dossier_cli.cli.base import open_session
    from dossier_cli.records.names import company_names, person_names

    reset_state(database_flag=None, debug=False)
    try:
        with open_session(write=False) as session:
            return (company_names if kind == "company" else person_names)(session, fragment)
    except Exception:  # noqa: BLE001 - a busy or broken database must not break the prompt
        return []


def _prompt_name(session: Session) -> str:
    try:
        return session.short_database()
    except Exception:  # noqa: BLE001 - a bad setting is reported by the next command, not the prompt
        return "?"


def _interactive(session: Session) -> int:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    from dossier_cli.cli.completer import DossierCompleter

    prompt = PromptSession(
        history=FileHistory(str(history_file())),
        completer=DossierCompleter(_names),
        complete_while_typing=False,
    )
    stderr_line(_("dossier shell: a command per line; Tab completes, .help helps, Ctrl-D leaves."))
    leaving = False

    def _leave() -> None:
        nonlocal leaving
        leaving = True

    while not leaving:
        try:
            text = prompt.prompt(f"dossier:{_prompt_name(session)}> ")
        except KeyboardInterrupt:  # Ctrl-C: the line is dropped, the session goes on
            continue
        except EOFError:  # Ctrl-D
            break
        try:
            session.run(split_line(text), on_leave=_leave)
        except LineError as exc:
            stderr_line(f"Error: {exc}")
        except KeyboardInterrupt:
            stderr_line(_("Interrupted."))
    return 0
