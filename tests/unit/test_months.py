"""Calendar arithmetic and month counting of rules.md "Measuring months"."""
from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.rules.months import (
    add_months,
    add_years,
    clip,
    last_day_of_years,
    merge,
    months_of_period,
    months_of_set,
    next_day,
    previous_day,
    report,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    "start, n, expected",
    [
        ("2021-01-15", 1, "2021-02-15"),
        ("2021-01-31", 1, "2021-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2021-03-31", 1, "2021-04-30"),
        ("2021-12-15", 1, "2022-01-15"),
        ("2021-01-31", 13, "2022-02-28"),
        ("2020-05-31", 0, "2020-05-31"),
        ("2021-03-31", -1, "2021-02-28"),
        ("2018-07-01", 36, "2021-07-01"),
    ],
)
def test_add_months_keeps_the_day_and_clamps_it_to_the_month_end(start, n, expected):
    assert add_months(D(start), n) == D(expected)


@pytest.mark.parametrize(
    "start, n, expected",
    [
        ("2021-01-01", 5, "2026-01-01"),
        ("2024-02-29", 1, "2025-02-28"),
        ("2024-02-29", 4, "2028-02-29"),
        ("2024-02-29", 5, "2029-02-28"),
        ("2023-02-28", 1, "2024-02-28"),
    ],
)
def test_add_years_turns_29_february_into_28_february_in_a_common_year(start, n, expected):
    assert add_years(D(start), n) == D(expected)


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ("2018-07-01", "2021-06-30", Fraction(36)),
        ("2018-07-02", "2021-06-30", 35 + Fraction(29, 30)),
        ("2023-07-15", "2023-08-31", 1 + Fraction(17, 30)),
        ("2021-01-01", "2021-01-01", Fraction(1, 30)),
        # 31 Jan + 1 month is clamped to 28 Feb, so 28 days already make a month.
        ("2021-01-31", "2021-02-27", Fraction(1)),
        ("2021-01-31", "2021-02-28", 1 + Fraction(1, 30)),
        ("2023-01-01", "2023-06-30", Fraction(6)),
        ("2021-06-01", "2026-11-28", 65 + Fraction(28, 30)),
        ("2021-02-01", "2021-01-31", Fraction(0)),
    ],
)
def test_months_of_a_period_are_whole_months_plus_leftover_days_over_thirty(start, end, expected):
    assert months_of_period(D(start), D(end)) == expected


@pytest.mark.parametrize(
    "periods, expected",
    [
        ([], []),
        (
            [("2020-01-01", "2021-06-30"), ("2019-01-01", "2020-12-31")],
            [("2019-01-01", "2021-06-30")],
        ),
        (
            [("2019-01-15", "2020-06-14"), ("2020-06-15", "2022-01-14")],
            [("2019-01-15", "2022-01-14")],
        ),
        (
            [("2019-01-15", "2020-06-13"), ("2020-06-15", "2022-01-14")],
            [("2019-01-15", "2020-06-13"), ("2020-06-15", "2022-01-14")],
        ),
        (
            [("2019-01-01", "2022-12-31"), ("2020-01-01", "2020-03-31")],
            [("2019-01-01", "2022-12-31")],
        ),
    ],
)
def test_merge_joins_periods_that_overlap_or_touch(periods, expected):
    as_dates = lambda ps: [(D(s), D(e)) for s, e in ps]  # noqa: E731
    assert merge(as_dates(periods)) == as_dates(expected)


@pytest.mark.parametrize(
    "period, lo, hi, expected",
    [
        (("2020-01-01", "2020-12-31"), "2020-06-01", None, ("2020-06-01", "2020-12-31")),
        (("2020-01-01", "2020-12-31"), None, "2020-03-31", ("2020-01-01", "2020-03-31")),
        (("2020-01-01", "2020-12-31"), "2021-01-01", None, None),
        (("2020-01-01", "2020-12-31"), "2020-02-01", "2020-02-29", ("2020-02-01", "2020-02-29")),
    ],
)
def test_clip_keeps_only_the_part_inside_the_window(period, lo, hi, expected):
    window = (D(lo) if lo else None, D(hi) if hi else None)
    got = clip((D(period[0]), D(period[1])), *window)
    assert got == (None if expected is None else (D(expected[0]), D(expected[1])))


def test_overlapping_periods_of_a_set_are_counted_once():
    periods = [(D("2022-01-01"), D("2022-06-30")), (D("2022-04-01"), D("2022-09-30"))]
    assert months_of_set(periods) == 9


def test_a_set_is_clipped_to_its_window_before_counting():
    periods = [(D("2025-11-01"), D("2026-02-28"))]
    assert months_of_set(periods, D("2021-01-01"), D("2025-12-31")) == 2
    assert months_of_set(periods, D("2026-01-01"), D("2026-03-31")) == 2


@pytest.mark.parametrize(
    "value, expected",
    [
        (35 + Fraction(29, 30), 35.97),
        (Fraction(1, 30), 0.03),
        (Fraction(1, 200), 0.01),
        (Fraction(1, 200) - Fraction(1, 10**40), 0.0),
        (Fraction(3, 200), 0.02),
        (Fraction(5, 200), 0.03),
        (65 + Fraction(28, 30), 65.93),
        (Fraction(24, 5), 4.8),
        (Fraction(36), 36.0),
        (Fraction(-1, 200), -0.01),
        (0, 0.0),
    ],
)
def test_reported_months_are_rounded_half_up_to_two_decimals(value, expected):
    got = report(value)
    assert isinstance(got, float)
    assert got == expected


def test_a_short_calendar_month_counts_whole_so_parts_can_sum_to_less_than_the_whole():
    # Pinned reading of rules.md: a whole month counts 1 however many days it
    # has, leftover days count 1/30 each. Neither half of February is a whole
    # month, February itself is.
    first_half = months_of_period(D("2021-02-01"), D("2021-02-14"))
    second_half = months_of_period(D("2021-02-15"), D("2021-02-28"))
    assert first_half + second_half == Fraction(28, 30)
    assert months_of_set([(D("2021-02-01"), D("2021-02-14")), (D("2021-02-15"), D("2021-02-28"))]) == 1


def test_filling_a_one_day_gap_can_lower_the_count_under_the_spec_measure():
    # Also a consequence of the measure, not a bug: 2019-07-29..2020-02-12 is
    # 6 months + 15 days and 2020-02-14..2020-03-27 is 1 month + 14 days, while
    # the joined 2019-07-29..2020-03-27 is 7 months (to 29 Feb) + 28 days.
    apart = [(D("2019-07-29"), D("2020-02-12")), (D("2020-02-14"), D("2020-03-27"))]
    joined = apart + [(D("2020-02-13"), D("2020-02-13"))]
    assert months_of_set(apart) == 7 + Fraction(29, 30)
    assert months_of_set(joined) == 7 + Fraction(28, 30)


# --- the whole calendar: any date Python has, the two ends drawn often (old data may hold any of them) ----------

CALENDAR_ENDS = (date.min, date(1, 1, 31), date(1, 2, 28), date(9999, 2, 28), date(9999, 12, 1), date.max)
any_date = st.one_of(st.dates(date.min, date.max), st.sampled_from(CALENDAR_ENDS))
month_steps = st.integers(-12 * 10_000, 12 * 10_000)


def month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


@given(any_date, month_steps, month_steps)
def test_add_months_answers_for_any_date_and_never_goes_back_when_n_grows(d, n, m):
    low, high = sorted((n, m))
    assert date.min <= add_months(d, low) <= add_months(d, high) <= date.max


@given(any_date, month_steps)
def test_add_months_lands_n_months_on_unless_that_month_lies_past_an_end_of_the_calendar(d, n):
    landed = add_months(d, n)
    if month_index(date.min) <= month_index(d) + n <= month_index(date.max):
        assert month_index(landed) == month_index(d) + n and landed.day <= d.day
    else:
        assert landed == (date.min if n < 0 else date.max)


@given(any_date, st.integers(-10_000, 10_000))
def test_add_years_answers_for_any_date_on_the_same_day_or_at_an_end_of_the_calendar(d, n):
    landed = add_years(d, n)
    if 1 <= d.year + n <= 9999:
        assert (landed.year, landed.month) == (d.year + n, d.month) and d.day - landed.day in (0, 1)
    else:
        assert landed == (date.min if n < 0 else date.max)


def months_by_definition(start: date, end: date) -> Fraction:
    """rules.md word for word: x = end + 1 day, k the largest with add_months(start, k) <= x (found by bisection)."""
    x = end + timedelta(days=1)
    k, beyond = 0, 12 * 10_000  # add_months(start, beyond) is past x (or clamped to date.max, which is past x too)
    while beyond - k > 1:
        middle = (k + beyond) // 2
        k, beyond = (middle, beyond) if add_months(start, middle) <= x else (k, middle)
    return k + Fraction((x - add_months(start, k)).days, 30)


@given(any_date, any_date)
def test_months_of_any_period_follow_the_definition(a, b):
    start, end = sorted(min(d, date(9999, 12, 29)) for d in (a, b))  # the definition's x stays short of date.max
    assert months_of_period(start, end) == months_by_definition(start, end)


@given(st.lists(st.tuples(any_date, any_date).map(sorted), max_size=6), st.one_of(st.none(), any_date))
def test_months_of_any_set_are_no_more_than_its_days_over_twenty_eight(periods, hi):
    """A whole month has at least 28 days and a leftover day counts 1/30 (rules.md), so no set of periods counts
    more months than its days / 28, however its periods overlap or touch."""
    counted = months_of_set(periods, hi=hi)
    assert 0 <= counted <= Fraction(sum((e - s).days + 1 for s, e in periods), 28)


def test_touching_periods_merged_may_count_a_little_more_than_each_counted_alone():
    """Why the sum of the parts is no bound: merged, the day fractions (over 30) of the two parts become whole months."""
    first, second = (date(1, 1, 1), date(2000, 1, 1)), (date(2000, 1, 2), date(9999, 2, 28))
    merged = months_of_set([first, second])
    assert merged == months_of_period(date(1, 1, 1), date(9999, 2, 28)) == 119978
    assert merged > months_of_period(*first) + months_of_period(*second)


@pytest.mark.parametrize(
    "call, expected",
    [
        (lambda: add_months(date.max, 1), date.max),
        (lambda: add_months(date(9999, 12, 31), -1), date(9999, 11, 30)),
        (lambda: add_months(date.min, -1), date.min),
        (lambda: add_years(date(9999, 2, 28), 1), date.max),
        (lambda: add_years(date(1, 3, 1), -1), date.min),
        (lambda: next_day(date.max), date.max),
        (lambda: next_day(date(2199, 12, 31)), date(2200, 1, 1)),
        (lambda: previous_day(date.min), date.min),
        (lambda: last_day_of_years(date(2021, 1, 1), 5), date(2025, 12, 31)),
        (lambda: last_day_of_years(date(9996, 1, 1), 5), date.max),
        (lambda: months_of_period(date.max, date.max), Fraction(0)),
        (lambda: months_of_period(date.min, date.max - timedelta(days=1)), Fraction(9999 * 12)),
    ],
)
def test_a_step_past_an_end_of_the_calendar_stays_on_it(call, expected):
    assert call() == expected
