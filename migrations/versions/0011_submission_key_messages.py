"""submissions.key_messages: the key messages as submitted

An NGO's key messages (0009) are shown on its scorecard, gap report and results page.  They
could be changed while a returned assessment was re-edited, and reviewers and the reports
they download then showed the new texts beside the submitted answers.  Each submission now
keeps the key messages it was submitted with (app.assessments.seen.key_messages_seen).

Submissions made before this revision get the assessment's key messages at upgrade time:
the best known (they are exactly what was submitted unless the assessment was returned and
its key messages edited since).

Revision ID: 0011_submission_key_messages
Revises: 0010_user_time_zone
Create Date: 2026-12-05 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_submission_key_messages'
down_revision = '0010_user_time_zone'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_messages', sa.JSON(), nullable=True))
    op.execute("UPDATE submissions SET key_messages = (SELECT assessments.key_messages FROM assessments "
               "WHERE assessments.id = submissions.assessment_id)")


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('key_messages')
