"""submissions.translations: which translation of the questionnaire respondents saw

Questionnaire translations live beside the definition and can be corrected after a version is
published (app.questionnaire.translations); each submission records, per language, the
revision of the translation in use when it was submitted.  Older submissions have none.

Revision ID: 0004_submission_translations
Revises: 0003_session_generation
Create Date: 2026-12-04 14:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004_submission_translations'
down_revision = '0003_session_generation'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('translations')
