"""answers.language and submissions.languages: in which language free text was written

Free-text answers (comments, reasons, evidence notes, text items) stay as typed; a reviewer
reading them in another language needs to know which language they are in.  Each answer
records the interface language of the person who last saved it; each submission keeps
those languages with its snapshot.  Older rows have none.

Revision ID: 0005_answer_language
Revises: 0004_submission_translations
Create Date: 2026-12-04 17:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_answer_language'
down_revision = '0004_submission_translations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('languages')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_column('language')
