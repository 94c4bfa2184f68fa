"""key_messages: the organisation's key messages, stored with the assessment

A short list of texts (app.shadow.messages) shown on the scorecard and at the start of the
gap report; null until the organisation writes some.

Revision ID: 0009_key_messages
Revises: 0008_attachments
Create Date: 2026-12-04 17:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_key_messages'
down_revision = '0008_attachments'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_messages', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_column('key_messages')
