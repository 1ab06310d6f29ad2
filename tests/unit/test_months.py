"""Calendar arithmetic and month counting of rules.md "Measuring months"."""
from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from registry.rules.months import (
    add_months,
    add_years,
    clip,
    merge,
    months_of_period,
    months_of_set,
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
