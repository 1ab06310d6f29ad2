"""Compliance, hire exceptions and policy versions (api.md): the same services as the audit pages."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from registry import permissions
from registry.api import bp
from registry.api.auth import api_user
from registry.api.common import json_body, paginated, query_as_of
from registry.audit.exports import export_response
from registry.errors import Invalid
from registry.services import compliance_list, exceptions, policies
from registry.services.compliance import PolicyBook, evaluate_school_leadership, evaluate_teacher
from registry.vocabulary import EXCEPTION_STATUSES


def optional_body() -> dict:
    """A decision's note may be left out: no body at all reads as {}."""
    return json_body() if request.get_data(cache=True) else {}


@bp.get("/compliance")
def compliance():
    user = api_user()
    query = compliance_list.parse_filters(request.args)
    page = compliance_list.list_page(user, query)
    return {"items": [row.api_dict() for row in page.rows], "total": page.total, "page": page.page, "per_page": page.per_page}


@bp.get("/compliance.csv")
def compliance_csv():
    return export_response(api_user(), compliance_list.parse_filters(request.args), "csv")


@bp.get("/compliance.xlsx")
def compliance_xlsx():
    return export_response(api_user(), compliance_list.parse_filters(request.args), "xlsx")


@bp.get("/teachers/<int:teacher_id>/compliance")
def teacher_compliance(teacher_id: int):
    user = api_user()
    as_of = query_as_of()
    teacher = permissions.get_teacher(user, teacher_id)
    result = evaluate_teacher(teacher, as_of)
    return {"teacher_id": teacher.id, "as_of": as_of.isoformat(), **result.to_dict()}


@bp.get("/schools/<int:school_id>/compliance")
def school_compliance(school_id: int):
    user = api_user()
    permissions.require(user, "read_compliance_lists")
    as_of = query_as_of()
    school = permissions.get_school(user, school_id)
    book = PolicyBook.load()
    query = compliance_list.parse_filters({"as_of": as_of.isoformat(), "school_id": str(school.id)})
    totals = compliance_list.list_totals(user, query, book)
    return {
        "school_id": school.id,
        "leadership": evaluate_school_leadership(school, as_of, book).to_dict(),
        "teachers": totals.total,
        "by_rule": totals.counts(),
    }


@bp.post("/teachers/<int:teacher_id>/hire-exception")
def request_exception(teacher_id: int):
    user = api_user()
    permissions.require(user, "request_exception")
    teacher = permissions.get_teacher(user, teacher_id)
    exception = exceptions.request_hire_exception(user, teacher, json_body())
    return jsonify({"id": exception.id, "status": exception.status}), 201


@bp.get("/hire-exceptions")
def list_exceptions():
    user = api_user()
    permissions.require(user, "read_teachers")
    status = request.args.get("status") or None
    if status is not None and status not in EXCEPTION_STATUSES:
        raise Invalid({"status": _("不是允许的取值，应为：%(codes)s", codes=", ".join(EXCEPTION_STATUSES))})
    return paginated(exceptions.exceptions_query(user, status), exceptions.exception_dict)


# One view; two literal rules so the paths stay exactly those of api.md and the OpenAPI document.
@bp.post("/hire-exceptions/<int:exception_id>/approve", defaults={"decision": "approve"})
@bp.post("/hire-exceptions/<int:exception_id>/refuse", defaults={"decision": "refuse"})
def decide_exception(exception_id: int, decision: str):
    user = api_user()
    permissions.require(user, "decide_exception")
    exception = exceptions.get_exception(user, exception_id)
    return exceptions.exception_dict(exceptions.decide_hire_exception(user, exception, decision, optional_body()))


@bp.get("/policy-versions")
def list_policy_versions():
    return {"items": [policies.version_dict(v) for v in policies.list_versions(api_user())]}


@bp.post("/policy-versions")
def post_policy_version():
    version = policies.create_version(api_user(), json_body())
    return jsonify(policies.version_dict(version)), 201
