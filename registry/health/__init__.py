"""/healthz: the load balancer's and the monitoring's question, answered without signing in (registry.services.health)."""
from flask import Blueprint

from registry.extensions import csrf

bp = Blueprint("health", __name__)
csrf.exempt(bp)  # read only, no session: probes send no CSRF token

from registry.health import views  # noqa: E402,F401
