"""What the staff home page shows: the schools and the waiting queues in the user's scope."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from registry import permissions
from registry.extensions import db
from registry.models import HireException, PracticeRecord, School, Teacher, User
from registry.rules.vocabulary import ExceptionStatus, PracticeStatus
from registry.services.schools import visible_schools


@dataclass(frozen=True)
class StaffHome:
    schools: list[School]  # the schools in scope, by county and name
    counts: dict[int, int]  # school id -> teachers in scope
    pending_practice: int  # practice records waiting for review
    pending_exceptions: int  # hire exceptions waiting for a decision


def staff_home(actor: User) -> StaffHome:
    """The counts of the staff home page, all within the actor's scope."""
    schools = visible_schools(actor)
    visible = permissions.visible_teacher_ids(actor)
    counts = dict(
        db.session.execute(
            select(Teacher.school_id, func.count()).where(Teacher.id.in_(visible)).group_by(Teacher.school_id)
        ).all()
    )
    pending_practice = db.session.scalar(
        select(func.count()).select_from(PracticeRecord).where(
            PracticeRecord.status == PracticeStatus.SUBMITTED, PracticeRecord.teacher_id.in_(visible)
        )
    )
    pending_exceptions = db.session.scalar(
        select(func.count()).select_from(HireException).where(
            HireException.status == ExceptionStatus.REQUESTED, HireException.teacher_id.in_(visible)
        )
    )
    return StaffHome(schools, counts, pending_practice, pending_exceptions)
