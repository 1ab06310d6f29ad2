"""valid_until: a stored verdict stays exactly right on every day before it (Hypothesis), and the dates it names."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.rules import (
    Certificate,
    CertificateKind,
    CourseType,
    Education,
    EmployerType,
    Employment,
    HireChannel,
    PostType,
    Practice,
    PracticeStatus,
    SkillLevel,
    TeacherFacts,
    Training,
    TrainingKind,
    TrainingStatus,
    evaluate_hire,
    evaluate_leadership,
    evaluate_practice,
    evaluate_training,
)
from registry.rules.validity import leadership_valid_until, teacher_valid_until
from tests.unit.test_months import any_date
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


# --- dates anywhere in the calendar: old data may hold 0001-01-01 or 9999-12-31, and no verdict may fail -------------


@st.composite
def periods_anywhere(draw) -> tuple[date, date | None]:
    start, end = sorted((draw(any_date), draw(any_date)))
    return start, draw(st.one_of(st.none(), st.just(end)))


@st.composite
def teachers_anywhere(draw, applicable: bool = False) -> TeacherFacts:
    """A teacher whose every date may lie anywhere from date.min to date.max."""
    hire_date = draw(any_date)
    return TeacherFacts(
        course_type=CourseType.SPECIALTY if applicable else draw(st.sampled_from(CourseType)),
        post_type=PostType.FIXED if applicable else draw(st.sampled_from(PostType)),
        hire_date=hire_date,
        hire_channel=draw(st.sampled_from(HireChannel)),
        education=draw(st.sampled_from(Education)),
        left_date=None if applicable else draw(st.one_of(st.none(), st.dates(hire_date, date.max))),
        leadership=draw(st.booleans()),
        employment=[Employment(s, e, draw(st.sampled_from(EmployerType))) for s, e in draw(st.lists(periods_anywhere(), max_size=3))],
        certificates=draw(st.lists(st.builds(
            Certificate, st.sampled_from(CertificateKind), st.one_of(st.none(), st.sampled_from(SkillLevel)), any_date, st.booleans()
        ), max_size=2)),
        practice=[Practice(s, e, draw(st.sampled_from(PracticeStatus))) for s, e in draw(st.lists(periods_anywhere(), max_size=3))],
        training=draw(st.lists(st.builds(Training, st.sampled_from(TrainingKind), any_date, st.sampled_from(TrainingStatus)), max_size=2)),
        exception_approved=draw(st.booleans()),
    )


@fast
@given(teachers_anywhere(), any_date, policies)
def test_every_rule_answers_for_dates_anywhere_in_the_calendar(teacher, as_of, policy):
    hire = evaluate_hire(teacher, policy)
    practice = evaluate_practice(teacher, as_of, policy)
    training = evaluate_training(teacher, as_of, policy)
    leadership = evaluate_leadership([teacher], as_of, policy)
    assert hire.experience_months >= 0 and leadership.best_months >= 0
    for result in (practice, training):
        assert result.cycle_start is None or result.cycle_start <= as_of <= result.cycle_end
    assert practice.months is None or (practice.months >= 0 and 0 <= practice.needed <= practice.required)


@fast
@given(teachers_anywhere(applicable=True), any_date, policies)
def test_an_applicable_teacher_with_dates_anywhere_has_a_verdict_that_expires_after_its_day(teacher, as_of, policy):
    until = teacher_valid_until(teacher, as_of, policy)
    assert until is None or as_of < until
    assert stored_fields(teacher, as_of, policy)  # and the fields a stored row keeps can be computed


@fast
@given(st.lists(teachers_anywhere(), max_size=2), any_date)
def test_a_leadership_verdict_with_dates_anywhere_expires_after_its_day(members, as_of):
    until = leadership_valid_until(members, as_of)
    assert until is None or as_of < until


@pytest.mark.parametrize("as_of", [date.min, date(2026, 11, 28), date.max])
def test_a_teacher_hired_on_the_calendars_first_day_with_work_running_to_its_last_is_evaluated(as_of):
    everywhere = (date.min, None)
    teacher = specialty_teacher(
        hire_date=date.min, leadership=True,
        employment=(Employment(*everywhere, EmployerType.ENTERPRISE),),
        practice=(Practice(*everywhere, PracticeStatus.VERIFIED),),
    )
    assert evaluate_hire(teacher).experience_months == 0  # there is no day before the hire date to count
    assert evaluate_practice(teacher, as_of).status is not None
    until = teacher_valid_until(teacher, as_of)
    assert until is None or until > as_of
    # The job still running adds experience tomorrow; on the calendar's last day there is no tomorrow.
    assert leadership_valid_until([teacher], as_of) == (None if as_of == date.max else as_of + ONE_DAY)
