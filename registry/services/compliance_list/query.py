"""What the caller asked for: the validated filters with the as-of date resolved, and the orders the list offers."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from registry.models import School, Teacher
from registry.rules.vocabulary import RULE_STATUS, Rule
from registry.schemas.compliance import COMPLIANCE_SORTS, ComplianceQueryIn
from registry.schemas.queries import parse_query, parse_query_reporting
from registry.services.compliance_list.rows import ComplianceRow


@dataclass(frozen=True, slots=True)
class Sort:
    """An order of the list, declared once: by database columns, or by a figure of the evaluated rows.

    `columns(descending)` gives the ORDER BY terms; `key(row)` gives the figure, None when the row has none
    (those rows come last in either direction).
    """

    name: str
    columns: Callable[[bool], tuple] | None = None
    key: Callable[[ComplianceRow], float | int | None] | None = None


def _dir(column, descending: bool):
    return column.desc() if descending else column.asc()


def _severity(rule: Rule) -> Callable[[ComplianceRow], int | None]:
    """Worst status first; a status that does not rank (not applicable) has no figure."""
    return lambda row: row.status(rule).severity


# Every order, declared once (a test checks that the schema allows exactly these).
DECLARED_SORTS: dict[str, Sort] = {
    sort.name: sort
    for sort in (
        Sort("school", columns=lambda desc: (_dir(School.name, desc), _dir(Teacher.name, desc), Teacher.id)),
        Sort("name", columns=lambda desc: (_dir(Teacher.name, desc), School.name, Teacher.id)),
        Sort("hire_date", columns=lambda desc: (_dir(Teacher.hire_date, desc), Teacher.name, Teacher.id)),
        *(Sort(rule.value, key=_severity(rule)) for rule in RULE_STATUS),
        Sort("practice_months", key=lambda row: row.practice_months),
        Sort("needed", key=lambda row: row.practice_needed),
        Sort("cycle_end", key=lambda row: row.cycle_end.toordinal() if row.cycle_end else None),
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

    def row_key(self) -> Callable[[ComplianceRow], tuple]:
        """The sort key of a computed order: rows without the figure last, in either direction."""
        value = self.order.key
        sign = -1 if self.descending else 1

        def key(row: ComplianceRow) -> tuple:
            v = value(row)
            return (1, 0) if v is None else (0, sign * v)

        return key


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
