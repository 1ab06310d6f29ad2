"""How Flask-Login finds the signed-in user, and which language a request gets."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from registry.extensions import db
from registry.models import User


def init(login_manager: LoginManager) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None


def select_locale() -> str:
    """Chinese unless the user picked another language (or the client asks for one we have)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the command line
        return languages[0]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages, default=languages[0])
