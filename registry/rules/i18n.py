"""Message markers for the rule package, without a translation library.

The Chinese label values and the sentence templates of explain.py are msgids:
`N_` marks each literal for `pybabel extract` (N_ is one of its default
keywords) and returns it unchanged. The package never translates by itself;
`explain()` takes a `translate` callable from its caller (the app passes
flask_babel.gettext) and the app wraps the label dicts it shows.
"""
from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark `message` for extraction; it is translated later, where it is shown."""
    return message


def identity(message: str) -> str:
    """The translate function that keeps the Chinese msgid."""
    return message
