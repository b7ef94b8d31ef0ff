"""`dossier search`: company names and notes, people, touch notes and dossier answers, best match first."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dossier_cli.cli.base import open_session, settings
from dossier_cli.cli.output import FormatOpt, OutputFormat, render_rows
from dossier_cli.i18n import _


def search_command(
    text: Annotated[str, typer.Argument(help="Words to look for (any characters; all words must match).", show_default=False)],
    kind: Annotated[
        Optional[str], typer.Option("--kind", help="Only companies, people, touches or dossier.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most N matches.", min=0)] = 20,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Search company names and notes, people, touch notes and dossier answers, best match first.

    Example: dossier search "ромашка"
    """
    from dossier_cli import search

    current = settings()

    def labels() -> dict[str, str]:  # the dossier template is read only when a dossier answer matches
        from dossier_cli.prospect.template import load_template

        template = load_template(current)
        return {key: item.label for per_person in (False, True) for key, item in template.items(per_person=per_person).items()}

    with open_session(write=False) as session:
        rows = search.search(session, text, kind=kind, limit=limit, labels=labels)
    if fmt == OutputFormat.table:  # companies, people, touches, dossier, a touch's kind: in the display language
        from dossier_cli.vocab import TOUCH_KINDS

        rows = [{**row, "kind": _(row["kind"]),
                 "title": TOUCH_KINDS.label(row["title"]) if row["kind"] == "touches" else row["title"]} for row in rows]
    render_rows(rows, fmt=fmt, columns=["kind", "id", "title", "company", "snippet"], empty_message=_("nothing matches"))
