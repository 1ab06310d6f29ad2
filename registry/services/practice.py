"""Enterprise practice records: the teacher writes them, school HR reviews them.

Status flow: planned → submitted → verified | rejected; a rejected record is
corrected and submitted again; a verified record is locked for the teacher
and only HR can reopen it (back to submitted). An action the current status
does not allow raises Conflict. Every change is audited in its transaction.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions
from registry.errors import Conflict, Invalid, NotFound
from registry.extensions import db
from registry.models import Evidence, PracticeRecord, Teacher, User, utcnow
from registry.rules.vocabulary import PracticeStatus
from registry.schemas import PracticeIn, ReasonIn, load
from registry.services import evidence as files
from registry.services.audit import record_event, snapshot
from registry.vocabulary import label

# The states a teacher may still change (a verified record is locked), and those a teacher submits from.
EDITABLE = (PracticeStatus.PLANNED, PracticeStatus.SUBMITTED, PracticeStatus.REJECTED)
SUBMITTABLE = (PracticeStatus.PLANNED, PracticeStatus.REJECTED)
BODY_FIELDS = tuple(name for name in PracticeIn.model_fields if name != "status")


def locked_message() -> str:
    return _("该记录已审核通过，已锁定；如需修改，请联系学校人事重新打开")


def require_editable(record: PracticeRecord) -> None:
    if record.status not in EDITABLE:
        raise Conflict(locked_message())


def lock(record: PracticeRecord) -> None:
    """Re-read the row (locked on PostgreSQL) so two reviewers cannot both act on one state."""
    db.session.refresh(record, with_for_update=True)


def mark_submitted(record: PracticeRecord) -> None:
    record.status = PracticeStatus.SUBMITTED
    record.submitted_at = utcnow()
    record.reject_reason = None
    record.reviewed_at = None
    record.reviewed_by_id = None


def mark_planned(record: PracticeRecord) -> None:
    record.status = PracticeStatus.PLANNED
    record.submitted_at = None
    record.reject_reason = None
    record.reviewed_at = None
    record.reviewed_by_id = None


def save_with_files(actor: User, record: PracticeRecord, uploads: Sequence[files.Upload]) -> list[Evidence]:
    """Attach the uploads, then commit; on any failure nothing stays behind, neither row nor file."""
    stored: list[str] = []
    added: list[Evidence] = []
    try:
        for upload in uploads:
            name = files.store(upload)
            stored.append(name)
            item = Evidence(
                practice=record,
                filename=upload.filename,
                stored_name=name,
                content_type=upload.content_type,
                size=upload.size,
                uploaded_by_id=actor.id,
            )
            db.session.add(item)
            added.append(item)
            db.session.flush()  # the snapshot needs the ids and defaults
            record_event(actor, "upload", item, after=snapshot(item))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        files.discard(stored)
        raise
    return added


def validate(data: Mapping[str, Any], uploaded) -> tuple[PracticeIn, list[files.Upload]]:
    """The record's fields and its files together, so every bad field is named at once."""
    errors: dict[str, str] = {}
    clean = uploads = None
    try:
        clean = load(PracticeIn, data)
    except Invalid as exc:
        errors.update(exc.errors)
    try:
        uploads = files.read_uploads(uploaded)
    except Invalid as exc:
        errors.update(exc.errors)
    if errors:
        raise Invalid(errors)
    return clean, uploads


# ----------------------------------------------------------------- teacher


def create_practice(actor: User, teacher: Teacher, data: Mapping[str, Any], uploaded=()) -> PracticeRecord:
    """A new record, planned or submitted at once (data["status"]), with its evidence files.

    `uploaded`: file objects with .stream and .filename (werkzeug FileStorage).
    """
    permissions.require_own_practice(actor, teacher)
    clean, uploads = validate(data, uploaded)
    record = PracticeRecord(teacher_id=teacher.id, **clean.model_dump(exclude={"status"}))
    if clean.status == PracticeStatus.SUBMITTED:
        mark_submitted(record)
    else:
        mark_planned(record)
    db.session.add(record)
    db.session.flush()
    record_event(actor, "create", record, after=snapshot(record))
    save_with_files(actor, record, uploads)
    return record


def update_practice(actor: User, record: PracticeRecord, changes: Mapping[str, Any], uploaded=()) -> PracticeRecord:
    """Correct a record not yet verified. changes["status"], when given, moves it to planned or submitted."""
    permissions.require_own_practice(actor, record.teacher)
    lock(record)
    require_editable(record)
    changes = {k: v for k, v in changes.items() if k != "id"}
    merged = {name: getattr(record, name) for name in BODY_FIELDS}
    merged.update(changes)
    new_status = changes.get("status")
    # A record's current status (e.g. rejected) need not be one a teacher may set.
    clean, uploads = validate({**merged, "status": new_status if "status" in changes else PracticeStatus.PLANNED}, uploaded)
    before = snapshot(record)
    for name, value in clean.model_dump(exclude={"status"}).items():
        setattr(record, name, value)
    action = "update"
    if "status" in changes and clean.status != record.status:
        if clean.status == PracticeStatus.SUBMITTED:
            mark_submitted(record)
            action = "submit"
        else:
            mark_planned(record)
    record_event(actor, action, record, before=before, after=snapshot(record))
    save_with_files(actor, record, uploads)
    return record


def delete_practice(actor: User, record: PracticeRecord) -> None:
    permissions.require_own_practice(actor, record.teacher)
    lock(record)
    require_editable(record)
    before = snapshot(record)
    before["evidence"] = [e.filename for e in record.evidence]
    record_event(actor, "delete", record, before=before)
    db.session.delete(record)  # its evidence rows go too; their files once this commits
    db.session.commit()


def submit_practice(actor: User, record: PracticeRecord) -> PracticeRecord:
    """Submit a planned record, or a rejected one again after correcting it."""
    permissions.require_own_practice(actor, record.teacher)
    lock(record)
    if record.status == PracticeStatus.SUBMITTED:
        raise Conflict(_("该记录已提交，正在等待学校人事审核"))
    require_editable(record)
    before = snapshot(record)
    mark_submitted(record)
    record_event(actor, "submit", record, before=before, after=snapshot(record))
    db.session.commit()
    return record


def add_evidence(actor: User, record: PracticeRecord, uploaded) -> list[Evidence]:
    """Attach one or more files (FileStorage-like) to a record not yet verified."""
    permissions.require(actor, "upload_evidence")
    permissions.require_own_practice(actor, record.teacher)
    lock(record)
    require_editable(record)
    uploads = files.read_uploads(uploaded)
    if not uploads:
        raise Invalid({files.FIELD: _("请选择要上传的文件")})
    return save_with_files(actor, record, uploads)


def delete_evidence(actor: User, item: Evidence) -> None:
    record = item.practice
    permissions.require_own_practice(actor, record.teacher)
    lock(record)
    require_editable(record)
    record_event(actor, "delete", item, before=snapshot(item))
    db.session.delete(item)
    db.session.commit()


# --------------------------------------------------------------------- HR

# review action -> (the only status it acts on, the status it leaves)
REVIEW_STEPS: dict[str, tuple[PracticeStatus, PracticeStatus]] = {
    "verify": (PracticeStatus.SUBMITTED, PracticeStatus.VERIFIED),
    "reject": (PracticeStatus.SUBMITTED, PracticeStatus.REJECTED),
    "reopen": (PracticeStatus.VERIFIED, PracticeStatus.SUBMITTED),
}
NEEDS_REASON = ("reject", "reopen")


def refusal(action: str, status: str) -> str:
    """Why `action` cannot be taken on a record now in `status`."""
    source, _target = REVIEW_STEPS[action]
    states = {"source": status_text(source), "status": status_text(status)}
    if action == "verify":
        return _("只能审核“%(source)s”的记录；该记录当前为“%(status)s”", **states)
    if action == "reject":
        return _("只能退回“%(source)s”的记录；该记录当前为“%(status)s”", **states)
    return _("只能重新打开“%(source)s”的记录；该记录当前为“%(status)s”", **states)


def review_practice(
    actor: User, record: PracticeRecord, action: str, data: Mapping[str, Any] | None = None, commit: bool = True
) -> PracticeRecord:
    """One review decision (REVIEW_STEPS): guard, change, audit and commit.

    reject and reopen need data["reason"]: a rejection shows it to the teacher,
    a reopening keeps it in the change history. A reopened record stops counting
    and returns to the queue unreviewed.
    """
    permissions.require_review_practice(actor, record.teacher)
    reason = load(ReasonIn, data or {}).reason if action in NEEDS_REASON else None
    lock(record)
    source, target = REVIEW_STEPS[action]
    if record.status != source:
        raise Conflict(refusal(action, record.status))
    before = snapshot(record)
    record.status = target
    if action == "reopen":
        record.reviewed_at = None
        record.reviewed_by_id = None
        after = {**snapshot(record), "reopen_reason": reason}
    else:
        record.reject_reason = reason
        record.reviewed_at = utcnow()
        record.reviewed_by_id = actor.id
        after = snapshot(record)
    record_event(actor, action, record, before=before, after=after)
    if commit:
        db.session.commit()
    return record


def verify_practice(actor: User, record: PracticeRecord, commit: bool = True) -> PracticeRecord:
    return review_practice(actor, record, "verify", commit=commit)


def reject_practice(actor: User, record: PracticeRecord, data: Mapping[str, Any]) -> PracticeRecord:
    return review_practice(actor, record, "reject", data)


def reopen_practice(actor: User, record: PracticeRecord, data: Mapping[str, Any]) -> PracticeRecord:
    """Take back a verification: the record returns to the queue and stops counting."""
    return review_practice(actor, record, "reopen", data)


def in_scope(actor: User):
    """The condition "the record's teacher is one the actor may see" (permissions.teachers_query)."""
    return PracticeRecord.teacher_id.in_(permissions.teachers_query(actor).with_only_columns(Teacher.id))


def bulk_verify(actor: User, record_ids: Iterable[int]) -> int:
    """Verify every selected record in one transaction: all of them or, if one cannot be, none."""
    permissions.require(actor, "review_practice")
    ids = sorted({int(i) for i in record_ids})
    if not ids:
        raise Invalid({"ids": _("请先勾选要审核通过的记录")})
    records = list(
        db.session.scalars(
            select(PracticeRecord).where(PracticeRecord.id.in_(ids), in_scope(actor)).order_by(PracticeRecord.id)
        )
    )
    if len(records) != len(ids):
        raise NotFound("practice_record")
    try:
        for record in records:
            verify_practice(actor, record, commit=False)
    except Conflict:
        db.session.rollback()
        raise Conflict(
            _(
                "所选记录中有的已不在“%(status)s”状态（可能已被他人处理），本次未做任何更改，请刷新后重试",
                status=status_text(PracticeStatus.SUBMITTED),
            )
        ) from None
    db.session.commit()
    return len(records)


def status_text(status: str) -> str:
    return label(PracticeStatus, status)


def review_queue(actor: User):
    """HR's queue: submitted records of the own school, oldest submission first."""
    permissions.require(actor, "review_practice")
    return (
        select(PracticeRecord)
        .where(PracticeRecord.status == PracticeStatus.SUBMITTED, in_scope(actor))
        .order_by(PracticeRecord.submitted_at, PracticeRecord.id)
    )
