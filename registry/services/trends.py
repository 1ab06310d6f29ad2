"""Month-end compliance counts per school, and each rule's compliance rate by month for the dashboard's trend.

At each month end the teachers on the staff by then (hire date on or before it) are evaluated as of that
date through the rule engine, and the number of teachers of each school with each status of each
per-teacher rule (hire, practice, training) is stored in compliance_trend. A month end is recorded once
and then kept, like a snapshot: a later correction of past data does not rewrite it. The city's and a
county's series are sums over their schools, so per-school counts lose nothing.

Why only the teachers hired by then: the hiring rule looks at the hire date alone, so counting teachers
hired later would draw the same hire rate in every month; the practice and training rules would give them
`not_applicable` anyway. Each teacher counts in the school they belong to now.
"""
from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from registry import permissions
from registry.batches import chunks
from registry.extensions import db
from registry.models import ComplianceTrend, School, Teacher, User
from registry.rules.months import ONE_DAY, add_months
from registry.rules.validity import earliest, teacher_valid_until
from registry.rules.vocabulary import RULE_STATUS, Rule
from registry.services.compliance import PolicyBook, evaluate_teacher, teacher_facts
from registry.services.dashboard import GOOD, not_applicable, rate
from registry.services.verdicts import CHUNK, dialect_insert, load_teachers

MONTHS = 36  # month ends in a trend, and recorded back from today


def month_end(day: date) -> date:
    """The last day of the month of `day`."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_ends(until: date, months: int = MONTHS) -> list[date]:
    """The last `months` month ends on or before `until`, oldest first (`until` itself when it is a month end)."""
    last = month_end(until)
    if last > until:
        last = until.replace(day=1) - ONE_DAY
    first_days = (add_months(last.replace(day=1), -back) for back in range(months - 1, -1, -1))
    return [month_end(first) for first in first_days]


def recorded_month_ends(days: Sequence[date]) -> set[date]:
    """Those of `days` that have rows in compliance_trend."""
    if not days:
        return set()
    query = select(ComplianceTrend.month_end).where(ComplianceTrend.month_end.in_(days)).distinct()
    return set(db.session.scalars(query))


def count_month_ends(days: Sequence[date], book: PolicyBook | None = None) -> Counter:
    """{(month_end, school_id, rule, status): teachers} for these month ends, evaluated now (nothing stored).

    Each chunk of teachers is read once and evaluated for every day; a teacher is evaluated again only on the
    first day its last verdict is no longer valid. Only the teachers hired on or before a day count for it.
    """
    counts: Counter = Counter()
    if not days:
        return counts
    book = book or PolicyBook.load()
    days = sorted(days)
    ids = db.session.scalars(select(Teacher.id).where(Teacher.hire_date <= days[-1]).order_by(Teacher.id)).all()
    for chunk in chunks(ids, CHUNK):
        for teacher in load_teachers(chunk):
            facts = teacher_facts(teacher)
            result = until = None
            for day in days:
                if teacher.hire_date > day:
                    continue
                # A verdict stays the same up to the day before its valid_until (registry.rules.validity, the
                # contract the stored verdicts rely on too): most month ends reuse the last evaluation.
                if result is None or (until is not None and day >= until):
                    result = evaluate_teacher(teacher, day, book, facts)
                    if day != days[-1]:
                        until = earliest((teacher_valid_until(facts, day, book.on(day)), book.next_change_after(day)))
                for rule, outcome in ((Rule.HIRE, result.hire), (Rule.PRACTICE, result.practice),
                                      (Rule.TRAINING, result.training)):
                    counts[(day, teacher.school_id, rule, outcome.status)] += 1
    return counts


def _insert_missing(rows: list[dict]) -> None:
    """Insert the rows, leaving any row a concurrent run stored first (one statement per call)."""
    if not rows:
        return
    db.session.execute(dialect_insert(ComplianceTrend.__table__).on_conflict_do_nothing(), rows)


def record_month_ends(today: date, months: int = MONTHS) -> int:
    """Record every month end of the last `months` (on or before `today`) that has no rows yet. The caller commits.

    Returns how many month ends got rows (a month end before anyone was hired gets none and stays missing).
    Idempotent: a recorded month end is never evaluated again.
    """
    wanted = month_ends(today, months)
    recorded = recorded_month_ends(wanted)
    missing = [day for day in wanted if day not in recorded]
    counts = count_month_ends(missing)
    rows = [
        {"month_end": day, "school_id": school_id, "rule": rule, "status": status, "teachers": n}
        for (day, school_id, rule, status), n in sorted(counts.items())
    ]
    for part in chunks(rows, CHUNK):
        _insert_missing(list(part))
    return len({row["month_end"] for row in rows})


@dataclass(frozen=True)
class TrendPoint:
    """One month end of a trend: per rule, the rate (0..1, None when the rule applied to nobody), the teachers
    it applied to and those in order (dashboard.GOOD)."""

    month_end: date
    rates: dict[Rule, float | None] = field(default_factory=dict)
    applicable: dict[Rule, int] = field(default_factory=dict)
    in_order: dict[Rule, int] = field(default_factory=dict)


def trend_series(user: User, until: date, county: str | None = None, school_id: int | None = None,
                 months: int = MONTHS) -> list[TrendPoint]:
    """Each recorded month end of the last `months` on or before `until`, oldest first, summed over the schools
    the user may see (permissions.schools_query), narrowed to `county` and `school_id` when given.

    A month end recorded for other schools only gives a point without figures (rates None, counts 0), so
    every series of the page has the same months. Forbidden unless staff (read_schools).
    """
    permissions.authorize(user, "read_schools")
    window = month_ends(until, months)
    recorded = sorted(recorded_month_ends(window))
    if not recorded:
        return []
    schools = permissions.schools_query(user).order_by(None).with_only_columns(School.id)
    if county is not None:
        schools = schools.where(School.county == county)
    if school_id is not None:
        schools = schools.where(School.id == school_id)
    query = (
        select(ComplianceTrend.month_end, ComplianceTrend.rule, ComplianceTrend.status, func.sum(ComplianceTrend.teachers))
        .where(ComplianceTrend.month_end.in_(recorded), ComplianceTrend.school_id.in_(schools.scalar_subquery()))
        .group_by(ComplianceTrend.month_end, ComplianceTrend.rule, ComplianceTrend.status)
    )
    counts: dict[tuple[date, Rule], Counter] = {}
    for day, rule, status, n in db.session.execute(query):
        counts.setdefault((day, rule), Counter())[status] += int(n)
    points = []
    for day in recorded:
        point = TrendPoint(day)
        for rule in RULE_STATUS:
            found = counts.get((day, rule), Counter())
            point.rates[rule] = rate(found, rule)
            point.applicable[rule] = sum(n for status, n in found.items() if status != not_applicable(rule))
            point.in_order[rule] = sum(found[status] for status in GOOD[rule])
        points.append(point)
    return points
