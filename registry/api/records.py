"""Employment periods, certificates and training records of a teacher (api.md, Resources).

Each kind (services.teachers.RECORD_KINDS) lives under /teachers/{id}/<name> and, one at a time, under /<name>/{id}.
"""
from __future__ import annotations

from flask_login import current_user

from registry.api.common import json_body
from registry.api.routes import operation
from registry.services import teachers as teacher_service
from registry.services.teachers import RECORD_KINDS, RecordKind


def declare(kind: RecordKind) -> None:
    """The four operations of one kind of record."""
    name = kind.name

    def list_records(teacher_id: int):
        return {"items": getattr(teacher_service.get_teacher(current_user, teacher_id), name)}

    def post_record(teacher_id: int):
        return teacher_service.add_record(current_user, teacher_id, kind.model, json_body())

    def patch_record(record_id: int):
        return teacher_service.update_record(current_user, kind.model, record_id, json_body())

    def delete_record(record_id: int):
        teacher_service.delete_record(current_user, kind.model, record_id)

    collection, one = f"/teachers/<int:teacher_id>/{name}", f"/{name}/<int:record_id>"
    operation("get", collection, f"{kind.title}列表", tag="records", answer=kind.listing, errors=(401, 404),
              endpoint=f"list_{name}")(list_records)
    operation("post", collection, f"新增{kind.title}", tag="records", answer=kind.answer, status=201, body=kind.schema,
              endpoint=f"post_{name}")(post_record)
    operation("patch", one, f"修改{kind.title}", tag="records", answer=kind.answer, body=kind.schema, partial=True,
              endpoint=f"patch_{name}")(patch_record)
    operation("delete", one, f"删除{kind.title}", tag="records", status=204, errors=(401, 403, 404),
              endpoint=f"delete_{name}")(delete_record)


for record_kind in RECORD_KINDS.values():
    declare(record_kind)
