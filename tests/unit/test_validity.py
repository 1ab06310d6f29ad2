"""valid_until: a stored verdict stays exactly right on every day before it (Hypothesis), and the dates it names."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from registry.rules import (
    CourseType,
    Education,
    EmployerType,
    Employment,
    HireChannel,
    PostType,
    Practice,
    PracticeStatus,
    TeacherFacts,
    evaluate_leadership,
    evaluate_practice,
    evaluate_training,
)
from registry.rules.validity import leadership_valid_until, teacher_valid_until
from tests.unit.test_rule_properties import as_of_dates, fast, policies, teachers

ONE_DAY = timedelta(days=1)


def stored_fields(teacher, day, policy):
    """What a stored row keeps of practice and training (hire does not depend on the day)."""
    return evaluate_practice(teacher, day, policy).to_dict(), evaluate_training(teacher, day, policy).to_dict()


def days_before(data, as_of, until):
    """Some days in [as_of, until): the day before `until`, and a few drawn ones (a bounded span when until is None)."""
    last = (until - ONE_DAY) if until is not None else as_of + timedelta(days=3 * 366)
    drawn = data.draw(st.lists(st.dates(as_of, last), max_size=4))
    return {last, *drawn}


@fast
@given(teachers(), as_of_dates, policies, st.data())
def test_a_teacher_verdict_is_the_same_on_every_day_before_it_expires(teacher, as_of, policy, data):
    until = teacher_valid_until(teacher, as_of, policy)
    assert until is None or until > as_of
    expected = stored_fields(teacher, as_of, policy)
    for day in days_before(data, as_of, until):
        assert stored_fields(teacher, day, policy) == expected, day


@fast
@given(teachers(applicable=True), as_of_dates, policies, st.data())
def test_an_applicable_teacher_verdict_is_the_same_on_every_day_before_it_expires(teacher, as_of, policy, data):
    until = teacher_valid_until(teacher, as_of, policy)
    expected = stored_fields(teacher, as_of, policy)
    for day in days_before(data, as_of, until):
        assert stored_fields(teacher, day, policy) == expected, day


@fast
@given(st.lists(teachers(), max_size=4), as_of_dates, policies, st.data())
def test_a_leadership_verdict_is_the_same_on_every_day_before_it_expires(members, as_of, policy, data):
    until = leadership_valid_until(members, as_of)
    assert until is None or until > as_of
    expected = evaluate_leadership(members, as_of, policy).to_dict()
    for day in days_before(data, as_of, until):
        assert evaluate_leadership(members, day, policy).to_dict() == expected, day


def specialty_teacher(**changes) -> TeacherFacts:
    values = dict(
        course_type=CourseType.SPECIALTY, post_type=PostType.FIXED, hire_date=date(2022, 3, 1),
        hire_channel=HireChannel.OPEN, education=Education.BACHELOR, left_date=None, leadership=False,
        employment=(), certificates=(), practice=(), training=(), exception_approved=False,
    )
    return TeacherFacts(**(values | changes))


def test_a_verdict_with_nothing_running_lasts_until_the_next_yearly_milestone():
    # Cycle 2022-03-01..2027-02-28; the second year ends with 2024-02-29 (add_years(start, 2) - 1 day).
    assert teacher_valid_until(specialty_teacher(), date(2023, 6, 1)) == date(2024, 2, 29)


def test_a_running_verified_practice_changes_the_verdict_tomorrow():
    running = Practice(date(2023, 5, 1), None, PracticeStatus.VERIFIED)
    assert teacher_valid_until(specialty_teacher(practice=(running,)), date(2023, 6, 1)) == date(2023, 6, 2)


def test_a_teacher_hired_later_has_a_verdict_valid_until_the_hire_date():
    assert teacher_valid_until(specialty_teacher(hire_date=date(2027, 9, 1)), date(2026, 11, 28)) == date(2027, 9, 1)


def test_a_verdict_expires_no_later_than_the_day_the_remaining_months_fall_below_the_months_needed():
    # 2 of 10 months done; with 8 needed the cycle (ends 2027-02-28) turns infeasible once fewer than 8 remain.
    done = Practice(date(2022, 4, 1), date(2022, 5, 31), PracticeStatus.VERIFIED)
    teacher = specialty_teacher(practice=(done,))
    day, infeasible_from = date(2026, 3, 1), None
    while infeasible_from is None:
        day += ONE_DAY
        if evaluate_practice(teacher, day).status != evaluate_practice(teacher, date(2026, 3, 1)).status:
            infeasible_from = day
    as_of = date(2026, 3, 1)
    while as_of < infeasible_from:  # recomputed each time it expires, it never misses the day
        as_of = teacher_valid_until(teacher, as_of)
    assert as_of == infeasible_from


def test_a_leadership_member_still_in_enterprise_work_changes_best_months_tomorrow():
    member = specialty_teacher(leadership=True, employment=(Employment(date(2020, 1, 1), None, EmployerType.ENTERPRISE),))
    assert leadership_valid_until([member], date(2026, 1, 1)) == date(2026, 1, 2)
