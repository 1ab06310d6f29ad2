"""Request parsing shared by the API handlers."""
from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from registry.errors import Invalid
from registry.extensions import db
from registry.schemas.queries import Paging, Query, parse_query


def json_body() -> dict[str, Any]:
    """The JSON object sent; Invalid when the body is not one."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid({"__all__": _("请求体应为 JSON 对象")})
    return data


def optional_body() -> dict[str, Any]:
    """Like json_body, but no body at all reads as {} (e.g. a decision whose note is left out)."""
    return json_body() if request.get_data(cache=True) else {}


def load_query(model: type[Query]) -> Query:
    """The query parameters as `model`; Invalid names every bad one."""
    return parse_query(model, request.args)


def paginate(select: Select, paging: Paging) -> Pagination:
    """The page `paging` asks for (an empty one past the end), with the total."""
    return db.paginate(select, page=paging.page, per_page=paging.per_page, error_out=False, count=True)
