from flask import render_template, request
from flask_login import current_user, login_required

from registry import permissions
from registry.extensions import db
from registry.models import School, Teacher
from registry.rules.explain import explain
from registry.services import audit, compliance
from registry.services.timeline import employment_timeline
from registry.teachers import bp
from registry.views_common import as_of_from_request


@bp.route("/")
@login_required
def index():
    permissions.require(current_user, "list_teachers")
    query = permissions.teachers_query(current_user).join(School).order_by(School.name, Teacher.name)
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(Teacher.name.contains(q, autoescape=True))
    school_id = request.args.get("school_id", type=int)
    if school_id:
        query = query.where(Teacher.school_id == school_id)
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=50, error_out=False)
    schools = list(db.session.scalars(permissions.schools_query(current_user)))
    return render_template("teachers/index.html", page=page, q=q, school_id=school_id, schools=schools)


@bp.route("/<int:teacher_id>")
@login_required
def detail(teacher_id: int):
    teacher = permissions.get_teacher(current_user, teacher_id)
    as_of = as_of_from_request()
    result = compliance.evaluate_teacher(teacher, as_of)
    return render_template(
        "teachers/detail.html",
        teacher=teacher,
        as_of=as_of,
        result=result,
        explain=explain,
        timeline=employment_timeline(teacher),
        history=audit.teacher_history(teacher.id) if current_user.role != "teacher" else [],
        show_id_number=permissions.can(current_user, "see_id_numbers"),
    )
