"""pinyin order for names; identity numbers in the verdict tables

Revision ID: e5f6a7b8c9d0
Revises: d4e5f6a7b8c9
Create Date: 2026-12-01 10:05:00

School and teacher names get a stored pinyin sort key (registry.sort_keys), copied into the verdict tables, whose
list indexes now order by the keys instead of the names' character codes. The verdict tables also copy the
identity number, which the list's exports show.
"""
from alembic import op
import sqlalchemy as sa

from registry.sort_keys import NameKey, name_key


# revision identifiers, used by Alembic.
revision = 'e5f6a7b8c9d0'
down_revision = 'd4e5f6a7b8c9'
branch_labels = None
depends_on = None

CHUNK = 5000
VERDICT_TABLES = {"teacher_verdict": (), "snapshot_verdict": ("snapshot_id",)}
# The list orders that name a school or teacher (registry.models.LIST_ORDERS), before and after.
OLD_ORDERS = {
    "school": ("school_name", "teacher_name", "teacher_id"),
    "name": ("teacher_name", "school_name", "teacher_id"),
    "hire_date": ("hire_date", "teacher_name", "teacher_id"),
    **{
        order: (lead, "school_name", "teacher_name", "teacher_id")
        for order, lead in (
            ("hire", "hire_status"), ("practice", "practice_status"), ("training", "training_status"),
            ("practice_months", "practice_months"), ("needed", "practice_needed"), ("cycle_end", "cycle_end"),
        )
    },
}
NEW_ORDERS = {
    order: tuple(f"{column}_key" if column in ("school_name", "teacher_name") else column for column in columns)
    for order, columns in OLD_ORDERS.items()
}


def fill_keys(table: str) -> None:
    connection = op.get_bind()
    rows = sa.table(table, sa.column("id"), sa.column("name"), sa.column("name_key"))
    last = 0
    while True:
        chunk = connection.execute(
            sa.select(rows.c.id, rows.c.name).where(rows.c.id > last).order_by(rows.c.id).limit(CHUNK)
        ).all()
        if not chunk:
            return
        connection.execute(
            rows.update().where(rows.c.id == sa.bindparam("row_id")).values(name_key=sa.bindparam("key")),
            [{"row_id": id_, "key": name_key(name)} for id_, name in chunk],
        )
        last = chunk[-1].id


def replace_list_indexes(batch_op, table: str, lead: tuple[str, ...], orders: dict) -> None:
    for name, columns in orders.items():
        batch_op.drop_index(f"ix_{table}_by_{name}")
        batch_op.create_index(f"ix_{table}_by_{name}", [*lead, *columns], unique=False)


def upgrade():
    for table in ("school", "teacher"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("name_key", NameKey, nullable=True))
        fill_keys(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("name_key", existing_type=NameKey, nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_name_key"), ["name_key"], unique=False)
    for table, lead in VERDICT_TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("school_name_key", NameKey, nullable=True))
            batch_op.add_column(sa.Column("teacher_name_key", NameKey, nullable=True))
            batch_op.add_column(sa.Column("id_number", sa.String(length=18), nullable=True))
        op.execute(
            f"UPDATE {table} SET "
            f"teacher_name_key = (SELECT name_key FROM teacher WHERE teacher.id = {table}.teacher_id), "
            f"id_number = (SELECT id_number FROM teacher WHERE teacher.id = {table}.teacher_id), "
            f"school_name_key = (SELECT name_key FROM school WHERE school.id = {table}.school_id)"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column("school_name_key", existing_type=NameKey, nullable=False)
            batch_op.alter_column("teacher_name_key", existing_type=NameKey, nullable=False)
            batch_op.alter_column("id_number", existing_type=sa.String(length=18), nullable=False)
            replace_list_indexes(batch_op, table, lead, NEW_ORDERS)


def downgrade():
    for table, lead in VERDICT_TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            replace_list_indexes(batch_op, table, lead, OLD_ORDERS)
            batch_op.drop_column("id_number")
            batch_op.drop_column("teacher_name_key")
            batch_op.drop_column("school_name_key")
    for table in ("teacher", "school"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_name_key"))
            batch_op.drop_column("name_key")
