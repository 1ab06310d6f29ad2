"""How Flask-Login finds who is calling, and which language a request gets.

`current_user` is the one way code asks who is calling: on the pages the user
of the signed session cookie, on the API the user of the bearer token. The two
never mix: an API request opens an empty session that is never saved, so a
browser's cookie cannot sign an API call in (the API has no CSRF protection and
needs none) and no API answer sets a cookie; and the pages ignore tokens.
"""
from __future__ import annotations

from flask import Flask, Request, current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from registry.api_paths import is_api_request
from registry.extensions import db
from registry.models import User
from registry.services.users import user_for_token


class PagesOnlySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session for the pages; an API request gets an empty one that is never saved."""

    def open_session(self, app: Flask, request: Request):
        if is_api_request(request):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        if not is_api_request(request):
            super().save_session(app, session, response)


def init(app: Flask, login_manager: LoginManager) -> None:
    """Give `app` its pages-only session and `login_manager` its two loaders: session cookie (pages), bearer token (API)."""
    app.session_interface = PagesOnlySessionInterface()
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The user of a page's session (an API request's session is always empty)."""
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None

    @login_manager.request_loader
    def load_user_from_token(request: Request) -> User | None:
        """The user of an API call: `Authorization: Bearer <token>`, a token not revoked, an active account."""
        credentials = request.authorization
        if not is_api_request(request) or credentials is None or credentials.type != "bearer" or not credentials.token:
            return None
        return user_for_token(credentials.token)


def select_locale() -> str:
    """Chinese unless the user picked another language (or the client asks for one we have)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the command line
        return languages[0]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages, default=languages[0])
