"""JSON API v1 (api.md). Bearer tokens only: no session cookie, so no CSRF.

Each operation is declared once with `registry.api.routes.operation`, which
registers its handler here and describes it in the OpenAPI document.
"""
from flask import Blueprint, Request

URL_PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=URL_PREFIX)


def is_api_request(request: Request) -> bool:
    """Whether a request is for the API; known from its path, so also before routing and for unknown URLs."""
    return request.path == URL_PREFIX or request.path.startswith(URL_PREFIX + "/")


from registry.api import auth, compliance, openapi, practice, records, schools, teachers, users  # noqa: E402,F401
