from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from registry import permissions
from registry.extensions import db
from registry.main import bp
from registry.models import HireException, PracticeRecord
from registry.rules.vocabulary import ExceptionStatus, PracticeStatus
from registry.services.practice_progress import practice_progress
from registry.views_common import as_of_from_request


@bp.route("/")
@login_required
def index():
    as_of = as_of_from_request()
    if (teacher_id := permissions.own_teacher_id(current_user)) is not None:
        teacher = permissions.get_teacher(current_user, teacher_id)
        progress = practice_progress(teacher, as_of)
        return render_template(
            "main/home_teacher.html",
            teacher=teacher,
            progress=progress,
            result=progress.result,
            forecast=progress.forecast,
            as_of=as_of,
            records=sorted(teacher.practice, key=lambda r: (r.start, r.id), reverse=True),
        )
    schools = list(db.session.scalars(permissions.schools_query(current_user)))
    visible = permissions.teachers_query(current_user).subquery()
    counts = dict(db.session.execute(select(visible.c.school_id, func.count()).group_by(visible.c.school_id)).all())
    pending_practice = db.session.scalar(
        select(func.count()).select_from(PracticeRecord).where(
            PracticeRecord.status == PracticeStatus.SUBMITTED, PracticeRecord.teacher_id.in_(select(visible.c.id))
        )
    )
    pending_exceptions = db.session.scalar(
        select(func.count()).select_from(HireException).where(
            HireException.status == ExceptionStatus.REQUESTED, HireException.teacher_id.in_(select(visible.c.id))
        )
    )
    return render_template(
        "main/home_staff.html",
        schools=schools,
        counts=counts,
        pending_practice=pending_practice,
        pending_exceptions=pending_exceptions,
        as_of=as_of,
    )
