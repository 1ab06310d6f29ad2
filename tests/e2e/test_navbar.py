"""The navigation bar of every role fits the screen: on a desktop nothing spills sideways, and on a phone the
notification bell stays in sight while the menu is folded away."""
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import people
from tests.e2e.helpers import sign_in_on

pytestmark = pytest.mark.e2e

ROLES = ("hr", "bureau", "admin", "teacher")


def signed_in_at(new_page, login: str, width: int):
    """A new page `width` pixels wide, signed in as `login`: its bell in sight and nothing wider than the screen."""
    page = new_page()
    page.set_viewport_size({"width": width, "height": 800})
    sign_in_on(page, login)
    expect(page.locator("#notification-bell")).to_be_visible()
    assert page_width(page) <= width
    return page


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def x_of(page, selector: str) -> float:
    return page.locator(selector).bounding_box()["x"]


@pytest.mark.parametrize("login", ROLES)
def test_at_1280_pixels_the_navigation_of_every_role_fits_without_sideways_scrolling(given, new_page, login):
    given(people.zhang_hongwei)
    page = signed_in_at(new_page, login, 1280)
    # Shown last, as it comes last to the keyboard: after the account menu.
    assert x_of(page, "#notification-bell") > x_of(page, ".navbar-user")


@pytest.mark.parametrize("login", ROLES)
def test_on_a_phone_the_bell_is_in_sight_and_the_account_menu_opens_from_the_folded_navigation(given, new_page, login):
    given(people.zhang_hongwei)
    page = signed_in_at(new_page, login, 375)
    assert x_of(page, "#notification-bell") < x_of(page, ".navbar-toggler")
    page.get_by_role("button", name="菜单").click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))  # unfolded: its opening slide is over
    page.locator(".navbar-user").click()
    expect(page.get_by_role("link", name="我的账号")).to_be_visible()
