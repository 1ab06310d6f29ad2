"""The city education bureau's pages: the compliance list and its exports, the dashboard, hire exceptions."""
from flask import Blueprint

bp = Blueprint("bureau", __name__, url_prefix="/bureau")

from registry.bureau import views  # noqa: E402,F401
