"""`dossier add/edit/show/list/rm company`."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from dossier_cli.cli.base import confirm_or_require_yes, open_session, settings, stderr_line, warn
from dossier_cli.i18n import _
from dossier_cli.cli.groups import add_app, edit_app, list_app, rm_app, show_app
from dossier_cli.cli.display import label
from dossier_cli.formatting import format_day
from dossier_cli.cli.output import CompanyArg, FormatOpt, LimitOpt, OffsetOpt, OutputFormat, render_record, render_rows, report_record

CityOpt = Annotated[Optional[str], typer.Option("--city", help="Head-office city.")]
BranchOpt = Annotated[Optional[list[str]], typer.Option("--branch", help="A branch city (repeat for several).")]
IndustryOpt = Annotated[Optional[str], typer.Option("--industry", "--market", help="Industry / market.")]
ActivityOpt = Annotated[
    Optional[str], typer.Option("--activity", help="Kind of activity: extraction, production, trade or services.")
]
SourceOpt = Annotated[
    Optional[str], typer.Option("--source", help="Where we learned of the company (see `dossier config show`).")
]
TerritoryOpt = Annotated[Optional[str], typer.Option("--territory", help="Sales territory.")]
FoundedOpt = Annotated[Optional[str], typer.Option("--founded", help="Year the company was founded.")]
LegalFormOpt = Annotated[Optional[str], typer.Option("--legal-form", help="Legal form (ООО, АО, LLC, …).")]
TaxOpt = Annotated[Optional[str], typer.Option("--tax-number", "--inn", help="Tax number (INN in Russia).")]
KppOpt = Annotated[Optional[str], typer.Option("--kpp", help="KPP (Russian tax registration reason code).")]
OgrnOpt = Annotated[Optional[str], typer.Option("--ogrn", help="OGRN (Russian state registration number).")]
NoteOpt = Annotated[Optional[str], typer.Option("--note", "--notes", help="Free-form notes.")]
StrategyOpt = Annotated[Optional[str], typer.Option("--strategy", help="The company's strategy and plans.")]
TrendOpt = Annotated[Optional[str], typer.Option("--trend", help="Trend and dynamics of development.")]
FinanceOpt = Annotated[Optional[str], typer.Option("--financial-standing", help="Financial standing.")]
SupplyOpt = Annotated[Optional[str], typer.Option("--supply-channels", help="How and through which channels it is supplied.")]
CompetitorsOpt = Annotated[Optional[str], typer.Option("--competitors", help="Its competitors (and ours there).")]
PaysOpt = Annotated[Optional[str], typer.Option("--payment-reputation", "--pays", help="How it pays its bills.")]
PhoneOpt = Annotated[Optional[list[str]], typer.Option("--phone", help="A phone, in any format (repeat for several).")]
EmailOpt = Annotated[Optional[list[str]], typer.Option("--email", help="An e-mail address (repeat for several).")]
WebsiteOpt = Annotated[Optional[list[str]], typer.Option("--website", help="A website; stored as its host (repeat for several).")]
TagOpt = Annotated[Optional[list[str]], typer.Option("--tag", help="A tag (repeat for several).")]


def _contacts(phone: Optional[list[str]], email: Optional[list[str]], website: Optional[list[str]]) -> dict[str, list[str]]:
    return {kind: values for kind, values in (("phone", phone), ("email", email), ("website", website)) if values}


# The company's facts `add company` and `edit company` both take: the command's parameter → the field.
_FACT_OPTIONS: dict[str, str] = {
    "city": "city", "industry": "market", "activity": "activity", "source": "source", "territory": "territory",
    "founded": "founded", "legal_form": "legal_form", "tax_number": "tax_number", "kpp": "kpp", "ogrn": "ogrn",
    "strategy": "strategy", "trend": "trend", "financial_standing": "financial_standing",
    "supply_channels": "supply_channels", "competitors": "competitors", "payment_reputation": "payment_reputation",
    "note": "notes",
}


def _facts(options: dict[str, Any], **more: Optional[str]) -> dict[str, Optional[str]]:
    """The facts given on the command line, by field (from the command's `locals()`); those not given are left out."""
    values = {field: options[option] for option, field in _FACT_OPTIONS.items()} | more
    return {key: value for key, value in values.items() if value is not None}


def _listed_on(text: Optional[str]):
    if text is None:
        return None
    from datetime import date

    from dossier_cli.errors import InvalidInput
    from dossier_cli.i18n import _
    from dossier_cli.parsing import parse_date

    day = parse_date(text, field="--listed-on date")
    if day > date.today():
        raise InvalidInput(_("--listed-on {day} is in the future").format(day=format_day(day)))
    return day


@add_app.command("company")
def add_company(
    name: Annotated[
        Optional[str],
        typer.Argument(help="The company's name, as it writes it; left out with --inn, taken from the tax register.", show_default=False),
    ] = None,
    city: CityOpt = None,
    branch: BranchOpt = None,
    industry: IndustryOpt = None,
    activity: ActivityOpt = None,
    source: SourceOpt = None,
    territory: TerritoryOpt = None,
    founded: FoundedOpt = None,
    legal_form: LegalFormOpt = None,
    tax_number: TaxOpt = None,
    kpp: KppOpt = None,
    ogrn: OgrnOpt = None,
    strategy: StrategyOpt = None,
    trend: TrendOpt = None,
    financial_standing: FinanceOpt = None,
    supply_channels: SupplyOpt = None,
    competitors: CompetitorsOpt = None,
    payment_reputation: PaysOpt = None,
    note: NoteOpt = None,
    phone: PhoneOpt = None,
    email: EmailOpt = None,
    website: WebsiteOpt = None,
    tag: TagOpt = None,
    stage: Annotated[Optional[str], typer.Option("--stage", help="Start at this stage (for existing clients).")] = None,
    listed_on: Annotated[
        Optional[str],
        typer.Option(
            "--listed-on",
            help="The day it was put on our list (default today); earlier history (sales, touches, stage moves) needs an earlier day.",
        ),
    ] = None,
    owner: Annotated[
        Optional[str], typer.Option("--owner", help="A person (already known) who owns this company.")
    ] = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Add it even if a company with the same name exists.")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Add a company (a prospect or a client).

    Example: dossier add company "ООО «Ромашка»" --city Хабаровск --activity production --source "chambers of commerce"
    """
    from dossier_cli.records import companies

    with open_session() as session:
        from_register: dict[str, str] = {}
        if name is None:  # name, legal form, city, region, activity from the loaded tax register
            from dossier_cli.register.lookups import facts_for_new_company

            name, from_register = facts_for_new_company(session, settings(), tax_number)
        company = companies.add_company(
            session,
            settings(),
            name=name,
            fields=from_register | _facts(locals()),
            branches=branch,
            stage=stage,
            listed_on=_listed_on(listed_on),
            allow_duplicate=allow_duplicate,
            contacts=_contacts(phone, email, website),
            tags=tag,
        )
        from dossier_cli.upkeep import dupes

        look_alikes = dupes.look_alikes(session, settings(), company)
        if owner:
            from dossier_cli.records import people

            people.link_owner(session, settings(), company=company, person_ref=owner)
        # The table form says one line; only JSON and CSV carry the whole record.
        record = None
        if fmt != OutputFormat.table:
            from dossier_cli import company_card

            record = company_card.company_details(session, settings(), company)
    if record is None:
        record = {"id": company.id, "name": company.name}
        stderr_line(_("Added company #{id} {name} at stage '{stage}'.").format(
            id=company.id, name=company.name, stage=label("stage", company.stage)))
    else:
        render_record(record, fmt=fmt)
    for alike in look_alikes:
        warn(
            _("#{id} {name} looks like #{other_id} {other} ({reason}, score {score}); "
              "if they are one firm: dossier merge company {other_id} {id}").format(
                id=record["id"], name=record["name"], other_id=alike["id"], other=alike["name"],
                reason=alike["reason"], score=alike["score"])
        )


@edit_app.command("company")
def edit_company(
    company: CompanyArg,
    name: Annotated[Optional[str], typer.Option("--name", help="A new name.")] = None,
    city: CityOpt = None,
    branch: Annotated[Optional[list[str]], typer.Option("--branch", "--add-branch", help="Add a branch city.")] = None,
    rm_branch: Annotated[Optional[list[str]], typer.Option("--rm-branch", help="Remove a branch city.")] = None,
    industry: IndustryOpt = None,
    activity: ActivityOpt = None,
    source: SourceOpt = None,
    territory: TerritoryOpt = None,
    founded: FoundedOpt = None,
    legal_form: LegalFormOpt = None,
    tax_number: TaxOpt = None,
    kpp: KppOpt = None,
    ogrn: OgrnOpt = None,
    strategy: StrategyOpt = None,
    trend: TrendOpt = None,
    financial_standing: FinanceOpt = None,
    supply_channels: SupplyOpt = None,
    competitors: CompetitorsOpt = None,
    payment_reputation: PaysOpt = None,
    note: NoteOpt = None,
    add_phone: Annotated[Optional[list[str]], typer.Option("--add-phone", "--phone", help="Add a phone, in any format.")] = None,
    rm_phone: Annotated[Optional[list[str]], typer.Option("--rm-phone", help="Remove a phone.")] = None,
    add_email: Annotated[Optional[list[str]], typer.Option("--add-email", "--email", help="Add an e-mail address.")] = None,
    rm_email: Annotated[Optional[list[str]], typer.Option("--rm-email", help="Remove an e-mail address.")] = None,
    add_website: Annotated[Optional[list[str]], typer.Option("--add-website", "--website", help="Add a website.")] = None,
    rm_website: Annotated[Optional[list[str]], typer.Option("--rm-website", help="Remove a website.")] = None,
    add_tag: Annotated[Optional[list[str]], typer.Option("--add-tag", "--tag", help="Add a tag.")] = None,
    rm_tag: Annotated[Optional[list[str]], typer.Option("--rm-tag", help="Remove a tag.")] = None,
    allow_duplicate: Annotated[bool, typer.Option("--allow-duplicate", help="Allow a name another company has.")] = False,
    listed_on: Annotated[
        Optional[str],
        typer.Option("--listed-on", help="The day it was put on our list; earlier lets older history be entered."),
    ] = None,
    deal_value: Annotated[
        Optional[str], typer.Option("--deal-value", help="The deal expected from it, in the currency (for the forecast).")
    ] = None,
    close_by: Annotated[
        Optional[str], typer.Option("--close-by", help="The month the deal should close: YYYY-MM (for the forecast).")
    ] = None,
    every: Annotated[
        Optional[str], typer.Option("--every", help="Stay in touch at least every N days (the agenda reminds you).")
    ] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Change a company's facts; an empty value ("") clears a field.

    Example: dossier edit company "Amur Logistics" --industry logistics --note "pays on time, 30-day terms"
    """
    from dossier_cli import company_card
    from dossier_cli.records import companies

    with open_session() as session:
        found = companies.find_company(session, company)
        companies.edit_company(
            session,
            settings(),
            found,
            name=name,
            fields=_facts(locals(), deal_value=deal_value, close_by=close_by, cadence_days=every),
            add_branches=branch,
            remove_branches=rm_branch,
            allow_duplicate=allow_duplicate,
            add_contacts=_contacts(add_phone, add_email, add_website),
            remove_contacts=_contacts(rm_phone, rm_email, rm_website),
            add_tags=add_tag,
            remove_tags=rm_tag,
            listed_on=_listed_on(listed_on),
        )
        record = company_card.company_details(session, settings(), found)
    report_record(record, fmt=fmt, said=_("Updated company #{id} {name}.").format(id=record["id"], name=record["name"]))


@show_app.command("company")
def show_company(company: CompanyArg, fmt: FormatOpt = OutputFormat.table) -> None:
    """Show everything known about one company.

    Example: dossier show company ромашка
    """
    from dossier_cli import company_card
    from dossier_cli.records import companies

    with open_session(write=False) as session:
        found = companies.find_company(session, company)
        record = company_card.company_details(session, settings(), found)
    render_record(record, fmt=fmt, title=f"#{record['id']} {record['name']}")


@list_app.command("companies")
def list_companies(
    city: CityOpt = None,
    industry: IndustryOpt = None,
    activity: ActivityOpt = None,
    source: SourceOpt = None,
    territory: TerritoryOpt = None,
    stage: Annotated[Optional[str], typer.Option("--stage", help="Only companies at this stage.")] = None,
    status: Annotated[str, typer.Option("--status", help="active, lost, liquidated or all.")] = "active",
    tag: Annotated[Optional[list[str]], typer.Option("--tag", help="Only companies with this tag (repeat: all of them).")] = None,
    abc: Annotated[Optional[str], typer.Option("--abc", help="Only companies in this ABC group (A, B or C).")] = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List companies, sorted by name (alphabetically, Cyrillic too).

    Example: dossier list companies --city Хабаровск --format json
    """
    from dossier_cli.records import companies

    filters = companies.CompanyFilter(
        city=city,
        market=industry,
        activity=activity,
        source=source,
        territory=territory,
        stage=stage,
        status=status,
        tags=tuple(tag or ()),
    )
    with open_session(write=False) as session:
        if abc:
            from dossier_cli.selling import abc as abc_analysis

            filters.company_ids = tuple(abc_analysis.abc_group_ids(session, settings(), abc))
        rows = companies.list_company_records(session, settings(), filters, limit=limit, offset=offset)
    render_rows(
        rows,
        fmt=fmt,
        columns=["id", "name", "city", "market", "activity", "stage", "status", "source"],
        optional=["market", "activity", "status", "source"],
        headers={"market": "industry"},
        empty_message=_("no companies match"),
    )


@rm_app.command("company")
def rm_company(
    company: CompanyArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a company and everything recorded about it (sales, touches, dossier).

    Example: dossier rm company "Amur Logistics" --yes
    """
    from dossier_cli.records import companies

    with open_session() as session:
        found = companies.find_company(session, company)
        confirm_or_require_yes(_("Remove company #{id} {name} and all its records?").format(id=found.id, name=found.name), yes=yes)
        companies.remove_company(session, found)
        stderr_line(_("Removed company #{id} {name}.").format(id=found.id, name=found.name))
