"""The compliance list: every teacher the caller may see, evaluated as of a date, filtered and sorted.

The list page, its exports, the dashboard and the API all read rows from
here, so they can never disagree. One job per module:

- query: the validated filters (ListQuery) and the orders (SORTS);
- filters: each filter's parameter, name and SQL clause or row test (FILTERS);
- rows: ComplianceRow and build_row; totals: the counts per status;
- scan: evaluating the matching teachers a chunk at a time (iter_rows, list_page, list_totals);
- pagination: ListPage, a Flask-SQLAlchemy Pagination; presentation: the list in words.
"""
from registry.batches import BATCH_SIZE as CHUNK  # teachers evaluated per chunk
from registry.services.compliance_list.filters import FILTERS, Filter, matches
from registry.services.compliance_list.labels import PREVIOUS_RESULTS, RULE_NAMES, rule_label
from registry.services.compliance_list.pagination import ListPage
from registry.services.compliance_list.presentation import (
    PARAMETER_LABELS,
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
from registry.services.compliance_list.rows import ComplianceRow, build_row
from registry.services.compliance_list.scan import iter_rows, list_page, list_totals
from registry.services.compliance_list.totals import Totals

__all__ = [
    "CHUNK",
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
    "build_row",
    "describe_filters",
    "describe_filters_text",
    "describe_policy",
    "filter_options",
    "iter_rows",
    "list_page",
    "list_totals",
    "matches",
    "parse_filters",
    "parse_filters_leniently",
    "rule_label",
    "with_filters",
]
