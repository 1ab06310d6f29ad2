"""Reading import files: every workbook format an office has, the sheets as the user sees them, refusals in Chinese.

The fixtures in data/imports/ were made by data/imports/make_fixtures.py (LibreOffice, openpyxl, msoffcrypto-tool)
or copied from calamine's tests; CI reads the committed files.
"""
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from registry.extensions import db
from registry.models import Teacher
from registry.services.import_files import FileRefused, open_workbook, read_table
from registry.services.imports import import_teachers
from tests.app.test_import import shared_case

TODAY = date(2024, 6, 1)
DATA = Path(__file__).parent / "data" / "imports"
SCHOOL = "丹东市中等职业技术专业学校"
ROSTER = [  # name, identity number, 入职日期 of the 教师 sheet of data/imports/roster.*
    ("格式甲", "210602198505054014", date(2021, 9, 1)),
    ("格式乙", "210602198606064027", date(2019, 3, 15)),
    ("格式丙", "21060219870707403X", date(2020, 9, 1)),
]


@pytest.fixture
def school(make):
    """Named as in the shared cases; the conftest's `hr` works there."""
    return make.school(name=SCHOOL)


def fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


def refusal(content: bytes, filename: str, sheet: str | None = None) -> str:
    with pytest.raises(FileRefused) as caught:
        read_table(content, filename, sheet=sheet)
    return caught.value.message


@pytest.mark.parametrize("name", ["roster.xlsx", "roster.xls", "roster.ods"])
def test_every_workbook_format_reads_the_same_rows_with_dates_as_dates(ctx, name):
    table = open_workbook(fixture(name), name).table("教师", is_header=lambda cells: cells[0] == "姓名")
    assert table.header_number == 2 and table.header[:2] == ["姓名", "身份证号"]
    assert [(number, cells[0], cells[1], cells[7]) for number, cells in table.rows] == [
        (number, *teacher) for number, teacher in zip((3, 4, 5), ROSTER, strict=True)
    ]


@pytest.mark.parametrize("name", ["roster.xlsx", "roster.xls"])
def test_merged_cells_give_their_value_to_every_cell_they_cover(ctx, name):
    table = open_workbook(fixture(name), name).table("教师", is_header=lambda cells: cells[0] == "姓名")
    assert [cells[5] for _number, cells in table.rows] == ["汽车运用与维修", "汽车运用与维修", "语文"]
    title = open_workbook(fixture(name), name).table("教师").header
    assert title[:11] == ["丹东市中等职业技术专业学校2024年教师花名册"] * 11


def test_a_vertically_merged_specialty_reaches_every_teacher_it_covers(hr):
    report = import_teachers(hr, shared_case("37_vertically_merged_specialty_cells.xlsx"), "37.xlsx", TODAY)
    assert report.ok and report.created == 3, report
    stored = db.session.execute(select(Teacher.specialty, Teacher.course_type)).all()
    assert sorted(stored) == [("汽车运用与维修", "specialty")] * 3


@pytest.mark.parametrize("name", ["roster.xlsx", "roster.xls", "roster.ods"])
def test_hidden_sheets_are_named_apart_and_never_offered(ctx, name):
    book = open_workbook(fixture(name), name)
    assert (book.sheets, book.hidden) == (["说明", "教师"], ["去年名单"])


def test_asking_for_a_hidden_sheet_by_name_is_refused_saying_how_to_unhide_it(ctx):
    message = refusal(shared_case("18_xlsx_hidden_first_sheet_stale.xlsx"), "18.xlsx", sheet="去年名单")
    assert "工作表“去年名单”是隐藏的" in message and "取消隐藏" in message


def test_the_stale_hidden_first_sheet_is_not_the_default(ctx):
    book = open_workbook(shared_case("18_xlsx_hidden_first_sheet_stale.xlsx"), "18.xlsx")
    assert (book.sheets, book.hidden, book.default) == (["教师"], ["去年名单"], "教师")
    assert book.table(book.default).rows[0][1][0] == "新数据甲"


def test_the_default_is_the_active_sheet_not_the_first_visible_one(ctx):
    assert open_workbook(fixture("roster.xlsx"), "roster.xlsx").default == "教师"


def test_an_ods_opens_on_the_active_table_its_settings_name(ctx):
    source, target = io.BytesIO(fixture("roster.ods")), io.BytesIO()
    view = ('<config:config-item-set config:name="ooo:view-settings"><config:config-item-map-indexed config:name="Views">'
            '<config:config-item-map-entry><config:config-item config:name="ActiveTable" config:type="string">教师'
            "</config:config-item></config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set>")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "settings.xml":
                data = data.replace(b"<office:settings>", b"<office:settings>" + view.encode())
            zout.writestr(item, data)
    assert open_workbook(fixture("roster.ods"), "roster.ods").default == "说明"  # LibreOffice headless wrote no view
    assert open_workbook(target.getvalue(), "roster.ods").default == "教师"


def test_an_xls_opens_on_its_first_visible_sheet_as_the_reader_cannot_tell_the_active_one(ctx):
    assert open_workbook(fixture("roster.xls"), "roster.xls").default == "说明"


def test_a_named_visible_sheet_can_be_chosen_and_an_unknown_one_is_named_in_the_refusal(ctx):
    assert read_table(fixture("roster.xlsx"), "roster.xlsx", sheet="说明").header == ["本工作簿的“教师”表是今年的名单。"]
    assert refusal(fixture("roster.xlsx"), "roster.xlsx", sheet="教职工") == "文件中没有名为“教职工”的工作表。可选的工作表：说明、教师"


def test_an_xlsb_offers_only_its_visible_worksheets_and_reads_dates_as_dates(ctx):
    book = open_workbook(fixture("calamine_any_sheets.xlsb"), "any_sheets.xlsb")
    assert (book.sheets, book.hidden, book.default) == (["Visible"], ["Hidden", "VeryHidden"], "Visible")  # no chart sheet
    table = read_table(fixture("calamine_date.xlsb"), "date.xlsb")
    assert table.header == [date(2021, 1, 1), 15.0] and table.rows[0] == (2, [date(2021, 1, 2), 16.0])


def test_a_strict_open_xml_workbook_imports(hr):
    report = import_teachers(hr, shared_case("17_xlsx_strict_ooxml.xlsx"), "17_xlsx_strict_ooxml.xlsx", TODAY)
    assert report.ok and report.created == 1, report


def test_date_cells_in_chinese_formats_come_as_dates_and_a_typed_number_as_that_number(ctx):
    table = read_table(shared_case("10_date_cells_cn_builtin_numfmt.xlsx"), "10.xlsx")
    hired = [cells[table.header.index("入职日期")] for _number, cells in table.rows]
    assert hired == [date(2021, 9, 1)] * 7 + [20210901]


def test_rows_are_numbered_as_in_the_file_when_the_data_starts_below_and_right_of_a1(ctx):
    workbook = Workbook()
    workbook.active["C3"], workbook.active["D3"], workbook.active["C5"] = "姓名", "身份证号", "甲"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "shifted.xlsx")
    assert (table.header_number, table.header, table.rows) == (3, [None, None, "姓名", "身份证号"], [(5, [None, None, "甲", None])])


def test_a_value_typed_far_away_is_refused_before_the_sheet_is_read(ctx):
    workbook = Workbook()
    workbook.active["A1"], workbook.active["XFD1048576"] = "姓名", "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "第 1048576 行、第 16384 列" in refusal(buffer.getvalue(), "far.xlsx")


@pytest.mark.parametrize("name", ["roster_password.xlsx", "calamine_pass_protected.xlsb", "calamine_pass_protected.ods"])
def test_a_password_protected_workbook_is_refused_saying_to_remove_the_password(ctx, name):
    assert "设置了打开密码" in refusal(fixture(name), name) and "取消密码" in refusal(fixture(name), name)


@pytest.mark.parametrize("content, filename", [
    (fixture("roster.xlsx"), "roster.csv"),
    (fixture("roster.xls"), "roster.xlsx"),
    (fixture("roster.ods"), "roster.xls"),
])
def test_a_workbook_whose_extension_lies_is_read_by_what_it_is(ctx, content, filename):
    assert open_workbook(content, filename).table("教师").rows[1][1][0] == "格式甲"


@pytest.mark.parametrize("content, filename, message", [
    (fixture("roster.xlsx")[:3000], "roster.xlsx", "无法读取该文件：文件已损坏"),
    (fixture("roster.xls")[:3000], "roster.xls", "无法读取该文件：文件已损坏"),
    (fixture("roster.ods")[:-200], "roster.ods", "无法读取该文件：文件已损坏"),
    (b"just text", "roster.xls", "不是有效的 Excel 文件"),
    (b"\x89PNG\r\n\x1a\n", "photo.png", "只能导入 Excel 或 WPS 表格"),
])
def test_a_corrupt_or_disguised_file_is_refused_in_chinese(ctx, content, filename, message):
    assert message in refusal(content, filename)


def test_a_zip_that_is_no_spreadsheet_is_refused_as_such(ctx):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "不是电子表格" in refusal(buffer.getvalue(), "教师.xlsx")


def test_a_csv_field_beyond_the_csv_limit_is_refused_in_chinese_naming_its_row(hr):
    report = import_teachers(hr, shared_case("26b_csv_field_over_128k.csv"), "26b.csv", TODAY)
    assert not report.written and len(report.errors) == 1
    message = report.errors[0].message
    assert "第 2 行" in message and "引号" in message and not re.search(r"field|limit|larger", message)  # not csv.Error's English


def test_a_csv_is_one_sheet_named_by_the_file(ctx):
    book = open_workbook("姓名,身份证号\n甲,\n".encode(), "本校教师.csv")
    assert (book.sheets, book.hidden, book.default) == (["本校教师"], [], "本校教师")
    assert book.table("本校教师").rows == [(2, ["甲", None])]
