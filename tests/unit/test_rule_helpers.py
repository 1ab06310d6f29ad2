"""The helpers the rule package exports for the application (who is employed, open-ended periods, rounding)."""
from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from registry.batches import chunks
from registry.rules import (
    Practice,
    TeacherFacts,
    employed_on,
    evaluate_leadership,
    months_of_period,
    period_of,
    practice_periods,
    report,
    report_optional,
    threshold_text,
)

D = date.fromisoformat


def teacher(**changes) -> TeacherFacts:
    facts = dict(course_type="specialty", post_type="fixed", hire_date=D("2020-03-01"), hire_channel="open",
                 education="bachelor")
    return TeacherFacts(**(facts | changes))


@pytest.mark.parametrize(
    "left, day, wanted",
    [
        (None, "2020-02-29", False),  # not yet hired
        (None, "2020-03-01", True),  # the hire date itself
        ("2024-06-30", "2024-06-29", True),
        ("2024-06-30", "2024-06-30", False),  # gone on the day they leave
        ("2024-06-30", "2030-01-01", False),
    ],
)
def test_a_teacher_is_employed_from_the_hire_date_until_the_day_before_leaving(left, day, wanted):
    assert employed_on(teacher(left_date=D(left) if left else None), D(day)) is wanted


def test_the_leadership_rule_counts_only_members_employed_that_day():
    member = dict(leadership=True, left_date=D("2024-06-30"))
    assert evaluate_leadership([teacher(**member)], D("2024-06-29")).members_counted == 1
    assert evaluate_leadership([teacher(**member)], D("2024-06-30")).members_counted == 0
    assert evaluate_leadership([teacher(left_date=None)], D("2024-06-29")).members_counted == 0  # not a member


@pytest.mark.parametrize(
    "start, end, as_of, wanted",
    [
        ("2024-01-01", "2024-03-31", "2030-01-01", ("2024-01-01", "2024-03-31")),  # an ended record keeps its end
        ("2024-01-01", None, "2024-02-15", ("2024-01-01", "2024-02-15")),  # an ongoing one runs to as_of
        ("2024-05-01", None, "2024-02-15", ("2024-05-01", "2024-05-01")),  # not started yet: its first day
    ],
)
def test_the_period_of_a_record_as_of_a_date(start, end, as_of, wanted):
    record = Practice(D(start), D(end) if end else None, "verified")
    assert period_of(record, D(as_of)) == (D(wanted[0]), D(wanted[1]))


def test_the_counted_practice_periods_use_the_same_open_ended_period():
    running = Practice(D("2024-01-01"), None, "verified")
    later = Practice(D("2024-05-01"), None, "verified")
    assert practice_periods([running, later], D("2024-02-15")) == [period_of(running, D("2024-02-15"))]
    assert months_of_period(*period_of(running, D("2024-02-15"))) == Fraction(1) + Fraction(15, 30)


def test_an_optional_figure_is_reported_like_any_other_or_stays_none():
    assert report_optional(None) is None
    assert report_optional(Fraction(2, 3)) == report(Fraction(2, 3)) == 0.67


@pytest.mark.parametrize("figure, text", [(Fraction(36), "36"), (Fraction(15, 2), "7.5"), (Fraction(1, 3), "0.33")])
def test_a_policy_figure_is_written_whole_or_rounded(figure, text):
    assert threshold_text(figure) == text


@pytest.mark.parametrize(
    "size, wanted",
    [(2, [[1, 2], [3, 4], [5]]), (5, [[1, 2, 3, 4, 5]]), (9, [[1, 2, 3, 4, 5]]), (1, [[1], [2], [3], [4], [5]])],
)
def test_chunks_are_consecutive_slices_of_at_most_the_size(size, wanted):
    assert [list(chunk) for chunk in chunks([1, 2, 3, 4, 5], size)] == wanted


def test_chunks_of_nothing_are_none_and_a_size_below_one_is_refused():
    assert list(chunks([], 3)) == []
    with pytest.raises(ValueError):
        list(chunks([1], 0))
