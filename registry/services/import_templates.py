"""Writing the import workbook: the blank template (and, with rows, a school's filled roster)."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

TEMPLATE_ROWS = 5000


def template_workbook(columns: list[tuple[str, str, str]], drop_downs: dict[str, tuple[str, ...]]) -> bytes:
    """An .xlsx with the header row, drop-down lists, text-formatted identity numbers, and a sheet of notes.

    `columns` are (Chinese header, accepted values, example) in file order; `drop_downs` gives the
    values a column's drop-down list offers, by header.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "教师"
    sheet.append([header for header, _values, _example in columns])
    for index, (header, _values, _example) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = 22 if header in ("身份证号", "学校", "学历") else 14
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if header == "身份证号":
            # Text, so Excel keeps all 18 characters instead of rounding to 15 significant digits.
            sheet.column_dimensions[letter].number_format = "@"
        elif header == "入职日期":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        if header in drop_downs:
            validation = DataValidation(type="list", formula1='"' + ",".join(drop_downs[header]) + '"', allow_blank=True)
            validation.error = _("请从下拉列表中选择")
            validation.add(cells)
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("填写说明")
    notes.append([_("列名"), _("填写内容"), _("示例")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for header, values, example in columns:
        notes.append([header, values, example])
    notes.append([])
    for line in (
        _("每行一名教师；只导入打开工作簿时显示的工作表“教师”（隐藏的工作表不会被导入），本说明页不会被导入。"),
        _("身份证号已登记的，按文件内容更新该教师；未登记的新增。"),
        _("全部行都正确才会写入；有任何一行有误，则一行都不写入，并列出每个错误的行、列和原因。"),
        _("工作经历和证书请在教师页面或通过 API 录入。"),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 70
    notes.column_dimensions["C"].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
