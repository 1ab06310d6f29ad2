"""The one-click unsubscribe link of every reminder e-mail: a signed token that names the account.

The token never expires — an e-mail read a year later must still work — and carries nothing but the user's id,
signed with the app's SECRET_KEY (itsdangerous), so it cannot be forged or pointed at another account. The page
that uses it is `notifications.unsubscribe` (/notifications/unsubscribe/<token>).
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from registry.extensions import db
from registry.models import User

SALT = "registry.reminders.unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def unsubscribe_token(user: User) -> str:
    """The URL-safe token of `user`'s unsubscribe link (the same for the same user and SECRET_KEY)."""
    return _serializer().dumps(user.id)


def user_for_unsubscribe_token(token: str) -> User | None:
    """The user a token of `unsubscribe_token` names; None when the token is malformed, forged or signed with
    another key, or its account no longer exists."""
    try:
        user_id = _serializer().loads(token)
    except BadData:
        return None
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    return db.session.get(User, user_id)
