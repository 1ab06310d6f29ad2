"""Employment periods, certificates and training records of a teacher (api.md, Resources)."""
from __future__ import annotations

from typing import Any

from flask import jsonify

from registry import permissions
from registry.api import bp
from registry.api.auth import api_user
from registry.api.common import json_body
from registry.models import Certificate, EmploymentRecord, TrainingRecord
from registry.services import teachers as teacher_service
from registry.services.audit import plain
from registry.services.teachers import HR_RECORDS

# URL segment of the teacher's list -> (model, URL segment of one record)
COLLECTIONS = {
    "employment": (EmploymentRecord, "employment"),
    "certificates": (Certificate, "certificates"),
    "training": (TrainingRecord, "training"),
}


def record_dict(record) -> dict[str, Any]:
    """The body fields of api.md, plus "id" and "teacher_id"."""
    fields = {name: plain(getattr(record, name)) for name in HR_RECORDS[type(record)].model_fields}
    return {"id": record.id, "teacher_id": record.teacher_id, **fields}


def list_records(collection: str, teacher_id: int):
    user = api_user()
    permissions.require(user, "read_teachers")
    teacher = permissions.get_teacher(user, teacher_id)
    return {"items": [record_dict(r) for r in getattr(teacher, collection)]}


def post_record(collection: str, teacher_id: int):
    user = api_user()
    teacher = permissions.get_teacher(user, teacher_id)
    record = teacher_service.add_record(user, teacher, COLLECTIONS[collection][0], json_body())
    return jsonify(record_dict(record)), 201


def patch_record(model: type, record_id: int):
    user = api_user()
    record = permissions.get_teacher_record(user, model, record_id)
    changes = json_body()
    if changes.get("teacher_id") == record.teacher_id:  # the record as GET returned it; moving it is refused
        changes = {k: v for k, v in changes.items() if k != "teacher_id"}
    return record_dict(teacher_service.update_record(user, record, changes))


def delete_record(model: type, record_id: int):
    user = api_user()
    record = permissions.get_teacher_record(user, model, record_id)
    teacher_service.delete_record(user, record)
    return "", 204


def register(collection: str) -> None:
    model, single = COLLECTIONS[collection]
    bp.add_url_rule(
        f"/teachers/<int:teacher_id>/{collection}", f"list_{collection}", lambda teacher_id: list_records(collection, teacher_id), methods=["GET"]
    )
    bp.add_url_rule(
        f"/teachers/<int:teacher_id>/{collection}", f"post_{collection}", lambda teacher_id: post_record(collection, teacher_id), methods=["POST"]
    )
    bp.add_url_rule(f"/{single}/<int:record_id>", f"patch_{single}", lambda record_id: patch_record(model, record_id), methods=["PATCH"])
    bp.add_url_rule(f"/{single}/<int:record_id>", f"delete_{single}", lambda record_id: delete_record(model, record_id), methods=["DELETE"])


for name in COLLECTIONS:
    register(name)
