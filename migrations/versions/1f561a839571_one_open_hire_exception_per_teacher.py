"""one open hire exception per teacher

Two requests sent at the same moment could both pass the service's check; the
partial unique index lets the database refuse the second one.

Revision ID: 1f561a839571
Revises: 92577d3ec489
Create Date: 2026-11-28 23:41:33.485390

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1f561a839571'
down_revision = '92577d3ec489'
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'requested'")


def upgrade():
    duplicated = op.get_bind().scalars(sa.text(
        "SELECT teacher_id FROM hire_exception WHERE status = 'requested' "
        "GROUP BY teacher_id HAVING count(*) > 1 ORDER BY teacher_id"
    )).all()
    if duplicated:
        raise RuntimeError(
            "These teachers have more than one requested hire exception; decide all but one first: "
            + ", ".join(str(teacher_id) for teacher_id in duplicated)
        )
    with op.batch_alter_table('hire_exception', schema=None) as batch_op:
        batch_op.create_index('uq_hire_exception_one_open', ['teacher_id'], unique=True, sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade():
    with op.batch_alter_table('hire_exception', schema=None) as batch_op:
        batch_op.drop_index('uq_hire_exception_one_open')
