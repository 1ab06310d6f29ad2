"""Small things the browser journeys share: signing in on a page, flash messages, identity numbers, a PDF."""
from __future__ import annotations

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


def flash(page):
    """The flash messages at the top of the page."""
    return page.locator("main .alert[role=alert]")
