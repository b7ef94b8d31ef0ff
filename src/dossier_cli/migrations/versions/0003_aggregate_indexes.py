"""aggregate indexes: covering and range indexes for the funnel, the plan and stats

Revision ID: 0003
Revises: 0002
"""

from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Idempotent, like 0002: safe to re-run on a copy that already has them.
    # (status, stage) serves everything (status) did, and covers the counts per stage.
    op.drop_index('ix_company_status', table_name='company', if_exists=True)
    op.create_index('ix_company_status_stage', 'company', ['status', 'stage'], if_not_exists=True)
    op.create_index('ix_company_listed', 'company', ['listed_on'], if_not_exists=True)
    op.create_index(
        'ix_stage_change_stay', 'stage_change', ['company_id', 'changed_on', 'id', 'to_stage'], if_not_exists=True
    )
    op.create_index('ix_stage_change_date', 'stage_change', ['changed_on'], if_not_exists=True)
    op.create_index('ix_touch_date_company', 'touch', ['touched_on', 'company_id'], if_not_exists=True)


def downgrade() -> None:
    op.drop_index('ix_touch_date_company', table_name='touch')
    op.drop_index('ix_stage_change_date', table_name='stage_change')
    op.drop_index('ix_stage_change_stay', table_name='stage_change')
    op.drop_index('ix_company_listed', table_name='company')
    op.drop_index('ix_company_status_stage', table_name='company')
    op.create_index('ix_company_status', 'company', ['status'])
