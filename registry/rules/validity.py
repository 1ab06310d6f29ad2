"""How long a verdict stays true: the first date on which it could change with no new data.

A verdict computed as of D stays the same on every later date until the
earliest of: the hire or leaving date (applicability), the day the practice
rule takes effect for the teacher, a yearly milestone (expected grows), the
cycle's end (a new cycle), the day verified practice or completed training
starts counting, and the day the remaining months of the cycle fall below the
months needed (infeasible). The service adds the next policy version's
effective date, which the rules cannot know.

Standard library only, like the rest of registry.rules.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

from .engine import (
    Cycle,
    counts_as_experience,
    cycle_containing,
    in_office,
    practice_anchor,
    verified_periods,
)
from .facts import TeacherFacts
from .months import ONE_DAY, add_months, last_day_of_years, months_of_period, months_of_set, next_day
from .policy import DEFAULT_POLICY, Policy
from .vocabulary import PracticeStatus, TrainingKind, TrainingStatus


def earliest(dates: Iterable[date | None]) -> date | None:
    """The earliest of the dates given, ignoring None; None when there is none."""
    return min((d for d in dates if d is not None), default=None)


def teacher_valid_until(teacher: TeacherFacts, as_of: date, policy: Policy = DEFAULT_POLICY) -> date | None:
    """The first date after `as_of` on which the hire, practice or training verdict could differ (None: never).

    The hire verdict depends on the hire date's policy only, not on D (rules.md, rule hire), so only practice
    and training (rules.md, rules practice and training; policy 三(七): 10 months in every 5 years, 全员轮训) set it.
    """
    if as_of == date.max:
        return None  # the calendar has no later day
    after = as_of + ONE_DAY
    candidates: list[date | None] = [
        teacher.hire_date if teacher.hire_date > as_of else None,
        teacher.left_date if teacher.left_date is not None and teacher.left_date > as_of else None,
    ]
    anchor = practice_anchor(teacher, policy)
    if anchor > as_of:
        candidates.append(anchor)
    cycle = cycle_containing(anchor, as_of, policy.cycle_years)
    if cycle is not None:
        candidates.append(next_day(cycle.end))
        candidates.extend(_milestones(cycle, as_of, policy.cycle_years))
    candidates.extend(_practice_starts_counting(teacher, as_of))
    candidates.extend(t.end for t in teacher.training if _counts_as_training(t) and t.end > as_of)
    if cycle is not None and not any(c == after for c in candidates):
        candidates.append(_becomes_infeasible(teacher, as_of, cycle, policy))
    return earliest(candidates)


def _milestones(cycle: Cycle, as_of: date, years: int) -> list[date]:
    """The days on which a cycle year has ended (add_years(start, y) ≤ D + 1) that are still to come."""
    days = (last_day_of_years(cycle.start, y) for y in range(1, years + 1))
    return [d for d in days if d > as_of]


def _practice_starts_counting(teacher: TeacherFacts, as_of: date) -> list[date]:
    """Verified practice still running after D counts more from tomorrow; one not started yet, from its start."""
    return [
        max(as_of + ONE_DAY, p.start)
        for p in teacher.practice
        if p.status == PracticeStatus.VERIFIED and (p.end is None or p.end > as_of)
    ]


def _counts_as_training(training) -> bool:
    return training.kind == TrainingKind.ROTATION and training.status == TrainingStatus.COMPLETED


def _becomes_infeasible(teacher: TeacherFacts, as_of: date, cycle: Cycle, policy: Policy) -> date | None:
    """The first day after D on which the months needed exceed the months remaining (with no practice added).

    Called only when the counted practice does not grow after D, so the months done stay as they are; the
    months remaining shrink day by day, so the first such day is found by bisection. None when the rule is met.
    """
    needed = policy.practice_required_months - months_of_set(verified_periods(teacher, as_of), cycle.start, as_of)
    if needed <= 0:
        return None
    if needed > months_of_period(as_of + ONE_DAY, cycle.end):
        return None  # already infeasible: it stays so until the cycle ends
    # Until `safe` at least ceil(needed) whole months remain, so nothing can turn infeasible before it: answering
    # `safe` is exact enough (the verdict is simply recomputed then) and spares the search for most teachers.
    safe = add_months(next_day(cycle.end), -(math.ceil(needed) + 1))
    if safe > as_of:
        return safe
    low, high = as_of + ONE_DAY, cycle.end  # on the cycle's last day nothing remains: infeasible there
    while low < high:
        middle = low + (high - low) // 2
        if needed > months_of_period(middle + ONE_DAY, cycle.end):
            high = middle
        else:
            low = middle + ONE_DAY
    return low


def leadership_valid_until(members: Iterable[TeacherFacts], as_of: date) -> date | None:
    """The first date after `as_of` on which a school's leadership verdict could differ (None: never).

    Members join or leave the counted team on their hire and leaving dates; a counted member's enterprise work
    still running after D adds to best_months from tomorrow (rules.md, rule leadership; policy 三(七)).
    """
    if as_of == date.max:
        return None  # the calendar has no later day
    candidates: list[date | None] = []
    for member in members:
        if not member.leadership:
            continue
        candidates.append(member.hire_date if member.hire_date > as_of else None)
        candidates.append(member.left_date if member.left_date is not None and member.left_date > as_of else None)
        if in_office(member, as_of):
            candidates.extend(
                max(as_of + ONE_DAY, job.start)
                for job in member.employment
                if counts_as_experience(job) and (job.end is None or job.end > as_of)
            )
    return earliest(candidates)
