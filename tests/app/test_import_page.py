"""The import page (/imports/: the form, the streamed progress, the downloads) and the `flask teachers import` command."""
import io
import json
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from registry.extensions import db
from registry.imports import views
from registry.models import AuditEvent, EmploymentRecord, PracticeRecord, Teacher
from registry.rules.vocabulary import ImportKind
from registry.services import import_files
from registry.vocabulary import label
from tests.app.factories import id_number
from tests.app.inputs import HEADERS, csv_bytes, row, xlsx_bytes
from tests.app.test_import import shared_case

pytestmark = pytest.mark.usefixtures("frozen_today")

SCHOOL = "甲校"
NDJSON = "application/x-ndjson"
EMPLOYMENT = ["身份证号", "单位名称", "单位类型", "岗位", "开始日期", "结束日期"]
PRACTICE = ["身份证号", "实践单位", "开始日期", "结束日期", "形式", "内容", "状态"]


def teachers() -> int:
    return db.session.scalar(select(func.count()).select_from(Teacher))


def fitting(n: int, school: str = SCHOOL, **changes) -> list:
    """An import row whose 性别 fits its identity number (odd 17th digit: male), so it draws no warning."""
    return row(n, school, **{"性别": "男" if n % 2 else "女", **changes})


def workbook(sheets: dict[str, tuple[list, list[list]]], hidden: tuple[str, ...] = (), active: int = 0) -> bytes:
    """An .xlsx of {sheet name: (headers, rows)} in tab order; `hidden` sheets hidden, sheet `active` shown on opening."""
    book = Workbook()
    book.remove(book.active)
    for name, (headers, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(headers)
        for values in rows:
            sheet.append(values)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.active = active
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, filename: str, button: str = "submit", headers=None, **fields):
    data = {"file": (io.BytesIO(content), filename), button: "1", **fields}
    return client.post("/imports/", data=data, content_type="multipart/form-data", headers=headers or {})


def streamed(client, content: bytes, filename: str, button: str = "submit", **fields) -> tuple[list[dict], str]:
    """Post as the page's script does; returns the progress lines and the final line's HTML (or error)."""
    response = upload(client, content, filename, button, headers={"Accept": NDJSON}, **fields)
    assert response.status_code == 200 and response.mimetype == NDJSON
    assert response.headers["Cache-Control"] == "no-store"
    lines = [json.loads(text) for text in response.get_data(as_text=True).splitlines()]
    *progress, last = lines
    return progress, last.get("html", last.get("error"))


# --- the page ---------------------------------------------------------------------------------------


def test_the_import_page_labels_every_field_and_offers_the_template_and_the_roster(hr, login):
    page = login(hr).get("/imports/").get_data(as_text=True)
    assert 'accept=".xlsx,.xls,.xlsb,.ods,.csv"' in page
    for text in ("导入文件（.xlsx、.xls、.xlsb、.ods 或 .csv）", "类型", "工作表", "企业实践记录已审核（导入为已审核通过）",
                 "下载导入模板", "导出本校花名册（可修改后再导入）", "填写说明"):
        assert text in page
    assert 'href="/imports/template.xlsx"' in page and 'href="/imports/roster.xlsx"' in page
    assert 'enctype="multipart/form-data"' in page and "js/import.js" in page and 'class="progress"' in page


def test_the_kind_select_offers_every_import_kind_and_the_sheet_list_names_every_template_sheet(hr, login):
    page = login(hr).get("/imports/").get_data(as_text=True)
    for kind in ImportKind:
        assert f'<option value="{kind.value}">{label(kind)}</option>' in page
        assert f"<summary class=\"small\"><strong>{label(kind)}</strong>" in page
    assert '<div id="import-sheet-field" hidden>' in page  # nothing to choose before a workbook was previewed


def test_the_preview_lists_every_bad_row_and_writes_nothing(hr, login):
    content = csv_bytes([fitting(1, 性别="?"), fitting(2), fitting(3, 入职日期="2023-02-30")])
    page = upload(login(hr), content, "teachers.csv", button="preview").get_data(as_text=True)
    assert "未导入：2 行有误" in page
    assert "性别" in page and "不认识的取值“?”" in page and "入职日期" in page and "不是有效日期" in page
    assert teachers() == 0


def test_a_clean_preview_reports_what_would_happen_and_writes_nothing(hr, login):
    page = upload(login(hr), csv_bytes([fitting(1)]), "teachers.csv", button="preview").get_data(as_text=True)
    assert "检查通过（尚未写入）" in page and "将新增 1 名教师" in page
    assert "确认无误后，请重新选择该文件并点击“导入”。" in page  # without the script, the form is sent again
    assert teachers() == 0


def test_the_import_writes_every_row_and_reports_the_counts(hr, login, make, school):
    make.teacher(school, id_number=id_number(1), name="旧名字")
    content = xlsx_bytes([fitting(1), fitting(2), fitting(3)])
    page = upload(login(hr), content, "teachers.xlsx").get_data(as_text=True)
    assert "导入完成" in page and "新增 2 名教师，更新 1 名" in page
    assert teachers() == 3


def test_warnings_are_shown_in_their_own_section_beside_the_counts(hr, login):
    page = upload(login(hr), csv_bytes([row(1, SCHOOL), fitting(2)]), "teachers.csv", button="preview").get_data(as_text=True)
    assert "检查通过（尚未写入）" in page and "另有 1 条提醒" in page
    warnings = page[page.index('id="import-warnings"'):]
    assert "提醒（共 1 条，不影响导入，请在确认前核对）" in warnings
    assert "<td data-label=\"行\">2</td><td class=\"text-nowrap\" data-label=\"列\">性别</td>" in warnings and "与身份证号第 17 位" in warnings
    assert 'id="import-errors"' not in page


def test_a_workbook_of_several_visible_sheets_offers_them_in_the_sheet_select(hr, login):
    content = workbook({"教师": (HEADERS, [fitting(1)]), "新教师": (HEADERS, [fitting(2)]), "旧表": (HEADERS, [fitting(3)])},
                       hidden=("旧表",))
    page = upload(login(hr), content, "名单.xlsx", button="preview").get_data(as_text=True)
    assert '<div id="import-sheet-field" >' in page or '<div id="import-sheet-field">' in page
    assert '<option value="教师">教师</option>' in page and '<option value="新教师">新教师</option>' in page
    assert '<option value="旧表">' not in page  # a hidden sheet is never offered
    assert "已读取的工作表：教师" in page and "没有读取的工作表：新教师" in page
    assert "隐藏的工作表（不会导入；需要时请在 Excel 中取消隐藏）：旧表" in page


def test_the_sheet_chosen_is_the_one_imported_as_the_kind_chosen(hr, login):
    content = workbook({"教师": (HEADERS, [fitting(1)]), "新教师": (HEADERS, [fitting(2)])})
    page = upload(login(hr), content, "名单.xlsx", sheet="新教师", kind="teachers").get_data(as_text=True)
    assert "导入完成" in page and "新增 1 名教师" in page
    assert db.session.scalar(select(Teacher.id_number)) == id_number(2)
    assert '<option selected value="新教师">新教师</option>' in page


def test_a_hidden_sheet_is_named_in_the_report_and_the_visible_one_imported(hr, login, make):
    """Case 18: last year's roster on a hidden first sheet, this year's on the visible one."""
    make.school(name="丹东市中等职业技术专业学校")
    page = upload(login(hr), shared_case("18_xlsx_hidden_first_sheet_stale.xlsx"), "18.xlsx", button="preview")
    text = page.get_data(as_text=True)
    assert "已读取的工作表：教师" in text and "隐藏的工作表（不会导入；需要时请在 Excel 中取消隐藏）：去年名单" in text
    assert "旧数据甲" not in text


def test_a_csv_of_another_kind_is_imported_as_the_kind_chosen(hr, login, make, school):
    teacher = make.teacher(school, id_number=id_number(7))
    content = csv_bytes([[id_number(7), "丹东曙光汽车集团", "企业", "技术员", "2015-07-01", "2019-08-31"]], headers=EMPLOYMENT)
    page = upload(login(hr), content, "工作经历.csv", kind="employment").get_data(as_text=True)
    assert "导入完成" in page and "工作经历新增 1 条" in page
    assert db.session.scalar(select(EmploymentRecord.teacher_id)) == teacher.id


@pytest.mark.parametrize("checked, expected", [(True, "verified"), (False, "submitted")])
def test_practice_arrives_verified_only_when_hr_ticks_the_box(hr, login, make, school, checked, expected):
    make.teacher(school, id_number=id_number(7), hire_date=date(2020, 9, 1))
    content = csv_bytes([[id_number(7), "五一八公司", "2024-07-01", "2024-08-31", "顶岗实践", "", ""]], headers=PRACTICE)
    fields = {"kind": "practice", **({"verified": "y"} if checked else {})}
    page = upload(login(hr), content, "企业实践.csv", **fields).get_data(as_text=True)
    assert "导入完成" in page, page
    assert db.session.scalar(select(PracticeRecord.status)) == expected


def test_sending_no_file_says_so(hr, login):
    response = login(hr).post("/imports/", data={"submit": "1"}, content_type="multipart/form-data")
    assert "请选择要导入的文件" in response.get_data(as_text=True)


def test_a_file_beyond_the_import_limit_is_refused(hr, login, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 100)
    page = upload(login(hr), csv_bytes([fitting(n) for n in range(1, 10)]), "teachers.csv").get_data(as_text=True)
    assert "文件太大" in page and teachers() == 0


def test_an_xlsx_that_unpacks_to_too_much_is_refused(hr, login, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_UNPACKED_BYTES", 1000)
    page = upload(login(hr), xlsx_bytes([fitting(1)]), "teachers.xlsx").get_data(as_text=True)
    assert "解压后过大" in page and teachers() == 0


@pytest.mark.parametrize("chosen", ["{other}", "²", "99999999999999999999"])
def test_hr_always_imports_into_their_own_school_whatever_school_the_request_names(hr, login, make, chosen):
    other = make.school(name="乙校")
    client = login(hr)
    response = upload(client, csv_bytes([fitting(1, "乙校")]), "teachers.csv", school_id=chosen.format(other=other.id))
    assert response.status_code == 200 and "只能导入本校（甲校）的教师" in response.get_data(as_text=True)
    response = upload(client, csv_bytes([fitting(1, "")]), "teachers.csv", school_id=chosen.format(other=other.id))
    assert response.status_code == 200 and db.session.scalar(select(Teacher.school_id)) == hr.school_id


def test_the_administrator_may_not_import_on_the_page(make, login, school):
    response = upload(login(make.user("admin")), csv_bytes([fitting(1)]), "teachers.csv", school_id=str(school.id))
    assert response.status_code == 403 and teachers() == 0


# --- the page's script: progress streamed, then the report ----------------------------------------


def test_the_script_gets_progress_through_reading_checking_and_writing_then_the_report(hr, login):
    progress, html = streamed(login(hr), csv_bytes([fitting(n) for n in range(1, 4)]), "teachers.csv")
    phases = [line["phase"] for line in progress]
    assert sorted(set(phases), key=phases.index) == ["reading", "checking", "writing"]
    for phase in ("reading", "checking", "writing"):
        lines = [line for line in progress if line["phase"] == phase]
        assert lines[0]["done"] == 0 and lines[-1]["done"] == lines[-1]["total"] > 0
    assert progress[-1] == {"phase": "writing", "done": 3, "total": 3}
    assert "<html" not in html and "导入完成" in html and "新增 3 名教师" in html
    assert teachers() == 3  # committed before the report was sent


def test_a_streamed_dry_run_with_warnings_offers_to_confirm_with_them_in_view(hr, login):
    progress, html = streamed(login(hr), csv_bytes([row(1, SCHOOL)]), "teachers.csv", button="preview")
    assert "writing" not in {line["phase"] for line in progress}
    assert 'data-import-confirm>有 1 条提醒，确认无误后导入</button>' in html
    assert 'id="import-warnings"' in html and teachers() == 0


def test_a_streamed_report_carries_the_visible_sheets_for_the_sheet_select(hr, login):
    content = workbook({"教师": (HEADERS, [fitting(1)]), "新教师": (HEADERS, [])}, active=1)
    _progress, html = streamed(login(hr), content, "名单.xlsx", button="preview")
    assert "data-sheets='[\"\\u6559\\u5e08\", \"\\u65b0\\u6559\\u5e08\"]'" in html


def test_a_streamed_upload_without_a_file_gets_the_reason_as_its_only_line(hr, login):
    response = login(hr).post("/imports/", data={"submit": "1"}, content_type="multipart/form-data",
                              headers={"Accept": NDJSON})
    lines = response.get_data(as_text=True).splitlines()
    assert len(lines) == 1 and "请选择要导入的文件" in json.loads(lines[0])["html"]


def test_an_import_that_fails_unexpectedly_says_so_in_chinese_and_writes_nothing(hr, login, monkeypatch, app):
    school_id = hr.school_id  # read here: the import runs in a thread with a database session of its own

    def broken(*_args, progress, **_kwargs):
        progress("reading", 0, 1)
        db.session.add(Teacher(name="半途", id_number=id_number(9), gender="male", course_type="specialty",
                               specialty="数控", post_type="fixed", hire_date=date(2022, 9, 1), hire_channel="open",
                               education="bachelor", school_id=school_id))
        db.session.flush()
        raise RuntimeError("a fault of the importer")

    monkeypatch.setattr(views, "import_records", broken)
    monkeypatch.setattr(app.logger, "disabled", True)
    progress, message = streamed(login(hr), csv_bytes([fitting(1)]), "teachers.csv")
    assert progress == [{"phase": "reading", "done": 0, "total": 1}]
    assert message == "导入时出错，没有写入任何数据。请稍后重试；仍然出错请联系管理员。"
    assert teachers() == 0


def test_progress_lines_are_thinned_to_a_few_per_phase(monkeypatch):
    sent = []
    clock = iter(range(1000))
    monkeypatch.setattr(views.time, "monotonic", lambda: next(clock) * 0.01)  # 10 ms a call
    progress = views.throttled(sent.append)
    for done in range(0, 101):
        progress("checking", done, 100)
    assert sent[0] == {"phase": "checking", "done": 0, "total": 100}
    assert sent[-1] == {"phase": "checking", "done": 100, "total": 100}
    assert len(sent) == 11  # the first, one every 100 ms, and the last


# --- the downloads ----------------------------------------------------------------------------------


def test_the_template_has_a_sheet_for_every_kind_and_the_instructions(hr, login):
    response = login(hr).get("/imports/template.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    names = load_workbook(io.BytesIO(response.data), read_only=True).sheetnames
    assert [label(kind) for kind in ImportKind] == names[: len(ImportKind)] and "填写说明" in names


def test_hr_downloads_their_school_roster_with_every_sheet_filled(hr, login, make, school):
    teacher = make.teacher(school, id_number=id_number(5), name="花名册甲")
    make.employment(teacher, "2010-07-01", "2015-06-30", employer="曙光集团")
    make.teacher(make.school(name="乙校"), id_number=id_number(6), name="别校乙")
    response = login(hr).get("/imports/roster.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert [label(kind) for kind in ImportKind] == book.sheetnames[: len(ImportKind)]
    cells = {sheet: [str(c) for r in book[sheet].iter_rows(values_only=True) for c in r if c is not None]
             for sheet in book.sheetnames}
    assert "花名册甲" in cells[label(ImportKind.TEACHERS)] and "别校乙" not in cells[label(ImportKind.TEACHERS)]
    assert "曙光集团" in cells[label(ImportKind.EMPLOYMENT)]


def test_the_exported_roster_imports_again_without_a_change(hr, login, make, school):
    teacher = make.teacher(school, id_number=id_number(5), name="花名册甲")
    make.employment(teacher, "2010-07-01", "2015-06-30")
    client = login(hr)
    exported = client.get("/imports/roster.xlsx").data
    page = upload(client, exported, "花名册.xlsx", verified="y").get_data(as_text=True)
    assert "导入完成" in page and "新增 0 名教师，更新 0 名，1 名无变化" in page, page


def test_only_school_hr_downloads_a_roster(make, login):
    assert login(make.user("bureau")).get("/imports/roster.xlsx").status_code == 403


# --- the command line ---------------------------------------------------------------------


def write(tmp_path, content: bytes, name: str = "teachers.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def test_the_command_imports_a_file_and_prints_the_counts(cli, tmp_path, school):
    result = cli("teachers", "import", write(tmp_path, xlsx_bytes([fitting(1), fitting(2)]), "teachers.xlsx"))
    assert result.exit_code == 0, result.output
    assert "新增 2 名教师" in result.stdout
    assert teachers() == 2


def test_the_command_shows_a_progress_bar_for_each_phase_on_stderr(cli, tmp_path, school):
    result = cli("teachers", "import", write(tmp_path, csv_bytes([fitting(1)])))
    assert result.exit_code == 0, result.output
    for label_text in ("读取", "校验", "写入"):
        assert label_text in result.stderr and label_text not in result.stdout


def test_the_command_prints_warnings_after_the_summary_on_stdout(cli, tmp_path, school):
    result = cli("teachers", "import", write(tmp_path, csv_bytes([row(1, SCHOOL), fitting(2)])))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("导入完成")
    assert lines[1].startswith("提醒：第 2 行，性别：") and "与身份证号第 17 位" in lines[1]
    assert teachers() == 2


def test_the_command_line_import_is_audited_without_an_actor(cli, tmp_path, school):
    cli("teachers", "import", write(tmp_path, csv_bytes([fitting(1)])))
    event = db.session.scalar(select(AuditEvent))
    assert (event.action, event.entity, event.actor_id, event.school_id) == ("create", "teacher", None, school.id)


def test_the_command_refuses_a_bad_file_with_every_reason_on_stderr_and_exit_1(cli, tmp_path, school):
    result = cli("teachers", "import", write(tmp_path, csv_bytes([fitting(1, 性别="?"), fitting(2, 入职日期="x")])))
    assert result.exit_code == 1
    assert "第 2 行，性别" in result.stderr and "第 3 行，入职日期" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert teachers() == 0


def test_the_dry_run_writes_nothing(cli, tmp_path, school):
    result = cli("teachers", "import", write(tmp_path, csv_bytes([fitting(1)])), "--dry-run")
    assert result.exit_code == 0 and "尚未写入" in result.stdout
    assert teachers() == 0


def test_school_restricts_and_fills_the_school(cli, tmp_path, school, make):
    other = make.school(name="乙校")
    headers_without_school = ["姓名", "身份证号", "性别", "课程类别", "专业", "岗位类型", "入职日期", "招聘方式", "学历"]
    values = [v for i, v in enumerate(fitting(1, "")) if i not in (3, 10)]
    result = cli("teachers", "import", write(tmp_path, csv_bytes([values], headers=headers_without_school)), "--school", str(other.id))
    assert result.exit_code == 0, result.stderr
    assert db.session.scalar(select(Teacher.school_id)) == other.id
    refused = cli("teachers", "import", write(tmp_path, csv_bytes([fitting(2)]), "b.csv"), "--school", str(other.id))
    assert refused.exit_code == 1 and "只能导入本校（乙校）的教师" in refused.stderr


def test_kind_says_what_a_csv_holds(cli, tmp_path, make, school):
    teacher = make.teacher(school, id_number=id_number(7))
    content = csv_bytes([[id_number(7), "丹东曙光汽车集团", "企业", "技术员", "2015-07-01", "至今"]], headers=EMPLOYMENT)
    result = cli("teachers", "import", write(tmp_path, content, "jobs.csv"), "--kind", "employment")
    assert result.exit_code == 0, result.output
    assert "工作经历新增 1 条" in result.stdout
    assert db.session.scalar(select(EmploymentRecord.teacher_id)) == teacher.id


def test_sheet_reads_that_sheet_only(cli, tmp_path, school):
    content = workbook({"教师": (HEADERS, [fitting(1)]), "新教师": (HEADERS, [fitting(2)])})
    result = cli("teachers", "import", write(tmp_path, content, "book.xlsx"), "--sheet", "新教师", "--kind", "teachers")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Teacher.id_number)) == id_number(2) and teachers() == 1


@pytest.mark.parametrize("flags, expected", [(["--verified"], "verified"), ([], "submitted")])
def test_verified_imports_practice_as_verified(cli, tmp_path, make, school, flags, expected):
    make.teacher(school, id_number=id_number(7), hire_date=date(2020, 9, 1))
    content = csv_bytes([[id_number(7), "五一八公司", "2024-07-01", "2024-08-31", "顶岗实践", "", ""]], headers=PRACTICE)
    result = cli("teachers", "import", write(tmp_path, content, "practice.csv"), "--kind", "practice", *flags)
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(PracticeRecord.status)) == expected


def test_an_unknown_kind_is_a_usage_error_listing_the_kinds(cli, tmp_path, school):
    result = cli("teachers", "import", write(tmp_path, csv_bytes([fitting(1)])), "--kind", "jobs")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert all(kind.value in result.output for kind in ImportKind)


@pytest.mark.parametrize("sheet, reason", [("不存在", "文件中没有名为“不存在”的工作表"), ("旧表", "工作表“旧表”是隐藏的")])
def test_a_sheet_the_file_does_not_show_is_a_usage_error_naming_the_visible_ones(cli, tmp_path, school, sheet, reason):
    content = workbook({"教师": (HEADERS, [fitting(1)]), "旧表": (HEADERS, [fitting(2)])}, hidden=("旧表",))
    result = cli("teachers", "import", write(tmp_path, content, "book.xlsx"), "--sheet", sheet)
    assert result.exit_code == 2 and reason in result.output and "可见的工作表：教师" in result.output
    assert "Traceback" not in result.output and teachers() == 0


@pytest.mark.parametrize(
    "args",
    [
        [], ["/no/such/file.csv"], ["FILE", "--school", "abc"], ["FILE", "--school", "999999"], ["FILE", "--bogus"],
        ["FILE", "--school", "0"], ["FILE", "--school", "99999999999999999999"], ["FILE", "--school", "2147483648"],
        ["FILE", "--kind"], ["FILE", "--kind", ""],
    ],
)
def test_usage_errors_exit_2_without_a_traceback(cli, tmp_path, school, args):
    path = write(tmp_path, csv_bytes([fitting(1)]))
    result = cli("teachers", "import", *[path if a == "FILE" else a for a in args])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert teachers() == 0
