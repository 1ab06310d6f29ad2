"""The pages under their security headers (issue 12) in a real browser that enforces them: what static/js/registry.js
does since the Content-Security-Policy refuses inline script, on…= handlers and style= attributes (questions before
deleting, select-all, bars and timelines drawn to the server's figures), and an evidence PDF still previewed in
its frame although no other response may be framed."""
import pytest
from playwright.sync_api import expect

from tests.app.inputs import one_page_pdf
from tests.e2e import people
from tests.e2e.helpers import flash

pytestmark = pytest.mark.e2e


def test_the_browser_refuses_an_inline_style_and_the_journey_would_fail_on_it(sign_in, script_failures):
    page = sign_in("hr")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.locator("main").evaluate(
            "main => main.insertAdjacentHTML('beforeend', '<p id=\"probe\" style=\"color: rgb(255, 0, 0)\">probe</p>')"
        )
    expect(page.locator("#probe")).not_to_have_css("color", "rgb(255, 0, 0)")
    assert len(script_failures) == 1 and "style-src" in script_failures[0]
    script_failures.clear()  # provoked on purpose; any other would fail the test


def test_hr_is_asked_before_deleting_a_record_and_a_no_keeps_it(given, sign_in):
    given(people.zhang_hongwei)
    page = sign_in("hr")
    page.get_by_role("link", name="教师名单").first.click()
    page.get_by_role("link", name="张宏伟").click()
    requests, questions = [], []
    page.on("request", lambda request: requests.append(request))

    def answer(accept: bool):
        def reply(dialog) -> None:
            questions.append(dialog.message)
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()
        return reply

    row = page.locator("#employment tr", has_text="克隆集团")
    page.once("dialog", answer(False))
    row.get_by_role("button", name="删除").click()
    page.once("dialog", answer(True))
    row.get_by_role("button", name="删除").click()

    expect(flash(page)).to_contain_text("已删除工作经历。")
    expect(page.locator("#employment tr", has_text="克隆集团")).to_have_count(0)
    assert questions == ["确定删除这条记录吗？", "确定删除这条记录吗？"]
    deletions = [r for r in requests if r.method == "POST" and r.url.endswith("/delete")]
    assert len(deletions) == 1  # the first answer, no, sent nothing


def test_select_all_picks_every_record_of_the_review_page(given, sign_in):
    given(people.zhang_hongwei)
    page = sign_in("hr")
    with page.expect_navigation():  # until "load": the select-all box works once registry.js has run
        page.get_by_role("link", name="实践审核").click()
    choices = page.locator(".bulk-choice")
    expect(choices).not_to_have_count(0)

    page.get_by_label("全选本页").check()
    for choice in choices.all():
        expect(choice).to_be_checked()
    page.get_by_label("全选本页").uncheck()
    for choice in choices.all():
        expect(choice).not_to_be_checked()


def share(figure: str | None) -> float:
    """'12.50%' -> 0.125"""
    assert figure and figure.endswith("%")
    return float(figure[:-1]) / 100


def test_the_progress_bar_and_the_timeline_are_drawn_to_the_servers_figures(given, sign_in):
    given(people.zhang_hongwei)
    page = sign_in("teacher")
    bar = page.locator(".practice-bar .progress-stacked").bounding_box()
    verified = page.get_by_role("progressbar", name="已审核")
    # 2 of the 10 months required: a fifth of the bar.
    assert share(verified.get_attribute("data-width")) == pytest.approx(0.2)
    assert verified.bounding_box()["width"] == pytest.approx(bar["width"] * 0.2, abs=1)
    marker = page.locator(".milestone-marker")
    expected_at = bar["x"] + bar["width"] * share(marker.get_attribute("data-left"))
    assert marker.bounding_box()["x"] == pytest.approx(expected_at - 1, abs=1)  # 3px wide, centred on the point

    with page.expect_navigation():  # until "load": registry.js has sized the timeline
        page.get_by_role("link", name="查看我的完整档案").click()
    timeline = page.locator(".timeline")
    box = timeline.bounding_box()
    spans = timeline.locator(".span").all()
    assert len(spans) == 2
    for span in spans:
        drawn = span.bounding_box()
        assert drawn["x"] - box["x"] == pytest.approx(box["width"] * share(span.get_attribute("data-left")), abs=1)
        assert drawn["width"] == pytest.approx(box["width"] * share(span.get_attribute("data-width")), abs=1)
    # The two periods overlap in 2019, so they lie in two lanes, one below the other, inside the timeline.
    first, second = (span.bounding_box() for span in spans)
    assert abs(first["y"] - second["y"]) >= first["height"]
    assert max(first["y"] + first["height"], second["y"] + second["height"]) <= box["y"] + box["height"]


def test_hr_previews_a_submitted_pdf_in_its_frame_on_the_review_page(given, sign_in, second_person, tmp_path):
    given(people.zhang_hongwei)
    teacher = sign_in("teacher")
    teacher.get_by_role("link", name="我的企业实践").click()
    evidence = tmp_path / "盖章证明.pdf"
    evidence.write_bytes(one_page_pdf())
    new = teacher.locator("#new")
    new.get_by_label("实践企业").fill("丹东黄海汽车有限公司")
    new.get_by_label("实践形式").select_option(label="跟岗实践")
    new.get_by_label("开始日期").fill("2026-10-08")
    new.get_by_label("结束日期").fill("2026-10-30")
    new.get_by_label("证明材料").set_input_files(evidence)
    new.get_by_role("button", name="保存并提交审核").click()
    expect(flash(teacher)).to_contain_text("等待学校人事审核")

    hr = second_person("hr")
    hr.get_by_role("link", name="实践审核").click()
    record = hr.locator("article", has_text="丹东黄海汽车有限公司")
    with hr.expect_event("framenavigated", predicate=lambda frame: frame.parent_frame == hr.main_frame) as shown:
        record.locator("summary", has_text="盖章证明.pdf").click()
    # A refused frame shows Chromium's error page (chrome-error://…) instead of the file.
    assert "/practice/evidence/" in shown.value.url
