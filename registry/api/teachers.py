from flask import jsonify, request

from registry import permissions
from registry.api import bp
from registry.api.auth import api_user
from registry.api.common import json_body, paginated, query_int
from registry.dates import today
from registry.models import Teacher
from registry.presenters import teacher_dict
from registry.services import teachers as teacher_service


@bp.get("/teachers")
def list_teachers():
    user = api_user()
    permissions.require(user, "read_teachers")
    query = permissions.teachers_query(user).order_by(Teacher.id)
    school_id = query_int("school_id", 0, minimum=1) if request.args.get("school_id") else None
    if school_id is not None:
        query = query.where(Teacher.school_id == school_id)
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(Teacher.name.contains(q, autoescape=True))
    return paginated(query, lambda t: teacher_dict(t, user))


@bp.post("/teachers")
def post_teacher():
    user = api_user()
    teacher = teacher_service.create_teacher(user, json_body(), today())
    return jsonify(teacher_dict(teacher, user)), 201


@bp.get("/teachers/<int:teacher_id>")
def get_teacher(teacher_id: int):
    user = api_user()
    return teacher_dict(permissions.get_teacher(user, teacher_id), user)


@bp.patch("/teachers/<int:teacher_id>")
def patch_teacher(teacher_id: int):
    user = api_user()
    teacher = permissions.get_teacher(user, teacher_id)
    teacher = teacher_service.update_teacher(user, teacher, json_body(), today())
    return teacher_dict(teacher, user)


@bp.delete("/teachers/<int:teacher_id>")
def delete_teacher(teacher_id: int):
    user = api_user()
    teacher_service.delete_teacher(user, permissions.get_teacher(user, teacher_id))
    return "", 204
