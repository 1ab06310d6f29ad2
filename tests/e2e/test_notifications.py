"""A teacher hears of a rejected practice record through the bell, in a real browser: HR returns 张宏伟's record
(tests/e2e/people.py), his bell counts it, the list says why, its button leads to the record, the count drops."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import people
from tests.e2e.helpers import flash

pytestmark = pytest.mark.e2e


def test_a_teacher_follows_the_bell_to_the_record_hr_sent_back(given, sign_in, second_person):
    given(people.zhang_hongwei)
    teacher = second_person("teacher")
    bell = teacher.locator("#notification-bell")
    expect(bell).to_have_attribute("data-unread", "0")
    expect(bell.locator(".badge")).to_have_count(0)

    # HR returns the record 张宏伟 submitted, saying why ...
    page = sign_in("hr")
    page.get_by_role("link", name="实践审核").click()
    record = page.locator("article", has_text="张宏伟").filter(has_text="2025-07-01")
    reason = "实践证明缺少企业盖章，请补充后重新提交。"
    record.get_by_label("退回理由").fill(reason)
    record.get_by_role("button", name="退回").click()
    expect(flash(page)).to_contain_text("已退回：张宏伟")

    # ... and the teacher's bell counts it, in words for a screen reader too.
    teacher.reload()
    expect(teacher.get_by_role("link", name="通知 1 条未读")).to_be_visible()
    expect(bell.locator(".badge")).to_have_text("1")

    bell.click()
    expect(teacher.get_by_role("heading", name="通知", exact=True)).to_be_visible()
    item = teacher.locator("#notifications li[data-notification]").first
    expect(item.get_by_role("heading", name=re.compile("企业实践记录被退回：克隆集团"))).to_be_visible()
    expect(item).to_contain_text("未读")
    expect(item).to_contain_text(reason)

    item.get_by_role("button", name="修改并重新提交").click()
    teacher.wait_for_url(re.compile(r"/practice/#practice-\d+$"))
    returned = teacher.locator("#" + teacher.url.rsplit("#", 1)[1])
    expect(returned).to_contain_text("克隆集团")
    expect(returned).to_contain_text(reason)
    expect(bell).to_have_attribute("data-unread", "0")
    expect(bell.locator(".badge")).to_have_count(0)

    bell.click()
    expect(teacher.locator("#notifications li[data-notification]").first).to_have_attribute("data-unread", "false")
    expect(teacher.get_by_role("button", name="全部标为已读")).to_have_count(0)
