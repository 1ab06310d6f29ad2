"""The pre-hire check: the hiring rule for a candidate, and turning a passing candidate into a teacher."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _

from registry import permissions
from registry.errors import Invalid
from registry.models import Certificate, EmploymentRecord, School, Teacher, User
from registry.rules.engine import HireResult
from registry.rules.vocabulary import HireStatus
from registry.schemas import CandidateIn, load
from registry.services import teachers as teacher_service
from registry.services.compliance import hire_check, hiring_facts
from registry.transactions import atomic

CANDIDATE_FIELDS = tuple(name for name in CandidateIn.model_fields if name not in ("employment", "certificates"))


def start(actor: User) -> School:
    """The school a candidate who passes would be registered in (HR's own), for the check's page; Forbidden for other roles."""
    return teacher_service.new_teacher_form(actor)


def check_candidate(actor: User, data: Mapping[str, Any]) -> tuple[CandidateIn, HireResult]:
    """Validate the candidate and evaluate the hiring rule; nothing is written. Invalid names every bad field."""
    permissions.authorize(actor, "edit_teachers")
    candidate = load(CandidateIn, data)
    return candidate, hire_check(hiring_facts(candidate))


def passes(result: HireResult) -> bool:
    """A candidate HR may hire straight from the check: compliant, or the rule does not apply."""
    return result.status in (HireStatus.COMPLIANT, HireStatus.NOT_APPLICABLE)


@atomic
def hire_candidate(actor: User, data: Mapping[str, Any], identity: Mapping[str, Any], today: date) -> Teacher:
    """Create the teacher with the candidate's employment periods and certificates, all or nothing.

    Invalid names every bad field of the candidate and of the identity (name, id_number, gender, school),
    or says why a candidate who fails the hiring rule cannot be hired from here.
    """
    errors: dict[str, str] = {}
    candidate = result = None
    try:
        candidate, result = check_candidate(actor, data)
    except Invalid as exc:
        errors.update(exc.errors)
    teacher_data = {**{name: data.get(name, "") for name in CANDIDATE_FIELDS}, **identity}
    [checked] = teacher_service.check_teachers(actor, [(teacher_data, None)], today)
    errors.update({k: v for k, v in checked.errors.items() if k not in errors})
    if errors:
        raise Invalid(errors)
    if not passes(result):
        raise Invalid({"__all__": _("该候选人不符合招聘条件，不能直接建档。如确需聘用，请按常规新增教师后申请招聘例外。")})
    teacher = teacher_service.create_teacher(actor, teacher_data, today)
    for record in candidate.employment:
        teacher_service.add_record(actor, teacher.id, EmploymentRecord, record.model_dump())
    for record in candidate.certificates:
        teacher_service.add_record(actor, teacher.id, Certificate, record.model_dump())
    return teacher
