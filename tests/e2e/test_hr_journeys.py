"""School HR (login `hr`, 丹东市中等职业技术专业学校) at work, in a real browser."""
import re

import pytest
from playwright.sync_api import expect

from tests.app.factories import id_number
from tests.e2e import people
from tests.e2e.helpers import fill_candidate, flash, li_xiaoyan_submits_a_visit, with_wrong_check_char

pytestmark = pytest.mark.e2e


def hire_card(page):
    return page.locator(".rule-card", has_text="招聘资格")


def fill_new_teacher(page, name: str, id_number: str) -> None:
    page.get_by_label("姓名", exact=True).fill(name)
    page.get_by_label("身份证号", exact=True).fill(id_number)
    page.get_by_label("性别", exact=True).select_option(label="女")
    page.get_by_label("课程类别", exact=True).select_option(label="专业课教师")
    page.get_by_label("专业", exact=True).fill("数控技术")
    page.get_by_label("岗位类型", exact=True).select_option(label="固定岗")
    page.get_by_label("入职日期", exact=True).fill("2026-09-01")
    page.get_by_label("招聘方式", exact=True).select_option(label="公开招聘")
    page.get_by_label("学历", exact=True).select_option(label="本科")


def test_hr_registers_a_new_teacher_after_correcting_the_identity_number(sign_in):
    page = sign_in("hr")
    page.get_by_role("link", name="教师名单").first.click()
    page.get_by_role("link", name="新增教师").click()
    expect(page.get_by_role("heading", name="新增教师")).to_be_visible()

    name, good = "苏婉清", id_number(born="19920315")
    fill_new_teacher(page, name, with_wrong_check_char(good))
    page.get_by_role("button", name="保存").click()

    error = page.locator(".invalid-feedback", has_text="身份证号")
    expect(error).to_have_text("身份证号校验位不正确（GB 11643），请核对")
    expect(page.get_by_label("身份证号", exact=True)).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_label("姓名", exact=True)).to_have_value(name)  # what was typed is kept

    page.get_by_label("身份证号", exact=True).fill(good)
    page.get_by_role("button", name="保存").click()

    expect(flash(page)).to_contain_text(f"已新增教师 {name}。")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("#basic")).to_contain_text(good)  # HR sees the full number of its own teacher
    expect(page.locator("#basic")).to_contain_text("公开招聘")

    page.get_by_role("link", name="教师名单").first.click()
    page.get_by_placeholder("按姓名搜索").fill(name)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("link", name=name)).to_be_visible()


def test_hr_adds_an_employment_period_and_the_hiring_verdict_turns_compliant(sign_in):
    page = sign_in("hr")
    page.get_by_role("link", name="教师名单").first.click()
    page.get_by_role("link", name="新增教师").click()
    name = "韩立军"
    fill_new_teacher(page, name, id_number(born="19880620"))
    page.get_by_role("button", name="保存").click()
    expect(flash(page)).to_contain_text(f"已新增教师 {name}。")

    # A new teacher with no enterprise work yet: not qualified to be hired.
    expect(hire_card(page).locator(".badge")).to_have_text("不符合")
    expect(hire_card(page)).to_contain_text("未满足 36 个月企业工作经历的要求")
    expect(page.locator("#employment")).to_contain_text("尚无工作经历。")

    page.get_by_role("link", name="添加工作经历").click()
    expect(page.get_by_role("heading", name="添加工作经历")).to_be_visible()
    page.get_by_label("工作单位").fill("丹东曙光数控机床有限公司")
    page.get_by_label("单位类型").select_option(label="企业")
    page.get_by_label("岗位/职务").fill("数控编程员")
    page.get_by_label("开始日期").fill("2019-03-01")
    page.get_by_label("结束日期（至今请留空）").fill("2026-08-31")
    page.get_by_role("button", name="保存").click()

    expect(flash(page)).to_contain_text("已添加工作经历。")
    employment = page.locator("#employment")
    expect(employment.get_by_role("row", name="丹东曙光数控机床有限公司")).to_contain_text("2019-03-01 – 2026-08-31")
    expect(employment.locator("tfoot")).to_contain_text("90")  # months before the hire date
    expect(hire_card(page).locator(".badge")).to_have_text("符合")
    expect(hire_card(page)).not_to_contain_text("未满足")


def test_hr_checks_a_candidate_before_hiring(sign_in):
    page = sign_in("hr")
    page.get_by_role("link", name="聘前核查").click()
    expect(page.get_by_role("heading", name="聘前核查", exact=True)).to_be_visible()
    expect(page.locator("#verdict")).to_contain_text("填写候选人信息后点击“核查”。")

    fill_candidate(page, worked_from="2025-07-01")
    page.get_by_role("button", name="核查").click()

    verdict = page.locator("#verdict")
    expect(verdict.locator(".badge")).to_have_text("不符合")
    expect(verdict).to_contain_text("未满足 36 个月企业工作经历的要求")
    expect(verdict).to_contain_text("不符合条件的候选人不能直接建档")
    expect(page.get_by_role("button", name="建立教师档案")).to_have_count(0)

    # Two more years at an earlier employer: now the three years are there.
    page.get_by_label("工作单位").nth(1).fill("五一八公司")
    page.get_by_label("单位类型").nth(1).select_option(label="企业")
    page.get_by_label("开始日期").nth(1).fill("2023-07-01")
    page.get_by_label("结束日期（至今请留空）").nth(1).fill("2025-06-30")
    page.get_by_role("button", name="核查").click()

    expect(verdict.locator(".badge")).to_have_text("符合")
    expect(verdict).to_contain_text("决定聘用？直接建立教师档案")
    expect(page.get_by_role("button", name="建立教师档案")).to_be_visible()
    expect(page.get_by_label("工作单位").nth(1)).to_have_value("五一八公司")  # the rows typed are kept


def test_hr_verifies_zhang_hongweis_submitted_practice(given, sign_in):
    given(people.zhang_hongwei)
    page = sign_in("hr")
    page.get_by_role("link", name="实践审核").click()
    expect(page.get_by_role("heading", name="实践审核")).to_be_visible()
    record = page.locator("article", has_text="张宏伟").filter(has_text="克隆集团")
    expect(record).to_have_count(1)
    expect(record).to_contain_text("顶岗实践 · 2025-07-01 – 2025-10-31")

    record.get_by_role("button", name="审核通过").click()

    expect(flash(page)).to_contain_text("已审核通过：张宏伟 在克隆集团的企业实践。")
    expect(page.locator("article", has_text="张宏伟").filter(has_text="2025-07-01")).to_have_count(0)

    page.get_by_role("link", name="教师名单").first.click()
    page.get_by_role("link", name="张宏伟").click()
    row = page.locator("#practice tr", has_text="2025-07-01")
    expect(row.locator(".badge")).to_have_text("已审核")
    expect(row).to_contain_text("人事处")  # who reviewed it
    history = page.locator("section", has=page.get_by_role("heading", name="变更记录"))
    verified = history.get_by_role("row").filter(has_text="张宏伟的企业实践记录（2025-07-01 至 2025-10-31）已审核通过")
    expect(verified).to_contain_text("状态：待审核 → 已审核")  # in Chinese, not the stored codes
    expect(verified).to_contain_text("审核人：人事处")
    expect(history).not_to_contain_text("verified")


def test_hr_sends_a_practice_record_back_with_a_reason(given, sign_in, second_person):
    given(people.li_xiaoyan)
    # 李晓燕 submits a record of her own ...
    teacher = second_person("teacher_li")
    enterprise = li_xiaoyan_submits_a_visit(teacher)

    # ... which HR returns, saying why.
    page = sign_in("hr")
    page.get_by_role("link", name="实践审核").click()
    record = page.locator("article", has_text=enterprise)
    expect(record).to_contain_text("李晓燕")
    expect(record).to_contain_text("未上传证明材料")
    reason = "没有上传企业盖章的考察证明，请补充后重新提交。"
    record.get_by_label("退回理由").fill(reason)
    record.get_by_role("button", name="退回").click()

    expect(flash(page)).to_contain_text(f"已退回：李晓燕 在{enterprise}的企业实践。")
    expect(page.locator("article", has_text=enterprise)).to_have_count(0)

    teacher.reload()
    returned = teacher.locator("article", has_text=enterprise)
    expect(returned.locator(".badge")).to_have_text("已退回")
    expect(returned).to_contain_text(reason)
    expect(returned.get_by_role("button", name="重新提交审核")).to_be_visible()


def test_hr_dry_runs_an_import_file_and_reads_where_it_is_wrong(sign_in):
    page = sign_in("hr")
    page.get_by_role("link", name="批量导入").click()
    expect(page.get_by_role("heading", name="批量导入教师")).to_be_visible()

    good, bad = id_number(born="19950101"), with_wrong_check_char(id_number(born="19960202"))
    csv_text = (
        "姓名,身份证号,性别,课程类别,专业,岗位类型,入职日期,招聘方式,学历\n"
        f"邱文博,{good},男,专业课,数控技术,固定岗,2025-09-01,公开招聘,本科\n"
        f"温雅琴,{bad},女,专业课,电子商务,固定岗,2025-09-01,公开招聘,本科\n"
    )
    page.get_by_label("导入文件").set_input_files(
        files=[{"name": "教师名单.csv", "mimeType": "text/csv", "buffer": csv_text.encode("utf-8")}]
    )
    page.get_by_role("button", name="预检（不写入）").click()

    report = page.locator("#import-report")
    expect(report).to_contain_text("预检结果")
    expect(report.get_by_role("status")).to_have_text("未导入：1 行有误（共 2 行），全部行都没有写入。请改正后重新导入。")
    detail = report.locator("details table tbody tr")
    expect(detail).to_have_count(1)
    expect(detail.locator("td")).to_have_text(["3", "身份证号", "身份证号校验位不正确（GB 11643），请核对"])

    page.get_by_role("link", name="教师名单").first.click()
    page.get_by_placeholder("按姓名搜索").fill("邱文博")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("没有符合条件的教师。")).to_be_visible()  # a dry run writes nothing
