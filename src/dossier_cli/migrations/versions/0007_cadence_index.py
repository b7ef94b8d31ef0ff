"""an index on company.cadence_days: the agenda finds the companies with a contact cadence
without reading every company

Revision ID: 0007
Revises: 0005
"""

from alembic import op


revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.create_index('ix_company_cadence', ['cadence_days'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_index('ix_company_cadence')
