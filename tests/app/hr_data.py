"""Input builders shared by the HR, import and records tests."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from openpyxl import Workbook

from registry.schemas import id_number_check_char

HEADERS = ["姓名", "身份证号", "性别", "学校", "课程类别", "专业", "岗位类型", "入职日期", "招聘方式", "学历", "领导班子"]


def id_number(n: int, region: str = "210602") -> str:
    """A valid identity number, different for every n (the birth date moves one day per n)."""
    born = date(1960, 1, 1) + timedelta(days=n)
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


def with_wrong_check_digit(number: str) -> str:
    wrong = "0" if number[17] != "0" else "1"
    return number[:17] + wrong


def teacher_form(**changes) -> dict:
    """A complete, valid teacher as the page form posts it."""
    data = {
        "name": "李明", "id_number": id_number(1), "gender": "male", "course_type": "specialty",
        "specialty": "数控技术应用", "post_type": "fixed", "hire_date": "2022-09-01", "hire_channel": "open",
        "education": "bachelor", "left_date": "",
    }
    data.update(changes)
    return data


def row(n: int, school: str, **changes) -> list:
    """One import row in the column order of HEADERS."""
    values = {
        "姓名": f"教师{n}", "身份证号": id_number(n), "性别": "女" if n % 2 else "男", "学校": school,
        "课程类别": "专业课", "专业": "数控技术应用", "岗位类型": "固定岗", "入职日期": "2022-09-01",
        "招聘方式": "公开招聘", "学历": "本科", "领导班子": "否",
    }
    values.update(changes)
    return [values[h] for h in HEADERS]


def csv_bytes(rows: list[list], headers: list[str] = HEADERS, bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list], headers: list[str] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
