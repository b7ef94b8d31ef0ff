"""`dossier config …` and `dossier db …`: where things live and what is in force."""

from __future__ import annotations

import typer

from dossier_cli.cli.base import new_app, open_session, settings, stderr_line
from dossier_cli.cli.output import FormatOpt, OutputFormat, render_record, render_rows
from dossier_cli.i18n import N_, _

config_app = new_app("Show the settings in force and where each came from.")
db_app = new_app("The database: status and schema upgrades.")


@config_app.command("show")
def config_show(fmt: FormatOpt = OutputFormat.table) -> None:
    """Print the effective settings, each with where it came from (passwords masked).

    Example: dossier config show --format json
    """
    current = settings()
    values = current.as_public_dict()
    rows = [
        {"setting": key, "value": value, "from": current.origins.get(key, "")}
        for key, value in values.items()
        if key != "config_file"
    ]
    if fmt == OutputFormat.json:
        render_record({"config_file": current.config_file, "settings": rows}, fmt=fmt)
        return
    if fmt == OutputFormat.table:
        rows = [{**row, "value": _labelled(row["setting"], row["value"]), "from": origin(row["from"])} for row in rows]
    render_rows(rows, fmt=fmt, columns=["setting", "value", "from"], title=_("config file: {config_file}").format(config_file=current.config_file))


# Where a setting came from, for reading (JSON and CSV keep the English text scripts may test).
_ORIGINS = (
    ("config file ", N_("config file {what}")),
    ("environment ", N_("environment {what}")),
    ("flag ", N_("flag {what}")),
    ("locale ", N_("locale {what}")),
)
_PLAIN_ORIGINS = (N_("default"), N_("operating system user"))


_LABELLED = {"stages": "STAGES", "first_contact_stage": "STAGES", "client_stage": "STAGES", "sources": "SOURCES",
             "touch_kinds": "TOUCH_KINDS"}


def _labelled(setting: str, value: object) -> object:
    """Stages, sources and kinds of touch in the display language (their stored values in English)."""
    from dossier_cli import vocab
    from dossier_cli.i18n import language

    table = _LABELLED.get(setting)
    if table is None or language() != "ru":
        return value
    words = getattr(vocab, table)
    if isinstance(value, list):
        return [words.label(str(v)) for v in value]
    return words.label(str(value))


def origin(text: str) -> str:
    for prefix, message in _ORIGINS:
        if text.startswith(prefix):
            return _(message).format(what=text[len(prefix):])
    return _(text)


@db_app.command("status")
def db_status(fmt: FormatOpt = OutputFormat.table) -> None:
    """Say which database is in use, its backend and schema version (password masked).

    Example: dossier db status
    """
    from dossier_cli import store
    from dossier_cli.config import mask_url

    current = settings()
    with open_session(write=False) as session:
        info = store.describe(session, current.database)
    info["database"] = mask_url(current.database)
    info["from"] = current.origins.get("database", "")
    if fmt == OutputFormat.table:
        info["from"] = origin(info["from"])
    render_record(info, fmt=fmt)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema (also done automatically on first use).

    Example: dossier db upgrade
    """
    from dossier_cli import store

    current = settings()
    store.open_engine(current.database)
    stderr_line(_("Schema is at revision {SCHEMA_REVISION}.").format(SCHEMA_REVISION=store.SCHEMA_REVISION))


__all__ = ["config_app", "db_app", "typer"]
