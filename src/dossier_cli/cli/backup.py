"""`dossier backup`, `dossier restore`, `dossier check`: keeping years of work safe."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from dossier_cli.cli.base import confirm_or_require_yes, settings, stderr_line
from dossier_cli.cli.output import FormatOpt, OutputFormat, render_record, report_record
from dossier_cli.errors import ExitCode
from dossier_cli.i18n import _, ngettext


def backup(
    file: Annotated[Optional[Path], typer.Argument(help="Where to write the copy (default: a dated file beside the database).")] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Make a consistent, verified copy of the database, even while others write.

    Example: dossier backup ~/dossier-before-import.db
    """
    from dossier_cli.upkeep import backup as backups

    result = backups.backup(settings().database, file, keep=settings().backup_keep)
    report_record(result, fmt=fmt, said=_("Backed up to {backup} ({bytes} bytes).").format(backup=result['backup'], bytes=result['bytes']))


def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `dossier backup`.", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace the database with a backup (the current one is saved first).

    Example: dossier restore ~/.local/share/dossier/dossier.db.20261126T101500Z.bak --yes
    """
    from dossier_cli.upkeep import backup as backups
    from dossier_cli.store import dispose_engines

    confirm_or_require_yes(_("Replace the database with {file}?").format(file=file), yes=yes)
    dispose_engines()
    result = backups.restore(settings().database, file)
    saved = _("; the previous database is saved as {file}").format(file=result["previous_saved_as"]) if result["previous_saved_as"] else ""
    stderr_line(_("Restored from {restored_from}{saved}.").format(restored_from=result['restored_from'], saved=saved))


def check(fmt: FormatOpt = OutputFormat.table) -> None:
    """Run the integrity, foreign-key and search-index checks; exit 1 on any finding.

    Example: dossier check && echo healthy
    """
    from dossier_cli.upkeep import backup as backups

    problems = backups.check(settings().database)
    if fmt == OutputFormat.table:
        for problem in problems:
            stderr_line(_("Problem: {problem}").format(problem=problem))
        stderr_line(_("The database is healthy.") if not problems else ngettext(
            "{n} problem found.", "{n} problems found.", len(problems)).format(n=len(problems)))
    else:
        render_record({"healthy": not problems, "problems": problems}, fmt=fmt)
    if problems:
        raise typer.Exit(int(ExitCode.ERROR))
