"""What a command reads from the person at the keyboard: a file or `-` for stdin, or text
they edit in $EDITOR. Every failure is one `Error:` line (exit 2) and changes nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
