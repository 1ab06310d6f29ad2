"""Small helpers the page views share."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar
from urllib.parse import urlsplit

from flask import flash, request, url_for
from flask_babel import gettext as _
from wtforms import Form

from registry.dates import today
from registry.errors import Invalid
from registry.schemas.queries import AsOfQuery, Paging, parse_query, parse_query_leniently

T = TypeVar("T")


def as_of_from_request() -> date:
    """The `as_of` query parameter (registry.schemas.queries.AsOfQuery), or today; a bad value is reported and replaced by today."""
    as_of, warning = as_of_and_warning()
    if warning:
        flash(warning, "warning")
    return as_of


def as_of_and_warning() -> tuple[date, str | None]:
    """The `as_of` query parameter or today, and what to tell the user about a bad value.

    For a page that flashes the warning only once its service allowed the request (a refusal leaves none behind).
    """
    try:
        return parse_query(AsOfQuery, request.args).day(), None
    except Invalid as exc:
        return today(), _("核算日期“%(value)s”：%(reason)s，已按今天计算。", value=request.args["as_of"], reason=exc.errors["as_of"])


def page_arg() -> int:
    """The `page` query parameter (registry.schemas.queries.Paging); 1 when absent or not a page number."""
    return parse_query_leniently(Paging, request.args).page


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


def save_or_show(form: Form, save: Callable[[], T]) -> T | None:
    """What a service call saved; None when the service refused (Invalid), with its errors put on the form."""
    try:
        return save()
    except Invalid as exc:
        show_errors(form, exc)
        return None
