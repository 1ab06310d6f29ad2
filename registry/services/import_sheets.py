"""The record sheets of the import workbook — 工作经历, 证书, 培训, 企业实践 (api.md "Bulk import file").

Each sheet is declared once (`RecordSheet`): its columns in file order, the fields that match a row to a record
on record, and examples for the template. How a column is read, and written back by the roster export, follows
from the model's column type (a code list, a date, a yes/no, a whole number, text), so reading, the template and
the export cannot drift apart. The 教师 sheet is services/imports.py's.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Boolean, Date, Integer, Text

from registry.models import Certificate, EmploymentRecord, PracticeRecord, TrainingRecord
from registry.rules.vocabulary import (
    CertificateKind,
    Code,
    EmployerType,
    ImportKind,
    PracticeForm,
    PracticeStatus,
    SkillLevel,
    TrainingKind,
    TrainingStatus,
)
from registry.schemas import CertificateIn, EmploymentIn, PracticeIn, Schema, TrainingIn
from registry.services.import_cells import (
    EXCEL_ESCAPE,
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
)
from registry.vocabulary import coded_columns

ID_COLUMN = Column("id_number", "身份证号")
# Optional on every record sheet, for the reader's eye (the export fills it); a name that is not the registered
# teacher's is a warning, the identity number decides.
NAME_COLUMN = Column("teacher_name", "姓名", required=False)
OPEN_END = "至今"  # an end date cell meaning "still going"
# Practice statuses an import may set (a rejection needs a reviewer's reason: only the review page gives one).
IMPORTED_STATUSES = (PracticeStatus.PLANNED, PracticeStatus.SUBMITTED, PracticeStatus.VERIFIED)

TEXT, LINES, CODE, DATE, YES_NO, WHOLE = "text", "lines", "code", "date", "yes_no", "whole"


@dataclass(frozen=True)
class RecordSheet:
    """A sheet of records HR keeps for a teacher: one row per record, keyed by 身份证号."""

    kind: ImportKind
    model: type
    schema: type[Schema]  # what a row is checked by (the form's and the API's rules)
    columns: tuple[Column, ...]  # the record's own columns, in file order (身份证号 and 姓名 come first)
    key: tuple[str, ...]  # with the teacher, what matches a row to a record on record
    examples: dict[str, Any] = field(default_factory=dict)  # per field, for the template's notes
    notes: dict[str, str] = field(default_factory=dict)  # per field, what it takes (coded columns: their values)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return (ID_COLUMN, NAME_COLUMN, *self.columns)

    @property
    def fields(self) -> tuple[str, ...]:
        """The record's fields the sheet carries (its columns after 身份证号 and 姓名)."""
        return tuple(c.field for c in self.columns)

    @cached_property
    def coded(self) -> dict[str, type[Code]]:
        return {name: codes for name, codes in coded_columns(self.model).items() if name in self.fields}

    @cached_property
    def aliases(self) -> dict[str, dict[str, str]]:
        return code_aliases(self.coded)

    def cell_type(self, name: str) -> str:
        """How the column of field `name` is read and written, from the model's column type."""
        if name in self.coded:
            return CODE
        column_type = self.model.__table__.c[name].type
        if isinstance(column_type, Date):
            return DATE
        if isinstance(column_type, Boolean):
            return YES_NO
        if isinstance(column_type, Integer):
            return WHOLE
        if isinstance(column_type, Text):
            return LINES  # a description: its line breaks are meant
        return TEXT

    def nullable(self, name: str) -> bool:
        return bool(self.model.__table__.c[name].nullable)

    def offered_values(self, name: str) -> tuple[str, ...]:
        """What the template's drop-down list offers for a coded or yes/no column."""
        if self.cell_type(name) == YES_NO:
            return YES_NO_VALUES
        members = IMPORTED_STATUSES if (self.model, name) == (PracticeRecord, "status") else self.coded[name]
        return tuple(offered(member) for member in members)

    def header(self, name: str) -> str:
        return next(c.header for c in self.all_columns if c.field == name)


SHEETS: dict[ImportKind, RecordSheet] = {
    sheet.kind: sheet
    for sheet in (
        RecordSheet(
            ImportKind.EMPLOYMENT, EmploymentRecord, EmploymentIn,
            (
                Column("employer", "单位名称"),
                Column("employer_type", "单位类型"),
                Column("position", "岗位", required=False),
                Column("start", "开始日期"),
                Column("end", "结束日期", required=False),
            ),
            key=("employer", "start"),
            examples={"employer": _("丹东曙光汽车集团"), "employer_type": offered(EmployerType.ENTERPRISE),
                      "position": _("技术员"), "start": "2015-07-01", "end": "2019-08-31"},
            notes={"employer": _("必填，单位全称"), "position": _("可留空")},
        ),
        RecordSheet(
            ImportKind.CERTIFICATES, Certificate, CertificateIn,
            (
                Column("kind", "证书类别"),
                Column("name", "证书名称"),
                Column("level", "等级", required=False),
                Column("issued", "发证日期"),
                Column("related", "与专业相关", required=False),
            ),
            key=("name", "issued"),
            examples={"kind": offered(CertificateKind.SKILL), "name": _("数控车工"), "level": offered(SkillLevel.SENIOR),
                      "issued": "2020-12-01", "related": YES_NO_VALUES[0]},
            notes={"name": _("必填，证书上的名称"),
                   "level": _("职业技能等级证书必填，其他证书留空；1+X 证书的初级、中级、高级可直接填写")},
        ),
        RecordSheet(
            ImportKind.TRAINING, TrainingRecord, TrainingIn,
            (
                Column("program", "培训项目"),
                Column("kind", "类别"),
                Column("end", "结束日期"),
                Column("hours", "学时", required=False),
                Column("status", "状态"),
            ),
            key=("program", "end"),
            examples={"program": _("2024 年专业课教师全员轮训"), "kind": offered(TrainingKind.ROTATION), "end": "2024-07-15",
                      "hours": 80, "status": offered(TrainingStatus.COMPLETED)},
            notes={"program": _("必填，培训项目名称"), "end": _("必填，培训结束（或计划结束）的日期"),
                   "hours": _("可留空")},
        ),
        RecordSheet(
            ImportKind.PRACTICE, PracticeRecord, PracticeIn,
            (
                Column("enterprise", "实践单位"),
                Column("start", "开始日期"),
                Column("end", "结束日期", required=False),
                Column("form", "形式"),
                Column("description", "内容", required=False),
                Column("status", "状态", required=False),
            ),
            key=("enterprise", "start"),
            examples={"enterprise": _("丹东曙光汽车集团"), "start": "2024-07-01", "end": "2024-08-31",
                      "form": offered(PracticeForm.PLACEMENT), "description": _("参与整车装配工艺改进"),
                      "status": offered(PracticeStatus.SUBMITTED)},
            notes={"enterprise": _("必填，实践单位全称"), "end": _("结束日期不早于今天或留空（仍在进行）的记录只能导入为“计划”"),
                   "description": _("可留空"),
                   "status": _("留空为已提交（勾选“已审核”时为已审核通过）；"
                               "已审核通过只有在上传时勾选“企业实践记录已审核”才能导入")},
        ),
    )
}


def sheet_kind(name: str) -> ImportKind | None:
    """The kind a sheet's name names (its label, 教师…, or its code, teachers…), after `normalise`; else None."""
    wanted = normalise(name)
    for kind in ImportKind:
        if wanted in (normalise(kind.label), normalise(kind.value)):
            return kind
    return None


def accepted(sheet: RecordSheet, name: str) -> str:
    """What a column takes, for the template's notes and the error messages."""
    kind = sheet.cell_type(name)
    if kind == CODE:
        values = _("、").join(sheet.offered_values(name))
        return _("%(values)s（或代码）", values=values)
    if kind == YES_NO:
        return _("是、否（空白为否）")
    if kind == DATE:
        if sheet.nullable(name):
            return _("YYYY-MM-DD 或日期单元格；留空或填“至今”表示尚未结束")
        return _("YYYY-MM-DD 或日期单元格")
    if kind == WHOLE:
        return _("整数")
    return _("文本")


def row_input(sheet: RecordSheet, cells: Sequence[Any], positions: dict[str, int]) -> tuple[str, dict[str, Any], dict[str, str]]:
    """(identity number, the schema's input, errors by field of cells that cannot even be read) of one row.

    Fields whose column the file leaves out are not in the input (the schema's default, or for a matched record
    the stored value, applies).
    """
    def value(name: str) -> Any:
        index = positions.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    errors: dict[str, str] = {}
    try:
        id_number = id_number_text(value("id_number"))
    except ValueError as exc:
        id_number, errors["id_number"] = "", str(exc)
    data: dict[str, Any] = {}
    for name in sheet.fields:
        if name not in positions:
            continue
        raw = value(name)
        kind = sheet.cell_type(name)
        try:
            data[name] = read_cell(sheet, name, kind, raw)
        except ValueError as exc:
            errors[name] = str(exc)
    return id_number, data, errors


def read_cell(sheet: RecordSheet, name: str, kind: str, raw: Any) -> Any:
    """One cell as the schema's input; ValueError with a Chinese message when it cannot be read."""
    if kind == DATE:
        if sheet.nullable(name) and cell_text(raw) in ("", OPEN_END):
            return None
        return date_value(raw)
    if kind == LINES:
        return lines_text(raw)
    text = cell_text(raw)
    if kind == CODE:
        if not text:
            return None  # the schema says whether it may be blank
        code = sheet.aliases[name].get(normalise(text))
        if code is None:
            raise ValueError(_("不认识的取值“%(value)s”，应为：%(accepted)s", value=text, accepted=accepted(sheet, name)))
        return code
    if kind == YES_NO:
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError(_("不认识的取值“%(value)s”，应为：%(accepted)s", value=text, accepted=accepted(sheet, name)))
    if kind == WHOLE:
        if isinstance(raw, bool):
            raise ValueError(_("应为整数"))
        if isinstance(raw, (int, float)) and float(raw).is_integer():
            return int(raw)
        if not text:
            return None
        if text.isdecimal():
            return int(text)
        raise ValueError(_("“%(value)s”不是整数，请填写整数", value=text))
    return text


def lines_text(value: Any) -> str:
    """A cell of several lines (内容): Excel's _xHHHH_ escapes undone, line breaks kept, surrounding spaces trimmed."""
    if value is None:
        return ""
    return EXCEL_ESCAPE.sub(lambda escape: chr(int(escape.group(1), 16)), cell_text_of_number(value)).strip()


def cell_text_of_number(value: Any) -> str:
    """A text cell's value as typed; a number (an employer called 1001, say) without Excel's ".0"."""
    return cell_text(value) if isinstance(value, (int, float)) else str(value)


def cell_value(sheet: RecordSheet, name: str, value: Any) -> Any:
    """A stored value as the export writes it in its column: codes as the template offers them, yes/no as 是/否,
    dates as dates (a blank end for an open period); read back by `read_cell` it is the same value."""
    if value is None:
        return None
    kind = sheet.cell_type(name)
    if kind == CODE:
        codes = sheet.coded[name]
        try:
            return offered(codes(value))
        except ValueError:  # a code the list no longer names: shown as stored, refused on the way back in
            return str(value)
    if kind == YES_NO:
        return YES_NO_VALUES[0] if value else YES_NO_VALUES[1]
    if kind == DATE:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    return value
