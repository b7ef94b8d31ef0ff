"""Domain errors and the exit codes they map to.

The domain layer raises these; the CLI's one error boundary turns them into a
single `Error: …` line on stderr and the matching exit code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    SUCCESS = 0
    ERROR = 1  # generic failure; also "lists differ" for `top10 --compare --check`
    USAGE = 2  # bad command line or bad input value
    NOT_FOUND = 3
    CONFLICT = 4
    AMBIGUOUS = 5
    BUSY = 6  # database locked by another writer: safe to retry
    # 130 (Ctrl-C) is Typer's own exit status for KeyboardInterrupt.


class DossierError(Exception):
    """Base for every error the user should see as one line."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class InvalidInput(DossierError):
    """A value given by the user is not acceptable (bad date, unknown source, …)."""

    exit_code = ExitCode.USAGE


class NotFound(DossierError):
    exit_code = ExitCode.NOT_FOUND


class Conflict(DossierError):
    """The change would contradict what is stored (duplicate, backwards stage, …)."""

    exit_code = ExitCode.CONFLICT


class Ambiguous(DossierError):
    exit_code = ExitCode.AMBIGUOUS

    def __init__(self, message: str, *, candidates: list[str] | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.candidates = candidates or []


class ConfigError(DossierError):
    exit_code = ExitCode.USAGE


class Busy(DossierError):
    """Another process holds the database lock for longer than the busy timeout."""

    exit_code = ExitCode.BUSY
