"""append-only audit trail with a hash chain

Revision ID: b8d2f1e3c4a5
Revises: a7c1e0d2b3f4
Create Date: 2026-12-01 05:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8d2f1e3c4a5'
down_revision = 'a7c1e0d2b3f4'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
