"""The shapes of the API's answers (api.md), for the OpenAPI document.

They describe; the endpoints build plain dicts. Schemathesis checks every live
answer against these, so a drift between code and document fails the suite.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from registry.vocabulary import (
    CERTIFICATE_KINDS,
    COURSE_TYPES,
    EDUCATION_LEVELS,
    EMPLOYER_TYPES,
    EXCEPTION_STATUSES,
    GENDERS,
    HIRE_CHANNELS,
    POST_TYPES,
    PRACTICE_FORMS,
    PRACTICE_STATUSES,
    ROLES,
    SKILL_LEVELS,
    TRAINING_KINDS,
    TRAINING_STATUSES,
)

Date = Annotated[str, Field(json_schema_extra={"format": "date"})]  # ISO YYYY-MM-DD


class Shape(BaseModel):
    model_config = ConfigDict(extra="allow")


class Error(Shape):
    error: str
    errors: dict[str, str] | None = None


class School(Shape):
    id: int
    name: str
    county: str


class SchoolList(Shape):
    items: list[School]


class Teacher(Shape):
    id: int
    name: str
    id_number: str = Field(description="18 位身份证号；学校人事与管理员以外的角色只见前 6 位与后 4 位")
    gender: Literal[GENDERS]
    school_id: int
    course_type: Literal[COURSE_TYPES]
    specialty: str
    post_type: Literal[POST_TYPES]
    hire_date: Date
    hire_channel: Literal[HIRE_CHANNELS]
    education: Literal[EDUCATION_LEVELS]
    leadership: bool
    left_date: Date | None


class Page(Shape):
    total: int
    page: int
    per_page: int


class TeacherPage(Page):
    items: list[Teacher]


class Employment(Shape):
    id: int
    teacher_id: int
    employer: str
    employer_type: Literal[EMPLOYER_TYPES]
    position: str
    start: Date
    end: Date | None


class EmploymentList(Shape):
    items: list[Employment]


class Certificate(Shape):
    id: int
    teacher_id: int
    kind: Literal[CERTIFICATE_KINDS]
    name: str
    level: Literal[SKILL_LEVELS] | None
    issued: Date
    related: bool


class CertificateList(Shape):
    items: list[Certificate]


class Training(Shape):
    id: int
    teacher_id: int
    program: str
    kind: Literal[TRAINING_KINDS]
    end: Date
    hours: int | None
    status: Literal[TRAINING_STATUSES]


class TrainingList(Shape):
    items: list[Training]


class Evidence(Shape):
    id: int
    filename: str
    size: int
    content_type: Literal["application/pdf", "image/jpeg", "image/png"] | None = None


class Practice(Shape):
    id: int
    teacher_id: int
    enterprise: str
    start: Date
    end: Date | None
    form: Literal[PRACTICE_FORMS]
    description: str
    status: Literal[PRACTICE_STATUSES]
    reject_reason: str | None
    submitted_at: str | None
    reviewed_at: str | None
    evidence: list[Evidence]


class PracticeList(Shape):
    items: list[Practice]


class HireExceptionCreated(Shape):
    id: int
    status: Literal["requested"]


class HireException(Shape):
    id: int
    teacher_id: int
    status: Literal[EXCEPTION_STATUSES]
    reason: str
    requested_at: str
    requested_by_id: int | None
    decided_at: str | None
    decided_by_id: int | None
    note: str | None


class HireExceptionPage(Page):
    items: list[HireException]


class HireResult(Shape):
    status: Literal["compliant", "non_compliant", "exception", "not_applicable"]
    basis: Literal["standard", "graduate_certificate", "high_skill_direct", "exception"] | None
    experience_months: float
    shortfall_months: float
    reasons: list[str]


class PracticeResult(Shape):
    status: Literal["met", "on_track", "behind", "infeasible", "not_applicable"]
    reasons: list[str]


class TrainingResult(Shape):
    status: Literal["done", "pending", "not_applicable"]
    reasons: list[str]


class TeacherCompliance(Shape):
    teacher_id: int
    as_of: Date
    hire: HireResult
    practice: PracticeResult
    training: TrainingResult


class ComplianceRow(Shape):
    teacher_id: int
    name: str
    school_id: int
    school: str
    hire: str
    practice: str
    training: str
    practice_months: float | None
    practice_previous: str | None


class CompliancePage(Page):
    items: list[ComplianceRow]


class LeadershipResult(Shape):
    status: Literal["compliant", "non_compliant"]
    best_months: float


class SchoolCompliance(Shape):
    school_id: int
    leadership: LeadershipResult
    teachers: int
    by_rule: dict[str, dict[str, int]]


class User(Shape):
    id: int
    login: str
    role: Literal[ROLES]
    school_id: int | None
    teacher_id: int | None
    display_name: str
    active: bool


class UserList(Shape):
    items: list[User]


class PolicyVersion(Shape):
    id: int
    effective_from: Date
    hire_rule_effective: Date
    hire_min_experience_months: float
    hire_min_education: Literal[EDUCATION_LEVELS]
    direct_min_skill_level: Literal[SKILL_LEVELS]
    practice_rule_effective: Date
    cycle_years: int
    practice_required_months: float
    leadership_min_experience_months: float
    note: str


class PolicyVersionList(Shape):
    items: list[PolicyVersion]
