"""Reading the list: the teachers in scope matching the database-side filters, evaluated a chunk at a time.

Statuses are computed, not stored: the matching teachers are evaluated in
chunks (one PolicyBook, eager loading, a few queries per chunk) and the
row-side filters are applied in Python, so memory stays bounded however long
the list is. A computed order reads the list twice and keeps only
(key, position, id) between the passes.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from registry import permissions
from registry.batches import chunks
from registry.extensions import db
from registry.models import School, Teacher, User
from registry.services.compliance import TEACHER_FACT_LOADS, PolicyBook
from registry.services.compliance_list.filters import clauses, matches
from registry.services.compliance_list.pagination import ListPage
from registry.services.compliance_list.query import DEFAULT_SORT, ListQuery
from registry.services.compliance_list.rows import ComplianceRow, build_row
from registry.services.compliance_list.totals import Totals


def scoped_ids(user: User, query: ListQuery) -> Select:
    """Ids of the teachers in the user's scope that match the database-side filters, in list order."""
    stmt = permissions.visible_teacher_ids(user).join(School, Teacher.school_id == School.id)
    stmt = stmt.where(*clauses(query))
    if query.order.columns is not None:
        return stmt.order_by(*query.order.columns(query.descending))
    return stmt.order_by(*DEFAULT_SORT.columns(False))  # read in a stable order, then sorted by the figure


def evaluate_ids(ids: Iterable[int], as_of: date, book: PolicyBook) -> Iterator[ComplianceRow]:
    """Rows for these teachers, in this order, evaluated a chunk at a time (a handful of queries per chunk)."""
    for chunk in chunks(list(ids)):
        teachers = db.session.scalars(
            select(Teacher).where(Teacher.id.in_(chunk)).options(joinedload(Teacher.school), *TEACHER_FACT_LOADS)
        )
        by_id = {t.id: t for t in teachers}
        for teacher_id in chunk:
            teacher = by_id.get(teacher_id)
            if teacher is not None:  # deleted since the ids were read
                yield build_row(teacher, as_of, book)
        del by_id, teachers  # let the chunk's objects go before the next one is loaded


def _matching(user: User, query: ListQuery, book: PolicyBook) -> Iterator[ComplianceRow]:
    ids = db.session.scalars(scoped_ids(user, query)).all()
    return (row for row in evaluate_ids(ids, query.as_of, book) if matches(row, query))


def _sorted_ids(rows: Iterable[ComplianceRow], query: ListQuery, totals: Totals | None = None) -> list[int]:
    """Pass one of a computed order: only (key, position, id) triples are kept, never the rows."""
    key = query.row_key()
    keyed = []
    for position, row in enumerate(rows):
        if totals is not None:
            totals.add(row)
        keyed.append((key(row), position, row.teacher_id))
    keyed.sort()
    return [teacher_id for _key, _position, teacher_id in keyed]


def iter_rows(user: User, query: ListQuery, book: PolicyBook | None = None) -> Iterator[ComplianceRow]:
    """The whole filtered list in its order, a row at a time. Checks the permission before the first row (Forbidden)."""
    permissions.authorize(user, "read_compliance_lists")
    book = book or PolicyBook.load()
    if query.order.key is None:
        return _matching(user, query, book)

    def ordered() -> Iterator[ComplianceRow]:
        ids = _sorted_ids(_matching(user, query, book), query)
        # Pass two evaluates again in the sorted order; a record changed in between is checked again.
        yield from (row for row in evaluate_ids(ids, query.as_of, book) if matches(row, query))

    return ordered()


def list_page(user: User, query: ListQuery, book: PolicyBook | None = None) -> ListPage:
    """One page of the filtered list and the totals of the whole list, in a single evaluation pass (Forbidden)."""
    permissions.authorize(user, "read_compliance_lists")
    book = book or PolicyBook.load()
    totals = Totals()
    start, end = (query.page - 1) * query.per_page, query.page * query.per_page
    if query.order.key is None:
        rows = []
        for position, row in enumerate(_matching(user, query, book)):
            totals.add(row)
            if start <= position < end:
                rows.append(row)
    else:
        ids = _sorted_ids(_matching(user, query, book), query, totals)
        rows = list(evaluate_ids(ids[start:end], query.as_of, book))
    return ListPage(page=query.page, per_page=query.per_page, rows=rows, totals=totals)


def list_totals(user: User, query: ListQuery, book: PolicyBook | None = None) -> Totals:
    """The totals of the whole filtered list (Forbidden without the permission)."""
    totals = Totals()
    for row in iter_rows(user, query, book):
        totals.add(row)
    return totals
