"""Checks every request passes before any view runs: text without control characters, JSON that is not too deep.

One place for the whole kind, so that a new form, API operation or query
parameter is covered without a line of its own:

- the path, every query parameter, every form field (the text fields of a
  multipart upload and the uploads' file names; never the files' bytes) and
  every string and key of a JSON body: a control character (C0 but tab, line
  feed and carriage return, DEL, C1) or, in JSON, a lone surrogate (\\ud800,
  which cannot be encoded for the database) is a 400 naming the field;
- a JSON body that is not JSON, or is nested deeper than MAX_JSON_DEPTH, is a
  400 before a view reads it; the parser itself (GuardedJSONProvider) turns
  recursion that runs out into a ValueError, so no read of a JSON body can
  fail with anything else.

The API answers {"errors": {field: message}} (api.md); a page answers the 400
error page in Chinese naming the field.
"""
from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import Any

from flask import Flask, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _

from registry.errors_views import error_response
from registry.schemas.fields import CONTROL_CHARACTERS

MAX_JSON_DEPTH = 20  # the API's bodies are flat objects; 20 levels leave room and keep any walk over a body short
# A lone surrogate can only come from a JSON \u escape: form and query text is decoded with replacement.
UNACCEPTABLE = re.compile(rf"[{CONTROL_CHARACTERS}\ud800-\udfff]")
ROOT = "__all__"  # the body as a whole, as registry.schemas.errors names it
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


class JSONTooDeep(ValueError):
    """A JSON document nested deeper than MAX_JSON_DEPTH (or deeper than the parser can recurse)."""


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON with a parser that fails only with ValueError: JSONTooDeep where it would run out of recursion."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise JSONTooDeep("nested deeper than the parser can recurse") from None


def shown(name: str) -> str:
    """A field name as an error may name it: its unacceptable characters written as escapes (\\x00)."""
    return UNACCEPTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)


def json_strings(value: Any) -> Iterator[tuple[str, str]]:
    """(path, text) of every key and string in a parsed JSON document, paths as errors name them (employment.0.end).

    Raises JSONTooDeep beyond MAX_JSON_DEPTH levels of arrays and objects. Walks level by level, not by recursion.
    """
    queue: deque[tuple[str, Any, int]] = deque([("", value, 0)])
    while queue:
        path, item, depth = queue.popleft()
        if isinstance(item, str):
            yield path, item
        elif isinstance(item, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise JSONTooDeep(f"{path or ROOT} is nested deeper than {MAX_JSON_DEPTH} levels")
            for key, child in item.items() if isinstance(item, dict) else enumerate(item):
                child_path = f"{path}.{key}" if path else str(key)
                if isinstance(key, str):
                    yield child_path, key
                queue.append((child_path, child, depth + 1))


def request_texts() -> Iterator[tuple[str, str]]:
    """(field, text) of every piece of text the request carries, the JSON body's included.

    Raises JSONTooDeep, or ValueError for a JSON body that is not JSON.
    """
    yield "path", request.path
    fields = list(request.args.items(multi=True))
    if request.mimetype in FORMS:
        fields += request.form.items(multi=True)
        fields += [(name, upload.filename or "") for name, upload in request.files.items(multi=True)]
    for name, text in fields:
        name = name or ""  # werkzeug names a multipart part whose name it cannot read (name="\") None
        yield name, name
        yield name, text
    if request.is_json and request.get_data(cache=True):
        body = request.get_json(silent=True)  # parsed once, kept for the view
        if body is None:  # not JSON, too deep, or the JSON null: parse again to say which
            current_app.json.loads(request.get_data(cache=True))
            return  # null: the view says what it expected instead
        yield from json_strings(body)


def check_request() -> Any:
    """Before every view: a 400 naming every field with unacceptable text, or the body; None lets the request on."""
    errors: dict[str, str] = {}
    try:
        for field, text in request_texts():
            if UNACCEPTABLE.search(text):
                errors.setdefault(shown(field) or ROOT, _("含有不允许的控制字符（如 NUL、退格），请删除后重试"))
    except JSONTooDeep:
        errors[ROOT] = _("JSON 嵌套不能超过 %(n)s 层", n=MAX_JSON_DEPTH)
    except ValueError:
        errors[ROOT] = _("请求体不是有效的 JSON")
    if not errors:
        return None
    names = _("、").join(f"“{field}”" for field in errors)
    return error_response(400, _("%(names)s：%(message)s。", names=names, message=next(iter(errors.values()))), errors)


def init(app: Flask) -> None:
    app.json = GuardedJSONProvider(app)
    app.before_request(check_request)
