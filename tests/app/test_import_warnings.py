"""Warnings of the import: valid rows that are probably not what the user meant are imported, and named first."""
from datetime import date

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import Teacher
from registry.services.imports import import_teachers
from tests.app.factories import id_number
from tests.app.inputs import csv_bytes, row, xlsx_bytes
from tests.app.test_import import SCHOOL, shared_case

TODAY = date(2024, 6, 1)


@pytest.fixture
def school(make):
    return make.school(name=SCHOOL)


def run(actor, content: bytes, filename: str = "teachers.csv", **options):
    return import_teachers(actor, content, filename, TODAY, **options)


def agreeing_row(n: int, **changes) -> list:
    """A row whose 性别 is the one its identity number gives (id_number(n)'s 17th digit is n's last digit)."""
    return row(n, SCHOOL, **{"性别": "男" if n % 2 else "女", **changes})


def teachers() -> int:
    return db.session.scalar(select(func.count()).select_from(Teacher))


def test_a_row_that_agrees_with_its_identity_number_gets_no_warning(hr):
    report = run(hr, csv_bytes([agreeing_row(1), agreeing_row(2)]))
    assert report.written and report.warnings == []


@pytest.mark.parametrize(
    "changes, column, message",
    [
        ({"身份证号": "210602198801011000", "性别": "女"}, "身份证号", "身份证号末三位为 000，可能被 Excel 按数字截断，请核对原始证件号"),
        ({"性别": "女"}, "性别", "性别“女”与身份证号第 17 位（奇数为男，偶数为女）所示的“男”不符"),
        ({"入职日期": "1975-12-31"}, "入职日期", "入职日期早于本人年满 16 周岁的日期（1976-01-02，按身份证号推算）"),
        ({"身份证号": id_number(1, born="19400101"), "入职日期": "1964-05-31"}, "入职日期", "入职日期在 60 年以前（早于 1964-06-01）"),
    ],
)
def test_each_warning_names_its_row_column_and_person_and_the_import_still_goes_ahead(hr, changes, column, message):
    report = run(hr, csv_bytes([agreeing_row(1, **changes)]))
    assert report.ok and report.written and teachers() == 1
    assert [(w.row, w.column) for w in report.warnings] == [(2, column)]
    assert report.warnings[0].message.startswith(f"教师1：{message}")


@pytest.mark.parametrize("hired", ["1976-01-02", "1964-06-01"])
def test_the_sixteenth_birthday_and_sixty_years_ago_are_themselves_no_cause_for_a_warning(hr, hired):
    born = "19600102" if hired == "1976-01-02" else "19400101"
    report = run(hr, csv_bytes([agreeing_row(1, 身份证号=id_number(1, born=born), 入职日期=hired)]))
    assert report.written and report.warnings == []


def test_the_dry_run_shows_the_warnings_and_writes_nothing(hr):
    rows = [agreeing_row(1), agreeing_row(2, 性别="男"), agreeing_row(3, 入职日期="1970-09-01")]
    report = run(hr, csv_bytes(rows), dry_run=True)
    assert report.ok and not report.written and teachers() == 0
    assert [(w.row, w.column) for w in report.warnings] == [(3, "性别"), (4, "入职日期")]


def test_a_row_with_an_error_is_refused_and_not_also_warned_about(hr):
    report = run(hr, csv_bytes([agreeing_row(1, 性别="女", 学历="博士后")]))
    assert [(e.row, e.column) for e in report.errors] == [(2, "学历")] and report.warnings == []


def test_identity_numbers_excel_cut_to_000_in_a_csv_are_warned_about_or_refused_saying_why(hr, school):
    """Case 02, a CSV saved from a numeric column: row 2's check digit happens to fit (a warning), row 3's does not."""
    report = run(hr, shared_case("02_id_excel_truncated_000.csv"), "02_id_excel_truncated_000.csv", dry_run=True)
    assert [(e.row, e.column) for e in report.errors] == [(3, "身份证号")]
    assert "可能已被 Excel 按数字截断" in report.errors[0].message and "文本" in report.errors[0].message
    cut = [w for w in report.warnings if w.column == "身份证号"]
    assert [w.row for w in cut] == [2] and "可能被 Excel 按数字截断，请核对原始证件号" in cut[0].message


def test_an_identity_number_from_a_number_cell_is_read_as_excel_shows_it_and_warned_about(hr):
    """Excel keeps 15 significant digits: 210602198801011234 typed into a number cell is 2.10602198801011E+17."""
    report = run(hr, xlsx_bytes([agreeing_row(1, 身份证号=2.10602198801011234e17, 性别="女")]), "teachers.xlsx")
    assert report.written and db.session.scalar(select(Teacher.id_number)) == "210602198801011000"
    assert [(w.row, w.column) for w in report.warnings] == [(2, "身份证号")]


def test_a_cut_number_cell_whose_check_digit_fails_is_refused_saying_excel_probably_cut_it(hr):
    report = run(hr, xlsx_bytes([agreeing_row(1, 身份证号=2.10602199001021234e17)]), "teachers.xlsx")
    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号")]
    assert "可能已被 Excel 截断" in report.errors[0].message and "文本" in report.errors[0].message
