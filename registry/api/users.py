"""Accounts (admin). Tokens are minted by `flask users token LOGIN` or on the user's own token page."""
from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from registry import permissions
from registry import serializers as out
from registry.api.common import json_body
from registry.api.routes import operation
from registry.extensions import db
from registry.models import User
from registry.services.users import UserIn, create_user


@operation("get", "/users", "账号列表（管理员）", tag="users", answer=out.UserList, errors=(401, 403))
def list_users():
    permissions.require(current_user, "manage_users")
    return {"items": db.session.scalars(select(User).order_by(User.id)).all()}


@operation("post", "/users", "新增账号（管理员）", tag="users", answer=out.User, status=201, body=UserIn, errors=(400, 401, 403))
def post_user():
    return create_user(current_user, json_body())
