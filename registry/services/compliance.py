"""Translating the database into the rule engine's facts, and evaluating them.

The rules themselves live in registry.rules and know nothing of the database:
this module picks the policy version in force and the records that count.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from registry import permissions
from registry.extensions import db
from registry.models import PolicyVersion, School, Teacher, User
from registry.rules import facts
from registry.rules.engine import (
    HireResult,
    LeadershipResult,
    PracticeResult,
    TrainingResult,
    evaluate_hire,
    evaluate_leadership,
    evaluate_practice,
    evaluate_training,
)
from registry.rules.policy import Policy
from registry.rules.vocabulary import ExceptionStatus, PracticeStatus

POLICY_FIELDS = tuple(Policy.__dataclass_fields__)

# The practice statuses that count: now (the rules), and once the records waiting for review, then those
# only planned, are verified (the forecast and the progress figures).
VERIFIED = (PracticeStatus.VERIFIED,)
WITH_SUBMITTED = (*VERIFIED, PracticeStatus.SUBMITTED)
WITH_PLANNED = (*WITH_SUBMITTED, PracticeStatus.PLANNED)

# Loading options that fetch everything the rules read in a few queries.
TEACHER_FACT_LOADS = (
    selectinload(Teacher.employment),
    selectinload(Teacher.certificates),
    selectinload(Teacher.practice),
    selectinload(Teacher.training),
    selectinload(Teacher.hire_exceptions),
)


class PolicyBook:
    """All policy versions, to pick the one in force on any date without a query each time."""

    def __init__(self, versions: Iterable[PolicyVersion]):
        self.versions = sorted(versions, key=lambda v: v.effective_from)
        self._policies: dict[int, Policy] = {}  # built once per version: a list evaluates thousands of teachers

    @classmethod
    def load(cls) -> PolicyBook:
        return cls(db.session.scalars(select(PolicyVersion)))

    def version_on(self, day: date) -> PolicyVersion | None:
        in_force = [v for v in self.versions if v.effective_from <= day]
        return in_force[-1] if in_force else None

    def next_change_after(self, day: date) -> date | None:
        """The effective date of the first version that takes effect after `day` (None: no later version)."""
        return next((v.effective_from for v in self.versions if v.effective_from > day), None)

    def on(self, day: date) -> Policy:
        version = self.version_on(day)
        key = id(version)  # the versions are kept by self.versions, so their ids stay unique
        if key not in self._policies:
            self._policies[key] = policy_of(version) if version is not None else Policy()
        return self._policies[key]


def policy_of(version: PolicyVersion) -> Policy:
    return Policy(**{name: getattr(version, name) for name in POLICY_FIELDS})


@dataclass(frozen=True)
class TeacherCompliance:
    """A teacher's verdict of each per-teacher rule as of a date (serializers.TeacherCompliance reads it)."""

    teacher_id: int
    as_of: date
    hire: HireResult
    practice: PracticeResult
    training: TrainingResult


def employment_facts(records: Iterable) -> tuple[facts.Employment, ...]:
    """Employment periods (database rows or validated input: start, end, employer_type) as rule facts."""
    return tuple(facts.Employment(e.start, e.end, e.employer_type) for e in records)


def certificate_facts(records: Iterable) -> tuple[facts.Certificate, ...]:
    """Certificates (database rows or validated input: kind, level, issued, related) as rule facts."""
    return tuple(facts.Certificate(c.kind, c.level, c.issued, c.related) for c in records)


def hiring_facts(source, **more) -> facts.TeacherFacts:
    """The facts of what the hiring rule reads, from a teacher row or a pre-hire candidate, plus `more` facts.

    `source` has course_type, post_type, hire_date, hire_channel, education, employment and certificates.
    """
    return facts.TeacherFacts(
        course_type=source.course_type,
        post_type=source.post_type,
        hire_date=source.hire_date,
        hire_channel=source.hire_channel,
        education=source.education,
        employment=employment_facts(source.employment),
        certificates=certificate_facts(source.certificates),
        **more,
    )


def teacher_facts(teacher: Teacher, practice_counts_as_verified: tuple[PracticeStatus, ...] = VERIFIED) -> facts.TeacherFacts:
    """The facts the rules read. A forecast passes more statuses to count as verified."""
    return hiring_facts(
        teacher,
        left_date=teacher.left_date,
        leadership=teacher.leadership,
        practice=tuple(
            facts.Practice(
                p.start, p.end, PracticeStatus.VERIFIED if p.status in practice_counts_as_verified else p.status
            )
            for p in teacher.practice
        ),
        training=tuple(facts.Training(t.kind, t.end, t.status) for t in teacher.training),
        exception_approved=any(x.status == ExceptionStatus.APPROVED for x in teacher.hire_exceptions),
    )


def evaluate_teacher(
    teacher: Teacher, as_of: date, book: PolicyBook | None = None, teacher_fact: facts.TeacherFacts | None = None
) -> TeacherCompliance:
    """The verdicts of a teacher (a row, or anything teacher_facts reads) as of `as_of`; `teacher_fact`: its
    facts when the caller already built them."""
    book = book or PolicyBook.load()
    teacher_fact = teacher_fact or teacher_facts(teacher)
    policy_now = book.on(as_of)
    return TeacherCompliance(
        teacher_id=teacher.id,
        as_of=as_of,
        hire=evaluate_hire(teacher_fact, book.on(teacher.hire_date)),
        practice=evaluate_practice(teacher_fact, as_of, policy_now),
        training=evaluate_training(teacher_fact, as_of, policy_now),
    )


def forecast_practice(teacher: Teacher, as_of: date, book: PolicyBook | None = None) -> PracticeResult:
    """The practice status if every planned and submitted record were verified."""
    book = book or PolicyBook.load()
    teacher_fact = teacher_facts(teacher, practice_counts_as_verified=WITH_PLANNED)
    return evaluate_practice(teacher_fact, as_of, book.on(as_of))


def teacher_compliance(actor: User, teacher_id: int, as_of: date) -> TeacherCompliance:
    """The verdicts as of `as_of` of a teacher the actor may read (NotFound outside the actor's scope)."""
    teacher = permissions.find(actor, "read_teachers", Teacher, teacher_id)
    return evaluate_teacher(teacher, as_of)


def evaluate_school_leadership(school: School, as_of: date, book: PolicyBook | None = None) -> LeadershipResult:
    book = book or PolicyBook.load()
    members = db.session.scalars(
        select(Teacher)
        .where(Teacher.school_id == school.id, Teacher.leadership.is_(True))
        .options(*TEACHER_FACT_LOADS)
    )
    return evaluate_leadership([teacher_facts(m) for m in members], as_of, book.on(as_of))


def hire_check(candidate: facts.TeacherFacts, book: PolicyBook | None = None) -> HireResult:
    """The hiring rule for a candidate who is not (yet) a teacher record."""
    book = book or PolicyBook.load()
    return evaluate_hire(candidate, book.on(candidate.hire_date))
