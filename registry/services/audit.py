"""The audit trail: one AuditEvent per change, written in the caller's transaction.

Rows enter the trail only through `append_events` (record_event for one record), which chains them
(registry.audit_chain); the database refuses to update or delete them (migration b8d2f1e3c4a5).
`verify_chain` walks the chain.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, inspect, select

from registry import audit_chain, permissions
from registry.extensions import db
from registry.models import AuditEvent, Teacher, User

# Columns that change on every write and would only add noise to the trail.
SKIPPED = {"updated_at", "created_at", "password_hash", "token_hash", "session_token", "name_key"}


def plain(value: Any) -> Any:
    """A column value as JSON keeps it: dates in ISO form, decimals as floats, anything else as it is."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def snapshot(record) -> dict[str, Any]:
    """The record's column values, JSON-ready."""
    return {
        column.key: plain(getattr(record, column.key))
        for column in inspect(record).mapper.column_attrs
        if column.key not in SKIPPED
    }


def record_event(actor: User | None, action: str, record, before: dict | None = None, after: dict | None = None) -> None:
    """Append the AuditEvent for `record` to the trail (nothing when an update changed nothing); the caller commits."""
    db.session.flush()  # new records need their id
    append_events([event_for(actor, action, record, before, after)])


def update_audited(actor: User | None, record, values: Mapping[str, Any]) -> None:
    """Set `values` ({column: value}) on `record` and append its "update" event with what changed (nothing when
    nothing did); the caller commits."""
    before = snapshot(record)
    for name, value in values.items():
        setattr(record, name, value)
    record_event(actor, "update", record, before=before, after=snapshot(record))


def event_for(actor: User | None, action: str, record, before: dict | None = None, after: dict | None = None) -> dict[str, Any] | None:
    """The column values of the AuditEvent for a record that already has its id (as `event_values` gives them);
    None when an update changed nothing."""
    teacher_id = record.id if isinstance(record, Teacher) else getattr(record, "teacher_id", None)
    if teacher_id is None and getattr(record, "practice", None) is not None:  # evidence files
        teacher_id = record.practice.teacher_id
    school_id = record.school_id if isinstance(record, Teacher) else None
    if school_id is None and teacher_id is not None:
        teacher = db.session.get(Teacher, teacher_id)
        school_id = teacher.school_id if teacher else None
    return event_values(actor, action, type(record).__tablename__, record.id, teacher_id, school_id, before, after)


def event_values(
    actor: User | None, action: str, entity: str, entity_id: int, teacher_id: int | None, school_id: int | None,
    before: dict | None = None, after: dict | None = None,
) -> dict[str, Any] | None:
    """The column values of one AuditEvent (None when an update changed nothing).

    Bulk writers (the importer) hand many of these to `append_events` at once.
    """
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        if not changed:
            return None
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after[k] for k in sorted(changed)}
    return {
        "actor_id": actor.id if actor is not None and actor.is_authenticated else None,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "teacher_id": teacher_id,
        "school_id": school_id,
        "changes": {"before": before, "after": after},
    }


# pg_advisory_xact_lock key held by whoever appends, from reading the last hash to commit ("audt" in ASCII).
CHAIN_LOCK = 0x61756474


def append_events(rows: Iterable[Mapping[str, Any] | None]) -> None:
    """Append audit rows to the trail in the given order, chained after its last row, in one INSERT.

    `rows` are column values as `event_values` gives them (None entries are skipped); `at` is set here, once
    for all of them, and `changes` is stored in the form its hash was taken over. The only writer of
    audit_event. On PostgreSQL an advisory lock held to commit serialises appenders, so two transactions
    never chain onto the same row; SQLite serialises writing transactions itself.
    """
    rows = [dict(row) for row in rows if row is not None]
    if not rows:
        return
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(CHAIN_LOCK)))
    prev_hash = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or audit_chain.GENESIS
    at = datetime.now(UTC)
    for row in rows:
        row["at"] = at
        row["changes"] = audit_chain.as_stored(row["changes"])
        row["prev_hash"] = prev_hash
        row["hash"] = prev_hash = audit_chain.row_hash(row, prev_hash)
    db.session.execute(insert(AuditEvent), rows)


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: `count` rows checked intact (before `first_broken`, when there is one).

    `first_broken` is the id of the first row that does not verify and `reason` says why: "content changed"
    (its content no longer gives its hash) or "link broken" (its prev_hash is not the hash of the row before
    it: a row was removed, inserted or re-hashed). `last_hash` is the hash of the last intact row (GENESIS for
    an empty trail): noted elsewhere, it shows later that no rows were cut from the end.
    """

    count: int
    first_broken: int | None = None
    reason: str | None = None
    last_hash: str = audit_chain.GENESIS

    @property
    def intact(self) -> bool:
        return self.first_broken is None


CONTENT_CHANGED = "content changed"
LINK_BROKEN = "link broken"
CHUNK = 5000  # rows read per query: memory stays flat however long the trail


def verify_chain() -> ChainReport:
    """Walk the whole trail in id order, `CHUNK` rows per query, and check every row's hash and link."""
    columns = [getattr(AuditEvent, name) for name in ("id", *audit_chain.CONTENT, "prev_hash", "hash")]
    count, last_id, expected = 0, 0, audit_chain.GENESIS
    while True:
        chunk = db.session.execute(
            select(*columns).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(CHUNK)
        ).mappings().all()
        for row in chunk:
            if row["prev_hash"] != expected:
                return ChainReport(count, row["id"], LINK_BROKEN, expected)
            if audit_chain.row_hash(row, row["prev_hash"]) != row["hash"]:
                return ChainReport(count, row["id"], CONTENT_CHANGED, expected)
            count, expected = count + 1, row["hash"]
        if len(chunk) < CHUNK:
            return ChainReport(count, last_hash=expected)
        last_id = chunk[-1]["id"]


def teacher_history(actor: User, teacher_id: int) -> list[AuditEvent]:
    """The change trail of a teacher the actor may see, newest first.

    [] for roles that may not read it (a teacher's own page shows none); NotFound for a teacher outside the scope.
    """
    if not permissions.may(actor, "read_teacher_history"):
        return []
    teacher = permissions.find(actor, "read_teacher_history", Teacher, teacher_id)
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.teacher_id == teacher.id).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )
