"""The compliance list: every filter, the totals, sorting, the as-of date and the scope of each role."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime

import pytest
from sqlalchemy import event

from registry.dates import TIMEZONE
from registry.errors import Forbidden, Invalid
from registry.extensions import db
from registry.services.compliance_list import iter_rows, list_page, parse_filters
from tests.app.factories import AUDIT_AS_OF as AS_OF
from tests.app.factories import AUDIT_EXPECTED as EXPECTED


def rows(user, **filters):
    return list(iter_rows(user, parse_filters({"as_of": AS_OF.isoformat(), **filters})))


def names(user, **filters):
    return [r.name for r in rows(user, **filters)]


def test_every_teacher_gets_the_expected_verdict_of_each_rule(audit_world):
    got = {
        r.name: (r.hire, r.practice, r.training, r.practice_previous, r.training_previous)
        for r in rows(audit_world["users"]["bureau"])
    }
    assert got == EXPECTED


def test_a_row_carries_the_figures_of_each_rule(audit_world):
    (row,) = rows(audit_world["users"]["bureau"], q="甲一")
    assert (row.school, row.county, row.specialty, row.course_type, row.post_type) == ("甲校", "丹东市区", "数控技术", "specialty", "fixed")
    assert (row.hire_basis, row.experience_months, row.shortfall_months) == ("standard", 80.0, 0.0)
    assert (row.cycle_start, row.cycle_end) == (date(2022, 3, 1), date(2027, 2, 28))
    assert (row.practice_months, row.practice_required, row.practice_needed) == (1.0, 10.0, 9.0)
    (short,) = rows(audit_world["users"]["bureau"], q="乙一")
    assert short.hire_basis is None and short.hire_reasons == ("education_low",)
    (previous,) = rows(audit_world["users"]["bureau"], q="乙四")
    assert (previous.practice_previous, previous.practice_previous_months) == ("failed", 4.0)


@pytest.mark.parametrize("rule, index", [("hire", 0), ("practice", 1), ("training", 2)])
def test_filtering_by_each_status_of_each_rule_gives_exactly_those_teachers(audit_world, rule, index):
    bureau = audit_world["users"]["bureau"]
    for status in {expected[index] for expected in EXPECTED.values()}:
        wanted = {name for name, expected in EXPECTED.items() if expected[index] == status}
        assert set(names(bureau, rule=rule, status=status)) == wanted, status


def test_a_status_only_one_rule_gives_is_enough_to_filter(audit_world):
    bureau = audit_world["users"]["bureau"]
    assert set(names(bureau, status="behind")) == {"乙一", "乙二"}
    assert set(names(bureau, status="exception")) == {"乙二"}


@pytest.mark.parametrize(
    "filters, wanted",
    [
        ({"previous": "failed"}, {"乙四"}),
        ({"previous": "met"}, {"甲二"}),
        ({"previous": "missed"}, {"乙四"}),
        ({"previous": "done"}, {"甲二"}),
        ({"county": "东港市"}, {"乙一", "乙二", "乙三", "乙四", "丙一", "丙二", "丙三"}),
        ({"specialty": "数控技术"}, {"甲一", "乙一", "丙一"}),
        ({"course_type": "internship"}, {"丙一"}),
        ({"course_type": "general"}, {"甲三"}),
        ({"post_type": "flowing"}, {"乙三"}),
        ({"in_office": "1"}, set(EXPECTED) - {"丙二", "丙三"}),
        ({"q": "甲"}, {"甲一", "甲二", "甲三"}),
        ({"due_by": "2027-05-28"}, {"甲一"}),
        ({"county": "东港市", "rule": "practice", "status": "behind"}, {"乙一", "乙二"}),
        ({"specialty": "数控技术", "rule": "hire", "status": "compliant"}, {"甲一", "丙一"}),
        ({"county": "东港市", "previous": "failed", "in_office": "1"}, {"乙四"}),
        ({"q": "乙", "rule": "training", "status": "pending", "post_type": "fixed"}, {"乙一", "乙二"}),
        ({"course_type": "specialty", "rule": "practice", "status": "not_applicable"}, {"乙三", "丙二", "丙三"}),
    ],
)
def test_each_filter_and_the_combinations_the_page_uses(audit_world, filters, wanted):
    assert set(names(audit_world["users"]["bureau"], **filters)) == wanted


def test_the_school_filter_keeps_one_school(audit_world):
    school = audit_world["schools"]["乙"]
    assert set(names(audit_world["users"]["bureau"], school_id=str(school.id))) == {"乙一", "乙二", "乙三", "乙四"}


def test_the_totals_equal_the_rows_of_all_pages(audit_world):
    bureau = audit_world["users"]["bureau"]
    for filters in ({}, {"county": "东港市"}, {"rule": "practice", "status": "behind"}, {"sort": "-needed"}):
        query = parse_filters({"as_of": AS_OF.isoformat(), "per_page": "3", **filters})
        first = list_page(bureau, query)
        collected = []
        for number in range(1, first.pages + 1):
            collected += list_page(bureau, query.model_copy(update={"page": number})).rows
        assert len(collected) == first.total == len({r.teacher_id for r in collected})
        assert [r.teacher_id for r in collected] == [r.teacher_id for r in iter_rows(bureau, query)]
        for rule in ("hire", "practice", "training"):
            assert first.totals.counts()[rule] == {
                status: Counter(r.status(rule) for r in collected)[status] for status in first.totals.counts()[rule]
            }
        assert sum(first.totals.counts()["practice"].values()) == first.total


def test_a_page_past_the_end_is_empty_but_keeps_the_totals(audit_world):
    page = list_page(audit_world["users"]["bureau"], parse_filters({"as_of": AS_OF.isoformat(), "page": "99"}))
    assert page.rows == [] and page.total == len(EXPECTED)


@pytest.mark.parametrize(
    "sort, value",
    [
        ("practice_months", lambda r: r.practice_months),
        ("needed", lambda r: r.practice_needed),
        ("cycle_end", lambda r: r.cycle_end),
        ("practice", lambda r: ("infeasible", "behind", "on_track", "met").index(r.practice) if r.practice != "not_applicable" else None),
        ("hire", lambda r: ("non_compliant", "exception", "compliant").index(r.hire) if r.hire != "not_applicable" else None),
        ("training", lambda r: ("pending", "done").index(r.training) if r.training != "not_applicable" else None),
    ],
)
def test_sorting_by_a_computed_figure_puts_the_missing_ones_last_in_both_directions(audit_world, sort, value):
    bureau = audit_world["users"]["bureau"]
    for direction, reverse in (("", False), ("-", True)):
        values = [value(r) for r in rows(bureau, sort=direction + sort)]
        present = [v for v in values if v is not None]
        assert present == sorted(present, reverse=reverse)
        assert values == present + [None] * (len(values) - len(present))


def test_sorting_by_name_school_and_hire_date(audit_world):
    bureau = audit_world["users"]["bureau"]
    hired = [r.hire_date for r in rows(bureau, sort="hire_date")]
    assert hired == sorted(hired)
    assert [r.hire_date for r in rows(bureau, sort="-hire_date")] == sorted(hired, reverse=True)
    by_school = [r.school for r in rows(bureau)]
    assert len({s for i, s in enumerate(by_school) if i == 0 or by_school[i - 1] != s}) == 3  # each school in one run
    assert [r.school for r in rows(bureau, sort="-school")] == by_school[::-1]
    assert len(names(bureau, sort="name")) == len(EXPECTED)


def test_the_as_of_date_moves_teachers_between_statuses(audit_world):
    bureau = audit_world["users"]["bureau"]

    def practice_of(name, day):
        (row,) = list(iter_rows(bureau, parse_filters({"as_of": day, "q": name})))
        return row.practice

    assert [practice_of("甲一", d) for d in ("2022-02-28", "2022-12-31", "2023-03-01", "2026-11-28")] == [
        "not_applicable", "on_track", "behind", "infeasible",
    ]
    assert [practice_of("丙三", d) for d in ("2026-11-28", "2027-03-01")] == ["not_applicable", "on_track"]
    assert "甲一" not in names(bureau, rule="practice", status="infeasible", as_of="2023-03-01")
    assert "甲一" in names(bureau, rule="practice", status="behind", as_of="2023-03-01")


def test_school_hr_sees_only_the_own_school(audit_world):
    hr = audit_world["users"]["hr"]
    assert set(names(hr)) == {"甲一", "甲二", "甲三"}
    assert names(hr, school_id=str(audit_world["schools"]["乙"].id)) == []


def test_a_teacher_may_not_read_the_list(audit_world):
    with pytest.raises(Forbidden):
        list_page(audit_world["users"]["teacher"], parse_filters({}))
    with pytest.raises(Forbidden):
        iter_rows(audit_world["users"]["teacher"], parse_filters({}))


@pytest.mark.parametrize("role", ["bureau", "admin"])
def test_the_bureau_and_the_admin_see_every_school(audit_world, role):
    assert set(names(audit_world["users"][role])) == set(EXPECTED)


def test_bad_filters_are_refused_field_by_field(app, ctx):
    with pytest.raises(Invalid) as caught:
        parse_filters({"as_of": "2026-02-30", "rule": "hire", "status": "behind", "page": "0", "per_page": "900",
                       "course_type": "x", "previous": "maybe", "school_id": "abc", "sort": "salary"})
    assert set(caught.value.errors) == {"as_of", "status", "page", "per_page", "course_type", "previous", "school_id", "sort"}
    with pytest.raises(Invalid) as caught:
        parse_filters({"status": "not_applicable"})
    assert "规则" in caught.value.errors["status"]


def test_the_as_of_date_defaults_to_today(app, ctx, time_machine):
    time_machine.move_to(datetime(2030, 1, 2, 0, 30, tzinfo=TIMEZONE), tick=False)  # still 1 January in UTC
    assert parse_filters({}).as_of == date(2030, 1, 2)


def test_the_list_is_evaluated_with_a_constant_number_of_queries(audit_world, make):
    bureau = audit_world["users"]["bureau"]

    def count_queries() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            list(iter_rows(bureau, parse_filters({"as_of": AS_OF.isoformat()})))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    before = count_queries()
    school = audit_world["schools"]["丙"]
    for n in range(15):
        teacher = make.teacher(school, name=f"加{n}")
        make.employment(teacher, "2015-01-01", "2021-12-31")
        make.practice(teacher, "2023-01-01", "2023-02-28")
        make.training(teacher, "2024-01-01")
    assert count_queries() == before


# ------------------------------------------------------------------ the page


def test_the_page_lists_the_rows_with_links_to_the_teacher_as_of_the_date(audit_world, login):
    page = login(audit_world["users"]["bureau"]).get(f"/bureau/compliance?as_of={AS_OF}").get_data(as_text=True)
    teacher = audit_world["teachers"]["甲一"]
    assert f'href="/teachers/{teacher.id}?as_of={AS_OF}"' in page
    assert len(re.findall(r'data-teacher="\d+"', page)) == len(EXPECTED)
    assert 'data-total="10"' in page
    assert 'data-count="practice:behind"' in page
    assert "本周期已无法完成" in page and "上一周期未达标" in page


def test_the_page_uses_the_combined_rule_and_status_select(audit_world, login):
    page = login(audit_world["users"]["bureau"]).get(f"/bureau/compliance?as_of={AS_OF}&status=practice:behind").get_data(as_text=True)
    shown = {int(x) for x in re.findall(r'data-teacher="(\d+)"', page)}
    assert shown == {audit_world["teachers"]["乙一"].id, audit_world["teachers"]["乙二"].id}
    assert 'value="practice:behind" selected' in page


def test_the_page_reports_a_bad_filter_and_ignores_it(audit_world, login):
    response = login(audit_world["users"]["bureau"]).get("/bureau/compliance?as_of=2026-13-01&page=abc&course_type=nope")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "核算日期" in page and "已忽略" in page
    assert len(re.findall(r'data-teacher="\d+"', page)) == len(EXPECTED)


def test_the_page_paginates_and_sorts(audit_world, login):
    client = login(audit_world["users"]["bureau"])
    first = client.get(f"/bureau/compliance?as_of={AS_OF}&per_page=4&sort=-needed").get_data(as_text=True)
    ids = [int(x) for x in re.findall(r'data-teacher="(\d+)"', first)]
    expected = [r.teacher_id for r in rows(audit_world["users"]["bureau"], sort="-needed")][:4]
    assert ids == expected
    assert "page=3" in first  # the pager reaches the last page


@pytest.mark.parametrize("role, status", [("teacher", 403), ("hr", 200), ("bureau", 200), ("admin", 200)])
def test_who_may_open_the_page(audit_world, login, role, status):
    assert login(audit_world["users"][role]).get("/bureau/compliance").status_code == status
