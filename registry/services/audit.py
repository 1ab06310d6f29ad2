"""The audit trail: one AuditEvent per change, written in the caller's transaction."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select

from registry.extensions import db
from registry.models import AuditEvent, Teacher, User

# Columns that change on every write and would only add noise to the trail.
SKIPPED = {"updated_at", "created_at", "password_hash", "token_hash"}


def plain(value: Any) -> Any:
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
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        if not changed:
            return
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after[k] for k in sorted(changed)}
    teacher_id = record.id if isinstance(record, Teacher) else getattr(record, "teacher_id", None)
    school_id = record.school_id if isinstance(record, Teacher) else None
    if school_id is None and teacher_id is not None:
        teacher = db.session.get(Teacher, teacher_id)
        school_id = teacher.school_id if teacher else None
    db.session.add(
        AuditEvent(
            actor_id=actor.id if actor is not None and actor.is_authenticated else None,
            action=action,
            entity=type(record).__tablename__,
            entity_id=record.id,
            teacher_id=teacher_id,
            school_id=school_id,
            changes={"before": before, "after": after},
        )
    )


def teacher_history(teacher_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.teacher_id == teacher_id).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )
