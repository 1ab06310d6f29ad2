"""sessions that end and password policy (user columns)

Every existing account gets a session token of its own, so the session cookies
signed before the upgrade no longer sign anyone in, and no forced password change.

Revision ID: a7c1e0d2b3f4
Revises: 689c8c43620d
Create Date: 2026-12-01 05:40:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7c1e0d2b3f4'
down_revision = '689c8c43620d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=True))

    user = sa.table('user', sa.column('id', sa.Integer()), sa.column('session_token', sa.String()),
                    sa.column('must_change_password', sa.Boolean()))
    connection = op.get_bind()
    for user_id in connection.scalars(sa.select(user.c.id)).all():
        connection.execute(user.update().where(user.c.id == user_id)
                           .values(session_token=secrets.token_urlsafe(32), must_change_password=False))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('must_change_password', existing_type=sa.Boolean(), nullable=False)


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('session_token')
