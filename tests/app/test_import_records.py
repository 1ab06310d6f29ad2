"""Whole records in one file: 教师, 工作经历, 证书, 培训 and 企业实践 sheets, matched to what is on record, all or nothing."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from registry.errors import Forbidden
from registry.extensions import db
from registry.models import (
    AuditEvent,
    Certificate,
    EmploymentRecord,
    PracticeRecord,
    Teacher,
    TeacherVerdict,
    TrainingRecord,
)
from registry.rules.vocabulary import ImportKind, PracticeRuleStatus
from registry.services.import_report import KindCount
from registry.services.record_imports import import_records, import_template
from tests.app.factories import id_number
from tests.app.inputs import HEADERS, csv_bytes, row

TODAY = date(2024, 6, 1)
SCHOOL = "丹东市中等职业技术专业学校"
# The columns of api.md "Bulk import file", as a user types them.
EMPLOYMENT = ["身份证号", "单位名称", "单位类型", "岗位", "开始日期", "结束日期"]
CERTIFICATES = ["身份证号", "证书类别", "证书名称", "等级", "发证日期", "与专业相关"]
TRAINING = ["身份证号", "培训项目", "类别", "结束日期", "学时", "状态"]
PRACTICE = ["身份证号", "实践单位", "开始日期", "结束日期", "形式", "内容", "状态"]


@pytest.fixture
def school(make):
    return make.school(name=SCHOOL)


@pytest.fixture
def teacher(make, school):
    return make.teacher(school, name="王立新", id_number=id_number(7), hire_date=date(2021, 9, 1))


def workbook(sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> bytes:
    """An .xlsx with a sheet per entry (its header row first), in order; the first visible one is active."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for values in rows:
            sheet.append(values)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.active = next(i for i, name in enumerate(sheets) if name not in hidden)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(actor, content: bytes, filename: str = "records.xlsx", **options):
    return import_records(actor, content, filename, TODAY, **options)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def events(entity: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)))


# ------------------------------------------------------------------------------------------- each sheet


def test_work_history_rows_create_records_and_the_same_employer_and_start_updates_one(hr, teacher):
    first = run(hr, workbook({"工作经历": [
        EMPLOYMENT,
        [teacher.id_number, "丹东曙光汽车集团", "企业", "技术员", "2015-07-01", "2019-08-31"],
        [teacher.id_number, "丹东市职教中心", "学校", "", date(2019, 9, 1), "至今"],
    ]}))
    assert first.ok and first.written and first.counts == {ImportKind.EMPLOYMENT: KindCount(2, 0, 0)}, first.errors
    again = run(hr, workbook({"工作经历": [
        EMPLOYMENT,
        [teacher.id_number, "丹东曙光汽车集团", "企业", "工程师", "2015-07-01", "2019-08-31"],
        [teacher.id_number, "丹东市职教中心", "学校", "", "2019-09-01", ""],
    ]}))
    assert again.ok and again.counts[ImportKind.EMPLOYMENT] == KindCount(0, 1, 1)
    records = db.session.scalars(select(EmploymentRecord).order_by(EmploymentRecord.start)).all()
    assert [(r.employer, r.employer_type, r.position, r.end) for r in records] == [
        ("丹东曙光汽车集团", "enterprise", "工程师", date(2019, 8, 31)),
        ("丹东市职教中心", "school", "", None),
    ]


def test_certificates_are_matched_by_name_and_issue_date_and_take_levels_as_typed(hr, teacher):
    report = run(hr, workbook({"证书": [
        CERTIFICATES,
        [teacher.id_number, "职业技能等级证书", "网店运营推广", "1+X 中级", "2022-12-01", "是"],
        [teacher.id_number, "教师资格证", "中职教师资格", "", "2020-06-30", "否"],
    ]}))
    assert report.ok and report.counts[ImportKind.CERTIFICATES] == KindCount(2, 0, 0), report.errors
    changed = run(hr, workbook({"证书": [
        CERTIFICATES, [teacher.id_number, "职业技能等级证书", "网店运营推广", "三级/高级工", "2022-12-01", "是"],
    ]}))
    assert changed.counts[ImportKind.CERTIFICATES] == KindCount(0, 1, 0)
    certificates = db.session.scalars(select(Certificate).order_by(Certificate.issued)).all()
    assert [(c.kind, c.name, c.level, c.related) for c in certificates] == [
        ("teacher", "中职教师资格", None, False), ("skill", "网店运营推广", "senior", True),
    ]


def test_a_file_leaving_a_column_out_keeps_the_stored_value_and_is_checked_with_it(hr, make, teacher):
    make.certificate(teacher, "2022-12-01", name="网店运营推广", level="senior")
    report = run(hr, workbook({"证书": [
        ["身份证号", "证书类别", "证书名称", "发证日期", "与专业相关"],  # no 等级: the stored level stays
        [teacher.id_number, "职业技能等级证书", "网店运营推广", "2022-12-01", "否"],
    ]}))
    assert report.ok and report.counts[ImportKind.CERTIFICATES] == KindCount(0, 1, 0), report.errors
    stored = db.session.scalars(select(Certificate)).one()
    assert (stored.level, stored.related) == ("senior", False)


def test_training_is_matched_by_program_and_end_date(hr, teacher):
    rows = [TRAINING, [teacher.id_number, "2023 年全员轮训", "轮训", "2023-07-15", 80, "已完成"],
            [teacher.id_number, "2024 年全员轮训", "轮训", "2024-07-15", "", "计划"]]
    assert run(hr, workbook({"培训": rows})).counts[ImportKind.TRAINING] == KindCount(2, 0, 0)
    rows[2][5] = "已完成"
    assert run(hr, workbook({"培训": rows})).counts[ImportKind.TRAINING] == KindCount(0, 1, 1)
    assert [(t.program, t.hours, t.status) for t in db.session.scalars(select(TrainingRecord).order_by(TrainingRecord.end))] == [
        ("2023 年全员轮训", 80, "completed"), ("2024 年全员轮训", None, "completed"),
    ]


def test_practice_arrives_submitted_unless_hr_says_it_was_verified(hr, teacher):
    rows = [PRACTICE[:6], [teacher.id_number, "五一八公司", "2023-07-01", "2023-08-31", "顶岗实践", "装配"]]
    report = run(hr, workbook({"企业实践": rows}))
    assert report.ok and report.counts[ImportKind.PRACTICE] == KindCount(1, 0, 0), report.errors
    record = db.session.scalar(select(PracticeRecord))
    assert (record.status, record.form, record.reviewed_at) == ("submitted", "placement", None)
    assert record.submitted_at is not None
    verified = run(hr, workbook({"企业实践": rows}), verified=True)
    assert verified.counts[ImportKind.PRACTICE] == KindCount(0, 1, 0)
    db.session.refresh(record)
    assert (record.status, record.reviewed_by_id) == ("verified", hr.id) and record.reviewed_at is not None


def test_a_practice_status_column_is_honoured_within_what_hr_ticked(hr, teacher):
    rows = [PRACTICE,
            [teacher.id_number, "五一八公司", "2023-07-01", "2023-08-31", "顶岗实践", "", "计划"],
            [teacher.id_number, "曙光集团", "2023-01-01", "2023-02-28", "跟岗实践", "", "已审核通过"]]
    refused = run(hr, workbook({"企业实践": rows}))
    assert [(e.sheet, e.row, e.column) for e in refused.errors] == [("企业实践", 3, "状态")]
    assert "勾选" in refused.errors[0].message and count(PracticeRecord) == 0
    assert run(hr, workbook({"企业实践": rows}), verified=True).ok
    statuses = dict(db.session.execute(select(PracticeRecord.enterprise, PracticeRecord.status)).all())
    assert statuses == {"五一八公司": "planned", "曙光集团": "verified"}


def test_practice_not_yet_over_cannot_be_submitted_but_can_be_planned(hr, teacher):
    late = [teacher.id_number, "五一八公司", "2024-05-01", "2024-07-31", "顶岗实践", "", ""]
    report = run(hr, workbook({"企业实践": [PRACTICE, late]}))
    assert [(e.row, e.column) for e in report.errors] == [(2, "结束日期")] and "计划" in report.errors[0].message
    assert run(hr, workbook({"企业实践": [PRACTICE, late[:6] + ["计划"]]})).ok


def test_a_verified_practice_record_is_left_alone_or_the_import_asks_for_it_to_be_reopened(hr, make, teacher):
    make.practice(teacher, "2023-07-01", "2023-08-31", status="verified", enterprise="五一八公司", form="placement")
    same = [teacher.id_number, "五一八公司", "2023-07-01", "2023-08-31", "顶岗实践", "", "已审核通过"]
    assert run(hr, workbook({"企业实践": [PRACTICE, same]})).counts[ImportKind.PRACTICE] == KindCount(0, 0, 1)
    changed = run(hr, workbook({"企业实践": [PRACTICE, same[:3] + ["2023-09-30"] + same[4:]]}), verified=True)
    assert not changed.ok and "重新打开" in changed.errors[0].message
    assert db.session.scalar(select(PracticeRecord.end)) == date(2023, 8, 31)


# ------------------------------------------------------------------------------------- whole files


def test_a_workbook_brings_new_teachers_with_their_records(hr, school):
    new = row(1, SCHOOL)
    report = run(hr, workbook({
        "教师": [HEADERS, new],
        "工作经历": [EMPLOYMENT, [new[1], "曙光集团", "企业", "技工", "2010-07-01", "2022-08-31"]],
        "证书": [CERTIFICATES, [new[1], "专业技术职称", "工程师", "", "2018-12-01", "是"]],
        "培训": [TRAINING, [new[1], "2023 年全员轮训", "轮训", "2023-07-15", 80, "已完成"]],
        "企业实践": [PRACTICE, [new[1], "五一八公司", "2023-07-01", "2023-08-31", "跟岗实践", "", ""]],
    }))
    assert report.ok and report.written, report.errors
    assert {kind: c.created for kind, c in report.counts.items()} == {kind: 1 for kind in ImportKind}
    assert report.sheets == ["教师", "工作经历", "证书", "培训", "企业实践"]
    teacher = db.session.scalar(select(Teacher))
    assert len(teacher.employment) == len(teacher.certificates) == len(teacher.training) == len(teacher.practice) == 1
    assert "新增 1 名教师" in report.summary() and "企业实践新增 1 条" in report.summary()


def test_an_error_in_one_sheet_leaves_every_sheet_unwritten(hr, school):
    new = row(1, SCHOOL)
    report = run(hr, workbook({
        "教师": [HEADERS, new],
        "工作经历": [EMPLOYMENT, [new[1], "曙光集团", "企业", "技工", "2010-07-01", "2022-08-31"]],
        "企业实践": [PRACTICE, [new[1], "五一八公司", "2023-07-01", "2023-08-31", "摸鱼", "", ""]],
    }))
    assert not report.written and count(Teacher) == count(EmploymentRecord) == 0
    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("企业实践", 2, "形式") and "不认识的取值“摸鱼”" in error.message
    assert str(error).startswith("工作表“企业实践”，第 2 行，形式：")
    assert report.grouped()[0][0] == "企业实践 · 形式"


def test_a_row_of_someone_not_on_record_is_refused(hr, school):
    report = run(hr, workbook({"工作经历": [EMPLOYMENT, [id_number(99), "曙光集团", "企业", "", "2010-07-01", ""]]}))
    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号")] and "没有登记" in report.errors[0].message


def test_a_mistyped_identity_number_in_a_record_row_is_named_as_mistyped(hr, teacher):
    wrong = teacher.id_number[:-1] + ("0" if teacher.id_number[-1] != "0" else "1")
    report = run(hr, workbook({"工作经历": [EMPLOYMENT, [wrong, "曙光集团", "企业", "", "2010-07-01", ""]]}))
    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "身份证号", "身份证号校验位不正确（GB 11643），请核对")]


def test_hr_cannot_import_records_of_another_schools_teacher(hr, make):
    stranger = make.teacher(make.school(name="乙校"))
    report = run(hr, workbook({"证书": [CERTIFICATES, [stranger.id_number, "教师资格证", "中职教师资格", "", "2020-06-30", "否"]]}))
    assert not report.ok and "不在本校" in report.errors[0].message and count(Certificate) == 0


def test_the_command_line_imports_records_of_any_school(make):
    stranger = make.teacher(make.school(name="乙校"))
    report = run(None, workbook({"证书": [CERTIFICATES, [stranger.id_number, "教师资格证", "中职教师资格", "", "2020-06-30", "否"]]}))
    assert report.ok and count(Certificate) == 1
    assert events("certificate")[0].actor_id is None


def test_the_same_record_twice_in_a_file_names_the_first_row(hr, teacher):
    line = [teacher.id_number, "曙光集团", "企业", "", "2010-07-01", ""]
    report = run(hr, workbook({"工作经历": [EMPLOYMENT, line, [*line[:3], "技工", *line[4:]]]}))
    assert [(e.row, e.column) for e in report.errors] == [(3, "身份证号")] and "第 2 行" in report.errors[0].message


def test_a_csv_file_holds_the_kind_it_is_imported_as(hr, teacher):
    content = csv_bytes([[teacher.id_number, "曙光集团", "企业", "技工", "2010-07-01", "2015-06-30"]], headers=EMPLOYMENT)
    report = run(hr, content, "work.csv", kind=ImportKind.EMPLOYMENT)
    assert report.ok and report.counts == {ImportKind.EMPLOYMENT: KindCount(1, 0, 0)} and count(EmploymentRecord) == 1


def test_work_history_uploaded_as_teachers_is_refused_with_the_kind_to_choose(hr, teacher):
    content = csv_bytes([[teacher.id_number, "曙光集团", "企业", "技工", "2010-07-01", "2015-06-30"]], headers=EMPLOYMENT)
    report = run(hr, content, "work.csv")
    assert not report.ok and count(EmploymentRecord) == 0
    assert report.errors[0].message == "这些列是“工作经历”的列：如要导入工作经历，请把“类型”选为“工作经历”后重新上传。"
    without_gender = [value for header, value in zip(HEADERS, row(1, "x"), strict=True) if header != "性别"]
    teachers_missing_a_column = csv_bytes([without_gender], headers=[h for h in HEADERS if h != "性别"])
    assert not any("这些列是" in e.message for e in run(hr, teachers_missing_a_column, "t.csv").errors)


def test_a_chosen_sheet_is_read_as_the_kind_given(hr, teacher):
    content = workbook({"说明": [["请看第二页"]], "经历": [EMPLOYMENT, [teacher.id_number, "曙光集团", "企业", "", "2010-07-01", ""]]})
    report = run(hr, content, sheet="经历", kind=ImportKind.EMPLOYMENT)
    assert report.ok and report.sheets == ["经历"] and count(EmploymentRecord) == 1


def test_a_hidden_sheet_named_like_a_kind_is_not_read_and_the_report_says_so(hr, teacher):
    content = workbook({
        "工作经历": [EMPLOYMENT, [teacher.id_number, "曙光集团", "企业", "", "2010-07-01", ""]],
        "证书": [CERTIFICATES, [teacher.id_number, "教师资格证", "中职教师资格", "", "2020-06-30", "否"]],
    }, hidden=("证书",))
    report = run(hr, content, dry_run=True)
    assert report.ok and list(report.counts) == [ImportKind.EMPLOYMENT] and report.hidden == ["证书"]
    assert [(w.sheet, w.row) for w in report.warnings] == [("证书", None)] and "隐藏" in report.warnings[0].message
    assert "另有 1 条提醒，请核对后再确认导入" in report.summary()


def test_a_name_that_is_not_the_registered_one_is_a_warning(hr, teacher):
    report = run(hr, workbook({"工作经历": [["身份证号", "姓名", *EMPLOYMENT[1:]],
                                            [teacher.id_number, "王力新", "曙光集团", "企业", "", "2010-07-01", ""]]}))
    assert report.written and [(w.row, w.column) for w in report.warnings] == [(2, "姓名")]


def test_every_record_written_is_audited_with_the_importer(hr, teacher):
    run(hr, workbook({"培训": [TRAINING, [teacher.id_number, "2023 年全员轮训", "轮训", "2023-07-15", 80, "已完成"]]}))
    [event] = events("training_record")
    assert (event.action, event.actor_id, event.teacher_id, event.school_id) == ("create", hr.id, teacher.id, teacher.school_id)
    assert event.changes["after"]["program"] == "2023 年全员轮训"
    run(hr, workbook({"培训": [TRAINING, [teacher.id_number, "2023 年全员轮训", "轮训", "2023-07-15", 90, "已完成"]]}))
    update = events("training_record")[1]
    assert (update.action, update.changes) == ("update", {"before": {"hours": 80}, "after": {"hours": 90}})


def test_imported_verified_practice_changes_the_stored_verdict(hr, make, school, frozen_today):
    make.policy_version()
    teacher = make.teacher(school, hire_date=date(2022, 9, 1))  # in the cycle 2022-09-01 – 2027-08-31
    before = db.session.scalar(select(TeacherVerdict.practice_status).where(TeacherVerdict.teacher_id == teacher.id))
    rows = [PRACTICE, [teacher.id_number, "五一八公司", "2023-01-01", "2023-10-31", "顶岗实践", "", ""]]
    report = import_records(hr, workbook({"企业实践": rows}), "p.xlsx", frozen_today, verified=True)
    db.session.commit()
    verdict = db.session.scalar(select(TeacherVerdict).where(TeacherVerdict.teacher_id == teacher.id))
    assert report.written and before != PracticeRuleStatus.MET
    assert verdict.practice_months == 10 and verdict.practice_status == PracticeRuleStatus.MET


def test_progress_is_told_for_every_phase_from_start_to_end(hr, teacher):
    calls = []
    rows = [[teacher.id_number, f"单位{n}", "企业", "", "2000-01-01", "2000-12-31"] for n in range(1200)]
    run(hr, workbook({"工作经历": [EMPLOYMENT, *rows]}), progress=lambda *call: calls.append(call))
    phases = [phase for phase, _done, _total in calls]
    assert phases[0] == "reading" and "checking" in phases and phases[-1] == "writing"
    for phase in ("reading", "checking", "writing"):
        told = [(done, total) for p, done, total in calls if p == phase]
        assert told[0][0] == 0 and told[-1][0] == told[-1][1]


def test_checking_tells_progress_at_least_every_five_hundred_rows(hr, school):
    calls = []
    run(hr, csv_bytes([row(n, SCHOOL) for n in range(1, 1201)]), "t.csv", dry_run=True, progress=lambda *c: calls.append(c))
    checked = [done for phase, done, _total in calls if phase == "checking"]
    assert checked[0] == 0 and checked[-1] == 1200


def test_a_file_refused_as_a_whole_says_why_in_its_summary(hr):
    report = run(hr, b"\x00\x01 nothing", "roster.pdf")
    assert report.summary().startswith("未导入：") and "行有误" not in report.summary()


@pytest.mark.parametrize("role", ["teacher", "bureau", "admin"])
def test_only_school_hr_imports_records(make, school, role):
    teacher = make.teacher(school)
    user = make.user(role, teacher=teacher if role == "teacher" else None)
    with pytest.raises(Forbidden):
        run(user, workbook({"工作经历": [EMPLOYMENT]}))


# ------------------------------------------------------------------------------------------ template


def test_the_template_has_a_sheet_per_kind_with_drop_downs_and_notes(hr):
    book = load_workbook(io.BytesIO(import_template(hr)))
    assert book.sheetnames == ["教师", "工作经历", "证书", "培训", "企业实践", "填写说明"]
    headers = {name: [c.value for c in book[name][1]] for name in book.sheetnames[1:5]}
    assert headers["工作经历"] == ["身份证号", "姓名", *EMPLOYMENT[1:]]
    assert headers["企业实践"] == ["身份证号", "姓名", *PRACTICE[1:]]
    practice = book["企业实践"]
    lists = {str(v.sqref).split(":")[0][0]: v.formula1 for v in practice.data_validations.dataValidation}
    assert "跟岗实践" in lists["F"] and lists["H"] == '"计划,已提交,已审核通过"'
    assert practice.freeze_panes == "A2" and practice["A1"].font.b and practice.auto_filter.ref
    assert practice.column_dimensions["A"].number_format == "@" and practice.column_dimensions["D"].number_format == "yyyy-mm-dd"
    notes = [[c.value for c in line] for line in book["填写说明"].iter_rows()]
    described = {(sheet, column) for sheet, column, *_rest in notes[1:] if column}
    assert {("企业实践", header) for header in PRACTICE} <= described and ("教师", "学历") in described
    assert any("已审核通过" in (line[0] or "") and "勾选" in line[0] for line in notes)


def test_the_template_filled_in_imports_every_sheet(hr, school):
    book = load_workbook(io.BytesIO(import_template(hr)))
    new = row(1, SCHOOL)
    book["教师"].append(new)
    book["证书"].append([new[1], new[0], "教师资格证", "中职教师资格", None, date(2020, 6, 30), "否"])
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(hr, buffer.getvalue(), "模板.xlsx")
    assert report.ok and report.written and list(report.counts) == [ImportKind.TEACHERS, ImportKind.CERTIFICATES], report.errors
