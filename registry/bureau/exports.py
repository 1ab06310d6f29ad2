"""CSV and .xlsx files of exactly the filtered compliance list, streamed.

Both start with a header block (as-of date, filters, policy version), then
one line per row of `compliance_list.iter_rows`. Rows are written as they are
evaluated: the CSV goes out in pieces, the workbook is built by openpyxl's
write-only mode in a temporary file and then sent in pieces, so a list of
100,000 teachers never sits in memory.
"""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import quote

from flask import Response, stream_with_context
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from registry import media_types
from registry.models import User
from registry.presenters import id_number_for
from registry.rules.months import months_text
from registry.rules.vocabulary import CourseType, PostType, Rule
from registry.services.compliance import PolicyBook
from registry.services.compliance_list import (
    ComplianceRow,
    ListQuery,
    describe_filters_text,
    describe_policy,
    iter_rows,
    rule_label,
)
from registry.vocabulary import label

CSV_FLUSH_ROWS = 500
FILE_CHUNK = 64 * 1024


def columns(user: User) -> list[tuple[str, Callable[[ComplianceRow], Any], int]]:
    """(header, value, xlsx width) of every column, in order; codes are written as their labels, identity numbers
    as `user` may see them (presenters.id_number_for).

    Labels are looked up once per code for each export, not once per row (gettext dominated a long export).
    """
    say = cache(label)
    return [
        # The registry's own record number, to find the row again; not a teacher number an office issues.
        (_("系统编号"), lambda r: r.teacher_id, 10),
        (_("姓名"), lambda r: r.name, 10),
        (_("身份证号"), lambda r: id_number_for(user, r.id_number), 21),
        (_("学校"), lambda r: r.school, 28),
        (_("县（市、区）"), lambda r: r.county, 14),
        (_("专业"), lambda r: r.specialty, 14),
        (_("课程类别"), lambda r: say(CourseType, r.course_type), 14),
        (_("岗位类型"), lambda r: say(PostType, r.post_type), 8),
        (_("入职日期"), lambda r: r.hire_date, 12),
        (rule_label(Rule.HIRE), lambda r: say(r.hire), 12),
        (_("招聘依据或原因"), lambda r: r.hire_basis_text(), 30),
        (_("入职前企业经历（月）"), lambda r: r.experience_months, 12),
        (rule_label(Rule.PRACTICE), lambda r: say(r.practice), 14),
        (_("本周期开始"), lambda r: r.cycle_start, 12),
        (_("本周期结束"), lambda r: r.cycle_end, 12),
        (_("本周期已完成（月）"), lambda r: r.practice_months, 12),
        (_("要求（月）"), lambda r: r.practice_required, 8),
        (_("尚需（月）"), lambda r: r.practice_needed, 8),
        (_("上一周期企业实践"), lambda r: say(r.practice_previous), 16),
        (_("上一周期完成（月）"), lambda r: r.practice_previous_months, 12),
        (rule_label(Rule.TRAINING), lambda r: say(r.training), 10),
        (_("上一周期轮训"), lambda r: say(r.training_previous), 18),
    ]


def header_block(user: User, query: ListQuery, book: PolicyBook) -> list[list[str]]:
    """The lines above the table: title, as-of date, filters, policy parameters, a note, then a blank line."""
    return [
        [_("专业教师合规名单")],
        [_("核算日期"), query.as_of.isoformat()],
        [_("筛选条件"), describe_filters_text(user, query)],
        [_("政策参数"), describe_policy(query.as_of, book)],
        [_("说明"), _("招聘资格按教师入职日施行的政策版本核算；企业实践与全员轮训按核算日施行的版本核算。")],
        [],
    ]


# A cell starting with one of these runs as a formula in Excel and other spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """Text a spreadsheet shows as typed: a leading ' stops a name like "=HYPERLINK(...)" from running."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(value: Any) -> Any:
    """A cell as CSV writes it: None blank, text inert, a date in ISO form, a figure (the list's only floats are
    months) as every page writes months (months_text: 10, not 10.0)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return months_text(value)
    return value


def csv_chunks(user: User, query: ListQuery) -> Iterator[bytes]:
    """The list as UTF-8 CSV with a BOM, in chunks of CSV_FLUSH_ROWS rows; Forbidden before the first byte."""
    book = PolicyBook.load()
    rows = iter_rows(user, query)  # refuses before the first byte
    cols = columns(user)
    header = header_block(user, query, book)  # now: the stream must not read ORM objects the request's commit expired

    def generate() -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # Excel reads UTF-8 Chinese correctly only with the BOM
        writer.writerows([[inert(text) for text in line] for line in header])
        writer.writerow([title for title, _value, _width in cols])
        for count, row in enumerate(rows, start=1):
            writer.writerow([csv_text(value(row)) for _title, value, _width in cols])
            if count % CSV_FLUSH_ROWS == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode("utf-8")

    return generate()


def xlsx_chunks(user: User, query: ListQuery) -> Iterator[bytes]:
    """The list as an .xlsx workbook, in chunks of FILE_CHUNK bytes; Forbidden before the first byte."""
    book = PolicyBook.load()
    rows = iter_rows(user, query)
    cols = columns(user)
    header = header_block(user, query, book)  # now: the stream must not read ORM objects the request's commit expired

    def generate() -> Iterator[bytes]:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("合规名单"))
        for index, (_title, _value, width) in enumerate(cols, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        table_top = len(header) + 1  # the row of the column titles
        # The titles stay in view while scrolling, with a filter on each column of the table.
        sheet.freeze_panes = f"A{table_top + 1}"
        bold = Font(bold=True)
        for line in header:
            sheet.append([inert(ILLEGAL_CHARACTERS_RE.sub("", text)) for text in line])
        sheet.append([_bold(sheet, title, bold) for title, _value, _width in cols])
        written = 0
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value(row)) for _title, value, _width in cols])
            written += 1
        sheet.auto_filter.ref = f"A{table_top}:{get_column_letter(len(cols))}{table_top + written}"
        with tempfile.TemporaryFile() as file:  # openpyxl already keeps the rows on disk, not in memory
            workbook.save(file)
            file.seek(0)
            while chunk := file.read(FILE_CHUNK):
                yield chunk

    return generate()


def _bold(sheet, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell


def _xlsx_cell(sheet, value: Any) -> Any:
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if isinstance(value, str):
        return inert(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def download_name(query: ListQuery, extension: str) -> str:
    """The file's name: 合规名单-<as-of date>.<extension>."""
    return f"{_('合规名单')}-{query.as_of.isoformat()}.{extension}"


def export_response(user: User, query: ListQuery, kind: str) -> Response:
    """The streamed file of the filtered list; `kind` is "csv" or "xlsx"."""
    if kind == "csv":
        body, mimetype = csv_chunks(user, query), "text/csv"  # werkzeug adds "; charset=utf-8"
    else:
        body, mimetype = xlsx_chunks(user, query), media_types.XLSX
    fallback = f"compliance-{query.as_of.isoformat()}.{kind}"
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(download_name(query, kind))}"
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = disposition
    response.headers["Cache-Control"] = "no-store"
    return response
