"""What tests post: a teacher form, import files (rows, CSV, XLSX) and evidence files, real or pretending."""
from __future__ import annotations

import csv
import io
from io import BytesIO

from openpyxl import Workbook
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.app.factories import id_number

HEADERS = ["姓名", "身份证号", "性别", "学校", "课程类别", "专业", "岗位类型", "入职日期", "招聘方式", "学历", "领导班子"]


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


def one_page_pdf() -> bytes:
    """A small well-formed PDF (its cross-reference table points at its objects), as a PDF reader expects."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


# Evidence files: real signatures, and a program that only pretends.
PDF = one_page_pdf()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode."


def upload(data: bytes, filename: str = "实践证明.pdf") -> FileStorage:
    return FileStorage(stream=BytesIO(data), filename=filename)


def form_file(data: bytes, filename: str = "实践证明.pdf") -> tuple[BytesIO, str]:
    """A file for the test client's multipart `data=`."""
    return BytesIO(data), filename


def post_files(client, url: str, files: list[tuple[bytes, str]], headers: dict | None = None, **fields: str):
    """POST files as multipart/form-data, encoded in memory.

    The test client spools a large body to a temporary file that nobody closes
    (a ResourceWarning, an error under filterwarnings=error); encoding here avoids it.
    """
    values = MultiDict([("file", FileStorage(BytesIO(data), filename)) for data, filename in files])
    values.update(fields)
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}", headers=headers or {})
