"""Each staff role signs in and finds on its home page what needs doing now, in a real browser."""
import pytest
from playwright.sync_api import expect

from tests.e2e import people
from tests.e2e.people import DONGGANG, MAIN, MINZU

pytestmark = pytest.mark.e2e


def item(page, key: str):
    return page.locator(f'[data-home="{key}"]')


def test_hr_sees_the_own_schools_work_and_opens_the_full_list_and_the_own_dashboard(given, sign_in):
    given(people.zhang_hongwei, people.li_xiaoyan, people.hire_exceptions, people.donggang)
    page = sign_in("hr")
    expect(page.get_by_role("heading", name="首页：待办事项")).to_be_visible()
    expect(item(page, "practice").locator("li")).to_have_count(1)
    expect(item(page, "practice").locator("li")).to_contain_text("张宏伟")
    expect(item(page, "practice").locator("li")).to_contain_text("今天提交")  # submitted on the frozen day
    expect(item(page, "practice-behind").locator("li", has_text="张宏伟")).to_be_visible()
    expect(item(page, "hire-failing")).to_contain_text("暂无招聘条件不符合的教师。")  # 陈海波 is another school's
    expect(page.locator("main")).not_to_contain_text("陈海波")

    item(page, "practice-behind").locator('[data-count="practice-behind"]').click()
    expect(page.get_by_role("heading", name="合规名单")).to_be_visible()
    expect(page.locator("table tbody tr[data-teacher]")).to_have_count(1)
    expect(page.locator("table tbody tr[data-teacher]").first).to_contain_text("张宏伟")

    page.get_by_role("link", name="统计看板").click()
    expect(page.get_by_role("heading", name="统计看板")).to_be_visible()
    expect(page.locator("tr[data-school]")).to_have_count(1)
    expect(page.locator("tr[data-school]")).to_contain_text(MAIN)


def test_the_bureau_sees_the_requests_waiting_and_the_schools_to_follow_up(given, sign_in):
    given(people.zhang_hongwei, people.hire_exceptions, people.donggang, people.fengcheng)
    page = sign_in("bureau")
    waiting = item(page, "exceptions-waiting")
    expect(waiting.locator("li")).to_have_count(1)
    expect(waiting.locator("li")).to_contain_text("崔志远")
    expect(waiting.locator("li")).to_contain_text(MINZU)
    lagging = item(page, "lagging").locator("li")
    expect(lagging.first).to_contain_text(MINZU)  # both of its teachers behind: the highest share first
    expect(lagging.filter(has_text=MAIN)).to_contain_text("（1 / 1 人）")
    expect(item(page, "counties").locator("tr[data-county]")).to_have_count(3)
    expect(item(page, "counties").locator('tr[data-county="东港市"]')).to_contain_text("1")

    waiting.get_by_role("link", name="去审批（共 1 条）").click()
    expect(page.locator("section[data-exception]", has_text="崔志远")).to_be_visible()


def test_the_administrator_sees_the_accounts_and_the_state_of_the_registry(given, sign_in):
    given(people.donggang)
    page = sign_in("admin")
    expect(page.get_by_role("heading", name="首页：系统管理")).to_be_visible()
    unused = item(page, "unused")
    expect(unused.locator("li", has_text="bureau")).to_be_visible()  # never signed in yet
    expect(unused.locator("li", has_text="admin")).to_have_count(0)
    expect(item(page, "disabled")).to_contain_text("暂无已停用的账号。")
    expect(item(page, "state").locator('[data-state="audit"]')).to_contain_text("审计记录完整")
    expect(item(page, "state").locator('[data-state="verdicts"]')).to_contain_text("最新")
    expect(page.locator("main")).not_to_contain_text(DONGGANG)
