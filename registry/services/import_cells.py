"""What a cell of an import file means: text, dates, identity numbers, codes, and which column a header names.

Shared by every sheet of the import (教师, 工作经历, 证书, 培训, 企业实践); what a row means as a whole is
decided by the service of its kind.
"""
from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from registry.rules.vocabulary import (
    CertificateKind,
    Code,
    CourseType,
    Education,
    HireChannel,
    PracticeStatus,
    SkillLevel,
    TrainingKind,
    TrainingStatus,
)
from registry.schemas.id_numbers import id_number_check_char, normalise_identifier, visible_text
from registry.services.import_report import ImportReport, RowError


@dataclass(frozen=True)
class Column:
    field: str  # its name in code (a schema field, or "school"); a file may use it as the header too
    header: str  # Chinese, as in api.md
    required: bool = True  # the header must be in the file
    synonyms: tuple[str, ...] = ()  # other headers offices write for it (身份证号码 for 身份证号); each must name only it


def normalise(value: str) -> str:
    """Text as it is compared: NFKC (full-width letters, digits, brackets and slashes made plain), invisible
    characters and every space (also the ideographic one) out, English lower-cased."""
    return re.sub(r"\s+", "", visible_text(value)).lower()


# A required-field mark before or after a header: *姓名, ＊姓名 (NFKC makes it *), 姓名*, ※姓名.
REQUIRED_MARK = re.compile(r"^[*※]+|[*※]+$")


def header_key(value: str) -> str:
    """A header as it is compared: `normalise`d, without a required-field mark."""
    return REQUIRED_MARK.sub("", normalise(value))


def header_names(columns: Sequence[Column]) -> dict[str, str]:
    """{header_key: field} for the Chinese header, its synonyms, the field name, and the field name without "_"."""
    names = {}
    for column in columns:
        for name in (column.header, *column.synonyms, column.field, column.field.replace("_", "")):
            names[header_key(name)] = column.field
    return names


# What people write for a code besides its label and the code itself (rules.md's and api.md's short forms).
# A member's first form is the one the template offers; a member without any is offered by its label.
SHORT_FORMS: dict[tuple[type[Code], str], tuple[str, ...]] = {
    # Keyed by (code list, code): lists share codes ("other", "planned"), and a StrEnum member hashes as its code,
    # so a dict keyed by the members would give one list's forms to another's.
    (type(member), member.value): forms
    for member, forms in (
        (CourseType.SPECIALTY, ("专业课",)),
        (CourseType.INTERNSHIP, ("实习指导",)),
        (CourseType.GENERAL, ("公共基础课",)),
        (HireChannel.DIRECT, ("直接考核",)),
        (Education.SECONDARY, (Education.SECONDARY.label, "高中", "中专", "技校", "职高")),
        (Education.ASSOCIATE, ("大专/高职专科", "大专", "高职专科", "高职", "专科")),
        (Education.MASTER, ("硕士", "研究生")),
        (Education.DOCTOR, ("博士",)),
        # The record sheets (api.md "Bulk import file"); rules.md maps 1+X 初/中/高 to the three lowest skill levels.
        (CertificateKind.SKILL, ("职业技能等级证书", "职业资格证书")),
        (SkillLevel.JUNIOR, (SkillLevel.JUNIOR.label, "五级", "初级工", "1+X初级", "初级")),
        (SkillLevel.INTERMEDIATE, (SkillLevel.INTERMEDIATE.label, "四级", "中级工", "1+X中级", "中级")),
        (SkillLevel.SENIOR, (SkillLevel.SENIOR.label, "三级", "高级工", "1+X高级", "高级")),
        (SkillLevel.TECHNICIAN, (SkillLevel.TECHNICIAN.label, "二级", "技师")),
        (SkillLevel.SENIOR_TECHNICIAN, (SkillLevel.SENIOR_TECHNICIAN.label, "一级", "高级技师")),
        (TrainingKind.ROTATION, ("轮训", "全员轮训")),
        (TrainingKind.OTHER, ("其他",)),
        (TrainingStatus.PLANNED, ("计划",)),
        (TrainingStatus.COMPLETED, ("已完成", "完成")),
        (PracticeStatus.PLANNED, ("计划",)),
        (PracticeStatus.SUBMITTED, ("已提交", "待审核")),
        (PracticeStatus.VERIFIED, ("已审核通过", "已审核", "审核通过")),
    )
}


def short_forms(member: Code) -> tuple[str, ...]:
    """What people write for `member` besides its label and its code (SHORT_FORMS); () when nothing else."""
    return SHORT_FORMS.get((type(member), member.value), ())


def offered(member: Code) -> str:
    """How the template writes a code: its first short form, else its label."""
    return (short_forms(member) or (member.label,))[0]


def code_aliases(coded: dict[str, type[Code]]) -> dict[str, dict[str, str]]:
    """{column: {normalised text: code}}: each code, its label and its short forms, for each coded column
    (`coded` as registry.vocabulary.coded_columns gives it)."""
    return {
        name: {
            normalise(text): member.value
            for member in codes
            for text in (member.value, member.label, *short_forms(member))
        }
        for name, codes in coded.items()
    }


YES_NO_VALUES = ("是", "否")  # what the template offers for a yes-or-no column (领导班子, 与专业相关)
YES = {"是", "true", "yes", "y", "1", "√", "班子成员"}
NO = {"否", "false", "no", "n", "0", "×", ""}


def required_fields(columns: Sequence[Column]) -> set[str]:
    """The fields of `columns` whose column a file must have."""
    return {c.field for c in columns if c.required}


def looks_like_header(cells: list[Any], columns: Sequence[Column]) -> bool:
    """Whether a row names at least two of `columns`, by header, synonym or field name (a title or a note above the
    header does not)."""
    names = header_names(columns)
    return sum(header_key(cell_text(cell)) in names for cell in cells if cell is not None) >= 2


def read_header(
    header: list[Any], number: int, columns: Sequence[Column], report: ImportReport, required: Collection[str], sheet: str | None = None
) -> dict[str, int]:
    """{field: index of its column} for the header row `number`.

    Headers are matched by `header_key` to a column's header, synonyms or field name. Added to the report's
    errors: a header twice, two headers naming one column (身份证号 and 身份证号码), a missing column (one whose field
    is in `required`), and the unknown headers of a row that names fewer than two columns (not a header at all).
    Otherwise the unknown headers (序号, 备注…) are ignored and named in one warning on the header row.
    """
    names = header_names(columns)
    by_field = {c.field: c for c in columns}
    positions: dict[str, int] = {}
    given: dict[str, str] = {}  # field: its header as the file writes it
    unknown: list[str] = []
    for index, cell in enumerate(header):
        text = cell_text(cell)
        if not text:
            continue
        name = names.get(header_key(text))
        if name is None:
            unknown.append(text)
        elif name not in positions:
            positions[name], given[name] = index, text
        elif header_key(given[name]) == header_key(text):
            report.errors.append(RowError(number, text, _("列名重复，请删去其中一列"), sheet))
        else:
            report.errors.append(RowError(
                number, by_field[name].header,
                _("列“%(first)s”和“%(second)s”都可作为“%(column)s”，请删去一列", first=given[name], second=text, column=by_field[name].header),
                sheet,
            ))
    if unknown and len(positions) < 2:
        for text in unknown:
            report.errors.append(RowError(number, text, _("不认识的列名。列名应为：%(names)s", names=_("、").join(c.header for c in columns)), sheet))
    elif unknown:
        report.warnings.append(RowError(
            number, None, _("以下列不导入：%(names)s。其中若有要导入的内容，请把列名改为模板中的列名", names=_("、").join(unknown)), sheet
        ))
    missing = [c.header for c in columns if c.field not in positions and c.field in required]
    if missing:
        report.errors.append(RowError(number, None, _("缺少列：%(names)s", names=_("、").join(missing)), sheet))
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


# An identity number Excel showed in scientific notation (2.10602E+17) and that was saved as that text.
SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+\d+$", re.IGNORECASE)
# What is left of an 18-digit number once Excel has kept its 15 significant digits.
CUT = re.compile(r"^\d{15}000$")


def id_number_text(value: Any) -> str:
    """An identity-number cell as text for the schema (`normalise_identifier`).

    A number cell (int, or float) of 18 digits is turned into its digits: Excel keeps 15 significant digits, so
    one whose check digit fails is refused as probably cut. Raises ValueError (the Chinese message) for such a
    number, for any other number, for text of 15 digits and 000 whose check digit fails (such a number saved as
    text), and for the scientific notation (2.10602E+17) Excel shows for a long number.
    """
    if isinstance(value, bool):
        raise ValueError(_("身份证号应为 18 位文字，请把该列设为“文本”格式后重新填写"))
    if isinstance(value, (int, float)):
        # What Excel shows of a float: its 15 significant digits (2.10602198801011E+17 is 210602198801011000).
        digits = str(int(Decimal(f"{value:.15g}"))) if isinstance(value, float) and value.is_integer() else str(value)
        if len(digits) != 18 or not digits.isdigit():
            raise ValueError(_("身份证号被存成了数字，不是 18 位。请把该列设为“文本”格式后重新填写完整号码"))
        if id_number_check_char(digits[:17]) != digits[17]:
            raise ValueError(_("身份证号被存成了数字，末几位可能已被 Excel 截断（校验位不符）。请把该列设为“文本”格式，按证件重新填写"))
        return digits
    text = normalise_identifier(cell_text(value))
    if SCIENTIFIC.match(text):
        raise ValueError(
            _("身份证号显示为科学计数法（%(text)s），末几位已丢失。请把该列设为“文本”格式，按证件重新填写", text=text)
        )
    if CUT.match(text) and id_number_check_char(text[:17]) != text[17]:
        raise ValueError(_("身份证号末三位为 000 且校验位不符，可能已被 Excel 按数字截断。请把该列设为“文本”格式，按证件重新填写"))
    return text


# The forms offices type a date in: 2021-09-01, 2021/9/1, 2021.9.1, 2021年9月1日 (spaces allowed), and 20210901;
# a midnight time after it is what a date column exported by another program carries.
TEXT_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?$")
EXCEL_LAST_DAY = 2_958_465  # 9999-12-31 as Excel counts days
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def date_value(value: Any) -> Any:
    """A date cell (date or datetime) as a date; a text date in a form of TEXT_DATE or 20210901, or a whole-number
    cell 20210901 (a number shown as a date by a custom format), as ISO text for the schema (which checks that the
    date exists); other text as it is, for the schema to refuse.

    Raises ValueError (the Chinese message) for a number that is no such date (an Excel serial number shown as a
    plain number), a time of day, and a year and month without a day.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        # Excel keeps a time of day as a fraction of a day: a date cell before 1900 is read back as one too.
        raise ValueError(_("不是有效日期：单元格里是时刻 %(time)s，请填写 YYYY-MM-DD", time=value.isoformat(timespec="minutes")))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        match = COMPACT_DATE.match(f"{value:.0f}") if float(value).is_integer() else None
        if match is None and not 0 < value <= EXCEL_LAST_DAY:
            # Past 9999-12-31 even as a day count: a date-formatted cell Excel itself shows as ####.
            raise ValueError(_("不是有效日期（数字 %(value)s 超出日期范围），请填写 YYYY-MM-DD", value=cell_text(value)))
        if match is None:
            raise ValueError(_("是数字而不是日期，请把单元格设为日期格式，或填写 YYYY-MM-DD"))
        return "-".join(match.groups())
    text = visible_text(cell_text(value))
    match = TEXT_DATE.match(text) or COMPACT_DATE.match(text)
    if match:
        year, month, day = match.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if YEAR_MONTH.match(text):
        raise ValueError(_("只有年月，缺少日。请填写完整日期，如 2021-09-01"))
    return text
