"""Phones first-class: at 375 px every main page of every role reads without sideways scrolling, the lists become
cards whose name, school and statuses are in sight, the pre-hire verdict comes where the eye is, the dashboard's
charts are redrawn for the width with text of at least 11 px; and a name is never broken inside it."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from registry.extensions import db
from registry.models import PracticeRecord, Teacher, User
from tests.e2e import people
from tests.e2e.helpers import fill_candidate, sign_in_on
from tests.e2e.people import MAIN

pytestmark = pytest.mark.e2e

PHONE, DESKTOP = 375, 1280

# Each role's main pages; {teacher} is 张宏伟 (login `teacher`), {record} his returned practice record, {school} his
# school, {user} his account.
PAGES = {
    "teacher": ["/", "/practice/", "/practice/{record}/edit", "/teachers/{teacher}", "/notifications/", "/account"],
    "hr": ["/", "/teachers/", "/teachers/{teacher}", "/teachers/{teacher}/edit", "/teachers/new",
           "/teachers/prehire", "/practice/review", "/bureau/compliance", "/bureau/dashboard", "/imports/",
           "/schools/{school}", "/notifications/", "/account"],
    "bureau": ["/", "/bureau/compliance", "/bureau/dashboard", "/bureau/exceptions", "/teachers/",
               "/teachers/{teacher}", "/schools/", "/schools/{school}", "/policies/", "/notifications/"],
    "admin": ["/", "/users/", "/users/new", "/users/{user}", "/schools/", "/schools/new", "/schools/{school}/edit",
              "/policies/", "/notifications/deliveries", "/notifications/robot"],
}


def sun_meiling(make, city) -> None:
    """A teacher with a three-character name, at 张宏伟's school; her cycle ends within six months (the dashboard
    lists her among the teachers due)."""
    teacher = make.teacher(city.school(MAIN), name="孙美玲", gender="female", specialty="工业机器人")
    make.employment(teacher, "2012-07-01", "2020-12-31", employer="五一八公司")


@pytest.fixture
def world(live_server, given, city) -> dict[str, int]:
    """The journeys' people and 孙美玲; the ids the page paths name."""
    given(people.zhang_hongwei, people.li_xiaoyan, people.hire_exceptions, people.donggang, people.fengcheng,
          sun_meiling)
    with live_server.app.app_context():
        teacher = db.session.scalars(db.select(Teacher).filter_by(name="张宏伟")).one()
        return {
            "teacher": teacher.id,
            "school": teacher.school_id,
            "user": db.session.scalars(db.select(User).filter_by(login="teacher")).one().id,
            "record": db.session.scalars(
                db.select(PracticeRecord).filter_by(teacher_id=teacher.id, status="rejected")).one().id,
        }


def signed_in_at(new_page, login: str, width: int):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 800})
    return sign_in_on(page, login)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def in_sight(locator, width: int = PHONE) -> bool:
    """Whether the element lies within the screen's width (its left edge at 0 or more, its right edge at most
    `width`)."""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("login", PAGES)
def test_on_a_phone_every_main_page_of_each_role_reads_without_sideways_scrolling(world, new_page, login):
    page = signed_in_at(new_page, login, PHONE)
    too_wide = {}
    for path in PAGES[login]:
        page.goto(path.format(**world))
        expect(page.locator("main")).to_be_visible()
        if page_width(page) > PHONE:
            too_wide[path] = page_width(page)
    assert too_wide == {}


# Every table on screen that is not a matrix (data-matrix: rows × columns read across, left to scroll in its box) and
# is wider than the screen or has a cell whose content sticks out of it (a date kept on one line in a card).
WIDE_TABLES = """width => {
    const range = document.createRange();
    const out = cell => { range.selectNodeContents(cell); return range.getBoundingClientRect().right
        - cell.getBoundingClientRect().right; };
    return [...document.querySelectorAll('table:not([data-matrix])')]
        .filter(t => t.getClientRects().length > 0 && !t.closest('details:not([open])'))
        .map(t => [t, t.getBoundingClientRect().width, Math.max(0, ...[...t.querySelectorAll('td, th')].map(out))])
        .filter(([t, wide, out]) => wide > width + 0.5 || out > 0.5)
        .map(([t, wide, out]) => `${t.id || t.dataset.table || t.getAttribute('aria-label')
            || t.querySelector('th')?.textContent.trim()} (${Math.round(wide)} px, ${Math.round(out)} px out)`);
}"""


@pytest.mark.parametrize("login", PAGES)
def test_on_a_phone_no_list_table_of_a_main_page_is_wider_than_the_screen(world, new_page, login):
    page = signed_in_at(new_page, login, PHONE)
    too_wide = {}
    for path in PAGES[login]:
        page.goto(path.format(**world))
        expect(page.locator("main")).to_be_visible()
        if tables := page.evaluate(WIDE_TABLES, PHONE):
            too_wide[path] = tables
    assert too_wide == {}


# (login, list page, one row's selector, what each row must show in sight: selectors within the row)
LISTS = [
    ("hr", "/teachers/", "table.table-cards tbody tr", ["a.person-name", "td[data-label='学校']"]),
    ("bureau", "/bureau/compliance", "table.table-cards tbody tr[data-teacher]",
     ["a.person-name", "td[data-label='学校']", "td[data-label='招聘资格'] .badge",
      "td[data-label='企业实践'] .badge", "td[data-label='全员轮训'] .badge"]),
    ("bureau", "/schools/", "table.table-cards tbody tr",
     ["td:first-child a", "td[data-label='县（市、区）']", "td[data-label='班子企业经历（5年以上）'] .badge"]),
    ("admin", "/users/", "table.table-cards tbody tr[data-login]",
     ["td:first-child a", "td[data-label='学校']", "td[data-label='状态'] .badge"]),
    ("hr", "/practice/review", "article[id^=practice-]", [".person-name", "button:has-text('退回')"]),
]


@pytest.mark.parametrize(("login", "path", "row", "parts"), LISTS, ids=[entry[1] for entry in LISTS])
def test_on_a_phone_each_list_shows_its_rows_as_cards_with_name_and_statuses_in_sight(
        world, new_page, login, path, row, parts):
    page = signed_in_at(new_page, login, PHONE)
    page.goto(path)
    rows = page.locator(row)
    expect(rows.first).to_be_visible()
    assert rows.count() >= 1
    for i in range(min(rows.count(), 6)):
        card = rows.nth(i)
        assert in_sight(card), f"row {i} of {path} is wider than the screen"
        for part in parts:
            expect(card.locator(part).first).to_be_visible()
            assert in_sight(card.locator(part).first), f"{part} of row {i} of {path} is off the screen"
    assert page_width(page) <= PHONE


def test_on_a_phone_the_compliance_cards_name_each_status_by_its_rule(world, new_page):
    page = signed_in_at(new_page, "bureau", PHONE)
    page.goto("/bureau/compliance?q=张宏伟")
    card = page.locator("tr[data-teacher]", has_text="张宏伟")
    label = card.locator("td[data-label='企业实践']").evaluate(
        "cell => getComputedStyle(cell, '::before').content")
    assert label == '"企业实践"'
    expect(page.locator("table.table-cards thead")).to_be_hidden()  # the headings are on the cards instead


def test_on_a_phone_the_dashboards_schools_read_as_cards_naming_each_rate_by_its_rule(world, new_page):
    page = signed_in_at(new_page, "bureau", PHONE)
    page.goto("/bureau/dashboard")
    section = page.locator("section[aria-labelledby=schools-title]")
    schools = section.locator("tr[data-school]")
    expect(section.locator("tr[data-school]", has_text=MAIN)).to_have_count(1)
    assert schools.count() >= 3  # 张宏伟's school, 东港's and 凤城's
    expect(section.locator("thead")).to_be_hidden()  # the headings are on the cards instead

    overflow = section.locator(".table-responsive").evaluate("box => box.scrollWidth - box.clientWidth")
    assert overflow <= 0, f"the schools scroll {overflow} px sideways inside their box"
    for i in range(schools.count()):
        card = schools.nth(i)
        assert in_sight(card), f"school {i} is wider than the screen"
        name = card.locator("td:first-child a")
        expect(name).to_be_visible()
        assert in_sight(name)
        for rule in ("招聘资格", "企业实践", "全员轮训"):
            cell = card.locator(f"td[data-label='{rule}']")
            expect(cell).to_have_text(re.compile(r"^\s*(\d+%|—)\s*$"))
            assert in_sight(cell), f"the {rule} rate of school {i} is off the screen"
            assert cell.evaluate("cell => getComputedStyle(cell, '::before').content") == f'"{rule}"'
        leadership = card.locator("td[data-label='班子中具有5年以上企业工作经历的成员'] .badge")
        expect(leadership).to_be_visible()
        assert in_sight(leadership)
    assert page_width(page) <= PHONE


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_after_the_pre_hire_check_the_verdict_has_the_focus_and_is_in_sight(world, new_page, width):
    page = signed_in_at(new_page, "hr", width)
    page.goto("/teachers/prehire")
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("填写候选人信息后点击“核查”。")
    expect(verdict).not_to_be_focused()
    fill_candidate(page)
    page.get_by_role("button", name="核查").click()

    expect(verdict.locator(".badge")).to_have_text("符合")
    expect(verdict).to_be_focused()
    expect(verdict.locator(".badge")).to_be_in_viewport()
    if width == PHONE:  # the verdict comes before the form it answers
        assert verdict.bounding_box()["y"] < page.get_by_role("heading", name="候选人").bounding_box()["y"]
        assert page_width(page) <= PHONE


# 600 px: a tablet, where the dashboard's table of teachers due is squeezed (without .person-name 孙美玲 breaks there).
@pytest.mark.parametrize("width", [DESKTOP, 600, PHONE])
def test_a_three_character_name_stays_on_one_line(world, new_page, width):
    page = signed_in_at(new_page, "bureau", width)
    for path in ("/bureau/compliance", "/teachers/", "/bureau/dashboard"):
        page.goto(path)
        name = page.locator(".person-name", has_text="孙美玲")
        expect(name).to_be_visible()
        lines, height, font = name.evaluate(
            "e => [e.getClientRects().length, e.getBoundingClientRect().height,"
            " parseFloat(getComputedStyle(e).fontSize)]")
        assert lines == 1, f"孙美玲 is broken over {lines} lines on {path} at {width} px"
        assert height < 2 * font


def chart_text_sizes(page) -> list[float]:
    """The rendered size in pixels of every piece of text in the charts on screen."""
    return page.evaluate("""() => [...document.querySelectorAll('svg.chart text')]
        .filter(t => t.getClientRects().length > 0)
        .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)""")


def test_on_a_phone_the_dashboard_charts_are_redrawn_for_the_width_with_text_of_11_pixels_or_more(world, new_page):
    page = signed_in_at(new_page, "bureau", PHONE)
    page.goto("/bureau/dashboard")
    charts = page.locator("svg.chart >> visible=true")
    expect(charts).to_have_count(3)
    for i in range(3):
        assert in_sight(charts.nth(i))
    expect(charts.first.locator("text", has_text="东港市职业教育中心")).to_have_count(1)
    sizes = chart_text_sizes(page)
    assert len(sizes) > 20 and min(sizes) >= 11, sorted(sizes)[:5]
    assert page_width(page) <= PHONE


def test_on_a_desktop_the_dashboard_charts_fill_their_cards(world, new_page):
    page = signed_in_at(new_page, "bureau", DESKTOP)
    page.goto("/bureau/dashboard")
    charts = page.locator("svg.chart >> visible=true")
    expect(charts).to_have_count(3)
    for i in range(3):
        chart = charts.nth(i)
        inside = chart.evaluate("svg => svg.closest('.card').clientWidth - 32")  # the card's p-3 on both sides
        assert chart.bounding_box()["width"] >= 0.95 * inside
    sizes = chart_text_sizes(page)
    assert min(sizes) >= 11, sorted(sizes)[:5]
