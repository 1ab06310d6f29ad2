"""registry.rules.reminders: which reminder is due on which day, under which key."""
from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.rules.months import add_years, last_day_of_years, months_of_period
from registry.rules.reminders import (
    DEADLINE_MONTHS,
    TRAINING_MONTHS,
    Due,
    Standing,
    deadline_threshold,
    digest_due,
    digest_period,
    digest_span,
    remaining_months,
    teacher_reminders,
    years_ended,
)
from registry.rules.vocabulary import NotificationKind, PracticeRuleStatus, TrainingRuleStatus

START, END = date(2022, 9, 1), date(2027, 8, 31)  # a personal cycle of 5 years
DAY = timedelta(days=1)


def standing(status=PracticeRuleStatus.ON_TRACK, months=4.0, needed=6.0, expected=4.0,
             training=TrainingRuleStatus.DONE, start=START, end=END) -> Standing:
    return Standing(start, end, status, months, 10, needed, expected, training)


def kinds(due: tuple[Due, ...]) -> list[NotificationKind]:
    return [d.kind for d in due]


# --- the deadline thresholds --------------------------------------------------------------------------------------


def test_twelve_months_remain_exactly_on_the_same_day_a_year_before_the_end():
    assert remaining_months(END, date(2026, 8, 31)) == months_of_period(date(2026, 9, 1), END) == 12
    assert remaining_months(END, date(2026, 8, 30)) == 12 + Fraction(1, 30)
    assert remaining_months(END, END) == 0


@pytest.mark.parametrize(("as_of", "threshold"), [
    (date(2026, 8, 30), None),  # 12 months and a day left
    (date(2026, 8, 31), 12),  # exactly 12 months left: [2026-09-01, 2027-08-31]
    (date(2027, 2, 27), 12),
    (date(2027, 2, 28), 6),  # [2027-03-01, 2027-08-31] is 6 months
    (date(2027, 5, 30), 6),
    (date(2027, 5, 31), 3),
    (date(2027, 7, 30), 3),
    (date(2027, 7, 31), 1),
    (date(2027, 8, 31), 1),  # the cycle's last day: 0 months left
    (date(2027, 9, 1), None),  # the cycle has ended
])
def test_the_smallest_threshold_reached_is_the_one_due(as_of, threshold):
    assert deadline_threshold(END, as_of) == threshold


def first_day_within(end: date, months: int) -> date:
    """The first day on which the cycle ending on `end` has `months` months or less left (rules.md `remaining`)."""
    day = add_years(end, -2)
    while remaining_months(end, day) > months:
        day += DAY
    return day


@pytest.mark.parametrize(("end", "months", "first_day"), [
    (date(2027, 8, 31), 12, date(2026, 8, 31)),
    (date(2027, 8, 31), 1, date(2027, 7, 31)),
    (date(2027, 2, 27), 1, date(2027, 1, 27)),  # a cycle from 28 February
    (date(2027, 3, 31), 1, date(2027, 2, 28)),  # [1 March, 31 March] is one month; 28 February is a month and 4 days
    (date(2027, 3, 30), 1, date(2027, 2, 28)),  # [1 March, 30 March]: 30 days, one month
    (date(2028, 3, 30), 1, date(2028, 2, 29)),  # a leap year
    (date(2027, 8, 29), 6, date(2027, 2, 28)),  # [1 March, 29 August] is 5 + 29/30; [28 February, ...] 6 + 2/30
])
def test_a_threshold_is_due_from_the_first_day_with_that_many_months_or_less_left(end, months, first_day):
    assert first_day_within(end, months) == first_day
    assert remaining_months(end, first_day - DAY) > months >= remaining_months(end, first_day)
    assert deadline_threshold(end, first_day - DAY) != months
    assert deadline_threshold(end, first_day) == months


@pytest.mark.parametrize(("as_of", "key"), [
    (date(2026, 8, 30), None),
    (date(2026, 8, 31), "cycle_deadline:2022-09-01:12"),
    (date(2027, 2, 28), "cycle_deadline:2022-09-01:6"),
    (date(2027, 5, 31), "cycle_deadline:2022-09-01:3"),
    (date(2027, 7, 31), "cycle_deadline:2022-09-01:1"),
])
def test_a_teacher_needing_months_gets_the_deadline_reminder_of_the_threshold_reached(as_of, key):
    due = [d for d in teacher_reminders(standing(), as_of) if d.kind == NotificationKind.CYCLE_DEADLINE]
    assert [d.key for d in due] == ([key] if key else [])


def test_a_registry_starting_with_five_months_left_sends_the_six_month_reminder_only():
    due = teacher_reminders(standing(), date(2027, 4, 1))
    assert [d.key for d in due] == ["cycle_deadline:2022-09-01:6"]


@pytest.mark.parametrize("status", [PracticeRuleStatus.ON_TRACK, PracticeRuleStatus.BEHIND,
                                    PracticeRuleStatus.INFEASIBLE])
def test_every_status_still_needing_months_is_reminded_of_the_deadline(status):
    assert NotificationKind.CYCLE_DEADLINE in kinds(teacher_reminders(standing(status), date(2027, 6, 15)))


@pytest.mark.parametrize(("status", "needed"), [(PracticeRuleStatus.MET, 0), (PracticeRuleStatus.NOT_APPLICABLE, 0),
                                                (PracticeRuleStatus.MET, 0.0)])
def test_met_and_not_applicable_are_never_reminded_of_practice(status, needed):
    for as_of in (date(2026, 9, 1), date(2027, 3, 1), date(2027, 6, 1), date(2027, 8, 31)):
        assert teacher_reminders(standing(status, months=10, needed=needed), as_of) == ()


def test_the_deadline_reminder_names_the_figures_of_its_date():
    (due,) = teacher_reminders(standing(months=3, needed=7), date(2026, 12, 1))
    assert dict(due.figures) == {
        "cycle_start": "2022-09-01", "cycle_end": "2027-08-31", "threshold": 12, "remaining": 9,
        "months": 3, "required": 10, "needed": 7, "status": "on_track",
    }
    json.dumps(dict(due.figures))  # JSON-able


def test_the_figures_cannot_be_changed():
    (due,) = teacher_reminders(standing(), date(2027, 6, 1))
    with pytest.raises(TypeError):
        due.figures["needed"] = 0


# --- behind, training ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("as_of", "ended"), [
    (date(2022, 9, 1), 0),
    (date(2023, 8, 30), 0),
    (date(2023, 8, 31), 1),  # year one ends: add_years(start, 1) <= as_of + 1 day
    (date(2026, 12, 1), 4),
    (date(2027, 8, 31), 5),
])
def test_cycle_years_end_as_rules_md_counts_them(as_of, ended):
    assert years_ended(START, END, as_of) == ended


def test_a_teacher_behind_is_reminded_once_per_cycle_year():
    behind = standing(PracticeRuleStatus.BEHIND, months=2, needed=8, expected=4)
    keys = {d.key for day in (date(2024, 9, 1), date(2025, 3, 1), date(2025, 8, 30))
            for d in teacher_reminders(behind, day) if d.kind == NotificationKind.PRACTICE_BEHIND}
    assert keys == {"practice_behind:2022-09-01:2"}
    (later,) = [d for d in teacher_reminders(behind, date(2025, 8, 31)) if d.kind == NotificationKind.PRACTICE_BEHIND]
    assert later.key == "practice_behind:2022-09-01:3"
    assert later.figures["expected"] == 4 and later.figures["years_ended"] == 3


@pytest.mark.parametrize("status", [PracticeRuleStatus.ON_TRACK, PracticeRuleStatus.INFEASIBLE, PracticeRuleStatus.MET])
def test_only_behind_gets_the_behind_reminder(status):
    assert NotificationKind.PRACTICE_BEHIND not in kinds(teacher_reminders(standing(status), date(2025, 1, 1)))


@pytest.mark.parametrize(("training", "as_of", "due"), [
    (TrainingRuleStatus.PENDING, date(2026, 8, 30), False),  # 12 months and a day left
    (TrainingRuleStatus.PENDING, date(2026, 8, 31), True),  # exactly 12 left
    (TrainingRuleStatus.PENDING, date(2027, 8, 31), True),
    (TrainingRuleStatus.DONE, date(2027, 1, 1), False),
    (TrainingRuleStatus.NOT_APPLICABLE, date(2027, 1, 1), False),
])
def test_missing_training_is_reminded_with_twelve_months_left(training, as_of, due):
    found = [d for d in teacher_reminders(standing(PracticeRuleStatus.MET, needed=0, training=training), as_of)]
    assert [d.key for d in found] == (["training_missing:2022-09-01"] if due else [])


@pytest.mark.parametrize(("end", "first_day"), [(END, date(2026, 8, 31)), (date(2027, 3, 30), date(2026, 3, 30))])
def test_missing_training_is_due_from_the_first_day_with_twelve_months_or_less_left(end, first_day):
    pending = standing(PracticeRuleStatus.MET, needed=0, training=TrainingRuleStatus.PENDING, end=end)
    assert first_day_within(end, TRAINING_MONTHS) == first_day
    assert kinds(teacher_reminders(pending, first_day - DAY)) == []
    assert kinds(teacher_reminders(pending, first_day)) == [NotificationKind.TRAINING_MISSING]


def test_a_date_outside_the_cycle_gives_nothing():
    assert teacher_reminders(standing(training=TrainingRuleStatus.PENDING), date(2027, 9, 1)) == ()


# --- digests ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "as_of", "period"), [
    (NotificationKind.HR_DIGEST, date(2026, 11, 30), "2026-W49"),  # a Monday
    (NotificationKind.HR_DIGEST, date(2026, 12, 6), "2026-W49"),  # its Sunday
    (NotificationKind.HR_DIGEST, date(2026, 12, 7), "2026-W50"),
    (NotificationKind.HR_DIGEST, date(2027, 1, 1), "2026-W53"),  # ISO weeks: 1 January 2027 is in 2026's week 53
    (NotificationKind.BUREAU_DIGEST, date(2026, 12, 1), "2026-12"),
    (NotificationKind.BUREAU_DIGEST, date(2026, 12, 31), "2026-12"),
    (NotificationKind.BUREAU_DIGEST, date(2027, 1, 1), "2027-01"),
])
def test_a_digest_covers_the_week_or_the_month(kind, as_of, period):
    assert digest_period(kind, as_of) == period
    assert digest_due(kind, as_of).key == f"{kind}:{period}"


@pytest.mark.parametrize(("kind", "as_of", "span"), [
    (NotificationKind.HR_DIGEST, date(2026, 12, 9), (date(2026, 12, 7), date(2026, 12, 13))),
    (NotificationKind.HR_DIGEST, date(2026, 12, 7), (date(2026, 12, 7), date(2026, 12, 13))),  # a Monday
    (NotificationKind.HR_DIGEST, date(2027, 1, 1), (date(2026, 12, 28), date(2027, 1, 3))),
    (NotificationKind.BUREAU_DIGEST, date(2026, 12, 15), (date(2026, 12, 1), date(2026, 12, 31))),
    (NotificationKind.BUREAU_DIGEST, date(2028, 2, 1), (date(2028, 2, 1), date(2028, 2, 29))),
])
def test_a_digest_names_the_first_and_last_day_of_its_period(kind, as_of, span):
    assert digest_span(kind, as_of) == span
    figures = digest_due(kind, as_of).figures
    assert (figures["period_start"], figures["period_end"]) == (span[0].isoformat(), span[1].isoformat())


@pytest.mark.parametrize("period_of", [digest_period, digest_span])
def test_only_digests_have_a_period(period_of):
    with pytest.raises(ValueError):
        period_of(NotificationKind.CYCLE_DEADLINE, date(2026, 12, 1))


# --- properties ---------------------------------------------------------------------------------------------------

cycle_starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2150, 12, 31))


@given(start=cycle_starts, offset=st.integers(min_value=0, max_value=1826))
def test_at_most_one_deadline_threshold_is_due_on_any_day_of_a_cycle(start, offset):
    end = last_day_of_years(start, 5)
    as_of = min(start + timedelta(days=offset), end)
    due = [d for d in teacher_reminders(standing(start=start, end=end), as_of) if d.kind == NotificationKind.CYCLE_DEADLINE]
    assert len(due) <= 1


@given(start=cycle_starts, offset=st.integers(min_value=0, max_value=1826))
def test_the_threshold_due_is_the_smallest_that_the_months_left_do_not_exceed(start, offset):
    end = last_day_of_years(start, 5)
    as_of = min(start + timedelta(days=offset), end)
    left = months_of_period(as_of + DAY, end)
    assert deadline_threshold(end, as_of) == min((t for t in DEADLINE_MONTHS if left <= t), default=None)


@given(start=cycle_starts)
def test_over_a_cycle_each_threshold_runs_on_consecutive_days_in_decreasing_order(start):
    end = last_day_of_years(start, 5)
    runs: list[tuple[str, list[date]]] = []
    day = add_years(start, 3)  # more than a year before the end: no threshold reached yet
    while day <= end:
        for due in teacher_reminders(standing(start=start, end=end), day):
            if due.kind == NotificationKind.CYCLE_DEADLINE:
                if runs and runs[-1][0] == due.key:
                    runs[-1][1].append(day)
                else:
                    runs.append((due.key, [day]))
        day += DAY
    assert [key for key, _days in runs] == [f"cycle_deadline:{start}:{t}" for t in DEADLINE_MONTHS]
    for _key, days in runs:
        assert days == [days[0] + timedelta(days=i) for i in range(len(days))]
    assert runs[-1][1][-1] == end
