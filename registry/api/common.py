"""Request parsing shared by the API endpoints."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy import Select

from registry.dates import parse_as_of, today
from registry.errors import Invalid
from registry.extensions import db
from registry.schemas import MAX_ID, MAX_PAGE

MAX_PER_PAGE = 200


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid({"__all__": _("请求体应为 JSON 对象")})
    return data


def query_int(name: str, default: int, minimum: int = 1, maximum: int = MAX_ID) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not minimum <= int(raw) <= maximum:
        raise Invalid({name: _("应为 %(minimum)s 到 %(maximum)s 之间的整数", minimum=minimum, maximum=maximum)})
    return int(raw)


def query_as_of() -> date:
    raw = request.args.get("as_of")
    if raw is None or raw == "":
        return today()
    as_of = parse_as_of(raw)
    if as_of is None:
        raise Invalid({"as_of": _("不是有效日期，请用 YYYY-MM-DD 格式")})
    return as_of


def paginated(query: Select, render) -> dict[str, Any]:
    page = query_int("page", 1, maximum=MAX_PAGE)
    per_page = query_int("per_page", current_app.config["PER_PAGE"], maximum=MAX_PER_PAGE)
    result = db.paginate(query, page=page, per_page=per_page, error_out=False, count=True)
    return {"items": [render(item) for item in result.items], "total": result.total, "page": page, "per_page": per_page}
