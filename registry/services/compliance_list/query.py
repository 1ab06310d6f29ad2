"""What the caller asked for: the validated filters with the as-of date resolved, and the orders the list offers."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.sql.base import ReadOnlyColumnCollection

from registry.rules.vocabulary import RULE_STATUS, Rule
from registry.schemas.compliance import COMPLIANCE_SORTS, ComplianceQueryIn
from registry.schemas.queries import parse_query, parse_query_reporting
from registry.services.compliance_list.rows import status_column
from registry.services.compliance_list.totals import Totals


@dataclass(frozen=True, slots=True)
class Part:
    """A run of consecutive rows of an order: those matching `where`, in `order(verdicts, reverse)`;
    `count(totals)` of them. `reverse` reads the run from its end (a page past the middle is read that way)."""

    where: Callable[[ReadOnlyColumnCollection], ColumnElement[bool]] | None
    order: Callable[[ReadOnlyColumnCollection, bool], tuple]
    count: Callable[[Totals], int]


@dataclass(frozen=True, slots=True)
class Sort:
    """An order of the list, declared once: `parts(descending)` are its runs of rows, in order.

    Each part is read in the order of one index of models.LIST_ORDERS (of the same name), so that a page is
    read from the index whatever its depth. By a rule, the statuses come worst first (best first descending),
    one part each; by a figure, the rows with it, then those without (not applicable), last in both directions.
    """

    name: str
    parts: Callable[[bool], list[Part]]


def _dir(column, descending: bool):
    return column.desc() if descending else column.asc()


def _everyone(totals: Totals) -> int:
    return totals.total


def _by_columns(*names: str) -> Callable[[bool], list[Part]]:
    def parts(descending: bool) -> list[Part]:
        return [Part(None, lambda v, reverse: tuple(_dir(v[name], descending != reverse) for name in names), _everyone)]

    return parts


TIES = ("school_name_key", "teacher_name_key", "teacher_id")  # the default order, which breaks every tie


def _by_status(rule: Rule) -> Callable[[bool], list[Part]]:
    column = status_column(rule)
    ranked = sorted((s for s in RULE_STATUS[rule] if s.severity is not None), key=lambda s: s.severity)

    def part(status) -> Part:
        return Part(lambda v: v[column] == status, lambda v, reverse: tuple(_dir(v[name], reverse) for name in TIES),
                    lambda totals: totals.by_rule[rule][status])

    def parts(descending: bool) -> list[Part]:
        return [part(s) for s in (ranked[::-1] if descending else ranked)] + [part(RULE_STATUS[rule].NOT_APPLICABLE)]

    return parts


def _by_figure(column: str, rule: Rule) -> Callable[[bool], list[Part]]:
    """A figure of `rule`, which has it exactly when the rule applies."""
    not_applicable = RULE_STATUS[rule].NOT_APPLICABLE

    def parts(descending: bool) -> list[Part]:
        return [
            Part(lambda v: v[column].is_not(None),
                 lambda v, reverse: tuple(_dir(v[n], descending != reverse) for n in (column, *TIES)),
                 lambda totals: totals.total - totals.by_rule[rule][not_applicable]),
            Part(lambda v: v[column].is_(None), lambda v, reverse: tuple(_dir(v[n], reverse) for n in TIES),
                 lambda totals: totals.by_rule[rule][not_applicable]),
        ]

    return parts


# Every order, declared once (a test checks that the schema allows exactly these).
DECLARED_SORTS: dict[str, Sort] = {
    sort.name: sort
    for sort in (
        Sort("school", _by_columns(*TIES)),
        Sort("name", _by_columns("teacher_name_key", "school_name_key", "teacher_id")),
        Sort("hire_date", _by_columns("hire_date", "teacher_name_key", "teacher_id")),
        *(Sort(rule.value, _by_status(rule)) for rule in RULE_STATUS),
        Sort("practice_months", _by_figure("practice_months", Rule.PRACTICE)),
        Sort("needed", _by_figure("practice_needed", Rule.PRACTICE)),
        Sort("cycle_end", _by_figure("cycle_end", Rule.PRACTICE)),
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

    def parts(self) -> list[Part]:
        """The runs of rows of the query's order, in order."""
        return self.order.parts(self.descending)


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
    """The same query with some fields changed by the code (not input: a derived date such as as_of + 6 months may lie
    past the range a caller may type, so the changes are not validated again)."""
    unknown = changes.keys() - ListQuery.model_fields.keys()
    if unknown:
        raise TypeError(f"ListQuery has no field {', '.join(sorted(unknown))}")
    return query.model_copy(update=changes)
