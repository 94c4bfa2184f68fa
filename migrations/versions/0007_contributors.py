"""contributors and ratings: people given sections of one assessment (issue 13)

``contributors`` gives a user (of any organisation) chosen sections of one assessment as
contributor, informant or reader; deleting the row ends the access.  ``ratings`` keeps each
informant's own independent answers, until the owner records the consensus.

Revision ID: 0007_contributors
Revises: 0006_report_files
Create Date: 2026-12-04 17:09:06.649147

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_contributors'
down_revision = '0006_report_files'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contributors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('contributor', 'informant', 'reader')", name=op.f('ck_contributors_role_valid')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_contributors_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_contributors_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_contributors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contributors')),
    sa.UniqueConstraint('assessment_id', 'user_id', name='uq_contributors_assessment_user')
    )
    with op.batch_alter_table('contributors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contributors_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contributors_user_id'), ['user_id'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contributor_id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=32), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contributor_id'], ['contributors.id'], name=op.f('fk_ratings_contributor_id_contributors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('contributor_id', 'item_key', name='uq_ratings_contributor_item')
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratings_contributor_id'), ['contributor_id'], unique=False)



def downgrade():
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ratings_contributor_id'))

    op.drop_table('ratings')
    with op.batch_alter_table('contributors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contributors_user_id'))
        batch_op.drop_index(batch_op.f('ix_contributors_assessment_id'))

    op.drop_table('contributors')
