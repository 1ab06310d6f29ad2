"""The input facts the rules are evaluated on.

The codes they hold are those of registry.rules.vocabulary (a member, or its
code string). The fact classes check their own codes and date order and
raise FactError naming the offending field.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .vocabulary import (
    CertificateKind,
    Code,
    CourseType,
    Education,
    EmployerType,
    HireChannel,
    PostType,
    PracticeStatus,
    SkillLevel,
    TrainingKind,
    TrainingStatus,
)


class FactError(ValueError):
    """A fact that breaks the vocabulary or the date order; `field` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def education_rank(code: str) -> int:
    """The position of an education code in the ascending list (0: below secondary)."""
    return Education.codes().index(code)


def skill_rank(code: str) -> int:
    """The position of a skill level code in the ascending list (0: junior)."""
    return SkillLevel.codes().index(code)


def _code(name: str, value: object, codes: type[Code]) -> None:
    allowed = codes.codes()
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
        _code("employer_type", self.employer_type, EmployerType)
        _order(self.start, self.end)


@dataclass(frozen=True)
class Certificate:
    kind: str
    level: str | None
    issued: date
    related: bool  # related to the teacher's specialty

    def __post_init__(self) -> None:
        _code("kind", self.kind, CertificateKind)
        if self.level is not None:
            _code("level", self.level, SkillLevel)
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
        _code("status", self.status, PracticeStatus)
        _order(self.start, self.end)


@dataclass(frozen=True)
class Training:
    kind: str
    end: date
    status: str

    def __post_init__(self) -> None:
        _code("kind", self.kind, TrainingKind)
        _date("end", self.end)
        _code("status", self.status, TrainingStatus)


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
        _code("course_type", self.course_type, CourseType)
        _code("post_type", self.post_type, PostType)
        _date("hire_date", self.hire_date)
        _code("hire_channel", self.hire_channel, HireChannel)
        _code("education", self.education, Education)
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
