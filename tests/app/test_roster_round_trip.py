"""The roster export is the import's own workbook: imported back it changes nothing; edited, exactly what was edited."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from registry.errors import Forbidden, NotFound
from registry.extensions import db
from registry.models import AuditEvent, Certificate, EmploymentRecord, PracticeRecord, Teacher, TrainingRecord
from registry.rules.vocabulary import ImportKind
from registry.services.import_report import KindCount
from registry.services.record_imports import import_records
from registry.services.roster_export import export_roster

TODAY = date(2024, 6, 1)


@pytest.fixture
def roster(make, school):
    """Two teachers of 甲校 with every kind of record (an open job, certificates with and without a level, practice in
    each review state), and one teacher of another school who must not appear."""
    first = make.teacher(school, name="王立新", leadership=True, education="associate", hire_date=date(2021, 9, 1))
    second = make.teacher(school, name="李娜", gender="female", course_type="internship", hire_channel="direct")
    make.employment(first, "2012-07-01", "2021-08-31", employer="丹东曙光汽车集团")
    make.employment(second, "2019-03-01", None, employer_type="other", employer="个体")
    make.certificate(first, "2020-12-01", level="technician")
    make.certificate(second, "2018-06-30", kind="teacher", name="中职教师资格", related=False)
    make.training(first, "2023-07-15")
    make.training(second, "2024-08-15", status="planned", kind="other", program="课程思政")
    make.practice(first, "2022-07-01", "2022-08-31", status="verified", description="整车装配\n工艺改进")
    make.practice(first, "2023-07-01", "2023-08-31", status="submitted", enterprise="曙光集团")
    make.practice(second, "2023-01-01", "2023-01-31", status="rejected", form="visit")
    make.practice(second, "2024-07-01", None, status="planned", form="other")
    make.teacher(make.school(name="乙校"), name="外校教师")
    return first, second


def audit_events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def sheets(content: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def test_the_roster_has_every_sheet_filled_in_the_templates_columns(hr, roster):
    first, _second = roster
    content = export_roster(hr)
    filled = sheets(content)
    assert list(filled) == ["教师", "工作经历", "证书", "培训", "企业实践", "填写说明"]
    # In pinyin order, as the 教师名单 lists them (李 li before 王 wang), and not the other school's teacher.
    assert [r[0] for r in filled["教师"][1:]] == ["李娜", "王立新"]
    assert filled["教师"][2][1] == first.id_number and filled["教师"][2][9] == "大专/高职专科"
    assert filled["工作经历"][1:] == [
        [roster[1].id_number, "李娜", "个体", "其他", "技术员", datetime(2019, 3, 1), None],
        [first.id_number, "王立新", "丹东曙光汽车集团", "企业", "技术员", datetime(2012, 7, 1), datetime(2021, 8, 31)],
    ]
    assert sorted(r[-1] for r in filled["企业实践"][1:]) == ["已审核通过", "已提交", "已退回", "计划"]
    book = load_workbook(io.BytesIO(content))
    assert book["教师"]["B2"].number_format == "@" and book["证书"]["F2"].number_format == "yyyy-mm-dd"


def test_importing_the_roster_back_changes_nothing(hr, roster):
    before = audit_events()
    report = import_records(hr, export_roster(hr), "花名册.xlsx", TODAY)
    assert report.ok and report.written, report.errors
    assert (report.created, report.updated) == (0, 0) and report.unchanged == 2 + 2 + 2 + 2 + 4
    assert report.counts[ImportKind.PRACTICE] == KindCount(0, 0, 4)
    assert audit_events() == before


def test_one_edited_cell_in_each_sheet_updates_exactly_those_records(hr, roster):
    first, second = roster
    book = load_workbook(io.BytesIO(export_roster(hr)))
    book["教师"]["F2"] = "汽车运用与维修"  # 李娜's 专业 (李娜 comes first, in pinyin order)
    book["工作经历"]["E3"] = "装配技师"  # 王立新's position
    book["证书"]["G2"] = "是"  # 李娜's teacher certificate: related
    book["培训"]["F3"] = 96  # 王立新's hours
    submitted = next(r for r in book["企业实践"].iter_rows(min_row=2) if r[7].value == "已提交")
    submitted[6].value = "数控加工"  # its 内容
    buffer = io.BytesIO()
    book.save(buffer)
    before = audit_events()
    report = import_records(hr, buffer.getvalue(), "花名册.xlsx", TODAY)
    assert report.ok and report.written, report.errors
    assert {kind: (c.created, c.updated) for kind, c in report.counts.items()} == {kind: (0, 1) for kind in ImportKind}
    assert audit_events() == before + 5
    db.session.expire_all()
    assert second.specialty == "汽车运用与维修" and first.specialty == "数控技术"
    assert [r.position for r in db.session.get(Teacher, first.id).employment] == ["装配技师"]
    assert db.session.scalar(select(Certificate.related).where(Certificate.teacher_id == second.id)) is True
    assert db.session.scalar(select(TrainingRecord.hours).where(TrainingRecord.teacher_id == first.id)) == 96
    practice = {r.start: (r.status, r.description) for r in db.session.scalars(select(PracticeRecord))}
    assert practice == {date(2022, 7, 1): ("verified", "整车装配\n工艺改进"), date(2023, 7, 1): ("submitted", "数控加工"),
                        date(2023, 1, 1): ("rejected", ""), date(2024, 7, 1): ("planned", "")}
    assert db.session.scalar(select(func.count()).select_from(EmploymentRecord)) == 2


def test_hr_exports_only_their_own_school_and_the_bureau_not_at_all(hr, make, roster, school):
    other = make.school(name="丙校")
    assert [r[0] for r in sheets(export_roster(hr, school_id=other.id))["教师"][1:]] == ["李娜", "王立新"]
    with pytest.raises(Forbidden):
        export_roster(make.user("bureau"), school_id=school.id)
    admin = make.user("admin")
    assert len(sheets(export_roster(admin, school_id=school.id))["教师"]) == 3
    with pytest.raises(NotFound):
        export_roster(admin)


def test_text_that_looks_like_a_formula_is_exported_as_text_and_reads_back_unchanged(hr, roster):
    first, _second = roster
    make_record = first.practice[0]
    make_record.description = '=HYPERLINK("http://example.com","点击")'
    db.session.commit()
    content = export_roster(hr)
    cell = next(c for row in load_workbook(io.BytesIO(content))["企业实践"].iter_rows(min_row=2) for c in row
                if c.value == make_record.description)
    assert cell.data_type == "s"
    report = import_records(hr, content, "花名册.xlsx", TODAY)
    assert report.ok and (report.created, report.updated) == (0, 0), report.errors


def test_a_submitted_record_not_yet_over_reads_back_unchanged(hr, make, roster):
    first, _second = roster
    make.practice(first, "2024-05-01", "2024-07-31", status="submitted", enterprise="鸭绿江集团")  # ends after TODAY
    report = import_records(hr, export_roster(hr), "花名册.xlsx", TODAY)
    assert report.ok and report.counts[ImportKind.PRACTICE] == KindCount(0, 0, 5), report.errors
