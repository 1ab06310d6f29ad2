"""accounts in the browser

Revision ID: c3d4e5f6a7b8
Revises: b8d2f1e3c4a5
Create Date: 2026-12-01 09:55:00

Each account keeps when it last signed in (the administrator's list shows it) and the language it chose.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3d4e5f6a7b8'
down_revision = 'b8d2f1e3c4a5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_signed_in_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))
    # The sign-ins already in the audit trail give existing accounts their last one.
    op.execute(
        'UPDATE "user" SET last_signed_in_at = (SELECT max(audit_event.at) FROM audit_event'
        " WHERE audit_event.action = 'sign_in' AND audit_event.entity = 'user' AND audit_event.entity_id = \"user\".id)"
    )


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('language')
        batch_op.drop_column('last_signed_in_at')
