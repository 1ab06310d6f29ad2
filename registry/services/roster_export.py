"""A school's roster as the import workbook: every sheet of the template, filled with what is on record.

Each cell is written as the import reads it back (the record sheets' `import_sheets.cell_value`, the 教师 sheet's
`teacher_cells`): codes as the template offers them, dates as date cells, identity numbers as text. So a roster
exported and imported again changes nothing, and one edited and imported changes exactly what was edited.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from registry import permissions
from registry.batches import chunks
from registry.errors import Forbidden, NotFound
from registry.extensions import db
from registry.models import School, Teacher, User
from registry.services import imports as teacher_sheet
from registry.services.import_cells import YES_NO_VALUES, offered
from registry.services.import_sheets import SHEETS, RecordSheet, cell_value
from registry.services.import_templates import template_workbook
from registry.services.record_imports import TEMPLATE_NOTES, template_sheets


def export_roster(actor: User | None, school_id: int | None = None) -> bytes:
    """The .xlsx roster of one school: school HR's own (`school_id` is ignored), or for an administrator (and the
    command line, `actor` None) the school `school_id`.

    Forbidden for roles that may not see identity numbers (teachers, the bureau: the roster is keyed by them);
    NotFound for an unknown school (Invalid-free: a missing `school_id` is NotFound too).
    """
    if actor is not None:
        permissions.authorize(actor, "list_teachers")
        if not permissions.may(actor, "see_id_numbers"):
            raise Forbidden("see_id_numbers")
        school_id = permissions.fixed_school_id(actor) or school_id
    school = db.session.get(School, school_id) if school_id is not None else None
    if school is None:
        raise NotFound("school")
    teachers = list(db.session.scalars(select(Teacher).where(Teacher.school_id == school.id).order_by(Teacher.name_key, Teacher.id)))
    sheets = template_sheets()
    sheets[0].rows = [teacher_cells(teacher, school) for teacher in teachers]
    for spec, sheet in zip(sheets[1:], SHEETS.values(), strict=True):
        spec.rows = record_rows(sheet, [t.id for t in teachers])
    return template_workbook(sheets, TEMPLATE_NOTES)


def teacher_cells(teacher: Teacher, school: School) -> list[Any]:
    """A teacher as a row of the 教师 sheet, in the columns of services/imports.COLUMNS."""
    values = []
    for column in teacher_sheet.COLUMNS:
        value = school.name if column.field == "school" else getattr(teacher, column.field)
        if column.field in teacher_sheet.CODED:
            value = offered(teacher_sheet.CODED[column.field](value))
        elif column.field == "leadership":
            value = YES_NO_VALUES[0] if value else YES_NO_VALUES[1]
        values.append(value)
    return values


def record_rows(sheet: RecordSheet, teacher_ids: list[int]) -> list[list[Any]]:
    """Every record of these teachers as rows of the sheet (身份证号, 姓名, the record's columns), teachers in pinyin
    order (as `teacher_ids` come), each teacher's records by key."""
    model = sheet.model
    columns = [getattr(model, name) for name in sheet.fields]
    rows = []
    for chunk in chunks(teacher_ids):
        query = (
            select(Teacher.id_number, Teacher.name, *columns)
            .join(Teacher, Teacher.id == model.teacher_id)
            .where(model.teacher_id.in_(chunk))
            .order_by(Teacher.name_key, Teacher.id, *(getattr(model, name) for name in sheet.key), model.id)
        )
        for row in db.session.execute(query):
            id_number, name, *values = row
            rows.append([id_number, name, *(cell_value(sheet, f, v) for f, v in zip(sheet.fields, values, strict=True))])
    return rows
