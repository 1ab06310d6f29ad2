from flask import Blueprint

bp = Blueprint("policies", __name__, url_prefix="/policies")

from registry.policies import views  # noqa: E402,F401
