from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from registry import permissions
from registry.models import School
from registry.notifications.forms import RobotForm
from registry.schools import bp
from registry.schools.forms import SchoolForm
from registry.services import robots
from registry.services import schools as school_service
from registry.services import users as user_service
from registry.views_common import as_of_and_warning, save_or_show


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
    return detail_page(school_id)


def detail_page(school_id: int, robot_form: RobotForm | None = None):
    """The school's page; HR of the school and the administrator also see its work-group robot (`robot_form`:
    the form sent back with its errors)."""
    as_of, warning = as_of_and_warning()
    found = school_service.school_detail(current_user, school_id, as_of)
    if warning:
        flash(warning, "warning")
    accounts = user_service.school_accounts(current_user, school_id) if permissions.may(current_user, "manage_users") else None
    robot = None
    if permissions.may(current_user, "manage_school_robot"):
        robot = robots.robot_webhook(current_user, school_id)
        robot_form = robot_form or RobotForm(formdata=None, data={"kind": str(robot.kind) if robot is not None else ""})
    else:
        robot_form = None
    return render_template(
        "schools/detail.html", school=found.school, as_of=as_of, leadership=found.leadership, members=found.leaders,
        accounts=accounts, robot=robot, robot_form=robot_form, last_post=robots.last_post(robot),
    ), 200 if robot_form is None or not robot_form.errors else 400


@bp.post("/<int:school_id>/robot")
@login_required
def save_robot(school_id: int):
    """Set or replace the school's work-group robot (HR of the school, the administrator)."""
    form = RobotForm()
    if form.validate_on_submit() and save_or_show(form, lambda: robots.set_robot_webhook(current_user, school_id, form.values())):
        flash(_("工作群机器人已保存：本校的每周摘要会发到该群。"), "success")
        return redirect(url_for("schools.detail", school_id=school_id) + "#robot")
    return detail_page(school_id, form)


@bp.post("/<int:school_id>/robot/delete")
@login_required
def delete_robot(school_id: int):
    robots.delete_robot_webhook(current_user, school_id)
    flash(_("工作群机器人已移除，本校的摘要不再发到该群。"), "success")
    return redirect(url_for("schools.detail", school_id=school_id) + "#robot")


def form_page(form: SchoolForm, school: School | None) -> str:
    """The school form (new when `school` is None), suggesting the counties already in use."""
    return render_template("schools/form.html", form=form, school=school, counties=school_service.known_counties())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    permissions.authorize(current_user, "manage_schools")
    form = SchoolForm()
    if form.validate_on_submit():
        school = save_or_show(form, lambda: school_service.create_school(current_user, form.values()))
        if school is not None:
            flash(_("已新增学校“%(name)s”。可以为它新增学校人事账号。", name=school.name), "success")
            return redirect(url_for("schools.detail", school_id=school.id))
    return form_page(form, None)


@bp.route("/<int:school_id>/edit", methods=["GET", "POST"])
@login_required
def edit(school_id: int):
    school = permissions.find(current_user, "manage_schools", School, school_id)
    form = SchoolForm(data={"name": school.name, "county": school.county})
    if form.validate_on_submit() and save_or_show(form, lambda: school_service.update_school(current_user, school.id, form.values())):
        flash(_("学校“%(name)s”已保存。", name=school.name), "success")
        return redirect(url_for("schools.detail", school_id=school.id))
    return form_page(form, school)
