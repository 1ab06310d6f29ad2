"""Sign-in throttling per login and per address, counted where and how Flask-Limiter counts.

Both limits live in the limiter's storage (`RATELIMIT_STORAGE_URI`: memory:// for one process, redis://… shared
by every worker of every server) and follow its strategy (`RATELIMIT_STRATEGY`, fixed window by default):

- `LOGIN_FAILURES_PER_ACCOUNT` (5 per 15 minutes) counts failed sign-ins per login, whoever makes them and
  whether or not the login exists. Over it, the login cannot sign in, even with its right password, until the
  window ends; then its owner signs in as usual.
- `LOGIN_ATTEMPTS_PER_ADDRESS` (20 per minute) counts every POST to the sign-in page per client address (the
  login view's `limiter.limit(attempts_per_address, …)`).

Over either, the sign-in page answers 429 with the local time to try again and a `Retry-After` header, worded
the same for every login, existing or not. Simultaneous guesses that all pass `check` before any is recorded can
exceed the per-login limit by their number; the per-address limit bounds that.
"""
from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from flask import Response, current_app, flash, make_response, render_template, request
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from limits import RateLimitItem, parse

from registry.auth import bp
from registry.auth.forms import LoginForm
from registry.dates import TIMEZONE
from registry.errors_views import error_response
from registry.extensions import limiter

FAILURES_SCOPE = "login-failures"


class TooManyAttempts(Exception):
    """Sign-in refused for now; `retry_at` (aware datetime) says when to try again."""

    def __init__(self, retry_at: datetime):
        super().__init__(retry_at)
        self.retry_at = retry_at


def attempts_per_address() -> str:
    """The login view's limit per client address, in the limits notation (e.g. "20 per minute")."""
    return current_app.config["LOGIN_ATTEMPTS_PER_ADDRESS"]


def login_key(login: str) -> str:
    """The storage key of `login`: stripped, case-folded, then SHA-256 (64 hex characters).

    Variants of one login share their count, and no login is kept in the storage in the clear.
    """
    return hashlib.sha256(login.strip().casefold().encode()).hexdigest()


def _failures_limit() -> RateLimitItem:
    return parse(current_app.config["LOGIN_FAILURES_PER_ACCOUNT"])


def _identifiers(login: str) -> tuple[str, ...]:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
    return (prefix, FAILURES_SCOPE, login_key(login)) if prefix else (FAILURES_SCOPE, login_key(login))


def check(login: str) -> None:
    """Raise TooManyAttempts when `login` has used up its failures (LOGIN_FAILURES_PER_ACCOUNT) for now.

    The address's limit is the login view's limiter decorator; its refusal is answered like this one.
    Raises ValueError when LOGIN_FAILURES_PER_ACCOUNT is not in the limits notation.
    """
    item, identifiers = _failures_limit(), _identifiers(login)
    if not limiter.limiter.test(item, *identifiers):
        reset_at, _remaining = limiter.limiter.get_window_stats(item, *identifiers)
        raise TooManyAttempts(datetime.fromtimestamp(reset_at, TIMEZONE))


def record_failure(login: str) -> None:
    """Count one failed sign-in for `login` (the address's attempts are counted by the login view's limiter)."""
    limiter.limiter.hit(_failures_limit(), *_identifiers(login))


def refusal(retry_at: datetime) -> Response:
    """Refuse the request for now: status 429, a message with the local time to try again (rounded up to the
    minute, with the date when it is not today) and `Retry-After` in seconds (at least 1).

    The sign-in page is shown again with the message; another page of the blueprint (changing one's password)
    answers with the error page.
    """
    now = datetime.now(TIMEZONE)
    local = retry_at.astimezone(TIMEZONE)
    shown = local.replace(second=0, microsecond=0)
    if shown < local:
        shown += timedelta(minutes=1)
    when = shown.strftime("%H:%M") if shown.date() == now.date() else shown.strftime("%Y-%m-%d %H:%M")
    if request.endpoint == "auth.login":
        flash(_("登录尝试次数过多，请于 %(time)s 后再试。", time=when), "danger")
        response = make_response(render_template("auth/login.html", form=LoginForm()), 429)
    else:
        response = make_response(error_response(429, _("尝试次数过多，请于 %(time)s 后再试。", time=when)))
    response.headers["Retry-After"] = str(max(1, math.ceil((retry_at - now).total_seconds())))
    return response


@bp.errorhandler(TooManyAttempts)
def refuse_login(error: TooManyAttempts) -> Response:
    return refusal(error.retry_at)


@bp.errorhandler(RateLimitExceeded)
def refuse_address(_error: RateLimitExceeded) -> Response:
    return refusal(datetime.fromtimestamp(limiter.current_limit.window.reset_time, TIMEZONE))
