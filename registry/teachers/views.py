from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from registry import permissions, presenters
from registry.admin.views import one_time_password_page
from registry.auth.forms import TeacherAccountForm
from registry.dates import today
from registry.errors import Conflict, Invalid
from registry.extensions import db
from registry.form_fields import payload
from registry.models import School, Teacher
from registry.schemas.queries import TeacherListQuery, parse_query_leniently
from registry.services import audit, compliance
from registry.services import exceptions as exception_service
from registry.services import prehire as prehire_service
from registry.services import schools as school_service
from registry.services import teachers as teacher_service
from registry.services import users as user_service
from registry.services.teachers import RECORD_KINDS
from registry.services.timeline import employment_timeline, hire_date_position
from registry.teachers import bp
from registry.teachers.forms import RECORD_FORMS, PrehireForm, TeacherForm
from registry.views_common import as_of_from_request, save_or_show, show_errors


@bp.route("/")
@login_required
def index():
    query = parse_query_leniently(TeacherListQuery, request.args)
    teachers = teacher_service.list_teachers(current_user, query, "list_teachers").join(School).order_by(School.name_key, Teacher.name_key)
    page = db.paginate(teachers, page=query.page, per_page=query.per_page, error_out=False)
    schools = school_service.visible_schools(current_user)
    return render_template("teachers/index.html", page=page, q=query.q, school_id=query.school_id, schools=schools)


@bp.route("/<int:teacher_id>")
@login_required
def detail(teacher_id: int):
    teacher = teacher_service.get_teacher(current_user, teacher_id)
    as_of = as_of_from_request()
    result = compliance.evaluate_teacher(teacher, as_of)
    history = audit.teacher_history(current_user, teacher.id)
    return render_template(
        "teachers/detail.html",
        teacher=teacher,
        as_of=as_of,
        result=result,
        timeline=employment_timeline(teacher),
        hire_marker=hire_date_position(teacher),
        history=[(event, presenters.event_changes(event, current_user)) for event in history],
        id_number=presenters.id_number_for(current_user, teacher.id_number),
        may_edit=permissions.may(current_user, "edit_teachers", teacher),
        may_review=permissions.may(current_user, "review_practice", teacher),
        may_edit_own_practice=permissions.may(current_user, "edit_own_practice", teacher),
        may_request_exception=exception_service.may_request(current_user, teacher, result.hire),
        sign_in_account=user_service.teacher_account_state(current_user, teacher),
        account_form=TeacherAccountForm(),
    )


@bp.route("/<int:teacher_id>/dossier")
@login_required
def dossier(teacher_id: int):
    """个人企业实践档案: the teacher's record as a document to print (details, verdicts with their explanations,
    employment, certificates, practice with its review status, training), for whoever may read the teacher page."""
    teacher = teacher_service.get_teacher(current_user, teacher_id)
    as_of = as_of_from_request()
    return render_template(
        "teachers/dossier.html",
        teacher=teacher,
        as_of=as_of,
        result=compliance.evaluate_teacher(teacher, as_of),
        timeline=employment_timeline(teacher),
        id_number=presenters.id_number_for(current_user, teacher.id_number),
    )


# --- HR: teachers and the records kept for them --------------------------------------------


KIND = f"<any({', '.join(RECORD_KINDS)}):kind>"  # the URL name of a services.teachers.RECORD_KINDS entry


def teacher_page(teacher_id: int, section: str | None = None):
    return redirect(url_for("teachers.detail", teacher_id=teacher_id, _anchor=section))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    school = teacher_service.new_teacher_form(current_user)
    form = TeacherForm()
    if form.validate_on_submit() and (
        teacher := save_or_show(form, lambda: teacher_service.create_teacher(current_user, form.payload(), today()))
    ):
        flash(_("已新增教师 %(name)s。", name=teacher.name), "success")
        return teacher_page(teacher.id)
    return render_template("teachers/form.html", form=form, teacher=None, school=school)


@bp.route("/<int:teacher_id>/edit", methods=["GET", "POST"])
@login_required
def edit(teacher_id: int):
    form = TeacherForm()
    if form.validate_on_submit() and save_or_show(
        form, lambda: teacher_service.update_teacher(current_user, teacher_id, form.payload(), today())
    ):
        flash(_("基本信息已保存。"), "success")
        return teacher_page(teacher_id)
    teacher = teacher_service.editable_teacher(current_user, teacher_id)
    if not form.is_submitted():
        form.process(obj=teacher)
    return render_template("teachers/form.html", form=form, teacher=teacher)


@bp.route("/<int:teacher_id>/delete", methods=["POST"])
@login_required
def delete(teacher_id: int):
    name = teacher_service.delete_teacher(current_user, teacher_id)
    flash(_("已删除教师 %(name)s 及其全部记录；变更记录中保留了删除前的信息。", name=name), "info")
    return redirect(url_for("teachers.index"))


@bp.route(f"/<int:teacher_id>/{KIND}/new", methods=["GET", "POST"])
@login_required
def add_record(teacher_id: int, kind: str):
    spec = RECORD_KINDS[kind]
    form = RECORD_FORMS[spec.model]()
    if form.validate_on_submit() and save_or_show(
        form, lambda: teacher_service.add_record(current_user, teacher_id, spec.model, payload(form, spec.schema))
    ):
        flash(_("已添加%(what)s。", what=spec.title), "success")
        return teacher_page(teacher_id, kind)
    teacher = teacher_service.editable_teacher(current_user, teacher_id)
    return render_template("teachers/record_form.html", form=form, teacher=teacher, kind=kind, spec=spec, record=None)


@bp.route(f"/<int:teacher_id>/{KIND}/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit_record(teacher_id: int, kind: str, record_id: int):
    spec = RECORD_KINDS[kind]
    form = RECORD_FORMS[spec.model]()
    if form.validate_on_submit() and save_or_show(
        form,
        lambda: teacher_service.update_record(
            current_user, spec.model, record_id, payload(form, spec.schema), teacher_id=teacher_id
        ),
    ):
        flash(_("%(what)s已保存。", what=spec.title), "success")
        return teacher_page(teacher_id, kind)
    record = teacher_service.editable_record(current_user, spec.model, record_id, teacher_id)
    if not form.is_submitted():
        form.process(obj=record)
    return render_template("teachers/record_form.html", form=form, teacher=record.teacher, kind=kind, spec=spec, record=record)


@bp.route(f"/<int:teacher_id>/{KIND}/<int:record_id>/delete", methods=["POST"])
@login_required
def delete_record(teacher_id: int, kind: str, record_id: int):
    teacher_service.delete_record(current_user, RECORD_KINDS[kind].model, record_id, teacher_id)
    flash(_("已删除%(what)s。", what=RECORD_KINDS[kind].title), "info")
    return teacher_page(teacher_id, kind)


# --- HR: the pre-hire check ---------------------------------------------------------------


@bp.route("/prehire", methods=["GET", "POST"])
@login_required
def prehire():
    school = prehire_service.start(current_user)
    form = PrehireForm()
    result = None
    if form.validate_on_submit():
        data, positions = form.candidate()
        try:
            if form.hire.data:
                teacher = prehire_service.hire_candidate(current_user, data, form.identity(), today())
                flash(_("已为 %(name)s 建立教师档案，工作经历和证书已一并登记。", name=teacher.name), "success")
                return teacher_page(teacher.id)
            _candidate, result = prehire_service.check_candidate(current_user, data)
        except Invalid as exc:
            show_candidate_errors(form, exc, positions)
            if form.hire.data:  # the verdict still stands when only the identity fields were wrong
                try:
                    _candidate, result = prehire_service.check_candidate(current_user, data)
                except Invalid:
                    result = None
    return render_template(
        "teachers/prehire.html",
        form=form,
        school=school,
        result=result,
        passes=prehire_service.passes(result) if result is not None else False,
    )


def show_candidate_errors(form: PrehireForm, exc: Invalid, positions: dict[str, list[int]]) -> None:
    """Errors of list items (employment.2.end) go back to the row the user typed them in."""
    plain: dict[str, str] = {}
    for key, message in exc.errors.items():
        parts = key.split(".")
        if parts[0] in positions and len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) < len(positions[parts[0]]):
            row = form[parts[0]].entries[positions[parts[0]][int(parts[1])]].form
            field = row[parts[2]] if len(parts) > 2 and parts[2] in row else None
            if field is not None:
                field.errors = list(field.errors) + [message]
                continue
        plain[key] = message
    show_errors(form, Invalid(plain))


# --- HR: a teacher's sign-in account ------------------------------------------------------------------------


@bp.route("/<int:teacher_id>/account", methods=["POST"])
@login_required
def create_account(teacher_id: int):
    """School HR makes the teacher's sign-in account; its one-time password is shown once, on this answer."""
    form = TeacherAccountForm()
    if form.validate_on_submit():
        try:
            account, plain = user_service.create_teacher_account(current_user, teacher_id, form.login.data or "")
        except Invalid as exc:
            flash(_("未创建登录账号：登录名“%(login)s”%(reason)s。", login=form.login.data or "", reason=exc.errors["login"]), "danger")
        except Conflict as exc:
            flash(exc.message, "warning")
        else:
            return one_time_password_page(account, plain, created=True, back=account_section(teacher_id))
    return teacher_page(teacher_id, "account")


@bp.route("/<int:teacher_id>/account/reset-password", methods=["POST"])
@login_required
def reset_account_password(teacher_id: int):
    """School HR gives the teacher's account a one-time password, shown once."""
    plain = user_service.reset_teacher_password(current_user, teacher_id)
    account = user_service.teacher_account(current_user, teacher_id)
    return one_time_password_page(account, plain, created=False, back=account_section(teacher_id))


def account_section(teacher_id: int) -> str:
    return url_for("teachers.detail", teacher_id=teacher_id, _anchor="account")
