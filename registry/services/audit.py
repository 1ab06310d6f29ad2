"""The audit trail: one AuditEvent per change, written in the caller's transaction."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select

from registry import permissions
from registry.extensions import db
from registry.models import AuditEvent, Teacher, User

# Columns that change on every write and would only add noise to the trail.
SKIPPED = {"updated_at", "created_at", "password_hash", "token_hash"}


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
    """Add an AuditEvent for `record` to the session; the caller commits."""
    db.session.flush()  # new records need their id
    event = event_for(actor, action, record, before, after)
    if event is not None:
        db.session.add(event)


def event_for(actor: User | None, action: str, record, before: dict | None = None, after: dict | None = None) -> AuditEvent | None:
    """The AuditEvent for a record that already has its id; None when an update changed nothing."""
    teacher_id = record.id if isinstance(record, Teacher) else getattr(record, "teacher_id", None)
    if teacher_id is None and getattr(record, "practice", None) is not None:  # evidence files
        teacher_id = record.practice.teacher_id
    school_id = record.school_id if isinstance(record, Teacher) else None
    if school_id is None and teacher_id is not None:
        teacher = db.session.get(Teacher, teacher_id)
        school_id = teacher.school_id if teacher else None
    values = event_values(actor, action, type(record).__tablename__, record.id, teacher_id, school_id, before, after)
    return AuditEvent(**values) if values is not None else None


def event_values(
    actor: User | None, action: str, entity: str, entity_id: int, teacher_id: int | None, school_id: int | None,
    before: dict | None = None, after: dict | None = None,
) -> dict[str, Any] | None:
    """The column values of one AuditEvent (None when an update changed nothing).

    Bulk writers (the importer) insert many of these in one statement instead of one ORM object each.
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
