"""`import all`: a whole `export all` document restored into an empty database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from dossier_cli.errors import Conflict, InvalidInput
from dossier_cli.transfer.reading import Reader
from dossier_cli.transfer.results import BATCH_SIZE, ImportResult
from dossier_cli.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session


# ---------------------------------------------------------------- import all
# Tables of `export all`, in an order that satisfies the foreign keys.
ALL_SECTIONS: tuple[tuple[str, str], ...] = (
    ("companies", "company"),
    ("people", "person"),
    ("person_links", "person_link"),
    ("contact_points", "contact_point"),
    ("stage_changes", "stage_change"),
    ("sales", "sale"),
    ("ratings", "rating"),
    ("touches", "touch"),
    ("dossier_answers", "dossier_answer"),
    ("gifts", "gift"),
    ("plans", "plan"),
    ("forgotten_people", "forgotten_person"),
    ("audit_events", "audit_event"),  # the audit trail: who changed what, when (restored as it was)
)
_TRAIL = "audit_event"
EXPORT_FORMAT = "dossier-export"
EXPORT_VERSION = 1


def column_converter(column: Any) -> Callable[[Any], Any]:
    import sqlalchemy as sa

    column_type = column.type
    if isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, sa.DateTime):
        return lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return lambda v: v
    if python_type is datetime:
        return lambda v: datetime.fromisoformat(v) if isinstance(v, str) else v
    if python_type is date:
        return lambda v: date.fromisoformat(v) if isinstance(v, str) else v
    return lambda v: v


def import_all(session: Session, reader: Reader, result: ImportResult) -> None:
    from sqlalchemy import func, select
    from sqlmodel import SQLModel

    from dossier_cli.models import load_all


    load_all()  # registers every table

    document = reader.read_document()
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise InvalidInput(_("{name}: not a dossier export (made by `dossier export all --format json`)").format(name=reader.name))
    if document.get("version") != EXPORT_VERSION:
        raise InvalidInput(_("{name}: export version {value} is not one this dossier reads ({EXPORT_VERSION})").format(name=reader.name, value=document.get('version'), EXPORT_VERSION=EXPORT_VERSION))
    tables = SQLModel.metadata.tables
    conn = session.connection()
    trail_before = conn.execute(select(func.count()).select_from(tables[_TRAIL])).scalar()
    for _section, table_name in ALL_SECTIONS:
        if table_name != _TRAIL and conn.execute(select(func.count()).select_from(tables[table_name])).scalar():
            raise Conflict(
                _("`import all` restores into an empty database, and this one already holds data"),
                hint=_("use a new file with --db, or import kinds one by one (import companies, import sales, …)"),
            )
    for section, table_name in ALL_SECTIONS:
        rows = document.get(section) or []
        if not isinstance(rows, list):
            raise InvalidInput(_("{name}: '{section}' must be a list").format(name=reader.name, section=section))
        table = tables[table_name]
        converters = {c.name: column_converter(c) for c in table.c}
        clean_rows = []
        branches, tags = [], []
        for number, record in enumerate(rows, start=1):
            if not isinstance(record, dict):
                raise InvalidInput(_("{name}: {section} record {number} is not an object").format(name=reader.name, section=section, number=number))
            unknown = set(record) - set(converters) - {"branches", "tags"}
            if unknown:
                raise InvalidInput(_("{name}: {section} record {number} has unknown fields: {items}").format(name=reader.name, section=section, number=number, items=', '.join(sorted(unknown))))
            try:
                clean_rows.append({name: convert(record.get(name)) for name, convert in converters.items()})
            except (TypeError, ValueError) as exc:
                raise InvalidInput(_("{name}: {section} record {number}: {exc}").format(name=reader.name, section=section, number=number, exc=exc)) from None
            if table_name == "company":
                branches += [{"company_id": record["id"], "city": city} for city in record.get("branches") or []]
                tags += [{"company_id": record["id"], "tag": tag} for tag in record.get("tags") or []]
            elif table_name == "person":
                tags += [{"person_id": record["id"], "tag": tag} for tag in record.get("tags") or []]
        if table_name == _TRAIL and trail_before:
            # The new database already recorded something (its creation): the restored trail
            # follows it, in its own order, under new numbers.
            clean_rows = [{k: v for k, v in row.items() if k != "id"} for row in sorted(clean_rows, key=lambda r: r["id"] or 0)]
        for start in range(0, len(clean_rows), BATCH_SIZE):
            conn.execute(table.insert(), clean_rows[start : start + BATCH_SIZE])
        if branches:
            conn.execute(tables["branch"].insert(), branches)
        if table_name == "company":
            from dossier_cli.records.name_index import index_company_names

            index_company_names(session, [(row["id"], row["name_key"]) for row in clean_rows], replace=False)
        if tags:
            conn.execute(tables["company_tag" if table_name == "company" else "person_tag"].insert(), tags)
        result.details[section] = len(clean_rows)
        result.created += len(clean_rows)
        result.rows += len(clean_rows)
    if conn.dialect.name == "postgresql":
        from sqlalchemy import text

        for _section, table_name in ALL_SECTIONS:
            if "id" in tables[table_name].c:
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table_name}"
                ))
