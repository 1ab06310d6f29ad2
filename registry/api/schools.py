"""Schools (api.md, Resources)."""
from __future__ import annotations

from flask_login import current_user

from registry import serializers as out
from registry.api.common import json_body
from registry.api.routes import operation
from registry.schemas import SchoolIn
from registry.services import schools as school_service


@operation("get", "/schools", "学校列表", tag="schools", answer=out.SchoolList, errors=(401,))
def list_schools():
    return {"items": school_service.visible_schools(current_user)}


@operation("post", "/schools", "新增学校（管理员）", tag="schools", answer=out.School, status=201, body=SchoolIn, errors=(400, 401, 403))
def post_school():
    return school_service.create_school(current_user, json_body())
