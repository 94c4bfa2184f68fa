"""users.session_generation and users.password_change_required: sessions that end

Every session and remember-me cookie carries the user's session generation; logout, a
password change or reset and deactivation move it on, so cookies issued before no longer
sign anybody in (before, a cookie captured before logout kept working, and a remember-me
cookie for a year).  Cookies issued before this upgrade carry no generation and are refused:
everybody signs in once more.  ``password_change_required`` marks a temporary password set
by an administrator's reset.

Revision ID: 0003_session_generation
Revises: 0002_overall_score
Create Date: 2026-12-04 14:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_session_generation'
down_revision = '0002_overall_score'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('password_change_required', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('password_change_required')
        batch_op.drop_column('session_generation')
