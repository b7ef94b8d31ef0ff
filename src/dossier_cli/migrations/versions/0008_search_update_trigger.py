"""search index: a row is re-indexed only when a column its entry is made of changes

Revision ID: 0008
Revises: 0007

Closing a next step (a touch's `done`), a stage move or a do-not-contact flag used to delete
and re-insert the row's full-text entry; an import closing a hundred thousand steps paid
that for each. The update triggers now name their columns (search._INDEXED_COLUMNS).
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_TABLES = ("company", "person", "touch", "dossier_answer")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    from dossier_cli.search import sqlite_index_ddl

    for table in _TABLES:
        op.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_search_au"))
    for statement in sqlite_index_ddl():  # IF NOT EXISTS: only the update triggers are made anew
        op.execute(sa.text(statement))


def downgrade() -> None:
    pass  # the narrower triggers keep the index right for the older code too
