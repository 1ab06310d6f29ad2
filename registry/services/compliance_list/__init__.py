"""The compliance list: every teacher the caller may see, evaluated as of a date, filtered and sorted.

The list page, its exports, the dashboard and the API all read rows from
here, so they can never disagree. One job per module:

- query: the validated filters (ListQuery) and the orders (SORTS);
- filters: each filter's parameter, name and SQL condition (FILTERS);
- rows: ComplianceRow and the columns it is read from; totals: the counts per status;
- scan: the SQL over the verdicts of the list's date (iter_rows, list_page, list_totals);
- pagination: ListPage, a Flask-SQLAlchemy Pagination; presentation: the list in words.
"""
from registry.services.compliance_list.filters import FILTERS, Filter
from registry.services.compliance_list.labels import PREVIOUS_RESULTS, RULE_NAMES, rule_label
from registry.services.compliance_list.pagination import ListPage
from registry.services.compliance_list.presentation import (
    PARAMETER_LABELS,
    describe_counts,
    describe_filters,
    describe_filters_text,
    describe_policy,
    filter_options,
)
from registry.services.compliance_list.query import (
    DEFAULT_SORT,
    SORTS,
    ListQuery,
    Sort,
    parse_filters,
    parse_filters_leniently,
    with_filters,
)
from registry.services.compliance_list.rows import ComplianceRow
from registry.services.compliance_list.scan import iter_rows, list_page, list_totals
from registry.services.compliance_list.totals import Totals

__all__ = [
    "DEFAULT_SORT",
    "FILTERS",
    "PARAMETER_LABELS",
    "PREVIOUS_RESULTS",
    "RULE_NAMES",
    "SORTS",
    "ComplianceRow",
    "Filter",
    "ListPage",
    "ListQuery",
    "Sort",
    "Totals",
    "describe_filters",
    "describe_counts",
    "describe_filters_text",
    "describe_policy",
    "filter_options",
    "iter_rows",
    "list_page",
    "list_totals",
    "parse_filters",
    "parse_filters_leniently",
    "rule_label",
    "with_filters",
]
