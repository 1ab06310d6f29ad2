"""Month-end compliance counts per school, and the dashboard's trend of each rule's rate drawn from them."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.errors import Forbidden
from registry.extensions import db
from registry.models import ComplianceTrend, Teacher
from registry.rules.vocabulary import RULE_STATUS, HireStatus, Rule
from registry.services.compliance import PolicyBook, evaluate_teacher
from registry.services.dashboard import rate
from registry.services.trends import month_ends, record_month_ends, trend_series

LAST_MONTH_END = date(2026, 10, 31)  # the last month end on or before the frozen today, 2026-11-28


def stored_month_ends() -> list[date]:
    return sorted(db.session.scalars(select(ComplianceTrend.month_end).distinct()))


def stored_counts() -> Counter:
    rows = db.session.execute(select(ComplianceTrend.month_end, ComplianceTrend.school_id, ComplianceTrend.rule,
                                     ComplianceTrend.status, ComplianceTrend.teachers))
    return Counter({(day, school_id, rule, status): n for day, school_id, rule, status, n in rows})


def evaluated_counts(days, school_ids=None) -> Counter:
    """{(day, school_id, rule, status): teachers}: each teacher hired by the day, evaluated one by one as of it."""
    book = PolicyBook.load()
    counts = Counter()
    for teacher in db.session.scalars(select(Teacher)):
        if school_ids is not None and teacher.school_id not in school_ids:
            continue
        for day in days:
            if teacher.hire_date <= day:
                result = evaluate_teacher(teacher, day, book)
                for rule in RULE_STATUS:
                    counts[(day, teacher.school_id, rule, getattr(result, rule).status)] += 1
    return counts


def by_rule(counts: Counter, day: date) -> dict[Rule, Counter]:
    """The counts of one day summed over schools, by rule: {rule: {status: teachers}}."""
    summed = {rule: Counter() for rule in RULE_STATUS}
    for (each_day, _school, rule, status), n in counts.items():
        if each_day == day:
            summed[rule][status] += n
    return summed


def test_month_ends_are_the_last_days_of_the_months_ended_by_today():
    assert month_ends(date(2026, 11, 28), 3) == [date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31)]
    assert month_ends(date(2026, 11, 30), 2) == [date(2026, 10, 31), date(2026, 11, 30)]
    assert month_ends(date(2024, 3, 1), 2) == [date(2024, 1, 31), date(2024, 2, 29)]
    assert month_ends(date(2026, 1, 15), 36)[0] == date(2023, 1, 31) and len(month_ends(date(2026, 1, 15))) == 36


def test_recording_stores_exactly_the_missing_month_ends_and_never_one_twice(frozen_today, audit_world):
    assert record_month_ends(frozen_today, months=2) == 2
    rows_of_two = db.session.scalar(select(func.count()).select_from(ComplianceTrend))
    assert stored_month_ends() == [date(2026, 9, 30), LAST_MONTH_END]
    assert record_month_ends(frozen_today) == 34
    assert stored_month_ends() == month_ends(frozen_today, 36)
    rows = db.session.scalar(select(func.count()).select_from(ComplianceTrend))
    assert rows > rows_of_two
    assert record_month_ends(frozen_today) == 0
    assert db.session.scalar(select(func.count()).select_from(ComplianceTrend)) == rows


def test_a_recorded_month_is_kept_when_the_data_changes_later(frozen_today, make, audit_world):
    record_month_ends(frozen_today, months=1)
    before = stored_counts()
    make.teacher(audit_world["schools"]["甲"], name="甲四", hire_date=date(2021, 3, 1), education="secondary")
    assert record_month_ends(frozen_today, months=1) == 0
    assert stored_counts() == before


def test_the_counts_equal_each_teacher_evaluated_as_of_that_month_end(frozen_today, audit_world):
    record_month_ends(frozen_today)
    days = month_ends(frozen_today)
    assert stored_counts() == evaluated_counts(days)
    school_c = audit_world["schools"]["丙"].id
    # 丙一 was hired on 2024-09-01 and 丙三 is hired only in 2027: neither counts before that.

    def hire_c(day: date) -> int:
        return sum(n for (d, s, r, _status), n in stored_counts().items() if (d, s, r) == (day, school_c, Rule.HIRE))

    assert hire_c(date(2024, 8, 31)) == 1 and hire_c(date(2024, 9, 30)) == 2 and hire_c(LAST_MONTH_END) == 2


def test_the_series_of_a_county_and_of_a_school_sum_their_schools(frozen_today, audit_world):
    record_month_ends(frozen_today)
    schools, bureau = audit_world["schools"], audit_world["users"]["bureau"]
    days = month_ends(frozen_today)
    for points, school_ids in (
        (trend_series(bureau, frozen_today, county="东港市"), {schools["乙"].id, schools["丙"].id}),
        (trend_series(bureau, frozen_today, school_id=schools["乙"].id), {schools["乙"].id}),
        (trend_series(bureau, frozen_today), None),
    ):
        assert [p.month_end for p in points] == days
        expected = evaluated_counts(days, school_ids)
        for point in points:
            for rule, counts in by_rule(expected, point.month_end).items():
                assert point.rates[rule] == rate(counts, rule), (point.month_end, rule)
                assert point.applicable[rule] == sum(counts.values()) - counts[RULE_STATUS[rule].NOT_APPLICABLE]
    # 乙校 at the last month end, as on the dashboard: hire non_compliant, exception, compliant, one not applicable.
    last = trend_series(bureau, frozen_today, school_id=schools["乙"].id)[-1]
    assert last.month_end == LAST_MONTH_END
    assert last.rates[Rule.HIRE] == pytest.approx(2 / 3)
    assert (last.in_order[Rule.HIRE], last.applicable[Rule.HIRE]) == (2, 3)


def test_a_series_ends_at_the_date_asked_and_is_empty_before_any_record(frozen_today, audit_world):
    bureau = audit_world["users"]["bureau"]
    assert trend_series(bureau, frozen_today) == []
    record_month_ends(frozen_today)
    points = trend_series(bureau, date(2025, 6, 30), months=12)
    assert [p.month_end for p in points] == month_ends(date(2025, 6, 30), 12)


def test_school_hr_sees_only_its_own_school_and_a_teacher_no_series(frozen_today, audit_world):
    record_month_ends(frozen_today)
    users, schools = audit_world["users"], audit_world["schools"]
    own = trend_series(users["hr"], frozen_today)
    assert own == trend_series(users["bureau"], frozen_today, school_id=schools["甲"].id)
    other_county = trend_series(users["hr"], frozen_today, county="东港市")
    assert all(p.applicable[rule] == 0 and p.rates[rule] is None for p in other_county for rule in RULE_STATUS)
    with pytest.raises(Forbidden):
        trend_series(users["teacher"], frozen_today)


def trend_cell(page: str, day: date, rule: Rule) -> str:
    row = re.search(rf'<tr data-month="{day.isoformat()}">(.*?)</tr>', page, re.S)
    assert row, day
    return re.search(rf'<td data-rule="{rule}">([^<]*)</td>', row.group(1)).group(1)


def test_the_dashboard_draws_the_trend_with_its_figures_in_a_table(frozen_today, audit_world, login):
    record_month_ends(frozen_today)
    page = login(audit_world["users"]["bureau"]).get("/bureau/dashboard?county=东港市").get_data(as_text=True)
    trend = page.split('data-section="trend"')[1].split("</section>")[0]
    assert "近 36 个月合规率趋势" in trend
    # Drawn twice, wide and narrow (registry/bureau/charts.py).
    assert trend.count("<svg") == 2 and "<title" in trend and trend.count("<polyline") == 2 * len(RULE_STATUS)
    assert "<details" in trend and trend.count("<tr data-month=") == 36
    last = trend_series(audit_world["users"]["bureau"], frozen_today, county="东港市")[-1]
    hire = f"{last.rates[Rule.HIRE]:.0%}（{last.in_order[Rule.HIRE]} / {last.applicable[Rule.HIRE]}）"
    assert trend_cell(trend, LAST_MONTH_END, Rule.HIRE) == hire == "75%（3 / 4）"


def test_the_dashboard_says_when_no_month_end_has_been_recorded(frozen_today, audit_world, login):
    page = login(audit_world["users"]["admin"]).get("/bureau/dashboard").get_data(as_text=True)
    assert "尚无月末记录：每晚的 compliance refresh 会在每月末记录一次" in page
    assert "<polyline" not in page


def test_school_hr_sees_the_trend_of_its_own_school_on_the_dashboard(frozen_today, audit_world, login):
    record_month_ends(frozen_today)
    page = login(audit_world["users"]["hr"]).get("/bureau/dashboard").get_data(as_text=True)
    own = trend_series(audit_world["users"]["bureau"], frozen_today, school_id=audit_world["schools"]["甲"].id)[-1]
    hire = f"{own.rates[Rule.HIRE]:.0%}（{own.in_order[Rule.HIRE]} / {own.applicable[Rule.HIRE]}）"
    assert trend_cell(page, LAST_MONTH_END, Rule.HIRE) == hire


def test_the_nightly_refresh_records_the_missing_month_ends_and_says_how_many(frozen_today, audit_world, cli):
    first = cli("compliance", "refresh")
    assert first.exit_code == 0, first.output
    assert "已记录月末趋势：36 个月" in first.output
    again = cli("compliance", "refresh")
    assert "已记录月末趋势：0 个月" in again.output
    assert stored_month_ends() == month_ends(frozen_today)


def test_loading_the_demo_records_the_trend(frozen_today, ctx, cli):
    assert cli("demo", "load").exit_code == 0
    assert stored_month_ends() == month_ends(frozen_today)
    assert db.session.scalar(select(func.count()).select_from(ComplianceTrend).where(
        ComplianceTrend.rule == Rule.HIRE, ComplianceTrend.status == HireStatus.NON_COMPLIANT)) > 0
