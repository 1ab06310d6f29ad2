"""The OpenAPI 3.1 document of /api/v1, generated from the operations the handlers are declared with.

Every operation comes from `registry.api.routes.OPERATIONS` (the declarations
the routes are registered from); request bodies and query parameters are the
pydantic models the code validates input with, answers the serialisers the
handlers answer with. A test checks that every route is described here and
nothing else is, and Schemathesis checks the live answers against the document.
"""
from __future__ import annotations

import copy
from typing import Any

from flask import current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from registry.api.routes import JSON_DOCUMENT, OPERATIONS, Content, Operation, operation
from registry.api_paths import URL_PREFIX
from registry.schemas import MAX_ID
from registry.serializers import Error

ERROR_TEXT = {400: "输入有误：errors 逐项列出每个错误字段", 401: "未提供令牌或令牌无效", 403: "该角色不能进行此操作", 404: "记录不存在或不在调用者的权限范围内", 409: "操作与记录当前状态不符"}
UPLOAD = {
    "type": "object",
    "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary", "description": "PDF、JPEG 或 PNG，不超过 10 MB"}},
}


def component_schemas() -> tuple[dict[str, Any], dict[str, str]]:
    """components.schemas for every body and answer, and each one's reference (bodies as validated, answers as sent)."""
    modes = {op.body: "validation" for op in OPERATIONS if op.body is not None}
    modes |= {op.answer: "serialization" for op in OPERATIONS if isinstance(op.answer, type)}
    modes[Error] = "serialization"
    keys, definitions = models_json_schema(
        sorted(modes.items(), key=lambda item: item[0].__name__), ref_template="#/components/schemas/{model}"
    )
    refs = {model.__name__: ref["$ref"] for (model, _mode), ref in keys.items()}
    schemas = definitions.get("$defs", {})
    for op in OPERATIONS:
        if op.partial and op.body is not None:
            name = op.body.__name__
            partial = copy.deepcopy(schemas[name])
            partial.pop("required", None)
            partial["title"] = f"{name}Patch"
            schemas[f"{name}Patch"] = partial
            refs[f"{name}Patch"] = f"#/components/schemas/{name}Patch"
    return schemas, refs


def query_parameters(model: type[BaseModel], leave_out: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The query parameters described by the pydantic model that parses them."""
    document = model.model_json_schema(ref_template="#/components/schemas/{model}")
    return [
        {"in": "query", "required": False, "name": name, "schema": never_null(prop),
         **({"description": prop["description"]} if "description" in prop else {})}
        for name, prop in document["properties"].items()
        if name not in leave_out
    ]


def never_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is left out, never null: `X | None = None` is described as X."""
    kinds = [kind for kind in schema.get("anyOf", ()) if kind != {"type": "null"}]
    if len(kinds) != 1 or len(schema["anyOf"]) != 2:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf" and not (key == "default" and value is None)}
    return {**kinds[0], **rest}


def path_parameters(path: str) -> list[dict[str, Any]]:
    """The OpenAPI parameter objects of `path`'s {names}: each a required record id (integer 1..MAX_ID)."""
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return [{"name": n, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}} for n in names]


def answer_content(op: Operation, refs: dict[str, str]) -> dict[str, Any] | None:
    if op.answer is None:
        return None
    if isinstance(op.answer, Content):
        return {media: {"schema": schema} for media, schema in op.answer.media.items()}
    return {"application/json": {"schema": {"$ref": refs[op.answer.__name__]}}}


def operation_id(op: Operation) -> str:
    """A unique operationId from the method and path: get /teachers/{teacher_id} -> "get_teachers_teacher_id"."""
    path = op.path.strip("/").replace("/", "_").replace("{", "").replace("}", "").replace(".", "_").replace("-", "_")
    return f"{op.method}_{path}"


def operation_object(op: Operation, refs: dict[str, str]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "operationId": operation_id(op),
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": path_parameters(op.path) + (query_parameters(op.query, op.leave_out) if op.query else []),
        "responses": {},
    }
    if op.public:
        doc["security"] = []
    if op.body is not None:
        ref = refs[f"{op.body.__name__}Patch" if op.partial else op.body.__name__]
        doc["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"$ref": ref}}}}
    if op.upload:
        doc["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": UPLOAD}}}
    ok: dict[str, Any] = {"description": "成功" if op.status != 204 else "已删除"}
    content = answer_content(op, refs)
    if content:
        ok["content"] = content
    doc["responses"][str(op.status)] = ok
    for code in op.errors:
        doc["responses"][str(code)] = {"description": ERROR_TEXT[code], "content": {"application/json": {"schema": {"$ref": refs["Error"]}}}}
    return doc


def build_document(server_url: str = URL_PREFIX) -> dict[str, Any]:
    """The whole document, `server_url` being where /api/v1 is served."""
    schemas, refs = component_schemas()
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = operation_object(op, refs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "专业教师资质与企业实践登记系统 API",
            "version": "1.0.0",
            "description": "丹东市职业学校专业教师招聘资格、企业实践、全员轮训与领导班子规则的登记与核查接口。代码与结果字段见 rules.md 与 api.md。",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": schemas},
        "paths": paths,
    }


@operation("get", "/openapi.json", "本文档", tag="meta", answer=JSON_DOCUMENT, errors=(), public=True)
def openapi():
    return build_document(current_app.config.get("APPLICATION_ROOT", "").rstrip("/") + URL_PREFIX)
