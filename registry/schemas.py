"""Input schemas: the one place where a field's type, code list and limits are written.

The service layer validates every write with these models, the API documents
itself from them (OpenAPI), and the page forms hand their data to the same
services, so no rule of input is written twice. Errors come back as
{field: Chinese message}.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from flask_babel import gettext as _
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from registry.errors import Invalid
from registry.rules.vocabulary import (
    RULE_PREVIOUS,
    RULE_STATUS,
    CertificateKind,
    CourseType,
    Education,
    EmployerType,
    Gender,
    HireChannel,
    PostType,
    PracticeForm,
    PracticeStatus,
    SkillLevel,
    TrainingKind,
    TrainingStatus,
)

MAX_ID = 2**31 - 1  # PostgreSQL integer keys; a larger id cannot name a record
MAX_PAGE = 100_000
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def parse_iso_date(value: Any) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("date", "not a date")


def id_number_check_char(first17: str) -> str:
    return ID_CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def parse_id_number(value: Any) -> str:
    """An 18-character resident identity number with a valid GB 11643 check digit."""
    if not isinstance(value, str):
        raise PydanticCustomError("id_number", "wrong type")
    value = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise PydanticCustomError("id_number_format", "format")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise PydanticCustomError("id_number_birth", "birth date") from None
    if id_number_check_char(value[:17]) != value[17]:
        raise PydanticCustomError("id_number_check", "check digit")
    return value


GENDER_ALIASES = {member.label: member.value for member in Gender}  # 男, 女 are accepted for the codes


def gender_alias(value: Any) -> Any:
    return GENDER_ALIASES.get(value.strip(), value.strip()) if isinstance(value, str) else value


def blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


IsoDate = Annotated[date, BeforeValidator(parse_iso_date)]
OptionalDate = Annotated[IsoDate | None, BeforeValidator(blank_to_none)]
IdNumber = Annotated[str, BeforeValidator(parse_id_number), Field(pattern=r"^\d{17}[\dX]$")]


NO_CONTROL_CHARACTERS = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def text(max_length: int, required: bool = True):
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True,
            min_length=1 if required else 0,
            max_length=max_length,
            pattern=NO_CONTROL_CHARACTERS,
        ),
    ]


class Schema(BaseModel):
    model_config = ConfigDict(extra="forbid")


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
        if self.kind == CertificateKind.SKILL and self.level is None:
            raise PydanticCustomError("level_required", "level", {"field": "level"})
        if self.kind != CertificateKind.SKILL:
            self.level = None
        return self


class PracticeIn(Schema):
    enterprise: text(100)
    start: IsoDate
    end: OptionalDate = None
    form: Literal[PracticeForm.codes()]
    description: text(2000, required=False) = ""
    # A teacher plans a record or submits it; reviewing sets the other states.
    status: Literal[PracticeStatus.PLANNED.value, PracticeStatus.SUBMITTED.value] = PracticeStatus.PLANNED.value

    @model_validator(mode="after")
    def start_before_end(self) -> PracticeIn:
        return check_period(self)


class TrainingIn(Schema):
    program: text(200)
    kind: Literal[TrainingKind.codes()]
    end: IsoDate
    hours: Annotated[int | None, Field(ge=0, le=10000), BeforeValidator(blank_to_none)] = None
    status: Literal[TrainingStatus.codes()]


class ReasonIn(Schema):
    reason: text(2000)


class NoteIn(Schema):
    note: text(2000, required=False) = ""


class SchoolIn(Schema):
    name: text(100)
    county: text(50)


def blank_is_missing(value: Any) -> Any:
    """A form's empty input of a required field reads "必填项", not "not a number"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PydanticCustomError("missing", "required")
    return value


Required = BeforeValidator(blank_is_missing)


class PolicyIn(Schema):
    """The eight parameters of rules.md and the date this version takes effect."""

    effective_from: Annotated[IsoDate, Required]
    hire_rule_effective: Annotated[IsoDate, Required]
    hire_min_experience_months: Annotated[int, Field(ge=0, le=600), Required]
    hire_min_education: Annotated[Literal[Education.codes()], Required]
    direct_min_skill_level: Annotated[Literal[SkillLevel.codes()], Required]
    practice_rule_effective: Annotated[IsoDate, Required]
    cycle_years: Annotated[int, Field(ge=1, le=20), Required]
    practice_required_months: Annotated[int, Field(ge=1, le=240), Required]
    leadership_min_experience_months: Annotated[int, Field(ge=0, le=600), Required]
    note: text(500, required=False) = ""

    @model_validator(mode="after")
    def practice_fits_in_cycle(self) -> PolicyIn:
        if self.practice_required_months > self.cycle_years * 12:
            raise PydanticCustomError(
                "practice_over_cycle", "more than the cycle", {"field": "practice_required_months", "months": self.cycle_years * 12}
            )
        return self


# Statuses each rule can give (rules.md), in the order lists and charts show them.
RULE_STATUSES: dict[str, tuple[str, ...]] = {rule.value: statuses.codes() for rule, statuses in RULE_STATUS.items()}
# A previous cycle's result, of the practice or the training rule.
PREVIOUS_RESULTS = tuple(dict.fromkeys(code for results in RULE_PREVIOUS.values() for code in results.codes()))
COMPLIANCE_SORTS = ("school", "name", "hire_date", *RULE_STATUSES, "practice_months", "needed", "cycle_end")


def optional(kind):
    return Annotated[kind | None, BeforeValidator(blank_to_none)]


class ComplianceQueryIn(Schema):
    """The filters of the compliance list (page, exports and GET /api/v1/compliance)."""

    as_of: OptionalDate = None
    county: optional(text(50)) = None
    school_id: optional(RecordId) = None
    specialty: optional(text(50)) = None
    course_type: optional(Literal[CourseType.codes()]) = None
    post_type: optional(Literal[PostType.codes()]) = None
    in_office: bool = False
    rule: optional(Literal[tuple(RULE_STATUSES)]) = None
    status: optional(str) = None
    previous: optional(Literal[PREVIOUS_RESULTS]) = None
    due_by: OptionalDate = None  # practice cycle ends on or before this date and months are still needed
    q: text(50, required=False) = ""
    sort: Literal[COMPLIANCE_SORTS + tuple("-" + s for s in COMPLIANCE_SORTS)] = "school"
    page: PageNumber = 1
    per_page: Annotated[int, Field(ge=1, le=200)] = 50

    @field_validator("status")
    @classmethod
    def status_of_the_rule(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or "rule" not in info.data:  # no status, or the rule itself was refused
            return value
        rule = info.data["rule"]
        allowed = RULE_STATUSES[rule] if rule else tuple(dict.fromkeys(s for ss in RULE_STATUSES.values() for s in ss))
        if value not in allowed:
            raise PydanticCustomError("status_unknown", "unknown status", {"expected": ", ".join(allowed)})
        if rule is None and sum(value in ss for ss in RULE_STATUSES.values()) > 1:
            raise PydanticCustomError("status_needs_rule", "status needs a rule")
        return value

    @model_validator(mode="after")
    def rule_of_the_status(self) -> ComplianceQueryIn:
        if self.status is not None and self.rule is None:  # a status only one rule gives names its rule
            self.rule = next(rule for rule, statuses in RULE_STATUSES.items() if self.status in statuses)
        return self


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


def check_period(record):
    if record.end is not None and record.start > record.end:
        raise PydanticCustomError("start_after_end", "start after end", {"field": "end"})
    return record


def messages() -> dict[str, str]:
    """Chinese text for each pydantic error type; looked up per request so a locale can switch."""
    return {
        "missing": _("必填项"),
        "extra_forbidden": _("不认识的字段"),
        "string_type": _("应为文字"),
        "string_too_short": _("不能为空"),
        "string_too_short_n": _("太短（至少 {min_length} 个字符）"),
        "string_pattern_mismatch": _("含有不允许的字符"),
        "string_too_long": _("太长（最多 {max_length} 个字）"),
        "literal_error": _("不是允许的取值，应为：{expected}"),
        "enum": _("不是允许的取值"),
        "date": _("不是有效日期，请用 YYYY-MM-DD 格式"),
        "bool_type": _("应为是或否（true/false）"),
        "bool_parsing": _("应为是或否（true/false）"),
        "int_type": _("应为整数"),
        "int_parsing": _("应为整数"),
        "int_from_float": _("应为整数"),
        "greater_than_equal": _("不能小于 {ge}"),
        "less_than_equal": _("不能大于 {le}"),
        "id_number": _("身份证号应为文字"),
        "id_number_format": _("身份证号应为18位，前17位为数字，最后一位为数字或X"),
        "id_number_birth": _("身份证号中的出生日期不存在"),
        "id_number_check": _("身份证号校验位不正确（GB 11643），请核对"),
        "left_before_hire": _("离职日期不能早于入职日期"),
        "start_after_end": _("结束日期不能早于开始日期"),
        "level_required": _("职业技能等级证书须填写等级"),
        "too_long": _("最多 {max_length} 条"),
        "list_type": _("应为列表"),
        "model_type": _("请求体应为 JSON 对象"),
        "practice_over_cycle": _("不能超过一个周期的总月数（{months} 个月）"),
        "status_unknown": _("不是该规则的状态，应为：{expected}"),
        "status_needs_rule": _("按“不适用”筛选时须同时选择规则"),
        "dict_type": _("请求体应为 JSON 对象"),
    }


# A required field left blank reads as "必填项", not as a bad value of its type.
BLANK_IS_MISSING = frozenset(
    {"literal_error", "enum", "date", "string_type", "int_type", "int_parsing", "id_number", "id_number_format"}
)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def error_dict(exc: ValidationError) -> dict[str, str]:
    table = messages()
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        ctx = error.get("ctx") or {}
        # A record-level check names its field in ctx; nested records keep their path (employment.0.end).
        parts = [str(part) for part in error["loc"]] + ([ctx["field"]] if "field" in ctx else [])
        field = ".".join(parts) or "__all__"
        kind = error["type"]
        if kind == "string_too_short" and ctx.get("min_length", 1) > 1:
            kind = "string_too_short_n"
        template = table.get(kind)
        if error["type"] in BLANK_IS_MISSING and is_blank(error.get("input")):
            template = table["missing"]
        if template is None:
            message = error["msg"]
        else:
            try:
                message = template.format(**ctx)
            except (KeyError, IndexError):
                message = template
        errors.setdefault(field, message)
    return errors


def load(schema: type[Schema], data: Mapping[str, Any] | Any) -> Schema:
    """Validate input for a service; raise Invalid with every bad field."""
    if not isinstance(data, Mapping):
        raise Invalid({"__all__": messages()["model_type"]})
    try:
        return schema.model_validate(dict(data))
    except ValidationError as exc:
        raise Invalid(error_dict(exc)) from None
