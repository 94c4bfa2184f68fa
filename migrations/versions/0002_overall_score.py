"""assessments.overall_score: the stored overall score in a column, indexed with the status

The reviewers' list sorts by score in the database, whatever the number of assessments
(before, it read every row's score document and refused above 1,000 rows).  Existing rows
are filled from their stored score documents.

Revision ID: 0002_overall_score
Revises: 0001_initial
Create Date: 2026-11-22 20:10:00

"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0002_overall_score'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def _overall(document):
    if isinstance(document, str):
        document = json.loads(document)
    overall = (document or {}).get("overall") or {}
    value = overall.get("score") if isinstance(overall, dict) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def upgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('overall_score', sa.Float(), nullable=True))
        batch_op.create_index('ix_assessments_status_overall_score', ['status', 'overall_score'], unique=False)

    conn = op.get_bind()
    assessments = sa.table('assessments', sa.column('id', sa.Integer), sa.column('score', sa.JSON),
                           sa.column('overall_score', sa.Float))
    rows = conn.execute(sa.select(assessments.c.id, assessments.c.score)
                        .where(assessments.c.score.isnot(None))).all()
    for assessment_id, document in rows:
        conn.execute(assessments.update().where(assessments.c.id == assessment_id)
                     .values(overall_score=_overall(document)))


def downgrade():
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_assessments_status_overall_score')
        batch_op.drop_column('overall_score')
