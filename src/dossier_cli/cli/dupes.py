"""`dossier dupes` and `dossier merge company|person`: finding and joining duplicates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Optional

import typer

from dossier_cli.cli.base import confirm_or_require_yes, new_app, open_session, settings, stderr_line, warn
from dossier_cli.cli.output import FormatOpt, OutputFormat, render_record, render_rows
from dossier_cli.i18n import N_, _, ngettext

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
        empty_message=_("no likely duplicates"),
    )
    if rows and fmt == OutputFormat.table:
        first = rows[0]
        stderr_line(_("To join a pair: dossier merge {kind} {first_id} {second_id}").format(kind=first['kind'], first_id=first['first_id'], second_id=first['second_id']))


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

    _merge(
        keep, other, find=companies.find_company, merge=merge.merge_companies,
        question=_("Merge company #{id} {name} into #{id2} {name2} and remove #{id}?"), what=N_("company"), yes=yes, fmt=fmt,
    )


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

    _merge(
        keep, other, find=people.find_person, merge=merge.merge_people,
        question=_("Merge person #{id} {name} into #{id2} {name2} and remove #{id}?"), what=N_("person"), yes=yes, fmt=fmt,
    )


def _merge(keep: str, other: str, *, find: Callable, merge: Callable, question: str, what: str, yes: bool, fmt: OutputFormat) -> None:
    """Find both records, ask (unless --yes; naming one record twice is the domain's error), merge, report."""
    with open_session() as session:
        kept = find(session, keep)
        merged = find(session, other)
        if kept.id != merged.id:
            confirm_or_require_yes(question.format(id=merged.id, name=merged.name, id2=kept.id, name2=kept.name), yes=yes)
        summary = merge(session, settings(), kept, merged)
    _report(summary, what, fmt)


def _report(summary: dict, what: str, fmt: OutputFormat) -> None:
    if fmt != OutputFormat.table:
        render_record(summary, fmt=fmt)
        return
    moved = ", ".join(_moved(table, rows) for table, rows in summary["moved"].items()) or _("nothing")
    stderr_line(
        _("Merged {what} #{removed_id} {removed} into #{kept_id} {kept} (moved: {moved}); #{removed_id} is removed.").format(what=_(what), removed_id=summary['removed_id'], removed=summary['removed'], kept_id=summary['kept_id'], kept=summary['kept'], moved=moved)
    )
    for reference in summary.get("shared_sale_references", []):
        warn(_("both companies had a sale with reference '{reference}': check it was not entered twice").format(reference=reference))


def _moved(table: str, n: int) -> str:
    """How many rows of one kind moved, in words and in the display language's plural form."""
    forms = {
        "contact_point": lambda: ngettext("{n} contact detail", "{n} contact details", n),
        "company_tag": lambda: ngettext("{n} tag", "{n} tags", n),
        "person_tag": lambda: ngettext("{n} tag", "{n} tags", n),
        "branch": lambda: ngettext("{n} branch", "{n} branches", n),
        "person_link": lambda: ngettext("{n} person link", "{n} person links", n),
        "dossier_answer": lambda: ngettext("{n} dossier answer", "{n} dossier answers", n),
        "sale": lambda: ngettext("{n} sale", "{n} sales", n),
        "touch": lambda: ngettext("{n} touch", "{n} touches", n),
        "stage_change": lambda: ngettext("{n} stage change", "{n} stage changes", n),
        "lost_deal": lambda: ngettext("{n} lost deal", "{n} lost deals", n),
        "gift": lambda: ngettext("{n} gift", "{n} gifts", n),
        "rating": lambda: ngettext("{n} rating", "{n} ratings", n),
    }
    form = forms.get(table)
    return form().format(n=n) if form else f"{n} {table.replace('_', ' ')}"
