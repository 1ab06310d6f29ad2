from flask import render_template
from flask_login import current_user, login_required

from registry import permissions
from registry.extensions import db
from registry.models import Teacher
from registry.schools import bp
from registry.services import compliance
from registry.views_common import as_of_from_request


@bp.route("/")
@login_required
def index():
    permissions.require(current_user, "read_schools")
    as_of = as_of_from_request()
    book = compliance.PolicyBook.load()
    schools = list(db.session.scalars(permissions.schools_query(current_user)))
    leadership = {s.id: compliance.evaluate_school_leadership(s, as_of, book) for s in schools}
    return render_template("schools/index.html", schools=schools, leadership=leadership, as_of=as_of)


@bp.route("/<int:school_id>")
@login_required
def detail(school_id: int):
    permissions.require(current_user, "read_schools")
    school = permissions.get_school(current_user, school_id)
    as_of = as_of_from_request()
    leadership = compliance.evaluate_school_leadership(school, as_of)
    members = list(
        db.session.scalars(
            permissions.teachers_query(current_user)
            .where(Teacher.school_id == school.id, Teacher.leadership.is_(True))
            .order_by(Teacher.name)
        )
    )
    return render_template(
        "schools/detail.html", school=school, as_of=as_of, leadership=leadership, members=members
    )
