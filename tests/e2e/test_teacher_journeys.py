"""A teacher (login `teacher`, 张宏伟, tests/e2e/people.py) follows and records their enterprise practice, in a
real browser."""
import re

import pytest
from playwright.sync_api import expect

from tests.app.inputs import one_page_pdf
from tests.e2e import people
from tests.e2e.helpers import flash

pytestmark = pytest.mark.e2e

# A Windows program renamed to look like a scan: the "MZ" header and DOS stub.
RENAMED_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"This program cannot be run in DOS mode.\r\r\n$"


def test_the_teacher_home_shows_progress_forecast_and_status(given, sign_in):
    given(people.zhang_hongwei)
    page = sign_in("teacher")
    expect(page.get_by_role("heading", name="张宏伟 老师，您好")).to_be_visible()
    expect(page.get_by_text("丹东市中等职业技术专业学校 · 新能源汽车")).to_be_visible()

    practice = page.locator("section", has=page.get_by_role("heading", name="本周期企业实践"))
    expect(practice).to_contain_text("周期 2023-09-01 至 2028-08-31")
    expect(practice.get_by_role("progressbar", name="已审核")).to_have_attribute("aria-valuemax", "10")

    expect(practice.get_by_text(re.compile(r"已审核 2 / 10 个月"))).to_be_visible()
    status = practice.get_by_role("heading", name="本周期企业实践").locator(".badge")
    # 10 months in 5 years: 2 are due for each full year of the cycle; 3 full years by 2026-11-28, 2 months verified.
    expect(status).to_have_text("进度落后")
    expect(practice).to_contain_text("本周期已满 3 年")
    expect(practice).to_contain_text("这是您的第一个周期。")

    forecast = page.locator("#forecast")
    expect(forecast.get_by_role("heading", name="预测")).to_be_visible()
    expect(forecast).to_contain_text("如果计划中和待审核的记录全部通过审核")
    expect(forecast).to_contain_text("状态为「进度正常」")
    expect(forecast).to_contain_text("到本周期结束（2028-08-31）可累计")

    records = page.locator("section", has=page.get_by_role("heading", name="我的实践记录"))
    rejected = records.get_by_role("row", name=re.compile("丹东新能源汽车服务有限公司.*2026-01-10"))
    expect(rejected).to_contain_text("已退回")
    expect(rejected).to_contain_text("缺少企业盖章的实践证明")

    training = page.locator("section", has=page.get_by_role("heading", name="全员轮训"))
    expect(training.locator("h2 .badge")).to_have_text("未完成")
    expect(training).to_contain_text("丹东市专业课教师全员轮训（第二期）")


def test_the_teacher_logs_practice_with_a_pdf_and_submits_it(given, sign_in, tmp_path):
    given(people.zhang_hongwei)
    page = sign_in("teacher")
    page.get_by_role("link", name="我的企业实践").click()
    expect(page.get_by_role("heading", name="我的企业实践")).to_be_visible()

    evidence = tmp_path / "实践证明.pdf"
    evidence.write_bytes(one_page_pdf())
    enterprise = "丹东黄海汽车有限公司"
    new = page.locator("#new")
    new.get_by_label("实践企业").fill(enterprise)
    new.get_by_label("实践形式").select_option(label="跟岗实践")
    new.get_by_label("开始日期").fill("2026-10-08")
    new.get_by_label("结束日期").fill("2026-10-30")
    new.get_by_label("实践内容").fill("在售后服务中心跟岗学习新能源汽车动力电池检测与维修。")
    new.get_by_label("证明材料").set_input_files(evidence)
    new.get_by_role("button", name="保存并提交审核").click()

    expect(flash(page)).to_have_text(re.compile("实践记录已保存并提交，等待学校人事审核。"))
    record = page.locator("article", has_text=enterprise)
    expect(record.locator(".badge")).to_have_text("待审核")
    expect(record).to_contain_text("跟岗实践 · 2026-10-08 – 2026-10-30")
    expect(record).to_contain_text("等待学校人事审核")
    expect(record.get_by_role("link", name="实践证明.pdf")).to_be_visible()

    page.get_by_role("link", name="首页").click()
    records = page.locator("section", has=page.get_by_role("heading", name="我的实践记录"))
    expect(records.get_by_role("row", name=re.compile(enterprise))).to_contain_text("待审核")
    practice = page.locator("section", has=page.get_by_role("heading", name="本周期企业实践"))
    expect(practice).to_contain_text("正在等待学校人事审核")


def test_a_renamed_program_is_refused_as_evidence(given, sign_in, tmp_path, expected_failures):
    given(people.zhang_hongwei)
    expected_failures.append("/practice/")  # the form comes back with the refusal, answered 400
    page = sign_in("teacher")
    page.get_by_role("link", name="我的企业实践").click()

    disguised = tmp_path / "盖章证明.pdf"
    disguised.write_bytes(RENAMED_EXE)
    enterprise = "丹东克隆汽车配件厂"
    new = page.locator("#new")
    new.get_by_label("实践企业").fill(enterprise)
    new.get_by_label("实践形式").select_option(label="顶岗实践")
    new.get_by_label("开始日期").fill("2026-11-02")
    new.get_by_label("结束日期").fill("2026-11-20")
    new.get_by_label("证明材料").set_input_files(disguised)
    new.get_by_role("button", name="保存并提交审核").click()

    refusal = page.locator("#new .invalid-feedback")
    expect(refusal).to_have_text("“盖章证明.pdf”不是 PDF、JPEG 或 PNG 文件（系统按文件内容检查，改扩展名无效），请上传扫描件或照片")
    expect(page.locator("#new").get_by_label("实践企业")).to_have_value(enterprise)  # nothing typed is lost
    expect(page.locator("article", has_text=enterprise)).to_have_count(0)  # and nothing was saved
