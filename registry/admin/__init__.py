from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/users")

from registry.admin import views  # noqa: E402,F401
