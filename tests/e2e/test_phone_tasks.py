"""A person on a phone (375 px) can do every task of their role: open the folded navigation, reach the page, fill
the form, press the button and read the outcome, with nothing running off the side of the screen on the way."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.app.factories import id_number
from tests.app.inputs import one_page_pdf
from tests.e2e import people
from tests.e2e.helpers import fill_candidate, flash, li_xiaoyan_submits_a_visit, sign_in_on, with_wrong_check_char
from tests.e2e.people import DONGGANG, MAIN
from tests.e2e.test_bureau_journeys import donggang_export
from tests.e2e.test_phones import PHONE, in_sight, signed_in_at

pytestmark = pytest.mark.e2e


def on_phone(new_page, login: str):
    """A new page the size of a phone's screen (375 × 800), signed in as `login`."""
    page = signed_in_at(new_page, login, PHONE)
    assert_fits(page)
    return page


def assert_fits(page) -> None:
    """The page reads without sideways scrolling at the phone's width (measured once it has loaded)."""
    page.wait_for_load_state()
    expect(page.locator("main")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"{page.url} is {width} px wide on a {PHONE} px screen"


def tap(control) -> None:
    """Bring `control` into view, check it lies within the screen's width, and press it."""
    control.scroll_into_view_if_needed()
    expect(control).to_be_visible()
    assert in_sight(control), f"{control} runs off the side of the screen"
    control.click()


def phone_nav(page, link_name: str) -> None:
    """Open the folded navigation with its toggler, follow the link `link_name`, and check the page reached fits."""
    toggler = page.locator(".navbar-toggler")
    tap(toggler)
    expect(page.locator(".navbar-collapse")).to_have_class(re.compile(r"\bshow\b"))  # the opening slide is over
    tap(page.locator("#nav").get_by_role("link", name=link_name, exact=True))
    assert_fits(page)


def fill(field, value: str) -> None:
    """Type `value` into a field that lies within the screen's width."""
    field.scroll_into_view_if_needed()
    assert in_sight(field), f"{field} runs off the side of the screen"
    field.fill(value)


def accept_questions(page) -> list[str]:
    """Answer every confirmation the page asks with OK; the questions asked, in order."""
    questions: list[str] = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    return questions


def zhao_mingxuan(make, city) -> None:
    """A teacher of 张宏伟's school hired with one year of enterprise work (not qualified) and no sign-in account."""
    teacher = make.teacher(city.school(MAIN), name="赵明轩", specialty="数控技术", hire_date=people.D("2025-09-01"))
    make.employment(teacher, "2024-07-01", "2025-08-31", employer="丹东曙光数控机床有限公司")


# --- teacher ---------------------------------------------------------------------------------------------------


def test_on_a_phone_a_teacher_sees_where_they_stand_on_the_home_page(given, new_page):
    given(people.zhang_hongwei)
    page = on_phone(new_page, "teacher")
    practice = page.locator("section", has=page.get_by_role("heading", name="本周期企业实践"))
    status = practice.get_by_role("heading", name="本周期企业实践").locator(".badge")
    expect(status).to_have_text("进度落后")
    expect(practice.get_by_text(re.compile(r"已审核 2 / 10 个月"))).to_be_visible()
    training = page.locator("section", has=page.get_by_role("heading", name="全员轮训"))
    expect(training.locator("h2 .badge")).to_have_text("未完成")
    records = page.locator("section", has=page.get_by_role("heading", name="我的实践记录"))
    rejected = records.get_by_role("row", name=re.compile("丹东新能源汽车服务有限公司.*2026-01-10"))
    expect(rejected).to_contain_text("已退回")
    for shown in (status, training.locator("h2 .badge"), rejected.get_by_text("已退回"),
                  page.locator("#forecast").get_by_role("heading", name="预测")):
        shown.scroll_into_view_if_needed()
        assert in_sight(shown), f"{shown} is off the screen"


def test_on_a_phone_a_teacher_logs_practice_with_a_pdf_and_submits_it(given, new_page, tmp_path):
    given(people.zhang_hongwei)
    page = on_phone(new_page, "teacher")
    phone_nav(page, "我的企业实践")
    expect(page.get_by_role("heading", name="我的企业实践")).to_be_visible()

    evidence = tmp_path / "实践证明.pdf"
    evidence.write_bytes(one_page_pdf())
    enterprise = "丹东黄海汽车有限公司"
    new = page.locator("#new")
    fill(new.get_by_label("实践企业"), enterprise)
    new.get_by_label("实践形式").select_option(label="跟岗实践")
    fill(new.get_by_label("开始日期"), "2026-10-08")
    fill(new.get_by_label("结束日期"), "2026-10-30")
    fill(new.get_by_label("实践内容"), "在售后服务中心跟岗学习新能源汽车动力电池检测与维修。")
    assert in_sight(new.get_by_label("证明材料"))
    new.get_by_label("证明材料").set_input_files(evidence)
    tap(new.get_by_role("button", name="保存并提交审核"))

    expect(flash(page)).to_have_text(re.compile("实践记录已保存并提交，等待学校人事审核。"))
    assert_fits(page)
    record = page.locator("article", has_text=enterprise)
    expect(record.locator(".badge")).to_have_text("待审核")
    expect(record).to_contain_text("跟岗实践 · 2026-10-08 – 2026-10-30")
    assert in_sight(record)
    assert in_sight(record.get_by_role("link", name="实践证明.pdf"))


def test_on_a_phone_a_teacher_follows_the_bell_to_a_returned_record_and_resubmits_it(given, new_page):
    given(people.zhang_hongwei)
    hr = sign_in_on(new_page(), "hr")
    hr.get_by_role("link", name="实践审核").click()
    reason = "实践证明缺少企业盖章，请补充后重新提交。"
    record = hr.locator("article", has_text="张宏伟").filter(has_text="2025-07-01")
    record.get_by_label("退回理由").fill(reason)
    record.get_by_role("button", name="退回").click()
    expect(flash(hr)).to_contain_text("已退回：张宏伟")

    page = on_phone(new_page, "teacher")
    bell = page.locator("#notification-bell")
    expect(bell.locator(".badge")).to_have_text("1")
    tap(bell)  # outside the folded menu: in sight without opening it
    assert_fits(page)
    item = page.locator("#notifications li[data-notification]").first
    expect(item).to_contain_text(reason)
    tap(item.get_by_role("button", name="修改并重新提交"))
    page.wait_for_url(re.compile(r"/practice/#practice-\d+$"))
    assert_fits(page)
    returned = page.locator("#" + page.url.rsplit("#", 1)[1])
    expect(returned).to_contain_text(reason)

    tap(returned.get_by_role("link", name="修改后重新提交"))
    assert_fits(page)
    fill(page.get_by_label("实践内容"), "补充了企业盖章的实践证明。")
    tap(page.get_by_role("button", name="保存并重新提交审核"))
    expect(flash(page)).to_contain_text("修改已保存并提交审核。")
    assert_fits(page)
    resubmitted = page.locator("article", has_text="2025-07-01")
    expect(resubmitted.locator(".badge")).to_have_text("待审核")
    assert in_sight(resubmitted.locator(".badge"))


def test_on_a_phone_a_teacher_opens_the_printable_record(given, new_page):
    given(people.zhang_hongwei)
    page = on_phone(new_page, "teacher")
    tap(page.get_by_role("link", name="打印个人企业实践档案"))
    expect(page.get_by_role("heading", name="个人企业实践档案")).to_be_visible()
    assert_fits(page)
    expect(page.locator(".verdict")).to_have_count(3)
    for i in range(3):
        assert in_sight(page.locator(".verdict").nth(i))
    print_button = page.get_by_role("button", name="打印")
    print_button.scroll_into_view_if_needed()
    assert in_sight(print_button)


# --- school HR -------------------------------------------------------------------------------------------------


def test_on_a_phone_hr_registers_a_new_teacher_and_adds_an_employment_period(new_page, city):
    page = on_phone(new_page, "hr")
    phone_nav(page, "教师名单")
    tap(page.get_by_role("link", name="新增教师"))
    assert_fits(page)

    name, good = "苏婉清", id_number(born="19920315")
    fill(page.get_by_label("姓名", exact=True), name)
    fill(page.get_by_label("身份证号", exact=True), with_wrong_check_char(good))
    page.get_by_label("性别", exact=True).select_option(label="女")
    page.get_by_label("课程类别", exact=True).select_option(label="专业课教师")
    fill(page.get_by_label("专业", exact=True), "数控技术")
    page.get_by_label("岗位类型", exact=True).select_option(label="固定岗")
    fill(page.get_by_label("入职日期", exact=True), "2026-09-01")
    page.get_by_label("招聘方式", exact=True).select_option(label="公开招聘")
    page.get_by_label("学历", exact=True).select_option(label="本科")
    tap(page.get_by_role("button", name="保存"))

    error = page.locator(".invalid-feedback", has_text="身份证号")
    expect(error).to_have_text("身份证号校验位不正确（GB 11643），请核对")
    assert_fits(page)
    assert in_sight(error)
    fill(page.get_by_label("身份证号", exact=True), good)
    tap(page.get_by_role("button", name="保存"))
    expect(flash(page)).to_contain_text(f"已新增教师 {name}。")
    assert_fits(page)
    hire = page.locator(".rule-card", has_text="招聘资格")
    expect(hire.locator(".badge")).to_have_text("不符合")
    assert in_sight(hire)

    tap(page.get_by_role("link", name="添加工作经历"))
    expect(page.get_by_role("heading", name="添加工作经历")).to_be_visible()
    assert_fits(page)
    fill(page.get_by_label("工作单位"), "丹东曙光数控机床有限公司")
    page.get_by_label("单位类型").select_option(label="企业")
    fill(page.get_by_label("岗位/职务"), "数控编程员")
    fill(page.get_by_label("开始日期"), "2019-03-01")
    fill(page.get_by_label("结束日期（至今请留空）"), "2026-08-31")
    tap(page.get_by_role("button", name="保存"))

    expect(flash(page)).to_contain_text("已添加工作经历。")
    assert_fits(page)
    row = page.locator("#employment").get_by_role("row", name="丹东曙光数控机床有限公司")
    expect(row).to_contain_text("2019-03-01 – 2026-08-31")
    row.scroll_into_view_if_needed()
    assert in_sight(row.get_by_text("2019-03-01 – 2026-08-31"))
    expect(hire.locator(".badge")).to_have_text("符合")


def test_on_a_phone_hr_checks_a_candidate_before_hiring_and_reads_the_verdict(new_page, city):
    page = on_phone(new_page, "hr")
    phone_nav(page, "聘前核查")
    fill_candidate(page, worked_from="2025-07-01")
    tap(page.get_by_role("button", name="核查"))

    verdict = page.locator("#verdict")
    expect(verdict.locator(".badge")).to_have_text("不符合")
    expect(verdict).to_be_focused()
    expect(verdict.locator(".badge")).to_be_in_viewport()
    assert in_sight(verdict)
    expect(verdict).to_contain_text("未满足 36 个月企业工作经历的要求")
    assert_fits(page)

    fill(page.get_by_label("工作单位").nth(1), "五一八公司")
    page.get_by_label("单位类型").nth(1).select_option(label="企业")
    fill(page.get_by_label("开始日期").nth(1), "2023-07-01")
    fill(page.get_by_label("结束日期（至今请留空）").nth(1), "2025-06-30")
    tap(page.get_by_role("button", name="核查"))
    expect(verdict.locator(".badge")).to_have_text("符合")
    expect(verdict).to_be_focused()
    assert_fits(page)
    create = page.get_by_role("button", name="建立教师档案")
    create.scroll_into_view_if_needed()
    assert in_sight(create)


def test_on_a_phone_hr_verifies_one_practice_record_and_sends_another_back_with_a_reason(given, new_page):
    given(people.zhang_hongwei, people.li_xiaoyan)
    enterprise = li_xiaoyan_submits_a_visit(sign_in_on(new_page(), "teacher_li"))

    page = on_phone(new_page, "hr")
    phone_nav(page, "实践审核")
    record = page.locator("article", has_text="张宏伟").filter(has_text="克隆集团")
    expect(record).to_contain_text("顶岗实践 · 2025-07-01 – 2025-10-31")
    assert in_sight(record)
    tap(record.get_by_role("button", name="审核通过"))
    expect(flash(page)).to_contain_text("已审核通过：张宏伟 在克隆集团的企业实践。")
    assert_fits(page)

    returned = page.locator("article", has_text=enterprise)
    expect(returned).to_contain_text("李晓燕")
    reason = "没有上传企业盖章的考察证明，请补充后重新提交。"
    fill(returned.get_by_label("退回理由"), reason)
    tap(returned.get_by_role("button", name="退回"))
    expect(flash(page)).to_contain_text(f"已退回：李晓燕 在{enterprise}的企业实践。")
    expect(page.locator("article", has_text=enterprise)).to_have_count(0)
    assert_fits(page)


def test_on_a_phone_hr_dry_runs_an_import_file_and_reads_the_report(new_page, city):
    page = on_phone(new_page, "hr")
    phone_nav(page, "批量导入")
    good, bad = id_number(born="19950101"), with_wrong_check_char(id_number(born="19960202"))
    csv_text = (
        "姓名,身份证号,性别,课程类别,专业,岗位类型,入职日期,招聘方式,学历\n"
        f"邱文博,{good},男,专业课,数控技术,固定岗,2025-09-01,公开招聘,本科\n"
        f"温雅琴,{bad},女,专业课,电子商务,固定岗,2025-09-01,公开招聘,本科\n"
    )
    upload = page.get_by_label("导入文件")
    upload.scroll_into_view_if_needed()
    assert in_sight(upload)
    upload.set_input_files(files=[{"name": "教师名单.csv", "mimeType": "text/csv", "buffer": csv_text.encode("utf-8")}])
    tap(page.get_by_role("button", name="预检（不写入）"))

    report = page.locator("#import-report")
    status = report.get_by_role("status")
    expect(status).to_have_text("未导入：1 行有误（共 2 行），全部行都没有写入。请改正后重新导入。")
    assert_fits(page)
    status.scroll_into_view_if_needed()
    assert in_sight(status)
    summary = report.locator("details summary").first
    if report.locator("details").first.get_attribute("open") is None:
        tap(summary)
    detail = report.locator("details table tbody tr")
    expect(detail.locator("td")).to_have_text(["3", "身份证号", "身份证号校验位不正确（GB 11643），请核对"])
    assert_fits(page)
    detail.scroll_into_view_if_needed()
    for i in range(3):
        assert in_sight(detail.locator("td").nth(i)), f"cell {i} of the report's row is off the screen"


def test_on_a_phone_hr_creates_a_teachers_sign_in_account(given, new_page):
    given(zhao_mingxuan)
    page = on_phone(new_page, "hr")
    phone_nav(page, "教师名单")
    tap(page.get_by_role("link", name="赵明轩"))
    assert_fits(page)
    login = page.locator("#account").get_by_label("登录名")
    expect(login).to_have_value("zhaomingxuan")
    assert in_sight(login)
    tap(page.get_by_role("button", name="创建登录账号"))

    expect(page.get_by_role("heading", name="账号已创建")).to_be_visible()
    assert_fits(page)
    assert in_sight(page.locator("#one-time-password"))
    tap(page.get_by_role("link", name="我已记下，返回"))
    expect(page.locator("#account-login")).to_have_text("zhaomingxuan")
    assert_fits(page)


def test_on_a_phone_hr_requests_a_hire_exception(given, new_page):
    given(zhao_mingxuan)
    page = on_phone(new_page, "hr")
    phone_nav(page, "教师名单")
    tap(page.get_by_role("link", name="赵明轩"))
    fill(page.get_by_label("申请理由"), "数控技术专业急需教师，当地企业经历满三年的应聘者不足。")
    tap(page.get_by_role("button", name="提交例外申请"))

    expect(flash(page)).to_contain_text("招聘例外申请已提交，等待市教育局审批。")
    assert_fits(page)
    section = page.locator("#hire-exception")
    expect(section).to_contain_text("已有一份申请正在等待市教育局审批。")
    section.scroll_into_view_if_needed()
    assert in_sight(section.locator(".badge").first)


# --- the city education bureau ---------------------------------------------------------------------------------


def test_on_a_phone_the_bureau_filters_the_compliance_list_and_reads_the_cards(given, new_page):
    given(people.donggang, people.zhang_hongwei)
    page = on_phone(new_page, "bureau")
    phone_nav(page, "合规名单")
    page.get_by_label("学校", exact=True).select_option(label=DONGGANG)
    page.get_by_label("规则与状态").select_option(label="招聘资格：不符合")
    tap(page.get_by_role("button", name="查询"))

    expect(page.locator("[data-total]")).to_have_text("1 人")
    assert_fits(page)
    card = page.locator("table.table-cards tbody tr[data-teacher]")
    expect(card).to_have_count(1)
    hire = card.locator("td[data-label='招聘资格']")
    expect(hire.locator(".badge")).to_have_text("不符合")
    expect(hire).to_contain_text("学历未达到最低要求")
    for part in (card.get_by_role("link", name="陈海波"), hire.locator(".badge"), hire.get_by_text("学历未达到最低要求")):
        assert in_sight(part), f"{part} is off the screen"


def test_on_a_phone_the_bureau_exports_the_list_as_csv(given, new_page):
    given(people.donggang, people.fengcheng)
    page = on_phone(new_page, "bureau")
    phone_nav(page, "合规名单")
    page.get_by_label("学校", exact=True).select_option(label=DONGGANG)
    tap(page.get_by_role("button", name="查询"))
    expect(page.locator("tr[data-teacher]")).to_have_count(2)

    export = page.get_by_role("link", name="导出 CSV")
    export.scroll_into_view_if_needed()
    assert in_sight(export)
    with page.expect_download() as download_info:
        export.click()
    donggang_export(download_info.value)


def test_on_a_phone_the_bureau_approves_one_hire_exception_and_refuses_another_with_a_reason(given, new_page):
    given(people.hire_exceptions, zhao_mingxuan)
    hr = sign_in_on(new_page(), "hr")
    hr.goto("/teachers/")
    hr.get_by_role("link", name="赵明轩").click()
    hr.get_by_label("申请理由").fill("数控技术专业急需教师。")
    hr.get_by_role("button", name="提交例外申请").click()
    expect(flash(hr)).to_contain_text("招聘例外申请已提交")

    page = on_phone(new_page, "bureau")
    questions = accept_questions(page)
    phone_nav(page, "例外审批")
    request = page.locator("section[data-exception]", has_text="崔志远")
    expect(request.locator(".badge")).to_have_text("不符合")
    assert in_sight(request)
    fill(request.get_by_label("审批意见"), "同意。请学校安排该教师尽快完成企业实践。")
    tap(request.get_by_role("button", name="批准例外"))
    expect(flash(page)).to_contain_text("已批准 崔志远 的招聘例外申请。")
    assert_fits(page)
    approved = page.locator("tr[data-exception]", has_text="崔志远")
    expect(approved.locator(".badge")).to_have_text("已批准")
    approved.scroll_into_view_if_needed()
    assert in_sight(approved.locator(".badge"))

    request = page.locator("section[data-exception]", has_text="赵明轩")
    fill(request.get_by_label("审批意见（不批准时必填，学校人事会看到）"), "缺少企业工作经历证明。")
    tap(request.get_by_role("button", name="不批准"))
    refused = page.locator("tr[data-exception]", has_text="赵明轩")
    expect(refused.locator(".badge")).to_have_text("未批准")
    assert_fits(page)
    refused.scroll_into_view_if_needed()
    assert in_sight(refused.locator(".badge"))
    assert len(questions) == 2


def test_on_a_phone_the_bureau_opens_a_teacher_and_reads_the_rule_explanations(given, new_page):
    given(people.zhang_hongwei)
    page = on_phone(new_page, "bureau")
    phone_nav(page, "合规名单")
    tap(page.locator("tr[data-teacher]", has_text="张宏伟").get_by_role("link", name="张宏伟"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("张宏伟")
    assert_fits(page)
    cards = page.locator(".rule-card")
    expect(cards).to_have_count(3)
    practice = cards.filter(has_text="企业实践")
    expect(practice.locator(".badge").first).to_have_text("进度落后")
    for i in range(3):
        cards.nth(i).scroll_into_view_if_needed()
        assert in_sight(cards.nth(i)), f"rule card {i} is wider than the screen"
    explanation = practice.locator("li, p").first
    expect(explanation).to_be_visible()
    assert in_sight(explanation)


def test_on_a_phone_the_bureau_reads_the_dashboard(given, new_page):
    given(people.zhang_hongwei, people.hire_exceptions, people.donggang, people.fengcheng)
    page = on_phone(new_page, "bureau")
    phone_nav(page, "统计看板")
    expect(page.get_by_role("heading", name="统计看板")).to_be_visible()
    charts = page.locator("svg.chart >> visible=true")
    expect(charts).to_have_count(3)
    for i in range(3):
        charts.nth(i).scroll_into_view_if_needed()
        assert in_sight(charts.nth(i))
    total = page.locator("[data-figure=total]")
    expect(total).to_have_text("7")
    tap(total.locator("a"))
    expect(page.get_by_role("heading", name="合规名单")).to_be_visible()
    expect(page.locator("[data-total]")).to_have_text("7 人")
    assert_fits(page)


# --- the administrator -----------------------------------------------------------------------------------------


def test_on_a_phone_the_admin_creates_an_hr_account_and_sees_its_one_time_password(new_page, city):
    page = on_phone(new_page, "admin")
    phone_nav(page, "学校")
    tap(page.get_by_role("link", name=DONGGANG))
    assert_fits(page)
    tap(page.get_by_role("link", name="新增本校人事账号"))
    expect(page.get_by_role("heading", name="新增账号")).to_be_visible()
    assert_fits(page)
    expect(page.get_by_label("角色")).to_have_value("school_hr")
    fill(page.get_by_label("登录名"), "donggang-hr")
    fill(page.get_by_label("显示名称"), "东港人事科")
    tap(page.get_by_role("button", name="创建账号并生成一次性密码"))

    expect(page.get_by_role("heading", name="账号已创建")).to_be_visible()
    assert_fits(page)
    assert in_sight(page.locator("#one-time-password"))
    tap(page.get_by_role("link", name="我已记下，返回"))
    expect(page.locator("#account-state")).to_contain_text("下次登录须先修改一次性密码")
    assert_fits(page)


def test_on_a_phone_the_admin_resets_a_password(new_page, city):
    page = on_phone(new_page, "admin")
    questions = accept_questions(page)
    phone_nav(page, "账号管理")
    tap(page.locator("tr[data-login='hr']").get_by_role("link", name="hr", exact=True))
    assert_fits(page)
    tap(page.get_by_role("button", name="重置密码"))

    expect(page.get_by_role("heading", name="密码已重置")).to_be_visible()
    assert questions and questions[0].startswith("确定重置 hr 的密码吗？")
    assert_fits(page)
    assert in_sight(page.locator("#one-time-password"))
    tap(page.get_by_role("link", name="我已记下，返回"))
    expect(page.locator("#account-state")).to_contain_text("下次登录须先修改一次性密码")


def test_on_a_phone_the_admin_creates_a_school(new_page, city):
    page = on_phone(new_page, "admin")
    phone_nav(page, "学校")
    tap(page.get_by_role("link", name="新增学校"))
    expect(page.get_by_role("heading", name="新增学校")).to_be_visible()
    assert_fits(page)
    fill(page.get_by_label("学校名称"), "宽甸满族自治县职业教育中心")
    fill(page.get_by_label("所在县（市、区）"), "宽甸满族自治县")
    tap(page.get_by_role("button", name="保存"))

    expect(flash(page)).to_contain_text("已新增学校“宽甸满族自治县职业教育中心”")
    assert_fits(page)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("宽甸满族自治县职业教育中心")
    assert in_sight(heading)


def test_on_a_phone_the_admin_adds_a_future_policy_version(new_page, city):
    page = on_phone(new_page, "admin")
    phone_nav(page, "政策参数")
    tap(page.get_by_role("link", name="填入国家标准（5年累计6个月）"))
    assert_fits(page)
    expect(page.get_by_label("每周期企业实践要求（月）")).to_have_value("6")
    effective = "2029-11-17"
    fill(page.get_by_label("本版本生效日期"), effective)
    tap(page.get_by_role("button", name="新增版本"))

    expect(flash(page)).to_contain_text(f"已新增自 {effective} 起施行的政策参数版本。")
    assert_fits(page)
    added = page.locator(f"tr[data-version='{effective}']")
    expect(added.locator(".badge")).to_have_text("尚未生效")
    added.scroll_into_view_if_needed()
    assert in_sight(added.locator(".badge"))
    assert in_sight(added.get_by_role("link", name="修改"))
