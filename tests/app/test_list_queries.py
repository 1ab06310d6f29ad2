"""Reading today's list costs a fixed number of queries: filters, orders, totals and the page are SQL."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from registry.extensions import db
from registry.services.compliance_list import SORTS, iter_rows, list_page, parse_filters


@contextmanager
def counted():
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


@pytest.fixture
def thirty(make, frozen_today):
    school = make.school()
    for n in range(30):
        teacher = make.teacher(school, name=f"教师{n:02d}")
        make.practice(teacher, "2023-01-01", "2023-02-28")
    return make.user("bureau")


@pytest.mark.parametrize("sort", list(SORTS))
def test_a_page_costs_the_same_queries_whether_it_shows_two_rows_or_thirty(thirty, frozen_today, sort):
    def page_queries(per_page: int) -> int:
        query = parse_filters({"per_page": per_page, "sort": sort, "as_of": frozen_today.isoformat()})
        with counted() as seen:
            page = list_page(thirty, query)
        assert len(page.rows) == per_page and page.total == 30
        return len(seen)

    page_queries(2)  # the first reader of the day brings the stored verdicts up to date
    assert page_queries(2) == page_queries(30)


def test_the_whole_list_streams_in_a_fixed_number_of_queries(thirty, frozen_today):
    query = parse_filters({"as_of": frozen_today.isoformat(), "sort": "-practice_months"})
    list(iter_rows(thirty, query))
    with counted() as seen:
        rows = list(iter_rows(thirty, query))
    assert len(rows) == 30
    assert len(seen) == 2 + len(query.parts())  # the expired rows' check (teachers, schools), then each part
