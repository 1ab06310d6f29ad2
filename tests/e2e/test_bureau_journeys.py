"""The city education bureau (login `bureau`) audits the schools, in a real browser."""
import csv
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import people
from tests.e2e.helpers import flash
from tests.e2e.people import DONGGANG

pytestmark = pytest.mark.e2e


def rows(page):
    return page.locator("table tbody tr[data-teacher]")


def test_the_bureau_filters_the_compliance_list_by_school_and_status(given, sign_in):
    given(people.donggang, people.zhang_hongwei)
    page = sign_in("bureau")
    page.get_by_role("link", name="合规名单").click()
    expect(page.get_by_role("heading", name="合规名单")).to_be_visible()

    page.get_by_label("学校", exact=True).select_option(label=DONGGANG)
    page.get_by_label("规则与状态").select_option(label="招聘资格：不符合")
    page.get_by_role("button", name="查询").click()

    expect(page.locator("[data-total]")).to_have_text("1 人")
    expect(rows(page)).to_have_count(1)
    row = rows(page).first
    expect(row.get_by_role("link", name="陈海波")).to_be_visible()
    expect(row.locator("td").nth(3).locator(".badge")).to_have_text("不符合")
    expect(row.locator("td").nth(3)).to_contain_text("学历未达到最低要求")
    filters = page.locator(".badge.text-bg-light")
    expect(filters).to_have_text([f"学校：{DONGGANG}", "招聘资格：不符合"])
    expect(page.get_by_label("学校", exact=True)).to_have_value(re.compile(r"\d+"))  # the choice stays selected

    page.get_by_label("规则与状态").select_option(label="全部")
    page.get_by_role("button", name="查询").click()
    expect(rows(page)).to_have_count(2)
    expect(page.locator("tr", has_text="高天宇").locator("td").nth(3)).to_contain_text("不适用")


def test_the_as_of_date_changes_what_the_list_says_of_a_teacher(given, sign_in):
    given(people.fengcheng)
    page = sign_in("bureau")
    page.get_by_role("link", name="合规名单").click()
    page.get_by_label("姓名", exact=True).fill("周丽娜")
    page.get_by_role("button", name="查询").click()

    row = page.locator("tr", has_text="周丽娜")
    practice = row.locator("td").nth(4)
    expect(row).to_contain_text("不在职")  # she left in June 2025
    expect(practice).to_have_text("不适用")

    page.get_by_label("核算日期").fill("2025-06-01")
    page.get_by_role("button", name="查询").click()

    expect(page.get_by_text("核算日期 2025-06-01")).to_be_visible()
    expect(row).not_to_contain_text("不在职")
    expect(practice).to_have_text("本周期已无法完成")

    row.get_by_role("link", name="周丽娜").click()  # the teacher page keeps the date
    expect(page.get_by_role("heading", name=re.compile("合规情况（截至 2025-06-01）"))).to_be_visible()
    expect(page.locator(".rule-card", has_text="企业实践").locator(".badge")).to_have_text("本周期已无法完成")


def donggang_export(download) -> list[dict[str, str]]:
    """The rows of the CSV export of the list filtered to 东港市职业教育中心 (its two teachers), after checking the
    file's name and its title, date and filter lines."""
    assert download.suggested_filename == "合规名单-2026-11-28.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        lines = list(csv.reader(file))
    assert lines[0] == ["专业教师合规名单"]
    assert lines[1][:2] == ["核算日期", "2026-11-28"]
    assert lines[2] == ["筛选条件", f"学校：{DONGGANG}"]
    header = lines.index(next(line for line in lines if line[:2] == ["系统编号", "姓名"]))
    table = [dict(zip(lines[header], line, strict=True)) for line in lines[header + 1:]]
    assert sorted(r["姓名"] for r in table) == ["陈海波", "高天宇"]
    return table


def test_the_bureau_exports_the_filtered_list_as_csv(given, sign_in):
    given(people.donggang, people.fengcheng)
    page = sign_in("bureau")
    page.get_by_role("link", name="合规名单").click()
    page.get_by_label("学校", exact=True).select_option(label=DONGGANG)
    page.get_by_role("button", name="查询").click()
    expect(rows(page)).to_have_count(2)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 CSV").click()
    table = donggang_export(download_info.value)
    chen = next(r for r in table if r["姓名"] == "陈海波")
    assert (chen["学校"], chen["招聘资格"], chen["岗位类型"]) == (DONGGANG, "不符合", "固定岗")
    gao = next(r for r in table if r["姓名"] == "高天宇")
    assert (gao["岗位类型"], gao["企业实践"]) == ("流动岗", "不适用")


def test_the_dashboard_draws_its_charts(given, sign_in):
    given(people.zhang_hongwei, people.hire_exceptions, people.donggang, people.fengcheng)
    page = sign_in("bureau")
    page.get_by_role("navigation").get_by_role("link", name="统计看板").click()
    expect(page.get_by_role("heading", name="统计看板")).to_be_visible()

    charts = page.locator("svg.chart >> visible=true")  # the wide drawings, at 1280 px
    expect(charts).to_have_count(3)
    expect(page.get_by_role("img", name="各校合规率")).to_be_visible()
    expect(page.get_by_role("img", name="企业实践状态分布")).to_be_visible()
    expect(page.get_by_role("img", name="本周期已完成企业实践月数")).to_be_visible()
    assert charts.first.locator("rect").count() > 10  # bars for every school and rule
    expect(charts.first.locator("text", has_text=DONGGANG)).to_have_count(1)
    assert charts.first.bounding_box()["width"] > 400  # drawn at a readable size

    fengcheng = page.locator("tr[data-school]", has_text="凤城市职业教育中心")
    expect(fengcheng.locator("td").nth(1)).to_have_text("2")

    expect(page.locator("[data-figure=total]")).to_have_text("7")
    total = page.locator("[data-figure=total]").inner_text()
    page.locator("[data-figure=total] a").click()  # every figure opens the list it counts
    expect(page.get_by_role("heading", name="合规名单")).to_be_visible()
    expect(page.locator("[data-total]")).to_have_text(f"{total} 人")


def test_the_bureau_approves_a_hire_exception(given, sign_in):
    given(people.hire_exceptions)
    page = sign_in("bureau")
    page.get_by_role("link", name="例外审批").click()
    expect(page.get_by_role("heading", name="招聘例外审批")).to_be_visible()

    request = page.locator("section[data-exception]", has_text="崔志远")
    expect(request).to_contain_text("养老服务专业新设，急需具有护理一线经历的教师。")
    expect(request.locator(".badge")).to_have_text("不符合")
    request.get_by_label("审批意见").fill("同意。请学校安排该教师尽快完成企业实践。")
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    request.get_by_role("button", name="批准例外").click()

    expect(flash(page)).to_contain_text("已批准 崔志远 的招聘例外申请。")
    assert questions == ["确定批准 崔志远 的招聘例外申请吗？批准后其招聘资格结论变为“已批准例外”。"]
    expect(page.locator("section[data-exception]", has_text="崔志远")).to_have_count(0)
    decided = page.locator("tr[data-exception]", has_text="崔志远")
    expect(decided.locator(".badge")).to_have_text("已批准")
    expect(decided).to_contain_text("职成教科")

    for name in ("崔志远", "朴成浩"):
        page.get_by_role("link", name="例外审批").click()
        page.locator("tr[data-exception]").get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        hire = page.locator(".rule-card", has_text="招聘资格")
        expect(hire.locator(".badge")).to_have_text("已批准例外")


def test_a_refusal_without_a_reason_is_stopped_on_the_field_before_any_question(given, sign_in):
    given(people.hire_exceptions)
    page = sign_in("bureau")
    page.get_by_role("link", name="例外审批").click()
    request = page.locator("section[data-exception]", has_text="崔志远")
    questions: list[str] = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))

    request.get_by_role("button", name="不批准").click()
    note = request.get_by_label("审批意见（不批准时必填，学校人事会看到）")
    expect(note).to_be_focused()
    assert note.evaluate("field => field.validationMessage").startswith("不批准时请填写理由")
    assert questions == []

    note.fill("缺少企业工作经历证明。")
    with page.expect_navigation():
        request.get_by_role("button", name="不批准").click()
    expect(page.locator("tr[data-exception]", has_text="崔志远").locator(".badge")).to_have_text("未批准")
    assert questions == ["确定不批准 崔志远 的招聘例外申请吗？不批准的理由会告知学校人事。"]
