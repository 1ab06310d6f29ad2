"""The compliance list: every teacher the caller may see, evaluated as of a date, filtered and sorted.

The list page, its exports, the dashboard and the API all read rows from
here, so they can never disagree. Statuses are computed, not stored: the
teachers matching the database-side filters are evaluated in chunks (one
PolicyBook, eager loading, a few queries per chunk) and the computed filters
are applied in Python, so memory stays bounded however long the list is.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from registry import permissions
from registry.dates import today
from registry.errors import Invalid
from registry.extensions import db
from registry.models import PolicyVersion, School, Teacher, User
from registry.rules.explain import BASIS_LABELS, PREVIOUS_LABELS, REASON_LABELS, STATUS_LABELS
from registry.rules.policy import Policy
from registry.schemas import RULE_STATUSES, ComplianceQueryIn, load
from registry.services.compliance import TEACHER_FACT_LOADS, PolicyBook, evaluate_teacher
from registry.vocabulary import label, translated

CHUNK = 500
RULES = tuple(RULE_STATUSES)
FILTER_FIELDS = tuple(ComplianceQueryIn.model_fields)

# Worst first: the order a "sort by status" shows; not_applicable always comes last.
SEVERITY = {
    "hire": ("non_compliant", "exception", "compliant"),
    "practice": ("infeasible", "behind", "on_track", "met"),
    "training": ("pending", "done"),
}


@dataclass(frozen=True, slots=True)
class ComplianceRow:
    """One teacher's line of the list: who, where, and the verdict of each rule (figures as reported)."""

    teacher_id: int
    name: str
    school_id: int
    school: str
    county: str
    specialty: str
    course_type: str
    post_type: str
    hire_date: date
    in_office: bool
    hire: str
    hire_basis: str | None
    hire_reasons: tuple[str, ...]
    experience_months: float
    shortfall_months: float
    practice: str
    practice_reasons: tuple[str, ...]
    cycle_start: date | None
    cycle_end: date | None
    practice_months: float | None
    practice_required: float | None
    practice_needed: float | None
    practice_previous: str | None
    practice_previous_months: float | None
    training: str
    training_previous: str | None

    def status(self, rule: str) -> str:
        return getattr(self, rule)

    def api_dict(self) -> dict[str, Any]:
        """An item of GET /api/v1/compliance (api.md): each rule field is that rule's status."""
        return {
            "teacher_id": self.teacher_id,
            "name": self.name,
            "school_id": self.school_id,
            "school": self.school,
            "hire": self.hire,
            "practice": self.practice,
            "training": self.training,
            "practice_months": self.practice_months,
            "practice_previous": self.practice_previous,
        }

    def hire_basis_text(self) -> str:
        """The hiring basis when compliant, else the reasons, in words."""
        if self.hire_basis:
            return translated(BASIS_LABELS, self.hire_basis)
        return "；".join(translated(REASON_LABELS, r) for r in self.hire_reasons)


def in_office(teacher: Teacher, as_of: date) -> bool:
    return teacher.hire_date <= as_of and (teacher.left_date is None or teacher.left_date > as_of)


def build_row(teacher: Teacher, as_of: date, book: PolicyBook) -> ComplianceRow:
    result = evaluate_teacher(teacher, as_of, book)
    hire, practice, training = result.hire.to_dict(), result.practice.to_dict(), result.training.to_dict()
    return ComplianceRow(
        teacher_id=teacher.id,
        name=teacher.name,
        school_id=teacher.school_id,
        school=teacher.school.name,
        county=teacher.school.county,
        specialty=teacher.specialty,
        course_type=teacher.course_type,
        post_type=teacher.post_type,
        hire_date=teacher.hire_date,
        in_office=in_office(teacher, as_of),
        hire=hire["status"],
        hire_basis=hire["basis"],
        hire_reasons=tuple(hire["reasons"]),
        experience_months=hire["experience_months"],
        shortfall_months=hire["shortfall_months"],
        practice=practice["status"],
        practice_reasons=tuple(practice["reasons"]),
        cycle_start=result.practice.cycle_start,
        cycle_end=result.practice.cycle_end,
        practice_months=practice["months"],
        practice_required=practice["required"],
        practice_needed=practice["needed"],
        practice_previous=practice["previous"],
        practice_previous_months=practice["previous_months"],
        training=training["status"],
        training_previous=training["previous"],
    )


# ------------------------------------------------------------------ filters


class ListQuery(ComplianceQueryIn):
    """Validated filters with the as-of date resolved (today when not given)."""

    as_of: date


def parse_filters(args: Mapping[str, Any]) -> ListQuery:
    """The filters from query parameters; Invalid names every bad one. Unknown parameters are ignored."""
    data = {name: args.get(name) for name in FILTER_FIELDS if args.get(name) is not None}
    clean = load(ComplianceQueryIn, data)
    return ListQuery(**{**clean.model_dump(), "as_of": clean.as_of or today()})


def parse_filters_leniently(args: Mapping[str, Any]) -> tuple[ListQuery, dict[str, str]]:
    """For the page: the bad parameters are dropped (and returned, to be shown) instead of refusing the page."""
    try:
        return parse_filters(args), {}
    except Invalid as exc:
        kept = {name: value for name, value in args.items() if name not in exc.errors}
        try:
            return parse_filters(kept), exc.errors
        except Invalid:
            return parse_filters({}), exc.errors


def with_filters(query: ListQuery, **changes: Any) -> ListQuery:
    return ListQuery(**{**query.model_dump(), **changes})


def matches(row: ComplianceRow, query: ListQuery) -> bool:
    """The filters that need the verdicts (the others are applied by the database)."""
    if query.status is not None and row.status(query.rule) != query.status:
        return False
    if query.previous is not None and previous_of(row, query.previous) != query.previous:
        return False
    return query.due_by is None or is_due(row, query.due_by)


def previous_of(row: ComplianceRow, code: str) -> str | None:
    """The previous-cycle result the code is about: practice (met/failed) or training (done/missed)."""
    return row.practice_previous if code in ("met", "failed") else row.training_previous


def is_due(row: ComplianceRow, by: date) -> bool:
    """The current practice cycle ends on or before `by` and months are still needed."""
    return row.cycle_end is not None and row.cycle_end <= by and bool(row.practice_needed)


# ---------------------------------------------------------------- ordering

SQL_ORDERS = {
    "school": lambda desc: (_dir(School.name, desc), _dir(Teacher.name, desc), Teacher.id),
    "name": lambda desc: (_dir(Teacher.name, desc), School.name, Teacher.id),
    "hire_date": lambda desc: (_dir(Teacher.hire_date, desc), Teacher.name, Teacher.id),
}


def _dir(column, desc: bool):
    return column.desc() if desc else column.asc()


def _rank(rule: str) -> Callable[[ComplianceRow], int | None]:
    def rank(row: ComplianceRow) -> int | None:
        status = row.status(rule)
        return SEVERITY[rule].index(status) if status in SEVERITY[rule] else None

    return rank


COMPUTED_ORDERS: dict[str, Callable[[ComplianceRow], float | int | None]] = {
    "hire": _rank("hire"),
    "practice": _rank("practice"),
    "training": _rank("training"),
    "practice_months": lambda row: row.practice_months,
    "needed": lambda row: row.practice_needed,
    "cycle_end": lambda row: row.cycle_end.toordinal() if row.cycle_end else None,
}


def sort_key(sort: str) -> Callable[[ComplianceRow], tuple]:
    """A key that puts rows without the figure (rule not applicable) last, in either direction."""
    value = COMPUTED_ORDERS[sort.lstrip("-")]
    sign = -1 if sort.startswith("-") else 1

    def key(row: ComplianceRow) -> tuple:
        v = value(row)
        return (1, 0) if v is None else (0, sign * v)

    return key


def is_sql_sort(sort: str) -> bool:
    return sort.lstrip("-") in SQL_ORDERS


# ---------------------------------------------------------------- scanning


def scoped_ids(user: User, query: ListQuery) -> Select:
    """Ids of the teachers in the user's scope that match the database-side filters, in list order."""
    stmt = permissions.teachers_query(user).with_only_columns(Teacher.id).join(School, Teacher.school_id == School.id)
    if query.county:
        stmt = stmt.where(School.county == query.county)
    if query.school_id:
        stmt = stmt.where(Teacher.school_id == query.school_id)
    if query.specialty:
        stmt = stmt.where(Teacher.specialty == query.specialty)
    if query.course_type:
        stmt = stmt.where(Teacher.course_type == query.course_type)
    if query.post_type:
        stmt = stmt.where(Teacher.post_type == query.post_type)
    if query.in_office:
        stmt = stmt.where(Teacher.hire_date <= query.as_of, or_(Teacher.left_date.is_(None), Teacher.left_date > query.as_of))
    if query.q:
        stmt = stmt.where(Teacher.name.contains(query.q, autoescape=True))
    sort = query.sort if is_sql_sort(query.sort) else "school"
    return stmt.order_by(*SQL_ORDERS[sort.lstrip("-")](sort.startswith("-")))


def chunks(items: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


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


def _sorted_ids(rows: Iterable[ComplianceRow], sort: str, totals: Totals | None = None) -> list[int]:
    """Pass one of a computed sort: only (key, position, id) triples are kept, never the rows."""
    key = sort_key(sort)
    keyed = []
    for position, row in enumerate(rows):
        if totals is not None:
            totals.add(row)
        keyed.append((key(row), position, row.teacher_id))
    keyed.sort()
    return [teacher_id for _key, _position, teacher_id in keyed]


def iter_rows(user: User, query: ListQuery, book: PolicyBook | None = None) -> Iterator[ComplianceRow]:
    """The whole filtered list in its order, a row at a time. Checks the permission before the first row."""
    permissions.require(user, "read_compliance_lists")
    book = book or PolicyBook.load()
    if is_sql_sort(query.sort):
        return _matching(user, query, book)

    def ordered() -> Iterator[ComplianceRow]:
        ids = _sorted_ids(_matching(user, query, book), query.sort)
        # Pass two evaluates again in the sorted order; a record changed in between is checked again.
        yield from (row for row in evaluate_ids(ids, query.as_of, book) if matches(row, query))

    return ordered()


# ------------------------------------------------------------------ totals


@dataclass
class Totals:
    """How many rows of the filtered list have each status (and each previous-cycle result)."""

    total: int = 0
    by_rule: dict[str, Counter] = field(default_factory=lambda: {rule: Counter() for rule in RULES})
    previous: Counter = field(default_factory=Counter)

    def add(self, row: ComplianceRow) -> None:
        self.total += 1
        for rule in RULES:
            self.by_rule[rule][row.status(rule)] += 1
        for previous in (row.practice_previous, row.training_previous):  # met/failed and done/missed do not overlap
            if previous:
                self.previous[previous] += 1

    def counts(self) -> dict[str, dict[str, int]]:
        """{rule: {status: count}} with every status of each rule, zero included."""
        return {rule: {status: self.by_rule[rule][status] for status in RULE_STATUSES[rule]} for rule in RULES}


@dataclass
class ListPage:
    rows: list[ComplianceRow]
    totals: Totals
    page: int
    per_page: int

    @property
    def total(self) -> int:
        return self.totals.total

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def iter_pages(self, edge: int = 2, around: int = 2) -> Iterator[int | None]:
        """Page numbers with None for a gap, like Flask-SQLAlchemy's, for the shared pager macro."""
        last = 0
        for number in range(1, self.pages + 1):
            if number <= edge or number > self.pages - edge or abs(number - self.page) <= around:
                if last and number - last > 1:
                    yield None
                yield number
                last = number


def list_page(user: User, query: ListQuery, book: PolicyBook | None = None) -> ListPage:
    """One page of the filtered list and the totals of the whole list, in a single evaluation pass."""
    permissions.require(user, "read_compliance_lists")
    book = book or PolicyBook.load()
    totals = Totals()
    start, end = (query.page - 1) * query.per_page, query.page * query.per_page
    if is_sql_sort(query.sort):
        rows = []
        for position, row in enumerate(_matching(user, query, book)):
            totals.add(row)
            if start <= position < end:
                rows.append(row)
    else:
        ids = _sorted_ids(_matching(user, query, book), query.sort, totals)
        rows = list(evaluate_ids(ids[start:end], query.as_of, book))
    return ListPage(rows=rows, totals=totals, page=query.page, per_page=query.per_page)


def list_totals(user: User, query: ListQuery, book: PolicyBook | None = None) -> Totals:
    totals = Totals()
    for row in iter_rows(user, query, book):
        totals.add(row)
    return totals


# ---------------------------------------------------------- words for people


def policy_version_in_force(day: date, book: PolicyBook) -> tuple[PolicyVersion | None, Policy]:
    return book.version_on(day), book.on(day)


def describe_policy(day: date, book: PolicyBook) -> str:
    """The version in force on `day` and its figures, in one line."""
    version, policy = policy_version_in_force(day, book)
    since = (
        _("自 %(date)s 起施行的版本", date=version.effective_from.isoformat())
        if version is not None
        else _("默认参数（尚未登记政策版本）")
    )
    figures = _(
        "招聘须企业工作经历 %(hire)s 个月、学历不低于%(education)s；每 %(years)s 年企业实践不少于 %(practice)s 个月；"
        "班子成员企业经历 %(leader)s 个月",
        hire=_whole(policy.hire_min_experience_months),
        education=label("education", policy.hire_min_education),
        years=policy.cycle_years,
        practice=_whole(policy.practice_required_months),
        leader=_whole(policy.leadership_min_experience_months),
    )
    return f"{since}：{figures}"


def _whole(x) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"


def describe_filters(user: User, query: ListQuery) -> list[tuple[str, str]]:
    """The filters in force, as (label, value) pairs in Chinese.

    A school is named only when it is in the user's scope: another school's id shows as a number, never its name.
    """
    parts: list[tuple[str, str]] = []
    if query.county:
        parts.append((_("县（市、区）"), query.county))
    if query.school_id:
        school = db.session.scalar(permissions.schools_query(user).where(School.id == query.school_id))
        parts.append((_("学校"), school.name if school else f"#{query.school_id}"))
    if query.specialty:
        parts.append((_("专业"), query.specialty))
    if query.course_type:
        parts.append((_("课程类别"), label("course_type", query.course_type)))
    if query.post_type:
        parts.append((_("岗位类型"), label("post_type", query.post_type)))
    if query.in_office:
        parts.append((_("在职情况"), _("仅在职教师")))
    if query.rule and query.status:
        parts.append((rule_label(query.rule), translated(STATUS_LABELS, query.status)))
    if query.previous:
        parts.append((_("上一周期"), translated(PREVIOUS_LABELS, query.previous)))
    if query.due_by:
        parts.append((_("本周期结束不晚于"), _("%(date)s 且尚未完成", date=query.due_by.isoformat())))
    if query.q:
        parts.append((_("姓名包含"), query.q))
    return parts


def describe_filters_text(user: User, query: ListQuery) -> str:
    parts = describe_filters(user, query)
    return "；".join(f"{k}：{v}" for k, v in parts) if parts else _("无（全部可见教师）")


def rule_label(rule: str) -> str:
    return {"hire": _("招聘资格"), "practice": _("企业实践"), "training": _("全员轮训")}[rule]


def filter_options(user: User) -> dict[str, list]:
    """Values the page's selects offer, from the user's scope."""
    schools = list(db.session.scalars(permissions.schools_query(user)))
    scope = permissions.teachers_query(user).subquery()
    specialties = db.session.scalars(
        select(scope.c.specialty).distinct().order_by(scope.c.specialty)
    ).all()
    return {
        "schools": schools,
        "counties": sorted({s.county for s in schools}),
        "specialties": list(specialties),
    }

