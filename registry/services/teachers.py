"""Writes on teachers and on the records HR keeps for them."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions
from registry.errors import Invalid
from registry.extensions import db
from registry.models import ApiToken, Certificate, EmploymentRecord, School, Teacher, TrainingRecord, User
from registry.schemas import CertificateIn, EmploymentIn, Schema, TeacherIn, TrainingIn, load
from registry.services.audit import record_event, snapshot

MAX_HIRE_AHEAD = timedelta(days=366)

# Sub-records HR keeps, with the schema that validates them.
HR_RECORDS: dict[type, type[Schema]] = {
    EmploymentRecord: EmploymentIn,
    Certificate: CertificateIn,
    TrainingRecord: TrainingIn,
}


def teacher_fields(teacher: Teacher) -> dict[str, Any]:
    return {name: getattr(teacher, name) for name in TeacherIn.model_fields}


def hire_date_error(hire_date: date, today: date) -> str | None:
    """A hire date more than a year ahead is a typing mistake, not a plan."""
    return _("入职日期不能晚于一年以后") if hire_date > today + MAX_HIRE_AHEAD else None


def validate_teacher(actor: User | None, data: Mapping[str, Any], today: date, current: Teacher | None = None) -> TeacherIn:
    if actor is not None and permissions.fixed_school_id(actor) is not None:
        # HR always writes into its own school, whatever the input says.
        data = {**data, "school_id": actor.school_id}
    clean = load(TeacherIn, data)
    errors: dict[str, str] = {}
    if late := hire_date_error(clean.hire_date, today):
        errors["hire_date"] = late
    duplicate = db.session.scalar(select(Teacher.id).where(Teacher.id_number == clean.id_number))
    if duplicate is not None and (current is None or duplicate != current.id):
        errors["id_number"] = _("该身份证号已登记在另一名教师名下")
    if db.session.get(School, clean.school_id) is None:
        errors["school_id"] = _("学校不存在")
    if errors:
        raise Invalid(errors)
    return clean


def create_teacher(actor: User, data: Mapping[str, Any], today: date, commit: bool = True) -> Teacher:
    permissions.require(actor, "edit_teachers")
    clean = validate_teacher(actor, data, today)
    teacher = Teacher(**clean.model_dump())
    db.session.add(teacher)
    record_event(actor, "create", teacher, after=snapshot(teacher))
    if commit:
        db.session.commit()
    return teacher


def update_teacher(actor: User, teacher: Teacher, changes: Mapping[str, Any], today: date, commit: bool = True) -> Teacher:
    permissions.require_edit_teacher(actor, teacher)
    merged = {**teacher_fields(teacher), **{k: v for k, v in changes.items() if k != "id"}}
    clean = validate_teacher(actor, merged, today, current=teacher)
    before = snapshot(teacher)
    for name, value in clean.model_dump().items():
        setattr(teacher, name, value)
    record_event(actor, "update", teacher, before=before, after=snapshot(teacher))
    if commit:
        db.session.commit()
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


def delete_teacher(actor: User, teacher: Teacher) -> None:
    """Delete the teacher, their records and their login account (with its API tokens), all audited."""
    permissions.require_edit_teacher(actor, teacher)
    account = db.session.scalar(select(User).where(User.teacher_id == teacher.id))
    if account is not None:
        tokens = list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == account.id)))
        # A teacher account cannot outlive its teacher (the schema requires the link), so it goes too.
        record_event(actor, "delete", account, before={**snapshot(account), "api_tokens": [snapshot(t) for t in tokens]})
        for token in tokens:
            db.session.delete(token)
        db.session.delete(account)
    record_event(actor, "delete", teacher, before=teacher_with_records(teacher))
    db.session.delete(teacher)
    db.session.commit()


def add_record(actor: User, teacher: Teacher, model: type, data: Mapping[str, Any], commit: bool = True):
    """Add an employment period, certificate or training record to a teacher."""
    permissions.require_edit_teacher(actor, teacher)
    clean = load(HR_RECORDS[model], data)
    record = model(teacher_id=teacher.id, **clean.model_dump())
    db.session.add(record)
    record_event(actor, "create", record, after=snapshot(record))
    if commit:
        db.session.commit()
    return record


def update_record(actor: User, record, changes: Mapping[str, Any]):
    schema = HR_RECORDS[type(record)]
    permissions.require_edit_teacher(actor, record.teacher)
    merged = {name: getattr(record, name) for name in schema.model_fields}
    merged.update({k: v for k, v in changes.items() if k != "id"})
    clean = load(schema, merged)
    before = snapshot(record)
    for name, value in clean.model_dump().items():
        setattr(record, name, value)
    record_event(actor, "update", record, before=before, after=snapshot(record))
    db.session.commit()
    return record


def delete_record(actor: User, record) -> None:
    permissions.require_edit_teacher(actor, record.teacher)
    record_event(actor, "delete", record, before=snapshot(record))
    db.session.delete(record)
    db.session.commit()
