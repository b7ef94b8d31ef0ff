"""The prospect dossier: `checklist`, `fill`, `ready`, `export dossier`, `add gift`, `list gifts`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from dossier_cli.cli import base
from dossier_cli.i18n import _
from dossier_cli.cli.base import open_session, settings, stderr_line
from dossier_cli.cli.groups import add_app, export_app, list_app
from dossier_cli.cli.output import (
    shown_text,
    CompanyArg,
    FormatOpt,
    LimitOpt,
    OffsetOpt,
    OutputFormat,
    box_style,
    out_console,
    print_json,
    render_rows,
    report_record,
    write_csv,
)
from dossier_cli.i18n import N_, _, ngettext

PersonOpt = Annotated[
    Optional[str], typer.Option("--person", "-p", help="Answer the per-person items for this person (linked to the company).")
]


# ---------------------------------------------------------------- checklist
def checklist(
    company: CompanyArg,
    missing: Annotated[bool, typer.Option("--missing", help="Show only what is left to find out (missing or stale).")] = False,
    history: Annotated[bool, typer.Option("--history", help="Also show every answer given, oldest first.")] = False,
    keys: Annotated[
        bool, typer.Option("--keys", help="Show each item's key, as `fill --set KEY=VALUE` takes it.")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Show the prospect dossier as a checklist: what we know, what is missing, how complete it is.

    Example: dossier checklist ромашка --missing
    """
    from dossier_cli.records import companies
    from dossier_cli.prospect import completeness, filling

    with open_session(write=False) as session:
        found = companies.find_company(session, company)
        status = completeness.dossier_status(session, settings(), found)
        if history:
            status["history"] = filling.dossier_history(session, settings(), found)
    if missing:
        for part in status["parts"]:
            part["items"] = [item for item in part["items"] if item["status"] != "answered"]
    if fmt == OutputFormat.json:
        print_json(status)
        return
    if fmt == OutputFormat.csv:
        if history:
            write_csv(status["history"], ["at", "user", "item", "label", "person", "value", "current"])
            return
        rows = [
            {
                "part": part["title"],
                "key": item["key"],
                "label": item["label"],
                "person": item["person"]["name"] if item["person"] else None,
                "status": item["status"],
                "value": item["display"],
                "answered_at": item["answered_at"],
                "user": item["user"],
            }
            for part in status["parts"]
            for item in part["items"]
        ]
        write_csv(rows, ["part", "key", "label", "person", "status", "value", "answered_at", "user"])
        return
    _print_checklist(status, keys=keys)
    if history:
        render_rows(
            status["history"],
            fmt=fmt,
            columns=["at", "user", "label", "person", "value"],
            headers={"label": "item"},
            title=_("How the dossier grew"),
            empty_message=_("nothing answered yet"),
        )


def _print_checklist(status: dict[str, Any], *, keys: bool = False) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from dossier_cli.cli.display import day as shown_day, label as shown, number

    console = out_console()
    company = status["company"]
    console.print(Text(_("{title}: #{id} {name} (stage {stage})").format(
        title=status["title"], id=company["id"], name=company["name"], stage=shown("stage", company["stage"])), style="bold"))
    for part in status["parts"]:
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
        table.add_column("mark", no_wrap=True, width=3)
        table.add_column("item", ratio=2, overflow="fold")
        table.add_column("value", ratio=3, overflow="fold")
        table.add_column("when", no_wrap=True)
        person: Any = object()
        for item in part["items"]:
            if part["per_person"] and item["person"] != person:
                person = item["person"]
                name = person["name"] if person else _("(no representative linked yet: dossier link person …)")
                table.add_row(Text(""), Text(name, style="bold"), Text(""), Text(""))
            style = {"missing": "red", "stale": "yellow"}.get(item["status"], "")
            when = shown_day(shown_text(item["answered_at"])[:10]) if item["answered_at"] else ""
            if item["status"] == "stale":
                when += _(" (stale)")
            label = Text(item["label"])
            if keys:
                label.append(f"  {item['key']}", style="dim")
            table.add_row(Text(item["mark"], style=style), label, Text(item["display"]), Text(when))
        if not part["items"]:
            table.add_row(Text(""), Text(_("nothing left to find out here")), Text(""), Text(""))
        title = Text(f"{part['title']}: {number(part['percent'])}% ({part['answered']}/{part['total']})")
        console.print(Panel(table, title=title, title_align="left", box=box_style()))

    roles = Table(box=None, show_header=False, padding=(0, 1))
    roles.add_column("role", no_wrap=True)
    roles.add_column("people", overflow="fold")
    for role, names in status["roles"].items():
        people = ", ".join(names) if names else _("not covered")
        flag = _("  <- no economic buyer known") if role == "economic-buyer" and not names else ""
        roles.add_row(Text(shown("role", role)), Text(people + flag, style="" if names else "red"))
    console.print(Panel(roles, title=Text(_("Buying roles")), title_align="left", box=box_style()))

    group = status["a_group"]
    if group["average"] is None:
        beside = _("no A group yet")
    else:
        if group["basis"] == "abc":
            count = ngettext("{n} company in ABC group A", "{n} companies in ABC group A", group["companies"])
        else:
            count = ngettext("{n} company at the top stage", "{n} companies at the top stage", group["companies"])
        beside = _("A group average {average}% ({count})").format(
            average=number(group["average"]), count=count.format(n=group["companies"]))
    from dossier_cli.prospect.completeness import basis_text

    basis = basis_text({"basis": status["threshold_basis"], "a_group": group})
    verdict = _("ready for first contact") if status["ready"] else _("not ready for first contact")
    console.print(
        Text(_("Overall {percent}% · {beside} · threshold {threshold}% ({basis}): {verdict}").format(
            percent=number(status["percent"]), beside=beside, threshold=number(status["threshold"]), basis=basis, verdict=verdict))
    )


# ---------------------------------------------------------------- fill
def fill(
    company: CompanyArg,
    person: PersonOpt = None,
    set_: Annotated[
        Optional[list[str]],
        typer.Option("--set", "-s", help="Answer an item: key=value (repeat; a list item takes 'a; b').", show_default=False),
    ] = None,
    from_: Annotated[
        Optional[str], typer.Option("--from", help="Read answers from a YAML or JSON file, or - for stdin.", show_default=False)
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Edit the dossier as YAML in $EDITOR; saved when you exit.")] = False,
    all_items: Annotated[bool, typer.Option("--all", help="At a terminal, ask every item, not only the missing ones.")] = False,
) -> None:
    """Fill in the dossier: at a terminal item by item, or with --set, --from or --edit.

    Example: dossier fill ромашка --set competitors="Восток-Трейд, Амур-Снаб" --set decision_maker="Иван Петров"
    """
    from dossier_cli.errors import InvalidInput

    if edit and (set_ or from_):
        raise InvalidInput(_("--edit cannot be combined with --set or --from"))
    if edit:
        _fill_in_editor(company, person)
        return
    answers: dict[str, Any] = {}
    if from_:
        answers.update(_read_answers(from_))
    if set_:
        from dossier_cli.prospect import filling

        answers.update(filling.parse_assignments(set_))
    if not (set_ or from_):
        if not base.is_interactive():
            raise InvalidInput(
                _("nothing to fill: not at a terminal, so give the answers with --set key=value, --from FILE (or --from - for stdin) or --edit")
            )
        _fill_interactively(company, person, missing_only=not all_items)
        return
    _save(company, answers, person)


def _read_answers(source: str) -> dict[str, Any]:
    from dossier_cli.cli.files import read_source
    from dossier_cli.prospect import filling

    text, name = read_source(source)
    return filling.parse_answers_document(text, source=name)


def _save(company: str, answers: dict[str, Any], person: str | None) -> None:
    from dossier_cli.records import companies
    from dossier_cli.formatting import format_number
    from dossier_cli.prospect import completeness, filling

    with open_session() as session:
        found = companies.find_company(session, company)
        before = completeness.dossier_status(session, settings(), found, with_a_group=False)["percent"]
        changed = filling.fill(session, settings(), found, answers, person=person)
        after = completeness.dossier_status(session, settings(), found, with_a_group=False)["percent"]
    if changed:
        stderr_line(
            _("Saved {n} answer{value} to the dossier of {name}: {before}% -> {after}% complete.").format(n=len(changed), value='s' if len(changed) != 1 else '', name=found.name, before=format_number(before), after=format_number(after))
        )
    else:
        stderr_line(_("Nothing changed in the dossier of {name} ({after}% complete).").format(name=found.name, after=format_number(after)))


def _fill_in_editor(company: str, person: str | None) -> None:
    from dossier_cli.cli.files import edit_text
    from dossier_cli.records import companies
    from dossier_cli.prospect import filling

    with open_session(write=False) as session:
        found = companies.find_company(session, company)
        company_id, name = found.id, found.name
        document = filling.editor_document(session, settings(), found, person=person)
    edited = edit_text(document)
    if edited is None:
        stderr_line(_("No changes made in the editor; the dossier of {name} is as it was.").format(name=name))
        return
    answers = filling.parse_answers_document(edited, source="the edited dossier")
    _save(str(company_id), answers, person)


def _fill_interactively(company: str, person: str | None, *, missing_only: bool) -> None:
    from dossier_cli.records import companies
    from dossier_cli.prospect import filling

    # Asking happens in a read transaction, so other commands can write meanwhile.
    with open_session(write=False) as session:
        found = companies.find_company(session, company)
        company_id, name = found.id, found.name
        asked = filling.questions(session, settings(), found, person=person, missing_only=missing_only)
        if not asked:
            stderr_line(_("Nothing is missing in the dossier of {name}; use --all to review every item.").format(name=name))
            return

        def check(question: dict[str, Any], raw: str) -> Any:
            return filling.check_answer(session, settings(), found, question["item"], raw)

        try:
            answers = prompt_answers(asked, check, read_line=read_answer_line, write=stderr_line)
        except PromptInterrupted as stop:
            answers = stop.answers
            interrupted = True
        else:
            interrupted = False
    if interrupted:
        # Ctrl-C: what was typed is kept, and the user is told so before we exit.
        if answers:
            stderr_line(_("Interrupted: saving the {n} answer(s) given so far.").format(n=_count(answers)))
            _save(str(company_id), answers, None)
        else:
            stderr_line(_("Interrupted: no answers were given; the dossier of {name} is as it was.").format(name=name))
        raise typer.Exit(130)
    if not answers:
        stderr_line(_("No answers given; the dossier of {name} is as it was.").format(name=name))
        return
    _save(str(company_id), answers, None)


def _choice_label(item: Any, choice: str) -> str:
    """A choice as the display language names it (sources, activities and roles are stored in English)."""
    from dossier_cli.cli.display import label

    column = {"source": "source", "activity": "activity", "role": "role"}.get(getattr(item, "field", None) or "")
    if column is None and getattr(item, "options_from", None) == "sources":
        column = "source"
    return label(column, choice) if column else choice


def read_answer_line() -> str:
    """One line typed at the terminal ('' at end of input; Ctrl-C raises KeyboardInterrupt)."""
    return sys.stdin.readline()


class PromptInterrupted(Exception):
    """Ctrl-C while answering: carries the answers given before it."""

    def __init__(self, answers: dict[str, Any]) -> None:
        super().__init__("interrupted")
        self.answers = answers


def _count(answers: dict[str, Any]) -> int:
    people = answers.get("people", {})
    return len([k for k in answers if k != "people"]) + sum(len(v) for v in people.values())


def prompt_answers(
    asked: list[dict[str, Any]],
    check: Callable[[dict[str, Any], str], Any],
    *,
    read_line: Callable[[], str],
    write: Callable[[str], None],
) -> dict[str, Any]:
    """Ask each question in turn; an empty line skips, end of input stops. Bad answers are asked again.

    Ctrl-C raises PromptInterrupted holding the answers given so far (the caller saves them).
    """
    answers: dict[str, Any] = {}
    try:
        return _ask(asked, check, answers, read_line=read_line, write=write)
    except KeyboardInterrupt:
        write("")
        raise PromptInterrupted(answers) from None


def _ask(
    asked: list[dict[str, Any]],
    check: Callable[[dict[str, Any], str], Any],
    answers: dict[str, Any],
    *,
    read_line: Callable[[], str],
    write: Callable[[str], None],
) -> dict[str, Any]:
    """Fill `answers` (the caller's dict, so that it keeps them if interrupted)."""
    from dossier_cli.errors import DossierError

    write(_("Answer each item; an empty line skips it. Ctrl-D stops and Ctrl-C interrupts: either way the answers so far are saved."))
    for question in asked:
        item, who = question["item"], question["person"]
        heading = f"{item.label}" + (f" [{who.name}]" if who else "")
        write("")
        write(heading + (f" — {item.hint}" if item.hint else ""))
        if question["choices"]:
            write(_("  choices: {choices}").format(choices=", ".join(_choice_label(item, c) for c in question["choices"])))
        if question["current"]:
            write(_("  now: {value}").format(value=question["current"]))
        while True:
            write(f"{item.key}> ")
            line = read_line()
            if not line:  # end of input (Ctrl-D)
                write("")
                if answers:
                    write(_("End of input: saving the {n} answer(s) given so far.").format(n=_count(answers)))
                return answers
            raw = line.rstrip("\n")
            if not raw.strip():
                break
            try:
                check(question, raw)
            except DossierError as exc:  # a bad value, or a name that matches no one (or several)
                write(_("  {problem}; try again, or an empty line to skip").format(problem=exc))
                continue
            if who is None:
                answers[item.key] = raw
            else:
                answers.setdefault("people", {}).setdefault(str(who.id), {})[item.key] = raw
            break
    return answers


# ---------------------------------------------------------------- ready
def ready(
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List the prospects whose dossier is ready for first contact, and what the others lack.

    Example: dossier ready --format json
    """
    from dossier_cli.prospect import completeness

    with open_session(write=False) as session:
        report = completeness.ready_report(session, settings(), limit=limit, offset=offset)
    if fmt == OutputFormat.json:
        print_json(report)
        return
    if fmt == OutputFormat.csv:
        write_csv(report["companies"], ["id", "name", "stage", "percent", "ready", "short_by", "missing"])
        return
    stderr_line(
        _("{ready_count} of {prospects} prospects ready; threshold {threshold:g}% ({value}).").format(ready_count=report['ready_count'], prospects=report['prospects'], threshold=report['threshold'], value=completeness.basis_text(report))
    )
    render_rows(
        report["companies"],
        fmt=fmt,
        columns=["id", "name", "stage", "percent", "ready", "short_by", "missing"],
        headers={"percent": "%", "short_by": N_("short by")},
        empty_message=_("no prospects before first contact"),
    )


# ---------------------------------------------------------------- printable dossier
class DocumentFormat(str, Enum):
    md = "md"
    html = "html"


@export_app.command("dossier")
def export_dossier(
    company: CompanyArg,
    fmt: Annotated[
        DocumentFormat, typer.Option("--format", "-f", help="Markdown or a self-contained HTML file.", case_sensitive=False)
    ] = DocumentFormat.md,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write to this file (readable by you only) instead of stdout.")
    ] = None,
) -> None:
    """Write the whole dossier, with its people, proposal and gifts register, for printing.

    Example: dossier export dossier ромашка --format html --output romashka.html
    """
    from dossier_cli.cli.files import output_stream
    from dossier_cli.prospect import printable
    from dossier_cli.records import companies

    with open_session(write=False) as session:
        found = companies.find_company(session, company)
        name = found.name
        document = printable.export_document(session, settings(), found)
    text = printable.to_html(document) if fmt == DocumentFormat.html else printable.to_markdown(document)
    with output_stream("-" if output is None else str(output)) as stream:
        stream.write(text)
    if output is not None:
        stderr_line(_("Wrote the dossier of {name} to {output}.").format(name=name, output=output))


# ---------------------------------------------------------------- gifts and hospitality
@add_app.command("gift")
def add_gift(
    company: CompanyArg,
    what: Annotated[str, typer.Option("--what", help="What was given or paid for.", show_default=False)],
    value: Annotated[Optional[str], typer.Option("--value", help="Its value, e.g. 3500 or 3 500,00.")] = None,
    given_on: Annotated[Optional[str], typer.Option("--date", help="When (YYYY-MM-DD or DD.MM.YYYY); default today.")] = None,
    person: Annotated[Optional[str], typer.Option("--person", "-p", help="Who received it.")] = None,
    purpose: Annotated[Optional[str], typer.Option("--purpose", help="Why: the occasion or the meeting.")] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Record a gift or hospitality in the company's register (what compliance policies ask for).

    Example: dossier add gift ромашка --what "ужин на двоих" --value 6000 --person "Иван Петров" --purpose "знакомство"
    """
    from dossier_cli.formatting import format_money
    from dossier_cli.records import companies
    from dossier_cli.prospect import gifts

    with open_session() as session:
        found = companies.find_company(session, company)
        gift = gifts.add_gift(
            session, settings(), found, what=what, value=value, given_on=given_on, person=person, purpose=purpose
        )
        record = gifts.list_gifts(session, settings(), found, limit=10_000)
        record = next(r for r in record if r["id"] == gift.id)
    report_record(record, fmt=fmt, said=_("Recorded gift #{id} for {name}: {what}, {value}.").format(
        id=record['id'], name=found.name, what=record['what'], value=format_money(record['value'], settings().currency)))


@list_app.command("gifts")
def list_gifts(
    company: Annotated[
        Optional[str], typer.Argument(help="Only this company's register (id, name or part of it).", show_default=False)
    ] = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List the gifts-and-hospitality register, oldest first.

    Example: dossier list gifts ромашка --format csv
    """
    from dossier_cli.records import companies
    from dossier_cli.prospect import gifts

    with open_session(write=False) as session:
        found = companies.find_company(session, company) if company else None
        rows = gifts.list_gifts(session, settings(), found, limit=limit, offset=offset)
    render_rows(
        rows,
        fmt=fmt,
        columns=["id", "date", "company", "person", "what", "value", "currency", "purpose"],
        empty_message=_("no gifts recorded"),
    )
