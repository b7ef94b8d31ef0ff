"""`dossier add/edit/show/list person(s)` and `dossier link/unlink person`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from dossier_cli.cli.base import new_app, open_session, settings, stderr_line, warn
from dossier_cli.cli.display import day as shown_day, label
from dossier_cli.cli.groups import add_app, edit_app, list_app, show_app
from dossier_cli.i18n import _
from dossier_cli.cli.output import CompanyArg, PersonArg, FormatOpt, LimitOpt, OffsetOpt, OutputFormat, render_record, render_rows, report_record

link_app = new_app("Link a person to a company in a role.")
unlink_app = new_app("End a person's link to a company (kept as history).")

NoteOpt = Annotated[Optional[str], typer.Option("--note", "--notes", help="Free-form notes.")]
DateOpt = Annotated[Optional[str], typer.Option("--date", help="When (YYYY-MM-DD or DD.MM.YYYY; default today).")]
PhonesOpt = Annotated[Optional[list[str]], typer.Option("--phone", help="A phone, in any format (repeat for several).")]
EmailsOpt = Annotated[Optional[list[str]], typer.Option("--email", help="An e-mail address (repeat for several).")]
TagOpt = Annotated[Optional[list[str]], typer.Option("--tag", help="A tag (repeat for several).")]


def _contacts(phone: Optional[list[str]], email: Optional[list[str]]) -> dict[str, list[str]]:
    return {kind: values for kind, values in (("phone", phone), ("email", email)) if values}


def _fields(**values: Optional[str]) -> dict[str, Optional[str]]:
    return {key: value for key, value in values.items() if value is not None}


def _day(text: Optional[str]):  # -> date | None
    if text is None:
        return None
    from dossier_cli.parsing import parse_date

    return parse_date(text)


@add_app.command("person")
def add_person(
    name: Annotated[str, typer.Argument(help="The person's full name.", show_default=False)],
    company: Annotated[Optional[str], typer.Option("--company", help="The company they work at.")] = None,
    role: Annotated[Optional[str], typer.Option("--role", help="Their role there: economic-buyer, technical-buyer, user, coach, owner or other.")] = None,
    phone: PhonesOpt = None,
    email: EmailsOpt = None,
    tag: TagOpt = None,
    note: NoteOpt = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Add them even if a person with the same name exists.")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Add a person, optionally with their role at a company.

    Example: dossier add person "Иван Петров" --company ромашка --role economic-buyer --phone "+7 4212 55-01-02"
    """
    from dossier_cli.records import companies, objections, people

    with open_session() as session:
        found = companies.find_company(session, company) if company is not None else None
        person = people.add_person(
            session,
            settings(),
            name=name,
            fields=_fields(notes=note),
            company=found,
            role=role,
            allow_duplicate=allow_duplicate,
            contacts=_contacts(phone, email),
            tags=tag,
        )
        # add_person marked them do-not-contact if they match a forgotten person's marker: say which.
        markers = objections.matching_markers(session, person) if person.do_not_contact else []
        record = people.person_details(session, settings(), person)
    for marker in markers[:1]:
        warn(_("{name} matches do-not-contact marker #{marker} left by `forget person` on {date}: marked do-not-contact").format(
            name=person.name, marker=marker.id, date=shown_day(marker.forgotten_at.date().isoformat())))
    report_record(record, fmt=fmt, said=(
        _("Added person #{id} {name} at {company}.").format(id=record["id"], name=record["name"], company=found.name)
        if found is not None else _("Added person #{id} {name}.").format(id=record["id"], name=record["name"])
    ))


@edit_app.command("person")
def edit_person(
    person: PersonArg,
    name: Annotated[Optional[str], typer.Option("--name", help="A new name.")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="Replace the primary phone (\"\" clears it).")] = None,
    email: Annotated[Optional[str], typer.Option("--email", help="Replace the primary e-mail (\"\" clears it).")] = None,
    add_phone: Annotated[Optional[list[str]], typer.Option("--add-phone", help="Add a phone, in any format.")] = None,
    rm_phone: Annotated[Optional[list[str]], typer.Option("--rm-phone", help="Remove a phone.")] = None,
    add_email: Annotated[Optional[list[str]], typer.Option("--add-email", help="Add an e-mail address.")] = None,
    rm_email: Annotated[Optional[list[str]], typer.Option("--rm-email", help="Remove an e-mail address.")] = None,
    add_tag: Annotated[Optional[list[str]], typer.Option("--add-tag", "--tag", help="Add a tag.")] = None,
    rm_tag: Annotated[Optional[list[str]], typer.Option("--rm-tag", help="Remove a tag.")] = None,
    note: NoteOpt = None,
    allow_duplicate: Annotated[bool, typer.Option("--allow-duplicate", help="Allow a name another person has.")] = False,
    do_not_contact: Annotated[
        Optional[bool],
        typer.Option("--do-not-contact/--may-contact", help="They object to being contacted (or agreed again).", show_default=False),
    ] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Change a person's name or contact details; an empty value ("") clears a field.

    Example: dossier edit person "Иван Петров" --email ivan@romashka.ru
    """
    from dossier_cli.records import people

    with open_session() as session:
        found = people.find_person(session, person)
        people.edit_person(
            session,
            settings(),
            found,
            name=name,
            fields=_fields(phone=phone, email=email, notes=note),
            allow_duplicate=allow_duplicate,
            add_contacts=_contacts(add_phone, add_email),
            remove_contacts=_contacts(rm_phone, rm_email),
            add_tags=add_tag,
            remove_tags=rm_tag,
            do_not_contact=do_not_contact,
        )
        record = people.person_details(session, settings(), found)
    report_record(record, fmt=fmt, said=_("Updated person #{id} {name}.").format(id=record["id"], name=record["name"]))


@show_app.command("person")
def show_person(person: PersonArg, fmt: FormatOpt = OutputFormat.table) -> None:
    """Show a person: contact details, their companies and roles, the businesses they ran before.

    Example: dossier show person "Olga Kim"
    """
    from dossier_cli.records import people

    with open_session(write=False) as session:
        found = people.find_person(session, person)
        record = people.person_details(session, settings(), found)
    render_record(record, fmt=fmt, title=f"#{record['id']} {record['name']}", person=True)


@list_app.command("people")
def list_people(
    company: Annotated[Optional[str], typer.Option("--company", help="Only people linked to this company.")] = None,
    role: Annotated[Optional[str], typer.Option("--role", help="Only people in this role: economic-buyer, technical-buyer, user, coach, owner or other.")] = None,
    tag: Annotated[Optional[list[str]], typer.Option("--tag", help="Only people with this tag (repeat: all of them).")] = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List people, sorted by name, with their companies and roles.

    Example: dossier list people --company ромашка --format json
    """
    from dossier_cli.records import companies, people

    with open_session(write=False) as session:
        found = companies.find_company(session, company) if company is not None else None
        rows = people.list_people(session, company=found, role=role, limit=limit, offset=offset, tags=tuple(tag or ()))
    from dossier_cli.cli.display import person_name_header

    render_rows(rows, fmt=fmt, columns=["id", "name", "companies", "phone", "email"], empty_message=_("no people match"),
                headers={"name": person_name_header()})


@link_app.command("person")
def link_person(
    person: PersonArg,
    company: CompanyArg,
    role: Annotated[str, typer.Option("--role", help="economic-buyer, technical-buyer, user, coach, owner or other.")] = "other",
    since: Annotated[Optional[str], typer.Option("--since", help="Since when (default today).")] = None,
) -> None:
    """Link a person to a company in a role (an owner's next business, a new job).

    Example: dossier link person "Olga Kim" "Amur Freight" --role owner
    """
    from dossier_cli.records import companies, people

    with open_session() as session:
        found_person = people.find_person(session, person)
        found_company = companies.find_company(session, company)
        link = people.link_person(
            session, person=found_person, company=found_company, role=role, since=_day(since)
        )
        stderr_line(_("Linked {person} to {company} as {role}.").format(
            person=found_person.name, company=found_company.name, role=label("role", link.role)))


@unlink_app.command("person")
def unlink_person(
    person: PersonArg,
    company: CompanyArg,
    role: Annotated[Optional[str], typer.Option("--role", help="Only this role (default: every role there).")] = None,
    date: DateOpt = None,
) -> None:
    """End a person's link to a company; the link stays in their history.

    Example: dossier unlink person "Иван Петров" ромашка
    """
    from dossier_cli.records import companies, people

    with open_session() as session:
        found_person = people.find_person(session, person)
        found_company = companies.find_company(session, company)
        links = people.unlink_person(
            session, person=found_person, company=found_company, role=role, until=_day(date)
        )
        roles = ", ".join(label("role", link.role) for link in links)
        stderr_line(_("Unlinked {person} from {company} ({roles}).").format(person=found_person.name, company=found_company.name, roles=roles))
