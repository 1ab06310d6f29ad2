"""Teachers and the records HR keeps for them, and a candidate of the pre-hire check."""
from __future__ import annotations

from typing import Annotated, Any, Literal

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
from registry.schemas.fields import IdNumber, IsoDate, OptionalDate, RecordId, Schema, blank_to_none, check_period, text

GENDER_ALIASES = {member.label: member.value for member in Gender}  # 男, 女 are accepted for the codes


def gender_alias(value: Any) -> Any:
    """男/女 for the codes male/female."""
    return GENDER_ALIASES.get(value.strip(), value.strip()) if isinstance(value, str) else value



class TeacherIn(Schema):
    name: text(50)
    id_number: IdNumber
    gender: Annotated[Literal[Gender.codes()], BeforeValidator(gender_alias)]
    school_id: RecordId
    course_type: Literal[CourseType.codes()]
    specialty: text(50)
    post_type: Literal[PostType.codes()]
    hire_date: IsoDate
    hire_channel: Literal[HireChannel.codes()]
    education: Literal[Education.codes()]
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
    employer_type: Literal[EmployerType.codes()]
    position: text(100, required=False) = ""
    start: IsoDate
    end: OptionalDate = None

    @model_validator(mode="after")
    def start_before_end(self) -> EmploymentIn:
        return check_period(self)


class CertificateIn(Schema):
    kind: Literal[CertificateKind.codes()]
    name: text(100)
    level: Annotated[Literal[SkillLevel.codes()] | None, BeforeValidator(blank_to_none)] = None
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
    kind: Literal[TrainingKind.codes()]
    end: IsoDate
    hours: Annotated[int | None, Field(ge=0, le=10000), BeforeValidator(blank_to_none)] = None
    status: Literal[TrainingStatus.codes()]



class CandidateIn(Schema):
    """A candidate in the pre-hire check: what the hiring rule reads, before any teacher record exists."""

    course_type: Literal[CourseType.codes()]
    post_type: Literal[PostType.codes()]
    hire_date: IsoDate
    hire_channel: Literal[HireChannel.codes()]
    education: Literal[Education.codes()]
    specialty: text(50, required=False) = ""
    employment: list[EmploymentIn] = Field(default_factory=list, max_length=50)
    certificates: list[CertificateIn] = Field(default_factory=list, max_length=50)

