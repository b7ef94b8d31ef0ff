"""Files a command reads or writes for the person at the keyboard: a file or `-` for stdin,
text they edit in $EDITOR, and a file or `-` for stdout that only they can read (it holds
personal data). Every failure is one `Error:` line (exit 2) and changes nothing."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dossier_cli.documents import read_text
from dossier_cli.errors import InvalidInput
from dossier_cli.i18n import _


def read_source(source: str, *, file_label: str = "{path}", stdin_label: str = "stdin") -> tuple[str, str]:
    """The text of a file, or of standard input when `source` is `-`, and the name to report
    it by (`file_label` with `{path}` filled in, or `stdin_label`)."""
    if source == "-":
        try:
            return sys.stdin.read(), stdin_label
        except UnicodeDecodeError:
            raise InvalidInput(_("{source}: not valid UTF-8; send UTF-8 text").format(source=stdin_label)) from None
    path = Path(source).expanduser()
    label = file_label.format(path=path)
    return read_text(path, source=label), label


def edit_text(text: str, *, hint: str | None = None) -> str | None:
    """Open `text` in $VISUAL or $EDITOR (a temporary file only the user can read); the
    edited text, or None when it comes back unchanged.

    An editor command that cannot be parsed (`EDITOR='vi "'`), is empty, cannot be started
    or exits with an error is an InvalidInput naming it, and nothing is changed.
    """
    import shlex
    import subprocess
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    hint = hint or _("set EDITOR, e.g. EDITOR=nano")
    try:
        command = shlex.split(editor)
    except ValueError as exc:
        raise InvalidInput(_("cannot run the editor '{editor}': {reason}").format(editor=editor, reason=exc), hint=hint) from None
    if not command:
        raise InvalidInput(_("cannot run the editor '{editor}': the command is empty").format(editor=editor), hint=hint)
    handle, name = tempfile.mkstemp(prefix="dossier-", suffix=".yaml")  # created 0600
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        try:
            status = subprocess.run([*command, str(path)], check=False).returncode
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise InvalidInput(_("cannot run the editor '{editor}': {reason}").format(editor=editor, reason=reason), hint=hint) from None
        if status != 0:
            raise InvalidInput(
                _("the editor '{editor}' exited with status {status}; nothing was changed").format(editor=editor, status=status)
            )
        try:
            edited = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(_("the edited text is not valid UTF-8; nothing was changed")) from None
    finally:
        path.unlink(missing_ok=True)
    return None if edited == text else edited


@contextmanager
def output_stream(target: str, *, binary: bool = False) -> Iterator[Any]:
    """Standard output for `-`; else a file only its owner can read (mode 0600), written
    beside the target and renamed into place when complete, so a failure leaves no half file."""
    if target == "-":
        if binary and not hasattr(sys.stdout, "buffer"):  # a captured text stdout (tests, `dossier shell`)
            import io

            collected = io.BytesIO()
            yield collected
            sys.stdout.write(collected.getvalue().decode("utf-8", "replace"))
            return
        stream = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    path = Path(target).expanduser()
    if path.is_dir():
        raise InvalidInput(_("'{target}' is a folder; give a file name").format(target=target))
    temporary = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise InvalidInput(_("cannot write '{target}': {reason}").format(target=target, reason=exc.strerror)) from None
    os.fchmod(fd, 0o600)  # whatever the umask
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
