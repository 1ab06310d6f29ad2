"""A line of the compliance list: one teacher's verdict of each rule on a date, with the figures behind it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registry.models import Teacher
from registry.rules.engine import employed_on
from registry.rules.months import report, report_optional
from registry.rules.vocabulary import (
    RULE_PREVIOUS,
    CourseType,
    HireBasis,
    HireStatus,
    PostType,
    PracticeRuleStatus,
    PreviousPractice,
    PreviousTraining,
    Reason,
    Rule,
    TrainingRuleStatus,
)
from registry.services.compliance import PolicyBook, evaluate_teacher
from registry.vocabulary import label


@dataclass(frozen=True, slots=True)
class ComplianceRow:
    """One teacher's line of the list: who, where, and the verdict of each rule (figures as reported, in months)."""

    teacher_id: int
    name: str
    school_id: int
    school: str
    county: str
    specialty: str
    course_type: CourseType
    post_type: PostType
    hire_date: date
    in_office: bool
    hire: HireStatus
    hire_basis: HireBasis | None
    hire_reasons: tuple[Reason, ...]
    experience_months: float
    shortfall_months: float
    practice: PracticeRuleStatus
    practice_reasons: tuple[Reason, ...]
    cycle_start: date | None
    cycle_end: date | None
    practice_months: float | None
    practice_required: float | None
    practice_needed: float | None
    practice_previous: PreviousPractice | None
    practice_previous_months: float | None
    training: TrainingRuleStatus
    training_previous: PreviousTraining | None

    def status(self, rule: Rule | str) -> HireStatus | PracticeRuleStatus | TrainingRuleStatus:
        """The verdict of a per-teacher rule (a member of RULE_STATUS[rule])."""
        return getattr(self, rule)

    def previous(self, rule: Rule | str) -> PreviousPractice | PreviousTraining | None:
        """The previous cycle's result of a rule of RULE_PREVIOUS; None in the first cycle or when not applicable."""
        return getattr(self, f"{rule}_previous")

    def previous_results(self) -> tuple[PreviousPractice | PreviousTraining, ...]:
        """The previous-cycle results this row has (their codes never overlap between rules)."""
        return tuple(result for rule in RULE_PREVIOUS if (result := self.previous(rule)) is not None)

    @property
    def missing_months(self) -> float:
        """Months of enterprise experience a non-compliant hire lacks (0 for any other verdict)."""
        return self.shortfall_months if self.hire == HireStatus.NON_COMPLIANT else 0.0

    def is_due(self, by: date) -> bool:
        """The current practice cycle ends on or before `by` and months are still needed."""
        return self.cycle_end is not None and self.cycle_end <= by and bool(self.practice_needed)

    def hire_basis_text(self) -> str:
        """The hiring basis when the hire complies, else the reasons, in the user's language."""
        if self.hire_basis:
            return label(self.hire_basis)
        return "；".join(label(reason) for reason in self.hire_reasons)


def build_row(teacher: Teacher, as_of: date, book: PolicyBook) -> ComplianceRow:
    """The row of a teacher (school loaded) evaluated on `as_of` with the policies of `book`."""
    result = evaluate_teacher(teacher, as_of, book)
    hire, practice = result.hire, result.practice
    return ComplianceRow(
        teacher_id=teacher.id,
        name=teacher.name,
        school_id=teacher.school_id,
        school=teacher.school.name,
        county=teacher.school.county,
        specialty=teacher.specialty,
        course_type=teacher.course_type,
        post_type=teacher.post_type,
        hire_date=teacher.hire_date,
        in_office=employed_on(teacher, as_of),
        hire=hire.status,
        hire_basis=hire.basis,
        hire_reasons=tuple(hire.reasons),
        experience_months=report(hire.experience_months),
        shortfall_months=report(hire.shortfall_months),
        practice=practice.status,
        practice_reasons=tuple(practice.reasons),
        cycle_start=practice.cycle_start,
        cycle_end=practice.cycle_end,
        practice_months=report_optional(practice.months),
        practice_required=report_optional(practice.required),
        practice_needed=report_optional(practice.needed),
        practice_previous=practice.previous,
        practice_previous_months=report_optional(practice.previous_months),
        training=result.training.status,
        training_previous=result.training.previous,
    )
