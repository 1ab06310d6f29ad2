"""Driving a page with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrow keys and typing; no click) for the
keyboard-only twins of the browser journeys (tests/e2e/test_keyboard*.py): every control is reached with Tab, and
every control Tab stops on must show its focus."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.app.factories import Factory

# The focus on <body> is the focus gone to the browser's own controls, past the page's last control.
FOCUS_SHOWN = """() => {
    if (document.activeElement === document.body) return true;
    const style = getComputedStyle(document.activeElement);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || (style.boxShadow !== 'none' && style.boxShadow !== '');
}"""


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.outerHTML.slice(0, 160)")


def tab_to(page, target, limit: int = 80, key: str = "Tab") -> None:
    """Press Tab (or `key`: Shift+Tab for a control above the one focused) until `target` has the focus, checking
    that each control the focus lands on shows it."""
    for _ in range(limit):
        page.keyboard.press(key)
        assert page.evaluate(FOCUS_SHOWN), f"the focus is not visible on {focused(page)}"
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} not reached with {limit} presses of {key}")


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


# The browser lays the date field's parts out in the order of its own locale: zh-CN's first, twice, since the field
# joins the digits of a part only when they come within about a second of each other (a busy machine may not).
DATE_ORDERS = (("year", "month", "day"), ("year", "month", "day"), ("month", "day", "year"), ("day", "month", "year"))


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


def tick(page, box) -> None:
    """Tab to a checkbox or a radio button and press Space on it, checking that its state turned."""
    tab_to(page, box)
    was = box.is_checked()
    page.keyboard.press("Space")
    expect(box).to_be_checked(checked=not was)


def choose_file(page, field, files) -> None:
    """Tab to a file field, open the browser's file chooser with Space and give it `files` (a path, or the
    {name, mimeType, buffer} payloads Playwright's set_files takes): the chooser is the browser's own window, which
    the test answers in the person's place."""
    # Playwright asks the browser to hand its chooser over without waiting for the answer: asked just before the key
    # press, the browser may open its own window (unseen, at once cancelled) instead. A listener added before the
    # Tab presses is in force by the time Space is pressed, since each press waits for the browser.
    def ignore(_chooser) -> None:
        pass

    page.on("filechooser", ignore)
    try:
        tab_to(page, field)
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")
    finally:
        page.remove_listener("filechooser", ignore)
    chooser.value.set_files(files)


def answer_dialog(page, accept: bool) -> list[str]:
    """Answer the browser's next dialog (window.confirm) with OK (`accept`) or Cancel; the list returned receives
    its message once it has been asked."""
    asked: list[str] = []

    def reply(dialog) -> None:
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", reply)
    return asked


def retype_into(page, field, text: str) -> None:
    """Tab to a field that already holds a value, select all of it (Ctrl+A) and type `text` over it."""
    tab_to(page, field)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
    expect(field).to_have_value(text)


# The controls Tab should stop on: those shown, enabled and not taken out of the order with tabindex="-1".
TAB_STOPS = """region => [...region.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]'
)].filter(element => !element.disabled && element.tabIndex >= 0 && element.checkVisibility({visibilityProperty: true}))"""


def unreachable_by_tab(page, region, limit: int = 200) -> list[str]:
    """Press Tab from the current focus until it has gone into `region` and out again (or `limit` presses),
    checking that each control the focus lands on shows it; returns the controls of `region` the focus never
    reached (their opening tags), [] when Tab reaches them all."""
    region.evaluate("""region => {
        window.reachedByTab = new Set();
        document.addEventListener('focusin', event => {
            if (region.contains(event.target)) window.reachedByTab.add(event.target);
        });
    }""")
    entered = False
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_SHOWN), f"the focus is not visible on {focused(page)}"
        inside = region.evaluate("region => region.contains(document.activeElement)")
        if entered and not inside:
            break
        entered = entered or inside
    return region.evaluate(f"""region => ({TAB_STOPS})(region)
        .filter(element => !window.reachedByTab.has(element))
        .map(element => element.outerHTML.slice(0, element.outerHTML.indexOf('>') + 1))""")


def tab_back_to(page, target, limit: int = 80) -> None:
    """Press Shift+Tab until `target` (a control above the one focused) has the focus; see tab_to."""
    tab_to(page, target, limit, key="Shift+Tab")


def type_new_teacher(page, name: str, number: str) -> None:
    """Fill the new-teacher form (教师 › 新增教师) by keyboard: a specialty teacher (数控技术, 本科, 固定岗) hired on
    2026-09-01."""
    type_into(page, page.get_by_label("姓名", exact=True), name)
    type_into(page, page.get_by_label("身份证号", exact=True), number)
    choose(page, page.get_by_label("性别", exact=True), "女")
    choose(page, page.get_by_label("课程类别", exact=True), "专业课教师")
    type_into(page, page.get_by_label("专业", exact=True), "数控技术")
    choose(page, page.get_by_label("岗位类型", exact=True), "固定岗")
    type_date(page, page.get_by_label("入职日期", exact=True), "2026-09-01")
    choose(page, page.get_by_label("招聘方式", exact=True), "公开招聘")
    choose(page, page.get_by_label("学历", exact=True), "本科")
