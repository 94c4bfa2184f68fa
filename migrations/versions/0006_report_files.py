"""report_files: finished PDFs in the database, for a PDF cache shared by every machine

With ``PDF_SHARED_STORE`` set, web and worker machines keep their disk cache in front of this
table, so a report rendered by one worker is a cache hit on every web machine.

Revision ID: 0006_report_files
Revises: 0005_answer_language
Create Date: 2026-12-04 17:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_report_files'
down_revision = '0005_answer_language'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_files',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    with op.batch_alter_table('report_files', schema=None) as batch_op:
        batch_op.create_index('ix_report_files_created_at', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('report_files', schema=None) as batch_op:
        batch_op.drop_index('ix_report_files_created_at')
    op.drop_table('report_files')
