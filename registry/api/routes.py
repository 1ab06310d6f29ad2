"""The operations of /api/v1, each declared once beside its handler.

`@operation(...)` registers the handler on the blueprint, records the operation
for the OpenAPI document (registry.api.openapi builds it from OPERATIONS only),
and turns what the handler returns into the answer the declaration promises:

- `answer` a serialiser (registry.serializers): the handler returns the ORM object,
  rule result or a dict of them, and the answer is that model's JSON as the caller
  may see it, with `status`;
- `answer=None`: 204 and no body (the handler returns None);
- `answer` a `Content` (files, the document itself): the handler returns a Response,
  or a dict sent as it is.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Response, jsonify
from flask_login import current_user
from pydantic import BaseModel

from registry import media_types
from registry.api import bp
from registry.rules.vocabulary import FileType
from registry.serializers import Answer, dump

BINARY = {"type": "string", "format": "binary"}


@dataclass(frozen=True)
class Content:
    """An answer that is not a serialised model: each media type it may have, with its JSON Schema."""

    media: dict[str, dict[str, Any]]


CSV = Content({"text/csv": {"type": "string"}})
XLSX = Content({media_types.XLSX: BINARY})
EVIDENCE_FILE = Content({kind: BINARY for kind in FileType.codes()})
JSON_DOCUMENT = Content({"application/json": {"type": "object"}})


@dataclass(frozen=True)
class Operation:
    method: str  # lower case, as OpenAPI writes it
    path: str  # OpenAPI form, below /api/v1: /teachers/{teacher_id}
    endpoint: str  # the view's name on the blueprint
    summary: str
    tag: str
    answer: type[Answer] | Content | None
    status: int
    body: type[BaseModel] | None  # the schema the service loads the JSON body with
    partial: bool  # PATCH: every field of the body optional
    upload: bool  # a multipart body with one file
    query: type[BaseModel] | None  # the model that parses the query parameters
    leave_out: tuple[str, ...]  # parameters of `query` this operation does not take
    errors: tuple[int, ...]
    public: bool  # no token needed


OPERATIONS: list[Operation] = []

# Every path parameter is a record id: <int:name>.
PATH_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def openapi_path(rule: str) -> str:
    """/teachers/<int:teacher_id> -> /teachers/{teacher_id}; refuses a parameter that is not an id."""
    for converter, name in PATH_PARAMETER.findall(rule):
        if converter != "int":
            raise ValueError(f"{rule}: the path parameter {name} must be <int:{name}>")
    return PATH_PARAMETER.sub(r"{\2}", rule)


def operation(
    method: str,
    rule: str,
    summary: str,
    *,
    tag: str,
    answer: type[Answer] | Content | None = None,
    status: int = 200,
    body: type[BaseModel] | None = None,
    partial: bool = False,
    upload: bool = False,
    query: type[BaseModel] | None = None,
    leave_out: tuple[str, ...] = (),
    errors: tuple[int, ...] = (400, 401, 403, 404),
    public: bool = False,
    endpoint: str | None = None,
) -> Callable[[Callable], Callable]:
    """Declare an operation: `method` on the Flask `rule` (below /api/v1) answered by the decorated handler.

    The endpoint is the handler's name unless `endpoint` is given. Returns the handler unchanged.
    """

    def register(view: Callable) -> Callable:
        declared = Operation(
            method.lower(), openapi_path(rule), endpoint or view.__name__, summary, tag, answer, status,
            body, partial, upload, query, leave_out, errors, public,
        )
        OPERATIONS.append(declared)
        bp.add_url_rule(rule, declared.endpoint, answering(declared, view), methods=[method.upper()])
        return view

    return register


def answering(declared: Operation, view: Callable) -> Callable:
    """The view Flask calls: the handler, its result turned into the declared answer."""

    @wraps(view)
    def answer(**kwargs: Any):
        result = view(**kwargs)
        if isinstance(result, Response):
            return result
        if declared.answer is None:
            return Response(status=204)
        if isinstance(declared.answer, Content):
            return jsonify(result), declared.status
        return jsonify(dump(declared.answer, result, current_user)), declared.status

    return answer


def is_public(endpoint: str | None) -> bool:
    """Whether the blueprint endpoint (api.openapi) is declared public: answered without a token."""
    return any(f"{bp.name}.{op.endpoint}" == endpoint for op in OPERATIONS if op.public)
