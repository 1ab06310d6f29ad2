"""Writing the import workbook: the blank template and, with rows, a school's filled roster (same sheets, same cells)."""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

TEMPLATE_ROWS = 5000  # rows of the blank template that carry the drop-down lists and formats
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NOTES_SHEET = "填写说明"


@dataclass(frozen=True)
class TemplateColumn:
    header: str
    accepted: str  # what it takes, for the notes sheet
    example: Any = ""
    drop_down: tuple[str, ...] = ()  # the values a drop-down list offers
    is_date: bool = False
    is_text: bool = False  # stored as text, so Excel keeps every character (identity numbers)
    width: int = 14


@dataclass
class TemplateSheet:
    name: str
    columns: Sequence[TemplateColumn]
    rows: list[list[Any]] = field(default_factory=list)  # a filled roster; empty for the blank template
    about: str = ""  # one line on the notes sheet: what a row of this sheet is


def template_workbook(sheets: Sequence[TemplateSheet], notes: Sequence[str]) -> bytes:
    """An .xlsx with one sheet per entry of `sheets` (in order; the first is active) and a 填写说明 sheet.

    Every sheet: the header row bold, shaded and frozen, an auto-filter over its columns, column widths, identity
    numbers formatted as text, date columns formatted as dates, a drop-down list on each column that has values
    to offer. The notes sheet lists every column of every sheet (what it takes, an example), then `notes`.
    Cells of `rows` are written as given: dates as date cells, text as text.
    """
    workbook = Workbook(write_only=False)
    first = workbook.active
    workbook.remove(first)
    for spec in sheets:
        write_sheet(workbook.create_sheet(spec.name), spec)
    notes_sheet = workbook.create_sheet(NOTES_SHEET)
    notes_sheet.append([_("工作表"), _("列名"), _("填写内容"), _("示例")])
    for cell in notes_sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for spec in sheets:
        if spec.about:
            notes_sheet.append([spec.name, "", spec.about, ""])
        for column in spec.columns:
            example = column.example.isoformat() if isinstance(column.example, date) else column.example
            notes_sheet.append([spec.name, column.header, str(column.accepted), str(example)])
    notes_sheet.append([])
    for line in notes:
        notes_sheet.append([str(line)])
    for letter, width in zip("ABCD", (12, 16, 80, 24), strict=True):
        notes_sheet.column_dimensions[letter].width = width
    notes_sheet.freeze_panes = "A2"
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_sheet(sheet, spec: TemplateSheet) -> None:
    """Fill the openpyxl `sheet`: header row (bold, frozen, filtered), `spec.rows`, column widths and formats, and a
    drop-down list on each coded column for TEMPLATE_ROWS rows."""
    sheet.append([column.header for column in spec.columns])
    for values in spec.rows:
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text typed as "=…" stays text: it must not run in HR's Excel, and reads back
                cell.data_type = "s"
    last_row = max(TEMPLATE_ROWS, len(spec.rows)) + 1
    for index, column in enumerate(spec.columns, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        header.fill = HEADER_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        number_format = TEXT_FORMAT if column.is_text else DATE_FORMAT if column.is_date else None
        if number_format:
            # The column's format applies to the cells typed later; the filled ones carry it themselves.
            sheet.column_dimensions[letter].number_format = number_format
            for (cell,) in sheet.iter_rows(min_row=2, max_row=len(spec.rows) + 1, min_col=index, max_col=index):
                cell.number_format = number_format
        if column.drop_down:
            validation = DataValidation(type="list", formula1='"' + ",".join(column.drop_down) + '"', allow_blank=True)
            validation.error = _("请从下拉列表中选择")
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}{len(spec.rows) + 1}"
