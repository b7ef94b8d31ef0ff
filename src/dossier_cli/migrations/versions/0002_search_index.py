"""search index: an FTS5 table kept in step by triggers (SQLite only)

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Other databases search through the portable fallback in dossier_cli.search.
    if op.get_bind().dialect.name != "sqlite":
        return
    from dossier_cli.search import INDEX_TABLE, sqlite_index_ddl, sqlite_index_populate

    for statement in sqlite_index_ddl():
        op.execute(sa.text(statement))
    op.execute(sa.text(f"DELETE FROM {INDEX_TABLE}"))  # idempotent when re-run on an older copy
    for statement in sqlite_index_populate():
        op.execute(sa.text(statement))


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    from dossier_cli.search import sqlite_index_drop

    for statement in sqlite_index_drop():
        op.execute(sa.text(statement))
