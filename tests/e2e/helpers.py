"""Small things the browser journeys share: signing in on a page, flash messages, identity numbers, the pre-hire
candidate, a teacher's submitted visit."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.app.factories import Factory


def with_wrong_check_char(number: str) -> str:
    """The same number with a check character that does not fit."""
    wrong = next(c for c in "0123456789X" if c != number[-1])
    return number[:-1] + wrong


def sign_in_on(page, login: str):
    """Sign in through the form on `page` (any browser context) with the factories' password."""
    page.goto("/login")
    page.get_by_label("登录名").fill(login)
    page.get_by_label("密码").fill(Factory.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    return page


def li_xiaoyan_submits_a_visit(teacher) -> str:
    """On `teacher` (李晓燕's signed-in page), log a five-day company visit and submit it for review; returns the
    enterprise's name, which finds the record on HR's review queue."""
    enterprise = "丹东华隆机械有限公司"
    teacher.get_by_role("link", name="我的企业实践").click()
    teacher.get_by_label("实践企业").fill(enterprise)
    teacher.get_by_label("实践形式").select_option(label="企业考察观摩")
    teacher.get_by_label("开始日期").fill("2026-11-02")
    teacher.get_by_label("结束日期").fill("2026-11-06")
    teacher.get_by_role("button", name="保存并提交审核").click()
    expect(flash(teacher)).to_contain_text("实践记录已保存并提交")
    return enterprise


def flash(page):
    """The flash messages at the top of the page."""
    return page.locator("main .alert[role=alert]")


def fill_candidate(page, worked_from: str = "2020-07-01") -> None:
    """Fill the pre-hire check's form with a specialty teacher candidate (本科) who worked at a company from
    `worked_from` to 2027-02-28."""
    page.get_by_label("课程类别").select_option(label="专业课教师")
    page.get_by_label("岗位类型").select_option(label="固定岗")
    page.get_by_label("拟任教专业").fill("工业机器人")
    page.get_by_label("拟入职日期").fill("2027-03-01")
    page.get_by_label("招聘方式").select_option(label="公开招聘")
    page.get_by_label("学历").select_option(label="本科")
    page.get_by_label("工作单位").first.fill("丹东曙光机器人公司")
    page.get_by_label("单位类型").first.select_option(label="企业")
    page.get_by_label("岗位/职务").first.fill("应用工程师")
    page.get_by_label("开始日期").first.fill(worked_from)
    page.get_by_label("结束日期（至今请留空）").first.fill("2027-02-28")
