"""What an import warns about without refusing: values that are valid but probably not what the user meant.

Each check takes clean values (as the schemas give them) and returns (field, Chinese message) pairs; the sheet's
service names the row and the column. Shown with the dry run, so the user confirms with them in view.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from registry.rules.months import add_years
from registry.rules.vocabulary import Gender
from registry.schemas.id_numbers import birth_date, gender_code
from registry.vocabulary import label

WORKING_AGE = 16  # the youngest a person may be employed (Labour Law art. 15)
LONGEST_SERVICE_YEARS = 60  # a hire date further back than this is almost surely mistyped


def truncated_id_number(id_number: str) -> list[tuple[str, str]]:
    """[("id_number", message)] when an identity number ends in 000, as one Excel cut to 15 digits does; else []."""
    if id_number.endswith("000"):
        return [("id_number", _("身份证号末三位为 000，可能被 Excel 按数字截断，请核对原始证件号"))]
    return []


def person_warnings(id_number: str, gender: str, hire_date: date, today: date) -> list[tuple[str, str]]:
    """The warnings of a teacher row: [(field, message)] with field one of id_number, gender, hire_date.

    `id_number` is a valid identity number (parse_id_number), `gender` a Gender code, `hire_date` the hire date;
    warned about: an identity number probably cut by Excel (truncated_id_number), a gender the identity number's
    17th digit contradicts, a hire date before the 16th birthday the identity number gives, and a hire date more
    than LONGEST_SERVICE_YEARS years before `today`.
    """
    warnings = truncated_id_number(id_number)
    given = gender_code(id_number)
    if gender != given:
        warnings.append(("gender", _(
            "性别“%(gender)s”与身份证号第 17 位（奇数为男，偶数为女）所示的“%(given)s”不符，请核对性别或身份证号",
            gender=label(Gender, gender), given=label(Gender, given),
        )))
    sixteen = add_years(birth_date(id_number), WORKING_AGE)
    if hire_date < sixteen:
        warnings.append(("hire_date", _(
            "入职日期早于本人年满 16 周岁的日期（%(day)s，按身份证号推算），请核对入职日期或身份证号", day=sixteen.isoformat()
        )))
    elif hire_date < (earliest := add_years(today, -LONGEST_SERVICE_YEARS)):
        warnings.append(("hire_date", _(
            "入职日期在 %(years)s 年以前（早于 %(day)s），请核对", years=LONGEST_SERVICE_YEARS, day=earliest.isoformat()
        )))
    return warnings
