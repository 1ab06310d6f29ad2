"""The administrator opens an HR account in a real browser; the new HR signs in with the one-time password, must
replace it, and lands on their home page."""
import pytest
from playwright.sync_api import expect

from tests.e2e import people
from tests.e2e.helpers import flash

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "harbour-maple-kettle"


def test_the_admin_opens_an_hr_account_that_signs_in_once_with_its_one_time_password(sign_in, new_page):
    page = sign_in("admin")
    page.get_by_role("navigation").get_by_role("link", name="学校", exact=True).click()
    page.get_by_role("link", name=people.DONGGANG).click()
    expect(page.get_by_role("heading", name="学校人事账号")).to_be_visible()
    page.get_by_role("link", name="新增本校人事账号").click()

    expect(page.get_by_role("heading", name="新增账号")).to_be_visible()
    expect(page.get_by_label("角色")).to_have_value("school_hr")
    expect(page.get_by_label("学校", exact=True).locator("option:checked")).to_have_text(people.DONGGANG)
    page.get_by_label("登录名").fill("donggang-hr")
    page.get_by_label("显示名称").fill("东港人事科")
    page.get_by_role("button", name="创建账号并生成一次性密码").click()

    expect(page.get_by_role("heading", name="账号已创建")).to_be_visible()
    one_time = page.locator("#one-time-password").inner_text()
    page.get_by_role("link", name="我已记下，返回").click()
    expect(page.locator("#account-state")).to_contain_text("下次登录须先修改一次性密码")
    expect(page.get_by_text(people.DONGGANG).first).to_be_visible()

    newcomer = new_page()
    newcomer.goto("/login")
    newcomer.get_by_label("登录名").fill("donggang-hr")
    newcomer.get_by_label("密码").fill(one_time)
    newcomer.get_by_role("button", name="登录").click()
    expect(newcomer.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(newcomer.get_by_text("您现在使用的是管理员给您的一次性密码")).to_be_visible()
    newcomer.get_by_label("当前密码").fill(one_time)
    newcomer.get_by_label("新密码", exact=True).fill(NEW_PASSWORD)
    newcomer.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="修改密码").click()

    expect(flash(newcomer)).to_contain_text("密码已修改")
    newcomer.wait_for_url("**/")
    expect(newcomer.locator(".navbar-user")).to_contain_text(f"东港人事科 · 学校人事 · {people.DONGGANG}")
    expect(newcomer.get_by_role("link", name="教师名单")).to_be_visible()
