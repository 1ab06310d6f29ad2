"""Accounts (admin). Tokens are minted by `flask users token LOGIN` or on the user's own token page."""
from __future__ import annotations

from flask_login import current_user

from registry import serializers as out
from registry.api.common import json_body
from registry.api.routes import operation
from registry.schemas import UserIn
from registry.services import users as user_service


@operation("get", "/users", "账号列表（管理员）", tag="users", answer=out.UserList, errors=(401, 403))
def list_users():
    return {"items": user_service.list_users(current_user)}


@operation("post", "/users", "新增账号（管理员）", tag="users", answer=out.User, status=201, body=UserIn, errors=(400, 401, 403))
def post_user():
    return user_service.create_user(current_user, json_body())
