"""What the caller asked for: the validated filters with the as-of date resolved, and the orders the list offers."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, null
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from registry.models import School, Teacher
from registry.rules.vocabulary import RULE_STATUS, Rule
from registry.schemas.compliance import COMPLIANCE_SORTS, ComplianceQueryIn
from registry.schemas.queries import parse_query, parse_query_reporting
from registry.services.compliance_list.rows import status_column


@dataclass(frozen=True, slots=True)
class Sort:
    """An order of the list, declared once: `columns(descending, verdicts)` gives its ORDER BY terms.

    Orders by a figure of the verdicts put the rows without it (not applicable) last in either direction and
    break ties in the default order (school, name), so a page never shuffles.
    """

    name: str
    columns: Callable[[bool, ReadOnlyColumnCollection], tuple]


def _dir(column, descending: bool):
    return column.desc() if descending else column.asc()


def _school_order() -> tuple:
    return School.name, Teacher.name, Teacher.id


def _by_figure(figure: Callable[[ReadOnlyColumnCollection], ColumnElement]) -> Callable[[bool, ReadOnlyColumnCollection], tuple]:
    def columns(descending: bool, verdicts: ReadOnlyColumnCollection) -> tuple:
        value = figure(verdicts)
        return (value.is_(None), _dir(value, descending), *_school_order())

    return columns


def _severity(rule: Rule) -> Callable[[ReadOnlyColumnCollection], ColumnElement]:
    """Worst status first (the vocabulary's severity); a status that does not rank (not applicable) has none."""
    ranks = {status.value: status.severity for status in RULE_STATUS[rule] if status.severity is not None}
    return lambda verdicts: case(ranks, value=verdicts[status_column(rule)], else_=null())


# Every order, declared once (a test checks that the schema allows exactly these).
DECLARED_SORTS: dict[str, Sort] = {
    sort.name: sort
    for sort in (
        Sort("school", lambda desc, _v: (_dir(School.name, desc), _dir(Teacher.name, desc), Teacher.id)),
        Sort("name", lambda desc, _v: (_dir(Teacher.name, desc), School.name, Teacher.id)),
        Sort("hire_date", lambda desc, _v: (_dir(Teacher.hire_date, desc), Teacher.name, Teacher.id)),
        *(Sort(rule.value, _by_figure(_severity(rule))) for rule in RULE_STATUS),
        Sort("practice_months", _by_figure(lambda v: v.practice_months)),
        Sort("needed", _by_figure(lambda v: v.practice_needed)),
        Sort("cycle_end", _by_figure(lambda v: v.cycle_end)),
    )
}
# Each order the schema allows (COMPLIANCE_SORTS names them), in its order: a name without a declaration fails here.
SORTS: dict[str, Sort] = {name: DECLARED_SORTS[name] for name in COMPLIANCE_SORTS}
DEFAULT_SORT = SORTS[ComplianceQueryIn.model_fields["sort"].default]


class ListQuery(ComplianceQueryIn):
    """Validated filters with the as-of date resolved (today when not given)."""

    as_of: date

    @property
    def order(self) -> Sort:
        return SORTS[self.sort.lstrip("-")]

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")

    def order_by(self, verdicts: ReadOnlyColumnCollection) -> tuple:
        """The ORDER BY terms of the query's order on the columns `verdicts` of the verdict table read."""
        return self.order.columns(self.descending, verdicts)


def resolved(query: ComplianceQueryIn) -> ListQuery:
    """The query with its as-of date resolved (AsOfQuery.day: today when not given)."""
    return ListQuery(**{**query.model_dump(), "as_of": query.day()})


def parse_filters(args: Mapping[str, Any]) -> ListQuery:
    """The filters from query parameters (schemas.queries.parse_query: a blank or unknown parameter is ignored);
    Invalid names every bad one."""
    return resolved(parse_query(ComplianceQueryIn, args))


def parse_filters_leniently(args: Mapping[str, Any]) -> tuple[ListQuery, dict[str, str]]:
    """For the page: the bad parameters are dropped (and returned, to be shown) instead of refusing the page."""
    query, errors = parse_query_reporting(ComplianceQueryIn, args)
    return resolved(query), errors


def with_filters(query: ListQuery, **changes: Any) -> ListQuery:
    """The same query with some fields changed (validated again; raises pydantic's ValidationError if wrong)."""
    return ListQuery(**{**query.model_dump(), **changes})
