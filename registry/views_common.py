"""Small helpers the page views share."""
from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import flash, request, url_for
from flask_babel import gettext as _
from wtforms import Form

from registry.dates import parse_as_of, today
from registry.errors import Invalid
from registry.schemas import MAX_ID, MAX_PAGE


def as_of_from_request() -> date:
    """The `as_of` query parameter, or today; a bad value is reported and replaced by today."""
    raw = request.args.get("as_of")
    as_of = parse_as_of(raw)
    if raw and as_of is None:
        flash(_("“%(value)s”不是有效日期，已按今天计算。", value=raw), "warning")
    return as_of or today()


def int_arg(name: str, default: int | None = None, maximum: int = MAX_ID) -> int | None:
    """A whole-number query argument within 1..maximum; anything else counts as absent."""
    raw = request.args.get(name, "")
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= maximum:
        return int(raw)
    return default


def page_arg() -> int:
    return int_arg("page", 1, maximum=MAX_PAGE)


def safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a signed-in user to another host.

    Browsers read a backslash as a slash ("/\\evil.example" goes to //evil.example) and drop
    tabs and line breaks inside a URL, so a target holding any of them is refused too.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not any(ord(char) < 0x20 or ord(char) == 0x7F for char in target)
        and urlsplit(target).netloc == ""
    ):
        return target
    return url_for("main.index")


def show_errors(form: Form, exc: Invalid) -> None:
    """Put the service's field errors on the form's fields; the rest becomes a flash message."""
    for name, message in exc.errors.items():
        field = getattr(form, name.split(".")[0], None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [message]
        else:
            flash(message, "danger")
