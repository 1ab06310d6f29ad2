"""Properties of the rule engine that must hold for any facts (Hypothesis)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.rules import (
    DEFAULT_POLICY,
    Certificate,
    CertificateKind,
    CourseType,
    Education,
    EmployerType,
    Employment,
    HireChannel,
    Policy,
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
    months_of_period,
    months_of_set,
)

ONE_DAY = timedelta(days=1)
# Generating whole teachers is slowish on a busy two-core machine; timing is not what is tested.
fast = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

days = st.dates(date(2005, 1, 1), date(2035, 12, 31))
as_of_dates = st.dates(date(2016, 1, 1), date(2040, 12, 31))


@st.composite
def closed_periods(draw, start=days, max_days=900):
    first = draw(start)
    return first, first + timedelta(days=draw(st.integers(0, max_days)))


@st.composite
def open_or_closed_periods(draw):
    first, last = draw(closed_periods())
    return first, draw(st.one_of(st.none(), st.just(last)))


employment = open_or_closed_periods().flatmap(
    lambda p: st.builds(Employment, st.just(p[0]), st.just(p[1]), st.sampled_from(EmployerType))
)
certificates = st.builds(
    Certificate,
    st.sampled_from(CertificateKind),
    st.one_of(st.none(), st.sampled_from(SkillLevel)),
    days,
    st.booleans(),
)
practice = open_or_closed_periods().flatmap(
    lambda p: st.builds(Practice, st.just(p[0]), st.just(p[1]), st.sampled_from(PracticeStatus))
)
training = st.builds(Training, st.sampled_from(TrainingKind), days, st.sampled_from(TrainingStatus))
policies = st.one_of(
    st.just(DEFAULT_POLICY),
    st.builds(
        Policy,
        hire_rule_effective=st.dates(date(2015, 1, 1), date(2025, 12, 31)),
        hire_min_experience_months=st.integers(0, 60),
        practice_rule_effective=st.dates(date(2015, 1, 1), date(2025, 12, 31)),
        cycle_years=st.integers(1, 6),
        practice_required_months=st.integers(0, 24),
        leadership_min_experience_months=st.integers(0, 90),
    ),
)


@st.composite
def teachers(draw, applicable=False):
    hire_date = draw(st.dates(date(2012, 1, 1), date(2032, 12, 31)))
    left_date = draw(st.one_of(st.none(), st.dates(hire_date, date(2040, 12, 31))))
    return TeacherFacts(
        course_type=draw(st.sampled_from((CourseType.SPECIALTY, CourseType.INTERNSHIP) if applicable else CourseType)),
        post_type=PostType.FIXED if applicable else draw(st.sampled_from(PostType)),
        hire_date=hire_date,
        hire_channel=draw(st.sampled_from(HireChannel)),
        education=draw(st.sampled_from(Education)),
        left_date=None if applicable else left_date,
        leadership=draw(st.booleans()),
        employment=draw(st.lists(employment, max_size=4)),
        certificates=draw(st.lists(certificates, max_size=3)),
        practice=draw(st.lists(practice, max_size=5)),
        training=draw(st.lists(training, max_size=3)),
        exception_approved=draw(st.booleans()),
    )


def all_results(teacher, as_of, policy):
    return (
        evaluate_hire(teacher, policy),
        evaluate_practice(teacher, as_of, policy),
        evaluate_training(teacher, as_of, policy),
        evaluate_leadership([teacher], as_of, policy),
    )


def shuffled(draw, teacher):
    return replace(
        teacher,
        employment=draw(st.permutations(teacher.employment)),
        certificates=draw(st.permutations(teacher.certificates)),
        practice=draw(st.permutations(teacher.practice)),
        training=draw(st.permutations(teacher.training)),
    )


@fast
@given(teachers(), as_of_dates, policies, st.data())
def test_record_order_never_changes_a_result(teacher, as_of, policy, data):
    assert all_results(shuffled(data.draw, teacher), as_of, policy) == all_results(teacher, as_of, policy)


@fast
@given(st.lists(teachers(), max_size=4), as_of_dates, policies, st.data())
def test_member_order_never_changes_the_leadership_result(members, as_of, policy, data):
    reordered = [shuffled(data.draw, m) for m in data.draw(st.permutations(members))]
    assert evaluate_leadership(reordered, as_of, policy) == evaluate_leadership(members, as_of, policy)


def evaluation_date(data, teacher, policy):
    """A date on which practice applies to an applicable teacher: on or after the anchor."""
    anchor = max(teacher.hire_date, policy.practice_rule_effective)
    return anchor + timedelta(days=data.draw(st.integers(0, 12 * 366)))


def separate_period(data, records, as_of):
    """A closed period neither overlapping nor touching any of `records`
    (open ends run to as_of): before the first of them or after the last."""
    if not records:
        return data.draw(closed_periods(max_days=400))
    first = min(r.start for r in records)
    last = max(r.end if r.end is not None else as_of for r in records)
    length = timedelta(days=data.draw(st.integers(0, 400)))
    gap = timedelta(days=data.draw(st.integers(2, 900)))
    start = last + gap if data.draw(st.booleans()) else first - gap - length
    return start, start + length


@fast
@given(teachers(applicable=True), policies, st.data())
def test_adding_a_separate_verified_period_never_lowers_months_nor_undoes_met(teacher, policy, data):
    as_of = evaluation_date(data, teacher, policy)
    verified = [p for p in teacher.practice if p.status == "verified"]
    period = separate_period(data, verified, as_of)
    before = evaluate_practice(teacher, as_of, policy)
    after = evaluate_practice(replace(teacher, practice=teacher.practice + (Practice(*period, "verified"),)), as_of, policy)
    assert after.months >= before.months
    assert after.needed <= before.needed
    if before.status == "met":
        assert after.status == "met"
    if before.previous is not None:
        assert after.previous_months >= before.previous_months
        if before.previous == "met":
            assert after.previous == "met"


@fast
@given(teachers(applicable=True), policies, closed_periods(), st.data())
def test_a_verified_period_inside_another_changes_nothing(teacher, policy, outer, data):
    as_of = evaluation_date(data, teacher, policy)
    with_outer = replace(teacher, practice=teacher.practice + (Practice(*outer, "verified"),))
    start = data.draw(st.dates(outer[0], outer[1]))
    inner = Practice(start, data.draw(st.dates(start, outer[1])), "verified")
    with_inner = replace(with_outer, practice=with_outer.practice + (inner,))
    assert evaluate_practice(with_inner, as_of, policy) == evaluate_practice(with_outer, as_of, policy)


def split(records, index, cut):
    """Replace records[index] by two touching records, the first ending on `cut`."""
    record = records[index]
    first = replace(record, end=cut)
    second = replace(record, start=cut + ONE_DAY)
    return records[:index] + (first, second) + records[index + 1 :]


@fast
@given(teachers(), as_of_dates, policies, st.data())
def test_splitting_a_period_into_two_touching_periods_changes_nothing(teacher, as_of, policy, data):
    for field in ("employment", "practice"):
        records = getattr(teacher, field)
        candidates = [i for i, r in enumerate(records) if r.end is not None and r.end > r.start]
        if not candidates:
            continue
        index = data.draw(st.sampled_from(candidates))
        record = records[index]
        cut = data.draw(st.dates(record.start, record.end - ONE_DAY))
        pieces = replace(teacher, **{field: split(records, index, cut)})
        assert all_results(pieces, as_of, policy) == all_results(teacher, as_of, policy)


@fast
@given(st.lists(closed_periods(), min_size=1, max_size=6))
def test_a_set_never_counts_the_same_day_twice(periods):
    once = months_of_set(periods)
    assert months_of_set(periods + periods) == once
    assert months_of_set(periods + [periods[0]]) == once


@fast
@given(st.lists(closed_periods(), min_size=1, max_size=6))
def test_months_of_a_merged_set_never_exceed_the_sum_of_its_parts_beyond_calendar_rounding(periods):
    # The rules.md measure counts a whole calendar month as 1 however short it
    # is, but leftover days as 1/30 each; so a set can measure up to 3 days
    # (1/10 month) per joint more than its parts measured separately
    # (1-14 Feb and 15-28 Feb are 14/30 each, 1-28 Feb is 1). See test_months.py.
    parts = sum((months_of_period(s, e) for s, e in periods), Fraction(0))
    assert months_of_set(periods) <= parts + Fraction(len(periods) - 1, 10)


@fast
@given(teachers(), as_of_dates, policies)
def test_every_unfavourable_or_not_applicable_result_gives_a_reason(teacher, as_of, policy):
    hire = evaluate_hire(teacher, policy)
    if hire.status in ("non_compliant", "exception", "not_applicable"):
        assert hire.reasons
    else:
        assert hire.reasons == ()
    if hire.status == "not_applicable":
        assert hire.basis is None and hire.shortfall_months == 0
    for result in (evaluate_practice(teacher, as_of, policy), evaluate_training(teacher, as_of, policy)):
        assert bool(result.reasons) == (result.status == "not_applicable")


@fast
@given(teachers(), policies)
def test_a_shortfall_is_reported_exactly_when_experience_is_short(teacher, policy):
    hire = evaluate_hire(teacher, policy)
    if "experience_short" in hire.reasons:
        assert hire.shortfall_months == policy.hire_min_experience_months - hire.experience_months > 0
    else:
        assert hire.shortfall_months == 0
