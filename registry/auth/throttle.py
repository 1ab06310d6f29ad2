"""Sign-in throttling per login and per address (placeholder interface; helper H2 replaces the internals)."""
from __future__ import annotations

from datetime import datetime


class TooManyAttempts(Exception):
    """Sign-in refused for now; `retry_at` (aware datetime) says when to try again."""

    def __init__(self, retry_at: datetime):
        super().__init__(retry_at)
        self.retry_at = retry_at


def check(login: str) -> None:
    """Raise TooManyAttempts when `login` or the request's address is over its limit."""


def record_failure(login: str) -> None:
    """Count one failed sign-in for `login` and the request's address."""
