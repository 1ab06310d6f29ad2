"""What a cell of an import file means: text, dates, identity numbers, codes, and which column a header names.

Shared by every sheet of the import (教师, 工作经历, 证书, 培训, 企业实践); what a row means as a whole is
decided by the service of its kind.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from registry.rules.vocabulary import Code, CourseType, Education, HireChannel
from registry.schemas.id_numbers import normalise_identifier
from registry.services.import_report import ImportReport, RowError


@dataclass(frozen=True)
class Column:
    field: str  # its name in code (a schema field, or "school"); a file may use it as the header too
    header: str  # Chinese, as in api.md
    required: bool = True  # the header must be in the file


def normalise(value: str) -> str:
    """Spaces out, full-width brackets and slashes made plain, English lower-cased."""
    return re.sub(r"\s+", "", value).replace("（", "(").replace("）", ")").replace("／", "/").lower()


def header_names(columns: Sequence[Column]) -> dict[str, str]:
    """{normalised header: field} for the Chinese header, the field name, and the field name without "_"."""
    names = {}
    for column in columns:
        names[normalise(column.header)] = column.field
        names[normalise(column.field)] = column.field
        names[normalise(column.field.replace("_", ""))] = column.field
    return names


# What people write for a code besides its label and the code itself (rules.md's and api.md's short forms).
# A member's first form is the one the template offers; a member without any is offered by its label.
SHORT_FORMS: dict[Code, tuple[str, ...]] = {
    CourseType.SPECIALTY: ("专业课",),
    CourseType.INTERNSHIP: ("实习指导",),
    CourseType.GENERAL: ("公共基础课",),
    HireChannel.DIRECT: ("直接考核",),
    Education.SECONDARY: (Education.SECONDARY.label, "高中", "中专", "技校", "职高"),
    Education.ASSOCIATE: ("大专/高职专科", "大专", "高职专科", "高职", "专科"),
    Education.MASTER: ("硕士", "研究生"),
    Education.DOCTOR: ("博士",),
}


def offered(member: Code) -> str:
    """How the template writes a code: its first short form, else its label."""
    return SHORT_FORMS.get(member, (member.label,))[0]


def code_aliases(coded: dict[str, type[Code]]) -> dict[str, dict[str, str]]:
    """{column: {normalised text: code}}: each code, its label and its short forms, for each coded column
    (`coded` as registry.vocabulary.coded_columns gives it)."""
    return {
        name: {
            normalise(text): member.value
            for member in codes
            for text in (member.value, member.label, *SHORT_FORMS.get(member, ()))
        }
        for name, codes in coded.items()
    }


LEADERSHIP_VALUES = ("是", "否")  # what the template offers for 领导班子
YES = {"是", "true", "yes", "y", "1", "√", "班子成员"}
NO = {"否", "false", "no", "n", "0", "×", ""}
TEXT_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def looks_like_header(cells: list[Any], columns: Sequence[Column]) -> bool:
    """Whether a row names at least two of `columns` (a title or a note above the header does not)."""
    names = header_names(columns)
    return sum(normalise(cell_text(cell)) in names for cell in cells if cell is not None) >= 2


def read_header(
    header: list[Any], number: int, columns: Sequence[Column], report: ImportReport, required: Collection[str], sheet: str | None = None
) -> dict[str, int]:
    """{field: index of its column} for the header row `number`; an unknown, repeated or missing column
    (one whose field is in `required`) is added to the report's errors."""
    names = header_names(columns)
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = cell_text(cell)
        if not text:
            continue
        name = names.get(normalise(text))
        if name is None:
            report.errors.append(RowError(number, text, _("不认识的列名。列名应为：%(names)s", names="、".join(c.header for c in columns)), sheet))
        elif name in positions:
            report.errors.append(RowError(number, text, _("列名重复"), sheet))
        else:
            positions[name] = index
    missing = [c.header for c in columns if c.field not in positions and c.field in required]
    if missing:
        report.errors.append(RowError(number, None, _("缺少列：%(names)s", names="、".join(missing)), sheet))
    return positions


# Excel writes a character XML cannot hold as _xHHHH_ (a carriage return as _x000D_, an underscore that
# would start such an escape as _x005F_); openpyxl hands the escape over as text.
EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
LINE_BREAKS = re.compile(r"[\r\n]+")


def cell_text(value: Any) -> str:
    """A cell as one line of text: Excel's _xHHHH_ escapes undone, line breaks removed (every imported text
    field is a single line: a break inside a name is a stray Alt+Enter), surrounding spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = EXCEL_ESCAPE.sub(lambda escape: chr(int(escape.group(1), 16)), str(value))
    return LINE_BREAKS.sub("", text).strip()


def id_number_text(value: Any) -> str:
    if isinstance(value, float):
        # Excel keeps 15 significant digits: an 18-digit number has already lost its last digits.
        raise ValueError(_("身份证号被存成了数字，末几位已丢失。请把该列设为“文本”格式后重新填写"))
    return normalise_identifier(cell_text(value))


def date_value(value: Any) -> Any:
    """A date cell as a date; a text date (2024-09-01, 2024/9/1, 2024年9月1日) as ISO text for the schema."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)):
        raise ValueError(_("是数字而不是日期，请把单元格设为日期格式，或填写 YYYY-MM-DD"))
    text = cell_text(value)
    match = TEXT_DATE.match(text)
    if match:
        year, month, day = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return text


