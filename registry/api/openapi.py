"""The OpenAPI 3.1 document of /api/v1, generated from the schemas the code validates with.

Request bodies are the pydantic models of registry.schemas that the services
load input with; answers are the models of registry.api.shapes. A test checks
that every route of the blueprint is described here and nothing else is, and
Schemathesis checks the live answers against this document.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from registry.api import bp
from registry.api import shapes as out
from registry.schemas import (
    MAX_ID,
    MAX_PAGE,
    CertificateIn,
    ComplianceQueryIn,
    EmploymentIn,
    NoteIn,
    PolicyIn,
    PracticeIn,
    ReasonIn,
    SchoolIn,
    TeacherIn,
    TrainingIn,
)
from registry.services.users import UserIn

DATE = {"type": "string", "format": "date"}
PAGE = ({"name": "page", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}}, {"name": "per_page", "schema": {"type": "integer", "minimum": 1, "maximum": 200}})
AS_OF = ({"name": "as_of", "schema": DATE, "description": "核算日期，默认今天"},)


def query_parameters(schema: type[BaseModel], leave_out: tuple[str, ...] = ()) -> tuple[dict, ...]:
    """Query parameters described by the pydantic model that parses them."""
    document = schema.model_json_schema(ref_template="#/components/schemas/{model}")
    return tuple(
        {"name": name, "schema": prop, **({"description": prop["description"]} if "description" in prop else {})}
        for name, prop in document["properties"].items()
        if name not in leave_out
    )


COMPLIANCE_FILTERS = query_parameters(ComplianceQueryIn, leave_out=("page", "per_page"))
COMPLIANCE_LIST_QUERY = query_parameters(ComplianceQueryIn)
FILE_TYPES = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"schema": {"type": "string", "format": "binary"}},
}
ERROR_TEXT = {400: "输入有误：errors 逐项列出每个错误字段", 401: "未提供令牌或令牌无效", 403: "该角色不能进行此操作", 404: "记录不存在或不在调用者的权限范围内", 409: "操作与记录当前状态不符"}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    tag: str
    answer: type[BaseModel] | str | None = None  # a model, "csv/xlsx", "file", or None for 204
    status: int = 200
    body: type[BaseModel] | None = None
    partial: bool = False  # PATCH: every field optional
    upload: bool = False
    query: tuple[dict, ...] = ()
    errors: tuple[int, ...] = (400, 401, 403, 404)
    public: bool = False
    extra: dict = field(default_factory=dict)


OPERATIONS: tuple[Operation, ...] = (
    Operation("get", "/schools", "学校列表", "schools", out.SchoolList, errors=(401,)),
    Operation("post", "/schools", "新增学校（管理员）", "schools", out.School, 201, SchoolIn, errors=(400, 401, 403)),
    Operation("get", "/teachers", "教师列表", "teachers", out.TeacherPage, query=({"name": "school_id", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}, {"name": "q", "schema": {"type": "string"}}, *PAGE), errors=(400, 401, 403)),
    Operation("post", "/teachers", "新增教师（学校人事）", "teachers", out.Teacher, 201, TeacherIn, errors=(400, 401, 403)),
    Operation("get", "/teachers/{teacher_id}", "教师详情", "teachers", out.Teacher, errors=(401, 404)),
    Operation("patch", "/teachers/{teacher_id}", "修改教师（学校人事）", "teachers", out.Teacher, body=TeacherIn, partial=True),
    Operation("delete", "/teachers/{teacher_id}", "删除教师（学校人事）", "teachers", None, 204, errors=(401, 403, 404)),
    Operation("get", "/teachers/{teacher_id}/employment", "工作经历列表", "records", out.EmploymentList, errors=(401, 404)),
    Operation("post", "/teachers/{teacher_id}/employment", "新增工作经历", "records", out.Employment, 201, EmploymentIn),
    Operation("patch", "/employment/{record_id}", "修改工作经历", "records", out.Employment, body=EmploymentIn, partial=True),
    Operation("delete", "/employment/{record_id}", "删除工作经历", "records", None, 204, errors=(401, 403, 404)),
    Operation("get", "/teachers/{teacher_id}/certificates", "证书列表", "records", out.CertificateList, errors=(401, 404)),
    Operation("post", "/teachers/{teacher_id}/certificates", "新增证书", "records", out.Certificate, 201, CertificateIn),
    Operation("patch", "/certificates/{record_id}", "修改证书", "records", out.Certificate, body=CertificateIn, partial=True),
    Operation("delete", "/certificates/{record_id}", "删除证书", "records", None, 204, errors=(401, 403, 404)),
    Operation("get", "/teachers/{teacher_id}/training", "培训记录列表", "records", out.TrainingList, errors=(401, 404)),
    Operation("post", "/teachers/{teacher_id}/training", "新增培训记录", "records", out.Training, 201, TrainingIn),
    Operation("patch", "/training/{record_id}", "修改培训记录", "records", out.Training, body=TrainingIn, partial=True),
    Operation("delete", "/training/{record_id}", "删除培训记录", "records", None, 204, errors=(401, 403, 404)),
    Operation("get", "/teachers/{teacher_id}/practice", "企业实践记录列表", "practice", out.PracticeList, errors=(401, 404)),
    Operation("post", "/teachers/{teacher_id}/practice", "新增企业实践记录（教师本人）", "practice", out.Practice, 201, PracticeIn, errors=(400, 401, 403, 404, 409)),
    Operation("patch", "/practice/{record_id}", "修改企业实践记录", "practice", out.Practice, body=PracticeIn, partial=True, errors=(400, 401, 403, 404, 409)),
    Operation("delete", "/practice/{record_id}", "删除企业实践记录", "practice", None, 204, errors=(401, 403, 404, 409)),
    Operation("post", "/practice/{record_id}/verify", "审核通过（学校人事）", "practice", out.Practice, errors=(401, 403, 404, 409)),
    Operation("post", "/practice/{record_id}/reject", "退回（学校人事）", "practice", out.Practice, body=ReasonIn, errors=(400, 401, 403, 404, 409)),
    Operation("post", "/practice/{record_id}/reopen", "重新打开已审核记录（学校人事）", "practice", out.Practice, body=ReasonIn, errors=(400, 401, 403, 404, 409)),
    Operation("post", "/practice/{record_id}/evidence", "上传证明材料", "practice", out.Evidence, 201, upload=True, errors=(400, 401, 403, 404, 409)),
    Operation("get", "/evidence/{evidence_id}", "下载证明材料", "practice", "file", errors=(401, 404)),
    Operation("post", "/teachers/{teacher_id}/hire-exception", "申请招聘例外（学校人事）", "exceptions", out.HireExceptionCreated, 201, ReasonIn, errors=(400, 401, 403, 404, 409)),
    Operation("get", "/hire-exceptions", "招聘例外申请列表", "exceptions", out.HireExceptionPage, query=({"name": "status", "schema": {"type": "string", "enum": ["requested", "approved", "refused"]}}, *PAGE), errors=(400, 401, 403)),
    Operation("post", "/hire-exceptions/{exception_id}/approve", "批准招聘例外（市教育局）", "exceptions", out.HireException, body=NoteIn, errors=(400, 401, 403, 404, 409)),
    Operation("post", "/hire-exceptions/{exception_id}/refuse", "不批准招聘例外（市教育局）", "exceptions", out.HireException, body=NoteIn, errors=(400, 401, 403, 404, 409)),
    Operation("get", "/teachers/{teacher_id}/compliance", "教师合规情况", "compliance", out.TeacherCompliance, query=AS_OF, errors=(400, 401, 404)),
    Operation("get", "/compliance", "合规名单", "compliance", out.CompliancePage, query=COMPLIANCE_LIST_QUERY, errors=(400, 401, 403)),
    Operation("get", "/compliance.csv", "合规名单导出 CSV", "compliance", "csv", query=COMPLIANCE_FILTERS, errors=(400, 401, 403)),
    Operation("get", "/compliance.xlsx", "合规名单导出 Excel", "compliance", "xlsx", query=COMPLIANCE_FILTERS, errors=(400, 401, 403)),
    Operation("get", "/schools/{school_id}/compliance", "学校合规汇总", "compliance", out.SchoolCompliance, query=AS_OF, errors=(400, 401, 403, 404)),
    Operation("get", "/policy-versions", "政策参数版本", "policies", out.PolicyVersionList, errors=(401, 403)),
    Operation("post", "/policy-versions", "新增政策参数版本（管理员）", "policies", out.PolicyVersion, 201, PolicyIn, errors=(400, 401, 403)),
    Operation("get", "/users", "账号列表（管理员）", "users", out.UserList, errors=(401, 403)),
    Operation("post", "/users", "新增账号（管理员）", "users", out.User, 201, UserIn, errors=(400, 401, 403)),
    Operation("get", "/openapi.json", "本文档", "meta", "json", public=True, errors=()),
)


def body_schemas() -> tuple[dict[str, Any], dict[str, str]]:
    """components.schemas for every model used, and each model's reference."""
    models = {op.body for op in OPERATIONS if op.body} | {op.answer for op in OPERATIONS if isinstance(op.answer, type)}
    models.add(out.Error)
    keys, definitions = models_json_schema(
        [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
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


def answer_content(op: Operation, refs: dict[str, str]) -> dict[str, Any] | None:
    if op.answer is None:
        return None
    if op.answer == "csv":
        return {"text/csv": FILE_TYPES["text/csv"]}
    if op.answer == "xlsx":
        key = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return {key: FILE_TYPES[key]}
    if op.answer == "file":
        return {kind: {"schema": {"type": "string", "format": "binary"}} for kind in ("application/pdf", "image/jpeg", "image/png")}
    if op.answer == "json":
        return {"application/json": {"schema": {"type": "object"}}}
    return {"application/json": {"schema": {"$ref": refs[op.answer.__name__]}}}


def path_parameters(path: str) -> list[dict[str, Any]]:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return [{"name": n, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}} for n in names]


def operation_object(op: Operation, refs: dict[str, str]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "operationId": f"{op.method}_{op.path.strip('/').replace('/', '_').replace('{', '').replace('}', '').replace('.', '_').replace('-', '_')}",
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": path_parameters(op.path) + [{"in": "query", "required": False, **q} for q in op.query],
        "responses": {},
    }
    if op.public:
        doc["security"] = []
    if op.body is not None:
        ref = refs[f"{op.body.__name__}Patch" if op.partial else op.body.__name__]
        doc["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"$ref": ref}}}}
    if op.upload:
        doc["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary", "description": "PDF、JPEG 或 PNG，不超过 10 MB"}}}}},
        }
    ok: dict[str, Any] = {"description": "成功" if op.status != 204 else "已删除"}
    content = answer_content(op, refs)
    if content:
        ok["content"] = content
    doc["responses"][str(op.status)] = ok
    for code in op.errors:
        doc["responses"][str(code)] = {"description": ERROR_TEXT[code], "content": {"application/json": {"schema": {"$ref": refs["Error"]}}}}
    return doc


def build_document(server_url: str = "/api/v1") -> dict[str, Any]:
    schemas, refs = body_schemas()
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


@bp.get("/openapi.json")
def openapi():
    return build_document(current_app.config.get("APPLICATION_ROOT", "").rstrip("/") + "/api/v1")
