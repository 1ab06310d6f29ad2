"""The main journeys again with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrow keys and typing; no click),
in a real browser: every control they need is reached with Tab, and every control Tab stops on shows its focus."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.app.factories import Factory, id_number
from tests.e2e import people
from tests.e2e.helpers import flash
from tests.e2e.people import DONGGANG

pytestmark = pytest.mark.e2e

# The focus on <body> is the focus gone to the browser's own controls, past the page's last control.
FOCUS_SHOWN = """() => {
    if (document.activeElement === document.body) return true;
    const style = getComputedStyle(document.activeElement);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || (style.boxShadow !== 'none' && style.boxShadow !== '');
}"""


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.outerHTML.slice(0, 160)")


def tab_to(page, target, limit: int = 80) -> None:
    """Press Tab until `target` has the focus, checking that each control the focus lands on shows it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_SHOWN), f"the focus is not visible on {focused(page)}"
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} not reached with {limit} presses of Tab")


def type_into(page, field, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


def choose(page, select, label: str) -> None:
    """Tab to a drop-down and move through it with the arrow keys until `label` is chosen."""
    tab_to(page, select)
    options = select.evaluate("s => [...s.options].map(o => o.label)")
    assert label in options, f"{label} not among {options}"
    current = select.evaluate("s => s.selectedIndex")
    key = "ArrowDown" if options.index(label) > current else "ArrowUp"
    for _ in range(abs(options.index(label) - current)):
        page.keyboard.press(key)
    expect(select.locator("option:checked")).to_have_text(label)


# The browser lays the date field's parts out in the order of its own locale.
DATE_ORDERS = (("year", "month", "day"), ("month", "day", "year"), ("day", "month", "year"))


def type_date(page, field, iso: str) -> None:
    """A date typed part by part into the browser's date field, in the order its locale lays them out: a month or a
    day is complete at two digits and moves on by itself; a year takes more digits, so the arrow key moves on. When
    the order tried is not the field's, Shift+Tab goes back to its first part and the next order is typed over it."""
    tab_to(page, field)
    parts = dict(zip(("year", "month", "day"), iso.split("-"), strict=True))
    for order in DATE_ORDERS:
        for position, part in enumerate(order):
            page.keyboard.type(parts[part])
            if part == "year" and position < 2:
                page.keyboard.press("ArrowRight")
        if field.input_value() == iso:
            return
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
    expect(field).to_have_value(iso)


def press_on(page, control, key: str = "Enter") -> None:
    """Tab to a link or a button and press `key` on it, waiting for the page it leads to."""
    tab_to(page, control)
    with page.expect_navigation():
        page.keyboard.press(key)


def keyboard_sign_in(page, login: str):
    page.goto("/login")
    type_into(page, page.get_by_label("登录名"), login)
    type_into(page, page.get_by_label("密码"), Factory.PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/")
    return page


def nav(page, name: str):
    return page.get_by_role("navigation").get_by_role("link", name=name, exact=True)


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
    type_into(page, page.get_by_label("姓名", exact=True), name)
    type_into(page, page.get_by_label("身份证号", exact=True), id_number(born="19920315"))
    choose(page, page.get_by_label("性别", exact=True), "女")
    choose(page, page.get_by_label("课程类别", exact=True), "专业课教师")
    type_into(page, page.get_by_label("专业", exact=True), "数控技术")
    choose(page, page.get_by_label("岗位类型", exact=True), "固定岗")
    type_date(page, page.get_by_label("入职日期", exact=True), "2026-09-01")
    choose(page, page.get_by_label("招聘方式", exact=True), "公开招聘")
    choose(page, page.get_by_label("学历", exact=True), "本科")
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
