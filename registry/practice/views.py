"""Practice pages: the teacher's own records, HR's review queue, and evidence downloads."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from fractions import Fraction

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge

from registry import permissions
from registry.dates import today
from registry.errors import Conflict, Invalid
from registry.extensions import db
from registry.models import PracticeRecord, Teacher
from registry.practice import bp
from registry.practice.downloads import evidence_response
from registry.practice.forms import EvidenceForm, PracticeForm
from registry.rules.engine import period_of
from registry.rules.months import months_of_period
from registry.rules.overlaps import overlaps
from registry.rules.vocabulary import PracticeStatus
from registry.services import evidence as evidence_files
from registry.services import practice as service
from registry.services import settings
from registry.services.evidence import ACCEPT
from registry.services.practice_progress import practice_progress
from registry.views_common import page_arg, safe_next, show_errors


def home_of_user() -> str:
    if permissions.may(current_user, "review_practice"):
        return url_for("practice.review")
    return url_for("practice.mine")


def back(default_url: str | None = None):
    """To the page the action came from (a same-site `next`), else the default."""
    target = request.form.get("next") if request.method == "POST" else None
    return redirect(safe_next(target) if target else (default_url or home_of_user()))


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(_exc):
    # The whole request is over MAX_CONTENT_LENGTH: it was refused before any view ran.
    flash(evidence_files.too_large_message(), "danger")
    return redirect(home_of_user())


@bp.errorhandler(Conflict)
def state_conflict(exc: Conflict):
    # e.g. a second click on "verify", or a record reviewed meanwhile: say why, stay on the page.
    flash(exc.message, "warning")
    return back()


def months_as_of(as_of: date) -> Callable[[PracticeRecord], Fraction]:
    """The months of a record's own period as of `as_of` (an ongoing one so far), for the templates' `period_months`."""
    return lambda record: months_of_period(*period_of(record, as_of))


@bp.app_template_global()
def practice_overlaps(records: Iterable[PracticeRecord]) -> dict[int, list[PracticeRecord]]:
    """Record id → the other records of the same teacher sharing days with it (rejected ones left out), for the
    badge "与其他记录时间重叠". The months still count those days once (the rules merge overlapping periods)."""
    shown = [record for record in records if record.status != PracticeStatus.REJECTED]
    by_id = {record.id: record for record in shown}
    found = overlaps({record.id: (record.start, record.end) for record in shown})
    return {key: [by_id[other] for other in others] for key, others in found.items()}


@bp.app_template_global()
def evidence_required() -> bool:
    """Whether verification requires an evidence file now (the administrator's switch, on the policies page)."""
    return settings.enabled(settings.Switch.VERIFICATION_REQUIRES_EVIDENCE)


def requested_status() -> PracticeStatus:
    return PracticeStatus.SUBMITTED if "submit_review" in request.form else PracticeStatus.PLANNED


# ---------------------------------------------------------------- teacher


def choose_files_again(form: PracticeForm) -> None:
    """A refused form comes back without the files chosen in it (no browser fills a file field again): unless the
    file field already says what was wrong with them, it names the files to choose again."""
    names = [upload.filename for upload in form.file.data or [] if upload and upload.filename]
    if names and not form.file.errors:
        form.file.errors = [_("记录没有保存，已选的文件（%(names)s）需要重新选择。", names=_("、").join(names))]


@bp.route("/", methods=["GET", "POST"])
@login_required
def mine():
    form = PracticeForm()
    status = 200
    if form.is_submitted():
        try:
            record = service.create_practice(
                current_user,
                permissions.own_teacher_id(current_user),
                {**form.record_data(), "status": requested_status()},
                form.file.data or [],
            )
        except Invalid as exc:
            show_errors(form, exc)
            choose_files_again(form)
            status = 400
        else:
            if record.status == PracticeStatus.SUBMITTED:
                flash(_("实践记录已保存并提交，等待学校人事审核。"), "success")
            else:
                flash(_("实践记录已保存为计划。实践结束后请上传证明材料并提交审核。"), "success")
            return redirect(url_for("practice.mine"))
    teacher = service.own_teacher(current_user)
    as_of = today()
    return render_template(
        "practice/mine.html",
        teacher=teacher,
        form=form,
        records=sorted(teacher.practice, key=lambda r: (r.start, r.id), reverse=True),
        progress=practice_progress(teacher, as_of),
        evidence_form=EvidenceForm(),
        editable=service.EDITABLE,
        submittable=service.SUBMITTABLE,
        open_from=service.open_from,
        period_months=months_as_of(as_of),
    ), status


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit(record_id: int):
    refused = None
    if request.method == "POST":
        form = PracticeForm()
        changes = form.record_data()
        if "submit_review" in request.form:
            changes["status"] = PracticeStatus.SUBMITTED
        elif "withdraw" in request.form:
            changes["status"] = PracticeStatus.PLANNED
        try:
            service.update_practice(current_user, record_id, changes, form.file.data or [])
        except Invalid as exc:
            refused = exc
        else:
            if "submit_review" in request.form:
                flash(_("修改已保存并提交审核。"), "success")
            elif "withdraw" in request.form:
                flash(_("已撤回，记录改为计划中。"), "info")
            else:
                flash(_("修改已保存。"), "success")
            return redirect(url_for("practice.mine"))
    record = service.own_record(current_user, record_id)
    if refused is None and record.status not in service.EDITABLE:
        flash(service.locked_message(), "warning")
        return redirect(url_for("practice.mine"))
    form = PracticeForm(obj=record)
    if refused is not None:
        show_errors(form, refused)
        choose_files_again(form)
    return render_template("practice/edit.html", record=record, form=form), 400 if refused else 200


@bp.post("/<int:record_id>/submit")
@login_required
def submit(record_id: int):
    service.submit_practice(current_user, record_id)
    flash(_("已提交，等待学校人事审核。"), "success")
    return redirect(url_for("practice.mine"))


@bp.post("/<int:record_id>/delete")
@login_required
def delete(record_id: int):
    service.delete_practice(current_user, record_id)
    flash(_("实践记录已删除。"), "info")
    return redirect(url_for("practice.mine"))


@bp.post("/<int:record_id>/evidence")
@login_required
def upload(record_id: int):
    form = EvidenceForm()
    try:
        added = service.add_evidence(current_user, record_id, form.file.data or [])
    except Invalid as exc:
        for message in exc.errors.values():
            flash(message, "danger")
    else:
        flash(_("已上传 %(n)s 个文件。", n=len(added)), "success")
    page = "practice.mine" if permissions.own_teacher_id(current_user) is not None else "practice.review"
    return redirect(url_for(page) + f"#practice-{record_id}")


@bp.post("/evidence/<int:evidence_id>/delete")
@login_required
def delete_evidence(evidence_id: int):
    record_id = service.delete_evidence(current_user, evidence_id)
    flash(_("证明材料已删除。"), "info")
    return redirect(url_for("practice.mine") + f"#practice-{record_id}")


# ----------------------------------------------------------------- shared


@bp.get("/evidence/<int:evidence_id>")
@login_required
def evidence(evidence_id: int):
    item = service.evidence_file(current_user, evidence_id)
    return evidence_response(item, as_attachment=request.args.get("download") == "1")


# --------------------------------------------------------------------- HR


@bp.get("/review")
@login_required
def review():
    # Each record's evidence and its teacher's other records (overlaps are marked): a few queries for the whole page.
    query = service.review_queue(current_user).options(
        selectinload(PracticeRecord.evidence), selectinload(PracticeRecord.teacher).selectinload(Teacher.practice)
    )
    page = db.paginate(query, page=page_arg(), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    overlapping: dict[int, list[PracticeRecord]] = {}
    for teacher in {record.teacher for record in page.items}:
        overlapping.update(practice_overlaps(teacher.practice))
    return render_template("practice/review.html", page=page, period_months=months_as_of(today()),
                           overlapping=overlapping, open_from=service.open_from,
                           evidence_required=evidence_required(), evidence_accept=ACCEPT)


def review_done(action: str, record: PracticeRecord) -> tuple[str, str]:
    """What HR is told after a review decision, and the message category."""
    if action == "verify":
        return _("已审核通过：%(name)s 在%(enterprise)s的企业实践。", name=record.teacher.name,
                 enterprise=record.enterprise), "success"
    if action == "reject":
        return _("已退回：%(name)s 在%(enterprise)s的企业实践。", name=record.teacher.name,
                 enterprise=record.enterprise), "info"
    return _("已重新打开，该记录回到待审核，审核前不计入实践月数。"), "info"


def reason_missing(action: str) -> str:
    if action == "reject":
        return _("退回时请填写理由，教师会看到这条理由并据此修改。")
    return _("重新打开时请填写理由，理由会记入变更记录。")


@login_required
def decide(record_id: int, action: str):
    """verify, reject or reopen one record (endpoints practice.verify, practice.reject, practice.reopen)."""
    data = {"reason": request.form.get("reason", "")} if action in service.NEEDS_REASON else None
    try:
        record = service.review_practice(current_user, record_id, action, data)
    except Invalid:
        flash(reason_missing(action), "danger")
        record = None
    else:
        flash(*review_done(action, record))
    if action == "reopen":
        teacher_id = record.teacher_id if record is not None else service.visible_record(current_user, record_id).teacher_id
        return back(url_for("teachers.detail", teacher_id=teacher_id) + "#practice")
    return back()


for _action in service.REVIEW_STEPS:
    bp.add_url_rule(f"/<int:record_id>/{_action}", _action, decide, methods=["POST"], defaults={"action": _action})


@bp.post("/verify")
@login_required
def bulk_verify():
    """Two steps: the queue's selection is shown for confirmation (what is verified, what skipped and why); the
    confirmation (field "confirm") then verifies exactly the listed records, or none if one changed meanwhile."""
    ids = request.form.getlist("ids")
    try:
        if "confirm" not in request.form:
            plan = service.plan_bulk_verify(current_user, ids)
            return render_template(
                "practice/confirm_verify.html", plan=plan, fingerprint=service.fingerprint,
                back_to=safe_next(request.form.get("next")) if request.form.get("next") else url_for("practice.review"),
                period_months=months_as_of(today()),
            )
        seen = {record_id: request.form.get(f"seen-{record_id}", "") for record_id in service.parse_ids(ids) or []}
        count = service.bulk_verify(current_user, ids, seen)
    except Invalid as exc:
        for name, message in exc.errors.items():
            flash(message, "danger" if name == "selection" else "warning")
    else:
        flash(_("已批量审核通过 %(n)s 条记录。", n=count), "success")
    return back()


@bp.post("/settings/evidence")
@login_required
def evidence_setting():
    """The administrator turns "verification requires an evidence file" on or off (from the policies page)."""
    on = request.form.get("required") == "1"
    settings.set_switch(current_user, settings.Switch.VERIFICATION_REQUIRES_EVIDENCE, on)
    flash(_("已设置：审核通过企业实践记录时必须有证明材料。") if on
          else _("已设置：审核通过企业实践记录时不再要求证明材料。"), "success")
    return redirect(url_for("policies.index") + "#review-settings")
