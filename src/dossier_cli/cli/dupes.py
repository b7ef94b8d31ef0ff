"""`dossier dupes` and `dossier merge company|person`: finding and joining duplicates."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dossier_cli.cli.base import confirm_or_require_yes, new_app, open_session, settings, stderr_line, warn
from dossier_cli.cli.output import FormatOpt, OutputFormat, render_record, render_rows

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]

merge_app = new_app("Join two records that are one: the first absorbs the second, which is removed.")


def dupes(
    threshold: Annotated[
        Optional[int], typer.Option("--threshold", help="Lowest similarity to report, 0-100 (default 85).", show_default=False)
    ] = None,
    kind: Annotated[str, typer.Option("--kind", help="companies or people.")] = "companies",
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List likely duplicates: pairs with a similarity score and the reason.

    Example: dossier dupes --threshold 80 --format json
    """
    from dossier_cli.upkeep import dupes as duplicates

    with open_session(write=False) as session:
        rows = duplicates.list_dupes(
            session, kind=kind, threshold=duplicates.DEFAULT_THRESHOLD if threshold is None else threshold
        )
    render_rows(
        rows,
        fmt=fmt,
        columns=["score", "first_id", "first", "second_id", "second", "reason"],
        headers={"first_id": "#", "second_id": "#"},
        empty_message="no likely duplicates",
    )
    if rows and fmt == OutputFormat.table:
        first = rows[0]
        stderr_line(f"To join a pair: dossier merge {first['kind']} {first['first_id']} {first['second_id']}")


@merge_app.command("company")
def merge_company(
    keep: Annotated[str, typer.Argument(help="The company to keep: id, name, INN, phone, e-mail or website.", show_default=False)],
    other: Annotated[str, typer.Argument(help="The company to merge into it and remove.", show_default=False)],
    yes: YesOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Merge two companies: the first keeps everything of the second, which is removed.

    Example: dossier merge company "ООО «Ромашка»" "Romashka LLC" --yes
    """
    from dossier_cli.records import companies
    from dossier_cli.upkeep import merge

    with open_session() as session:
        kept = companies.find_company(session, keep)
        merged = companies.find_company(session, other)
        if kept.id != merged.id:
            confirm_or_require_yes(
                f"Merge company #{merged.id} {merged.name} into #{kept.id} {kept.name} and remove #{merged.id}?", yes=yes
            )
        summary = merge.merge_companies(session, settings(), kept, merged)
    _report(summary, "company", fmt)


@merge_app.command("person")
def merge_person(
    keep: Annotated[str, typer.Argument(help="The person to keep: id, name, phone or e-mail.", show_default=False)],
    other: Annotated[str, typer.Argument(help="The person to merge into them and remove.", show_default=False)],
    yes: YesOpt = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Merge two people: the first keeps everything of the second, who is removed.

    Example: dossier merge person "Иван Петров" "Petrov Ivan" --yes
    """
    from dossier_cli.upkeep import merge
    from dossier_cli.records import people

    with open_session() as session:
        kept = people.find_person(session, keep)
        merged = people.find_person(session, other)
        if kept.id != merged.id:
            confirm_or_require_yes(
                f"Merge person #{merged.id} {merged.name} into #{kept.id} {kept.name} and remove #{merged.id}?", yes=yes
            )
        summary = merge.merge_people(session, settings(), kept, merged)
    _report(summary, "person", fmt)


def _report(summary: dict, what: str, fmt: OutputFormat) -> None:
    if fmt != OutputFormat.table:
        render_record(summary, fmt=fmt)
        return
    moved = ", ".join(f"{rows} {table.replace('_', ' ')}" for table, rows in summary["moved"].items()) or "nothing"
    stderr_line(
        f"Merged {what} #{summary['removed_id']} {summary['removed']} into #{summary['kept_id']} {summary['kept']} "
        f"(moved: {moved}); #{summary['removed_id']} is removed."
    )
    for reference in summary.get("shared_sale_references", []):
        warn(f"both companies had a sale with reference '{reference}': check it was not entered twice")
