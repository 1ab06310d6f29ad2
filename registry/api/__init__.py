"""JSON API v1 (api.md). Bearer tokens only: no session cookie, so no CSRF.

Each operation is declared once with `registry.api.routes.operation`, which
registers its handler here and describes it in the OpenAPI document.
"""
from flask import Blueprint

from registry.api_paths import URL_PREFIX

bp = Blueprint("api", __name__, url_prefix=URL_PREFIX)


from registry.api import auth, compliance, openapi, practice, records, schools, teachers, users  # noqa: E402,F401
