"""Teachers (api.md, Resources)."""
from __future__ import annotations

from flask_login import current_user

from registry import serializers as out
from registry.api.common import json_body, load_query, paginate
from registry.api.routes import operation
from registry.dates import today
from registry.models import Teacher
from registry.schemas import TeacherIn
from registry.schemas.queries import TeacherListQuery
from registry.services import teachers as teacher_service


@operation("get", "/teachers", "教师列表", tag="teachers", answer=out.TeacherPage, query=TeacherListQuery, errors=(400, 401, 403))
def list_teachers():
    query = load_query(TeacherListQuery)
    return paginate(teacher_service.list_teachers(current_user, query).order_by(Teacher.id), query)


@operation("post", "/teachers", "新增教师（学校人事）", tag="teachers", answer=out.Teacher, status=201, body=TeacherIn,
           errors=(400, 401, 403))
def post_teacher():
    return teacher_service.create_teacher(current_user, json_body(), today())


@operation("get", "/teachers/<int:teacher_id>", "教师详情", tag="teachers", answer=out.Teacher, errors=(401, 404))
def get_teacher(teacher_id: int):
    return teacher_service.get_teacher(current_user, teacher_id)


@operation("patch", "/teachers/<int:teacher_id>", "修改教师（学校人事）", tag="teachers", answer=out.Teacher, body=TeacherIn,
           partial=True)
def patch_teacher(teacher_id: int):
    return teacher_service.update_teacher(current_user, teacher_id, json_body(), today())


@operation("delete", "/teachers/<int:teacher_id>", "删除教师（学校人事）", tag="teachers", status=204, errors=(401, 403, 404))
def delete_teacher(teacher_id: int):
    teacher_service.delete_teacher(current_user, teacher_id)
