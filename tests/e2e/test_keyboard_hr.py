"""School HR's browser journeys again with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrow keys and typing;
no click, no fill): every control they need is reached with Tab, and every control Tab stops on shows its focus.
The mouse journeys they twin are named in each test's docstring."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.app.factories import id_number
from tests.app.inputs import one_page_pdf
from tests.conftest import FROZEN_NOW
from tests.e2e import people
from tests.e2e.helpers import flash, with_wrong_check_char
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
    tab_back_to,
    tab_to,
    tick,
    type_date,
    type_into,
    type_new_teacher,
    unreachable_by_tab,
)
from tests.e2e.people import MAIN, D
from tests.e2e.test_import_journey import XLSX, two_visible_sheets, workbook

pytestmark = pytest.mark.e2e


def hire_card(page):
    return page.locator(".rule-card", has_text="招聘资格")


def focus_is_shown(page) -> None:
    assert page.evaluate(FOCUS_SHOWN), f"the focus is not visible on {focused(page)}"


def wang_fang(make, city) -> None:
    """王芳, hired at HR's school with no enterprise work on record (so not qualified to be hired), and no account."""
    make.teacher(city.school(MAIN), name="王芳", gender="female", specialty="电子商务", hire_date=D("2025-09-01"))


def type_candidate(page, worked_from: str) -> None:
    """The pre-hire form as helpers.fill_candidate fills it with the mouse: a specialty teacher candidate (本科) who
    worked at a company from `worked_from` to 2027-02-28."""
    choose(page, page.get_by_label("课程类别"), "专业课教师")
    choose(page, page.get_by_label("岗位类型"), "固定岗")
    type_into(page, page.get_by_label("拟任教专业"), "工业机器人")
    type_date(page, page.get_by_label("拟入职日期"), "2027-03-01")
    choose(page, page.get_by_label("招聘方式"), "公开招聘")
    choose(page, page.get_by_label("学历"), "本科")
    type_into(page, page.get_by_label("工作单位").first, "丹东曙光机器人公司")
    choose(page, page.get_by_label("单位类型").first, "企业")
    type_into(page, page.get_by_label("岗位/职务").first, "应用工程师")
    type_date(page, page.get_by_label("开始日期").first, worked_from)
    type_date(page, page.get_by_label("结束日期（至今请留空）").first, "2027-02-28")


def check_candidate(page):
    """Press 核查 and return the verdict, which takes the focus on the page that answers, visibly."""
    press_on(page, page.get_by_role("button", name="核查"))
    verdict = page.locator("#verdict")
    expect(verdict).to_be_focused()
    focus_is_shown(page)
    return verdict


def open_teacher(page, name: str) -> None:
    press_on(page, nav(page, "教师名单"))
    press_on(page, page.get_by_role("link", name=name, exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


# --- the teacher's record ------------------------------------------------------------------------------------------


def test_hr_adds_an_employment_period_and_the_hiring_verdict_turns_compliant_with_the_keyboard_alone(city, page):
    """test_hr_journeys.py test_hr_adds_an_employment_period_and_the_hiring_verdict_turns_compliant"""
    keyboard_sign_in(page, "hr")
    press_on(page, nav(page, "教师名单"))
    press_on(page, page.get_by_role("link", name="新增教师"))
    name = "韩立军"
    type_new_teacher(page, name, id_number(born="19880620"))
    press_on(page, page.get_by_role("button", name="保存"))
    expect(flash(page)).to_contain_text(f"已新增教师 {name}。")
    expect(hire_card(page).locator(".badge")).to_have_text("不符合")
    expect(page.locator("#employment")).to_contain_text("尚无工作经历。")

    press_on(page, page.get_by_role("link", name="添加工作经历"))
    expect(page.get_by_role("heading", name="添加工作经历")).to_be_visible()
    type_into(page, page.get_by_label("工作单位"), "丹东曙光数控机床有限公司")
    choose(page, page.get_by_label("单位类型"), "企业")
    type_into(page, page.get_by_label("岗位/职务"), "数控编程员")
    type_date(page, page.get_by_label("开始日期"), "2019-03-01")
    type_date(page, page.get_by_label("结束日期（至今请留空）"), "2026-08-31")
    press_on(page, page.get_by_role("button", name="保存"))

    expect(flash(page)).to_contain_text("已添加工作经历。")
    employment = page.locator("#employment")
    expect(employment.get_by_role("row", name="丹东曙光数控机床有限公司")).to_contain_text("2019-03-01 – 2026-08-31")
    expect(employment.locator("tfoot")).to_contain_text("90")
    expect(hire_card(page).locator(".badge")).to_have_text("符合")


def test_hr_is_told_which_identity_number_is_wrong_and_corrects_it_with_the_keyboard_alone(city, page):
    """test_hr_journeys.py test_hr_registers_a_new_teacher_after_correcting_the_identity_number: the field in error
    is reached again with Tab, its text replaced with Ctrl+A and typing."""
    keyboard_sign_in(page, "hr")
    press_on(page, nav(page, "教师名单"))
    press_on(page, page.get_by_role("link", name="新增教师"))
    name, good = "苏婉清", id_number(born="19920315")
    type_new_teacher(page, name, with_wrong_check_char(good))
    press_on(page, page.get_by_role("button", name="保存"))

    number = page.get_by_label("身份证号", exact=True)
    expect(page.locator(".invalid-feedback", has_text="身份证号")).to_have_text("身份证号校验位不正确（GB 11643），请核对")
    retype_into(page, number, good)
    press_on(page, page.get_by_role("button", name="保存"))

    expect(flash(page)).to_contain_text(f"已新增教师 {name}。")
    expect(page.locator("#basic")).to_contain_text(good)


def test_hr_is_asked_before_deleting_a_record_and_a_no_keeps_it_with_the_keyboard_alone(given, page):
    """test_content_security_policy.py test_hr_is_asked_before_deleting_a_record_and_a_no_keeps_it"""
    given(people.zhang_hongwei)
    keyboard_sign_in(page, "hr")
    open_teacher(page, "张宏伟")
    requests = []
    page.on("request", lambda request: requests.append(request))
    delete = page.locator("#employment tr", has_text="克隆集团").get_by_role("button", name="删除")

    tab_to(page, delete)
    first = answer_dialog(page, accept=False)
    page.keyboard.press("Enter")  # returns once the question is answered: confirm() holds the key's default action
    assert first == ["确定删除这条记录吗？"]
    expect(delete).to_be_focused()  # a no leaves the person where they were
    second = answer_dialog(page, accept=True)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert second == ["确定删除这条记录吗？"]
    expect(flash(page)).to_contain_text("已删除工作经历。")
    expect(page.locator("#employment tr", has_text="克隆集团")).to_have_count(0)
    deletions = [r for r in requests if r.method == "POST" and r.url.endswith("/delete")]
    assert len(deletions) == 1  # the first answer, no, sent nothing


def test_hr_reaches_the_printable_record_and_prints_it_with_the_keyboard_alone(given, page):
    """test_printing.py test_hr_reaches_the_printable_record_from_the_teacher_page"""
    given(people.zhang_hongwei)
    keyboard_sign_in(page, "hr")
    open_teacher(page, "张宏伟")
    press_on(page, page.get_by_role("link", name="打印档案"))
    expect(page.get_by_role("heading", name="个人企业实践档案")).to_be_visible()
    expect(page.locator(".verdict")).to_have_count(3)
    expect(page.locator("[data-table=practice] tbody tr")).to_have_count(4)

    # Chromium's print dialog would hold the page: the test only learns that the button asked for it.
    page.evaluate("window.print = () => { window.printed = true }")
    tab_to(page, page.get_by_role("button", name="打印"))
    page.keyboard.press("Enter")
    assert page.evaluate("window.printed") is True


def test_hr_creates_a_teachers_sign_in_account_with_the_keyboard_alone(given, page):
    """The teacher page's 登录账号 section (tests/app/test_admin_users.py
    test_hr_creates_a_teachers_account_with_the_proposed_login_and_the_teacher_must_change_the_password)."""
    given(wang_fang)
    keyboard_sign_in(page, "hr")
    open_teacher(page, "王芳")
    account = page.locator("#account")
    login = account.get_by_label("登录名")
    expect(login).to_have_value("wangfang")  # proposed from the name
    retype_into(page, login, "wangfang.dd")
    press_on(page, account.get_by_role("button", name="创建登录账号"))

    expect(page.get_by_role("heading", name="账号已创建")).to_be_visible()
    expect(page.locator("#login")).to_have_text("wangfang.dd")
    expect(page.locator("#one-time-password")).to_have_text(re.compile(r"\S{8,}"))
    press_on(page, page.get_by_role("link", name="我已记下，返回"))

    expect(page.locator("#account-login")).to_have_text("wangfang.dd")
    expect(page.locator("#account-state")).to_have_text("可用，待本人首次登录修改一次性密码")
    expect(account.get_by_role("button", name="创建登录账号")).to_have_count(0)


def test_hr_requests_a_hire_exception_for_a_teacher_with_the_keyboard_alone(given, page):
    """The teacher page's 招聘例外申请 section (tests/app/test_exceptions.py test_hr_requests_through_the_teacher_page)."""
    given(wang_fang)
    keyboard_sign_in(page, "hr")
    open_teacher(page, "王芳")
    expect(hire_card(page).locator(".badge")).to_have_text("不符合")
    section = page.locator("#hire-exception")
    reason = "电子商务专业新设，急需有直播电商运营经验的教师。"
    type_into(page, section.get_by_label("申请理由"), reason)
    press_on(page, section.get_by_role("button", name="提交例外申请"))

    expect(flash(page)).to_contain_text("招聘例外申请已提交，等待市教育局审批。")
    expect(section.get_by_role("row", name=reason)).to_contain_text("待审批")
    expect(section).to_contain_text("已有一份申请正在等待市教育局审批。")
    expect(section.get_by_label("申请理由")).to_have_count(0)


# --- the pre-hire check --------------------------------------------------------------------------------------------


def test_hr_checks_a_candidate_before_hiring_with_the_keyboard_alone(city, page):
    """test_hr_journeys.py test_hr_checks_a_candidate_before_hiring"""
    keyboard_sign_in(page, "hr")
    press_on(page, nav(page, "聘前核查"))
    expect(page.get_by_role("heading", name="聘前核查", exact=True)).to_be_visible()

    type_candidate(page, worked_from="2025-07-01")
    verdict = check_candidate(page)
    expect(verdict.locator(".badge")).to_have_text("不符合")
    expect(verdict).to_contain_text("未满足 36 个月企业工作经历的要求")
    expect(page.get_by_role("button", name="建立教师档案")).to_have_count(0)

    # Two more years at an earlier employer, in the second row, above the verdict that has the focus.
    tab_back_to(page, page.get_by_label("工作单位").nth(1))
    page.keyboard.type("五一八公司")
    choose(page, page.get_by_label("单位类型").nth(1), "企业")
    type_date(page, page.get_by_label("开始日期").nth(1), "2023-07-01")
    type_date(page, page.get_by_label("结束日期（至今请留空）").nth(1), "2025-06-30")
    verdict = check_candidate(page)

    expect(verdict.locator(".badge")).to_have_text("符合")
    expect(verdict).to_contain_text("决定聘用？直接建立教师档案")
    expect(page.get_by_label("工作单位").nth(1)).to_have_value("五一八公司")


def test_hr_adds_a_row_and_ticks_a_related_certificate_in_the_pre_hire_check_with_the_keyboard_alone(city, page):
    """A graduate short of three years' work qualifies with a related skill certificate (rules.md, hire rule 2): the
    certificate goes in a row added with 再加一行 and 与所教专业相关 is ticked with Space."""
    keyboard_sign_in(page, "hr")
    press_on(page, nav(page, "聘前核查"))
    type_candidate(page, worked_from="2025-07-01")
    certificates = page.locator('[data-rows="certificates"] tr')
    expect(certificates).to_have_count(2)
    tab_to(page, page.locator('[data-add-row="certificates"]'))
    page.keyboard.press("Enter")
    expect(certificates).to_have_count(3)
    added = certificates.nth(2)
    expect(added.get_by_label("证书类别")).to_be_focused()  # the new row's first field
    focus_is_shown(page)
    page.keyboard.press("Shift+Tab")  # choose() tabs to the drop-down, which has the focus already
    choose(page, added.get_by_label("证书类别"), "职业技能等级证书/职业资格证书")
    type_into(page, added.get_by_label("证书名称"), "工业机器人系统运维员")
    choose(page, added.get_by_label("等级（职业技能等级证书必填）"), "四级/中级工")
    type_date(page, added.get_by_label("发证日期"), "2026-06-20")
    verdict = check_candidate(page)
    expect(verdict.locator(".badge")).to_have_text("不符合")  # a certificate not marked related does not count

    related = page.locator('[data-rows="certificates"] tr').nth(2).get_by_label("与所教专业相关")
    expect(related).not_to_be_checked()
    tab_back_to(page, related)
    page.keyboard.press("Space")
    expect(related).to_be_checked()
    verdict = check_candidate(page)

    expect(verdict.locator(".badge")).to_have_text("符合")
    expect(page.locator('[data-rows="certificates"] tr').nth(2).get_by_label("与所教专业相关")).to_be_checked()


def test_hr_removes_a_work_history_row_of_the_pre_hire_check_with_the_keyboard_alone(city, page):
    """The × of a row removes it; the focus stays in the table, on the × of the row now in its place."""
    keyboard_sign_in(page, "hr")
    press_on(page, nav(page, "聘前核查"))
    rows = page.locator('[data-rows="employment"] tr')
    expect(rows).to_have_count(3)
    type_into(page, rows.nth(0).get_by_label("工作单位"), "丹东曙光机器人公司")
    type_into(page, rows.nth(1).get_by_label("工作单位"), "五一八公司")
    tab_back_to(page, rows.nth(0).get_by_role("button", name="移除这一行"))
    page.keyboard.press("Enter")

    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_label("工作单位")).to_have_value("五一八公司")
    expect(rows.nth(0).get_by_role("button", name="移除这一行")).to_be_focused()
    focus_is_shown(page)


# --- practice review -----------------------------------------------------------------------------------------------


def test_hr_sends_a_practice_record_back_with_a_reason_with_the_keyboard_alone(given, page, new_page):
    """test_hr_journeys.py test_hr_sends_a_practice_record_back_with_a_reason"""
    given(people.li_xiaoyan)
    enterprise = "丹东华隆机械有限公司"
    teacher = keyboard_sign_in(new_page(), "teacher_li")
    press_on(teacher, nav(teacher, "我的企业实践"))
    new = teacher.locator("#new")
    type_into(teacher, new.get_by_label("实践企业"), enterprise)
    choose(teacher, new.get_by_label("实践形式"), "企业考察观摩")
    type_date(teacher, new.get_by_label("开始日期"), "2026-11-02")
    type_date(teacher, new.get_by_label("结束日期"), "2026-11-06")
    press_on(teacher, new.get_by_role("button", name="保存并提交审核"))
    expect(flash(teacher)).to_contain_text("实践记录已保存并提交")

    keyboard_sign_in(page, "hr")
    press_on(page, nav(page, "实践审核"))
    record = page.locator("article", has_text=enterprise)
    expect(record).to_contain_text("李晓燕")
    expect(record).to_contain_text("未上传证明材料")
    reason = "没有上传企业盖章的考察证明，请补充后重新提交。"
    type_into(page, record.get_by_label("退回理由"), reason)
    press_on(page, record.get_by_role("button", name="退回"))

    expect(flash(page)).to_contain_text(f"已退回：李晓燕 在{enterprise}的企业实践。")
    expect(page.locator("article", has_text=enterprise)).to_have_count(0)
    teacher.reload()
    returned = teacher.locator("article", has_text=enterprise)
    expect(returned.locator(".badge")).to_have_text("已退回")
    expect(returned).to_contain_text(reason)


def test_hr_selects_every_record_of_the_review_page_and_verifies_them_in_bulk_with_the_keyboard_alone(given, page):
    """test_content_security_policy.py test_select_all_picks_every_record_of_the_review_page, then the bulk
    verification it prepares, confirmed."""
    given(people.zhang_hongwei)
    keyboard_sign_in(page, "hr")
    press_on(page, nav(page, "实践审核"))
    choices = page.locator(".bulk-choice")
    expect(choices).not_to_have_count(0)
    select_all = page.get_by_label("全选本页")

    tick(page, select_all)
    for choice in choices.all():
        expect(choice).to_be_checked()
    page.keyboard.press("Space")
    for choice in choices.all():
        expect(choice).not_to_be_checked()
    page.keyboard.press("Space")
    press_on(page, page.get_by_role("button", name="所选记录批量审核通过…"))

    expect(page.get_by_role("heading", name="确认批量审核通过")).to_be_visible()
    ready = page.get_by_role("table", name="将审核通过的记录").locator("tbody tr")
    expect(ready).to_have_count(1)
    expect(ready).to_contain_text("克隆集团")
    press_on(page, page.get_by_role("button", name="确认审核通过这 1 条记录"))

    expect(flash(page)).to_contain_text("已批量审核通过 1 条记录。")
    expect(page.get_by_text("没有待审核的记录。")).to_be_visible()


def test_hr_previews_a_submitted_pdf_in_its_frame_with_the_keyboard_alone(given, page, new_page, tmp_path):
    """test_content_security_policy.py test_hr_previews_a_submitted_pdf_in_its_frame_on_the_review_page: the teacher
    attaches the file through the browser's file chooser opened with Space, HR opens the preview with Enter."""
    given(people.zhang_hongwei)
    evidence = tmp_path / "盖章证明.pdf"
    evidence.write_bytes(one_page_pdf())
    teacher = keyboard_sign_in(new_page(), "teacher")
    press_on(teacher, nav(teacher, "我的企业实践"))
    new = teacher.locator("#new")
    type_into(teacher, new.get_by_label("实践企业"), "丹东黄海汽车有限公司")
    choose(teacher, new.get_by_label("实践形式"), "跟岗实践")
    type_date(teacher, new.get_by_label("开始日期"), "2026-10-08")
    type_date(teacher, new.get_by_label("结束日期"), "2026-10-30")
    choose_file(teacher, new.get_by_label("证明材料"), evidence)
    press_on(teacher, new.get_by_role("button", name="保存并提交审核"))
    expect(flash(teacher)).to_contain_text("等待学校人事审核")

    keyboard_sign_in(page, "hr")
    press_on(page, nav(page, "实践审核"))
    record = page.locator("article", has_text="丹东黄海汽车有限公司")
    summary = record.locator("summary", has_text="盖章证明.pdf")
    tab_to(page, summary)
    with page.expect_event("framenavigated", predicate=lambda frame: frame.parent_frame == page.main_frame) as shown:
        page.keyboard.press("Enter")
    expect(summary.locator("xpath=..")).to_have_attribute("open", "")
    assert "/practice/evidence/" in shown.value.url


# --- imports -------------------------------------------------------------------------------------------------------


def open_imports(page) -> None:
    press_on(page, nav(page, "批量导入"))
    expect(page.get_by_role("heading", name="批量导入教师档案")).to_be_visible()


def test_hr_dry_runs_an_import_file_and_reads_where_it_is_wrong_with_the_keyboard_alone(city, page):
    """test_hr_journeys.py test_hr_dry_runs_an_import_file_and_reads_where_it_is_wrong"""
    keyboard_sign_in(page, "hr")
    open_imports(page)
    good, bad = id_number(born="19950101"), with_wrong_check_char(id_number(born="19960202"))
    csv_text = (
        "姓名,身份证号,性别,课程类别,专业,岗位类型,入职日期,招聘方式,学历\n"
        f"邱文博,{good},男,专业课,数控技术,固定岗,2025-09-01,公开招聘,本科\n"
        f"温雅琴,{bad},女,专业课,电子商务,固定岗,2025-09-01,公开招聘,本科\n"
    )
    choose_file(page, page.get_by_label("导入文件"),
                [{"name": "教师名单.csv", "mimeType": "text/csv", "buffer": csv_text.encode("utf-8")}])
    tab_to(page, page.get_by_role("button", name="预检（不写入）"))
    page.keyboard.press("Enter")

    report = page.locator("#import-report")
    expect(report).to_be_focused()  # the preview button, disabled while it works, would leave the focus nowhere
    focus_is_shown(page)
    expect(report.get_by_role("status")).to_have_text("未导入：1 行有误（共 2 行），全部行都没有写入。请改正后重新导入。")
    detail = report.locator("details table tbody tr")
    expect(detail.locator("td")).to_have_text(["3", "身份证号", "身份证号校验位不正确（GB 11643），请核对"])

    press_on(page, nav(page, "教师名单"))
    type_into(page, page.get_by_placeholder("按姓名搜索"), "邱文博")
    press_on(page, page.get_by_role("button", name="查询"))
    expect(page.get_by_text("没有符合条件的教师。")).to_be_visible()


def test_hr_previews_a_workbook_and_confirms_its_import_with_the_keyboard_alone(city, page):
    """test_import_journey.py test_hr_previews_a_workbook_sees_its_progress_and_warning_then_confirms_and_reads_the_counts"""
    keyboard_sign_in(page, "hr")
    open_imports(page)
    choose_file(page, page.get_by_label("导入文件"), [{"name": "教师档案.xlsx", "mimeType": XLSX, "buffer": workbook()}])
    tab_to(page, page.get_by_role("button", name="预检（不写入）"))
    page.keyboard.press("Enter")

    report = page.locator("#import-report")
    expect(report.get_by_role("status")).to_contain_text("检查通过（尚未写入）：共 3 行")
    warning = report.locator("#import-warnings tbody tr")
    expect(warning.locator("td")).to_have_text(["教师", "3", "性别", re.compile("与身份证号第 17 位.*不符")])
    tab_to(page, page.get_by_role("button", name="有 1 条提醒，确认无误后导入"))
    page.keyboard.press("Enter")

    expect(report.get_by_role("status")).to_contain_text("导入完成：共 3 行")
    expect(report).to_be_focused()  # the new report, in place of the button pressed
    counts = report.locator("#import-counts tbody tr")
    expect(counts.nth(0).locator("td")).to_have_text(["教师", "2", "0", "0"])
    expect(counts.nth(1).locator("td")).to_have_text(["工作经历", "1", "0", "0"])


def test_hr_chooses_the_sheet_of_a_workbook_with_several_with_the_keyboard_alone(city, page):
    """test_import_journey.py test_a_workbook_with_several_visible_sheets_lets_hr_choose_the_one_to_import"""
    content = two_visible_sheets()

    keyboard_sign_in(page, "hr")
    open_imports(page)
    sheet = page.get_by_label("工作表")
    expect(sheet).to_be_hidden()
    choose_file(page, page.get_by_label("导入文件"), [{"name": "名单.xlsx", "mimeType": XLSX, "buffer": content}])
    preview = page.get_by_role("button", name="预检（不写入）")
    tab_to(page, preview)
    page.keyboard.press("Enter")

    report = page.locator("#import-report")
    expect(report).to_contain_text("没有读取的工作表：2026年")
    expect(sheet).to_be_visible()
    tab_back_to(page, sheet)
    choose(page, sheet, "2026年")
    tab_to(page, preview)
    page.keyboard.press("Enter")
    expect(report.get_by_role("status")).to_contain_text("检查通过（尚未写入）：共 1 行，将新增 1 名教师")
    expect(report).to_contain_text("已读取的工作表：2026年")


def test_hr_downloads_the_schools_roster_with_the_keyboard_alone(given, page):
    """The 导出本校花名册 link of /imports/: the workbook of HR's own school, named after it and the day."""
    given(people.zhang_hongwei)
    keyboard_sign_in(page, "hr")
    open_imports(page)
    tab_to(page, page.get_by_role("link", name="导出本校花名册（可修改后再导入）"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"{MAIN}花名册-{FROZEN_NOW.date().isoformat()}.xlsx"


# --- the home page -------------------------------------------------------------------------------------------------


def test_hr_opens_the_full_list_and_the_own_dashboard_from_the_home_page_with_the_keyboard_alone(given, page):
    """test_home_pages.py test_hr_sees_the_own_schools_work_and_opens_the_full_list_and_the_own_dashboard"""
    given(people.zhang_hongwei, people.li_xiaoyan, people.hire_exceptions, people.donggang)
    keyboard_sign_in(page, "hr")
    expect(page.get_by_role("heading", name="首页：待办事项")).to_be_visible()
    behind = page.locator('[data-home="practice-behind"]')
    expect(behind.locator("li", has_text="张宏伟")).to_be_visible()

    press_on(page, behind.locator('[data-count="practice-behind"]'))
    expect(page.get_by_role("heading", name="合规名单")).to_be_visible()
    rows = page.locator("table tbody tr[data-teacher]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("张宏伟")

    press_on(page, nav(page, "统计看板"))
    expect(page.get_by_role("heading", name="统计看板")).to_be_visible()
    expect(page.locator("tr[data-school]")).to_have_count(1)
    expect(page.locator("tr[data-school]")).to_contain_text(MAIN)


# --- every control --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("way", [("教师名单", "张宏伟"), ("聘前核查",), ("实践审核",), ("批量导入",)],
                         ids=["teacher page", "pre-hire check", "practice review", "import"])
def test_tab_reaches_every_control_of_hrs_working_pages(given, page, way):
    """Beyond the journeys: Tab goes through every control of the page's main part, each showing its focus."""
    given(people.zhang_hongwei)
    keyboard_sign_in(page, "hr")
    press_on(page, nav(page, way[0]))
    if len(way) > 1:
        press_on(page, page.get_by_role("link", name=way[1], exact=True))
    assert unreachable_by_tab(page, page.locator("main"), limit=300) == []
