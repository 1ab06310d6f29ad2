"""The import page and the `flask teachers import` command."""
import io

import pytest
from sqlalchemy import func, select

from registry.extensions import db
from registry.models import AuditEvent, Teacher
from registry.services import import_files
from tests.app.factories import id_number
from tests.app.inputs import csv_bytes, row, xlsx_bytes

SCHOOL = "甲校"


def teachers() -> int:
    return db.session.scalar(select(func.count()).select_from(Teacher))


def upload(client, content: bytes, filename: str, button: str = "submit", headers=None, **fields):
    data = {"file": (io.BytesIO(content), filename), button: "1", **fields}
    return client.post("/imports/", data=data, content_type="multipart/form-data", headers=headers or {})


def test_the_import_page_explains_the_columns_and_offers_the_template(hr, login):
    page = login(hr).get("/imports/").get_data(as_text=True)
    assert "下载导入模板" in page and "身份证号" in page and "入职日期" in page
    assert 'enctype="multipart/form-data"' in page and "js/import.js" in page
    assert 'class="progress"' in page


def test_the_preview_lists_every_bad_row_and_writes_nothing(hr, login):
    content = csv_bytes([row(1, SCHOOL, 性别="?"), row(2, SCHOOL), row(3, SCHOOL, 入职日期="2023-02-30")])
    page = upload(login(hr), content, "teachers.csv", button="preview").get_data(as_text=True)
    assert "未导入：2 行有误" in page
    assert "性别" in page and "不认识的取值“?”" in page and "入职日期" in page and "不是有效日期" in page
    assert teachers() == 0


def test_a_clean_preview_reports_what_would_happen_and_writes_nothing(hr, login):
    page = upload(login(hr), csv_bytes([row(1, SCHOOL)]), "teachers.csv", button="preview").get_data(as_text=True)
    assert "检查通过（尚未写入）" in page and "将新增 1 名教师" in page
    assert teachers() == 0


def test_the_import_writes_every_row_and_reports_the_counts(hr, login, make, school):
    make.teacher(school, id_number=id_number(1), name="旧名字")
    content = xlsx_bytes([row(1, SCHOOL), row(2, SCHOOL), row(3, SCHOOL)])
    page = upload(login(hr), content, "teachers.xlsx").get_data(as_text=True)
    assert "导入完成" in page and "新增 2 名教师，更新 1 名" in page
    assert teachers() == 3


def test_the_page_sends_the_file_itself_and_gets_only_the_report_back(hr, login):
    response = upload(login(hr), csv_bytes([row(1, SCHOOL)]), "teachers.csv", button="preview",
                      headers={"X-Requested-With": "XMLHttpRequest"})
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert "检查通过" in fragment and "data-import-confirm" in fragment


def test_sending_no_file_says_so(hr, login):
    response = login(hr).post("/imports/", data={"submit": "1"}, content_type="multipart/form-data")
    assert "请选择要导入的文件" in response.get_data(as_text=True)


def test_a_file_beyond_the_import_limit_is_refused(hr, login, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 100)
    page = upload(login(hr), csv_bytes([row(n, SCHOOL) for n in range(1, 10)]), "teachers.csv").get_data(as_text=True)
    assert "文件太大" in page and teachers() == 0


def test_an_xlsx_that_unpacks_to_too_much_is_refused(hr, login, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_UNPACKED_BYTES", 1000)
    page = upload(login(hr), xlsx_bytes([row(1, SCHOOL)]), "teachers.xlsx").get_data(as_text=True)
    assert "解压后过大" in page and teachers() == 0


@pytest.mark.parametrize("chosen", ["{other}", "²", "99999999999999999999"])
def test_hr_always_imports_into_their_own_school_whatever_school_the_request_names(hr, login, make, chosen):
    other = make.school(name="乙校")
    client = login(hr)
    response = upload(client, csv_bytes([row(1, "乙校")]), "teachers.csv", school_id=chosen.format(other=other.id))
    assert response.status_code == 200 and "只能导入本校（甲校）的教师" in response.get_data(as_text=True)
    response = upload(client, csv_bytes([row(1, "")]), "teachers.csv", school_id=chosen.format(other=other.id))
    assert response.status_code == 200 and db.session.scalar(select(Teacher.school_id)) == hr.school_id


def test_the_administrator_may_not_import_on_the_page(make, login, school):
    response = upload(login(make.user("admin")), csv_bytes([row(1, SCHOOL)]), "teachers.csv", school_id=str(school.id))
    assert response.status_code == 403 and teachers() == 0


# --- the command line ---------------------------------------------------------------------


def write(tmp_path, content: bytes, name: str = "teachers.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_the_command_imports_a_file_and_prints_the_counts(cli, tmp_path, school):
    result = cli("teachers", "import", write(tmp_path, xlsx_bytes([row(1, SCHOOL), row(2, SCHOOL)]), "teachers.xlsx"))
    assert result.exit_code == 0, result.output
    assert "新增 2 名教师" in result.stdout
    assert teachers() == 2


def test_the_command_line_import_is_audited_without_an_actor(cli, tmp_path, school):
    cli("teachers", "import", write(tmp_path, csv_bytes([row(1, SCHOOL)])))
    event = db.session.scalar(select(AuditEvent))
    assert (event.action, event.entity, event.actor_id, event.school_id) == ("create", "teacher", None, school.id)


def test_the_command_refuses_a_bad_file_with_every_reason_on_stderr_and_exit_1(cli, tmp_path, school):
    result = cli("teachers", "import", write(tmp_path, csv_bytes([row(1, SCHOOL, 性别="?"), row(2, SCHOOL, 入职日期="x")])))
    assert result.exit_code == 1
    assert "第 2 行，性别" in result.stderr and "第 3 行，入职日期" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert teachers() == 0


def test_the_dry_run_writes_nothing(cli, tmp_path, school):
    result = cli("teachers", "import", write(tmp_path, csv_bytes([row(1, SCHOOL)])), "--dry-run")
    assert result.exit_code == 0 and "尚未写入" in result.stdout
    assert teachers() == 0


def test_school_restricts_and_fills_the_school(cli, tmp_path, school, make):
    other = make.school(name="乙校")
    headers_without_school = ["姓名", "身份证号", "性别", "课程类别", "专业", "岗位类型", "入职日期", "招聘方式", "学历"]
    values = [v for i, v in enumerate(row(1, "")) if i not in (3, 10)]
    result = cli("teachers", "import", write(tmp_path, csv_bytes([values], headers=headers_without_school)), "--school", str(other.id))
    assert result.exit_code == 0, result.stderr
    assert db.session.scalar(select(Teacher.school_id)) == other.id
    refused = cli("teachers", "import", write(tmp_path, csv_bytes([row(2, SCHOOL)]), "b.csv"), "--school", str(other.id))
    assert refused.exit_code == 1 and "只能导入本校（乙校）的教师" in refused.stderr


@pytest.mark.parametrize(
    "args",
    [
        [], ["/no/such/file.csv"], ["FILE", "--school", "abc"], ["FILE", "--school", "999999"], ["FILE", "--bogus"],
        ["FILE", "--school", "0"], ["FILE", "--school", "99999999999999999999"], ["FILE", "--school", "2147483648"],
    ],
)
def test_usage_errors_exit_2_without_a_traceback(cli, tmp_path, school, args):
    path = write(tmp_path, csv_bytes([row(1, SCHOOL)]))
    result = cli("teachers", "import", *[path if a == "FILE" else a for a in args])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert teachers() == 0
