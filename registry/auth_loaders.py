"""How Flask-Login finds who is calling, how long a page session lasts, and which language a request gets.

`current_user` is the one way code asks who is calling: on the pages the user
of the signed session cookie, on the API the user of the bearer token. The two
never mix: an API request opens an empty session that is never saved, so a
browser's cookie cannot sign an API call in (the API has no CSRF protection and
needs none) and no API answer sets a cookie; and the pages ignore tokens.

A page session names the account and its session token ("<id>:<token>", User.get_id):
replacing the token (sign-out, password change or reset, disabling) ends every session
of that account. It also carries when it was signed in and last used: past
SESSION_IDLE_MINUTES without a request or SESSION_MAX_HOURS after signing in it ends,
and the browser drops the cookie at the same absolute end. There is no remember-me cookie.
"""
from __future__ import annotations

import hmac
import time
from datetime import UTC, datetime, timedelta

from flask import Flask, Request, current_app, flash, g, has_request_context, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user

from registry.api_paths import is_api_request
from registry.extensions import db
from registry.models import User
from registry.services.users import user_for_token

# Session keys: Unix times (whole seconds) of the sign-in and of the latest request.
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# Pages an account with a one-time password may still open (anything else sends it to change the password).
OPEN_BEFORE_PASSWORD_CHANGE = frozenset({"auth.change_password", "auth.logout", "static", "main.favicon"})


class PagesOnlySessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session for the pages; an API request gets an empty one that is never saved."""

    def open_session(self, app: Flask, request: Request):
        if is_api_request(request):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        if not is_api_request(request):
            super().save_session(app, session, response)

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured so, and always on a request that came over HTTPS (behind a proxy: ProxyFix)."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)

    def get_expiration_time(self, app: Flask, session) -> datetime | None:
        """A signed-in session's cookie expires SESSION_MAX_HOURS after the sign-in, however often it is used."""
        signed_in_at = session.get(SIGNED_IN_AT)
        if session.permanent and isinstance(signed_in_at, int):
            return datetime.fromtimestamp(signed_in_at, UTC) + app.permanent_session_lifetime
        return super().get_expiration_time(app, session)


def start_session(user: User) -> None:
    """Sign `user` in on this browser: a session that lasts SESSION_MAX_HOURS at most, and no remember-me cookie."""
    login_user(user, remember=False)
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = int(time.time())
    session.permanent = True
    remember_language(user)


def renew_session(user: User) -> None:
    """Keep this browser signed in after `user`'s session token was replaced (its own password change).

    The sign-in time stays: the absolute lifetime still counts from the original sign-in.
    """
    login_user(user, remember=False)


def end_session() -> None:
    """Sign this browser out (the account's other sessions are untouched)."""
    logout_user()
    session.pop(SIGNED_IN_AT, None)
    session.pop(LAST_SEEN_AT, None)


def session_expired(now: int) -> bool:
    """Whether the signed-in session of this request is past its idle or absolute limit (or never had its times)."""
    signed_in_at, last_seen_at = session.get(SIGNED_IN_AT), session.get(LAST_SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(last_seen_at, int):
        return True
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    lifetime = current_app.config["SESSION_MAX_HOURS"] * 3600
    return now - last_seen_at > idle or now - signed_in_at > lifetime


def enforce_session_limits():
    """Before each page request: end a session past its limits and send the browser to sign in; else note the request."""
    if is_api_request(request) or request.endpoint == "static" or "_user_id" not in session:
        return None
    now = int(time.time())
    if not session_expired(now):
        session[LAST_SEEN_AT] = now
        return None
    end_session()
    if request.endpoint == "auth.login":  # signing in again: let the form go through
        return None
    flash(_("登录已超时，请重新登录。"), "warning")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))


def require_password_change():
    """Before each page request: an account with a one-time password may only replace it (or sign out)."""
    if is_api_request(request) or request.endpoint in OPEN_BEFORE_PASSWORD_CHANGE:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


def init(app: Flask, login_manager: LoginManager) -> None:
    """Give `app` its pages-only session with its time limits, and `login_manager` its two loaders: session cookie
    (pages), bearer token (API)."""
    app.session_interface = PagesOnlySessionInterface()
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_MAX_HOURS"])
    app.before_request(enforce_session_limits)
    app.before_request(require_password_change)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The user of a page's session ("<id>:<session token>"; an API request's session is always empty).

        None, so the page asks to sign in, when the token is no longer the account's or the account is disabled.
        """
        user_id, _sep, token = session_id.partition(":")
        user = db.session.get(User, int(user_id)) if user_id.isascii() and user_id.isdigit() and token else None
        if user is None or not user.active or not hmac.compare_digest(user.session_token.encode(), token.encode()):
            return None
        return user

    @login_manager.request_loader
    def load_user_from_token(request: Request) -> User | None:
        """The user of an API call: `Authorization: Bearer <token>`, a token not revoked, an active account."""
        credentials = request.authorization
        if not is_api_request(request) or credentials is None or credentials.type != "bearer" or not credentials.token:
            return None
        return user_for_token(credentials.token)


# Session key of the language chosen on this browser (the account's choice is copied here at sign-in and on change).
LANGUAGE = "lang"


def select_locale() -> str:
    """The pages' language: the signed-in account's choice (User.language), else this browser's session choice,
    else the best the browser asks for (Accept-Language) among Config.LANGUAGES, else Chinese.

    The account is read only once Flask-Login has loaded it for the request: choosing a language never loads the
    account itself (an error page rendered while the database is away must not ask it again).
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # the command line
        return languages[0]
    account_choice = getattr(g.get("_login_user"), "language", None)
    if account_choice in languages:
        return account_choice
    chosen = session.get(LANGUAGE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages, default=languages[0])


def remember_language(user: User) -> None:
    """Make this browser's session follow the account's language choice (none: the browser's own)."""
    if user.language:
        session[LANGUAGE] = user.language
    else:
        session.pop(LANGUAGE, None)
