"""The CSV and Excel exports hold exactly the filtered list, row for row, with a header block."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from registry.extensions import db
from registry.models import EmploymentRecord, Teacher
from registry.presenters import masked_id_number
from registry.services.compliance_list import iter_rows, parse_filters
from registry.services.compliance_list.scan import STREAM_ROWS
from tests.app.factories import AUDIT_AS_OF as AS_OF
from tests.app.factories import AUDIT_EXPECTED as EXPECTED
from tests.app.factories import id_number

HEADER = "系统编号"


def read_csv(body: bytes) -> tuple[list[list[str]], list[dict[str, str]]]:
    assert body.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    start = next(i for i, line in enumerate(lines) if line and line[0] == HEADER)
    header, data = lines[start], lines[start + 1:]
    return lines[:start], [dict(zip(header, line, strict=True)) for line in data]


def read_xlsx(body: bytes) -> tuple[list[tuple], list[dict]]:
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    lines = list(sheet.iter_rows(values_only=True))
    start = next(i for i, line in enumerate(lines) if line and line[0] == HEADER)
    header, data = lines[start], lines[start + 1:]
    return lines[:start], [dict(zip(header, line, strict=True)) for line in data]


def expected_rows(user, filters: dict):
    return list(iter_rows(user, parse_filters({"as_of": AS_OF.isoformat(), **filters})))


FILTER_SETS = [
    {},
    {"county": "东港市", "rule": "practice", "status": "behind"},
    {"previous": "failed"},
    {"sort": "-needed", "in_office": "1"},
    {"q": "甲", "sort": "practice"},
]


@pytest.mark.parametrize("filters", FILTER_SETS)
def test_the_csv_matches_the_list_row_for_row(audit_world, login, filters):
    bureau = audit_world["users"]["bureau"]
    response = login(bureau).get("/bureau/compliance.csv", query_string={"as_of": AS_OF.isoformat(), **filters})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    _head, data = read_csv(response.data)
    wanted = expected_rows(bureau, filters)
    assert [int(line["系统编号"]) for line in data] == [r.teacher_id for r in wanted]
    for line, row in zip(data, wanted, strict=True):
        assert line["姓名"] == row.name and line["学校"] == row.school
        assert line["招聘资格"] == row.hire.label
        assert line["企业实践"] == row.practice.label
        assert line["全员轮训"] == row.training.label
        assert line["入职日期"] == row.hire_date.isoformat()
        assert (float(line["本周期已完成（月）"]) if line["本周期已完成（月）"] else None) == row.practice_months


@pytest.mark.parametrize("filters", FILTER_SETS)
def test_the_xlsx_matches_the_list_row_for_row(audit_world, login, filters):
    bureau = audit_world["users"]["bureau"]
    response = login(bureau).get("/bureau/compliance.xlsx", query_string={"as_of": AS_OF.isoformat(), **filters})
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    _head, data = read_xlsx(response.data)
    wanted = expected_rows(bureau, filters)
    assert [line["系统编号"] for line in data] == [r.teacher_id for r in wanted]
    for line, row in zip(data, wanted, strict=True):
        assert (line["姓名"], line["招聘资格"], line["企业实践"]) == (row.name, row.hire.label, row.practice.label)
        assert line["入职日期"] == datetime.combine(row.hire_date, datetime.min.time())
        assert line["尚需（月）"] == row.practice_needed


def test_the_header_block_states_the_date_the_filters_and_the_policy_version(audit_world, login):
    client = login(audit_world["users"]["bureau"])
    school = audit_world["schools"]["乙"]
    query = {"as_of": AS_OF.isoformat(), "school_id": school.id, "rule": "practice", "status": "behind", "previous": "failed"}
    head, _data = read_csv(client.get("/bureau/compliance.csv", query_string=query).data)
    text = "\n".join(",".join(line) for line in head)
    assert "2026-11-28" in text
    assert "乙校" in text and "企业实践" in text and "进度落后" in text and "上一周期未达标" in text
    assert "自 2021-01-01 起施行的版本" in text and "10 个月" in text
    xhead, _ = read_xlsx(client.get("/bureau/compliance.xlsx", query_string=query).data)
    assert [cell for line in xhead for cell in line if cell] == [cell for line in head for cell in line if cell]


def test_the_header_names_the_version_in_force_on_the_as_of_date(audit_world, make, login):
    make.policy_version("2026-01-01", practice_required_months=6, note="国家标准")
    client = login(audit_world["users"]["bureau"])
    head_before, _ = read_csv(client.get("/bureau/compliance.csv?as_of=2025-12-31").data)
    head_after, _ = read_csv(client.get("/bureau/compliance.csv?as_of=2026-01-01").data)
    assert any("自 2021-01-01 起施行" in cell for line in head_before for cell in line)
    assert any("自 2026-01-01 起施行" in cell and "6 个月" in cell for line in head_after for cell in line)


def test_school_hr_exports_only_the_own_school_and_a_teacher_nothing(audit_world, login, client):
    _head, data = read_csv(login(audit_world["users"]["hr"]).get(f"/bureau/compliance.csv?as_of={AS_OF}").data)
    assert {line["姓名"] for line in data} == {"甲一", "甲二", "甲三"}
    client.post("/logout")
    assert login(audit_world["users"]["teacher"]).get("/bureau/compliance.csv").status_code == 403
    assert client.get("/bureau/compliance.xlsx").status_code == 403


def test_an_export_with_a_bad_filter_is_refused_not_guessed(audit_world, login):
    response = login(audit_world["users"]["bureau"]).get("/bureau/compliance.csv?rule=practice&status=compliant")
    assert response.status_code == 400


def test_the_exports_are_streamed(audit_world, login):
    client = login(audit_world["users"]["bureau"])
    for path in ("/bureau/compliance.csv", "/bureau/compliance.xlsx"):
        response = client.get(path)
        assert response.is_streamed
        assert response.headers["Cache-Control"] == "no-store"
        assert response.data  # consumed inside the test, so the stream closes in its own context
        response.close()


def test_a_list_longer_than_one_chunk_is_exported_whole_and_in_order(audit_world, login):
    school = audit_world["schools"]["丙"]
    many = STREAM_ROWS + 37
    teachers = [
        Teacher(school=school, name=f"批量{n:04d}", id_number=id_number(born="19880101", region=f"21{n % 10000:04d}"),
                gender="female", course_type="specialty", specialty="会计", post_type="fixed",
                hire_date=date(2022, 1, 1), hire_channel="open", education="bachelor")
        for n in range(many)
    ]
    db.session.add_all(teachers)
    db.session.flush()
    db.session.add_all(EmploymentRecord(teacher_id=t.id, employer="某企业", employer_type="enterprise", position="",
                                        start=date(2015, 1, 1), end=date(2021, 12, 31)) for t in teachers)
    db.session.commit()
    bureau = audit_world["users"]["bureau"]
    _head, data = read_csv(login(bureau).get(f"/bureau/compliance.csv?as_of={AS_OF}&sort=-practice_months").data)
    assert len(data) == many + len(EXPECTED)
    assert [int(line["系统编号"]) for line in data] == [r.teacher_id for r in expected_rows(bureau, {"sort": "-practice_months"})]
    assert sum(line["专业"] == "会计" and line["招聘资格"] == "符合" for line in data) == many


def test_text_that_would_run_as_a_formula_is_written_as_plain_text(make, login):
    school = make.school(name="=HYPERLINK(\"http://x\")校")
    make.teacher(school, name="+1+2", specialty="@SUM(A1)")
    make.teacher(school, name="-3", specialty="数控技术")
    client = login(make.user("bureau"))
    query = {"as_of": AS_OF.isoformat(), "sort": "name"}
    _head, data = read_csv(client.get("/bureau/compliance.csv", query_string=query).data)
    assert sorted((line["姓名"], line["学校"], line["专业"]) for line in data) == [
        ("'+1+2", "'=HYPERLINK(\"http://x\")校", "'@SUM(A1)"),
        ("'-3", "'=HYPERLINK(\"http://x\")校", "数控技术"),
    ]
    _xhead, xdata = read_xlsx(client.get("/bureau/compliance.xlsx", query_string=query).data)
    assert sorted((line["姓名"], line["专业"]) for line in xdata) == [("'+1+2", "'@SUM(A1)"), ("'-3", "数控技术")]
    assert all(line["系统编号"] > 0 for line in xdata)  # numbers stay numbers



@pytest.mark.parametrize(("role", "masked"), [("bureau", True), ("admin", False)])
def test_the_exports_give_the_identity_number_masked_for_the_roles_that_see_it_masked(audit_world, login, role, masked):
    teacher = next(iter(audit_world["teachers"].values()))
    response = login(audit_world["users"][role]).get("/bureau/compliance.csv", query_string={"as_of": AS_OF.isoformat()})
    _head, data = read_csv(response.data)
    shown = next(line["身份证号"] for line in data if int(line[HEADER]) == teacher.id)
    assert shown == (masked_id_number(teacher.id_number) if masked else teacher.id_number)


def test_the_xlsx_export_keeps_its_column_titles_in_view_with_a_filter_and_widths(audit_world, login):
    response = login(audit_world["users"]["bureau"]).get("/bureau/compliance.xlsx", query_string={"as_of": AS_OF.isoformat()})
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    titles = next(row for row in sheet.iter_rows() if row[0].value == HEADER)
    top = titles[0].row
    assert sheet.freeze_panes == f"A{top + 1}"
    assert sheet.auto_filter.ref == f"A{top}:{titles[-1].column_letter}{sheet.max_row}"
    assert all(cell.font.bold for cell in titles)
    assert sheet.column_dimensions["C"].width >= 18  # the identity number is readable without widening
