"""Bearer-token authentication for every API request."""
from __future__ import annotations

from flask import g, request
from flask_login import AnonymousUserMixin
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from registry.api import bp
from registry.extensions import csrf
from registry.models import User
from registry.services.users import user_for_token

csrf.exempt(bp)

PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if user is None:
        raise Unauthorized(www_authenticate=WWWAuthenticate("Bearer"))
    g.api_user = user


def api_user() -> User | AnonymousUserMixin:
    return g.get("api_user") or AnonymousUserMixin()
