"""The stored verdicts: every teacher's and every school's current result, kept equal to the rule engine's answer.

The rule engine (registry.rules) decides every verdict; this module only
feeds it facts, stores what it answers as of today with the date it stops
being true (`valid_until`), and recomputes:

- the teachers and schools a transaction touched, before it commits (a
  session listener notes them at each flush), and before a reader looks;
- everyone, when a policy version is added, changed or removed;
- the rows whose validity has passed: lazily before a reader looks
  (`ensure_current`) and nightly (`flask --app app compliance refresh`).

Facts are read with plain column queries, a chunk of teachers at a time, so a
full refresh never holds ORM objects for the whole registry.
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

from flask import current_app
from sqlalchemy import delete, event, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, attributes

from registry.batches import chunks
from registry.dates import today as today_
from registry.extensions import db, sqlite_busy
from registry.models import (
    Certificate,
    EmploymentRecord,
    HireException,
    ListedFields,
    PolicyVersion,
    PracticeRecord,
    School,
    SchoolVerdict,
    SnapshotVerdict,
    Teacher,
    TeacherVerdict,
    TrainingRecord,
    VerdictFields,
    VerdictSnapshot,
)
from registry.rules.engine import LeadershipResult, evaluate_leadership
from registry.rules.months import report, report_optional
from registry.rules.validity import earliest, leadership_valid_until, teacher_valid_until
from registry.rules.vocabulary import LeadershipStatus
from registry.services.compliance import PolicyBook, TeacherCompliance, evaluate_teacher, teacher_facts

CHUNK = 2000  # teachers whose facts are read, evaluated and written together

# --- facts, read as plain rows -------------------------------------------------------------------------

TEACHER_COLUMNS = (
    Teacher.id, Teacher.school_id, Teacher.course_type, Teacher.post_type, Teacher.hire_date, Teacher.hire_channel,
    Teacher.education, Teacher.left_date, Teacher.leadership, Teacher.name, Teacher.name_key, Teacher.id_number,
    Teacher.specialty,
    School.name.label("school_name"), School.name_key.label("school_name_key"), School.county,
)
# (attribute of the teacher the facts read, model, its columns the facts read): services.compliance.teacher_facts.
RECORDS = (
    ("employment", EmploymentRecord, (EmploymentRecord.start, EmploymentRecord.end, EmploymentRecord.employer_type)),
    ("certificates", Certificate, (Certificate.kind, Certificate.level, Certificate.issued, Certificate.related)),
    ("practice", PracticeRecord, (PracticeRecord.start, PracticeRecord.end, PracticeRecord.status)),
    ("training", TrainingRecord, (TrainingRecord.kind, TrainingRecord.end, TrainingRecord.status)),
    ("hire_exceptions", HireException, (HireException.status,)),
)


def load_teachers(ids: Sequence[int], *where) -> list[SimpleNamespace]:
    """The teachers with these ids (and `where`), each with what teacher_facts reads, as plain objects."""
    teachers = {
        row.id: SimpleNamespace(**row._mapping, **{name: [] for name, _model, _columns in RECORDS})
        for row in db.session.execute(
            select(*TEACHER_COLUMNS).join(School, Teacher.school_id == School.id).where(Teacher.id.in_(ids), *where)
        )
    }
    if teachers:
        for name, model, columns in RECORDS:
            for row in db.session.execute(select(model.teacher_id, *columns).where(model.teacher_id.in_(teachers))):
                getattr(teachers[row.teacher_id], name).append(row)
    return list(teachers.values())


# --- what is stored --------------------------------------------------------------------------------------


def _codes(reasons: Iterable) -> list[str]:
    return [str(reason) for reason in reasons]


def listed_values(teacher) -> dict[str, Any]:
    """The ListedFields of a teacher_verdict row: copies of the teacher's and the school's fields (load_teachers)."""
    return {
        "school_id": teacher.school_id, "county": teacher.county, "school_name": teacher.school_name,
        "teacher_name": teacher.name, "school_name_key": teacher.school_name_key, "teacher_name_key": teacher.name_key,
        "id_number": teacher.id_number,        "specialty": teacher.specialty, "course_type": teacher.course_type,
        "post_type": teacher.post_type, "hire_date": teacher.hire_date, "left_date": teacher.left_date,
    }


def teacher_values(result: TeacherCompliance) -> dict[str, Any]:
    """The verdict fields of a teacher_verdict row from the engine's results (months as rules.md reports them)."""
    hire, practice, training = result.hire, result.practice, result.training
    return {
        "hire_status": hire.status,
        "hire_basis": hire.basis,
        "hire_reasons": _codes(hire.reasons),
        "experience_months": report(hire.experience_months),
        "shortfall_months": report(hire.shortfall_months),
        "practice_status": practice.status,
        "practice_reasons": _codes(practice.reasons),
        "cycle_start": practice.cycle_start,
        "cycle_end": practice.cycle_end,
        "practice_months": report_optional(practice.months),
        "practice_required": report_optional(practice.required),
        "practice_needed": report_optional(practice.needed),
        "practice_expected": report_optional(practice.expected),
        "practice_previous": practice.previous,
        "practice_previous_months": report_optional(practice.previous_months),
        "training_status": training.status,
        "training_reasons": _codes(training.reasons),
        "training_previous": training.previous,
    }


def school_values(result: LeadershipResult) -> dict[str, Any]:
    """The verdict fields of a school_verdict row."""
    return {"status": result.status, "best_months": report(result.best_months), "members_counted": result.members_counted}


VERDICT_FIELDS = tuple(VerdictFields.__annotations__)  # the columns teacher_values fills
STORED_FIELDS = (*ListedFields.__annotations__, *VERDICT_FIELDS)  # and with listed_values, every column compared
SCHOOL_FIELDS = ("status", "best_months", "members_counted")


@dataclass(frozen=True)
class Evaluated:
    """A fresh answer of the engine as of `as_of`, ready to store."""

    key: int  # the teacher's or the school's id
    values: dict[str, Any]
    policy_version_id: int | None
    valid_until: date | None

    def row(self, key_name: str, as_of: date) -> dict[str, Any]:
        return {
            key_name: self.key, **self.values, "policy_version_id": self.policy_version_id,
            "computed_on": as_of, "valid_until": self.valid_until,
        }


def evaluate_teachers(ids: Sequence[int], as_of: date, book: PolicyBook) -> Iterator[Evaluated]:
    """The engine's verdicts of these teachers as of `as_of`, a chunk at a time (deleted ids are skipped)."""
    version = book.version_on(as_of)
    policy = book.on(as_of)
    next_change = book.next_change_after(as_of)
    for chunk in chunks(list(ids), CHUNK):
        for teacher in load_teachers(chunk):
            fact = teacher_facts(teacher)
            result = evaluate_teacher(teacher, as_of, book, fact)
            until = earliest((teacher_valid_until(fact, as_of, policy), next_change))
            values = {**listed_values(teacher), **teacher_values(result)}
            yield Evaluated(teacher.id, values, version.id if version else None, until)


def evaluate_schools(ids: Sequence[int], as_of: date, book: PolicyBook) -> Iterator[Evaluated]:
    """The engine's leadership verdicts of these schools as of `as_of` (deleted ids are skipped)."""
    version = book.version_on(as_of)
    policy = book.on(as_of)
    next_change = book.next_change_after(as_of)
    existing = set(db.session.scalars(select(School.id).where(School.id.in_(ids))))
    for chunk in chunks(sorted(existing), CHUNK):
        members: dict[int, list] = {school_id: [] for school_id in chunk}
        leaders = select(Teacher.id).where(Teacher.school_id.in_(chunk), Teacher.leadership.is_(True))
        for teacher in load_teachers(db.session.scalars(leaders).all()):
            members[teacher.school_id].append(teacher_facts(teacher))
        for school_id, facts in members.items():
            result = evaluate_leadership(facts, as_of, policy)
            until = earliest((leadership_valid_until(facts, as_of), next_change))
            yield Evaluated(school_id, school_values(result), version.id if version else None, until)


def dialect_insert(table):
    """INSERT into `table` in the session's dialect, which offers ON CONFLICT (PostgreSQL and SQLite alike)."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return insert(table)


def _upsert(model, key_name: str, rows: list[dict[str, Any]]) -> None:
    """Insert the rows, replacing a row of the same key (one statement, safe against a concurrent refresh)."""
    if not rows:
        return
    statement = dialect_insert(model.__table__)  # the table, not the model: Core's executemany, no ORM bookkeeping
    replaced = {name: statement.excluded[name] for name in rows[0] if name != key_name}
    db.session.execute(statement.on_conflict_do_update(index_elements=[key_name], set_=replaced), rows)


def store_teachers(ids: Iterable[int], as_of: date, book: PolicyBook | None = None) -> int:
    """Recompute and store these teachers' verdicts as of `as_of`; drops the rows of deleted ones. Returns the count."""
    ids = sorted(set(ids))
    book = book or PolicyBook.load()
    stored = 0
    for chunk in chunks(ids, CHUNK):
        rows = [e.row("teacher_id", as_of) for e in evaluate_teachers(chunk, as_of, book)]
        gone = set(chunk) - {row["teacher_id"] for row in rows}
        if gone:
            db.session.execute(delete(TeacherVerdict).where(TeacherVerdict.teacher_id.in_(gone)))
        _upsert(TeacherVerdict, "teacher_id", rows)
        stored += len(rows)
    return stored


def store_schools(ids: Iterable[int], as_of: date, book: PolicyBook | None = None) -> int:
    """Recompute and store these schools' leadership verdicts as of `as_of`. Returns the count."""
    book = book or PolicyBook.load()
    rows = [e.row("school_id", as_of) for e in evaluate_schools(sorted(set(ids)), as_of, book)]
    _upsert(SchoolVerdict, "school_id", rows)
    return len(rows)


# --- what changed in this transaction ----------------------------------------------------------------------

PENDING_KEY = "verdicts_pending"
TEACHER_RECORDS = (EmploymentRecord, Certificate, PracticeRecord, TrainingRecord, HireException)


@dataclass
class Pending:
    """What a transaction changed that the stored verdicts depend on."""

    teachers: set[int] = field(default_factory=set)
    schools: set[int] = field(default_factory=set)  # their leadership verdict
    renamed: set[int] = field(default_factory=set)  # schools whose name or county the teachers' rows copy
    everyone: bool = False

    def __bool__(self) -> bool:
        return bool(self.teachers or self.schools or self.renamed or self.everyone)


def pending(session: Session) -> Pending:
    return session.info.setdefault(PENDING_KEY, Pending())


def mark_teachers(ids: Iterable[int], school_ids: Iterable[int] = (), session: Session | None = None) -> None:
    """Note teachers (and their schools) written without the ORM's unit of work (a bulk insert)."""
    noted = pending(session or db.session())
    noted.teachers.update(ids)
    noted.schools.update(school_ids)


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _flush_context) -> None:
    noted = pending(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Teacher):
            noted.teachers.add(obj.id)
            # A school's leadership verdict reads its leadership members only (apply_pending adds theirs); here
            # the schools a member joined or left.
            moved = attributes.get_history(obj, "school_id").deleted or ()
            if obj in session.new or obj in session.deleted or moved or attributes.get_history(obj, "leadership").deleted:
                noted.schools.update((obj.school_id, *moved))
        elif isinstance(obj, TEACHER_RECORDS):
            noted.teachers.add(obj.teacher_id)
        elif isinstance(obj, PolicyVersion):
            noted.everyone = True
        elif isinstance(obj, School):
            noted.schools.add(obj.id)
            noted.renamed.add(obj.id)


@event.listens_for(Session, "before_commit")
def _store_before_commit(session: Session) -> None:
    session.flush()  # what is still unflushed is noted by this flush
    if session.info.get(PENDING_KEY):
        apply_pending(today_(), session)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended: what it noted is settled
        session.info.pop(PENDING_KEY, None)


def apply_pending(as_of: date, session: Session | None = None) -> None:
    """Recompute what the transaction noted: its teachers and the schools of their leadership teams, or everyone."""
    session = session or db.session()
    noted = session.info.pop(PENDING_KEY, None)
    if not noted:
        return
    session.execute(update(VerdictSnapshot).where(VerdictSnapshot.stale.is_(False)).values(stale=True))
    if noted.everyone:
        refresh(as_of, everyone=True)
        return
    teachers = {t for t in noted.teachers if t is not None}
    schools = {s for s in noted.schools if s is not None}
    if noted.renamed:
        teachers.update(session.scalars(select(Teacher.id).where(Teacher.school_id.in_(noted.renamed))))
    if teachers:
        members = select(Teacher.school_id).where(Teacher.id.in_(teachers), Teacher.leadership.is_(True))
        schools.update(session.scalars(members))
        store_teachers(teachers, as_of)
    if schools:
        store_schools(schools, as_of)


# --- keeping them current -----------------------------------------------------------------------------------


def stale_clause(model, as_of: date):
    """Rows not valid on `as_of`: expired, or computed on a later day (the clock was set back)."""
    return or_(model.valid_until <= as_of, model.computed_on > as_of)


@dataclass(frozen=True)
class RefreshReport:
    teachers: int  # teacher rows recomputed
    schools: int  # school rows recomputed
    seconds: float


COMPLETE_KEY = "verdicts_complete"  # app.extensions: this process has seen a row for every teacher and school


def missing_teachers() -> list[int]:
    """Teachers without a stored row (written outside this application, or before the table existed)."""
    has_row = exists().where(TeacherVerdict.teacher_id == Teacher.id)
    return db.session.scalars(select(Teacher.id).where(~has_row)).all()


def missing_schools() -> list[int]:
    has_row = exists().where(SchoolVerdict.school_id == School.id)
    return db.session.scalars(select(School.id).where(~has_row)).all()


def expired(as_of: date, with_missing: bool) -> tuple[list[int], list[int]]:
    """(teacher ids, school ids) whose rows are not valid on `as_of`, and those without a row if `with_missing`."""
    teachers = {*db.session.scalars(select(TeacherVerdict.teacher_id).where(stale_clause(TeacherVerdict, as_of)))}
    schools = {*db.session.scalars(select(SchoolVerdict.school_id).where(stale_clause(SchoolVerdict, as_of)))}
    if with_missing:
        teachers.update(missing_teachers())
        schools.update(missing_schools())
    return sorted(teachers), sorted(schools)


def refresh(as_of: date, everyone: bool = False, progress=None) -> RefreshReport:
    """Recompute the rows not valid on `as_of` and the missing ones (`everyone`: every row). The caller commits.

    `progress(done, total)` is called after each chunk of teachers. Returns what was recomputed and the time (s).
    """
    started = time.perf_counter()
    book = PolicyBook.load()
    if everyone:
        teachers = db.session.scalars(select(Teacher.id).order_by(Teacher.id)).all()
        schools = db.session.scalars(select(School.id)).all()
    else:
        teachers, schools = expired(as_of, with_missing=True)
    done = 0
    for chunk in chunks(teachers, CHUNK):
        done += store_teachers(chunk, as_of, book)
        if progress is not None:
            progress(done, len(teachers))
    store_schools(schools, as_of, book)
    drop_stale_snapshots()
    return RefreshReport(len(teachers), len(schools), time.perf_counter() - started)


def ensure_current(as_of: date | None = None) -> None:
    """Before a reader looks: what this transaction changed, the expired rows, and (once per process) missing ones.

    `as_of` is today (the only date rows are stored for); readers of another date evaluate on demand.

    On SQLite a reading request's transaction starts deferred (registry.extensions); when another connection holds
    the write lock past the busy timeout, or has committed since this transaction began reading, the refresh is
    given up (its savepoint rolled back) and the reader sees the stored rows as they are; the next reader refreshes.
    """
    as_of = as_of or today_()
    session = db.session()
    session.flush()  # what is still unflushed is noted by this flush
    if session.info.get(PENDING_KEY):
        apply_pending(as_of, session)
    checked = current_app.extensions.setdefault(COMPLETE_KEY, False)
    teachers, schools = expired(as_of, with_missing=not checked)
    if teachers or schools:
        try:
            with session.begin_nested():
                if teachers:
                    store_teachers(teachers, as_of)
                if schools:
                    store_schools(schools, as_of)
        except OperationalError as exc:
            if not sqlite_busy(exc):
                raise
            current_app.logger.warning("stored verdicts not refreshed for this reader: the database is being written")
            return
    current_app.extensions[COMPLETE_KEY] = True


@dataclass(frozen=True)
class LeadershipVerdict:
    """A school's leadership verdict as the lists show it (the fields of school_verdict)."""

    status: LeadershipStatus
    best_months: float
    members_counted: int


def school_leadership(school_ids: Iterable[int], as_of: date) -> dict[int, LeadershipVerdict]:
    """{school id: leadership verdict as of `as_of`}: stored for today (made current first), else evaluated."""
    ids = sorted(set(school_ids))
    if as_of == today_():
        ensure_current(as_of)
        rows = db.session.execute(
            select(SchoolVerdict.school_id, *(getattr(SchoolVerdict, name) for name in SCHOOL_FIELDS))
            .where(SchoolVerdict.school_id.in_(ids))
        )
        return {row.school_id: LeadershipVerdict(*row[1:]) for row in rows}
    return {e.key: LeadershipVerdict(**e.values) for e in evaluate_schools(ids, as_of, PolicyBook.load())}


# --- other dates -----------------------------------------------------------------------------------------


def snapshot_for(as_of: date) -> int:
    """The id of the snapshot of every teacher's verdicts as of `as_of`: the kept one, or one evaluated now.

    Evaluated through the engine a chunk at a time (about 0.1 ms per teacher) and kept until the next write marks
    it stale. The caller's transaction keeps it (a reader's request commits it like any write).
    """
    found = db.session.scalar(select(VerdictSnapshot.id).where(VerdictSnapshot.as_of == as_of, VerdictSnapshot.stale.is_(False)))
    if found is not None:
        return found
    book = PolicyBook.load()
    version = book.version_on(as_of)
    try:
        with db.session.begin_nested():
            snapshot = VerdictSnapshot(as_of=as_of, policy_version_id=version.id if version else None)
            db.session.add(snapshot)
            db.session.flush()
    except IntegrityError:  # another request is evaluating the same date: use theirs once it is committed
        return db.session.scalar(
            select(VerdictSnapshot.id).where(VerdictSnapshot.as_of == as_of, VerdictSnapshot.stale.is_(False))
        )
    ids = db.session.scalars(select(Teacher.id).order_by(Teacher.id)).all()
    for chunk in chunks(ids, CHUNK):
        rows = [{"snapshot_id": snapshot.id, "teacher_id": e.key, **e.values} for e in evaluate_teachers(chunk, as_of, book)]
        if rows:
            db.session.execute(SnapshotVerdict.__table__.insert(), rows)
    return snapshot.id


def drop_stale_snapshots() -> int:
    """Remove the snapshots a write made stale, and their rows. Returns how many snapshots were removed."""
    stale = db.session.scalars(select(VerdictSnapshot.id).where(VerdictSnapshot.stale.is_(True))).all()
    if stale:
        db.session.execute(delete(SnapshotVerdict).where(SnapshotVerdict.snapshot_id.in_(stale)))
        db.session.execute(delete(VerdictSnapshot).where(VerdictSnapshot.id.in_(stale)))
    return len(stale)


# --- checking them ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """A stored row that differs from the engine's fresh answer: which row, which field, both values."""

    table: str
    key: int
    field: str
    stored: Any
    fresh: Any


def _current_rows(model, key_name: str, keys: Sequence[int], as_of: date) -> tuple[dict[int, dict], set[int]]:
    """(the rows valid on `as_of` by key, the keys whose row has expired) among `keys`."""
    table = model.__table__
    current, expired = {}, set()
    for row in db.session.execute(select(table).where(table.c[key_name].in_(keys))).mappings():
        is_current = row["computed_on"] <= as_of and (row["valid_until"] is None or row["valid_until"] > as_of)
        if is_current:
            current[row[key_name]] = dict(row)
        else:
            expired.add(row[key_name])
    return current, expired


def _compare(table: str, evaluated: Evaluated, current: dict, expired: set, fields: Sequence[str]) -> Iterator[Difference]:
    stored = current.get(evaluated.key)
    if stored is None:
        if evaluated.key not in expired:
            yield Difference(table, evaluated.key, "*", None, "missing")
        return
    for name in fields:
        if stored[name] != evaluated.values[name]:
            yield Difference(table, evaluated.key, name, stored[name], evaluated.values[name])


def verify(as_of: date, limit: int = 20) -> tuple[int, list[Difference]]:
    """Compare every stored row valid on `as_of` (and report every missing one) with a fresh evaluation.

    Returns (rows compared, the first `limit` differences). Expired rows are not compared: a reader refreshes
    them before it looks. Writes nothing.
    """
    book = PolicyBook.load()
    found: list[Difference] = []
    compared = 0
    teacher_ids = db.session.scalars(select(Teacher.id).order_by(Teacher.id)).all()
    for chunk in chunks(teacher_ids, CHUNK):
        current, expired = _current_rows(TeacherVerdict, "teacher_id", chunk, as_of)
        for evaluated in evaluate_teachers(chunk, as_of, book):
            found.extend(_compare(TeacherVerdict.__tablename__, evaluated, current, expired, STORED_FIELDS))
            compared += 1
    school_ids = db.session.scalars(select(School.id).order_by(School.id)).all()
    current, expired = _current_rows(SchoolVerdict, "school_id", school_ids, as_of)
    for evaluated in evaluate_schools(school_ids, as_of, book):
        found.extend(_compare(SchoolVerdict.__tablename__, evaluated, current, expired, SCHOOL_FIELDS))
        compared += 1
    return compared, found[:limit]
