"""The compliance list's parts: each filter and each order declared once, everything coded derived from the vocabulary."""
from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import update

from registry.extensions import db
from registry.models import TeacherVerdict
from registry.rules.vocabulary import (
    RULE_PREVIOUS,
    RULE_STATUS,
    CourseType,
    ExceptionStatus,
    HireStatus,
    LeadershipStatus,
    PostType,
    PracticeRuleStatus,
    PreviousPractice,
    PreviousTraining,
    TrainingRuleStatus,
)
from registry.schemas import COMPLIANCE_SORTS, ComplianceQueryIn
from registry.services import verdicts
from registry.services.compliance_list import (
    FILTERS,
    PARAMETER_LABELS,
    SORTS,
    ComplianceRow,
    ListPage,
    Totals,
    describe_filters,
    iter_rows,
    parse_filters,
)
from registry.services.compliance_list.presentation import previous_choices, status_choices
from registry.services.compliance_list.query import DECLARED_SORTS
from registry.services.compliance_list.rows import status_column
from registry.services.dashboard import GOOD, rate
from registry.vocabulary import label

ROOT = Path(__file__).resolve().parents[2]
LIST_PARAMETERS = {"as_of", "rule", "sort", "page", "per_page"}  # shape the list, not filters

ROW = ComplianceRow(
    teacher_id=1, name="甲", id_number="210602199001011234", school_id=1, school="甲校", county="丹东市区", specialty="数控技术",
    course_type=CourseType.SPECIALTY, post_type=PostType.FIXED, hire_date=date(2022, 3, 1), in_office=True,
    hire=HireStatus.COMPLIANT, hire_basis=None, hire_reasons=(), experience_months=40.0, shortfall_months=0.0,
    practice=PracticeRuleStatus.BEHIND, practice_reasons=(), cycle_start=date(2022, 3, 1), cycle_end=date(2027, 2, 28),
    practice_months=2.0, practice_required=10.0, practice_needed=8.0, practice_previous=None,
    practice_previous_months=None, training=TrainingRuleStatus.PENDING, training_previous=None,
)


def row(**changes) -> ComplianceRow:
    return dataclasses.replace(ROW, **changes)


def test_every_query_field_is_a_filter_or_shapes_the_list_and_has_a_name():
    fields = set(ComplianceQueryIn.model_fields)
    names = [f.name for f in FILTERS]
    assert len(names) == len(set(names))
    assert fields - set(names) == LIST_PARAMETERS
    assert set(PARAMETER_LABELS) == fields and all(str(text) for text in PARAMETER_LABELS.values())


def test_every_order_the_schema_allows_is_declared_once():
    assert tuple(SORTS) == COMPLIANCE_SORTS  # in the schema's order
    assert set(DECLARED_SORTS) == set(COMPLIANCE_SORTS)  # no order declared that the schema does not allow


def stored(make, today, **verdict) -> int:
    """A teacher of 东港市 named 乙 whose stored verdict is ROW's, changed by `verdict` (column names); its id."""
    teacher = make.teacher(make.school(county="东港市"), name="乙")
    verdicts.ensure_current(today)
    values = {
        "hire_status": ROW.hire, "practice_status": ROW.practice, "training_status": ROW.training,
        "cycle_end": ROW.cycle_end, "practice_needed": ROW.practice_needed, "practice_months": ROW.practice_months,
        "practice_previous": None, "training_previous": None,
    }
    db.session.execute(
        update(TeacherVerdict).where(TeacherVerdict.teacher_id == teacher.id)
        .values(computed_on=today, valid_until=None, **{**values, **verdict})
    )
    return teacher.id


def listed(user, today, **filters) -> list[int]:
    return [r.teacher_id for r in iter_rows(user, parse_filters({**filters, "as_of": today.isoformat()}))]


@pytest.mark.parametrize("rule", list(RULE_STATUS))
def test_sorting_by_a_rule_ranks_its_statuses_worst_first_and_puts_those_that_do_not_rank_last(make, frozen_today, rule):
    statuses = RULE_STATUS[rule]
    ids = {status: stored(make, frozen_today, **{status_column(rule): status}) for status in statuses}
    bureau = make.user("bureau")
    worst_first = sorted((s for s in statuses if s.severity is not None), key=lambda s: s.severity)
    for descending in (False, True):
        ranked = worst_first[::-1] if descending else worst_first
        order = listed(bureau, frozen_today, sort=("-" if descending else "") + rule)
        assert order == [ids[s] for s in ranked] + [ids[statuses.NOT_APPLICABLE]]


def test_the_status_select_offers_every_status_of_every_rule_once(app, ctx):
    offered = [value for _group, options in status_choices() for value, _text in options]
    assert offered == [f"{rule}:{status}" for rule, statuses in RULE_STATUS.items() for status in statuses]
    for value in offered:  # each option is a filter the list accepts
        rule, status = value.split(":")
        assert (parse_filters({"rule": rule, "status": status}).rule, parse_filters({"rule": rule, "status": status}).status) == (rule, status)


def test_the_previous_select_offers_every_previous_result_with_its_label(app, ctx):
    results = [m for results in RULE_PREVIOUS.values() for m in results]
    assert previous_choices() == [(m.value, label(m)) for m in results]
    for code, _text in previous_choices():
        assert parse_filters({"previous": code}).previous == code


@pytest.mark.parametrize(
    "changes, filters, wanted",
    [
        ({}, {"status": "behind"}, True),
        ({"practice_status": PracticeRuleStatus.MET}, {"status": "behind"}, False),
        ({"hire_status": HireStatus.EXCEPTION}, {"rule": "hire", "status": "exception"}, True),
        ({"practice_previous": PreviousPractice.FAILED}, {"previous": "failed"}, True),
        ({"training_previous": PreviousTraining.MISSED}, {"previous": "failed"}, False),
        ({"training_previous": PreviousTraining.MISSED}, {"previous": "missed"}, True),
        ({}, {"due_by": "2027-02-28"}, True),
        ({}, {"due_by": "2027-02-27"}, False),
        ({"practice_needed": 0.0}, {"due_by": "2027-02-28"}, False),
        ({}, {"county": "东港市", "q": "乙"}, True),
        ({}, {"county": "丹东市区"}, False),
    ],
)
def test_each_filter_picks_exactly_the_stored_verdicts_it_names(make, frozen_today, changes, filters, wanted):
    teacher_id = stored(make, frozen_today, **changes)
    assert (listed(make.user("bureau"), frozen_today, **filters) == [teacher_id]) is wanted


def test_the_summary_states_each_filter_in_force_once_in_the_order_declared(app, ctx):
    query = parse_filters({
        "county": "东港市", "specialty": "数控技术", "course_type": "internship", "post_type": "flowing",
        "in_office": "1", "rule": "practice", "status": "infeasible", "previous": "failed", "due_by": "2027-05-28", "q": "乙",
    })
    assert describe_filters(None, query) == [
        ("县（市、区）", "东港市"),
        ("专业", "数控技术"),
        ("课程类别", label(CourseType.INTERNSHIP)),
        ("岗位类型", label(PostType.FLOWING)),
        ("在职情况", "仅在职教师"),
        ("企业实践", label(PracticeRuleStatus.INFEASIBLE)),
        ("上一周期", label(PreviousPractice.FAILED)),
        ("本周期结束不晚于", "2027-05-28 且尚未完成"),
        ("姓名包含", "乙"),
    ]
    assert describe_filters(None, parse_filters({})) == []


def test_the_totals_count_every_status_of_every_rule_in_the_vocabulary_order():
    totals = Totals.from_groups([
        (HireStatus.COMPLIANT, PracticeRuleStatus.BEHIND, TrainingRuleStatus.PENDING, None, None, 1),
        (HireStatus.NOT_APPLICABLE, PracticeRuleStatus.BEHIND, TrainingRuleStatus.PENDING,
         PreviousPractice.MET, PreviousTraining.DONE, 1),
    ])
    counts = totals.counts()
    assert {rule: tuple(statuses) for rule, statuses in counts.items()} == {rule: tuple(s) for rule, s in RULE_STATUS.items()}
    assert counts["hire"]["compliant"] == counts["hire"]["not_applicable"] == 1
    assert counts["practice"]["behind"] == 2 and totals.total == 2
    assert dict(totals.previous) == {"met": 1, "done": 1}


def test_a_rate_counts_the_statuses_in_order_among_the_teachers_the_rule_applies_to():
    for rule, statuses in RULE_STATUS.items():
        counts = {status: 1 for status in statuses}
        applicable = len(statuses) - 1
        assert rate(counts, rule) == len(GOOD[rule]) / applicable
        assert rate({statuses.NOT_APPLICABLE: 3}, rule) is None
        assert set(GOOD[rule]) <= set(statuses)


def test_a_page_of_the_list_is_a_flask_sqlalchemy_pagination():
    totals = Totals.from_groups([(HireStatus.COMPLIANT, PracticeRuleStatus.BEHIND, TrainingRuleStatus.PENDING, None, None, 7)])
    page = ListPage(page=2, per_page=3, rows=[row(), row(), row()], totals=totals)
    assert isinstance(page, Pagination)
    assert (page.rows, page.total, page.pages, page.has_next, page.prev_num) == (page.items, 7, 3, True, 1)
    assert list(page.iter_pages()) == [1, 2, 3]
    assert ListPage(page=1, per_page=50, rows=[], totals=Totals()).pages == 1  # "第 1 / 1 页", never 0


BUREAU_FILES = [
    *ROOT.glob("registry/bureau/*.py"),
    *ROOT.glob("registry/services/compliance_list/*.py"),
    ROOT / "registry/services/dashboard.py",
    *ROOT.glob("templates/bureau/*.html"),
]
STATUS_LISTS = [*RULE_STATUS.values(), *RULE_PREVIOUS.values(), LeadershipStatus, ExceptionStatus, PostType]


@pytest.mark.parametrize("path", BUREAU_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_status_is_spelled_out_in_the_bureau_area(path):
    text = path.read_text(encoding="utf-8")
    spelled = {code for codes in STATUS_LISTS for code in codes.codes() if re.search(rf"""['"]{code}['"]""", text)}
    assert spelled == set()
