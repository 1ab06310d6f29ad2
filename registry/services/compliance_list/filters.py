"""The filters of the compliance list, each declared once: its parameter, its name, and its SQL condition.

Every filter is a WHERE condition on Teacher, School and the verdict table
the list reads (the stored verdicts of today, or a snapshot of another date).
The same declaration names the filter in error messages and states it in the
summary above the list and in the export header.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from registry import permissions
from registry.extensions import db
from registry.models import School, User
from registry.rules.vocabulary import RULE_PREVIOUS, RULE_STATUS, CourseType, PostType
from registry.services.compliance_list.labels import PREVIOUS_RESULTS, rule_label
from registry.services.compliance_list.rows import previous_column, status_column
from registry.vocabulary import label

if TYPE_CHECKING:
    from registry.services.compliance_list.query import ListQuery


@dataclass(frozen=True, slots=True)
class Filter:
    """One filter: the query parameter `name`, its `label` and its condition.

    `clause(query, verdicts)` is a WHERE condition on `verdicts`, the columns of the verdict table read (which
    copies the teacher's and school's fields). `of_schools`: it reads `county` and `school_id` only, so given
    SCHOOL_COLUMNS it picks the schools of the list (the dashboard's rows); `of_verdicts`: it reads the verdicts
    (the dashboard counts every verdict instead).
    `heading(query)` and `words(query, user)` state the filter in the summary (default: the label, the value).
    """

    name: str
    label: str
    clause: Callable[[ListQuery, ReadOnlyColumnCollection], ColumnElement[bool]]
    of_schools: bool = False
    of_verdicts: bool = False
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


def in_office_clause(query: ListQuery, verdicts) -> ColumnElement[bool]:
    """The database side of rules.engine.employed_on (a row's in_office)."""
    return and_(
        verdicts.hire_date <= query.as_of, or_(verdicts.left_date.is_(None), verdicts.left_date > query.as_of)
    )


def _has_previous(query: ListQuery, verdicts) -> ColumnElement[bool]:
    return or_(*(verdicts[previous_column(rule)] == query.previous for rule in RULE_PREVIOUS))


def due_clause(query: ListQuery, verdicts: ReadOnlyColumnCollection) -> ColumnElement[bool]:
    """The current practice cycle ends on or before `due_by` and months are still needed."""
    return and_(verdicts.cycle_end <= query.due_by, verdicts.practice_needed > 0)


FILTERS: tuple[Filter, ...] = (
    Filter("county", _l("县（市、区）"), clause=lambda q, v: v.county == q.county, of_schools=True),
    Filter("school_id", _l("学校"), clause=lambda q, v: v.school_id == q.school_id, of_schools=True, words=_school_name),
    Filter("specialty", _l("专业"), clause=lambda q, v: v.specialty == q.specialty),
    Filter("course_type", _l("课程类别"), clause=lambda q, v: v.course_type == q.course_type,
           words=lambda q, _user: label(CourseType, q.course_type)),
    Filter("post_type", _l("岗位类型"), clause=lambda q, v: v.post_type == q.post_type,
           words=lambda q, _user: label(PostType, q.post_type)),
    Filter("in_office", _l("在职情况"), clause=in_office_clause, words=lambda q, _user: _("仅在职教师")),
    Filter("status", _l("状态"), clause=lambda q, v: v[status_column(q.rule)] == q.status, of_verdicts=True,
           heading=lambda q: rule_label(q.rule), words=lambda q, _user: label(RULE_STATUS[q.rule], q.status)),
    Filter("previous", _l("上一周期"), clause=_has_previous, of_verdicts=True,
           words=lambda q, _user: label(PREVIOUS_RESULTS[q.previous])),
    Filter("due_by", _l("本周期结束日期"), clause=due_clause, of_verdicts=True,
           heading=lambda q: _("本周期结束不晚于"), words=lambda q, _user: _("%(date)s 且尚未完成", date=q.due_by.isoformat())),
    Filter("q", _l("姓名"), clause=lambda q, v: v.teacher_name.contains(q.q, autoescape=True), heading=lambda q: _("姓名包含")),
)


def active(query: ListQuery) -> Iterator[Filter]:
    """The filters the query sets, in the order of FILTERS."""
    return (f for f in FILTERS if f.active(query))


def clauses(query: ListQuery, verdicts: ReadOnlyColumnCollection) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the filters the query sets, on the columns `verdicts` of the verdict table read."""
    return [f.clause(query, verdicts) for f in active(query)]


# What a filter of schools reads, on School itself.
SCHOOL_COLUMNS = SimpleNamespace(county=School.county, school_id=School.id)


def school_clauses(query: ListQuery) -> list[ColumnElement[bool]]:
    """The WHERE conditions on School of the filters that pick schools (county, school)."""
    return [f.clause(query, SCHOOL_COLUMNS) for f in active(query) if f.of_schools]
