"""The registry's own channel of reminders: the bell and the list of one's notifications, the administrator's view
of deliveries, the one-click unsubscribe page of e-mails, and the bureau's work-group robot."""
from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from registry.notifications import views  # noqa: E402,F401
