"""The pre-hire check: the hiring rule for a candidate, and turning a passing candidate into a teacher."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _

from registry import permissions
from registry.errors import Invalid
from registry.extensions import db
from registry.models import Certificate, EmploymentRecord, Teacher, User
from registry.rules import facts
from registry.rules.engine import HireResult
from registry.rules.vocabulary import HireStatus
from registry.schemas import CandidateIn, load
from registry.services import teachers as teacher_service
from registry.services.compliance import certificate_facts, employment_facts, hire_check

CANDIDATE_FIELDS = tuple(name for name in CandidateIn.model_fields if name not in ("employment", "certificates"))


def candidate_facts(candidate: CandidateIn) -> facts.TeacherFacts:
    return facts.TeacherFacts(
        course_type=candidate.course_type,
        post_type=candidate.post_type,
        hire_date=candidate.hire_date,
        hire_channel=candidate.hire_channel,
        education=candidate.education,
        employment=employment_facts(candidate.employment),
        certificates=certificate_facts(candidate.certificates),
    )


def check_candidate(actor: User, data: Mapping[str, Any]) -> tuple[CandidateIn, HireResult]:
    """Validate the candidate and evaluate the hiring rule; nothing is written."""
    permissions.require(actor, "edit_teachers")
    candidate = load(CandidateIn, data)
    return candidate, hire_check(candidate_facts(candidate))


def passes(result: HireResult) -> bool:
    """A candidate HR may hire straight from the check: compliant, or the rule does not apply."""
    return result.status in (HireStatus.COMPLIANT, HireStatus.NOT_APPLICABLE)


def hire_candidate(actor: User, data: Mapping[str, Any], identity: Mapping[str, Any], today: date) -> Teacher:
    """Create the teacher with the candidate's employment periods and certificates, in one transaction."""
    permissions.require(actor, "edit_teachers")
    errors: dict[str, str] = {}
    candidate = result = None
    try:
        candidate, result = check_candidate(actor, data)
    except Invalid as exc:
        errors.update(exc.errors)
    teacher_data = {**{name: data.get(name, "") for name in CANDIDATE_FIELDS}, **identity}
    try:
        teacher_service.validate_teacher(actor, teacher_data, today)
    except Invalid as exc:
        errors.update({k: v for k, v in exc.errors.items() if k not in errors})
    if errors:
        raise Invalid(errors)
    if not passes(result):
        raise Invalid({"__all__": _("该候选人不符合招聘条件，不能直接建档。如确需聘用，请按常规新增教师后申请招聘例外。")})
    try:
        teacher = teacher_service.create_teacher(actor, teacher_data, today, commit=False)
        for record in candidate.employment:
            teacher_service.add_record(actor, teacher, EmploymentRecord, record.model_dump(), commit=False)
        for record in candidate.certificates:
            teacher_service.add_record(actor, teacher, Certificate, record.model_dump(), commit=False)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return teacher
