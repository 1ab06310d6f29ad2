"""JSON API v1 (api.md). Bearer tokens only: no session cookie, so no CSRF."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from registry.api import auth, compliance, openapi, practice, records, schools, teachers, users  # noqa: E402,F401
