"""The password policy (OWASP ASVS 2.1): long enough, not too long, and not easy to guess.

No composition rules: length and zxcvbn's estimate of how many guesses a password takes decide. zxcvbn's
dictionaries include the common-password lists, so "password1234" or "123456789012" are refused as weak.
Every place that sets a password (create_user, change_password, the command line) calls `check_password`.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from zxcvbn import zxcvbn

from registry.errors import Invalid

MIN_LENGTH = 12
MAX_LENGTH = 200
# zxcvbn's score: 3 is "safely unguessable: moderate protection from offline slow-hash scenario" (< 10^10 guesses).
MIN_SCORE = 3
# zxcvbn's time grows with the length of what it reads, so it reads at most 72 characters (its own limit):
# a longer password is judged by its beginning.
ESTIMATED_PREFIX = 72


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why `password` is refused (a Chinese sentence), or None when it is acceptable.

    Length counts characters, not bytes. `user_inputs` are the account's own words (login, display name):
    a password built from them is weak.
    """
    if len(password) < MIN_LENGTH:
        return _("密码至少需要 %(count)d 个字符（可以是一句话，中文、字母、数字、符号都可以）", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("密码最多 %(count)d 个字符", count=MAX_LENGTH)
    words = [word for word in user_inputs if word]
    if zxcvbn(password[:ESTIMATED_PREFIX], user_inputs=words, max_length=ESTIMATED_PREFIX)["score"] < MIN_SCORE:
        return _("密码太容易被猜到（常见密码、键盘序列、重复字符或与登录名相近）。请换一个更长、更少见的密码，例如几个不相关的词。")
    return None


def check_password(password: str, user_inputs: Iterable[str] = (), field: str = "password") -> None:
    """Raise Invalid({field: message}) when `password` breaks the policy (see password_problem)."""
    problem = password_problem(password, user_inputs)
    if problem is not None:
        raise Invalid({field: problem})
