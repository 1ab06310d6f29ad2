"""Writes on teachers and on the records HR keeps for them: the one write path of the form, the API and the import.

Teachers are checked and written in batches — `check_teachers` reads the
database once per batch, `save_teachers` inserts new teachers in one
statement and writes their audit events in another — so a form's single
teacher and an import's five thousand go through the same checks and the same
writes. Each public service is all or nothing (`atomic`); the request commits.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.util import identity_key

from registry import permissions
from registry import serializers as out
from registry.batches import chunks
from registry.errors import Invalid, NotFound
from registry.extensions import db
from registry.models import ApiToken, Certificate, EmploymentRecord, School, Teacher, TrainingRecord, User
from registry.schemas import CertificateIn, EmploymentIn, Schema, TeacherIn, TrainingIn, load
from registry.schemas.queries import TeacherListQuery
from registry.services import verdicts
from registry.services.audit import append_events, event_values, plain, record_event, snapshot, update_audited
from registry.services.echoes import without_echoes
from registry.transactions import atomic

MAX_HIRE_AHEAD = timedelta(days=366)



@dataclass(frozen=True)
class RecordKind:
    """A kind of record HR keeps for a teacher, declared once: the service, the API and the pages read it here."""

    name: str  # in URLs (/teachers/<id>/<name>, /<name>/<id>) and the Teacher relationship that holds them
    model: type
    schema: type[Schema]  # validates what is written
    answer: type[out.Answer]  # one record's JSON form
    listing: type[out.Answer]  # a teacher's records, as the API lists them
    title: str  # its Chinese name (lazy)


RECORD_KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
        RecordKind("employment", EmploymentRecord, EmploymentIn, out.Employment, out.EmploymentList, _l("工作经历")),
        RecordKind("certificates", Certificate, CertificateIn, out.Certificate, out.CertificateList, _l("证书")),
        RecordKind("training", TrainingRecord, TrainingIn, out.Training, out.TrainingList, _l("培训记录")),
    )
}
KIND_OF_MODEL: dict[type, RecordKind] = {kind.model: kind for kind in RECORD_KINDS.values()}
# What a record's JSON shows that is not written through it; sent back unchanged, it is left out.
RECORD_READ_ONLY = ("teacher_id",)


@dataclass(frozen=True)
class Checked:
    """One teacher's input after `check_teachers`: the clean values, or the errors by field (never both)."""

    clean: TeacherIn | None
    errors: dict[str, str]
    target: Teacher | None = None  # the registered teacher this input updates; None creates one


def teacher_fields(teacher: Teacher) -> dict[str, Any]:
    """The stored values of every field of TeacherIn."""
    return {name: getattr(teacher, name) for name in TeacherIn.model_fields}


def hire_date_error(hire_date: date, today: date) -> str | None:
    """A hire date more than a year ahead is a typing mistake, not a plan."""
    return _("入职日期不能晚于一年以后") if hire_date > today + MAX_HIRE_AHEAD else None


def registered_teachers(id_numbers: Sequence[str]) -> dict[str, Teacher]:
    """The teachers already registered under these identity numbers, looked up in chunks: {id_number: Teacher}."""
    found: dict[str, Teacher] = {}
    for chunk in chunks(list(dict.fromkeys(id_numbers))):
        found.update((t.id_number, t) for t in db.session.scalars(select(Teacher).where(Teacher.id_number.in_(chunk))))
    return found


def check_teachers(
    actor: User | None, inputs: Sequence[tuple[Mapping[str, Any], Teacher | None]], today: date
) -> list[Checked]:
    """Check teachers to create (target None) or update (target the registered teacher), in one pass.

    The checks every write path shares: the TeacherIn schema, a hire date at most a year ahead, an existing
    school (HR always writes into its own school, whatever the input says) and an identity number not
    registered to another teacher. The database is read twice for the whole batch. Returns one Checked
    per input, in order; raises nothing (errors are per input).
    """
    own_school = permissions.fixed_school_id(actor) if actor is not None else None
    loaded: list[tuple[TeacherIn | None, dict[str, str]]] = []
    for data, _target in inputs:
        if own_school is not None:
            data = {**data, "school_id": own_school}
        try:
            loaded.append((load(TeacherIn, data), {}))
        except Invalid as exc:
            loaded.append((None, dict(exc.errors)))
    cleans = [clean for clean, _errors in loaded if clean is not None]
    registered = registered_teachers([clean.id_number for clean in cleans])
    school_ids = {clean.school_id for clean in cleans}
    schools = set(db.session.scalars(select(School.id).where(School.id.in_(school_ids)))) if school_ids else set()
    results = []
    for (clean, errors), (_data, target) in zip(loaded, inputs, strict=True):
        if clean is not None:
            if late := hire_date_error(clean.hire_date, today):
                errors["hire_date"] = late
            holder = registered.get(clean.id_number)
            if holder is not None and (target is None or holder.id != target.id):
                errors["id_number"] = id_number_taken_message()
            if clean.school_id not in schools:
                errors["school_id"] = _("学校不存在")
        results.append(Checked(None if errors else clean, errors, target))
    return results


def id_number_taken_message() -> str:
    return _("该身份证号已登记在另一名教师名下")


def save_one(actor: User, clean: TeacherIn, target: Teacher | None) -> list[int]:
    """save_teachers for one teacher to create (target None) or update; returns the new id, if any.

    Two requests registering one identity number at once both pass check_teachers; the unique constraint lets one
    insert through and the other's write is undone (a savepoint of its own) and refused as Invalid on id_number,
    never a server error. Any other integrity error is raised as it is.
    """
    try:
        with db.session.begin_nested():
            return save_teachers(actor, [clean] if target is None else [], [] if target is None else [(target, clean)])
    except IntegrityError:
        holder = select(Teacher.id).where(Teacher.id_number == clean.id_number)
        if target is not None:
            holder = holder.where(Teacher.id != target.id)
        if db.session.scalar(holder) is None:
            raise
        raise Invalid({"id_number": id_number_taken_message()}) from None


def checked_or_raise(checked: Checked) -> TeacherIn:
    """The clean input of one `check_teachers` result; Invalid with its errors by field when it has any."""
    if checked.errors:
        raise Invalid(checked.errors)
    return checked.clean


def save_teachers(actor: User | None, creates: Sequence[TeacherIn], updates: Sequence[tuple[Teacher, TeacherIn]]) -> list[int]:
    """Insert the new teachers in one statement, apply the updates, and audit each change; returns the new ids.

    Raises IntegrityError when an identity number was registered meanwhile (callers turn it into a message);
    run it inside a service's transaction, which the error rolls back whole.
    """
    events: list[dict[str, Any] | None] = []
    new_ids: list[int] = []
    if creates:
        rows = [clean.model_dump() for clean in creates]
        new_ids = list(db.session.scalars(insert(Teacher).returning(Teacher.id, sort_by_parameter_order=True), rows))
        verdicts.mark_teachers(new_ids, {row["school_id"] for row in rows})
        for teacher_id, row in zip(new_ids, rows, strict=True):
            after = {key: plain(value) for key, value in {"id": teacher_id, **row}.items()}
            events.append(event_values(actor, "create", "teacher", teacher_id, teacher_id, row["school_id"], after=after))
    for teacher, clean in updates:
        before = snapshot(teacher)
        for name, value in clean.model_dump().items():
            setattr(teacher, name, value)
        events.append(event_values(actor, "update", "teacher", teacher.id, teacher.id, teacher.school_id, before, snapshot(teacher)))
    db.session.flush()
    append_events(events)
    return new_ids


def list_teachers(actor: User, query: TeacherListQuery, action: str = "read_teachers") -> Select[tuple[Teacher]]:
    """The teachers the actor may see, narrowed by `query` (school, name), as a select to order and page.

    The staff list page asks for "list_teachers" (a teacher is refused it); the API for "read_teachers".
    """
    permissions.authorize(actor, action)
    return query.filter(permissions.teachers_query(actor))


def get_teacher(actor: User, teacher_id: int) -> Teacher:
    """A teacher the actor may read; NotFound outside their scope."""
    return permissions.find(actor, "read_teachers", Teacher, teacher_id)


def editable_teacher(actor: User, teacher_id: int) -> Teacher:
    """A teacher the actor may edit (HR of the teacher's school); Forbidden by role, NotFound outside scope."""
    return permissions.find(actor, "edit_teachers", Teacher, teacher_id)


def new_teacher_form(actor: User) -> School:
    """The school a new teacher is registered in (HR's own), for the page that registers one; Forbidden for other roles."""
    permissions.authorize(actor, "edit_teachers")
    return db.session.get(School, permissions.fixed_school_id(actor))


@atomic
def create_teacher(actor: User, data: Mapping[str, Any], today: date) -> Teacher:
    """Register a teacher from `data` (TeacherIn fields); Invalid names every bad field."""
    permissions.authorize(actor, "edit_teachers")
    clean = checked_or_raise(check_teachers(actor, [(data, None)], today)[0])
    [teacher_id] = save_one(actor, clean, None)
    return db.session.get(Teacher, teacher_id)


@atomic
def update_teacher(actor: User, teacher_id: int, changes: Mapping[str, Any], today: date) -> Teacher:
    """Change some fields of a teacher; the others keep their stored values. Invalid names every bad field."""
    teacher = editable_teacher(actor, teacher_id)
    merged = {**teacher_fields(teacher), **without_echoes(changes)}
    clean = checked_or_raise(check_teachers(actor, [(merged, teacher)], today)[0])
    save_one(actor, clean, teacher)
    return teacher


def teacher_with_records(teacher: Teacher) -> dict[str, Any]:
    """The teacher and everything deleted with it, so the trail keeps what was removed."""
    return {
        **snapshot(teacher),
        "employment": [snapshot(r) for r in teacher.employment],
        "certificates": [snapshot(r) for r in teacher.certificates],
        "practice": [{**snapshot(r), "evidence": [snapshot(e) for e in r.evidence]} for r in teacher.practice],
        "training": [snapshot(r) for r in teacher.training],
        "hire_exceptions": [snapshot(r) for r in teacher.hire_exceptions],
    }


@atomic
def delete_teacher(actor: User, teacher_id: int) -> str:
    """Delete the teacher, their records and their login account (with its API tokens), all audited.

    Returns the teacher's name, for the confirmation.
    """
    teacher = editable_teacher(actor, teacher_id)
    account = db.session.scalar(select(User).where(User.teacher_id == teacher.id))
    if account is not None:
        tokens = list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == account.id)))
        # A teacher account cannot outlive its teacher (the schema requires the link), so it goes too.
        record_event(actor, "delete", account, before={**snapshot(account), "api_tokens": [snapshot(t) for t in tokens]})
        for token in tokens:
            db.session.delete(token)
        db.session.delete(account)
    record_event(actor, "delete", teacher, before=teacher_with_records(teacher))
    name = teacher.name
    db.session.delete(teacher)
    db.session.flush()
    return name


def editable_record(actor: User, model: type, record_id: int, teacher_id: int | None = None):
    """An employment period, certificate or training record the actor may edit.

    With `teacher_id` (a page's URL names both) the record must belong to that teacher, else NotFound.
    """
    record = permissions.find(actor, "edit_teachers", model, record_id)
    if teacher_id is not None and record.teacher_id != teacher_id:
        raise NotFound(model.__tablename__)
    return record


@atomic
def add_record(actor: User, teacher_id: int, model: type, data: Mapping[str, Any]):
    """Add an employment period, certificate or training record to a teacher; Invalid names every bad field."""
    teacher = editable_teacher(actor, teacher_id)
    clean = load(KIND_OF_MODEL[model].schema, data)
    record = model(teacher_id=teacher.id, **clean.model_dump())
    db.session.add(record)
    record_event(actor, "create", record, after=snapshot(record))
    return record


@atomic
def update_record(actor: User, model: type, record_id: int, changes: Mapping[str, Any], teacher_id: int | None = None):
    """Change some fields of an HR record; the others keep their stored values. Invalid names every bad field.

    The record as GET returned it (id, its own teacher_id) may be sent back; moving it is refused by the schema.
    """
    record = editable_record(actor, model, record_id, teacher_id)
    kind = KIND_OF_MODEL[model]
    merged = {name: getattr(record, name) for name in kind.schema.model_fields}
    merged.update(without_echoes(changes, out.dump(kind.answer, record, actor), RECORD_READ_ONLY))
    clean = load(kind.schema, merged)
    update_audited(actor, record, clean.model_dump())
    return record


@atomic
def delete_record(actor: User, model: type, record_id: int, teacher_id: int | None = None) -> None:
    """Delete an HR record the actor may edit (of `teacher_id` when given), audited; Forbidden by role, NotFound outside scope."""
    record = editable_record(actor, model, record_id, teacher_id)
    record_event(actor, "delete", record, before=snapshot(record))
    db.session.delete(record)
    db.session.flush()


# ------------------------------------------------------------------- bulk (the import)


def insert_records(
    actor: User | None, model: type, rows: Sequence[tuple[int, int, Mapping[str, Any]]], key: Sequence[str]
) -> list[int]:
    """Insert employment, certificate, training or practice records in batched statements and audit each; returns
    their ids, in the order of `rows`.

    `rows` are (teacher id, the teacher's school id, the record's checked values); `key` names fields that, with the
    teacher, tell the rows apart (the caller has made sure no two share them). The ids come back by that key, not
    by position: asking the database to keep the rows' order would make PostgreSQL insert them one at a time. The
    stored verdicts of their teachers are recomputed when the transaction commits. Run it inside a service's
    transaction.
    """
    if not rows:
        return []
    values = [{**record, "teacher_id": teacher_id} for teacher_id, _school_id, record in rows]
    returned = db.session.execute(
        insert(model).returning(model.id, model.teacher_id, *(getattr(model, name) for name in key)), values,
        # NULLs written as such, so rows with and without an end date share one batch (the ORM would split them).
        execution_options={"render_nulls": True},
    )
    by_key = {tuple(found[1:]): found[0] for found in returned}
    ids = [by_key[(row["teacher_id"], *(row[name] for name in key))] for row in values]
    verdicts.mark_teachers({teacher_id for teacher_id, _school_id, _record in rows})
    append_events(
        event_values(actor, "create", model.__tablename__, record_id, teacher_id, school_id,
                     after={name: plain(value) for name, value in {"id": record_id, **row}.items()})
        for record_id, (teacher_id, school_id, _record), row in zip(ids, rows, values, strict=True)
    )
    return ids


def update_records(actor: User | None, model: type, updates: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> None:
    """Write new values into records read as plain rows, in one statement, and audit what changed.

    `updates` are (the stored row: id, teacher_id, school_id and the columns compared; the new values of those
    columns). A copy of a record already loaded in the session is expired so it is read again.
    """
    if not updates:
        return
    write_rows(model, updates)
    verdicts.mark_teachers({stored["teacher_id"] for stored, _values in updates})
    append_events(update_events(actor, model, updates))


def write_rows(model: type, updates: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]], guard: str | None = None) -> int:
    """UPDATE each record by id with its new values, in one executemany; returns the rows matched (-1 when the
    driver cannot count them). With `guard` (a column), a row is written only while that column still holds its
    stored value: a compare-and-set, the caller checks the count."""
    table = model.__table__
    statement = update(table).where(table.c.id == bindparam("record_id"))
    if guard is not None:
        statement = statement.where(table.c[guard] == bindparam("expected"))
    rows = [
        {"record_id": stored["id"], **({"expected": str(stored[guard])} if guard else {}), **values}
        for stored, values in updates
    ]
    result = db.session.execute(statement, rows)
    for stored, _values in updates:
        loaded = db.session.identity_map.get(identity_key(model, stored["id"]))
        if loaded is not None:
            db.session.expire(loaded)
    return result.rowcount if db.session.get_bind().dialect.supports_sane_multi_rowcount else -1


def update_events(actor: User | None, model: type, updates) -> list[dict[str, Any] | None]:
    """The audit events of bulk updates: (stored row as a dict, new values) pairs of `model`; None where nothing changed."""
    return [
        event_values(actor, "update", model.__tablename__, stored["id"], stored["teacher_id"], stored["school_id"],
                     before={key: plain(stored.get(key)) for key in values},
                     after={key: plain(value) for key, value in values.items()})
        for stored, values in updates
    ]
