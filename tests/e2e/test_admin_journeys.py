"""The administrator (login `admin`) keeps the policy parameters, in a real browser."""
import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import flash

pytestmark = pytest.mark.e2e


def test_the_admin_adds_a_future_policy_version_with_the_national_figures(sign_in):
    page = sign_in("admin")
    page.get_by_role("link", name="政策参数").click()
    expect(page.get_by_role("heading", name="政策参数", exact=True)).to_be_visible()
    current = page.locator("tr[data-version='2021-01-01']")
    expect(current.get_by_text("现行")).to_be_visible()

    page.get_by_role("link", name="填入国家标准（5年累计6个月）").click()
    expect(page.get_by_label("每周期企业实践要求（月）")).to_have_value("6")
    expect(page.get_by_label("企业实践与轮训周期（年）")).to_have_value("5")
    expect(page.get_by_label("依据与说明")).to_have_value(
        "教育部等七部门《职业学校教师企业实践规定》（2016）：每5年累计不少于6个月"
    )

    effective = "2029-11-17"  # after the frozen today: not yet in force
    page.get_by_label("本版本生效日期").fill(effective)
    page.get_by_role("button", name="新增版本").click()

    expect(flash(page)).to_contain_text(f"已新增自 {effective} 起施行的政策参数版本。")
    added = page.locator(f"tr[data-version='{effective}']")
    expect(added.locator(".badge")).to_have_text("尚未生效")
    expect(added.locator("td")).to_have_text(
        [effective, "尚未生效", "2021-01-01", "36", "高职专科(大专)", "三级/高级工", "2021-01-01", "5", "6", "60",
         "教育部等七部门《职业学校教师企业实践规定》（2016）：每5年累计不少于6个月", "修改 删除"]
    )
    expect(current.get_by_text("现行")).to_be_visible()  # still the one in force on 2026-11-28

    # Not yet in force: it may still be corrected, after a page stating what changes from when, or withdrawn.
    added.get_by_role("link", name="修改").click()
    page.get_by_label("每周期企业实践要求（月）").fill("8")
    page.get_by_role("button", name="检查修改").click()
    expect(page.get_by_text(f"保存后，自 {effective} 起的核算结果按以下参数计算：")).to_be_visible()
    expect(page.get_by_role("row", name="每周期企业实践要求（月） 6 8")).to_be_visible()
    page.get_by_role("button", name="确认保存").click()
    expect(flash(page)).to_contain_text(f"已修改自 {effective} 起施行的政策参数版本。")
    expect(added.locator("td").nth(8)).to_have_text("8")

    added.get_by_role("link", name="删除").click()
    expect(page.get_by_text("删除后，")).to_contain_text("继续使用自")
    page.get_by_role("button", name="确认删除").click()
    expect(flash(page)).to_contain_text(f"已删除自 {effective} 起施行的政策参数版本。")
    expect(added).to_have_count(0)
