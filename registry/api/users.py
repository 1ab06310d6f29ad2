"""Accounts (admin). Tokens are minted by `flask users token LOGIN` or on the user's own token page."""
from flask import jsonify
from sqlalchemy import select

from registry import permissions
from registry.api import bp
from registry.api.auth import api_user
from registry.api.common import json_body
from registry.extensions import db
from registry.models import User
from registry.services.users import create_user


def user_dict(user: User) -> dict:
    return {
        "id": user.id,
        "login": user.login,
        "role": user.role,
        "school_id": user.school_id,
        "teacher_id": user.teacher_id,
        "display_name": user.display_name,
        "active": user.active,
    }


@bp.get("/users")
def list_users():
    user = api_user()
    permissions.require(user, "manage_users")
    return {"items": [user_dict(u) for u in db.session.scalars(select(User).order_by(User.id))]}


@bp.post("/users")
def post_user():
    return jsonify(user_dict(create_user(api_user(), json_body()))), 201
