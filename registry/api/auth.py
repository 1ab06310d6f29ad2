"""Every API call but the public ones needs a bearer token.

Flask-Login loads the token's user into `current_user` (registry.auth_loaders);
here a call without a valid token is refused with 401 and a Bearer challenge.
"""
from __future__ import annotations

from flask import request
from flask_login import current_user

from registry.api import bp
from registry.api.routes import is_public
from registry.errors_views import error_response
from registry.extensions import csrf

csrf.exempt(bp)  # no session cookie signs an API call in (registry.auth_loaders), so there is no CSRF to fear


@bp.before_request
def require_a_token():
    """401 with a Bearer challenge (RFC 6750) unless the call is public or its token named an active user."""
    if not is_public(request.endpoint) and not current_user.is_authenticated:
        body, status = error_response(401)
        return body, status, {"WWW-Authenticate": "Bearer"}
    return None
