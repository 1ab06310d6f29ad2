"""The vocabulary of rules.md and the input facts the rules are evaluated on.

These tuples and label dicts are the single source of codes for the whole
application. Ordered vocabularies (education, skill level) are ascending.
The fact classes check their own codes and date order and raise FactError
naming the offending field.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .i18n import N_

# Label values are Chinese msgids (N_ marks them for pybabel); callers translate them.
COURSE_TYPE_LABELS = {
    "specialty": N_("专业课教师"),
    "internship": N_("实习指导教师"),
    "general": N_("公共基础课教师"),
}
POST_TYPE_LABELS = {"fixed": N_("固定岗"), "flowing": N_("流动岗")}
HIRE_CHANNEL_LABELS = {"open": N_("公开招聘"), "direct": N_("直接考核引进")}
EDUCATION_LABELS = {
    "below_secondary": N_("初中及以下"),
    "secondary": N_("高中/中专/技校"),
    "associate": N_("高职专科(大专)"),
    "bachelor": N_("本科"),
    "master": N_("硕士研究生"),
    "doctor": N_("博士研究生"),
}
EMPLOYER_TYPE_LABELS = {
    "enterprise": N_("企业"),
    "school": N_("学校"),
    "public": N_("机关事业单位"),
    "other": N_("其他"),
}
CERTIFICATE_KIND_LABELS = {
    "skill": N_("职业技能等级证书/职业资格证书"),
    "teacher": N_("教师资格证"),
    "title": N_("专业技术职称"),
}
SKILL_LEVEL_LABELS = {
    "junior": N_("五级/初级工"),
    "intermediate": N_("四级/中级工"),
    "senior": N_("三级/高级工"),
    "technician": N_("二级/技师"),
    "senior_technician": N_("一级/高级技师"),
}
# rules.md gives no Chinese for these; the wording is the application's (registry/vocabulary.py).
PRACTICE_STATUS_LABELS = {
    "planned": N_("计划中"),
    "submitted": N_("待审核"),
    "verified": N_("已审核"),
    "rejected": N_("已退回"),
}
TRAINING_KIND_LABELS = {"rotation": N_("全员轮训"), "other": N_("其他培训")}
TRAINING_STATUS_LABELS = {"planned": N_("计划中"), "completed": N_("已完成")}

COURSE_TYPES = tuple(COURSE_TYPE_LABELS)
POST_TYPES = tuple(POST_TYPE_LABELS)
HIRE_CHANNELS = tuple(HIRE_CHANNEL_LABELS)
EDUCATION_LEVELS = tuple(EDUCATION_LABELS)  # ascending
EMPLOYER_TYPES = tuple(EMPLOYER_TYPE_LABELS)
CERTIFICATE_KINDS = tuple(CERTIFICATE_KIND_LABELS)
SKILL_LEVELS = tuple(SKILL_LEVEL_LABELS)  # ascending
PRACTICE_STATUSES = tuple(PRACTICE_STATUS_LABELS)
TRAINING_KINDS = tuple(TRAINING_KIND_LABELS)
TRAINING_STATUSES = tuple(TRAINING_STATUS_LABELS)


class FactError(ValueError):
    """A fact that breaks the vocabulary or the date order; `field` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def education_rank(code: str) -> int:
    return EDUCATION_LEVELS.index(code)


def skill_rank(code: str) -> int:
    return SKILL_LEVELS.index(code)


def _code(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise FactError(name, f"unknown code {value!r}; expected one of {', '.join(allowed)}")


def _date(name: str, value: object, optional: bool = False) -> None:
    if value is None and optional:
        return
    # datetime is a subclass of date but would break date arithmetic.
    if not isinstance(value, date) or type(value) is not date:
        raise FactError(name, f"not a date: {value!r}")


def _bool(name: str, value: object) -> None:
    if not isinstance(value, bool):
        raise FactError(name, f"not true or false: {value!r}")


def _order(start: date, end: date | None, end_name: str = "end") -> None:
    if end is not None and end < start:
        raise FactError(end_name, f"{end.isoformat()} is before the start {start.isoformat()}")


@dataclass(frozen=True)
class Employment:
    start: date
    end: date | None  # None: still working there
    employer_type: str

    def __post_init__(self) -> None:
        _date("start", self.start)
        _date("end", self.end, optional=True)
        _code("employer_type", self.employer_type, EMPLOYER_TYPES)
        _order(self.start, self.end)


@dataclass(frozen=True)
class Certificate:
    kind: str
    level: str | None
    issued: date
    related: bool  # related to the teacher's specialty

    def __post_init__(self) -> None:
        _code("kind", self.kind, CERTIFICATE_KINDS)
        if self.level is not None:
            _code("level", self.level, SKILL_LEVELS)
        _date("issued", self.issued)
        _bool("related", self.related)


@dataclass(frozen=True)
class Practice:
    start: date
    end: date | None  # None: still under way
    status: str

    def __post_init__(self) -> None:
        _date("start", self.start)
        _date("end", self.end, optional=True)
        _code("status", self.status, PRACTICE_STATUSES)
        _order(self.start, self.end)


@dataclass(frozen=True)
class Training:
    kind: str
    end: date
    status: str

    def __post_init__(self) -> None:
        _code("kind", self.kind, TRAINING_KINDS)
        _date("end", self.end)
        _code("status", self.status, TRAINING_STATUSES)


@dataclass(frozen=True)
class TeacherFacts:
    course_type: str
    post_type: str
    hire_date: date
    hire_channel: str
    education: str
    left_date: date | None = None
    leadership: bool = False
    employment: tuple[Employment, ...] = field(default=())
    certificates: tuple[Certificate, ...] = field(default=())
    practice: tuple[Practice, ...] = field(default=())
    training: tuple[Training, ...] = field(default=())
    exception_approved: bool = False

    def __post_init__(self) -> None:
        _code("course_type", self.course_type, COURSE_TYPES)
        _code("post_type", self.post_type, POST_TYPES)
        _date("hire_date", self.hire_date)
        _code("hire_channel", self.hire_channel, HIRE_CHANNELS)
        _code("education", self.education, EDUCATION_LEVELS)
        _date("left_date", self.left_date, optional=True)
        _order(self.hire_date, self.left_date, "left_date")
        _bool("leadership", self.leadership)
        _bool("exception_approved", self.exception_approved)
        # Accept any iterable of records, keep tuples so the facts stay immutable.
        for name, kind in (
            ("employment", Employment),
            ("certificates", Certificate),
            ("practice", Practice),
            ("training", Training),
        ):
            records = tuple(getattr(self, name))
            for i, record in enumerate(records):
                if not isinstance(record, kind):
                    raise FactError(f"{name}[{i}]", f"not a {kind.__name__}")
            object.__setattr__(self, name, records)
