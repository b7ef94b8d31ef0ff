"""initial schema

Revision ID: 0001
Revises: 
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('user', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('command', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('changes_json', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index('ix_audit_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_company', ['company_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('company',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('legal_form', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('tax_number', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('kpp', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('ogrn', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('city_key', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('territory', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('territory_key', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('market', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('market_key', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('industry_needs', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('activity', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('founded', sa.Integer(), nullable=True),
    sa.Column('strategy', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('trend', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('financial_standing', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('supply_channels', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('competitors', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('payment_reputation', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('stage', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('listed_on', sa.Date(), nullable=False),
    sa.Column('liquidated_on', sa.Date(), nullable=True),
    sa.Column('liquidation_note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_activity'), ['activity'], unique=False)
        batch_op.create_index('ix_company_city_key', ['city_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_market_key'), ['market_key'], unique=False)
        batch_op.create_index('ix_company_name_key', ['name_key', 'id'], unique=False)
        batch_op.create_index('ix_company_search_key', ['search_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_source'), ['source'], unique=False)
        batch_op.create_index('ix_company_stage', ['stage', 'status'], unique=False)
        batch_op.create_index('ix_company_status', ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_tax_number'), ['tax_number'], unique=True)
        batch_op.create_index(batch_op.f('ix_company_territory_key'), ['territory_key'], unique=False)

    op.create_table('forgotten_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('forgotten_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('digest')
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('personality_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('do_not_contact', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_name_key', ['name_key', 'id'], unique=False)

    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quarter', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('territories_json', sa.Text(), nullable=False),
    sa.Column('markets_json', sa.Text(), nullable=False),
    sa.Column('who', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('from_office', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('when_text', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('with_json', sa.Text(), nullable=False),
    sa.Column('goal_prospects', sa.Integer(), nullable=True),
    sa.Column('goal_touches', sa.Integer(), nullable=True),
    sa.Column('goal_clients', sa.Integer(), nullable=True),
    sa.Column('review_note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('reviewed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('quarter')
    )
    op.create_table('branch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('company_id', 'city')
    )
    with op.batch_alter_table('branch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_branch_company_id'), ['company_id'], unique=False)

    op.create_table('company_tag',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('tag', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('company_id', 'tag')
    )
    with op.batch_alter_table('company_tag', schema=None) as batch_op:
        batch_op.create_index('ix_company_tag_tag', ['tag'], unique=False)

    op.create_table('contact_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'value')
    )
    with op.batch_alter_table('contact_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_point_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_point_person_id'), ['person_id'], unique=False)

    op.create_table('dossier_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('value_json', sa.Text(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('user', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dossier_answer', schema=None) as batch_op:
        batch_op.create_index('ix_dossier_answer_current', ['company_id', 'is_current', 'item_key'], unique=False)

    op.create_table('gift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('what', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('value_minor', sa.Integer(), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('user', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('gift', schema=None) as batch_op:
        batch_op.create_index('ix_gift_company', ['company_id', 'given_on'], unique=False)

    op.create_table('person_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('person_link', schema=None) as batch_op:
        batch_op.create_index('ix_person_link_company', ['company_id', 'active'], unique=False)
        batch_op.create_index('ix_person_link_person', ['person_id'], unique=False)

    op.create_table('person_tag',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('tag', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'tag')
    )
    with op.batch_alter_table('person_tag', schema=None) as batch_op:
        batch_op.create_index('ix_person_tag_tag', ['tag'], unique=False)

    op.create_table('rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('rated_on', sa.Date(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('user', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.create_index('ix_rating_company', ['company_id', 'rated_on', 'id'], unique=False)

    op.create_table('sale',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('sold_on', sa.Date(), nullable=False),
    sa.Column('amount_minor', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sale', schema=None) as batch_op:
        batch_op.create_index('ix_sale_company_date', ['company_id', 'sold_on', 'amount_minor'], unique=False)
        batch_op.create_index('ix_sale_company_ref', ['company_id', 'reference'], unique=False)
        batch_op.create_index('ix_sale_date_company', ['sold_on', 'company_id', 'amount_minor'], unique=False)

    op.create_table('stage_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('to_stage', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('user', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.create_index('ix_stage_change_company', ['company_id', 'changed_on'], unique=False)

    op.create_table('touch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('touched_on', sa.Date(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('next_on', sa.Date(), nullable=True),
    sa.Column('next_action', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('user', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('touch', schema=None) as batch_op:
        batch_op.create_index('ix_touch_company_date', ['company_id', 'touched_on', 'kind', 'outcome'], unique=False)
        batch_op.create_index('ix_touch_next', ['next_on', 'done'], unique=False)
        batch_op.create_index('ix_touch_person', ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('touch', schema=None) as batch_op:
        batch_op.drop_index('ix_touch_person')
        batch_op.drop_index('ix_touch_next')
        batch_op.drop_index('ix_touch_company_date')

    op.drop_table('touch')
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_change_company')

    op.drop_table('stage_change')
    with op.batch_alter_table('sale', schema=None) as batch_op:
        batch_op.drop_index('ix_sale_date_company')
        batch_op.drop_index('ix_sale_company_ref')
        batch_op.drop_index('ix_sale_company_date')

    op.drop_table('sale')
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_index('ix_rating_company')

    op.drop_table('rating')
    with op.batch_alter_table('person_tag', schema=None) as batch_op:
        batch_op.drop_index('ix_person_tag_tag')

    op.drop_table('person_tag')
    with op.batch_alter_table('person_link', schema=None) as batch_op:
        batch_op.drop_index('ix_person_link_person')
        batch_op.drop_index('ix_person_link_company')

    op.drop_table('person_link')
    with op.batch_alter_table('gift', schema=None) as batch_op:
        batch_op.drop_index('ix_gift_company')

    op.drop_table('gift')
    with op.batch_alter_table('dossier_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_dossier_answer_current')

    op.drop_table('dossier_answer')
    with op.batch_alter_table('contact_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_point_person_id'))
        batch_op.drop_index(batch_op.f('ix_contact_point_company_id'))

    op.drop_table('contact_point')
    with op.batch_alter_table('company_tag', schema=None) as batch_op:
        batch_op.drop_index('ix_company_tag_tag')

    op.drop_table('company_tag')
    with op.batch_alter_table('branch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_branch_company_id'))

    op.drop_table('branch')
    op.drop_table('plan')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_name_key')

    op.drop_table('person')
    op.drop_table('forgotten_person')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_territory_key'))
        batch_op.drop_index(batch_op.f('ix_company_tax_number'))
        batch_op.drop_index('ix_company_status')
        batch_op.drop_index('ix_company_stage')
        batch_op.drop_index(batch_op.f('ix_company_source'))
        batch_op.drop_index('ix_company_search_key')
        batch_op.drop_index('ix_company_name_key')
        batch_op.drop_index(batch_op.f('ix_company_market_key'))
        batch_op.drop_index('ix_company_city_key')
        batch_op.drop_index(batch_op.f('ix_company_activity'))

    op.drop_table('company')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entity')
        batch_op.drop_index('ix_audit_company')
        batch_op.drop_index('ix_audit_at')

    op.drop_table('audit_event')
