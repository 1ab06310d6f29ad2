"""Writes the workbook fixtures of tests/app/test_import_files.py (run by hand; CI reads the committed files).

    .venv/bin/python tests/app/data/imports/make_fixtures.py

roster.xlsx is written with openpyxl; LibreOffice Calc (7.4, `soffice --headless`) converts it to roster.xls and
roster.ods; msoffcrypto-tool (`pip install msoffcrypto-tool`, in any environment: set MSOFFCRYPTO_PYTHON to its
python) encrypts it into roster_password.xlsx with the password "secret". The roster: a hidden first sheet 去年名单
(last year's, never to be read), a visible first sheet 说明 (notes), and the active sheet 教师 — a title merged across
the columns, the header, three teachers whose 专业 is one cell merged down over the first two, 入职日期 as date cells.

LibreOffice 7.4 cannot write .xlsb, nor a password-protected .ods headless: the calamine_*.xlsb and calamine_*.ods
files are copied unchanged from the tests of calamine (github.com/tafia/calamine, tests/, MIT licence, © 2016
Johann Tuffe): any_sheets.xlsb (a visible, a hidden, a very hidden and a chart sheet), date.xlsb (date cells),
pass_protected.xlsb and pass_protected.ods (password "password").
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADERS = ["姓名", "身份证号", "性别", "学校", "课程类别", "专业", "岗位类型", "入职日期", "招聘方式", "学历", "领导班子"]
SCHOOL = "丹东市中等职业技术专业学校"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(body: str) -> str:
    """A made-up identity number with a valid check digit (GB 11643)."""
    total = sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


TEACHERS = [
    ["格式甲", id_number("21060219850505401"), "男", SCHOOL, "专业课", "汽车运用与维修", "固定岗", date(2021, 9, 1), "公开招聘", "本科", "否"],
    ["格式乙", id_number("21060219860606402"), "女", SCHOOL, "专业课", None, "固定岗", date(2019, 3, 15), "直接考核", "硕士", "是"],
    ["格式丙", id_number("21060219870707403"), "男", SCHOOL, "公共基础课", "语文", "流动岗", date(2020, 9, 1), "公开招聘", "本科", "否"],
]
LAST_YEAR = [["旧数据甲", id_number("21060219900707702"), "男", SCHOOL, "专业课", "旧专业", "固定岗", date(2019, 9, 1), "公开招聘", "本科", "否"]]


def roster() -> Workbook:
    workbook = Workbook()
    stale = workbook.active
    stale.title = "去年名单"
    stale.append(HEADERS)
    for values in LAST_YEAR:
        stale.append(values)
    stale.sheet_state = "hidden"
    notes = workbook.create_sheet("说明")
    notes.append(["本工作簿的“教师”表是今年的名单。"])
    sheet = workbook.create_sheet("教师")
    sheet.append(["丹东市中等职业技术专业学校2024年教师花名册"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(HEADERS)
    for values in TEACHERS:
        sheet.append(values)
    sheet.merge_cells("F3:F4")  # 专业 of 格式甲 and 格式乙
    for (cell,) in sheet.iter_rows(min_row=3, min_col=2, max_col=2):
        cell.number_format = "@"
    for (cell,) in sheet.iter_rows(min_row=3, min_col=8, max_col=8):
        cell.number_format = "yyyy-mm-dd"
    workbook.active = workbook.sheetnames.index("教师")
    for each in workbook.worksheets:
        each.sheet_view.tabSelected = each.title == "教师"
    return workbook


ENCRYPT = """
import sys
from msoffcrypto.format.ooxml import OOXMLFile
with open(sys.argv[1], "rb") as source, open(sys.argv[2], "wb") as target:
    OOXMLFile(source).encrypt("secret", target)
"""


def main() -> None:
    source = HERE / "roster.xlsx"
    roster().save(source)
    with tempfile.TemporaryDirectory() as work:
        for suffix in ("xls", "ods"):
            subprocess.run(["soffice", "--headless", "--convert-to", suffix, "--outdir", work, str(source)], check=True, capture_output=True)
            shutil.copy(Path(work) / f"roster.{suffix}", HERE / f"roster.{suffix}")
    python = os.environ.get("MSOFFCRYPTO_PYTHON", "python3")
    subprocess.run([python, "-c", ENCRYPT, str(source), str(HERE / "roster_password.xlsx")], check=True)


if __name__ == "__main__":
    main()
