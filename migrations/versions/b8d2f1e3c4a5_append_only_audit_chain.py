"""append-only audit trail with a hash chain

Revision ID: b8d2f1e3c4a5
Revises: a7c1e0d2b3f4
Create Date: 2026-12-01 05:40:00

Every audit row gets prev_hash and hash (registry.audit_chain), existing rows chained in id order; triggers
refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL). actor_id loses its foreign key: ON DELETE SET NULL
would update audit rows when an account is deleted.
"""
from alembic import op
import sqlalchemy as sa

from registry import audit_chain


# revision identifiers, used by Alembic.
revision = 'b8d2f1e3c4a5'
down_revision = 'a7c1e0d2b3f4'
branch_labels = None
depends_on = None

MESSAGE = "audit_event is append-only"
CHUNK = 5000

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
POSTGRESQL_TRIGGERS = [
    f"""CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}';
END
$$""",
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
]
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete"],
    "postgresql": [
        "DROP TRIGGER audit_event_no_truncate ON audit_event",
        "DROP TRIGGER audit_event_append_only ON audit_event",
        "DROP FUNCTION audit_event_append_only()",
    ],
}

audit_event = sa.table(
    "audit_event",
    sa.column("id", sa.Integer()),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("entity_id", sa.Integer()),
    sa.column("teacher_id", sa.Integer()),
    sa.column("school_id", sa.Integer()),
    sa.column("changes", sa.JSON()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def chain_existing_rows(connection) -> None:
    """Chain the rows already there in id order, reading each as the application will when it verifies them."""
    content = [audit_event.c[name] for name in ("id", *audit_chain.CONTENT)]
    link = (
        sa.update(audit_event)
        .where(audit_event.c.id == sa.bindparam("row_id"))
        .values(prev_hash=sa.bindparam("row_prev_hash"), hash=sa.bindparam("row_hash"))
    )
    last_id, prev_hash = 0, audit_chain.GENESIS
    while True:
        rows = connection.execute(
            sa.select(*content).where(audit_event.c.id > last_id).order_by(audit_event.c.id).limit(CHUNK)
        ).mappings().all()
        if not rows:
            return
        links = []
        for row in rows:
            row_hash = audit_chain.row_hash(row, prev_hash)
            links.append({"row_id": row["id"], "row_prev_hash": prev_hash, "row_hash": row_hash})
            prev_hash = row_hash
        connection.execute(link, links)
        last_id = rows[-1]["id"]


def triggers(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return SQLITE_TRIGGERS
    if dialect == "postgresql":
        return POSTGRESQL_TRIGGERS
    raise NotImplementedError(f"append-only triggers for {dialect}")


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_event_actor_id_user'), type_='foreignkey')
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))

    connection = op.get_bind()
    chain_existing_rows(connection)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_prev_hash'), ['prev_hash'])

    # After the batch operations: on SQLite they rebuild the table, which would drop the triggers.
    for statement in triggers(connection.dialect.name):
        op.execute(statement)


def downgrade():
    connection = op.get_bind()
    for statement in DROP_TRIGGERS[connection.dialect.name]:
        op.execute(statement)
    # The foreign key comes back: actors whose account is gone are forgotten, as ON DELETE SET NULL did.
    user = sa.table("user", sa.column("id", sa.Integer()))
    op.execute(
        sa.update(audit_event)
        .where(audit_event.c.actor_id.is_not(None), audit_event.c.actor_id.not_in(sa.select(user.c.id)))
        .values(actor_id=None)
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_prev_hash'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.create_foreign_key(
            batch_op.f('fk_audit_event_actor_id_user'), 'user', ['actor_id'], ['id'], ondelete='SET NULL'
        )
