from flask import Blueprint

bp = Blueprint("imports", __name__, url_prefix="/imports")

from registry.imports import views  # noqa: E402,F401
