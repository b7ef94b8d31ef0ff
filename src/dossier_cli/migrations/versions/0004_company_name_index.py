"""company name index: names filed under their blocks, for look-alike warnings; list companies by status and name

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('company_name_block',
    sa.Column('block', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('block', 'company_id'),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('company_name_block', schema=None) as batch_op:
        batch_op.create_index('ix_company_name_block_company', ['company_id'], unique=False)
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.create_index('ix_company_status_name', ['status', 'name_key', 'id'], unique=False)

    # File the names already in the database (the same code `add company` uses).
    from dossier_cli.records.name_index import index_company_names

    bind = op.get_bind()
    names = bind.execute(sa.text("SELECT id, name_key FROM company ORDER BY id")).all()
    index_company_names(bind, [(company_id, key) for company_id, key in names], replace=False)


def downgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_index('ix_company_status_name')
    with op.batch_alter_table('company_name_block', schema=None) as batch_op:
        batch_op.drop_index('ix_company_name_block_company')
    op.drop_table('company_name_block')
