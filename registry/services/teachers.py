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
from registry.models import Certificate, EmploymentRecord, School, Teacher, TrainingRecord, User
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
    if actor is not None and actor.role == "school_hr":
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


def delete_teacher(actor: User, teacher: Teacher) -> None:
    permissions.require_edit_teacher(actor, teacher)
    record_event(actor, "delete", teacher, before=snapshot(teacher))
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
