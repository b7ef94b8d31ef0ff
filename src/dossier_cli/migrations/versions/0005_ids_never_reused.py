"""ids never reused: SQLite tables with user-visible ids get AUTOINCREMENT

Revision ID: 0005
Revises: 0006

SQLite otherwise hands out max(id) + 1, so the id of the newest company removed (or
merged away) went to the next company added, and the audit trail of the old one read
as the new one's. Each table is rebuilt with AUTOINCREMENT (store.upgrade_schema turns
foreign keys off for the rebuild, so no cascade fires), and its counter starts past
every id the audit trail has ever named for that kind of record.

PostgreSQL sequences never hand out a number twice: nothing to do there.
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0006'
branch_labels = None
depends_on = None

# Tables whose integer id a user sees or the audit trail names; parents before children.
TABLES = (
    'company', 'person', 'plan', 'audit_event', 'forgotten_person', 'branch', 'contact_point',
    'dossier_answer', 'gift', 'person_link', 'rating', 'sale', 'stage_change', 'touch',
)
# audit_event.entity -> table, where they differ.
_ENTITY_OF = {'dossier_answer': 'dossier'}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    from dossier_cli.search import sqlite_index_ddl

    present = set(sa.inspect(bind).get_table_names())
    for table in TABLES:
        if table not in present:
            continue
        with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': True}):
            pass
    # Rebuilding a table drops its triggers: put the search index's back.
    for statement in sqlite_index_ddl():
        op.execute(sa.text(statement))
    for table in TABLES:
        if table not in present:
            continue
        highest = bind.execute(sa.text(f'SELECT MAX(id) FROM "{table}"')).scalar() or 0
        named = bind.execute(
            sa.text('SELECT MAX(entity_id) FROM audit_event WHERE entity = :entity'),
            {'entity': _ENTITY_OF.get(table, table)},
        ).scalar() or 0
        if table == 'company':
            named = max(named, bind.execute(sa.text('SELECT MAX(company_id) FROM audit_event')).scalar() or 0)
        seed = max(highest, named)
        bind.execute(sa.text('DELETE FROM sqlite_sequence WHERE name = :t'), {'t': table})
        if seed:
            bind.execute(sa.text('INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)'), {'t': table, 's': seed})


def downgrade() -> None:
    # AUTOINCREMENT only stops ids from coming back; keeping it is harmless.
    pass
