"""Bulk import of teachers (api.md "Bulk import file"): check every row, then write all or nothing.

Each row is turned into the input of TeacherIn, so the rules of the teacher
form and the API apply unchanged. A row whose 身份证号 is already registered
updates that teacher. The database is read in a few batched queries and
written in one transaction, so thousands of rows take seconds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from registry import permissions
from registry.extensions import db
from registry.models import School, Teacher, User
from registry.rules.vocabulary import Code, CourseType, Education, Gender, HireChannel, ImportKind, PostType
from registry.schemas import TeacherIn
from registry.services import teachers as teacher_service
from registry.services.import_cells import (
    NO,
    YES,
    YES_NO_VALUES,
    Column,
    cell_text,
    code_aliases,
    date_value,
    id_number_text,
    normalise,
    offered,
    read_header,
    required_fields,
)
from registry.services.import_files import Table
from registry.services.import_report import ImportReport, RowError
from registry.services.import_warnings import person_warnings
from registry.vocabulary import coded_columns

# The synonyms are the other headers school offices write; each names only its column (api.md "Bulk import file").
COLUMNS = (
    Column("name", "姓名", synonyms=("教师姓名",)),
    Column("id_number", "身份证号", synonyms=("身份证号码", "公民身份号码", "证件号码", "身份证件号码", "居民身份证号")),
    Column("gender", "性别"),
    # May be left out when the school is known.
    Column("school", "学校", required=False, synonyms=("学校名称", "所在学校", "单位")),
    Column("course_type", "课程类别", synonyms=("课程类型",)),
    Column("specialty", "专业", synonyms=("所教专业", "专业名称", "任教专业")),
    Column("post_type", "岗位类型", synonyms=("岗位性质",)),
    Column("hire_date", "入职日期", synonyms=("参加工作时间", "入职时间", "到校时间")),
    Column("hire_channel", "招聘方式", synonyms=("引进方式", "录用方式")),
    Column("education", "学历", synonyms=("最高学历", "学历层次")),
    # Blank: 否. Absent: 否 for a new teacher; a registered teacher keeps the stored value.
    Column("leadership", "领导班子", required=False, synonyms=("是否领导班子成员", "领导班子成员", "是否班子成员")),
)
BY_FIELD = {c.field: c for c in COLUMNS}
# Where a schema error about a field that is not a column of its own is shown.
FIELD_COLUMN = {"school_id": "school", "left_date": "hire_date"}
# The coded columns and the list of codes each takes: the teacher's coded columns (registry.models).
CODED: dict[str, type[Code]] = coded_columns(Teacher)
ALIASES = code_aliases(CODED)


def accepted_values(name: str) -> str:
    """What a coded column (or 领导班子) takes, for the template and the error messages."""
    if name == "leadership":
        return _("是、否（空白为否；文件不含此列时，新教师为否，已登记的教师保持原值）")
    codes = CODED[name]
    return _(
        "%(names)s（或代码 %(codes)s）",
        names=_("、").join(offered(member) for member in codes),
        codes=_("、").join(codes.codes()),
    )


def template_columns() -> list[tuple[str, str, str]]:
    """(header, what it takes, example) of each column of the 教师 sheet, in file order, for the template's notes."""
    described = {
        "name": (_("必填"), "张三"),
        "id_number": (_("必填，18 位居民身份证号，最后一位可以是 X；请按文本填写"), "210602199001011234"),
        "gender": (accepted_values("gender"), offered(Gender.MALE)),
        "school": (_("学校全称；学校人事只能导入本校教师，可留空"), _("（本校全称，可留空）")),
        "course_type": (accepted_values("course_type"), offered(CourseType.SPECIALTY)),
        "specialty": (_("必填，所教专业"), _("数控技术应用")),
        "post_type": (accepted_values("post_type"), offered(PostType.FIXED)),
        "hire_date": (_("YYYY-MM-DD，或 Excel 日期单元格；不能晚于一年以后"), "2024-09-01"),
        "hire_channel": (accepted_values("hire_channel"), offered(HireChannel.OPEN)),
        "education": (accepted_values("education"), offered(Education.BACHELOR)),
        "leadership": (accepted_values("leadership"), YES_NO_VALUES[1]),
    }
    return [(c.header, *described[c.field]) for c in COLUMNS]


def import_school(actor: User) -> School:
    """The school the actor imports into: only school HR imports, and always into their own school."""
    permissions.authorize(actor, "import_teachers")
    return db.session.get(School, permissions.fixed_school_id(actor))


@dataclass
class Plan:
    creates: list[TeacherIn] = field(default_factory=list)
    updates: list[tuple[Teacher, TeacherIn]] = field(default_factory=list)


def import_teachers(
    actor: User | None, content: bytes, filename: str, today: date, school_id: int | None = None, dry_run: bool = False
) -> ImportReport:
    """A file of teachers: record_imports.import_records with the kind teachers (a workbook's sheets named like
    another kind are read as well). Kept for the callers that import teachers only."""
    from registry.services.record_imports import import_records  # it builds on this module

    return import_records(actor, content, filename, today, school_id=school_id, dry_run=dry_run, kind=ImportKind.TEACHERS)


def check(actor: User | None, table: Table, report: ImportReport, today: date, school_id: int | None) -> Plan:
    """Read every row into the teacher service's input and check them all in one batch.

    A row whose 身份证号 is registered updates that teacher; the fields the file does not carry keep their
    stored values (离职日期 always, 领导班子 when its column is left out) and the merged record is what is checked.
    A row without errors may add warnings (import_warnings.person_warnings) to the report; they do not block.
    """
    required = required_fields(COLUMNS) | ({"school"} if school_id is None else set())
    positions = read_header(table.header, table.header_number, COLUMNS, report, required)
    plan = Plan()
    if not report.ok:
        return plan
    if not table.rows:
        report.errors.append(RowError(None, None, _("文件只有列名，没有教师数据。")))
        return plan
    schools = {normalise(name): (id_, name) for id_, name in db.session.execute(select(School.id, School.name))}
    own_school = db.session.get(School, school_id) if school_id is not None else None
    if school_id is not None and own_school is None:
        report.errors.append(RowError(None, None, _("指定的学校不存在。")))
        return plan
    rows = [(number, *row_input(cells, positions, schools, own_school)) for number, cells in table.rows]
    registered = teacher_service.registered_teachers([data["id_number"] for _n, data, _e in rows if data.get("id_number")])
    kept = ("left_date",) + (("leadership",) if "leadership" not in positions else ())
    inputs = []
    for _number, data, errors in rows:
        target = registered.get(data.get("id_number"))
        if target is not None and school_id is not None and target.school_id != school_id:
            errors["id_number"] = _("该身份证号已登记在其他学校的教师名下")
            target = None
        stored = {name: getattr(target, name) for name in kept} if target is not None else {}
        inputs.append(({**stored, **data}, target))
    seen: dict[str, int] = {}
    for (number, _data, errors), checked in zip(rows, teacher_service.check_teachers(actor, inputs, today), strict=True):
        for name, message in checked.errors.items():
            column = BY_FIELD.get(FIELD_COLUMN.get(name, name))
            errors.setdefault(column.field if column else name, message)
        if checked.clean is not None:
            first = seen.setdefault(checked.clean.id_number, number)
            if first != number:
                errors["id_number"] = _("与第 %(n)s 行的身份证号重复", n=first)
        for name, message in errors.items():
            column = BY_FIELD.get(name)
            report.errors.append(RowError(number, column.header if column else None, message))
        if errors:
            continue
        clean = checked.clean
        for name, message in person_warnings(clean.id_number, clean.gender, clean.hire_date, today):
            # Named, so a row of an exported roster can be found again without counting rows.
            report.warnings.append(RowError(number, BY_FIELD[name].header, f"{clean.name}{_('：')}{message}"))
        if checked.target is None:
            plan.creates.append(checked.clean)
        elif teacher_service.teacher_fields(checked.target) == checked.clean.model_dump():
            report.unchanged += 1
        else:
            plan.updates.append((checked.target, checked.clean))
    return plan


def row_input(
    cells: list[Any], positions: dict[str, int], schools: dict[str, tuple[int, str]], own_school: School | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """TeacherIn input for one row, and the errors of cells that cannot even be read."""
    value = {name: cells[index] if index < len(cells) else None for name, index in positions.items()}
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in ("name", "specialty"):
        data[name] = cell_text(value.get(name))
    try:
        data["id_number"] = id_number_text(value.get("id_number"))
    except ValueError as exc:
        errors["id_number"] = str(exc)
    for name in CODED:
        text = cell_text(value.get(name))
        if not text:
            continue  # the schema reports the missing value
        code = ALIASES[name].get(normalise(text))
        if code is None:
            errors[name] = _("不认识的取值“%(value)s”，应为：%(accepted)s", value=text, accepted=accepted_values(name))
        else:
            data[name] = code
    try:
        data["hire_date"] = date_value(value.get("hire_date"))
    except ValueError as exc:
        errors["hire_date"] = str(exc)
    # Without the column a new teacher gets the schema's default and an update keeps the stored value (check).
    if "leadership" in positions:
        leadership = cell_text(value.get("leadership"))
        if leadership.lower() in YES:
            data["leadership"] = True
        elif leadership.lower() in NO:
            data["leadership"] = False
        else:
            errors["leadership"] = _(
                "不认识的取值“%(value)s”，应为：%(accepted)s", value=leadership, accepted=accepted_values("leadership")
            )
    school_name = cell_text(value.get("school"))
    if not school_name:
        if own_school is not None:
            data["school_id"] = own_school.id
        else:
            errors["school"] = _("必填项")
    else:
        found = schools.get(normalise(school_name))
        if found is None:
            errors["school"] = _("没有名为“%(name)s”的学校", name=school_name)
        elif own_school is not None and found[0] != own_school.id:
            errors["school"] = _("只能导入本校（%(own)s）的教师", own=own_school.name)
        else:
            data["school_id"] = found[0]
    return data, errors
