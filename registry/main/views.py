from flask import render_template
from flask_login import current_user, login_required

from registry import permissions
from registry.main import bp
from registry.services import home
from registry.services import teachers as teacher_service
from registry.services.practice_progress import practice_progress
from registry.views_common import as_of_from_request


@bp.route("/")
@login_required
def index():
    as_of = as_of_from_request()
    if (teacher_id := permissions.own_teacher_id(current_user)) is not None:
        teacher = teacher_service.get_teacher(current_user, teacher_id)
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
    staff = home.staff_home(current_user)
    return render_template(
        "main/home_staff.html",
        schools=staff.schools,
        counts=staff.counts,
        pending_practice=staff.pending_practice,
        pending_exceptions=staff.pending_exceptions,
        as_of=as_of,
    )
