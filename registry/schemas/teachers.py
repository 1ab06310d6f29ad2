"""Teachers and the records HR keeps for them, and a candidate of the pre-hire check."""
from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from registry.rules.vocabulary import (
    CertificateKind,
    CourseType,
    Education,
    EmployerType,
    Gender,
    HireChannel,
    PostType,
    SkillLevel,
    TrainingKind,
    TrainingStatus,
)
from registry.schemas.fields import (
    IdNumber,
    IsoDate,
    OptionalDate,
    RecordId,
    Schema,
    blank_to_none,
    check_period,
    code,
    optional,
    text,
)

GENDER_ALIASES = {member.label: member.value for member in Gender}  # 男, 女 are accepted for the codes


class TeacherIn(Schema):
    name: text(50)
    id_number: IdNumber
    gender: code(Gender, aliases=GENDER_ALIASES)
    school_id: RecordId
    course_type: code(CourseType)
    specialty: text(50)
    post_type: code(PostType)
    hire_date: IsoDate
    hire_channel: code(HireChannel)
    education: code(Education)
    leadership: bool = False
    left_date: OptionalDate = None

    @model_validator(mode="after")
    def dates_in_order(self) -> TeacherIn:
        """A leaving date before the hire date is refused on left_date ("left_before_hire")."""
        if self.left_date is not None and self.left_date < self.hire_date:
            raise PydanticCustomError("left_before_hire", "left before hire", {"field": "left_date"})
        return self


class EmploymentIn(Schema):
    employer: text(100)
    employer_type: code(EmployerType)
    position: text(100, required=False) = ""
    start: IsoDate
    end: OptionalDate = None

    @model_validator(mode="after")
    def start_before_end(self) -> EmploymentIn:
        return check_period(self)


class CertificateIn(Schema):
    kind: code(CertificateKind)
    name: text(100)
    level: optional(code(SkillLevel)) = None
    issued: IsoDate
    related: bool = False

    @model_validator(mode="after")
    def skill_needs_level(self) -> CertificateIn:
        """A skill certificate needs its level ("level_required" on level); any other kind drops the level it was given."""
        if self.kind == CertificateKind.SKILL and self.level is None:
            raise PydanticCustomError("level_required", "level", {"field": "level"})
        if self.kind != CertificateKind.SKILL:
            self.level = None
        return self



class TrainingIn(Schema):
    program: text(200)
    kind: code(TrainingKind)
    end: IsoDate
    hours: Annotated[int | None, Field(ge=0, le=10000), BeforeValidator(blank_to_none)] = None
    status: code(TrainingStatus)



class CandidateIn(Schema):
    """A candidate in the pre-hire check: what the hiring rule reads, before any teacher record exists."""

    course_type: code(CourseType)
    post_type: code(PostType)
    hire_date: IsoDate
    hire_channel: code(HireChannel)
    education: code(Education)
    specialty: text(50, required=False) = ""
    employment: list[EmploymentIn] = Field(default_factory=list, max_length=50)
    certificates: list[CertificateIn] = Field(default_factory=list, max_length=50)

