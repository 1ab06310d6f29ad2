"""The bulk importer: every row checked by the teacher rules, all rows written or none."""
import io
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from registry.errors import Forbidden
from registry.extensions import db
from registry.models import AuditEvent, Teacher
from registry.services.imports import import_teachers
from tests.app.factories import id_number
from tests.app.inputs import HEADERS, csv_bytes, row, with_wrong_check_digit, xlsx_bytes

TODAY = date(2024, 6, 1)
DATA = Path(__file__).parent / "data"
SCHOOL = "丹东市中等职业技术专业学校"


@pytest.fixture
def school(make):
    """Named as in the LibreOffice file in data/; the conftest's `hr` works there."""
    return make.school(name=SCHOOL)


def teachers() -> int:
    return db.session.scalar(select(func.count()).select_from(Teacher))


def run(actor, content: bytes, filename: str = "teachers.csv", **options):
    return import_teachers(actor, content, filename, TODAY, **options)


def test_a_csv_file_creates_one_teacher_per_row(hr):
    report = run(hr, csv_bytes([row(1, SCHOOL), row(2, SCHOOL)]))
    assert report.ok and report.written and (report.created, report.updated) == (2, 0)
    first = db.session.scalar(select(Teacher).where(Teacher.id_number == id_number(1)))
    assert (first.name, first.gender, first.course_type, first.post_type, first.hire_channel, first.education) == (
        "教师1", "female", "specialty", "fixed", "open", "bachelor"
    )
    assert first.hire_date == date(2022, 9, 1) and first.leadership is False and first.school_id == hr.school_id


@pytest.mark.parametrize("bom", [True, False])
def test_utf8_csv_is_read_with_or_without_a_byte_order_mark(hr, bom):
    assert run(hr, csv_bytes([row(1, SCHOOL)], bom=bom)).created == 1


def test_english_headers_are_accepted(hr):
    english = ["name", "id_number", "gender", "school", "course_type", "specialty", "post_type", "hire_date",
               "hire_channel", "education", "leadership"]
    assert run(hr, csv_bytes([row(1, SCHOOL)], headers=english)).created == 1


def test_the_columns_may_come_in_any_order(hr):
    order = list(reversed(range(len(HEADERS))))
    content = csv_bytes([[row(1, SCHOOL)[i] for i in order]], headers=[HEADERS[i] for i in order])
    assert run(hr, content).created == 1


@pytest.mark.parametrize(
    "changes, field, expected",
    [
        ({"课程类别": "specialty"}, "course_type", "specialty"),
        ({"课程类别": "实习指导教师"}, "course_type", "internship"),
        ({"课程类别": "公共基础课"}, "course_type", "general"),
        ({"岗位类型": "flowing"}, "post_type", "flowing"),
        ({"招聘方式": "直接考核"}, "hire_channel", "direct"),
        ({"招聘方式": "直接考核引进"}, "hire_channel", "direct"),
        ({"学历": "高职专科（大专）"}, "education", "associate"),
        ({"学历": "大专/高职专科"}, "education", "associate"),
        ({"学历": "中专"}, "education", "secondary"),
        ({"学历": "博士"}, "education", "doctor"),
        ({"学历": "Master"}, "education", "master"),
        ({"性别": "female"}, "gender", "female"),
        ({"领导班子": "是"}, "leadership", True),
        ({"领导班子": ""}, "leadership", False),
    ],
)
def test_coded_columns_take_chinese_labels_or_codes(hr, changes, field, expected):
    run(hr, csv_bytes([row(1, SCHOOL, **changes)]))
    assert getattr(db.session.scalar(select(Teacher)), field) == expected


@pytest.mark.parametrize(
    "text",
    ["2022-09-01", "2022/9/1", "2022.09.01", "2022.9.1", "2022年9月1日", " 2022-9-1 ", "2022 年 9 月 1 日", "20220901",
     "２０２２－０９－０１", "2022-09-01 00:00:00"],
)
def test_text_dates_are_read_in_the_usual_spellings(hr, text):
    run(hr, csv_bytes([row(1, SCHOOL, 入职日期=text)]))
    assert db.session.scalar(select(Teacher.hire_date)) == date(2022, 9, 1)


def test_excel_date_cells_and_text_dates_alike(hr):
    content = xlsx_bytes([
        row(1, SCHOOL, 入职日期=datetime(2021, 3, 1)),
        row(2, SCHOOL, 入职日期=date(2020, 9, 1)),
        row(3, SCHOOL, 入职日期="2019-09-01"),
    ])
    report = run(hr, content, "teachers.xlsx")
    assert report.ok, report.errors
    dates = dict(db.session.execute(select(Teacher.id_number, Teacher.hire_date)).all())
    assert dates == {id_number(1): date(2021, 3, 1), id_number(2): date(2020, 9, 1), id_number(3): date(2019, 9, 1)}


def test_an_xlsx_saved_by_libreoffice_imports(hr):
    """tests/app/data/teachers_libreoffice.xlsx was written by LibreOffice 7.4 Calc
    (`soffice --headless --convert-to xlsx` of a CSV): 入职日期 are real date cells, 身份证号 text cells."""
    report = run(hr, (DATA / "teachers_libreoffice.xlsx").read_bytes(), "teachers_libreoffice.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 3
    wang = db.session.scalar(select(Teacher).where(Teacher.name == "王芳"))
    assert (wang.hire_date, wang.course_type, wang.hire_channel, wang.education, wang.leadership) == (
        date(2019, 3, 15), "internship", "direct", "associate", True
    )


def test_a_sheet_that_declares_a_wrong_size_is_still_read_to_the_end(hr):
    """Some writers store <dimension ref="A1"/>; read-only openpyxl would otherwise stop at row 1."""
    content = xlsx_bytes([row(n, SCHOOL) for n in range(1, 4)])
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            zout.writestr(item, data)
    assert run(hr, target.getvalue(), "teachers.xlsx").created == 3


def test_only_the_first_sheet_is_imported_and_blank_rows_are_skipped(hr):
    content = csv_bytes([row(1, SCHOOL), [""] * len(HEADERS), row(2, SCHOOL)])
    report = run(hr, content)
    assert report.rows == 2 and report.created == 2


def test_a_row_whose_identity_number_exists_updates_that_teacher(hr, make, school):
    existing = make.teacher(school, id_number=id_number(1), name="旧名字", specialty="旧专业", left_date=date(2024, 1, 31))
    report = run(hr, csv_bytes([row(1, SCHOOL, 姓名="新名字"), row(2, SCHOOL)]))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    db.session.refresh(existing)
    assert existing.name == "新名字" and existing.specialty == "数控技术应用"
    assert existing.left_date == date(2024, 1, 31)  # not a column of the file: kept
    assert teachers() == 2


def test_an_update_from_a_file_without_the_leadership_column_keeps_the_stored_value(hr, make, school):
    leader = make.teacher(school, id_number=id_number(1), name="旧名字", leadership=True)
    headers = [h for h in HEADERS if h != "领导班子"]
    report = run(hr, csv_bytes([row(1, SCHOOL)[:-1], row(2, SCHOOL)[:-1]], headers=headers))
    assert report.ok and (report.created, report.updated) == (1, 1)
    db.session.refresh(leader)
    assert leader.leadership is True and leader.name == "教师1"
    newcomer = db.session.scalar(select(Teacher).where(Teacher.id_number == id_number(2)))
    assert newcomer.leadership is False


def test_a_blank_leadership_cell_still_means_no_on_an_update(hr, make, school):
    leader = make.teacher(school, id_number=id_number(1), leadership=True)
    assert run(hr, csv_bytes([row(1, SCHOOL, 领导班子="")])).updated == 1
    db.session.refresh(leader)
    assert leader.leadership is False


def test_a_row_identical_to_the_record_counts_as_unchanged_and_leaves_no_audit_event(hr):
    run(hr, csv_bytes([row(1, SCHOOL)]))
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    report = run(hr, csv_bytes([row(1, SCHOOL)]))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_an_update_may_not_move_the_hire_date_past_the_recorded_leaving_date(hr, make, school):
    make.teacher(school, id_number=id_number(1), hire_date=date(2020, 9, 1), left_date=date(2021, 7, 31))
    report = run(hr, csv_bytes([row(1, SCHOOL, 入职日期="2022-09-01")]))
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(2, "入职日期")]
    assert "离职日期不能早于入职日期" in report.errors[0].message


def test_every_create_and_update_writes_an_audit_event_with_the_importer_as_actor(hr, make, school):
    existing = make.teacher(school, id_number=id_number(1), name="旧名字")
    run(hr, csv_bytes([row(1, SCHOOL, 姓名="新名字"), row(2, SCHOOL)]))
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.entity, e.actor_id, e.school_id) for e in events] == [
        ("create", "teacher", hr.id, school.id), ("update", "teacher", hr.id, school.id)
    ]
    assert events[1].entity_id == existing.id
    # Only what changed is kept, before and after (the factory's teacher differs in these fields).
    assert events[1].changes == {
        "before": {"gender": "male", "hire_date": "2022-03-01", "name": "旧名字", "specialty": "数控技术"},
        "after": {"gender": "female", "hire_date": "2022-09-01", "name": "新名字", "specialty": "数控技术应用"},
    }
    assert events[0].changes["after"]["id_number"] == id_number(2) and events[0].changes["before"] is None


def test_one_bad_row_in_the_middle_of_a_thousand_writes_nothing(hr):
    rows = [row(n, SCHOOL) for n in range(1, 1001)]
    rows[499] = row(500, SCHOOL, 入职日期="2022-02-30")
    report = run(hr, csv_bytes(rows))
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(501, "入职日期")]
    assert teachers() == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


ROW_MISTAKES = [
    ({"身份证号": with_wrong_check_digit(id_number(1))}, "身份证号", "校验位不正确"),
    ({"身份证号": "21060219900101"}, "身份证号", "身份证号应为18位"),
    ({"身份证号": ""}, "身份证号", "必填项"),
    ({"姓名": ""}, "姓名", "不能为空"),
    ({"性别": "未知"}, "性别", "不认识的取值“未知”"),
    ({"课程类别": "专业"}, "课程类别", "不认识的取值"),
    ({"岗位类型": "临时岗"}, "岗位类型", "固定岗、流动岗"),
    ({"招聘方式": "推荐"}, "招聘方式", "公开招聘、直接考核"),
    ({"学历": "博士后"}, "学历", "不认识的取值"),
    ({"学历": ""}, "学历", "必填项"),
    ({"入职日期": "2022-13-01"}, "入职日期", "不是有效日期"),
    ({"入职日期": "九月一日"}, "入职日期", "不是有效日期"),
    ({"入职日期": "2099-09-01"}, "入职日期", "不能晚于一年以后"),
    ({"入职日期": ""}, "入职日期", "必填项"),
    ({"领导班子": "也许"}, "领导班子", "不认识的取值"),
    ({"学校": "不存在的学校"}, "学校", "没有名为“不存在的学校”的学校"),
    ({"专业": "专" * 51}, "专业", "太长"),
]


@pytest.mark.parametrize("changes, column, message", ROW_MISTAKES)
def test_a_bad_cell_is_reported_with_its_row_column_and_reason(hr, changes, column, message):
    report = run(hr, csv_bytes([row(1, SCHOOL), row(2, SCHOOL, **changes)]))
    assert not report.written and teachers() == 0
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert message in report.errors[0].message
    assert str(report.errors[0]).startswith(f"第 3 行，{column}：")


def test_every_bad_row_and_column_is_reported_not_only_the_first(hr):
    rows = [row(1, SCHOOL, 性别="?", 学历="?"), row(2, SCHOOL), row(3, SCHOOL, 入职日期="x")]
    report = run(hr, csv_bytes(rows))
    assert sorted((e.row, e.column) for e in report.errors) == [(2, "学历"), (2, "性别"), (4, "入职日期")]
    assert report.bad_rows == 2
    assert "2 行有误" in report.summary()


def test_an_identity_number_twice_in_the_file_is_a_bad_row(hr):
    report = run(hr, csv_bytes([row(1, SCHOOL), row(2, SCHOOL), row(1, SCHOOL, 姓名="重复")]))
    assert [(e.row, e.column, e.message) for e in report.errors] == [(4, "身份证号", "与第 2 行的身份证号重复")]


def test_the_same_identity_number_with_a_lower_case_x_is_still_a_duplicate(hr):
    number = next(n for n in (id_number(k) for k in range(200)) if n.endswith("X"))
    report = run(hr, csv_bytes([row(1, SCHOOL, 身份证号=number), row(2, SCHOOL, 身份证号=number.lower())]))
    assert [e.column for e in report.errors] == ["身份证号"]


def test_hr_may_not_import_a_row_of_another_school(hr, make):
    make.school(name="乙校")
    report = run(hr, csv_bytes([row(1, SCHOOL), row(2, "乙校")]))
    assert [(e.row, e.column) for e in report.errors] == [(3, "学校")]
    assert "只能导入本校" in report.errors[0].message and teachers() == 0


def test_hr_may_not_update_a_teacher_of_another_school_through_the_file(hr, make):
    other = make.school(name="乙校")
    make.teacher(other, id_number=id_number(1))
    report = run(hr, csv_bytes([row(1, SCHOOL)]))
    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "身份证号", "该身份证号已登记在其他学校的教师名下")]


def test_hr_may_leave_the_school_column_out(hr):
    headers = [h for h in HEADERS if h != "学校"]
    rows = [[v for h, v in zip(HEADERS, row(1, SCHOOL), strict=True) if h != "学校"]]
    assert run(hr, csv_bytes(rows, headers=headers)).created == 1


def test_the_command_line_operator_imports_into_the_school_each_row_names(make, school):
    other = make.school(name="乙校")
    report = run(None, csv_bytes([row(1, SCHOOL), row(2, "乙校")]))
    assert report.created == 2
    assert {t.school_id for t in db.session.scalars(select(Teacher))} == {school.id, other.id}


def test_without_a_school_to_default_to_the_school_column_is_required(make, school):
    headers = [h for h in HEADERS if h != "学校"]
    report = run(None, csv_bytes([], headers=headers))
    assert [str(e) for e in report.errors] == ["第 1 行：缺少列：学校"]


@pytest.mark.parametrize("role", ["teacher", "bureau", "admin"])
def test_only_hr_may_import_not_teachers_the_bureau_or_the_administrator(make, school, role):
    user = make.user(role, teacher=make.teacher(school) if role == "teacher" else None)
    with pytest.raises(Forbidden):
        run(user, csv_bytes([row(1, SCHOOL)]))


def test_a_dry_run_reports_the_counts_and_writes_nothing(hr, make, school):
    make.teacher(school, id_number=id_number(1), name="旧名字")
    report = run(hr, csv_bytes([row(1, SCHOOL), row(2, SCHOOL)]), dry_run=True)
    assert report.ok and not report.written and (report.created, report.updated) == (1, 1)
    assert "尚未写入" in report.summary()
    assert teachers() == 1 and db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


FILE_MISTAKES = [
    ("teachers.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 broken old excel", "无法读取该文件"),
    ("teachers.xls", b"not an excel file", "不是有效的 Excel 文件"),
    ("teachers.xlsx", b"not a zip file", "不是有效的 Excel 文件"),
    ("teachers.xlsx", b"PK\x03\x04broken", "无法读取该文件"),
    ("teachers.pdf", b"%PDF-1.4", "只能导入 Excel 或 WPS 表格"),
    ("teachers.csv", b"\x81\x20 neither UTF-8 nor GBK", "UTF-8、GBK 或 UTF-16"),
    ("teachers.csv", "姓名\x00".encode("utf-16-le"), "UTF-8、GBK 或 UTF-16"),
    ("teachers.csv", b"", "文件是空的"),
    ("teachers.csv", b"\n\n,,\n", "文件是空的"),
]


@pytest.mark.parametrize("filename, content, message", FILE_MISTAKES)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(hr, filename, content, message):
    report = run(hr, content, filename)
    assert not report.written and len(report.errors) == 1
    assert report.errors[0].row is None and message in report.errors[0].message


def test_missing_columns_refuse_the_file_and_unknown_columns_are_named_as_not_imported(hr):
    headers = ["姓名", "身份证号", "序号", "性别", "课程类别", "专业", "岗位类型", "入职日期", "学历"]
    report = run(hr, csv_bytes([], headers=headers))
    assert [str(e) for e in report.errors] == ["第 1 行：缺少列：招聘方式"]
    assert [(w.row, w.column) for w in report.warnings] == [(1, None)]
    assert "以下列不导入：序号" in report.warnings[0].message


def test_a_file_with_headers_only_is_refused(hr):
    report = run(hr, csv_bytes([]))
    assert [e.message for e in report.errors] == ["文件只有列名，没有教师数据。"]


def test_an_identity_number_stored_as_an_excel_number_is_explained(hr):
    content = xlsx_bytes([row(1, SCHOOL, 身份证号=2.10602196001011e17)])
    report = run(hr, content, "teachers.xlsx")
    assert [e.column for e in report.errors] == ["身份证号"] and "文本" in report.errors[0].message


def test_a_date_typed_as_a_plain_number_is_explained(hr):
    report = run(hr, xlsx_bytes([row(1, SCHOOL, 入职日期=44805)]), "teachers.xlsx")
    assert [e.column for e in report.errors] == ["入职日期"] and "日期格式" in report.errors[0].message


def test_the_downloadable_template_has_the_columns_of_the_contract(hr, client, login):
    response = login(hr).get("/imports/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.data))
    assert [c.value for c in workbook.worksheets[0][1]] == HEADERS
    assert "填写说明" in workbook.sheetnames
    # Filled in and sent back, the template imports.
    sheet = workbook.worksheets[0]
    sheet.append(row(1, SCHOOL))
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert run(hr, buffer.getvalue(), "教师批量导入模板.xlsx").created == 1


def test_five_thousand_rows_import_in_one_go(hr):
    """How long it takes is the benchmark's business, not a test's."""
    report = run(hr, xlsx_bytes([row(n, SCHOOL) for n in range(1, 5001)]), "teachers.xlsx")
    assert report.ok and report.created == 5000
    assert teachers() == 5000 and db.session.scalar(select(func.count()).select_from(AuditEvent)) == 5000


SHARED_CASES = Path(__file__).resolve().parents[3] / "shared" / "cases" / "spreadsheets"


def shared_case(name: str) -> bytes:
    """A real-world file from ../shared/cases/spreadsheets (its README says what the user expects of it)."""
    return (SHARED_CASES / name).read_bytes()


def test_an_identity_number_typed_in_full_width_digits_updates_the_teacher_it_names(hr, make, school):
    existing = make.teacher(school, id_number="210603198503120037", name="王立新")
    report = run(hr, shared_case("04_id_fullwidth_digits_existing.csv"), "04_id_fullwidth_digits_existing.csv")
    assert report.ok and (report.created, report.updated + report.unchanged) == (0, 1), report
    assert teachers() == 1
    db.session.refresh(existing)
    assert existing.id_number == "210603198503120037"


def test_one_person_in_full_width_and_in_ascii_digits_is_one_teacher(hr, school):
    first = run(hr, shared_case("04b_id_fullwidth_digits_new.csv"), "04b_id_fullwidth_digits_new.csv")
    second = run(hr, shared_case("04c_id_ascii_twin_of_fullwidth.csv"), "04c_id_ascii_twin_of_fullwidth.csv")
    assert first.ok and second.ok and (first.created, second.created) == (1, 0)
    assert teachers() == 1


@pytest.mark.parametrize("typed", ["２１０６０２１９９２０２０２０３３ｘ", " 210602 19920202033x\u200b", "\ufeff21060219920202033X\u3000"])
def test_identity_numbers_are_stored_in_one_form_however_they_were_typed(typed):
    from registry.schemas.id_numbers import parse_id_number

    assert parse_id_number(typed) == "21060219920202033X"


@pytest.mark.filterwarnings("ignore:Workbook contains no default style:UserWarning")
def test_excels_escaped_carriage_returns_are_undone_and_the_stray_line_breaks_removed(hr, school):
    report = run(hr, shared_case("25_excel_escaped_cr_x000D.xlsx"), "25_excel_escaped_cr_x000D.xlsx")
    assert report.ok and report.created == 2, report
    stored = dict(db.session.execute(select(Teacher.name, Teacher.specialty)).all())
    assert stored == {"回车甲": "数控技术应用", "回车乙": "数控技术"}


def test_an_escaped_underscore_keeps_the_text_that_follows_it():
    from registry.services.import_cells import cell_text

    assert cell_text("A_x005F_x000D_B") == "A_x000D_B"


def test_a_csv_saved_by_chinese_excel_in_gbk_is_read(hr, school):
    report = run(hr, shared_case("13_csv_gbk_excel_default.csv"), "13_csv_gbk_excel_default.csv")
    assert report.ok and report.created == 1, report
    assert db.session.scalar(select(Teacher.name)) == "国标甲"


@pytest.mark.parametrize("encoding", ["utf-16", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_every_encoding_offices_use_and_tab_separated_reads_alike(hr, encoding):
    text = csv_bytes([row(1, SCHOOL, 姓名="张晓明")]).decode("utf-8-sig").replace(",", "\t")
    report = run(hr, text.encode(encoding), "teachers.csv")
    assert report.ok and report.created == 1, report
    assert db.session.scalar(select(Teacher.name)) == "张晓明"


def test_the_visible_active_sheet_is_imported_never_a_hidden_one(hr, school):
    report = run(hr, shared_case("18_xlsx_hidden_first_sheet_stale.xlsx"), "18_xlsx_hidden_first_sheet_stale.xlsx")
    assert report.ok, report
    hidden_roster = load_workbook(SHARED_CASES / "18_xlsx_hidden_first_sheet_stale.xlsx")["去年名单"]
    last_years = {row[1] for row in hidden_roster.iter_rows(min_row=2, values_only=True) if row[1]}
    stored = set(db.session.scalars(select(Teacher.id_number)))
    assert stored and not stored & last_years


def test_the_header_row_is_found_below_a_merged_title_row(hr, school):
    report = run(hr, shared_case("19_title_row_merged_above_header.xlsx"), "19_title_row_merged_above_header.xlsx")
    assert report.ok and report.created >= 1, report


def test_a_title_and_a_note_above_the_header_are_skipped_and_errors_name_the_real_rows(hr):
    content = ("丹东市某校专业教师花名册\n填表人：人事科\n" + csv_bytes([row(1, SCHOOL, 入职日期="入职那天")]).decode("utf-8-sig")).encode()
    report = run(hr, content)
    assert [(e.row, e.column) for e in report.errors] == [(4, "入职日期")]


def test_without_a_recognisable_header_the_first_row_is_named_in_the_error(hr):
    report = run(hr, "甲,乙\n1,2\n".encode())
    assert report.errors and report.errors[0].row == 1 and "不认识的列名" in report.errors[0].message


def test_a_whole_number_shown_as_a_date_reads_as_that_date(hr):
    report = run(hr, xlsx_bytes([row(1, SCHOOL, 入职日期=20210901), row(2, SCHOOL, 入职日期=20210901.0)]), "teachers.xlsx")
    assert report.ok, report.errors
    assert set(db.session.scalars(select(Teacher.hire_date))) == {date(2021, 9, 1)}


@pytest.mark.parametrize(
    "cell, message",
    [(20210231, "不是有效日期"), (44805.5, "是数字而不是日期"), ("2021年9月", "只有年月，缺少日"), (time(8, 30), "不是有效日期：单元格里是时刻 08:30")],
)
def test_a_date_cell_that_cannot_be_a_full_date_gets_a_row_message(hr, cell, message):
    report = run(hr, xlsx_bytes([row(1, SCHOOL, 入职日期=cell)]), "teachers.xlsx")
    assert [(e.row, e.column) for e in report.errors] == [(2, "入职日期")] and message in report.errors[0].message


def test_date_cells_in_the_chinese_built_in_and_custom_formats_read_as_the_date_shown(hr, school):
    """Case 10: 年月日, 月日 and 年月 built-in formats, yyyy.mm.dd, [DBNum1], and 20210901 shown as 2021-09-01."""
    report = run(hr, shared_case("10_date_cells_cn_builtin_numfmt.xlsx"), "10_date_cells_cn_builtin_numfmt.xlsx")
    assert report.ok and report.created == 8, report.errors
    assert set(db.session.scalars(select(Teacher.hire_date))) == {date(2021, 9, 1)}


def test_extra_columns_are_ignored_and_named_in_the_report(hr, school):
    """Case 21: 序号, 民族, 联系电话 and 备注 beside the template's columns."""
    report = run(hr, shared_case("21_extra_columns_xuhao_minzu_beizhu.csv"), "21_extra_columns_xuhao_minzu_beizhu.csv")
    assert report.ok and report.written and report.created >= 1, report.errors
    ignored = [w for w in report.warnings if w.column is None]
    assert [w.row for w in ignored] == [1]
    assert "以下列不导入：序号、民族、联系电话、备注" in ignored[0].message


@pytest.mark.parametrize(
    "renamed",
    [
        {"身份证号": "身份证号码"}, {"身份证号": "公民身份号码"}, {"身份证号": "证件号码"}, {"入职日期": "参加工作时间"},
        {"入职日期": "入职时间"}, {"入职日期": "到校时间"}, {"性别": "性 别"}, {"专业": "所教专业"}, {"专业": "专业名称"},
        {"学历": "最高学历"}, {"学历": "学历层次"}, {"岗位类型": "岗位性质"}, {"领导班子": "是否领导班子成员"},
        {"学校": "学校名称"}, {"学校": "单位"}, {"姓名": "*姓名"}, {"姓名": "＊姓名"}, {"姓名": "姓名*"},
        {"姓名": "\u3000姓名 "}, {"学历": "ＥＤＵＣＡＴＩＯＮ"}, {"领导班子": "领导班子成员"},
    ],
)
def test_headers_are_matched_after_spaces_marks_and_common_synonyms(hr, renamed):
    headers = [renamed.get(h, h) for h in HEADERS]
    report = run(hr, csv_bytes([row(1, SCHOOL, 领导班子="是")], headers=headers))
    assert report.ok and report.created == 1 and not [w for w in report.warnings if w.row == 1], report.errors
    teacher = db.session.scalar(select(Teacher))
    assert (teacher.id_number, teacher.hire_date, teacher.specialty, teacher.leadership) == (
        id_number(1), date(2022, 9, 1), "数控技术应用", True
    )


def test_synonyms_and_marks_let_a_titled_header_row_be_found(hr):
    headers = ["*姓名", "身份证号码", "性别", "学校", "课程类别", "所教专业", "岗位性质", "参加工作时间", "招聘方式", "最高学历", "领导班子"]
    content = ("教师花名册\n" + csv_bytes([row(1, SCHOOL)], headers=headers).decode()).encode()
    report = run(hr, content)
    assert report.ok and report.created == 1, report.errors


@pytest.mark.parametrize(
    "extra, message",
    [
        ("身份证号码", "列“身份证号”和“身份证号码”都可作为“身份证号”，请删去一列"),
        ("id_number", "列“身份证号”和“id_number”都可作为“身份证号”，请删去一列"),
        ("身份证号", "列名重复"),
    ],
)
def test_a_column_named_twice_even_by_a_synonym_refuses_the_file_and_says_which(hr, extra, message):
    report = run(hr, csv_bytes([[*row(1, SCHOOL), id_number(2)]], headers=[*HEADERS, extra]))
    assert not report.written and teachers() == 0
    assert [e.row for e in report.errors] == [1] and message in report.errors[0].message


def test_two_synonyms_of_one_column_are_a_clash_too(hr):
    headers = [{"身份证号": "身份证号码"}.get(h, h) for h in HEADERS] + ["证件号码"]
    report = run(hr, csv_bytes([[*row(1, SCHOOL), id_number(1)]], headers=headers))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (1, "身份证号", "列“身份证号码”和“证件号码”都可作为“身份证号”，请删去一列")
    ]


@pytest.mark.parametrize("typed", ["　ｆｉｘｅｄ\u200b", "ＦＩＸＥＤ", "固定岗\u3000", "\ufeff固定岗"])
def test_coded_cells_are_read_after_full_width_and_invisible_characters_are_undone(hr, typed):
    assert run(hr, csv_bytes([row(1, SCHOOL, 岗位类型=typed)])).created == 1
    assert db.session.scalar(select(Teacher.post_type)) == "fixed"


def test_an_identity_number_in_scientific_notation_is_refused_saying_the_column_must_be_text(hr):
    report = run(hr, csv_bytes([row(1, SCHOOL, 身份证号="2.10602E+17")]))
    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号")]
    assert "科学计数法" in report.errors[0].message and "文本" in report.errors[0].message
