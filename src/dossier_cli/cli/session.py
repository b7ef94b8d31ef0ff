"""Many command lines in one process: what `dossier shell` and `dossier batch` share.

Each line runs exactly as the one-shot command would (same output, same errors, same
exit code, its own transaction), through the same Typer application; only the start-up
is paid once. The settings are read once per database and kept for the session.
"""

from __future__ import annotations

import shlex
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from dossier_cli.cli.base import state, stderr_line
from dossier_cli.errors import ExitCode
from dossier_cli.i18n import _

# Commands that start a session of their own: not run from inside one.
SESSION_COMMANDS = frozenset({"shell", "batch"})
LEAVE = frozenset({".quit", ".exit", "\\q", "quit", "exit"})

_root: Any = None


def root_command() -> Any:
    """The click command behind `dossier`, built once per process."""
    global _root
    if _root is None:
        from typer.main import get_command

        from dossier_cli.cli.app import app

        _root = get_command(app)
    return _root


def run_argv(argv: list[str]) -> int:
    """Run one dossier command line in this process; its exit code."""
    from dossier_cli.cli import output

    state.command_words.clear()
    output.reset_consoles()
    try:
        root_command().main(args=list(argv), prog_name="dossier")
    except SystemExit as exc:
        return _code(exc.code)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
    return 0


def _code(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    # sys.exit("message") prints the message and exits 1, as Python does.
    stderr_line(str(code))
    return int(ExitCode.ERROR)


class LineError(Exception):
    """A line that cannot be run (bad quoting, a session command): message and exit code."""

    def __init__(self, message: str, code: int = int(ExitCode.USAGE)) -> None:
        super().__init__(message)
        self.code = code


def split_line(text: str) -> list[str]:
    """The words of a command line, quoted and commented as a POSIX shell does.

    A leading `dossier` is optional: `dossier list companies` and `list companies` are one.
    """
    try:
        words = shlex.split(text, comments=True)
    except ValueError as exc:  # "No closing quotation", "No escaped character"
        raise LineError(_("cannot read the line: {problem}").format(problem=str(exc).lower())) from None
    if words and words[0] == "dossier":
        words = words[1:]
    return words


@dataclass
class Session:
    """A run of many lines: the database in force and what to say about it."""

    database_flag: str | None = None
    debug: bool = False
    timer: bool = False  # `.timer on`: say how long each command took, as psql's \timing does

    def start(self) -> None:
        """Keep settings for the session; the database given to `dossier --db X shell` stays in force."""
        state.session_database = self.database_flag
        state.session_debug = self.debug
        state.keep_settings = True
        state.kept_settings.clear()

    def end(self) -> None:
        """Back to one command per process (tests run many sessions in one)."""
        state.session_database = None
        state.session_debug = False
        state.keep_settings = False
        state.kept_settings.clear()

    def database(self) -> str:
        """The database in force, as shown (any password masked)."""
        from dossier_cli.cli.base import reset_state
        from dossier_cli.config import mask_url

        reset_state(database_flag=None, debug=self.debug)
        return mask_url(state.settings().database)

    def short_database(self) -> str:
        """The database's short name for a prompt: the file's name, or host/dbname."""
        shown = self.database()
        if "://" in shown:
            return shown.split("://", 1)[1].rsplit("@", 1)[-1]
        from pathlib import Path

        return Path(shown).name

    def run(self, words: list[str], *, on_leave: Callable[[], None] | None = None) -> int:
        """Run one line's words: a meta-command (`.db`, `.help`, …) or a dossier command."""
        if not words:
            return 0
        head = words[0]
        if head in LEAVE:
            if on_leave is not None:
                on_leave()
            return 0
        if head.startswith(".") or head.startswith("\\") or head == "help":
            return self.meta(words)
        if head in SESSION_COMMANDS:
            raise LineError(_("`{command}` cannot run inside a session").format(command=head))
        if not self.timer:
            return run_argv(words)
        started = time.perf_counter()
        code = run_argv(words)
        stderr_line(_("Time: {ms} ms").format(ms=f"{(time.perf_counter() - started) * 1000:.1f}"))
        return code

    # ---------------------------------------------------------------- meta-commands
    def meta(self, words: list[str]) -> int:
        head, rest = words[0], words[1:]
        if head in (".help", "\\?", "help", ".h"):
            if rest:  # `help add touch` = `add touch --help`
                return run_argv([*rest, "--help"])
            sys.stdout.write(meta_help())
            sys.stdout.flush()
            return 0
        if head in (".db", "\\conninfo", ".open", "\\c", "\\connect", ".connect"):
            if rest:
                return self.switch(rest[0])
            sys.stdout.write(_("database: {database}").format(database=self.database()) + "\n")
            sys.stdout.flush()
            return 0
        if head in (".timer", "\\timing"):
            if rest and rest[0] not in ("on", "off"):
                raise LineError(_("{command} takes on or off").format(command=head))
            self.timer = (rest[0] == "on") if rest else not self.timer
            stderr_line(_("Timing is on.") if self.timer else _("Timing is off."))
            return 0
        raise LineError(_("unknown meta-command '{command}' (.help lists them)").format(command=head))

    def switch(self, target: str) -> int:
        """Use another database for the rest of the session (its settings are read again)."""
        previous = self.database_flag
        self.database_flag = target
        self.start()
        code = run_argv(["db", "status"])
        if code != 0:
            self.database_flag = previous
            self.start()
        return code


def meta_help() -> str:
    return _(
        "Type any dossier command without `dossier` in front, e.g. `list companies --city Хабаровск`.\n"
        "Tab completes commands, options, and company and person names (any part of the name).\n"
        "Each line is one command and one transaction, exactly as at the system prompt.\n"
        "\n"
        "  .help, \\?          this text; `help COMMAND` shows a command's help\n"
        "  .db                which database is in use\n"
        "  .db FILE|URL       use another database for the rest of the session (also \\c, .open)\n"
        "  .timer on|off      say how long each command took (also \\timing)\n"
        "  .quit, .exit, \\q   leave (so does Ctrl-D); Ctrl-C cancels the line being typed\n"
        "\n"
        "`--help` lists the commands.\n"
    )


# ---------------------------------------------------------------- batch
def script_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, command line) of a script: a line ending in `\\` goes on on the next."""
    pending: list[str] = []
    first = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not pending:
            first = number
        if line.endswith("\\") and not line.endswith("\\\\"):
            pending.append(line[:-1])
            continue
        pending.append(line)
        yield first, " ".join(pending)
        pending = []
    if pending:
        yield first, " ".join(pending)


def run_script(session: Session, lines: Iterable[tuple[int, str]], *, keep_going: bool, source: str) -> int:
    """Run each line; stop at the first failing one unless keep_going. The first failure's exit code."""
    first_failure = 0
    failed = 0
    leave = False

    def _leave() -> None:
        nonlocal leave
        leave = True

    for number, line in lines:
        try:
            code = session.run(split_line(line), on_leave=_leave)
        except LineError as exc:
            stderr_line(f"Error: {exc}")
            code = exc.code
        if leave:
            break
        if code == 0:
            continue
        failed += 1
        first_failure = first_failure or code
        where = _("{source}, line {number}").format(source=source, number=number)
        if keep_going:
            stderr_line(_("{where}: exit code {code}; going on").format(where=where, code=code))
            continue
        stderr_line(_("Stopped at {where}: exit code {code}").format(where=where, code=code))
        return code
    if failed:
        stderr_line(_("Lines of {source} that failed: {failed}; the first one's exit code: {code}").format(
            source=source, failed=failed, code=first_failure))
    return first_failure
