"""A line of the compliance list: one teacher's verdict of each rule on a date, with the figures behind it."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Table

from registry.rules.engine import employed_on
from registry.rules.vocabulary import (
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
from registry.vocabulary import label


@dataclass(frozen=True, slots=True)
class ComplianceRow:
    """One teacher's line of the list: who, where, and the verdict of each rule (figures as reported, in months)."""

    teacher_id: int
    name: str
    id_number: str  # in full: whoever shows it masks it for the viewer (presenters.id_number_for)
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

    @property
    def missing_months(self) -> float:
        """Months of enterprise experience a non-compliant hire lacks (0 for any other verdict)."""
        return self.shortfall_months if self.hire == HireStatus.NON_COMPLIANT else 0.0

    def hire_basis_text(self) -> str:
        """The hiring basis when the hire complies, else the reasons, in the user's language."""
        if self.hire_basis:
            return label(self.hire_basis)
        return _("；").join(label(reason) for reason in self.hire_reasons)


def status_column(rule: Rule | str) -> str:
    """The stored column of a per-teacher rule's status ("practice_status"); ComplianceRow calls it `rule`."""
    return f"{rule}_status"


def previous_column(rule: Rule | str) -> str:
    """The stored column of a rule's previous-cycle result ("practice_previous", as on ComplianceRow)."""
    return f"{rule}_previous"


# ComplianceRow's fields stored under another name (the others keep theirs; in_office is worked out).
RENAMED = {
    "name": "teacher_name",
    "school": "school_name",
    "hire": status_column(Rule.HIRE),
    "practice": status_column(Rule.PRACTICE),
    "training": status_column(Rule.TRAINING),
}


def row_columns(verdicts: Table) -> tuple:
    """The columns of a verdict table (stored or snapshot) that a ComplianceRow is read from."""
    names = [name for name in ComplianceRow.__dataclass_fields__ if name != "in_office"]
    return (*(verdicts.c[RENAMED.get(name, name)].label(name) for name in names), verdicts.c.left_date)


def row_from(values: Mapping[str, Any], as_of: date) -> ComplianceRow:
    """The ComplianceRow of a result row of `row_columns` read for `as_of`."""
    fields = {name: values[name] for name in ComplianceRow.__dataclass_fields__ if name != "in_office"}
    fields["hire_reasons"] = tuple(Reason(code) for code in values["hire_reasons"] or ())
    fields["practice_reasons"] = tuple(Reason(code) for code in values["practice_reasons"] or ())
    return ComplianceRow(**fields, in_office=employed_on(SimpleNamespace(**values), as_of))
