"""Paper: the compliance list, the dashboard and a teacher's record (个人企业实践档案) printed with Chromium's PDF
output on A4 (static/css/print.css), as the bureau files them and a teacher hands theirs in."""
from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from registry.extensions import db
from registry.models import Teacher
from tests.app.factories import id_number
from tests.e2e import people
from tests.e2e.people import MAIN
from tests.e2e.test_phones import chart_text_sizes

pytestmark = pytest.mark.e2e

A4_POINTS = (595.28, 841.89)  # 210 × 297 mm; Chromium rounds its paper to whole device pixels, within a point
# print.css: A4 less 12 mm margins each side: 186 mm of content upright, 273 mm on its side; CSS pixels at 96 per inch.
A4_CONTENT_WIDTH = {False: round(186 / 25.4 * 96), True: round(273 / 25.4 * 96)}


def chinese_font_installed() -> bool:
    """Without a CJK font Chromium prints Chinese as empty boxes and the PDF carries no text to check (.ci/run
    installs fonts-noto-cjk)."""
    fc_list = shutil.which("fc-list")
    return fc_list is not None and bool(subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True).stdout.strip())


needs_chinese_font = pytest.mark.skipif(not chinese_font_installed(), reason="no Chinese font: apt-get install fonts-noto-cjk")


def printed(page, landscape: bool = False) -> list[str]:
    """The page laid out for print at the A4 content width, checked for sideways overflow, then printed as Chromium
    prints it to PDF, on the paper its print stylesheet asks for: the text of each PDF page (after checking each page
    is A4, upright or, for `landscape`, on its side)."""
    page.wait_for_load_state()  # a click returns once the page starts to arrive; print.css comes last
    page.set_viewport_size({"width": A4_CONTENT_WIDTH[landscape], "height": 1000})
    page.emulate_media(media="print")
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"the printed page is {widths[0]} px wide, {widths[1]} px fit on the paper"
    wider = page.evaluate("""[...document.querySelectorAll('table, svg.chart, .card')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).length""")
    assert wider == 0, "a table, a chart or a card runs past the right edge of the paper"
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True, prefer_css_page_size=True)))
    paper = A4_POINTS[::-1] if landscape else A4_POINTS
    for number, pdf_page in enumerate(reader.pages, 1):
        size = (float(pdf_page.mediabox.width), float(pdf_page.mediabox.height))
        assert all(abs(got - a4) <= 1.5 for got, a4 in zip(size, paper, strict=True)), f"page {number} is {size} pt, not {paper}"
    return [pdf_page.extract_text() for pdf_page in reader.pages]


def flat(text: str) -> str:
    """The text without spaces, in the ideographs the page wrote (a PDF font may map them to look-alike Kangxi radicals,
    which NFKC folds back)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def many_teachers(make, city, count: int = 45) -> None:
    """Enough teachers for the compliance list to run over more than one sheet of paper: 测试00号, 测试01号… (as many
    digits as `count` needs)."""
    school = city.school(MAIN)
    digits = len(str(count - 1))
    for n in range(count):
        make.teacher(school, name=f"测试{n:0{digits}d}号", id_number=id_number(born="19900101"), specialty="数控技术",
                     hire_date=people.D("2022-09-01"))


@needs_chinese_font
def test_the_printed_compliance_list_repeats_its_header_row_on_every_a4_page(given, sign_in):
    given(people.donggang, many_teachers)
    page = sign_in("bureau")
    page.goto("/bureau/compliance?q=测试")
    expect(page.locator("[data-total]")).to_have_text("45 人")

    pages = [flat(text) for text in printed(page, landscape=True)]

    assert len(pages) >= 2
    first = pages[0]
    assert flat("合规名单") in first
    assert flat("核算日期2026-11-28") in first
    assert flat("自2021-01-01起施行的版本") in first  # the policy version
    assert flat("筛选条件姓名包含：测试") in first  # the filters applied
    assert flat("导出Excel") not in first and flat("查询") not in first  # no buttons, no filter form
    with_rows = [text for text in pages if flat("测试") in text]
    assert len(with_rows) >= 2, "the list does not run over two sheets"
    for text in with_rows:
        assert flat("招聘资格") in text and flat("周期结束") in text and flat("全员轮训") in text, "a sheet without the header row"
    for number, text in enumerate(pages, 1):
        assert f"{number}/{len(pages)}" in text, f"no page number on page {number}"
    assert flat("测试44号") in with_rows[-1]  # the whole list, to its last row


@needs_chinese_font
def test_the_whole_list_printed_from_its_control_holds_every_row_over_several_a4_pages_each_with_the_header_row(
        given, sign_in):
    given(people.donggang, lambda make, city: many_teachers(make, city, 120))
    page = sign_in("bureau")
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    page.goto("/bureau/compliance?q=测试&sort=-name")
    expect(page.locator("tr[data-teacher]")).to_have_count(50)  # one page of three on screen

    page.get_by_role("link", name="打印全部（120 人）").click()
    page.wait_for_url("**/bureau/compliance/print?*")  # 120 rows: a longer wait than expect's own, on a busy machine
    expect(page.get_by_role("heading", name="合规名单（全部 120 人）")).to_be_visible()
    expect(page.locator("tr[data-teacher]")).to_have_count(120)
    assert page.evaluate("window.printed") == 0  # it waits for the user
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.printed") == 1

    pages = [flat(text) for text in printed(page, landscape=True)]

    assert len(pages) >= 3
    first = pages[0]
    assert flat("合规名单") in first and flat("核算日期2026-11-28") in first
    assert flat("自2021-01-01起施行的版本") in first
    assert flat("筛选条件姓名包含：测试") in first and flat("合计120人") in first
    everything = "".join(pages)
    assert flat("返回合规名单") not in everything and flat("打印") not in everything  # no buttons on paper
    with_rows = [text for text in pages if flat("测试") in text]
    assert len(with_rows) >= 3, "the list does not run over three sheets"
    for number, text in enumerate(with_rows, 1):
        assert flat("姓名") in text and flat("周期结束") in text and flat("尚需（月）") in text, f"sheet {number} has no header row"
    missing = [n for n in range(120) if flat(f"测试{n:03d}号") not in everything]
    assert missing == [], f"rows left out of the print: {missing}"
    assert flat("测试119号") in with_rows[0] and flat("测试000号") in with_rows[-1]  # in the list's order (-name)
    for number, text in enumerate(pages, 1):
        assert f"{number}/{len(pages)}" in text, f"no page number on page {number}"


@needs_chinese_font
def test_the_printed_dashboard_draws_its_charts_within_the_a4_page(given, sign_in):
    given(people.zhang_hongwei, people.donggang, people.fengcheng)
    page = sign_in("bureau")
    page.get_by_role("link", name="统计看板", exact=True).click()

    text = flat("".join(printed(page)))

    assert flat("统计看板") in text and flat("核算日期2026-11-28") in text
    assert flat("各校合规率") in text and flat("企业实践状态分布") in text
    assert flat("重新统计") not in text
    # Drawn at a size whose labels read on paper: no chart text under 11 CSS px (8 pt).
    widths = page.evaluate("""[...document.querySelectorAll('svg.chart')].filter(c => c.getClientRects().length)
        .map(c => c.getBoundingClientRect().width)""")
    assert len(widths) >= 3 and max(widths) <= A4_CONTENT_WIDTH[False]
    sizes = chart_text_sizes(page)
    assert len(sizes) > 20 and min(sizes) >= 11, sorted(sizes)[:5]


@needs_chinese_font
def test_a_teacher_prints_their_own_record_with_verdicts_and_review_status(given, sign_in):
    given(people.zhang_hongwei, people.li_xiaoyan)
    page = sign_in("teacher")
    page.get_by_role("link", name="打印个人企业实践档案").click()
    expect(page.get_by_role("heading", name="个人企业实践档案")).to_be_visible()
    expect(page.get_by_role("button", name="打印")).to_be_visible()

    assert_zhang_hongweis_record_printed(page)


def assert_zhang_hongweis_record_printed(page) -> None:
    """张宏伟's 个人企业实践档案 printed: his details, the practice verdict with its explanation, his records with their
    review status, the signature line, and none of the page's buttons."""
    text = flat("".join(printed(page)))
    assert flat("个人企业实践档案") in text and flat("张宏伟") in text and flat("核算日期2026-11-28") in text
    assert flat("进度落后") in text and flat("本周期") in text
    assert flat("克隆集团") in text and flat("待审核") in text and flat("退回理由：缺少企业盖章的实践证明") in text
    assert flat("教师本人签名") in text
    assert flat("重新核算") not in text and flat("返回教师页面") not in text


def test_a_teacher_cannot_open_another_teachers_record(given, sign_in, journey):
    given(people.zhang_hongwei, people.li_xiaoyan)
    with journey.app.app_context():
        zhang = db.session.scalar(select(Teacher.id).where(Teacher.name == "张宏伟"))
    page = sign_in("teacher_li")

    response = page.request.get(f"/teachers/{zhang}/dossier")  # with her session; not a page, so no console error

    assert response.status == 404


def test_hr_reaches_the_printable_record_from_the_teacher_page(given, sign_in):
    given(people.zhang_hongwei)
    page = sign_in("hr")
    page.goto("/teachers/")
    page.get_by_role("link", name="张宏伟").click()
    page.get_by_role("link", name="打印档案").click()
    expect(page.get_by_role("heading", name="个人企业实践档案")).to_be_visible()
    expect(page.locator(".verdict")).to_have_count(3)
    expect(page.locator("[data-table=practice] tbody tr")).to_have_count(4)
