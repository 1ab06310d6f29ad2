"""The bureau's, the administrator's and the teacher's browser journeys again with the keyboard alone (Tab,
Shift+Tab, Enter, Space, arrow keys and typing; no click), in a real browser: every control they need is reached
with Tab, and every control Tab stops on shows its focus. Each is the twin of a journey of another file, with its
data and its assertions (named in each test's docstring)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from registry.extensions import db
from registry.models import User
from registry.rules.vocabulary import NotificationKind
from registry.services.notifications import record_notification
from tests.app.inputs import one_page_pdf
from tests.e2e import people
from tests.e2e.helpers import flash
from tests.e2e.keyboard import (
    FOCUS_SHOWN,
    answer_dialog,
    choose,
    choose_file,
    focused,
    keyboard_sign_in,
    nav,
    press_on,
    retype_into,
    tab_to,
    type_date,
    type_into,
    unreachable_by_tab,
)
from tests.e2e.people import DONGGANG, MAIN, MINZU
from tests.e2e.test_bureau_journeys import donggang_export
from tests.e2e.test_printing import assert_zhang_hongweis_record_printed, needs_chinese_font
from tests.e2e.test_teacher_journeys import RENAMED_EXE

pytestmark = pytest.mark.e2e


def rows(page):
    return page.locator("table tbody tr[data-teacher]")


def home_item(page, key: str):
    return page.locator(f'[data-home="{key}"]')


# --- the bureau (tests/e2e/test_bureau_journeys.py) ------------------------------------------------------------------


def test_the_bureau_changes_the_as_of_date_of_the_list_with_the_keyboard_alone(given, page):
    """Twin of test_the_as_of_date_changes_what_the_list_says_of_a_teacher."""
    given(people.fengcheng)
    keyboard_sign_in(page, "bureau")
    press_on(page, nav(page, "合规名单"))
    type_into(page, page.get_by_label("姓名", exact=True), "周丽娜")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the filters from the name field
    expect(page.locator(".badge.text-bg-light")).to_have_text(["姓名包含：周丽娜"])
    row = page.locator("tr", has_text="周丽娜")
    practice = row.locator("td").nth(4)
    expect(row).to_contain_text("不在职")  # she left in June 2025
    expect(practice).to_have_text("不适用")

    type_date(page, page.get_by_label("核算日期"), "2025-06-01")
    press_on(page, page.get_by_role("button", name="查询"))

    expect(page.get_by_text("核算日期 2025-06-01")).to_be_visible()
    expect(row).not_to_contain_text("不在职")
    expect(practice).to_have_text("本周期已无法完成")

    press_on(page, row.get_by_role("link", name="周丽娜"))  # the teacher page keeps the date
    expect(page.get_by_role("heading", name=re.compile("合规情况（截至 2025-06-01）"))).to_be_visible()
    expect(page.locator(".rule-card", has_text="企业实践").locator(".badge")).to_have_text("本周期已无法完成")


def test_the_bureau_exports_the_filtered_list_as_csv_with_the_keyboard_alone(given, page):
    """Twin of test_the_bureau_exports_the_filtered_list_as_csv."""
    given(people.donggang, people.fengcheng)
    keyboard_sign_in(page, "bureau")
    press_on(page, nav(page, "合规名单"))
    choose(page, page.get_by_label("学校", exact=True), DONGGANG)
    press_on(page, page.get_by_role("button", name="查询"))
    expect(rows(page)).to_have_count(2)

    tab_to(page, page.get_by_role("link", name="导出 CSV"))
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    donggang_export(download_info.value)


def test_the_bureau_prints_the_whole_filtered_list_with_the_keyboard_alone(given, page):
    """Twin of test_the_whole_list_printed_from_its_control_holds_every_row_over_several_a4_pages_each_with_the_header_row."""
    given(people.donggang, people.fengcheng)
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    keyboard_sign_in(page, "bureau")
    press_on(page, nav(page, "合规名单"))
    choose(page, page.get_by_label("学校", exact=True), DONGGANG)
    press_on(page, page.get_by_role("button", name="查询"))
    press_on(page, page.get_by_role("link", name="打印全部（2 人）"))

    expect(page.get_by_role("heading", name="合规名单（全部 2 人）")).to_be_visible()
    expect(rows(page)).to_have_count(2)
    assert page.evaluate("window.printed") == 0  # it waits for the user
    tab_to(page, page.get_by_role("button", name="打印"))
    page.keyboard.press("Enter")
    assert page.evaluate("window.printed") == 1


def test_every_control_of_the_dashboard_is_reached_with_the_keyboard_alone(given, page):
    """Twin of test_the_dashboard_draws_its_charts: Tab goes through every control of the dashboard (its date and
    county, the figures' links, each chart's 查看数据), and a figure opens the list it counts."""
    given(people.zhang_hongwei, people.hire_exceptions, people.donggang, people.fengcheng)
    keyboard_sign_in(page, "bureau")
    press_on(page, nav(page, "统计看板"))
    expect(page.get_by_role("heading", name="统计看板")).to_be_visible()
    expect(page.get_by_role("img", name="各校合规率")).to_be_visible()

    assert unreachable_by_tab(page, page.locator("main"), limit=300) == []

    data = page.locator("section[aria-labelledby=rates-title] details")
    tab_to(page, data.locator("summary"))
    page.keyboard.press("Enter")  # opens the chart's table
    expect(data).to_have_attribute("open", "")
    expect(data.locator("tr", has_text="凤城市职业教育中心")).to_be_visible()

    expect(page.locator("[data-figure=total]")).to_have_text("7")
    press_on(page, page.locator("[data-figure=total] a"))  # every figure opens the list it counts
    expect(page.get_by_role("heading", name="合规名单")).to_be_visible()
    expect(page.locator("[data-total]")).to_have_text("7 人")


def test_the_bureau_approves_a_hire_exception_with_the_keyboard_alone(given, page):
    """Twin of test_the_bureau_approves_a_hire_exception."""
    given(people.hire_exceptions)
    keyboard_sign_in(page, "bureau")
    press_on(page, nav(page, "例外审批"))
    expect(page.get_by_role("heading", name="招聘例外审批")).to_be_visible()

    request = page.locator("section[data-exception]", has_text="崔志远")
    expect(request.locator(".badge")).to_have_text("不符合")
    type_into(page, request.get_by_label("审批意见"), "同意。请学校安排该教师尽快完成企业实践。")
    questions = answer_dialog(page, accept=True)
    press_on(page, request.get_by_role("button", name="批准例外"))

    expect(flash(page)).to_contain_text("已批准 崔志远 的招聘例外申请。")
    assert questions == ["确定批准 崔志远 的招聘例外申请吗？批准后其招聘资格结论变为“已批准例外”。"]
    expect(page.locator("section[data-exception]", has_text="崔志远")).to_have_count(0)
    decided = page.locator("tr[data-exception]", has_text="崔志远")
    expect(decided.locator(".badge")).to_have_text("已批准")

    for name in ("崔志远", "朴成浩"):
        press_on(page, nav(page, "例外审批"))
        press_on(page, page.locator("tr[data-exception]").get_by_role("link", name=name))
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        expect(page.locator(".rule-card", has_text="招聘资格").locator(".badge")).to_have_text("已批准例外")


def test_a_refusal_without_a_reason_is_stopped_on_the_field_with_the_keyboard_alone(given, page):
    """Twin of test_a_refusal_without_a_reason_is_stopped_on_the_field_before_any_question."""
    given(people.hire_exceptions)
    keyboard_sign_in(page, "bureau")
    press_on(page, nav(page, "例外审批"))
    request = page.locator("section[data-exception]", has_text="崔志远")
    questions: list[str] = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))

    tab_to(page, request.get_by_role("button", name="不批准"))
    page.keyboard.press("Space")
    note = request.get_by_label("审批意见（不批准时必填，学校人事会看到）")
    expect(note).to_be_focused()
    assert page.evaluate(FOCUS_SHOWN), f"the focus is not visible on {focused(page)}"
    assert note.evaluate("field => field.validationMessage").startswith("不批准时请填写理由")
    assert questions == []

    page.keyboard.type("缺少企业工作经历证明。")  # where the focus was put back
    press_on(page, request.get_by_role("button", name="不批准"), "Space")
    expect(page.locator("tr[data-exception]", has_text="崔志远").locator(".badge")).to_have_text("未批准")
    assert questions == ["确定不批准 崔志远 的招聘例外申请吗？不批准的理由会告知学校人事。"]


# --- the first journeys (tests/e2e/test_journeys.py) -----------------------------------------------------------------


def test_a_teacher_signs_in_and_sees_where_they_stand_with_the_keyboard_alone(given, page):
    """Twin of test_a_teacher_signs_in_and_sees_where_they_stand."""
    given(people.zhang_hongwei)
    keyboard_sign_in(page, "teacher")
    expect(page.get_by_role("heading", name="张宏伟 老师，您好")).to_be_visible()
    expect(page.get_by_text("本周期企业实践")).to_be_visible()


def test_the_bureau_opens_a_teacher_and_reads_the_rule_explanations_with_the_keyboard_alone(given, page):
    """Twin of test_the_bureau_opens_a_teacher_and_reads_the_rule_explanations."""
    given(people.hire_exceptions)
    keyboard_sign_in(page, "bureau")
    press_on(page, nav(page, "教师名单"))
    press_on(page, page.get_by_role("link", name="朴成浩"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("朴成浩")
    expect(page.get_by_text("已批准例外").first).to_be_visible()
    expect(page.locator(".rule-card")).to_have_count(3)
    expect(page.locator(".rule-card", has_text="招聘资格").locator(".sentence").first).to_be_visible()


# --- the home pages (tests/e2e/test_home_pages.py) ------------------------------------------------------------------


def test_the_bureau_follows_the_requests_waiting_from_its_home_page_with_the_keyboard_alone(given, page):
    """Twin of test_the_bureau_sees_the_requests_waiting_and_the_schools_to_follow_up."""
    given(people.zhang_hongwei, people.hire_exceptions, people.donggang, people.fengcheng)
    keyboard_sign_in(page, "bureau")
    waiting = home_item(page, "exceptions-waiting")
    expect(waiting.locator("li")).to_have_count(1)
    expect(waiting.locator("li")).to_contain_text("崔志远")
    expect(waiting.locator("li")).to_contain_text(MINZU)
    lagging = home_item(page, "lagging").locator("li")
    expect(lagging.first).to_contain_text(MINZU)
    expect(lagging.filter(has_text=MAIN)).to_contain_text("（1 / 1 人）")
    expect(home_item(page, "counties").locator("tr[data-county]")).to_have_count(3)

    press_on(page, waiting.get_by_role("link", name="去审批（共 1 条）"))
    expect(page.get_by_role("heading", name="招聘例外审批")).to_be_visible()
    expect(page.locator("section[data-exception]", has_text="崔志远")).to_be_visible()


def test_the_administrator_follows_the_unused_accounts_from_the_home_page_with_the_keyboard_alone(given, page):
    """Twin of test_the_administrator_sees_the_accounts_and_the_state_of_the_registry."""
    given(people.donggang)
    keyboard_sign_in(page, "admin")
    expect(page.get_by_role("heading", name="首页：系统管理")).to_be_visible()
    unused = home_item(page, "unused")
    expect(unused.locator("li", has_text="bureau")).to_be_visible()  # never signed in yet
    expect(unused.locator("li", has_text="admin")).to_have_count(0)
    expect(home_item(page, "state").locator('[data-state="audit"]')).to_contain_text("审计记录完整")

    press_on(page, unused.get_by_role("link", name="bureau", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("bureau")
    press_on(page, nav(page, "首页"))
    listed = unused.locator("li").count()
    press_on(page, unused.get_by_role("link", name="打开账号管理"))
    expect(page.get_by_role("heading", name="账号管理")).to_be_visible()
    expect(page.get_by_label(re.compile("只看长期未使用的账号"))).to_be_checked()
    expect(page.locator("#accounts tr[data-login]")).to_have_count(listed)


# --- the administrator (tests/e2e/test_admin_accounts.py, test_admin_journeys.py) ----------------------------------

NEW_PASSWORD = "harbour-maple-kettle"


def test_the_admin_opens_an_hr_account_that_signs_in_once_with_the_keyboard_alone(city, page, new_page):
    """Twin of test_the_admin_opens_an_hr_account_that_signs_in_once_with_its_one_time_password."""
    keyboard_sign_in(page, "admin")
    press_on(page, nav(page, "学校"))
    press_on(page, page.get_by_role("link", name=DONGGANG))
    expect(page.get_by_role("heading", name="学校人事账号")).to_be_visible()
    press_on(page, page.get_by_role("link", name="新增本校人事账号"))

    expect(page.get_by_role("heading", name="新增账号")).to_be_visible()
    expect(page.get_by_label("角色")).to_have_value("school_hr")
    expect(page.get_by_label("学校", exact=True).locator("option:checked")).to_have_text(DONGGANG)
    type_into(page, page.get_by_label("登录名"), "donggang-hr")
    type_into(page, page.get_by_label("显示名称"), "东港人事科")
    press_on(page, page.get_by_role("button", name="创建账号并生成一次性密码"))

    expect(page.get_by_role("heading", name="账号已创建")).to_be_visible()
    one_time = page.locator("#one-time-password").inner_text()
    press_on(page, page.get_by_role("link", name="我已记下，返回"))
    expect(page.locator("#account-state")).to_contain_text("下次登录须先修改一次性密码")

    newcomer = new_page()
    newcomer.goto("/login")
    type_into(newcomer, newcomer.get_by_label("登录名"), "donggang-hr")
    type_into(newcomer, newcomer.get_by_label("密码"), one_time)
    with newcomer.expect_navigation():
        newcomer.keyboard.press("Enter")
    expect(newcomer.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(newcomer.get_by_text("您现在使用的是管理员给您的一次性密码")).to_be_visible()
    type_into(newcomer, newcomer.get_by_label("当前密码"), one_time)
    type_into(newcomer, newcomer.get_by_label("新密码", exact=True), NEW_PASSWORD)
    type_into(newcomer, newcomer.get_by_label("再次输入新密码"), NEW_PASSWORD)
    press_on(newcomer, newcomer.get_by_role("button", name="修改密码"))

    expect(flash(newcomer)).to_contain_text("密码已修改")
    newcomer.wait_for_url("**/")
    expect(newcomer.locator(".navbar-user")).to_contain_text(f"东港人事科 · 学校人事 · {DONGGANG}")
    expect(nav(newcomer, "教师名单")).to_be_visible()


def test_the_admin_adds_corrects_and_withdraws_a_future_policy_version_with_the_keyboard_alone(city, page):
    """Twin of test_the_admin_adds_a_future_policy_version_with_the_national_figures."""
    keyboard_sign_in(page, "admin")
    press_on(page, nav(page, "政策参数"))
    expect(page.get_by_role("heading", name="政策参数", exact=True)).to_be_visible()
    current = page.locator("tr[data-version='2021-01-01']")
    expect(current.get_by_text("现行")).to_be_visible()

    press_on(page, page.get_by_role("link", name="填入国家标准（5年累计6个月）"))
    expect(page.get_by_label("每周期企业实践要求（月）")).to_have_value("6")
    expect(page.get_by_label("企业实践与轮训周期（年）")).to_have_value("5")

    effective = "2029-11-17"  # after the frozen today: not yet in force
    type_date(page, page.get_by_label("本版本生效日期"), effective)
    press_on(page, page.get_by_role("button", name="新增版本"))

    expect(flash(page)).to_contain_text(f"已新增自 {effective} 起施行的政策参数版本。")
    added = page.locator(f"tr[data-version='{effective}']")
    expect(added.locator(".badge")).to_have_text("尚未生效")
    expect(added.locator("td").nth(8)).to_have_text("6")
    expect(current.get_by_text("现行")).to_be_visible()

    press_on(page, added.get_by_role("link", name="修改"))
    retype_into(page, page.get_by_label("每周期企业实践要求（月）"), "8")
    press_on(page, page.get_by_role("button", name="检查修改"))
    expect(page.get_by_text(f"保存后，自 {effective} 起的核算结果按以下参数计算：")).to_be_visible()
    expect(page.get_by_role("row", name="每周期企业实践要求（月） 6 8")).to_be_visible()
    press_on(page, page.get_by_role("button", name="确认保存"))
    expect(flash(page)).to_contain_text(f"已修改自 {effective} 起施行的政策参数版本。")
    expect(added.locator("td").nth(8)).to_have_text("8")

    press_on(page, added.get_by_role("link", name="删除"))
    expect(page.get_by_text("删除后，")).to_contain_text("继续使用自")
    press_on(page, page.get_by_role("button", name="确认删除"))
    expect(flash(page)).to_contain_text(f"已删除自 {effective} 起施行的政策参数版本。")
    expect(added).to_have_count(0)


def test_the_admin_resets_a_password_with_the_keyboard_alone(city, page):
    """Twin of test_phone_tasks.py::test_on_a_phone_the_admin_resets_a_password, at a desktop's width."""
    keyboard_sign_in(page, "admin")
    questions = answer_dialog(page, accept=True)
    press_on(page, nav(page, "账号管理"))
    press_on(page, page.locator("tr[data-login='hr']").get_by_role("link", name="hr", exact=True))
    press_on(page, page.get_by_role("button", name="重置密码"))

    expect(page.get_by_role("heading", name="密码已重置")).to_be_visible()
    assert questions and questions[0].startswith("确定重置 hr 的密码吗？")
    expect(page.locator("#one-time-password")).to_be_visible()
    press_on(page, page.get_by_role("link", name="我已记下，返回"))
    expect(page.locator("#account-state")).to_contain_text("下次登录须先修改一次性密码")


def test_the_admin_creates_a_school_with_the_keyboard_alone(city, page):
    """Twin of test_phone_tasks.py::test_on_a_phone_the_admin_creates_a_school, at a desktop's width."""
    keyboard_sign_in(page, "admin")
    press_on(page, nav(page, "学校"))
    press_on(page, page.get_by_role("link", name="新增学校"))
    expect(page.get_by_role("heading", name="新增学校")).to_be_visible()
    type_into(page, page.get_by_label("学校名称"), "宽甸满族自治县职业教育中心")
    type_into(page, page.get_by_label("所在县（市、区）"), "宽甸满族自治县")
    press_on(page, page.get_by_role("button", name="保存"))

    expect(flash(page)).to_contain_text("已新增学校“宽甸满族自治县职业教育中心”")
    expect(page.get_by_role("heading", level=1)).to_contain_text("宽甸满族自治县职业教育中心")


# --- the teacher and everyone (tests/e2e/test_teacher_journeys.py, test_notifications.py) ---------------------------


def test_the_teacher_logs_practice_with_a_pdf_and_submits_it_with_the_keyboard_alone(given, page, tmp_path):
    """Twin of test_the_teacher_logs_practice_with_a_pdf_and_submits_it."""
    given(people.zhang_hongwei)
    keyboard_sign_in(page, "teacher")
    press_on(page, nav(page, "我的企业实践"))
    expect(page.get_by_role("heading", name="我的企业实践")).to_be_visible()

    evidence = tmp_path / "实践证明.pdf"
    evidence.write_bytes(one_page_pdf())
    enterprise = "丹东黄海汽车有限公司"
    new = page.locator("#new")
    type_into(page, new.get_by_label("实践企业"), enterprise)
    choose(page, new.get_by_label("实践形式"), "跟岗实践")
    type_date(page, new.get_by_label("开始日期"), "2026-10-08")
    type_date(page, new.get_by_label("结束日期"), "2026-10-30")
    type_into(page, new.get_by_label("实践内容"), "在售后服务中心跟岗学习新能源汽车动力电池检测与维修。")
    choose_file(page, new.get_by_label("证明材料"), evidence)
    press_on(page, new.get_by_role("button", name="保存并提交审核"))

    expect(flash(page)).to_have_text(re.compile("实践记录已保存并提交，等待学校人事审核。"))
    record = page.locator("article", has_text=enterprise)
    expect(record.locator(".badge")).to_have_text("待审核")
    expect(record).to_contain_text("跟岗实践 · 2026-10-08 – 2026-10-30")
    expect(record.get_by_role("link", name="实践证明.pdf")).to_be_visible()

    press_on(page, nav(page, "首页"))
    records = page.locator("section", has=page.get_by_role("heading", name="我的实践记录"))
    expect(records.get_by_role("row", name=re.compile(enterprise))).to_contain_text("待审核")


def test_a_renamed_program_is_refused_as_evidence_with_the_keyboard_alone(given, page, tmp_path, expected_failures):
    """Twin of test_teacher_journeys.py::test_a_renamed_program_is_refused_as_evidence."""
    given(people.zhang_hongwei)
    expected_failures.append("/practice/")  # the form comes back with the refusal, answered 400
    keyboard_sign_in(page, "teacher")
    press_on(page, nav(page, "我的企业实践"))

    disguised = tmp_path / "盖章证明.pdf"
    disguised.write_bytes(RENAMED_EXE)
    enterprise = "丹东克隆汽车配件厂"
    new = page.locator("#new")
    type_into(page, new.get_by_label("实践企业"), enterprise)
    choose(page, new.get_by_label("实践形式"), "顶岗实践")
    type_date(page, new.get_by_label("开始日期"), "2026-11-02")
    type_date(page, new.get_by_label("结束日期"), "2026-11-20")
    choose_file(page, new.get_by_label("证明材料"), disguised)
    press_on(page, new.get_by_role("button", name="保存并提交审核"))

    refusal = page.locator("#new .invalid-feedback")
    expect(refusal).to_have_text("“盖章证明.pdf”不是 PDF、JPEG 或 PNG 文件（系统按文件内容检查，改扩展名无效），请上传扫描件或照片")
    expect(page.locator("#new").get_by_label("实践企业")).to_have_value(enterprise)  # nothing typed is lost
    expect(page.locator("article", has_text=enterprise)).to_have_count(0)  # and nothing was saved


@needs_chinese_font
def test_a_teacher_prints_their_own_record_with_the_keyboard_alone(given, page):
    """Twin of test_printing.py::test_a_teacher_prints_their_own_record_with_verdicts_and_review_status."""
    given(people.zhang_hongwei, people.li_xiaoyan)
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    keyboard_sign_in(page, "teacher")
    press_on(page, page.get_by_role("link", name="打印个人企业实践档案"))
    expect(page.get_by_role("heading", name="个人企业实践档案")).to_be_visible()
    assert page.evaluate("window.printed") == 0  # it waits for the user
    tab_to(page, page.get_by_role("button", name="打印"))
    page.keyboard.press("Enter")
    assert page.evaluate("window.printed") == 1

    assert_zhang_hongweis_record_printed(page)


def two_returned_records(make, city) -> None:
    """Two notifications for 张宏伟 (login `teacher`) that HR returned a record of his, both unread."""
    user = db.session.query(User).filter_by(login="teacher").one()
    for key, enterprise in (("a", "克隆集团"), ("b", "丹东新能源汽车服务有限公司")):
        payload = {"record_id": 1, "teacher_id": user.teacher_id, "enterprise": enterprise, "start": "2026-01-10",
                   "end": "2026-02-20", "reason": "缺少企业盖章的证明"}
        record_notification(user, NotificationKind.PRACTICE_REJECTED, key, people.D("2026-11-28"), payload,
                            "/practice/")
    db.session.commit()


def test_a_teacher_marks_all_notifications_read_with_the_keyboard_alone(given, page):
    """Twin of the bell's journey of tests/e2e/test_notifications.py, to its end: nothing left unread."""
    given(people.zhang_hongwei, two_returned_records)
    keyboard_sign_in(page, "teacher")
    bell = page.locator("#notification-bell")
    expect(bell).to_have_attribute("data-unread", "2")
    press_on(page, bell)
    expect(page.locator("#notifications li[data-notification][data-unread=true]")).to_have_count(2)

    press_on(page, page.get_by_role("button", name="全部标为已读"))

    expect(flash(page)).to_contain_text("已将 2 条通知标为已读。")
    expect(bell).to_have_attribute("data-unread", "0")
    expect(page.locator("#notifications li[data-notification][data-unread=true]")).to_have_count(0)
    expect(page.get_by_role("button", name="全部标为已读")).to_have_count(0)


def test_a_person_changes_the_interface_language_with_the_keyboard_alone(given, page):
    """The account page's language form, reached through the account menu: the page then speaks English."""
    given(people.zhang_hongwei)
    keyboard_sign_in(page, "teacher")
    tab_to(page, page.locator(".navbar-user"))
    page.keyboard.press("Enter")  # opens the account menu
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="我的账号")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="我的账号")).to_be_visible()

    choose(page, page.get_by_role("combobox", name="界面语言"), "English")
    press_on(page, page.get_by_role("button", name="保存语言"))

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(flash(page)).to_contain_text("Interface language saved.")
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    expect(page.get_by_role("combobox", name="Interface language").locator("option:checked")).to_have_text("English")
