"""The main journeys again with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrow keys and typing; no click),
in a real browser: every control they need is reached with Tab, and every control Tab stops on shows its focus."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.app.factories import id_number
from tests.e2e import people
from tests.e2e.helpers import flash
from tests.e2e.keyboard import (
    FOCUS_SHOWN,
    choose,
    focused,
    keyboard_sign_in,
    nav,
    press_on,
    tab_to,
    type_date,
    type_into,
    type_new_teacher,
)
from tests.e2e.people import DONGGANG

pytestmark = pytest.mark.e2e

def test_a_person_signs_in_with_the_keyboard_alone(given, page):
    given(people.zhang_hongwei)
    keyboard_sign_in(page, "teacher")
    expect(page.get_by_role("heading", name="张宏伟 老师，您好")).to_be_visible()


def test_hr_registers_a_new_teacher_with_the_keyboard_alone(city, page):
    keyboard_sign_in(page, "hr")
    press_on(page, nav(page, "教师名单"))
    press_on(page, page.get_by_role("link", name="新增教师"))
    expect(page.get_by_role("heading", name="新增教师")).to_be_visible()

    name = "苏婉清"
    type_new_teacher(page, name, id_number(born="19920315"))
    press_on(page, page.get_by_role("button", name="保存"))

    expect(flash(page)).to_contain_text(f"已新增教师 {name}。")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


def test_a_teacher_submits_practice_with_the_keyboard_alone(given, page):
    given(people.zhang_hongwei)
    keyboard_sign_in(page, "teacher")
    press_on(page, nav(page, "我的企业实践"))
    expect(page.get_by_role("heading", name="我的企业实践")).to_be_visible()

    new = page.locator("#new")
    enterprise = "丹东黄海汽车有限公司"
    type_into(page, new.get_by_label("实践企业"), enterprise)
    choose(page, new.get_by_label("实践形式"), "跟岗实践")
    type_date(page, new.get_by_label("开始日期"), "2026-10-08")
    type_date(page, new.get_by_label("结束日期"), "2026-10-30")
    type_into(page, new.get_by_label("实践内容"), "在售后服务中心跟岗学习动力电池检测。")
    press_on(page, new.get_by_role("button", name="保存并提交审核"))

    expect(flash(page)).to_have_text(re.compile("实践记录已保存并提交，等待学校人事审核。"))
    expect(page.locator("article", has_text=enterprise).locator(".badge")).to_have_text("待审核")


def test_hr_verifies_a_practice_record_with_the_keyboard_alone(given, page):
    given(people.zhang_hongwei)
    keyboard_sign_in(page, "hr")
    press_on(page, nav(page, "实践审核"))
    record = page.locator("article", has_text="张宏伟").filter(has_text="克隆集团")
    press_on(page, record.get_by_role("button", name="审核通过"), "Space")

    expect(flash(page)).to_contain_text("已审核通过：张宏伟 在克隆集团的企业实践。")
    expect(page.locator("article", has_text="张宏伟").filter(has_text="2025-07-01")).to_have_count(0)


def test_the_bureau_filters_the_compliance_list_with_the_keyboard_alone(given, page):
    given(people.donggang, people.zhang_hongwei)
    keyboard_sign_in(page, "bureau")
    press_on(page, nav(page, "合规名单"))
    expect(page.get_by_role("heading", name="合规名单")).to_be_visible()

    choose(page, page.get_by_label("学校", exact=True), DONGGANG)
    choose(page, page.get_by_label("规则与状态"), "招聘资格：不符合")
    press_on(page, page.get_by_role("button", name="查询"))

    rows = page.locator("table tbody tr[data-teacher]")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link", name="陈海波")).to_be_visible()
    expect(page.locator(".badge.text-bg-light")).to_have_text([f"学校：{DONGGANG}", "招聘资格：不符合"])


def test_a_teacher_follows_the_bell_with_the_keyboard_alone(given, page, new_page):
    given(people.zhang_hongwei)
    hr = keyboard_sign_in(new_page(), "hr")
    press_on(hr, nav(hr, "实践审核"))
    record = hr.locator("article", has_text="张宏伟").filter(has_text="2025-07-01")
    reason = "实践证明缺少企业盖章，请补充后重新提交。"
    type_into(hr, record.get_by_label("退回理由"), reason)
    press_on(hr, record.get_by_role("button", name="退回"))
    expect(flash(hr)).to_contain_text("已退回：张宏伟")

    keyboard_sign_in(page, "teacher")
    bell = page.locator("#notification-bell")
    expect(bell).to_have_attribute("data-unread", "1")
    press_on(page, bell)
    expect(page.get_by_role("heading", name="通知", exact=True)).to_be_visible()
    item = page.locator("#notifications li[data-notification]").first
    expect(item).to_contain_text(reason)
    press_on(page, item.get_by_role("button", name="修改并重新提交"))

    page.wait_for_url(re.compile(r"/practice/#practice-\d+$"))
    expect(page.locator("#" + page.url.rsplit("#", 1)[1])).to_contain_text(reason)
    expect(bell).to_have_attribute("data-unread", "0")


def test_a_person_signs_out_through_the_account_menu_with_the_keyboard_alone(city, page):
    keyboard_sign_in(page, "hr")
    tab_to(page, page.locator(".navbar-user"))
    page.keyboard.press("Enter")  # opens the account menu
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    for _ in range(3):  # 我的账号, 修改密码, 退出
        page.keyboard.press("ArrowDown")
    expect(page.get_by_role("button", name="退出")).to_be_focused()
    assert page.evaluate(FOCUS_SHOWN), f"the focus is not visible on {focused(page)}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/login")
    expect(page.get_by_text("您已退出登录")).to_be_visible()
