"""The bureau's dashboard: the compliance list summed up by school, status and months.

Every number here is a count over `compliance_list.iter_rows` for the same
as-of date and filters, so each one can be checked against the list (the
page links each figure to the list that gives it).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from registry import permissions
from registry.extensions import db
from registry.models import School, User
from registry.rules.engine import LeadershipResult
from registry.rules.months import add_months
from registry.rules.vocabulary import (
    RULE_STATUS,
    Code,
    HireStatus,
    PostType,
    PracticeRuleStatus,
    Rule,
    TrainingRuleStatus,
)
from registry.services.compliance import PolicyBook, evaluate_school_leadership
from registry.services.compliance_list import (
    DEFAULT_SORT,
    FILTERS,
    ComplianceRow,
    ListQuery,
    Totals,
    iter_rows,
    with_filters,
)
from registry.services.compliance_list.filters import school_clauses

# Statuses that count as "in order" for each rule's rate; the rate is over the teachers the rule applies to.
GOOD = {
    Rule.HIRE: (HireStatus.COMPLIANT, HireStatus.EXCEPTION),
    Rule.PRACTICE: (PracticeRuleStatus.MET, PracticeRuleStatus.ON_TRACK),
    Rule.TRAINING: (TrainingRuleStatus.DONE,),
}
DUE_WITHIN_MONTHS = 6


def not_applicable(rule: Rule | str) -> Code:
    """The status a rule gives the teachers it does not apply to."""
    return RULE_STATUS[rule].NOT_APPLICABLE


def rate(counts: dict[str, int] | Counter, rule: Rule | str) -> float | None:
    """Share of the applicable teachers whose status is in order (0..1); None when the rule applies to nobody."""
    applicable = sum(n for status, n in counts.items() if status != not_applicable(rule))
    if not applicable:
        return None
    return sum(counts.get(status, 0) for status in GOOD[rule]) / applicable


@dataclass
class SchoolSummary:
    school: School
    totals: Totals = field(default_factory=Totals)
    in_office: int = 0
    flowing: int = 0  # flowing posts among the teachers in office
    leadership: LeadershipResult | None = None

    def rate(self, rule: str) -> float | None:
        return rate(self.totals.by_rule[rule], rule)

    def in_order(self, rule: str) -> int:
        return sum(self.totals.by_rule[rule][status] for status in GOOD[rule])

    def applicable(self, rule: str) -> int:
        return self.totals.total - self.totals.by_rule[rule][not_applicable(rule)]

    @property
    def flowing_share(self) -> float | None:
        return self.flowing / self.in_office if self.in_office else None



@dataclass
class Dashboard:
    query: ListQuery
    due_by: date
    required_months: float
    schools: list[SchoolSummary]
    overall: Totals
    month_bins: Counter  # whole months done this cycle (capped at the requirement) -> teachers
    due: list[ComplianceRow]
    in_office: int = 0
    flowing: int = 0

    @property
    def as_of(self) -> date:
        return self.query.as_of

    def rate(self, rule: str) -> float | None:
        return rate(self.overall.by_rule[rule], rule)

    def histogram(self) -> list[tuple[str, int, float, float | None]]:
        """Bins of whole months from 0 up to the requirement, the last one open: (label, count, low, high)."""
        required = month_cap(self.required_months)
        rows = [(f"{low}–{low + 1}", self.month_bins[low], float(low), float(low + 1)) for low in range(required)]
        rows.append((f"≥{required}", self.month_bins[required], float(required), None))
        return rows


def month_cap(required_months: float) -> int:
    return max(1, int(required_months))


def build_dashboard(user: User, query: ListQuery) -> Dashboard:
    """The dashboard's figures for the schools `query` chooses, as of query.as_of; Forbidden unless bureau or admin."""
    permissions.authorize(user, "read_dashboard")
    book = PolicyBook.load()
    # Every teacher of the chosen schools: the filters on verdicts are dropped, the figures count each verdict.
    verdict_filters = {f.name: None for f in FILTERS if f.test is not None}
    everyone = with_filters(query, rule=None, sort=DEFAULT_SORT.name, **verdict_filters)
    due_by = add_months(query.as_of, DUE_WITHIN_MONTHS)
    chosen = permissions.schools_query(user).where(*school_clauses(query))
    schools = {s.id: SchoolSummary(s) for s in db.session.scalars(chosen)}
    required = float(book.on(query.as_of).practice_required_months)
    cap = month_cap(required)
    overall, month_bins, due = Totals(), Counter(), []
    in_office = flowing = 0
    for row in iter_rows(user, everyone, book):
        summary = schools.get(row.school_id)
        if summary is None:  # a school not listed above: looked up once, not on every row
            summary = schools[row.school_id] = SchoolSummary(db.session.get(School, row.school_id))
        summary.totals.add(row)
        overall.add(row)
        if row.in_office:
            summary.in_office += 1
            in_office += 1
            if row.post_type == PostType.FLOWING:
                summary.flowing += 1
                flowing += 1
        if row.practice_months is not None:
            month_bins[min(int(row.practice_months), cap)] += 1
        if row.is_due(due_by):
            due.append(row)
    for summary in schools.values():
        summary.leadership = evaluate_school_leadership(summary.school, query.as_of, book)
    due.sort(key=lambda r: (r.cycle_end, -(r.practice_needed or 0), r.teacher_id))
    return Dashboard(
        query=everyone,
        due_by=due_by,
        required_months=required,
        schools=sorted(schools.values(), key=lambda s: (s.school.county, s.school.name)),
        overall=overall,
        month_bins=month_bins,
        due=due,
        in_office=in_office,
        flowing=flowing,
    )
