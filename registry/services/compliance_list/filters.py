"""The filters of the compliance list, each declared once: its parameter, its name, and where it applies.

A filter either narrows the database query (`clause`) or tests an evaluated
row (`test`: statuses are computed, not stored). The same declaration names
the filter in error messages and states it in the summary above the list and
in the export header.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, or_

from registry import permissions
from registry.extensions import db
from registry.models import School, Teacher, User
from registry.rules.vocabulary import RULE_STATUS, CourseType, PostType
from registry.services.compliance_list.labels import PREVIOUS_RESULTS, rule_label
from registry.services.compliance_list.rows import ComplianceRow
from registry.vocabulary import label

if TYPE_CHECKING:
    from registry.services.compliance_list.query import ListQuery


@dataclass(frozen=True, slots=True)
class Filter:
    """One filter: the query parameter `name`, its `label`, and exactly one of `clause` and `test`.

    `clause(query)` is a WHERE condition on Teacher/School; `test(row, query)` decides an evaluated row.
    `of_schools`: the clause reads School only, so it also picks the schools of the list (the dashboard's rows).
    `heading(query)` and `words(query, user)` state the filter in the summary (default: the label, the value).
    """

    name: str
    label: str
    clause: Callable[[ListQuery], ColumnElement[bool]] | None = None
    test: Callable[[ComplianceRow, ListQuery], bool] | None = None
    of_schools: bool = False
    heading: Callable[[ListQuery], str] | None = None
    words: Callable[[ListQuery, User], str] | None = None

    def value(self, query: ListQuery) -> Any:
        return getattr(query, self.name)

    def active(self, query: ListQuery) -> bool:
        return self.value(query) not in (None, "", False)

    def summary(self, query: ListQuery, user: User) -> tuple[str, str]:
        """(heading, value) in the user's language."""
        heading = self.heading(query) if self.heading else str(self.label)
        words = self.words(query, user) if self.words else str(self.value(query))
        return heading, words


def _school_name(query: ListQuery, user: User) -> str:
    """A school is named only when it is in the user's scope: another school's id shows as a number."""
    school = db.session.scalar(permissions.schools_query(user).where(School.id == query.school_id))
    return school.name if school else f"#{query.school_id}"


def _in_office(query: ListQuery) -> ColumnElement[bool]:
    """The database side of rules.engine.employed_on (a row's in_office)."""
    return and_(Teacher.hire_date <= query.as_of, or_(Teacher.left_date.is_(None), Teacher.left_date > query.as_of))


FILTERS: tuple[Filter, ...] = (
    Filter("county", _l("县（市、区）"), clause=lambda q: School.county == q.county, of_schools=True),
    Filter("school_id", _l("学校"), clause=lambda q: School.id == q.school_id, of_schools=True, words=_school_name),
    Filter("specialty", _l("专业"), clause=lambda q: Teacher.specialty == q.specialty),
    Filter("course_type", _l("课程类别"), clause=lambda q: Teacher.course_type == q.course_type,
           words=lambda q, _user: label(CourseType, q.course_type)),
    Filter("post_type", _l("岗位类型"), clause=lambda q: Teacher.post_type == q.post_type,
           words=lambda q, _user: label(PostType, q.post_type)),
    Filter("in_office", _l("在职情况"), clause=_in_office, words=lambda q, _user: _("仅在职教师")),
    Filter("status", _l("状态"), test=lambda row, q: row.status(q.rule) == q.status,
           heading=lambda q: rule_label(q.rule), words=lambda q, _user: label(RULE_STATUS[q.rule], q.status)),
    Filter("previous", _l("上一周期"), test=lambda row, q: q.previous in row.previous_results(),
           words=lambda q, _user: label(PREVIOUS_RESULTS[q.previous])),
    Filter("due_by", _l("本周期结束日期"), test=lambda row, q: row.is_due(q.due_by),
           heading=lambda q: _("本周期结束不晚于"), words=lambda q, _user: _("%(date)s 且尚未完成", date=q.due_by.isoformat())),
    Filter("q", _l("姓名"), clause=lambda q: Teacher.name.contains(q.q, autoescape=True), heading=lambda q: _("姓名包含")),
)


def active(query: ListQuery) -> Iterator[Filter]:
    """The filters the query sets, in the order of FILTERS."""
    return (f for f in FILTERS if f.active(query))


def clauses(query: ListQuery) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the filters the database applies."""
    return [f.clause(query) for f in active(query) if f.clause is not None]


def school_clauses(query: ListQuery) -> list[ColumnElement[bool]]:
    """The WHERE conditions on School of the filters that pick schools (county, school)."""
    return [f.clause(query) for f in active(query) if f.of_schools]


def matches(row: ComplianceRow, query: ListQuery) -> bool:
    """The row passes every filter that needs the verdicts (the others were applied by the database)."""
    return all(f.test(row, query) for f in active(query) if f.test is not None)
