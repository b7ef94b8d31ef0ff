"""`dossier export person` and `dossier forget person`: the rights of the people in the database."""

from __future__ import annotations

from typing import Annotated

import typer

from dossier_cli.cli.base import confirm_or_require_yes, new_app, open_session, settings, stderr_line, warn
from dossier_cli.cli.groups import export_app
from dossier_cli.cli.output import FormatOpt, OutputFormat, PersonArg, render_record
from dossier_cli.i18n import _

forget_app = new_app("Erase a person's personal data everywhere (the right to be forgotten).")


@export_app.command("person")
def export_person(
    person: PersonArg,
    output: Annotated[
        str, typer.Option("--output", "-o", help="Write to this file (created readable by you only), or - for stdout.")
    ] = "-",
) -> None:
    """Write everything stored about one person as one JSON document (GDPR access and portability).

    Example: dossier export person "Иван Петров" --output ivan-petrov.json
    """
    import json

    from dossier_cli.records import people
    from dossier_cli.upkeep import privacy
    from dossier_cli.cli.files import output_stream

    with open_session(write=False) as session:
        found = people.find_person(session, person)
        document = privacy.person_data(session, found)
        label = f"#{found.id} {found.name}"
    with output_stream(output) as stream:
        stream.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
    if output != "-":
        stderr_line(_("Exported everything about {label} to {output} (readable by you only).").format(label=label, output=output))


@forget_app.command("person")
def forget_person(
    person: PersonArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Erase a person's personal data everywhere, keeping only a do-not-contact marker (a hash).

    Example: dossier forget person "Иван Петров" --yes
    """
    from dossier_cli.records import people
    from dossier_cli.upkeep import privacy
    from dossier_cli.store import dispose_engines

    with open_session() as session:
        found = people.find_person(session, person)
        confirm_or_require_yes(
            _("Erase #{id} {name} and every mention of them, for good (export them first if you must)?").format(id=found.id, name=found.name),
            yes=yes,
        )
        label = f"#{found.id} {found.name}"
        result = privacy.forget_person(session, found)
    dispose_engines()  # no pooled connection may hold the old pages while the files are cleaned
    database = settings().database
    files = privacy.purge_files(database, result["patterns"])
    counts = result["counts"]
    summary = {
        "pseudonym": result["pseudonym"],
        **{k: v for k, v in counts.items()},
        "vacuumed": files["vacuumed"],
        "files_clean": files["clean"],
        "backups_still_holding_them": [str(p) for p in privacy.backups_beside(database)],
    }
    if fmt != OutputFormat.table:
        render_record(summary, fmt=fmt)
    else:
        stderr_line(
            _("Forgot {label}; the audit trail now calls them {pseudonym}. Removed: {links} link(s), {contact_points} contact point(s), {dossier_answers} dossier answer(s), {tags} tag(s); {touches} touch(es) and {gifts} gift(s) kept without them; {texts_scrubbed} other text(s) scrubbed. A do-not-contact marker (a hash) remains.").format(label=label, pseudonym=result['pseudonym'], links=counts['links'], contact_points=counts['contact_points'], dossier_answers=counts['dossier_answers'], tags=counts['tags'], touches=counts['touches'], gifts=counts['gifts'], texts_scrubbed=counts['texts_scrubbed'])
        )
    if files["clean"] is False:
        warn(
            _("another process kept the database open, so old copies of their data may stay in the file until SQLite next checkpoints it (when no other dossier command is running)")
        )
    elif files["clean"]:
        stderr_line(_("The database file and its WAL were checked: no trace of their name, e-mail or phone is left."))
    if summary["backups_still_holding_them"]:
        warn(_("{n} backup file(s) made before now still hold them; delete or replace them if the erasure must reach the backups").format(n=len(summary['backups_still_holding_them'])))
