"""A page of the compliance list as Flask-SQLAlchemy's Pagination, like every other paged list of the registry."""
from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination

from registry.services.compliance_list.rows import ComplianceRow
from registry.services.compliance_list.totals import Totals


class ListPage(Pagination):
    """The rows of one page and the totals of the whole filtered list, both computed before (one evaluation pass).

    Build it with `ListPage(page=..., per_page=..., rows=[...], totals=Totals)`; the shared pager macro reads it
    as it reads `db.paginate`'s answers. The rows are given, not queried, so `prev()`/`next()` do not apply.
    """

    def __init__(self, *, page: int, per_page: int, rows: list[ComplianceRow], totals: Totals) -> None:
        super().__init__(page=page, per_page=per_page, max_per_page=None, error_out=False, rows=rows, totals=totals)

    def _query_items(self) -> list[ComplianceRow]:
        return list(self._query_args["rows"])

    def _query_count(self) -> int:
        return self.totals.total

    @property
    def totals(self) -> Totals:
        return self._query_args["totals"]

    @property
    def rows(self) -> list[ComplianceRow]:
        return self.items

    @property
    def pages(self) -> int:
        """At least 1: an empty list is one empty page ("第 1 / 1 页")."""
        return max(1, super().pages)
