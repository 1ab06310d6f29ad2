"""Reading the list: SQL over the verdicts of the list's date, within the user's scope.

Today's list reads the stored verdicts (registry.services.verdicts keeps them
current); another date reads a snapshot evaluated once for that date and kept
until the data changes. Filters, orders, totals and pages are SQL, so a page
costs about the same however long the list is, and the whole list streams.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, Table, func, select

from registry import permissions
from registry.dates import today
from registry.extensions import db
from registry.models import SnapshotVerdict, TeacherVerdict, User
from registry.services import verdicts
from registry.services.compliance_list.filters import clauses
from registry.services.compliance_list.pagination import ListPage
from registry.services.compliance_list.query import ListQuery, Part
from registry.services.compliance_list.rows import ComplianceRow, row_columns, row_from
from registry.services.compliance_list.totals import TOTALLED, Totals

STREAM_ROWS = 1000  # rows fetched at a time when the whole list is read


@dataclass(frozen=True)
class Source:
    """The verdict table a list reads, and the condition picking its rows (the snapshot's id)."""

    table: Table
    where: tuple = ()


def verdict_source(as_of: date) -> Source:
    """Today's stored verdicts (made current first), or the snapshot of another date (evaluated when missing)."""
    if as_of == today():
        verdicts.ensure_current(as_of)
        return Source(TeacherVerdict.__table__)
    table = SnapshotVerdict.__table__
    return Source(table, (table.c.snapshot_id == verdicts.snapshot_for(as_of),))


def scoped(user: User, query: ListQuery, source: Source, *columns) -> Select:
    """SELECT `columns` of the verdicts of the teachers in the user's scope that match every filter."""
    v = source.table.c
    return (
        select(*columns)
        .select_from(source.table)
        .where(*source.where, permissions.teacher_scope(user, v.teacher_id, v.school_id), *clauses(query, v))
    )


def part_select(user: User, query: ListQuery, source: Source, part: Part, reverse: bool = False) -> Select:
    """The rows of one part of the list's order, in its order (`reverse`: from its last row)."""
    v = source.table.c
    statement = scoped(user, query, source, *row_columns(source.table))
    if part.where is not None:
        statement = statement.where(part.where(v))
    return statement.order_by(*part.order(v, reverse))


def totals_select(user: User, query: ListQuery, source: Source, *keys) -> Select:
    """Counts of the filtered list per combination of statuses and previous results (and `keys`)."""
    counted = [source.table.c[name] for name in TOTALLED]
    return scoped(user, query, source, *keys, *counted, func.count()).group_by(*keys, *counted)


def count_totals(user: User, query: ListQuery, source: Source) -> Totals:
    return Totals.from_groups(db.session.execute(totals_select(user, query, source)))


def iter_rows(user: User, query: ListQuery) -> Iterator[ComplianceRow]:
    """The whole filtered list in its order, fetched STREAM_ROWS at a time. Checks the permission before the
    first row (Forbidden); the verdicts are made current (or the date's snapshot made) before it returns."""
    permissions.authorize(user, "read_compliance_lists")
    source = verdict_source(query.as_of)
    statements = [part_select(user, query, source, part).execution_options(yield_per=STREAM_ROWS) for part in query.parts()]

    def generate() -> Iterator[ComplianceRow]:
        for statement in statements:
            for values in db.session.execute(statement).mappings():
                yield row_from(values, query.as_of)

    return generate()


def list_page(user: User, query: ListQuery) -> ListPage:
    """One page of the filtered list and the totals of the whole list (Forbidden without the permission).

    The totals say how many rows each part of the order holds, so the page is read from the parts it spans
    only, each from its index at the right offset, counted from the part's nearer end: the last page costs
    what the first does, the middle one the most.
    """
    permissions.authorize(user, "read_compliance_lists")
    source = verdict_source(query.as_of)
    totals = count_totals(user, query, source)
    skip, wanted, rows = (query.page - 1) * query.per_page, query.per_page, []
    for part in query.parts():
        size = part.count(totals)
        if skip >= size:
            skip -= size
            continue
        take = min(wanted, size - skip)
        from_end = size - skip - take
        if from_end < skip:
            statement = part_select(user, query, source, part, reverse=True).offset(from_end).limit(take)
            found = list(db.session.execute(statement).mappings())[::-1]
        else:
            found = list(db.session.execute(part_select(user, query, source, part).offset(skip).limit(take)).mappings())
        rows.extend(row_from(values, query.as_of) for values in found)
        wanted, skip = query.per_page - len(rows), 0
        if wanted <= 0:
            break
    return ListPage(page=query.page, per_page=query.per_page, rows=rows, totals=totals)


def list_totals(user: User, query: ListQuery) -> Totals:
    """The totals of the whole filtered list (Forbidden without the permission)."""
    permissions.authorize(user, "read_compliance_lists")
    return count_totals(user, query, verdict_source(query.as_of))
