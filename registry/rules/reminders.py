"""When a reminder is due, and under which key it is sent once.

Policy source: the Dandong implementation opinions, section 三(七): "实施5年累计不少于10个月企业实践制度" and
"落实专业课教师全员轮训制度" (rules.md, rules `practice` and `training`). A teacher should hear that a cycle is
running out while there is still time to act: 12, 6, 3 and 1 months before its end (DEADLINE_MONTHS); once per
cycle year when the yearly milestone is missed (rules.md `expected`); and 12 months before the end when the
rotation training of the cycle is still missing. School HR get a weekly digest, the bureau a monthly one.

Pure: standard library and registry.rules only; `as_of` is always passed in. Months are counted with the rules'
own calendar arithmetic (registry.rules.months: months_of_period, add_years). A reminder's key names the
person's cycle and the threshold or period, so that the same reminder is recorded once however often the
reminders command runs (the Notification's (user, key) is unique).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from .months import add_months, add_years, months_of_period, next_day, previous_day, report
from .vocabulary import NotificationKind, PracticeRuleStatus, TrainingRuleStatus

# Months before a cycle's end at which a teacher still needing practice months is reminded, largest first.
DEADLINE_MONTHS = (12, 6, 3, 1)
# Months before a cycle's end from which missing rotation training is reminded.
TRAINING_MONTHS = 12
# Practice statuses that still need months (rules.md: met needs none; not_applicable has no cycle).
NEEDING = (PracticeRuleStatus.BEHIND, PracticeRuleStatus.ON_TRACK, PracticeRuleStatus.INFEASIBLE)

Months = Fraction | float | int


@dataclass(frozen=True)
class Standing:
    """A teacher's practice and training verdicts as of a date (rules.md result fields of the current cycle).

    `months`, `required`, `needed`, `expected` are months (as the rules report them, or exact Fractions);
    `cycle_start` .. `cycle_end` is the personal cycle containing the date, both ends included.
    """

    cycle_start: date
    cycle_end: date
    practice_status: PracticeRuleStatus
    months: Months
    required: Months
    needed: Months
    expected: Months
    training_status: TrainingRuleStatus


@dataclass(frozen=True)
class Due:
    """A reminder due on a date: its kind, its key (the same reminder has the same key on every run) and its
    figures (a read-only, JSON-able mapping: dates as ISO strings, months as numbers)."""

    kind: NotificationKind
    key: str
    figures: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "figures", MappingProxyType(dict(self.figures)))


def remaining_months(cycle_end: date, as_of: date) -> Fraction:
    """Months of [as_of + 1 day, cycle_end] (rules.md `remaining`); 0 on the cycle's last day or after it."""
    return months_of_period(next_day(as_of), cycle_end)


def deadline_threshold(cycle_end: date, as_of: date) -> int | None:
    """The smallest threshold T of DEADLINE_MONTHS reached on `as_of`: the cycle ends T months away or less,
    remaining_months(cycle_end, as_of) <= T compared exactly (rules.md `remaining`: the cycle ending 2027-08-31 has
    exactly 12 months left on 2026-08-31, so the 12-month reminder is due on that day). None when none is reached
    (more than 12 months left) or the cycle has ended. Only this one is due: a registry that starts reminding with
    5 months left sends the 6-month reminder, not the 12- and 6-month ones."""
    if as_of > cycle_end:
        return None
    remaining = remaining_months(cycle_end, as_of)
    reached = [months for months in DEADLINE_MONTHS if remaining <= months]
    return min(reached) if reached else None


def years_ended(cycle_start: date, cycle_end: date, as_of: date) -> int:
    """Cycle years fully ended by `as_of`, as rules.md counts them for `expected`: year y has ended when
    add_years(cycle_start, y) ≤ as_of + 1 day (and lies within the cycle)."""
    tomorrow, after_end = next_day(as_of), next_day(cycle_end)
    count = 0
    while (boundary := add_years(cycle_start, count + 1)) <= tomorrow and boundary <= after_end:
        count += 1
    return count


def teacher_reminders(standing: Standing, as_of: date) -> tuple[Due, ...]:
    """The reminders due to a teacher on `as_of` (a day of the standing's cycle), in the order
    cycle_deadline, practice_behind, training_missing:

    - cycle_deadline, key "cycle_deadline:<cycle start>:<T>": practice still needed (status behind, on_track or
      infeasible; never met or not_applicable) and T = deadline_threshold(...) reached. Figures: cycle_start,
      cycle_end, threshold (months), remaining, months, required, needed (months), status (code).
    - practice_behind, key "practice_behind:<cycle start>:<years ended>": status behind (once per cycle year).
      Figures: cycle_start, cycle_end, years_ended, months, expected, required, needed.
    - training_missing, key "training_missing:<cycle start>": training status pending and the cycle's end
      TRAINING_MONTHS months away or less (remaining_months <= TRAINING_MONTHS, exactly). Figures: cycle_start,
      cycle_end, remaining.

    A date outside the cycle gives nothing.
    """
    start, end = standing.cycle_start, standing.cycle_end
    if not start <= as_of <= end:
        return ()
    cycle = {"cycle_start": start.isoformat(), "cycle_end": end.isoformat()}
    remaining = report(remaining_months(end, as_of))
    due: list[Due] = []
    threshold = deadline_threshold(end, as_of)
    if standing.practice_status in NEEDING and standing.needed > 0 and threshold is not None:
        due.append(Due(NotificationKind.CYCLE_DEADLINE, f"{NotificationKind.CYCLE_DEADLINE}:{start}:{threshold}", {
            **cycle, "threshold": threshold, "remaining": remaining, "months": _number(standing.months),
            "required": _number(standing.required), "needed": _number(standing.needed),
            "status": str(standing.practice_status),
        }))
    if standing.practice_status == PracticeRuleStatus.BEHIND:
        ended = years_ended(start, end, as_of)
        due.append(Due(NotificationKind.PRACTICE_BEHIND, f"{NotificationKind.PRACTICE_BEHIND}:{start}:{ended}", {
            **cycle, "years_ended": ended, "months": _number(standing.months),
            "expected": _number(standing.expected), "required": _number(standing.required),
            "needed": _number(standing.needed),
        }))
    if standing.training_status == TrainingRuleStatus.PENDING and remaining_months(end, as_of) <= TRAINING_MONTHS:
        due.append(Due(NotificationKind.TRAINING_MISSING, f"{NotificationKind.TRAINING_MISSING}:{start}",
                       {**cycle, "remaining": remaining}))
    return tuple(due)


def digest_period(kind: NotificationKind, as_of: date) -> str:
    """The period a digest of `kind` covers on `as_of`: the ISO week for HR ("2026-W49"), the month for the
    bureau ("2026-12"). Raises ValueError for a kind that is not a digest."""
    if kind == NotificationKind.HR_DIGEST:
        year, week, _day = as_of.isocalendar()
        return f"{year}-W{week:02d}"
    if kind == NotificationKind.BUREAU_DIGEST:
        return f"{as_of.year}-{as_of.month:02d}"
    raise ValueError(f"{kind} is not a digest")


def digest_span(kind: NotificationKind, as_of: date) -> tuple[date, date]:
    """The first and last day of the period a digest of `kind` covers on `as_of`: the ISO week (Monday .. Sunday)
    for HR, the calendar month for the bureau. Raises ValueError for a kind that is not a digest."""
    if kind == NotificationKind.HR_DIGEST:
        monday = as_of - timedelta(days=as_of.weekday())
        return monday, monday + timedelta(days=6)
    if kind == NotificationKind.BUREAU_DIGEST:
        first = as_of.replace(day=1)
        return first, previous_day(add_months(first, 1))
    raise ValueError(f"{kind} is not a digest")


def digest_due(kind: NotificationKind, as_of: date) -> Due:
    """The digest of `kind` for the period containing `as_of`, key "<kind>:<period>": due on the first run in its
    period (run daily, that is the Monday of the week, the 1st of the month). Figures: period (digest_period),
    period_start and period_end (ISO dates: digest_span)."""
    period = digest_period(kind, as_of)
    start, end = digest_span(kind, as_of)
    return Due(kind, f"{kind}:{period}", {"period": period, "period_start": start.isoformat(),
                                          "period_end": end.isoformat()})


def _number(months: Months) -> float | int:
    """A figure of months as a JSON number, rounded as the rules report it."""
    return report(months) if isinstance(months, Fraction) else months
