"""Enterprise practice records: the teacher writes them, school HR reviews them.

Status flow: planned → submitted → verified | rejected; a rejected record is
corrected and submitted again; a verified record is locked for the teacher
and only HR can reopen it (back to submitted). An action the current status
does not allow raises Conflict. Every change is audited in its transaction.

A record is submitted and verified only once it has ended (its end date has passed: `not_ended_message`), and
verified only with at least one evidence file while the administrator's switch says so
(settings.Switch.VERIFICATION_REQUIRES_EVIDENCE, on by default).

Every write of a record's row is a compare-and-set on the status it was read
with (`compare_and_set`): of two simultaneous decisions on one record exactly
one wins, on SQLite and PostgreSQL alike, and the other is a Conflict.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from registry import permissions
from registry import serializers as out
from registry.dates import today
from registry.errors import Conflict, Invalid, NotFound
from registry.extensions import db
from registry.models import Evidence, PracticeRecord, Teacher, User, utcnow
from registry.rules.practice_review import reviewable_from
from registry.rules.vocabulary import PracticeStatus
from registry.schemas import MAX_ID, PracticeIn, ReasonIn, load
from registry.services import evidence as files
from registry.services import settings, verdicts
from registry.services import teachers as teacher_records
from registry.services.audit import append_events, record_event, snapshot
from registry.services.echoes import without_echoes
from registry.services.notifications import notify_practice_reviewed
from registry.transactions import atomic
from registry.vocabulary import label

# The states a teacher may still change (a verified record is locked), and those a teacher submits from.
EDITABLE = (PracticeStatus.PLANNED, PracticeStatus.SUBMITTED, PracticeStatus.REJECTED)
SUBMITTABLE = (PracticeStatus.PLANNED, PracticeStatus.REJECTED)
BODY_FIELDS = tuple(name for name in PracticeIn.model_fields if name != "status")
# Fields the record's JSON shows that a teacher never writes (status only moves to planned or submitted):
# sent back unchanged, they are left out.
READ_ONLY = ("teacher_id", "status", "reject_reason", "submitted_at", "reviewed_at", "evidence")


def locked_message() -> str:
    """Why a verified record cannot be changed, in the user's language."""
    return _("该记录已审核通过，已锁定；如需修改，请联系学校人事重新打开")


def require_editable(record: PracticeRecord) -> None:
    """Conflict (locked_message) unless the record's status is one the teacher may still change (EDITABLE)."""
    if record.status not in EDITABLE:
        raise Conflict(locked_message())


def taken_message(status: str) -> str:
    """Why a change lost to someone else's: the record's status now, in the user's language."""
    return _("该记录已被他人处理（当前状态：%(status)s），请刷新后再看。", status=label(PracticeStatus, status))


def open_from(record: PracticeRecord | PracticeIn) -> date | None:
    """The first day the record may be submitted or verified while that day is still to come, as of today; None
    once it may be (registry.rules.practice_review.reviewable_from)."""
    return reviewable_from(record.start, record.end, today())


def not_ended_message(record: PracticeRecord, action: str) -> str:
    """Why a record not yet ended cannot be submitted (`action` "submit") or verified ("verify") yet: from when it can."""
    if record.end is None:
        if action == "submit":
            return _("该实践还没有结束日期（仍在进行）：实践结束后填写结束日期，才能提交审核；在此之前请保存为计划。")
        return _("该实践还没有结束日期（仍在进行），不能审核通过；请退回并请教师填写结束日期。")
    states = {"end": record.end.isoformat(), "day": open_from(record).isoformat()}
    if action == "submit":
        return _("该实践到 %(end)s 才结束，自 %(day)s 起才能提交审核；在此之前请保存为计划。", **states)
    return _("该实践到 %(end)s 才结束，自 %(day)s 起才能审核通过。", **states)


def no_evidence_message() -> str:
    """Why a record without evidence files cannot be verified while the switch requires them."""
    return _("该记录还没有证明材料，不能审核通过；请退回并请教师上传证明材料。")


def verify_refusal(record: PracticeRecord, evidence_required: bool) -> str | None:
    """Why the record cannot be verified now apart from its status (not ended, or no evidence while
    `evidence_required`), or None when it can."""
    if open_from(record) is not None:
        return not_ended_message(record, "verify")
    if evidence_required and not record.evidence:
        return no_evidence_message()
    return None


def lock(record: PracticeRecord) -> None:
    """Re-read the row, held until the transaction ends, for changes that are not an UPDATE of it (deleting it,
    adding or removing its evidence files).

    PostgreSQL locks the row (SELECT … FOR UPDATE); SQLite's write transactions hold the whole database from
    their start (BEGIN IMMEDIATE, registry.extensions).
    """
    db.session.refresh(record, with_for_update=True)


def compare_and_set(records: Sequence[PracticeRecord], expected: Collection[str], values: Mapping[str, Any]) -> bool:
    """Write `values` to the records' rows if every one's status is still one of `expected`; then re-read them.

    One UPDATE … WHERE id IN (…) AND status IN (…), its row count checked. Returns False when a row no longer
    matched (changed by someone else since it was read): the caller raises Conflict, and its savepoint undoes the
    rows that did match. NotFound when one was deleted meanwhile. Their teachers' stored verdicts are recomputed
    when the transaction commits.
    """
    db.session.flush()
    ids = [record.id for record in records]
    result = db.session.execute(
        update(PracticeRecord).where(PracticeRecord.id.in_(ids), PracticeRecord.status.in_(expected)).values(**values),
        execution_options={"synchronize_session": False},
    )
    current = db.session.scalars(
        select(PracticeRecord).where(PracticeRecord.id.in_(ids)).execution_options(populate_existing=True)
    ).all()
    if len(current) != len(ids):
        raise NotFound("practice_record")
    verdicts.mark_teachers({record.teacher_id for record in records})
    return result.rowcount == len(ids)


def submitted_values() -> dict[str, Any]:
    """The record in the review queue: submitted now, any earlier review cleared."""
    return {"status": PracticeStatus.SUBMITTED, "submitted_at": utcnow(), "reject_reason": None, "reviewed_at": None,
            "reviewed_by_id": None}


def planned_values() -> dict[str, Any]:
    """The record a plan again: not submitted, any earlier review cleared."""
    return {"status": PracticeStatus.PLANNED, "submitted_at": None, "reject_reason": None, "reviewed_at": None,
            "reviewed_by_id": None}


def save_with_files(actor: User, record: PracticeRecord, uploads: Sequence[files.Upload]) -> list[Evidence]:
    """Store the uploads and attach them, audited; a file goes again if its transaction rolls back (files.store)."""
    added: list[Evidence] = []
    for upload in uploads:
        item = Evidence(
            practice=record,
            filename=upload.filename,
            stored_name=files.store(upload),
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by_id=actor.id,
        )
        db.session.add(item)
        added.append(item)
        db.session.flush()  # the snapshot needs the ids and defaults
        record_event(actor, "upload", item, after=snapshot(item))
    return added


def require_ended(clean: PracticeIn) -> None:
    """Invalid on "end" when a record submitted for review has not ended yet (it stays planned until then)."""
    if open_from(clean) is not None:
        raise Invalid({"end": not_ended_message(clean, "submit")})


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


# ----------------------------------------------------------------- reading


def own_teacher(actor: User) -> Teacher:
    """The teacher the actor's account stands for, to show their practice; Forbidden for staff accounts."""
    return permissions.find(actor, "edit_own_practice", Teacher, permissions.own_teacher_id(actor))


def own_record(actor: User, record_id: int) -> PracticeRecord:
    """One of the actor's own practice records (NotFound otherwise; Forbidden for staff who can see it)."""
    return permissions.find(actor, "edit_own_practice", PracticeRecord, record_id)


def visible_record(actor: User, record_id: int) -> PracticeRecord:
    """A practice record of a teacher the actor may see (NotFound otherwise)."""
    return permissions.find(actor, "read_teachers", PracticeRecord, record_id)


def teacher_practice(actor: User, teacher_id: int) -> list[PracticeRecord]:
    """The practice records of a teacher the actor may see, oldest first (NotFound otherwise)."""
    return permissions.find(actor, "read_teachers", Teacher, teacher_id).practice


def evidence_file(actor: User, evidence_id: int) -> Evidence:
    """An evidence file, for users who may see its practice record (NotFound otherwise)."""
    return permissions.find(actor, "read_teachers", Evidence, evidence_id)


# ----------------------------------------------------------------- teacher


@atomic
def create_practice(actor: User, teacher_id: int | None, data: Mapping[str, Any], uploaded=()) -> PracticeRecord:
    """A new record of the actor's own teacher, planned or submitted at once (data["status"]), with its evidence files.

    `uploaded`: file objects with .stream and .filename (werkzeug FileStorage). Forbidden for other roles,
    NotFound for another teacher; Invalid names every bad field and file, and "end" when a record that has not
    ended yet is submitted (not_ended_message).
    """
    teacher = permissions.find(actor, "edit_own_practice", Teacher, teacher_id)
    clean, uploads = validate(data, uploaded)
    if clean.status == PracticeStatus.SUBMITTED:
        require_ended(clean)
    initial = submitted_values() if clean.status == PracticeStatus.SUBMITTED else planned_values()
    record = PracticeRecord(teacher_id=teacher.id, **clean.model_dump(exclude={"status"}), **initial)
    db.session.add(record)
    db.session.flush()
    record_event(actor, "create", record, after=snapshot(record))
    save_with_files(actor, record, uploads)
    return record


@atomic
def update_practice(actor: User, record_id: int, changes: Mapping[str, Any], uploaded=()) -> PracticeRecord:
    """Correct one of the actor's records not yet verified. changes["status"], when given, moves it to planned or submitted.

    The record as GET returned it may be sent back: READ_ONLY fields with their shown values are left out.
    Conflict when the record is verified (locked) or was changed by someone else meanwhile; Invalid names every
    bad field and file, and "end" when the record would be submitted before it has ended (not_ended_message).
    """
    record = own_record(actor, record_id)
    require_editable(record)
    changes = without_echoes(changes, out.dump(out.Practice, record, actor), READ_ONLY)
    merged = {name: getattr(record, name) for name in BODY_FIELDS}
    merged.update(changes)
    new_status = changes.get("status")
    # A record's current status (e.g. rejected) need not be one a teacher may set.
    clean, uploads = validate({**merged, "status": new_status if "status" in changes else PracticeStatus.PLANNED}, uploaded)
    before = snapshot(record)
    values = clean.model_dump(exclude={"status"})
    action = "update"
    if (clean.status if "status" in changes else record.status) == PracticeStatus.SUBMITTED:
        require_ended(clean)  # also when a record waiting for review is given a later end
    if "status" in changes and clean.status != record.status:
        if clean.status == PracticeStatus.SUBMITTED:
            values.update(submitted_values())
            action = "submit"
        else:
            values.update(planned_values())
    if not compare_and_set([record], (record.status,), values):
        raise Conflict(taken_message(record.status))
    record_event(actor, action, record, before=before, after=snapshot(record))
    save_with_files(actor, record, uploads)
    return record


@atomic
def delete_practice(actor: User, record_id: int) -> None:
    """Delete one of the actor's records not yet verified, with its evidence (their files once this commits)."""
    record = own_record(actor, record_id)
    lock(record)
    require_editable(record)
    before = snapshot(record)
    before["evidence"] = [e.filename for e in record.evidence]
    record_event(actor, "delete", record, before=before)
    db.session.delete(record)
    db.session.flush()


@atomic
def submit_practice(actor: User, record_id: int) -> PracticeRecord:
    """Submit a planned record, or a rejected one again after correcting it, once it has ended.

    Conflict when it is already submitted or verified, or has not ended yet (not_ended_message).
    """
    record = own_record(actor, record_id)
    if record.status == PracticeStatus.SUBMITTED:
        raise Conflict(_("该记录已提交，正在等待学校人事审核"))
    require_editable(record)
    if open_from(record) is not None:
        raise Conflict(not_ended_message(record, "submit"))
    before = snapshot(record)
    if not compare_and_set([record], (record.status,), submitted_values()):
        raise Conflict(taken_message(record.status))
    record_event(actor, "submit", record, before=before, after=snapshot(record))
    return record


@atomic
def add_evidence(actor: User, record_id: int, uploaded, exactly_one: bool = False) -> list[Evidence]:
    """Attach one or more files (FileStorage-like) to one of the actor's records not yet verified.

    `exactly_one`: the caller takes one file per call (the API); Invalid otherwise.
    """
    record = permissions.find(actor, "upload_evidence", PracticeRecord, record_id)
    if exactly_one and (len(uploaded) != 1 or not uploaded[0].filename):
        raise Invalid({files.FIELD: _("请在 file 字段中上传一个文件")})
    lock(record)
    require_editable(record)
    uploads = files.read_uploads(uploaded)
    if not uploads:
        raise Invalid({files.FIELD: _("请选择要上传的文件")})
    return save_with_files(actor, record, uploads)


@atomic
def delete_evidence(actor: User, evidence_id: int) -> int:
    """Remove an evidence file of one of the actor's records not yet verified; returns the record's id."""
    item = permissions.find(actor, "edit_own_practice", Evidence, evidence_id)
    record = item.practice
    lock(record)
    require_editable(record)
    record_event(actor, "delete", item, before=snapshot(item))
    db.session.delete(item)
    db.session.flush()
    return record.id


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
    states = {"source": label(source), "status": label(PracticeStatus, status)}
    if action == "verify":
        return _("只能审核“%(source)s”的记录；该记录当前为“%(status)s”", **states)
    if action == "reject":
        return _("只能退回“%(source)s”的记录；该记录当前为“%(status)s”", **states)
    return _("只能重新打开“%(source)s”的记录；该记录当前为“%(status)s”", **states)


@atomic
def review_practice(actor: User, record_id: int, action: str, data: Mapping[str, Any] | None = None) -> PracticeRecord:
    """One review decision (REVIEW_STEPS) by HR of the teacher's school: guard, change, audit.

    reject and reopen need data["reason"]: a rejection shows it to the teacher,
    a reopening keeps it in the change history. A reopened record stops counting
    and returns to the queue unreviewed. Conflict when the record's status does not allow the action, when
    verifying a record not yet ended or (while the switch requires evidence) without evidence files
    (verify_refusal), or when someone else changed it between reading and writing (the message names its status now).
    A verification or rejection records the teacher's notification in the same transaction
    (registry.services.notifications.notify_practice_reviewed; nothing is sent here).
    """
    record = permissions.find(actor, "review_practice", PracticeRecord, record_id)
    reason = load(ReasonIn, data or {}).reason if action in NEEDS_REASON else None
    source, _target = REVIEW_STEPS[action]
    if record.status != source:
        raise Conflict(refusal(action, record.status))
    if action == "verify":
        lock(record)  # its evidence files, read for the check, stay as they are until this commits
        if (why := verify_refusal(record, settings.enabled(settings.Switch.VERIFICATION_REQUIRES_EVIDENCE))) is not None:
            raise Conflict(why)
    before = snapshot(record)
    if not compare_and_set([record], (source,), review_values(actor, action, reason)):
        raise Conflict(taken_message(record.status))
    after = {**snapshot(record), "reopen_reason": reason} if action == "reopen" else snapshot(record)
    record_event(actor, action, record, before=before, after=after)
    notify_practice_reviewed(record)  # the teacher is told of a verification or a rejection (not of a reopening)
    return record


def review_values(actor: User, action: str, reason: str | None) -> dict[str, Any]:
    """The columns a review action (REVIEW_STEPS) writes: a reopening clears the review, a decision records it."""
    _source, target = REVIEW_STEPS[action]
    if action == "reopen":
        return {"status": target, "reviewed_at": None, "reviewed_by_id": None}
    return {"status": target, "reject_reason": reason, "reviewed_at": utcnow(), "reviewed_by_id": actor.id}


def reviewable(actor: User):
    """The condition "the record's teacher is one the actor may review" (the scope of review_practice); Forbidden by role."""
    return PracticeRecord.teacher_id.in_(permissions.teacher_ids_for(actor, "review_practice"))


def parse_ids(values: Iterable[int | str]) -> list[int] | None:
    """The selected record ids, sorted and once each; None when any is not a whole number 1..MAX_ID."""
    texts = [str(value) for value in values]
    if all(text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID for text in texts):
        return sorted({int(text) for text in texts})
    return None


def describe(record: PracticeRecord) -> str:
    """The record in a few words for a list in a message: 张宏伟 · 五一八公司（2024-07-01 至 2024-08-31）."""
    return _("%(name)s · %(enterprise)s（%(start)s 至 %(end)s）", name=record.teacher.name, enterprise=record.enterprise,
             start=record.start.isoformat(), end=record.end.isoformat() if record.end else _("进行中"))


def fingerprint(record: PracticeRecord) -> str:
    """A short digest (16 hex digits) of what a reviewer sees of a record: its columns and its evidence files.

    It differs as soon as either changes, so a confirmation can tell that a record changed after it was listed.
    """
    seen = {**snapshot(record), "evidence": sorted(item.id for item in record.evidence)}
    return hashlib.sha256(json.dumps(seen, sort_keys=True, default=str).encode()).hexdigest()[:16]


def selected_records(actor: User, record_ids: Iterable[int | str]) -> list[PracticeRecord]:
    """The selected records (ids as numbers or the form's strings), by id, all in the actor's review scope.

    Forbidden unless school HR; Invalid when the selection is empty ("ids") or malformed ("selection");
    NotFound when a record is outside the actor's scope.
    """
    scope = reviewable(actor)
    ids = parse_ids(record_ids)
    if ids is None:
        raise Invalid({"selection": _("所选记录有误，请刷新后重试。")})
    if not ids:
        raise Invalid({"ids": _("请先勾选要审核通过的记录")})
    records = list(
        db.session.scalars(
            select(PracticeRecord).where(PracticeRecord.id.in_(ids), scope).order_by(PracticeRecord.id)
        )
    )
    if len(records) != len(ids):
        raise NotFound("practice_record")
    return records


@dataclass(frozen=True)
class BulkPlan:
    """What verifying a selection would do: the `ready` records are verified; each of `skipped` is a
    (record, why) pair that is not, with the reason in the user's language."""

    ready: list[PracticeRecord]
    skipped: list[tuple[PracticeRecord, str]]


def why_not_verified(record: PracticeRecord, evidence_required: bool) -> str | None:
    """Why the record cannot be verified now (its status, its end, its evidence), or None when it can."""
    if record.status != PracticeStatus.SUBMITTED:
        return refusal("verify", record.status)
    return verify_refusal(record, evidence_required)


def plan_bulk_verify(actor: User, record_ids: Iterable[int | str]) -> BulkPlan:
    """The confirmation step of a bulk verification: which selected records would be verified, which skipped and why.

    Changes nothing. Errors as selected_records.
    """
    records = selected_records(actor, record_ids)
    required = settings.enabled(settings.Switch.VERIFICATION_REQUIRES_EVIDENCE)
    ready, skipped = [], []
    for record in records:
        if (why := why_not_verified(record, required)) is None:
            ready.append(record)
        else:
            skipped.append((record, why))
    return BulkPlan(ready, skipped)


@atomic
def bulk_verify(actor: User, record_ids: Iterable[int | str], seen: Mapping[int, str] | None = None) -> int:
    """Verify every selected record: all of them or, if one cannot be, none; returns how many.

    `seen`: record id → its fingerprint when the reviewer confirmed the list (plan_bulk_verify); a record whose
    fingerprint differs now changed after it was listed. Conflict, naming every such record, when one is no
    longer waiting, cannot be verified (why_not_verified) or changed since it was listed; nothing is verified then.
    Each record's teacher is notified as by review_practice. Other errors as selected_records.
    """
    records = selected_records(actor, record_ids)
    for record in records:
        lock(record)
    required = settings.enabled(settings.Switch.VERIFICATION_REQUIRES_EVIDENCE)
    stale = [
        record for record in records
        if why_not_verified(record, required) is not None or (seen is not None and seen.get(record.id) != fingerprint(record))
    ]
    if stale:
        raise Conflict(stale_message(stale))
    before = {record.id: snapshot(record) for record in records}
    waiting = (PracticeStatus.SUBMITTED,)
    if not compare_and_set(records, waiting, review_values(actor, "verify", None)):
        raise Conflict(stale_message(records))
    for record in records:
        record_event(actor, "verify", record, before=before[record.id], after=snapshot(record))
        notify_practice_reviewed(record)
    return len(records)


def stale_message(records: Sequence[PracticeRecord]) -> str:
    """Why a bulk verification changed nothing: the records that changed or can no longer be verified."""
    return _(
        "以下记录已有变化或已不能审核通过（可能已被他人处理或修改），本次未做任何更改，请刷新后重新核对：%(records)s",
        records=_("；").join(describe(record) for record in records),
    )


def review_queue(actor: User):
    """HR's queue: submitted records of the own school, oldest submission first (a query; Forbidden for other roles)."""
    return (
        select(PracticeRecord)
        .where(PracticeRecord.status == PracticeStatus.SUBMITTED, reviewable(actor))
        .order_by(PracticeRecord.submitted_at, PracticeRecord.id)
    )


# ----------------------------------------------------------------- the import


def not_yet_over(start: date, end: date | None, today: date) -> str | None:
    """"end" when a period may not yet be submitted or verified on `today` (registry.rules.practice_review
    .reviewable_from: it has not ended, or has no end date): such a record may only be planned. None when it may be."""
    return None if reviewable_from(start, end, today) is None else "end"


def status_values(actor: User | None, status: str, stored: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The columns that put an imported record into `status` (planned, submitted or verified by `actor`, None for
    the command line); a record already submitted keeps its submission time."""
    if status == PracticeStatus.PLANNED:
        return planned_values()
    values = submitted_values()
    if stored is not None and stored.get("submitted_at") is not None:
        values["submitted_at"] = stored["submitted_at"]
    if status == PracticeStatus.VERIFIED:
        reviewer = actor.id if actor is not None and actor.is_authenticated else None
        values.update(status=PracticeStatus.VERIFIED, reviewed_at=utcnow(), reviewed_by_id=reviewer)
    return values


def insert_imported(actor: User | None, rows: Sequence[tuple[int, int, Mapping[str, Any]]]) -> list[int]:
    """Insert imported practice records (teacher id, school id, values with their status columns), audited; no two
    of one teacher with the same enterprise and start. Returns their ids (teacher_records.insert_records)."""
    return teacher_records.insert_records(actor, PracticeRecord, rows, key=("enterprise", "start"))


def update_imported(actor: User | None, updates: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> None:
    """Write imported changes to practice records read as plain rows (teacher_records.update_records), each only
    while its status is still the one read: Conflict when any was reviewed or changed meanwhile (the caller's
    savepoint undoes the rest)."""
    if not updates:
        return
    matched = teacher_records.write_rows(PracticeRecord, updates, guard="status")
    if matched not in (-1, len(updates)):
        raise Conflict(_("导入时有企业实践记录已被他人审核或修改，没有写入任何行。请重新导入。"))
    verdicts.mark_teachers({stored["teacher_id"] for stored, _values in updates})
    append_events(teacher_records.update_events(actor, PracticeRecord, updates))
