"""The bureau's dashboard: the compliance list summed up by school, status and months.

Every number is a GROUP BY over the same verdicts, scope and filters as the
compliance list for the same date (compliance_list.scan), so each one can be
checked against the list (the page links each figure to the list that gives it).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func

from registry import permissions
from registry.extensions import db
from registry.models import School, User
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
from registry.services.compliance import PolicyBook
from registry.services.compliance_list import DEFAULT_SORT, FILTERS, ComplianceRow, ListQuery, Totals, with_filters
from registry.services.compliance_list.filters import in_office_clause, school_clauses
from registry.services.compliance_list.rows import row_columns, row_from
from registry.services.compliance_list.scan import Source, scoped, totals_select, verdict_source
from registry.services.verdicts import LeadershipVerdict, school_leadership
from registry.sort_keys import name_key

# Statuses that count as "in order" for each rule's rate; the rate is over the teachers the rule applies to.
GOOD = {
    Rule.HIRE: (HireStatus.COMPLIANT, HireStatus.EXCEPTION),
    Rule.PRACTICE: (PracticeRuleStatus.MET, PracticeRuleStatus.ON_TRACK),
    Rule.TRAINING: (TrainingRuleStatus.DONE,),
}
DUE_WITHIN_MONTHS = 6
DUE_SHOWN = 100  # teachers listed on the page; the list link gives them all


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
    leadership: LeadershipVerdict | None = None

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
    due: list[ComplianceRow]  # the first DUE_SHOWN of them, soonest cycle end first
    due_count: int
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


def _month_bin(months, cap: int):
    """Whole months done, capped at `cap`, in SQL (portable: no floor(), no rounding cast)."""
    return case(*((months < low + 1, low) for low in range(cap)), else_=cap)


def build_dashboard(user: User, query: ListQuery) -> Dashboard:
    """The dashboard's figures for the schools `query` chooses among those the user sees (school HR: the own school),
    as of query.as_of. Forbidden unless staff; NotFound when query.school_id names a school outside the user's scope."""
    permissions.authorize(user, "read_dashboard")
    if query.school_id is not None:
        permissions.find(user, "read_dashboard", School, query.school_id)
    # Every teacher of the chosen schools: the filters on verdicts are dropped, the figures count each verdict.
    everyone = with_filters(query, rule=None, sort=DEFAULT_SORT.name, **{f.name: None for f in FILTERS if f.of_verdicts})
    source = verdict_source(everyone.as_of)
    required = float(PolicyBook.load().on(everyone.as_of).practice_required_months)
    cap = month_cap(required)
    due_by = add_months(everyone.as_of, DUE_WITHIN_MONTHS)

    chosen = permissions.schools_query(user).where(*school_clauses(everyone))
    schools = {s.id: SchoolSummary(s) for s in db.session.scalars(chosen)}
    overall = Totals()
    v = source.table.c
    for school_id, *values, count in db.session.execute(totals_select(user, everyone, source, v.school_id)):
        schools[school_id].totals.add_group(tuple(values), count)
        overall.add_group(tuple(values), count)
    for school_id, post_type, count in db.session.execute(
        _grouped(user, everyone, source, v.school_id, v.post_type).where(in_office_clause(everyone, v))
    ):
        schools[school_id].in_office += count
        if post_type == PostType.FLOWING:
            schools[school_id].flowing += count
    months = v.practice_months
    month_bins = Counter(dict(db.session.execute(
        _grouped(user, everyone, source, _month_bin(months, cap)).where(months.is_not(None))
    ).all()))
    due_query = with_filters(everyone, due_by=due_by)
    due_rows = scoped(user, due_query, source, *row_columns(source.table)).order_by(
        v.cycle_end, v.practice_needed.desc(), v.teacher_id
    )
    due = [row_from(values, everyone.as_of) for values in db.session.execute(due_rows.limit(DUE_SHOWN)).mappings()]
    due_count = db.session.scalar(scoped(user, due_query, source, func.count()))
    leadership = school_leadership(schools, everyone.as_of)
    for summary in schools.values():
        summary.leadership = leadership.get(summary.school.id)
    return Dashboard(
        query=everyone,
        due_by=due_by,
        required_months=required,
        schools=sorted(schools.values(), key=lambda s: (name_key(s.school.county), s.school.name_key)),
        overall=overall,
        month_bins=month_bins,
        due=due,
        due_count=due_count,
        in_office=sum(s.in_office for s in schools.values()),
        flowing=sum(s.flowing for s in schools.values()),
    )


def _grouped(user: User, query: ListQuery, source: Source, *keys):
    """SELECT keys, count(*) over the list's rows, grouped by the keys."""
    return scoped(user, query, source, *keys, func.count()).group_by(*keys)
