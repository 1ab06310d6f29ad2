"""School HR imports a workbook of whole records on the page: preview with its progress and warnings, confirm, counts."""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from playwright.sync_api import expect

from registry.rules.vocabulary import ImportKind
from registry.vocabulary import label
from tests.app.factories import id_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEACHER_HEADERS = ["姓名", "身份证号", "性别", "课程类别", "专业", "岗位类型", "入职日期", "招聘方式", "学历"]
EMPLOYMENT_HEADERS = ["身份证号", "姓名", "单位名称", "单位类型", "岗位", "开始日期", "结束日期"]
# Each text the progress line shows, as the page's script sets it (watched from the browser's side).
WATCH_PROGRESS = """() => {
  window.progressTexts = [];
  new MutationObserver((records) => {
    records.forEach((r) => r.addedNodes.forEach((node) => window.progressTexts.push(node.textContent)));
  }).observe(document.getElementById("import-progress-text"), { childList: true });
}"""


def gender(number: str, fits: bool = True) -> str:
    """The 性别 an identity number gives (its 17th digit: odd for men), or the other one."""
    male = int(number[16]) % 2 == 1
    return "男" if male == fits else "女"


def workbook() -> bytes:
    """Two new teachers — 罗文静's 性别 contradicts her identity number (a warning) — and one job of 邱文博's."""
    qiu, luo = id_number(born="19950101"), id_number(born="19960202")
    book = Workbook()
    teachers = book.active
    teachers.title = label(ImportKind.TEACHERS)
    teachers.append(TEACHER_HEADERS)
    teachers.append(["邱文博", qiu, gender(qiu), "专业课", "数控技术应用", "固定岗", "2025-09-01", "公开招聘", "本科"])
    teachers.append(["罗文静", luo, gender(luo, fits=False), "专业课", "电子商务", "固定岗", "2025-09-01", "公开招聘", "本科"])
    jobs = book.create_sheet(label(ImportKind.EMPLOYMENT))
    jobs.append(EMPLOYMENT_HEADERS)
    jobs.append([qiu, "邱文博", "丹东曙光汽车集团", "企业", "技术员", "2017-07-01", "2025-08-15"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def phases_seen(page) -> list[str]:
    """The phases the progress line named, in order, each once."""
    seen: list[str] = []
    for text in page.evaluate("window.progressTexts"):
        phase = next((name for name in ("读取", "校验", "写入") if text.startswith(name)), None)
        if phase and phase not in seen:
            seen.append(phase)
    return seen


def test_hr_previews_a_workbook_sees_its_progress_and_warning_then_confirms_and_reads_the_counts(sign_in):
    page = sign_in("hr")
    page.get_by_role("link", name="批量导入").click()
    expect(page.get_by_role("heading", name="批量导入教师档案")).to_be_visible()
    page.wait_for_load_state()  # import.js, the page's last script, takes the form over once it has loaded
    page.evaluate(WATCH_PROGRESS)

    page.get_by_label("导入文件").set_input_files(files=[{"name": "教师档案.xlsx", "mimeType": XLSX, "buffer": workbook()}])
    page.get_by_role("button", name="预检（不写入）").click()

    report = page.locator("#import-report")
    expect(report).to_contain_text("预检结果")
    expect(report.get_by_role("status")).to_contain_text("检查通过（尚未写入）：共 3 行")
    expect(report.get_by_role("status")).to_contain_text("另有 1 条提醒")
    warning = report.locator("#import-warnings tbody tr")
    expect(warning).to_have_count(1)
    expect(warning.locator("td")).to_have_text(["教师", "3", "性别", re.compile("与身份证号第 17 位.*不符")])
    bar = page.get_by_role("progressbar", name="导入进度")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#import-progress-text")).to_have_text("校验 3 / 3 行")
    assert phases_seen(page) == ["读取", "校验"]

    page.get_by_role("button", name="有 1 条提醒，确认无误后导入").click()

    expect(report.get_by_role("status")).to_contain_text("导入完成：共 3 行")
    counts = report.locator("#import-counts tbody tr")
    expect(counts).to_have_count(2)
    expect(counts.nth(0).locator("td")).to_have_text(["教师", "2", "0", "0"])
    expect(counts.nth(1).locator("td")).to_have_text(["工作经历", "1", "0", "0"])
    expect(page.locator("#import-progress-text")).to_have_text("写入 3 / 3 行")
    assert phases_seen(page) == ["读取", "校验", "写入"]

    page.get_by_role("link", name="教师名单").first.click()
    page.get_by_placeholder("按姓名搜索").fill("邱文博")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("link", name="邱文博")).to_be_visible()


def two_visible_sheets() -> bytes:
    """A roster workbook with two visible sheets of teachers: last year's (2025年, empty) first and active, this
    year's (2026年, 温雅琴) second."""
    book = Workbook()
    book.active.title = "2025年"
    book.active.append(TEACHER_HEADERS)
    this_year = book.create_sheet("2026年")
    this_year.append(TEACHER_HEADERS)
    number = id_number(born="19970303")
    this_year.append(["温雅琴", number, gender(number), "专业课", "电子商务", "固定岗", "2026-09-01", "公开招聘", "本科"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_workbook_with_several_visible_sheets_lets_hr_choose_the_one_to_import(sign_in):
    page = sign_in("hr")
    page.goto("/imports/")
    sheet_select = page.get_by_label("工作表")
    expect(sheet_select).to_be_hidden()

    content = two_visible_sheets()
    page.get_by_label("导入文件").set_input_files(files=[{"name": "名单.xlsx", "mimeType": XLSX, "buffer": content}])
    page.get_by_role("button", name="预检（不写入）").click()

    report = page.locator("#import-report")
    expect(report.get_by_role("status")).to_contain_text("未导入")  # the sheet shown on opening has no rows
    expect(report).to_contain_text("没有读取的工作表：2026年")
    expect(sheet_select).to_be_visible()
    sheet_select.select_option("2026年")
    page.get_by_role("button", name="预检（不写入）").click()
    expect(report.get_by_role("status")).to_contain_text("检查通过（尚未写入）：共 1 行，将新增 1 名教师")
    expect(report).to_contain_text("已读取的工作表：2026年")
