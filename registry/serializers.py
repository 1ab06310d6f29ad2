"""One serialiser per resource: its JSON form (api.md), read from the ORM object or the rule result.

`dump(Model, obj, viewer)` gives the JSON-ready dict. The API answers with these
models (registry.api.routes) and its OpenAPI document describes its answers with
them, so the two cannot drift; exports and pages that need a JSON shape use them
too. What the viewer may see is decided here: the identity number is shown in
full only to roles that may see it (registry.presenters.id_number_for).
Code fields list their codes from registry.rules.vocabulary.
"""
from __future__ import annotations

from datetime import date, datetime
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    FieldSerializationInfo,
    PlainSerializer,
    field_serializer,
)

from registry.presenters import id_number_for
from registry.rules.months import report
from registry.rules.vocabulary import (
    CertificateKind,
    CourseType,
    Education,
    EmployerType,
    ExceptionStatus,
    FileType,
    Gender,
    HireBasis,
    HireChannel,
    HireStatus,
    LeadershipStatus,
    PostType,
    PracticeForm,
    PracticeRuleStatus,
    PracticeStatus,
    PreviousPractice,
    PreviousTraining,
    Reason,
    Role,
    SkillLevel,
    TrainingKind,
    TrainingRuleStatus,
    TrainingStatus,
)

# A moment as stored, in ISO 8601 (datetime.isoformat).
Timestamp = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str)]
# Months as the rules report them: rounded half-up to 2 decimals (registry.rules.months.report).
Months = Annotated[float, BeforeValidator(lambda value: report(value) if isinstance(value, (Fraction, int)) else value)]
Reasons = list[Literal[Reason.codes()]]


class Answer(BaseModel):
    model_config = ConfigDict(from_attributes=True)


def dump(model: type[Answer], obj: Any, viewer: Any) -> dict[str, Any]:
    """`obj` (an ORM object, a rule result, or a dict of them) as `model`'s JSON-ready dict, as `viewer` may see it."""
    return model.model_validate(obj, from_attributes=True).model_dump(mode="json", context={"viewer": viewer})


class Error(Answer):
    error: str
    errors: dict[str, str] | None = None


class Page(Answer):
    """One page of a list; reads Flask-SQLAlchemy's Pagination (items, total, page, per_page)."""

    total: int
    page: int
    per_page: int


# ------------------------------------------------------------------ schools, teachers and their records


class School(Answer):
    id: int
    name: str
    county: str


class SchoolList(Answer):
    items: list[School]


class Teacher(Answer):
    id: int
    name: str
    id_number: str = Field(description="18 位身份证号；学校人事与管理员以外的角色只见前 6 位与后 4 位")
    gender: Literal[Gender.codes()]
    school_id: int
    course_type: Literal[CourseType.codes()]
    specialty: str
    post_type: Literal[PostType.codes()]
    hire_date: date
    hire_channel: Literal[HireChannel.codes()]
    education: Literal[Education.codes()]
    leadership: bool
    left_date: date | None

    @field_serializer("id_number")
    def id_number_as_the_viewer_may_see_it(self, value: str, info: FieldSerializationInfo) -> str:
        return id_number_for((info.context or {}).get("viewer"), value)


class TeacherPage(Page):
    items: list[Teacher]


class Employment(Answer):
    id: int
    teacher_id: int
    employer: str
    employer_type: Literal[EmployerType.codes()]
    position: str
    start: date
    end: date | None


class EmploymentList(Answer):
    items: list[Employment]


class Certificate(Answer):
    id: int
    teacher_id: int
    kind: Literal[CertificateKind.codes()]
    name: str
    level: Literal[SkillLevel.codes()] | None
    issued: date
    related: bool


class CertificateList(Answer):
    items: list[Certificate]


class Training(Answer):
    id: int
    teacher_id: int
    program: str
    kind: Literal[TrainingKind.codes()]
    end: date
    hours: int | None
    status: Literal[TrainingStatus.codes()]


class TrainingList(Answer):
    items: list[Training]


class EvidenceCreated(Answer):
    """The answer to an upload (api.md): id, file name and size."""

    id: int
    filename: str
    size: int


class Evidence(EvidenceCreated):
    content_type: Literal[FileType.codes()]


class Practice(Answer):
    id: int
    teacher_id: int
    enterprise: str
    start: date
    end: date | None
    form: Literal[PracticeForm.codes()]
    description: str
    status: Literal[PracticeStatus.codes()]
    reject_reason: str | None
    submitted_at: Timestamp | None
    reviewed_at: Timestamp | None
    evidence: list[Evidence]


class PracticeList(Answer):
    items: list[Practice]


class HireExceptionCreated(Answer):
    id: int
    status: Literal[ExceptionStatus.REQUESTED.value]


class HireException(Answer):
    id: int
    teacher_id: int
    status: Literal[ExceptionStatus.codes()]
    reason: str
    requested_at: Timestamp
    requested_by_id: int | None
    decided_at: Timestamp | None
    decided_by_id: int | None
    note: str | None


class HireExceptionPage(Page):
    items: list[HireException]


# ------------------------------------------------------------------------ compliance (rules.md results)


class HireResult(Answer):
    status: Literal[HireStatus.codes()]
    basis: Literal[HireBasis.codes()] | None
    experience_months: Months
    shortfall_months: Months
    reasons: Reasons


class PracticeResult(Answer):
    status: Literal[PracticeRuleStatus.codes()]
    cycle_start: date | None
    cycle_end: date | None
    months: Months | None
    required: Months | None
    needed: Months | None
    expected: Months | None
    previous: Literal[PreviousPractice.codes()] | None
    previous_months: Months | None
    reasons: Reasons


class TrainingResult(Answer):
    status: Literal[TrainingRuleStatus.codes()]
    cycle_start: date | None
    cycle_end: date | None
    previous: Literal[PreviousTraining.codes()] | None
    reasons: Reasons


class TeacherCompliance(Answer):
    teacher_id: int
    as_of: date
    hire: HireResult
    practice: PracticeResult
    training: TrainingResult


class ComplianceItem(Answer):
    """A line of the compliance list (GET /api/v1/compliance), read from a ComplianceRow: each rule field is its status."""

    teacher_id: int
    name: str
    school_id: int
    school: str
    hire: Literal[HireStatus.codes()]
    practice: Literal[PracticeRuleStatus.codes()]
    training: Literal[TrainingRuleStatus.codes()]
    practice_months: Months | None
    practice_previous: Literal[PreviousPractice.codes()] | None


class CompliancePage(Page):
    items: list[ComplianceItem]


class LeadershipResult(Answer):
    status: Literal[LeadershipStatus.codes()]
    best_months: Months


class SchoolCompliance(Answer):
    school_id: int
    leadership: LeadershipResult
    teachers: int
    by_rule: dict[str, dict[str, int]] = Field(description="每条规则下各状态的教师人数")


# -------------------------------------------------------------------------------- accounts and policy


class User(Answer):
    id: int
    login: str
    role: Literal[Role.codes()]
    school_id: int | None
    teacher_id: int | None
    display_name: str
    active: bool
    email: str | None
    email_reminders: bool


class UserList(Answer):
    items: list[User]


class PolicyVersion(Answer):
    id: int
    effective_from: date
    hire_rule_effective: date
    hire_min_experience_months: int
    hire_min_education: Literal[Education.codes()]
    direct_min_skill_level: Literal[SkillLevel.codes()]
    practice_rule_effective: date
    cycle_years: int
    practice_required_months: int
    leadership_min_experience_months: int
    note: str


class PolicyVersionList(Answer):
    items: list[PolicyVersion]
