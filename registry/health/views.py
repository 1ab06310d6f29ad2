from flask import jsonify

from registry.extensions import limiter
from registry.health import bp
from registry.services.health import check_health


@bp.get("/healthz")
@limiter.exempt  # probed every few seconds by every load balancer and monitor, from a handful of addresses
def healthz():
    """200 with the verdicts' freshness while the database answers ("ok" or "stale"), 503 "unavailable" otherwise."""
    health = check_health()
    response = jsonify(health.to_json())
    response.status_code = health.http_status
    response.headers["Cache-Control"] = "no-store"
    return response
