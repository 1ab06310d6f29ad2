"""Page forms for HR: rendering and CSRF only.

The rules of input live in registry/schemas/: these forms carry no
validators of their own, hand their data to the services, and show the
services' errors (views_common.show_errors). Fields are built by
registry.form_fields, like every page form's.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, StringField, SubmitField

from registry.form_fields import code_select, date_field, payload
from registry.models import Certificate, EmploymentRecord, TrainingRecord
from registry.rules.vocabulary import (
    CertificateKind,
    CourseType,
    Education,
    EmployerType,
    Gender,
    HireChannel,
    PostType,
    SkillLevel,
    TrainingKind,
    TrainingStatus,
)
from registry.schemas import CandidateIn, CertificateIn, EmploymentIn, TeacherIn


class TeacherForm(FlaskForm):
    name = StringField(_l("姓名"))
    id_number = StringField(_l("身份证号"), render_kw={"maxlength": 18, "autocomplete": "off"})
    gender = code_select(_l("性别"), Gender)
    course_type = code_select(_l("课程类别"), CourseType)
    specialty = StringField(_l("专业"))
    post_type = code_select(_l("岗位类型"), PostType)
    hire_date = date_field(_l("入职日期"))
    hire_channel = code_select(_l("招聘方式"), HireChannel)
    education = code_select(_l("学历"), Education)
    leadership = BooleanField(_l("学校领导班子成员"))
    left_date = date_field(_l("离职日期（在职请留空）"))
    submit = SubmitField(_l("保存"))

    def payload(self) -> dict[str, Any]:
        """The TeacherIn input, as typed."""
        return payload(self, TeacherIn)


class EmploymentFields(Form):
    employer = StringField(_l("工作单位"))
    employer_type = code_select(_l("单位类型"), EmployerType)
    position = StringField(_l("岗位/职务"))
    start = date_field(_l("开始日期"))
    end = date_field(_l("结束日期（至今请留空）"))


class CertificateFields(Form):
    kind = code_select(_l("证书类别"), CertificateKind)
    name = StringField(_l("证书名称"))
    level = code_select(_l("等级（职业技能等级证书必填）"), SkillLevel, blank="—")
    issued = date_field(_l("发证日期"))
    related = BooleanField(_l("与所教专业相关"))


class TrainingFields(Form):
    program = StringField(_l("培训项目"))
    kind = code_select(_l("类别"), TrainingKind)
    end = date_field(_l("结束日期"))
    hours = StringField(_l("学时"), render_kw={"inputmode": "numeric"})
    status = code_select(_l("状态"), TrainingStatus)


class EmploymentForm(FlaskForm, EmploymentFields):
    submit = SubmitField(_l("保存"))


class CertificateForm(FlaskForm, CertificateFields):
    submit = SubmitField(_l("保存"))


class TrainingForm(FlaskForm, TrainingFields):
    submit = SubmitField(_l("保存"))


# The page form of each kind of HR record (services.teachers.RECORD_KINDS).
RECORD_FORMS: dict[type, type[FlaskForm]] = {
    EmploymentRecord: EmploymentForm,
    Certificate: CertificateForm,
    TrainingRecord: TrainingForm,
}


def row_is_blank(row: Form) -> bool:
    return all(not (f.data or "").strip() for f in row if isinstance(f.data, str) or f.data is None)


class PrehireForm(FlaskForm):
    course_type = code_select(_l("课程类别"), CourseType)
    post_type = code_select(_l("岗位类型"), PostType)
    hire_date = date_field(_l("拟入职日期"))
    hire_channel = code_select(_l("招聘方式"), HireChannel)
    education = code_select(_l("学历"), Education)
    specialty = StringField(_l("拟任教专业"))
    employment = FieldList(FormField(EmploymentFields), min_entries=3, max_entries=50)
    certificates = FieldList(FormField(CertificateFields), min_entries=2, max_entries=50)
    # Filled in only to turn a passing candidate into a teacher record.
    name = StringField(_l("姓名"))
    id_number = StringField(_l("身份证号"), render_kw={"maxlength": 18, "autocomplete": "off"})
    gender = code_select(_l("性别"), Gender)
    check = SubmitField(_l("核查"))
    hire = SubmitField(_l("建立教师档案"))

    ROWS = {"employment": EmploymentIn, "certificates": CertificateIn}  # each list of rows and its item schema

    def rows(self, name: str) -> list[tuple[int, dict[str, Any]]]:
        """(position in the form, data) of each row that is not left blank."""
        return [
            (index, payload(entry.form, self.ROWS[name]))
            for index, entry in enumerate(self[name].entries)
            if not row_is_blank(entry.form)
        ]

    def candidate(self) -> tuple[dict[str, Any], dict[str, list[int]]]:
        """The CandidateIn input, and for each list the form row of each item (to put errors back)."""
        data = payload(self, CandidateIn)
        positions: dict[str, list[int]] = {}
        for name in self.ROWS:
            rows = self.rows(name)
            data[name] = [row for _index, row in rows]
            positions[name] = [index for index, _row in rows]
        return data, positions

    def identity(self) -> dict[str, Any]:
        """The TeacherIn fields a candidate does not have (name, identity number, gender), as typed."""
        return {name: value for name, value in payload(self, TeacherIn).items() if name not in CandidateIn.model_fields}
