"""Reading today's list costs a fixed number of queries: filters, orders, totals and the page are SQL."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

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
        teacher = make.teacher(school, name=f"教师{n % 7:02d}", hire_date=date(2019 + n % 5, 1 + n % 12, 1),
                               **({"course_type": "general"} if n % 9 == 0 else {}))
        if n % 3:
            make.practice(teacher, "2023-01-01", f"2023-{1 + n % 12:02d}-28")
    return make.user("bureau")


@pytest.mark.parametrize("sort", list(SORTS))
def test_a_page_costs_one_query_per_part_of_its_order_it_spans_however_many_rows_it_shows(thirty, frozen_today, sort):
    def page_queries(per_page: int) -> tuple[int, int]:
        query = parse_filters({"per_page": per_page, "sort": sort, "as_of": frozen_today.isoformat()})
        with counted() as seen:
            page = list_page(thirty, query)
        assert len(page.rows) == per_page and page.total == 30
        spanned = sum(1 for part in query.parts() if part.count(page.totals))  # the parts holding rows
        return len(seen), spanned

    page_queries(2)  # the first reader of the day brings the stored verdicts up to date
    few, _ = page_queries(2)
    many, spanned = page_queries(30)
    assert few == 4  # the expired rows' check (teachers, schools), the totals, one part
    assert many == 3 + spanned


def test_the_whole_list_streams_in_a_fixed_number_of_queries(thirty, frozen_today):
    query = parse_filters({"as_of": frozen_today.isoformat(), "sort": "-practice_months"})
    list(iter_rows(thirty, query))
    with counted() as seen:
        rows = list(iter_rows(thirty, query))
    assert len(rows) == 30
    assert len(seen) == 2 + len(query.parts())  # the expired rows' check (teachers, schools), then each part


@pytest.mark.parametrize("sort", [*SORTS, *(f"-{name}" for name in SORTS)])
def test_the_pages_of_every_order_put_together_are_the_whole_list_in_that_order(thirty, frozen_today, sort):
    args = {"sort": sort, "as_of": frozen_today.isoformat(), "per_page": 7}
    whole = [r.teacher_id for r in iter_rows(thirty, parse_filters(args))]
    paged = [r.teacher_id for page in range(1, 6) for r in list_page(thirty, parse_filters({**args, "page": page})).rows]
    assert paged == whole and len(whole) == 30
