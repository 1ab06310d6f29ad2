"""The four rules of rules.md: hire, practice, training, leadership.

Pure functions of the facts, the date D (`as_of`) and the policy. Results keep
exact Fractions; `to_dict()` gives exactly the result fields of rules.md with
months rounded half-up to 2 decimals.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any, NamedTuple

from .facts import Employment, Practice, TeacherFacts, education_rank, skill_rank
from .months import (
    ONE_DAY,
    Period,
    add_years,
    clip,
    last_day_of_years,
    months_of_period,
    months_of_set,
    next_day,
    report,
    report_optional,
)
from .policy import DEFAULT_POLICY, Policy
from .vocabulary import (
    CertificateKind,
    CourseType,
    EmployerType,
    HireBasis,
    HireChannel,
    HireStatus,
    LeadershipStatus,
    PostType,
    PracticeRuleStatus,
    PracticeStatus,
    PreviousPractice,
    PreviousTraining,
    Reason,
    TrainingKind,
    TrainingRuleStatus,
    TrainingStatus,
)


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


# --------------------------------------------------------------------- hire


@dataclass(frozen=True)
class HireResult:
    status: HireStatus
    basis: HireBasis | None
    experience_months: Fraction
    shortfall_months: Fraction
    reasons: tuple[Reason, ...]
    hire_date: date
    policy: Policy

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "basis": self.basis,
            "experience_months": report(self.experience_months),
            "shortfall_months": report(self.shortfall_months),
            "reasons": list(self.reasons),
        }


def counts_as_experience(job: Employment) -> bool:
    """Whether a job is work experience for the rules: enterprise work only (rules.md; policy 三(七))."""
    return job.employer_type == EmployerType.ENTERPRISE


def enterprise_periods(teacher: TeacherFacts, open_end: date) -> list[Period]:
    """The periods of enterprise work, the rules' only kind of work experience; an open-ended job runs to open_end."""
    return [(job.start, job.end if job.end is not None else open_end) for job in teacher.employment if counts_as_experience(job)]


def hire_counted_period(job: Employment, hire_date: date) -> Period | None:
    """The part of one job that counts toward the hiring rule: enterprise work before the hire date, or None.

    An open-ended job runs to the day before the hire date (rules.md, rule 1).
    """
    if not counts_as_experience(job) or job.start >= hire_date:
        return None
    last_day = hire_date - ONE_DAY  # after job.start, so inside the calendar
    return clip((job.start, job.end if job.end is not None else last_day), hi=last_day)


def hire_experience_months(teacher: TeacherFacts) -> Fraction:
    """Enterprise experience before the hire date; an open-ended job runs to hire_date - 1."""
    counted = (hire_counted_period(job, teacher.hire_date) for job in teacher.employment)
    return months_of_set(period for period in counted if period is not None)


def evaluate_hire(teacher: TeacherFacts, policy: Policy = DEFAULT_POLICY) -> HireResult:
    experience = hire_experience_months(teacher)

    def result(
        status: HireStatus, basis: HireBasis | None, reasons: list[Reason], shortfall=Fraction(0)
    ) -> HireResult:
        return HireResult(status, basis, experience, shortfall, tuple(reasons), teacher.hire_date, policy)

    not_applicable = []
    if teacher.course_type == CourseType.GENERAL:
        not_applicable.append(Reason.GENERAL_COURSE)
    if teacher.post_type == PostType.FLOWING:
        not_applicable.append(Reason.FLOWING_POST)
    if teacher.hire_date < policy.hire_rule_effective:
        not_applicable.append(Reason.HIRED_BEFORE_EFFECTIVE)
    if not_applicable:
        return result(HireStatus.NOT_APPLICABLE, None, not_applicable)

    required = policy.hire_min_experience_months
    experienced = experience >= required
    edu_ok = education_rank(teacher.education) >= education_rank(policy.hire_min_education)
    certificates = [
        c
        for c in teacher.certificates
        if c.kind == CertificateKind.SKILL and c.related and c.issued <= teacher.hire_date
    ]
    high_skill = any(
        c.level is not None and skill_rank(c.level) >= skill_rank(policy.direct_min_skill_level)
        for c in certificates
    )

    if experienced and edu_ok:
        return result(HireStatus.COMPLIANT, HireBasis.STANDARD, [])
    if edu_ok and certificates:
        return result(HireStatus.COMPLIANT, HireBasis.GRADUATE_CERTIFICATE, [])
    if teacher.hire_channel == HireChannel.DIRECT and experienced and high_skill:
        return result(HireStatus.COMPLIANT, HireBasis.HIGH_SKILL_DIRECT, [])

    reasons = []
    if not edu_ok:
        reasons.append(Reason.EDUCATION_LOW)
    shortfall = Fraction(0)
    if not experienced:
        reasons.append(Reason.EXPERIENCE_SHORT)
        shortfall = required - experience
    if teacher.exception_approved:
        return result(HireStatus.EXCEPTION, HireBasis.EXCEPTION, reasons, shortfall)
    return result(HireStatus.NON_COMPLIANT, None, reasons, shortfall)


# ------------------------------------------------------------------- cycles


@dataclass(frozen=True)
class Cycle:
    index: int  # 0 for the cycle that starts on the anchor
    start: date
    end: date


def practice_anchor(teacher: TeacherFacts, policy: Policy = DEFAULT_POLICY) -> date:
    return max(teacher.hire_date, policy.practice_rule_effective)


def cycle_number(anchor: date, index: int, years: int) -> Cycle:
    return Cycle(index, add_years(anchor, years * index), last_day_of_years(anchor, years * (index + 1)))


def cycle_containing(anchor: date, day: date, years: int) -> Cycle | None:
    """The personal cycle that contains `day`, or None before the anchor."""
    if day < anchor:
        return None
    # Cycles start from the anchor each time (not chained), so a 29 February
    # anchor keeps its day in leap years.
    # The estimated cycle starts in day's year or before, the next one after day: right, or one too many.
    index = max(0, (day.year - anchor.year) // years)
    if index > 0 and add_years(anchor, years * index) > day:
        index -= 1
    return cycle_number(anchor, index, years)


def cycle_reasons(teacher: TeacherFacts, as_of: date, policy: Policy) -> list[Reason]:
    """Why practice and training do not apply on as_of (empty when they do)."""
    reasons = []
    if teacher.course_type == CourseType.GENERAL:
        reasons.append(Reason.GENERAL_COURSE)
    if teacher.post_type == PostType.FLOWING:
        reasons.append(Reason.FLOWING_POST)
    if teacher.hire_date > as_of:
        reasons.append(Reason.NOT_YET_HIRED)
    if teacher.left_date is not None and teacher.left_date <= as_of:
        reasons.append(Reason.LEFT)
    if not reasons and as_of < practice_anchor(teacher, policy):
        reasons.append(Reason.BEFORE_EFFECTIVE)
    return reasons


class _Cycles(NamedTuple):
    """What practice and training both start from on as_of."""

    anchor: date
    reasons: tuple[Reason, ...]  # why the rules do not apply; empty when they do
    current: Cycle | None  # None exactly when reasons is not empty
    previous: Cycle | None  # None in the first cycle

    def result_fields(self) -> dict[str, Any]:
        """The cycle fields of both results."""
        return {
            "cycle_index": self.current.index,
            "cycle_start": self.current.start,
            "cycle_end": self.current.end,
            "previous_cycle_start": self.previous.start if self.previous else None,
            "previous_cycle_end": self.previous.end if self.previous else None,
        }


def _cycles(teacher: TeacherFacts, as_of: date, policy: Policy) -> _Cycles:
    anchor = practice_anchor(teacher, policy)
    reasons = tuple(cycle_reasons(teacher, as_of, policy))
    if reasons:
        return _Cycles(anchor, reasons, None, None)
    years = policy.cycle_years
    current = cycle_containing(anchor, as_of, years)
    assert current is not None  # as_of >= anchor, checked by cycle_reasons
    previous = cycle_number(anchor, current.index - 1, years) if current.index > 0 else None
    return _Cycles(anchor, reasons, current, previous)


# ----------------------------------------------------------------- practice


@dataclass(frozen=True)
class PracticeResult:
    status: PracticeRuleStatus
    reasons: tuple[Reason, ...]
    as_of: date
    policy: Policy
    anchor: date  # where the personal cycles start
    cycle_index: int | None = None
    cycle_start: date | None = None
    cycle_end: date | None = None
    months: Fraction | None = None
    required: Fraction | None = None
    needed: Fraction | None = None
    expected: Fraction | None = None
    remaining: Fraction | None = None  # months of [as_of + 1, cycle_end]
    years_ended: int | None = None  # cycle years fully ended by as_of
    previous: PreviousPractice | None = None
    previous_months: Fraction | None = None
    previous_cycle_start: date | None = None
    previous_cycle_end: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "cycle_start": _iso(self.cycle_start),
            "cycle_end": _iso(self.cycle_end),
            "months": report_optional(self.months),
            "required": report_optional(self.required),
            "needed": report_optional(self.needed),
            "expected": report_optional(self.expected),
            "previous": self.previous,
            "previous_months": report_optional(self.previous_months),
            "reasons": list(self.reasons),
        }


def practice_periods(
    practice: Iterable[Practice], as_of: date, counted: Collection[PracticeStatus] = (PracticeStatus.VERIFIED,)
) -> list[Period]:
    """The periods of the practice records in the `counted` statuses (the rules count verified ones only).

    An open-ended record runs to as_of; one that starts after as_of has no extent yet and is left out.
    Works on the rules' Practice facts and on anything with start, end and status.
    """
    return [period_of(p, as_of) for p in practice if p.status in counted and (p.end is not None or p.start <= as_of)]


def period_of(record, as_of: date) -> Period:
    """The period of a record with start and end (None: still running) as of `as_of`.

    An open-ended record runs to as_of; one that has not started by then is its first day.
    """
    return (record.start, record.end if record.end is not None else max(as_of, record.start))


def verified_periods(teacher: TeacherFacts, as_of: date) -> list[Period]:
    """Verified practice, the only practice that counts; an open-ended period runs to as_of."""
    return practice_periods(teacher.practice, as_of)


def evaluate_practice(
    teacher: TeacherFacts, as_of: date, policy: Policy = DEFAULT_POLICY
) -> PracticeResult:
    cycles = _cycles(teacher, as_of, policy)
    if cycles.current is None:
        return PracticeResult(PracticeRuleStatus.NOT_APPLICABLE, cycles.reasons, as_of, policy, cycles.anchor)

    years = policy.cycle_years
    cycle = cycles.current
    periods = verified_periods(teacher, as_of)

    required = policy.practice_required_months
    months = months_of_set(periods, cycle.start, as_of)
    needed = max(Fraction(0), required - months)
    tomorrow = next_day(as_of)
    remaining = months_of_period(tomorrow, cycle.end)
    years_ended = sum(1 for y in range(1, years + 1) if add_years(cycle.start, y) <= tomorrow)
    expected = required * years_ended / years

    if months >= required:
        status = PracticeRuleStatus.MET
    elif needed > remaining:
        status = PracticeRuleStatus.INFEASIBLE
    elif months < expected:
        status = PracticeRuleStatus.BEHIND
    else:
        status = PracticeRuleStatus.ON_TRACK

    previous = previous_months = None
    if cycles.previous is not None:
        previous_months = months_of_set(periods, cycles.previous.start, cycles.previous.end)
        previous = PreviousPractice.MET if previous_months >= required else PreviousPractice.FAILED

    return PracticeResult(
        status,
        (),
        as_of,
        policy,
        cycles.anchor,
        **cycles.result_fields(),
        months=months,
        required=required,
        needed=needed,
        expected=expected,
        remaining=remaining,
        years_ended=years_ended,
        previous=previous,
        previous_months=previous_months,
    )


# ----------------------------------------------------------------- training


@dataclass(frozen=True)
class TrainingResult:
    status: TrainingRuleStatus
    reasons: tuple[Reason, ...]
    as_of: date
    policy: Policy
    anchor: date
    cycle_index: int | None = None
    cycle_start: date | None = None
    cycle_end: date | None = None
    completed_on: date | None = None  # latest counted rotation training this cycle
    previous: PreviousTraining | None = None
    previous_cycle_start: date | None = None
    previous_cycle_end: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "cycle_start": _iso(self.cycle_start),
            "cycle_end": _iso(self.cycle_end),
            "previous": self.previous,
            "reasons": list(self.reasons),
        }


def evaluate_training(
    teacher: TeacherFacts, as_of: date, policy: Policy = DEFAULT_POLICY
) -> TrainingResult:
    cycles = _cycles(teacher, as_of, policy)
    if cycles.current is None:
        return TrainingResult(TrainingRuleStatus.NOT_APPLICABLE, cycles.reasons, as_of, policy, cycles.anchor)

    cycle = cycles.current
    ends = [
        t.end
        for t in teacher.training
        if t.kind == TrainingKind.ROTATION and t.status == TrainingStatus.COMPLETED and t.end <= as_of
    ]
    this_cycle = [d for d in ends if cycle.start <= d <= cycle.end]

    previous = None
    if cycles.previous is not None:
        done_before = any(cycles.previous.start <= d <= cycles.previous.end for d in ends)
        previous = PreviousTraining.DONE if done_before else PreviousTraining.MISSED

    return TrainingResult(
        TrainingRuleStatus.DONE if this_cycle else TrainingRuleStatus.PENDING,
        (),
        as_of,
        policy,
        cycles.anchor,
        **cycles.result_fields(),
        completed_on=max(this_cycle) if this_cycle else None,
        previous=previous,
    )


# --------------------------------------------------------------- leadership


@dataclass(frozen=True)
class LeadershipResult:
    status: LeadershipStatus
    best_months: Fraction
    members_counted: int  # leadership members in office on as_of
    as_of: date
    policy: Policy

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "best_months": report(self.best_months)}


def enterprise_months_to(teacher: TeacherFacts, as_of: date) -> Fraction:
    """All enterprise experience up to as_of; an open-ended job runs to as_of."""
    return months_of_set(enterprise_periods(teacher, as_of), hi=as_of)


def employed_on(teacher, as_of: date) -> bool:
    """Hired on or before `as_of` and not left by then (anything with hire_date and left_date)."""
    return teacher.hire_date <= as_of and (teacher.left_date is None or teacher.left_date > as_of)


def in_office(member: TeacherFacts, as_of: date) -> bool:
    """A leadership member counted on `as_of`: on the leadership team and employed that day."""
    return member.leadership and employed_on(member, as_of)


def evaluate_leadership(
    members: Iterable[TeacherFacts], as_of: date, policy: Policy = DEFAULT_POLICY
) -> LeadershipResult:
    counted = [m for m in members if in_office(m, as_of)]
    best = max((enterprise_months_to(m, as_of) for m in counted), default=Fraction(0))
    met = best >= policy.leadership_min_experience_months
    # With no member in office best is 0, and a 0-month threshold must not
    # make an empty team compliant.
    status = LeadershipStatus.COMPLIANT if met and counted else LeadershipStatus.NON_COMPLIANT
    return LeadershipResult(status, best, len(counted), as_of, policy)
