"""Practice records, their review and their evidence files (api.md "Resources")."""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from registry import serializers as out
from registry.api import bp
from registry.api.common import json_body
from registry.api.routes import EVIDENCE_FILE, operation
from registry.errors_views import error_response
from registry.practice.downloads import evidence_response
from registry.schemas import PracticeIn, ReasonIn
from registry.services import evidence as evidence_files
from registry.services import practice as service

WRITE_ERRORS = (400, 401, 403, 404, 409)


@bp.errorhandler(RequestEntityTooLarge)
def request_too_large(_exc):
    # Werkzeug refuses a body above MAX_CONTENT_LENGTH before any view runs; api.md wants a 400 naming the field.
    field = evidence_files.FIELD if request.mimetype == "multipart/form-data" else "__all__"
    return error_response(400, _("输入有误"), {field: evidence_files.too_large_message()})


@operation("get", "/teachers/<int:teacher_id>/practice", "企业实践记录列表", tag="practice", answer=out.PracticeList,
           errors=(401, 404))
def list_practice(teacher_id: int):
    return {"items": service.teacher_practice(current_user, teacher_id)}


@operation("post", "/teachers/<int:teacher_id>/practice", "新增企业实践记录（教师本人）", tag="practice", answer=out.Practice,
           status=201, body=PracticeIn, errors=WRITE_ERRORS)
def post_practice(teacher_id: int):
    return service.create_practice(current_user, teacher_id, json_body())


@operation("patch", "/practice/<int:record_id>", "修改企业实践记录", tag="practice", answer=out.Practice, body=PracticeIn,
           partial=True, errors=WRITE_ERRORS)
def patch_practice(record_id: int):
    return service.update_practice(current_user, record_id, json_body())


@operation("delete", "/practice/<int:record_id>", "删除企业实践记录", tag="practice", status=204, errors=(401, 403, 404, 409))
def delete_practice(record_id: int):
    service.delete_practice(current_user, record_id)


@operation("post", "/practice/<int:record_id>/verify", "审核通过（学校人事）", tag="practice", answer=out.Practice,
           errors=(401, 403, 404, 409))
def verify_practice(record_id: int):
    return service.review_practice(current_user, record_id, "verify")


@operation("post", "/practice/<int:record_id>/reject", "退回（学校人事）", tag="practice", answer=out.Practice, body=ReasonIn,
           errors=WRITE_ERRORS)
def reject_practice(record_id: int):
    return service.review_practice(current_user, record_id, "reject", json_body())


@operation("post", "/practice/<int:record_id>/reopen", "重新打开已审核记录（学校人事）", tag="practice", answer=out.Practice,
           body=ReasonIn, errors=WRITE_ERRORS)
def reopen_practice(record_id: int):
    """Not in api.md's table: the pages let HR reopen a verified record, so the API does too."""
    return service.review_practice(current_user, record_id, "reopen", json_body())


@operation("post", "/practice/<int:record_id>/evidence", "上传证明材料", tag="practice", answer=out.EvidenceCreated,
           status=201, upload=True, errors=WRITE_ERRORS)
def post_evidence(record_id: int):
    uploaded = request.files.getlist(evidence_files.FIELD)
    return service.add_evidence(current_user, record_id, uploaded, exactly_one=True)[0]


@operation("get", "/evidence/<int:evidence_id>", "下载证明材料", tag="practice", answer=EVIDENCE_FILE, errors=(401, 404))
def get_evidence(evidence_id: int):
    return evidence_response(service.evidence_file(current_user, evidence_id), as_attachment=True)
