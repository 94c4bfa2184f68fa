"""users.time_zone: the zone an account reads times in

Times were shown in UTC only; each account may now choose its zone (an IANA name such as
"Africa/Nairobi"); none means the browser's zone, else UTC.

Revision ID: 0010_user_time_zone
Revises: 0009_key_messages
Create Date: 2026-12-04 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_user_time_zone'
down_revision = '0009_key_messages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
