"""Compliance, hire exceptions and policy versions (api.md): the same services as the bureau's pages."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from registry import serializers as out
from registry.api.common import json_body, load_query, optional_body, paginate
from registry.api.routes import CSV, XLSX, operation
from registry.bureau.exports import export_response
from registry.schemas import ComplianceQueryIn, NoteIn, PolicyIn, ReasonIn
from registry.schemas.queries import AsOfQuery, ExceptionListQuery
from registry.services import compliance_list, exceptions, policies
from registry.services import schools as school_service
from registry.services.compliance import teacher_compliance as compliance_of_teacher

PAGING = ("page", "per_page")  # an export is the whole list
DECISION_ERRORS = (400, 401, 403, 404, 409)


@operation("get", "/compliance", "合规名单", tag="compliance", answer=out.CompliancePage, query=ComplianceQueryIn,
           errors=(400, 401, 403))
def compliance():
    return compliance_list.list_page(current_user, compliance_list.parse_filters(request.args))


@operation("get", "/compliance.csv", "合规名单导出 CSV", tag="compliance", answer=CSV, query=ComplianceQueryIn,
           leave_out=PAGING, errors=(400, 401, 403))
def compliance_csv():
    return export_response(current_user, compliance_list.parse_filters(request.args), "csv")


@operation("get", "/compliance.xlsx", "合规名单导出 Excel", tag="compliance", answer=XLSX, query=ComplianceQueryIn,
           leave_out=PAGING, errors=(400, 401, 403))
def compliance_xlsx():
    return export_response(current_user, compliance_list.parse_filters(request.args), "xlsx")


@operation("get", "/teachers/<int:teacher_id>/compliance", "教师合规情况", tag="compliance", answer=out.TeacherCompliance,
           query=AsOfQuery, errors=(400, 401, 404))
def teacher_compliance(teacher_id: int):
    return compliance_of_teacher(current_user, teacher_id, load_query(AsOfQuery).day())


@operation("get", "/schools/<int:school_id>/compliance", "学校合规汇总", tag="compliance", answer=out.SchoolCompliance,
           query=AsOfQuery, errors=(400, 401, 403, 404))
def school_compliance(school_id: int):
    return school_service.school_compliance(current_user, school_id, load_query(AsOfQuery).day())


@operation("post", "/teachers/<int:teacher_id>/hire-exception", "申请招聘例外（学校人事）", tag="exceptions",
           answer=out.HireExceptionCreated, status=201, body=ReasonIn, errors=DECISION_ERRORS)
def request_exception(teacher_id: int):
    return exceptions.request_hire_exception(current_user, teacher_id, json_body())


@operation("get", "/hire-exceptions", "招聘例外申请列表", tag="exceptions", answer=out.HireExceptionPage,
           query=ExceptionListQuery, errors=(400, 401, 403))
def list_exceptions():
    query = load_query(ExceptionListQuery)
    return paginate(exceptions.list_exceptions(current_user, query.status), query)


def decide(exception_id: int, decision: str):
    return exceptions.decide_hire_exception(current_user, exception_id, decision, optional_body())


@operation("post", "/hire-exceptions/<int:exception_id>/approve", "批准招聘例外（市教育局）", tag="exceptions",
           answer=out.HireException, body=NoteIn, errors=DECISION_ERRORS)
def approve_exception(exception_id: int):
    return decide(exception_id, "approve")


@operation("post", "/hire-exceptions/<int:exception_id>/refuse", "不批准招聘例外（市教育局）", tag="exceptions",
           answer=out.HireException, body=NoteIn, errors=DECISION_ERRORS)
def refuse_exception(exception_id: int):
    return decide(exception_id, "refuse")


@operation("get", "/policy-versions", "政策参数版本", tag="policies", answer=out.PolicyVersionList, errors=(401, 403))
def list_policy_versions():
    return {"items": policies.list_versions(current_user)}


@operation("post", "/policy-versions", "新增政策参数版本（管理员）", tag="policies", answer=out.PolicyVersion, status=201,
           body=PolicyIn, errors=(400, 401, 403))
def post_policy_version():
    return policies.create_version(current_user, json_body())
