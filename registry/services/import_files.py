"""Reading an import file (.xlsx or CSV) into rows of cells.

Only the shape of the file is handled here: which sheet, which encoding, which
row is which. What a cell means is decided in services/imports.py.
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from openpyxl import load_workbook

from registry.schemas.fields import is_blank

# A file with more rows than this is refused; a school has a few hundred teachers.
MAX_ROWS = 20_000
MAX_COLUMNS = 40
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


class FileRefused(Exception):
    """The file as a whole cannot be read; `message` says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """The header row and the data rows of the sheet read, with their row numbers in the file."""

    header: list[Any]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    header_number: int = 1  # the header's row number in the file (titles may stand above it)


def is_blank_row(cells: list[Any] | tuple[Any, ...]) -> bool:
    return all(is_blank(cell) for cell in cells)


def read_table(content: bytes, filename: str, is_header: Callable[[list[Any]], bool] | None = None) -> Table:
    """The visible, active sheet of an .xlsx, or a CSV file; blank rows are skipped.

    The header is the first of the first HEADER_SEARCH_ROWS non-blank rows that `is_header` accepts (a sheet's
    title, merged across the columns, and notes may stand above it); without one, the first non-blank row.
    Raises FileRefused when the file cannot be read.
    """
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "xls":
        raise FileRefused(_("不支持旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为” .xlsx 后再导入。"))
    if suffix == "xlsx" or (suffix != "csv" and content.startswith(XLSX_MAGIC)):
        rows = xlsx_rows(content)
    elif suffix == "csv":
        rows = csv_rows(content)
    else:
        raise FileRefused(_("只能导入 .xlsx 或 .csv 文件。"))
    return collect(rows, is_header)


HEADER_SEARCH_ROWS = 10


def collect(rows: Generator[list[Any], None, None], is_header: Callable[[list[Any]], bool] | None = None) -> Table:
    table: Table | None = None
    above: list[tuple[int, list[Any]]] = []  # non-blank rows before the header was recognised
    with closing(rows):  # closes the workbook even when reading stops early
        for number, cells in enumerate(rows, start=1):
            if is_blank_row(cells):
                continue
            if table is None:
                if is_header is None or is_header(cells):
                    table = Table(header=list(cells), header_number=number)
                    continue
                above.append((number, list(cells)))
                if len(above) < HEADER_SEARCH_ROWS:
                    continue
                table = first_row_as_header(above)  # no header near the top: its errors name the first row
            elif len(table.rows) >= MAX_ROWS:
                raise FileRefused(_("文件超过 %(n)s 行，请拆分成几个文件分别导入。", n=MAX_ROWS))
            else:
                table.rows.append((number, list(cells)))
    if table is None and above:
        table = first_row_as_header(above)
    if table is None:
        raise FileRefused(_("文件是空的：第一行应为列名（姓名、身份证号……）。"))
    return table


def first_row_as_header(rows: list[tuple[int, list[Any]]]) -> Table:
    (header_number, header), *data = rows
    return Table(header=header, rows=data, header_number=header_number)


def xlsx_rows(content: bytes) -> Generator[list[Any], None, None]:
    if not content.startswith(XLSX_MAGIC):
        raise FileRefused(_("文件不是有效的 .xlsx 文件（可能已损坏，或只是改了扩展名）。"))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:  # a "zip bomb": small upload, enormous sheet
            raise FileRefused(_("文件解压后过大，请拆分后分批导入。"))
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FileRefused(_("无法读取该 .xlsx 文件：文件已损坏或格式不正确。")) from exc
    try:
        sheet = visible_sheet(workbook)
        # LibreOffice and some other writers store a wrong sheet size; read every row there is.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield list(row)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FileRefused(_("无法读取该 .xlsx 文件：文件已损坏或格式不正确。")) from exc
    finally:
        workbook.close()


def visible_sheet(workbook):
    """The sheet the user sees on opening the workbook: the active one, else the first visible one. A hidden
    sheet (last year's roster kept out of sight) is never read."""
    visible = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    if not visible:
        raise FileRefused(_("工作簿中没有可见的工作表，请取消隐藏要导入的工作表后再导入。"))
    active = workbook.active
    return active if active in visible else visible[0]


def csv_text(content: bytes) -> str:
    """The text of a CSV file as offices save it: UTF-16 or UTF-8 with a byte order mark, UTF-8 without one,
    else GB18030 (a superset of GBK, what Chinese Excel's plain "CSV (逗号分隔)" writes).

    Raises FileRefused when it is none of these, or holds NUL characters (not a text file).
    """
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise FileRefused(_("CSV 文件中含有无法识别的字符，请确认它是 UTF-8、GBK 或 UTF-16 编码的文本文件。"))


def csv_dialect(text: str) -> str:
    """The separator of the header line: a tab (Excel's "Unicode 文本", WPS) when it has tabs and no commas."""
    header = text.split("\n", 1)[0]
    return "\t" if "\t" in header and "," not in header else ","


def csv_rows(content: bytes) -> Generator[list[Any], None, None]:
    text = csv_text(content)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=csv_dialect(text)):
            yield row[:MAX_COLUMNS]
    except csv.Error as exc:
        raise FileRefused(_("CSV 文件格式有误：%(reason)s", reason=str(exc))) from exc
