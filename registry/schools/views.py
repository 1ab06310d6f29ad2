from flask import flash, render_template
from flask_login import current_user, login_required

from registry.schools import bp
from registry.services import schools as school_service
from registry.views_common import as_of_and_warning


@bp.route("/")
@login_required
def index():
    as_of, warning = as_of_and_warning()
    rows = school_service.schools_with_leadership(current_user, as_of)
    if warning:
        flash(warning, "warning")
    schools = [school for school, _leadership in rows]
    leadership = {school.id: result for school, result in rows}
    return render_template("schools/index.html", schools=schools, leadership=leadership, as_of=as_of)


@bp.route("/<int:school_id>")
@login_required
def detail(school_id: int):
    as_of, warning = as_of_and_warning()
    found = school_service.school_detail(current_user, school_id, as_of)
    if warning:
        flash(warning, "warning")
    return render_template(
        "schools/detail.html", school=found.school, as_of=as_of, leadership=found.leadership, members=found.leaders
    )
