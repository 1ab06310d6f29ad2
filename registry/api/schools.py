"""Schools (api.md, Resources)."""
from __future__ import annotations

from flask_login import current_user

from registry import permissions
from registry import serializers as out
from registry.api.common import json_body
from registry.api.routes import operation
from registry.extensions import db
from registry.schemas import SchoolIn
from registry.services.schools import create_school


@operation("get", "/schools", "学校列表", tag="schools", answer=out.SchoolList, errors=(401,))
def list_schools():
    return {"items": db.session.scalars(permissions.schools_query(current_user)).all()}


@operation("post", "/schools", "新增学校（管理员）", tag="schools", answer=out.School, status=201, body=SchoolIn, errors=(400, 401, 403))
def post_school():
    return create_school(current_user, json_body())
