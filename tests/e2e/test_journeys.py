"""A person's journeys through the pages, in a real browser."""
import pytest
from playwright.sync_api import expect

from tests.e2e import people

pytestmark = pytest.mark.e2e


def test_a_teacher_signs_in_and_sees_where_they_stand(given, sign_in):
    given(people.zhang_hongwei)
    page = sign_in("teacher")
    assert page.get_by_role("heading", name="张宏伟 老师，您好").is_visible()
    assert page.get_by_text("本周期企业实践").is_visible()


def test_the_bureau_opens_a_teacher_and_reads_the_rule_explanations(given, sign_in):
    given(people.hire_exceptions)
    page = sign_in("bureau")
    page.get_by_role("link", name="教师名单").first.click()
    page.get_by_role("link", name="朴成浩").click()
    expect(page.get_by_text("已批准例外").first).to_be_visible()  # waits for the teacher's page, unlike is_visible()
    expect(page.locator(".rule-card")).to_have_count(3)


def test_signing_out_returns_to_the_sign_in_page(sign_in):
    page = sign_in("hr")
    page.locator(".navbar-user").click()  # the account menu: 我的账号, 修改密码, 退出
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login")
    assert page.get_by_text("您已退出登录").is_visible()
