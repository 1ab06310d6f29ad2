"""Where a teacher stands in the current practice cycle, and where the records on file would take them.

The official figures come from the rule engine (verified practice up to the
date D). On top of them: the months still waiting for review, the months
only planned, the forecast of services.compliance (planned and submitted
counted as verified, up to D), and what all of it adds up to by the cycle's
end, future plans included.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from registry.models import Teacher
from registry.rules.engine import PracticeResult, practice_periods
from registry.rules.months import ONE_DAY, add_years, months_of_set
from registry.rules.vocabulary import PracticeRuleStatus
from registry.services.compliance import (
    VERIFIED,
    WITH_PLANNED,
    WITH_SUBMITTED,
    PolicyBook,
    TeacherCompliance,
    evaluate_teacher,
    forecast_practice,
)


@dataclass(frozen=True)
class Milestone:
    due: date  # last day of the cycle year
    months: Fraction  # months the yearly milestone asks by then


@dataclass(frozen=True)
class PracticeProgress:
    result: TeacherCompliance
    forecast: PracticeResult
    days_left: int | None = None
    pending_months: Fraction = Fraction(0)  # submitted, on top of what is verified
    planned_months: Fraction = Fraction(0)  # planned, on top of verified and submitted
    by_cycle_end: Fraction = Fraction(0)  # all of it, to the cycle's end
    next_milestone: Milestone | None = None

    @property
    def practice(self) -> PracticeResult:
        return self.result.practice

    @property
    def applicable(self) -> bool:
        return self.practice.status != PracticeRuleStatus.NOT_APPLICABLE

    @property
    def short_by_cycle_end(self) -> Fraction:
        return max(Fraction(0), self.practice.required - self.by_cycle_end) if self.applicable else Fraction(0)

    def share(self, months: Fraction) -> float:
        """Percent of the requirement, for a progress bar segment."""
        required = self.practice.required or 1
        return float(min(Fraction(100), months * 100 / required))


def next_milestone(practice: PracticeResult) -> Milestone | None:
    """The end of the cycle's next unfinished year and the months due by then (pro rata); None after its last year."""
    years = practice.policy.cycle_years
    year = (practice.years_ended or 0) + 1
    if year > years:
        return None
    due = add_years(practice.cycle_start, year) - ONE_DAY
    return Milestone(due, practice.required * year / years)


def practice_progress(teacher: Teacher, as_of: date, book: PolicyBook | None = None) -> PracticeProgress:
    """A teacher's practice in the cycle open on `as_of`: months verified, waiting for review and planned, days left, next milestone."""
    book = book or PolicyBook.load()
    result = evaluate_teacher(teacher, as_of, book)
    forecast = forecast_practice(teacher, as_of, book)
    practice = result.practice
    if practice.status == PracticeRuleStatus.NOT_APPLICABLE:
        return PracticeProgress(result, forecast)
    window = (practice.cycle_start, practice.cycle_end)
    verified = months_of_set(practice_periods(teacher.practice, as_of, VERIFIED), *window)
    with_submitted = months_of_set(practice_periods(teacher.practice, as_of, WITH_SUBMITTED), *window)
    with_planned = months_of_set(practice_periods(teacher.practice, as_of, WITH_PLANNED), *window)
    return PracticeProgress(
        result,
        forecast,
        days_left=(practice.cycle_end - as_of).days,
        pending_months=with_submitted - verified,
        planned_months=with_planned - with_submitted,
        by_cycle_end=with_planned,
        next_milestone=next_milestone(practice),
    )
