"""Alembic environment: runs on the connection dossier hands it (see store.upgrade_schema)."""

from alembic import context
from sqlmodel import SQLModel

from dossier_cli.models import load_all

load_all()  # registers every table on SQLModel.metadata

target_metadata = SQLModel.metadata
connection = context.config.attributes.get("connection")

if connection is None:
    raise RuntimeError("dossier migrations run through dossier itself: `dossier db upgrade`")

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # The FTS5 search index of migration 0002 is no model: autogenerate must not drop it.
    include_name=lambda name, type_, parents: not (type_ == "table" and (name or "").startswith("search_index")),
)
with context.begin_transaction():
    context.run_migrations()
