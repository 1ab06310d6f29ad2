"""Practice records, their review and their evidence files (api.md "Resources")."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from registry import permissions
from registry.api import bp
from registry.api.auth import api_user
from registry.api.common import json_body
from registry.errors import Invalid
from registry.errors_views import error_response
from registry.models import Evidence, PracticeRecord
from registry.practice.downloads import evidence_response
from registry.services import evidence as evidence_files
from registry.services import practice as service
from registry.services.audit import plain

BODY_FIELDS = ("enterprise", "start", "end", "form", "description", "status")


def evidence_dict(item: Evidence) -> dict[str, Any]:
    return {"id": item.id, "filename": item.filename, "size": item.size, "content_type": item.content_type}


def practice_dict(record: PracticeRecord) -> dict[str, Any]:
    data = {"id": record.id, "teacher_id": record.teacher_id}
    data.update({name: plain(getattr(record, name)) for name in BODY_FIELDS})
    data.update(
        reject_reason=record.reject_reason,
        submitted_at=plain(record.submitted_at),
        reviewed_at=plain(record.reviewed_at),
        evidence=[evidence_dict(item) for item in record.evidence],
    )
    return data


@bp.errorhandler(RequestEntityTooLarge)
def request_too_large(_exc):
    # Werkzeug refuses a body above MAX_CONTENT_LENGTH before any view runs; api.md wants a 400 naming the field.
    field = evidence_files.FIELD if request.mimetype == "multipart/form-data" else "__all__"
    return error_response(400, _("输入有误"), {field: evidence_files.too_large_message()})


def own_record(record_id: int) -> PracticeRecord:
    permissions.require(api_user(), "edit_own_practice")
    return permissions.get_teacher_record(api_user(), PracticeRecord, record_id)


def reviewable_record(record_id: int) -> PracticeRecord:
    permissions.require(api_user(), "review_practice")
    return permissions.get_teacher_record(api_user(), PracticeRecord, record_id)


@bp.get("/teachers/<int:teacher_id>/practice")
def list_practice(teacher_id: int):
    user = api_user()
    permissions.require(user, "read_teachers")
    teacher = permissions.get_teacher(user, teacher_id)
    return {"items": [practice_dict(r) for r in teacher.practice]}


@bp.post("/teachers/<int:teacher_id>/practice")
def post_practice(teacher_id: int):
    user = api_user()
    permissions.require(user, "edit_own_practice")
    teacher = permissions.get_teacher(user, teacher_id)
    record = service.create_practice(user, teacher, json_body())
    return jsonify(practice_dict(record)), 201


# Fields GET returns that a teacher never writes (status only moves to planned or submitted).
READ_ONLY = ("teacher_id", "status", "reject_reason", "submitted_at", "reviewed_at", "evidence")


def without_echoed_fields(record: PracticeRecord, changes: dict[str, Any]) -> dict[str, Any]:
    """The body minus read-only fields sent back unchanged, so the record as GET returned it can be PATCHed.

    A read-only field with another value stays in, and the service refuses it field by field.
    """
    shown = practice_dict(record)
    return {k: v for k, v in changes.items() if not (k in READ_ONLY and v == shown[k])}


@bp.patch("/practice/<int:record_id>")
def patch_practice(record_id: int):
    record = own_record(record_id)
    record = service.update_practice(api_user(), record, without_echoed_fields(record, json_body()))
    return practice_dict(record)


@bp.delete("/practice/<int:record_id>")
def delete_practice(record_id: int):
    service.delete_practice(api_user(), own_record(record_id))
    return "", 204


@bp.post("/practice/<int:record_id>/verify")
def verify_practice(record_id: int):
    return practice_dict(service.verify_practice(api_user(), reviewable_record(record_id)))


@bp.post("/practice/<int:record_id>/reject")
def reject_practice(record_id: int):
    record = reviewable_record(record_id)
    return practice_dict(service.reject_practice(api_user(), record, json_body()))


@bp.post("/practice/<int:record_id>/reopen")
def reopen_practice(record_id: int):
    """Not in api.md's table: the pages let HR reopen a verified record, so the API does too."""
    record = reviewable_record(record_id)
    return practice_dict(service.reopen_practice(api_user(), record, json_body()))


@bp.post("/practice/<int:record_id>/evidence")
def post_evidence(record_id: int):
    user = api_user()
    permissions.require(user, "upload_evidence")
    record = own_record(record_id)
    uploaded = request.files.getlist(evidence_files.FIELD)
    if len(uploaded) != 1 or not uploaded[0].filename:
        raise Invalid({evidence_files.FIELD: _("请在 file 字段中上传一个文件")})
    item = service.add_evidence(user, record, uploaded)[0]
    return jsonify({"id": item.id, "filename": item.filename, "size": item.size}), 201


@bp.get("/evidence/<int:evidence_id>")
def get_evidence(evidence_id: int):
    user = api_user()
    permissions.require(user, "read_teachers")
    item = permissions.get_evidence(user, evidence_id)
    return evidence_response(item, as_attachment=True)
