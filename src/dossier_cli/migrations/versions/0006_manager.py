"""manager: lost deals with their reason, pipeline cycles, deal value and close month, contact cadence, revenue goal

Revision ID: 0006
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lost_deal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=False),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('lost_on', sa.Date(), nullable=False),
    sa.Column('reopened_on', sa.Date(), nullable=True),
    sa.Column('user', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('lost_deal', schema=None) as batch_op:
        batch_op.create_index('ix_lost_deal_company', ['company_id', 'cycle'], unique=False)
        batch_op.create_index('ix_lost_deal_date', ['lost_on', 'reason'], unique=False)
    # Plain ADD COLUMNs (no table rebuild on SQLite): the company table may be large.
    op.add_column('company', sa.Column('deal_value_minor', sa.BigInteger(), nullable=True))
    op.add_column('company', sa.Column('close_by', sa.Date(), nullable=True))
    op.add_column('company', sa.Column('cadence_days', sa.Integer(), nullable=True))
    op.add_column('company', sa.Column('cycle', sa.Integer(), server_default='1', nullable=False))
    op.add_column('stage_change', sa.Column('cycle', sa.Integer(), server_default='1', nullable=False))
    op.add_column('plan', sa.Column('goal_revenue_minor', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_column('goal_revenue_minor')
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.drop_column('cycle')
    with op.batch_alter_table('company', schema=None) as batch_op:
        for column in ('cycle', 'cadence_days', 'close_by', 'deal_value_minor'):
            batch_op.drop_column(column)
    with op.batch_alter_table('lost_deal', schema=None) as batch_op:
        batch_op.drop_index('ix_lost_deal_date')
        batch_op.drop_index('ix_lost_deal_company')
    op.drop_table('lost_deal')
