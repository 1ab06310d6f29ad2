"""sessions that end and password policy (user columns)

Revision ID: a7c1e0d2b3f4
Revises: 689c8c43620d
Create Date: 2026-12-01 05:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c1e0d2b3f4'
down_revision = '689c8c43620d'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
