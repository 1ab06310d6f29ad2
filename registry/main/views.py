from flask import current_app, render_template
from flask_login import current_user, login_required

from registry import permissions
from registry.dates import today
from registry.main import bp
from registry.rules.vocabulary import Role
from registry.services import home
from registry.services import teachers as teacher_service
from registry.services.practice_progress import practice_progress
from registry.services.users import UNUSED_DAYS
from registry.views_common import as_of_from_request


@bp.get("/favicon.ico")
def favicon():
    """The icon where browsers and other clients look for it when no page names one (a PDF or an image opened on
    its own, a bookmark); the pages link the same file under /static/."""
    return current_app.send_static_file("favicon.ico")


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
    # The item sizes the pages state, and the date every link carries when it is not today.
    figures = dict(list_size=home.HOME_LIST, due_months=home.DUE_WITHIN_MONTHS, decisions_days=home.DECISIONS_DAYS,
                   unused_days=UNUSED_DAYS, chain_limit=home.CHAIN_CHECK_LIMIT,
                   at={} if as_of == today() else {"as_of": as_of.isoformat()})
    if current_user.role == Role.SCHOOL_HR:
        return render_template("main/home_hr.html", home=home.hr_home(current_user, as_of), as_of=as_of, **figures)
    if current_user.role == Role.ADMIN:
        return render_template("main/home_admin.html", home=home.admin_home(current_user), as_of=as_of, **figures)
    return render_template("main/home_bureau.html", home=home.bureau_home(current_user, as_of), as_of=as_of, **figures)
