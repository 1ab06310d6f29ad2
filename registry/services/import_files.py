"""Reading an import file into rows of cells: every workbook an office has, and CSV.

Workbooks — .xlsx/.xlsm (also Strict Open XML, and as WPS and LibreOffice write them), .xls (Excel 97–2003, WPS),
.xlsb and .ods — are read by python-calamine; CSV by the csv module. The kind of file is told by its content, not
its name. Only the shape of the file is handled here: which sheets, which encoding, which row is which, what a
merged cell shows. What a cell means is decided in services/import_cells.py.
"""
from __future__ import annotations

import codecs
import csv
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import PurePosixPath
from typing import Any

import python_calamine
from flask_babel import gettext as _
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from registry.schemas.fields import is_blank

# A sheet with more data rows than this is refused: the largest sheet of a whole-records file (企业实践 of a big
# school) has tens of thousands of rows.
MAX_ROWS = 50_000
MAX_COLUMNS = 40
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# calamine holds a sheet as one dense grid from its first to its last cell (about 32 bytes a cell): one stray value
# typed far away (XFD1048576) would ask for hundreds of gigabytes. Sheets spanning more cells are refused.
MAX_CELLS = 5_000_000
HEADER_SEARCH_ROWS = 10

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003, WPS; also the wrapper of a password-protected .xlsx
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream name inside that wrapper
WORKBOOK_SUFFIXES = {"xlsx", "xlsm", "xls", "xlsb", "ods", "et"}  # .et: WPS 表格's own name for an .xls
TEXT_SUFFIXES = {"csv", "txt", "tsv"}  # Excel's "Unicode 文本" is a tab-separated .txt


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


IsHeader = Callable[[list[Any]], bool]


@dataclass
class SourceBook:
    """What a file offers to import: its sheets as the user sees them in Excel or WPS.

    `sheets`: the visible worksheets' names in tab order (a CSV is one sheet named by the file's stem);
    `hidden`: hidden worksheets' names, never read; `default`: the sheet the file opens on (the active sheet when
    visible, else the first visible one). Chart and macro sheets are not offered.
    """

    sheets: list[str]
    hidden: list[str]
    default: str
    rows_of: Callable[[str], Iterator[tuple[int, list[Any]]]] = field(repr=False)

    def table(self, name: str, is_header: IsHeader | None = None) -> Table:
        """The header and data rows of sheet `name` (see `collect` for how the header is found).

        Cells are None (empty), str, int or float, bool, date, datetime or time; a merged range gives its
        top-left value to every cell it covers. Raises FileRefused for a hidden or unknown sheet, or when the
        sheet cannot be read.
        """
        if name in self.hidden:
            raise FileRefused(_("工作表“%(name)s”是隐藏的，不会被导入。如确实要导入它，请在 Excel 中取消隐藏后再导入。", name=name))
        if name not in self.sheets:
            raise FileRefused(_("文件中没有名为“%(name)s”的工作表。可选的工作表：%(names)s", name=name, names=_("、").join(self.sheets)))
        return collect(self.rows_of(name), is_header)


def is_blank_row(cells: list[Any] | tuple[Any, ...]) -> bool:
    """Whether every cell of a row is blank (None, or nothing but spaces)."""
    return all(is_blank(cell) for cell in cells)


def read_table(content: bytes, filename: str, is_header: IsHeader | None = None, sheet: str | None = None) -> Table:
    """Sheet `sheet` (default: the one the file opens on) of a workbook, or a CSV file; blank rows skipped.

    A shortcut for `open_workbook(content, filename).table(...)`. Raises FileRefused when the file cannot be read.
    """
    book = open_workbook(content, filename)
    return book.table(sheet if sheet is not None else book.default, is_header)


def open_workbook(content: bytes, filename: str) -> SourceBook:
    """The sheets of an import file, told apart by content: a zip (.xlsx, .xlsm, .xlsb, .ods), an OLE file
    (.xls), else — when its name says so — CSV text. Nothing is read from a sheet until `table` asks for it.

    Raises FileRefused (Chinese) for a file that is none of these, corrupt, password-protected, too large
    unpacked, or has no visible worksheet.
    """
    suffix = PurePosixPath(filename).suffix.lower().lstrip(".")
    if content.startswith(ZIP_MAGIC):
        return calamine_book(content, zip_parts(content))
    if content.startswith(OLE_MAGIC):
        if ENCRYPTED_PACKAGE in content:
            raise FileRefused(password_message())
        return calamine_book(content, None)
    if suffix in TEXT_SUFFIXES:
        return csv_book(content, PurePosixPath(filename).stem or "CSV")
    if suffix in WORKBOOK_SUFFIXES:
        raise FileRefused(_("文件不是有效的 Excel 文件（可能已损坏，或只是改了扩展名）。请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再导入。"))
    raise FileRefused(_("只能导入 Excel 或 WPS 表格（.xlsx、.xls、.xlsb）、.ods 或 .csv 文件。请另存为其中一种后再导入。"))


def password_message() -> str:
    """Why a file with an opening password is refused, and how to remove the password (Chinese)."""
    return _("文件设置了打开密码，无法读取。请在 Excel 或 WPS 中打开它，取消密码（文件→信息→保护工作簿/文档加密）后保存，再导入。")


def corrupt_message() -> str:
    """Why a damaged or mislabelled workbook is refused, and how to save it again (Chinese)."""
    return _("无法读取该文件：文件已损坏或格式不正确。请在 Excel 或 WPS 中打开它，另存为 .xlsx 后再导入。")


def collect(rows: Iterator[tuple[int, list[Any]]], is_header: IsHeader | None = None) -> Table:
    """The header and the data rows among `rows` ((row number, cells) pairs); blank rows are skipped.

    The header is the first of the first HEADER_SEARCH_ROWS non-blank rows that `is_header` accepts (a sheet's
    title, merged across the columns, and notes may stand above it); without one, the first non-blank row.
    Raises FileRefused when there is no row at all, or more than MAX_ROWS data rows.
    """
    table: Table | None = None
    above: list[tuple[int, list[Any]]] = []  # non-blank rows before the header was recognised
    with closing(rows):  # generators: stops the reader even when reading stops early
        for number, cells in rows:
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
    """The table whose header is the first of `rows` ((row number, cells), in file order), the rest its data."""
    (header_number, header), *data = rows
    return Table(header=header, rows=data, header_number=header_number)


# --- workbooks -------------------------------------------------------------------------------------------------


def zip_parts(content: bytes) -> dict[str, bytes]:
    """The small parts of a zip workbook that calamine does not expose (which sheet is active), after the
    unpacked-size guard; and every worksheet part's extent checked against MAX_CELLS."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            items = archive.infolist()
            if sum(item.file_size for item in items) > MAX_UNPACKED_BYTES:  # a "zip bomb": small upload, huge sheet
                raise FileRefused(_("文件解压后过大，请拆分后分批导入。"))
            names = {item.filename for item in items}
            if not names & {"xl/workbook.xml", "xl/workbook.bin", "content.xml"} and not any(
                name.endswith(("workbook.xml", "workbook.bin")) for name in names
            ):
                raise FileRefused(_("文件不是电子表格（可能是 Word 文档或压缩包）。请导入 Excel、WPS 表格、.ods 或 .csv 文件。"))
            parts = {name: archive.read(name) for name in names if name in SMALL_PARTS or name.endswith("workbook.xml")}
            if b"encryption-data" in parts.get("META-INF/manifest.xml", b""):  # an .ods saved with a password
                raise FileRefused(password_message())
            for item in items:
                check_extent(archive, item)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
        raise FileRefused(corrupt_message()) from exc
    return parts


SMALL_PARTS = {"_rels/.rels", "xl/workbook.bin", "settings.xml", "META-INF/manifest.xml"}
XML_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,3})([0-9]{1,7})\"")
BIN_CELL_RECORDS = frozenset(range(1, 12))  # BrtCellBlank … BrtFmlaError: each starts with its column (4 bytes)
BRT_ROW_HDR, BRT_BOOK_VIEW = 0, 158  # [MS-XLSB] 2.3.2: BrtRowHdr, BrtBookView


def check_extent(archive: zipfile.ZipFile, item: zipfile.ZipInfo) -> None:
    """Refuse a worksheet whose cells span more than MAX_CELLS (see MAX_CELLS for why), before calamine reads it."""
    name = item.filename
    if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name):
        rows, columns = xml_extent(archive, name)
    elif re.fullmatch(r"xl/worksheets/[^/]+\.bin", name):
        rows, columns = bin_extent(archive.read(name))
    else:
        return
    if rows and columns and (rows[1] - rows[0] + 1) * (columns[1] - columns[0] + 1) > MAX_CELLS:
        raise FileRefused(_(
            "工作簿中有内容写到了第 %(row)s 行、第 %(column)s 列，超出可导入的范围。请删除远处多余的单元格"
            "（或把要导入的数据复制到一个新的工作簿）后再导入。", row=rows[1] + 1, column=columns[1] + 1,
        ))


def xml_extent(archive: zipfile.ZipFile, name: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(first, last) row and column (from 0) of the cells of an .xlsx worksheet part, read in pieces."""
    rows: list[int] = []
    columns: list[int] = []
    tail = b""
    with archive.open(name) as part:
        while chunk := part.read(1 << 20):
            text = tail + chunk
            cut = text.rfind(b"<")  # a cell tag split between pieces is matched in the next one
            body, tail = (text[:cut], text[cut:]) if cut > 0 and len(text) - cut < 4096 else (text, b"")
            for match in XML_CELL_REF.finditer(body):
                column, row = column_number(match.group(1)), int(match.group(2)) - 1
                if not rows:
                    rows[:] = [row, row]
                    columns[:] = [column, column]
                rows[0], rows[1] = min(rows[0], row), max(rows[1], row)
                columns[0], columns[1] = min(columns[0], column), max(columns[1], column)
    return (tuple(rows) if rows else None), (tuple(columns) if columns else None)


def column_number(letters: bytes) -> int:
    """A spreadsheet column's number from its letters (b"A" -> 1, b"AA" -> 27)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def bin_records(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(record type, offset of its data, its size) of an .xlsb part ([MS-XLSB] 2.1.4: both as 7-bit varints)."""
    position, end = 0, len(data)
    while position < end:
        values = []
        for width in (2, 4):  # the type takes at most 2 bytes, the size at most 4
            value = shift = 0
            for _index in range(width):
                if position >= end:
                    return
                byte = data[position]
                position += 1
                value |= (byte & 0x7F) << shift
                shift += 7
                if not byte & 0x80:
                    break
            values.append(value)
        kind, size = values
        yield kind, position, size
        position += size


def bin_extent(data: bytes) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(first, last) row and column (from 0) of the cells of an .xlsb worksheet part."""
    rows: list[int] = []
    columns: list[int] = []
    for kind, offset, size in bin_records(data):
        if kind == BRT_ROW_HDR and size >= 4:
            target = rows
        elif kind in BIN_CELL_RECORDS and size >= 4:
            target = columns
        else:
            continue
        value = int.from_bytes(data[offset:offset + 4], "little")
        target[:] = [min(target[0], value), max(target[1], value)] if target else [value, value]
    return (tuple(rows) if rows else None), (tuple(columns) if columns else None)


def active_index(parts: dict[str, bytes] | None) -> int | str | None:
    """The active sheet as the file records it — an index into all sheets (.xlsx, .xlsb) or a name (.ods) — or None
    when the file does not say (an .xls: calamine does not tell, and the first visible sheet is taken)."""
    if not parts:
        return None
    if "xl/workbook.bin" in parts:
        data = parts["xl/workbook.bin"]
        for kind, offset, size in bin_records(data):
            if kind == BRT_BOOK_VIEW and size >= 28:  # BrtBookView: six 4-byte fields, then itabCur
                return int.from_bytes(data[offset + 24:offset + 28], "little")
        return None
    if "settings.xml" in parts:
        match = ODS_ACTIVE_TABLE.search(parts["settings.xml"])
        return html.unescape(match.group(1).decode("utf-8", "replace")) if match else None
    workbook = parts.get(workbook_part(parts))
    if workbook is None:
        return None
    match = XLSX_ACTIVE_TAB.search(workbook)
    return int(match.group(1)) if match else 0  # Excel's default when the attribute is left out


# The file is untrusted: no XML parser runs on it here; these patterns read one attribute each.
XLSX_ACTIVE_TAB = re.compile(rb"<(?:\w+:)?workbookView\b[^>]*?\sactiveTab=\"([0-9]{1,5})\"")
ODS_ACTIVE_TABLE = re.compile(rb"<config:config-item\s+config:name=\"ActiveTable\"[^>]*>([^<]{1,200})</config:config-item>")
RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
OFFICE_DOCUMENT = re.compile(rb"\sType=\"[^\"]*/officeDocument\"")
TARGET = re.compile(rb"\sTarget=\"/?([^\"]{1,200})\"")


def workbook_part(parts: dict[str, bytes]) -> str:
    """The workbook part's name as _rels/.rels gives it (xl/workbook.xml in nearly every file)."""
    for tag in RELATIONSHIP.findall(parts.get("_rels/.rels", b"")):
        target = TARGET.search(tag)
        if OFFICE_DOCUMENT.search(tag) and target:
            return target.group(1).decode("utf-8", "replace")
    return "xl/workbook.xml"


def calamine_book(content: bytes, parts: dict[str, bytes] | None) -> SourceBook:
    """A workbook read by python-calamine (.xlsx, .xlsm, .xls, .xlsb, .ods); `parts` are the zip members already read
    (None for .xls). Raises FileRefused when the file cannot be read."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        metadata = workbook.sheets_metadata
    except python_calamine.PasswordError as exc:
        raise FileRefused(password_message()) from exc
    except (python_calamine.CalamineError, ValueError, OSError, UnicodeError) as exc:
        raise FileRefused(corrupt_message()) from exc
    worksheets = [sheet for sheet in metadata if sheet.typ == SheetTypeEnum.WorkSheet]
    visible = [sheet.name for sheet in worksheets if sheet.visible == SheetVisibleEnum.Visible]
    hidden = [sheet.name for sheet in worksheets if sheet.visible != SheetVisibleEnum.Visible]
    if not visible:
        raise FileRefused(_("工作簿中没有可见的工作表，请在 Excel 中取消隐藏要导入的工作表后再导入。"))
    active = active_index(parts)
    if isinstance(active, int):
        active = metadata[active].name if 0 <= active < len(metadata) else None
    default = active if active in visible else visible[0]
    return SourceBook(sheets=visible, hidden=hidden, default=default, rows_of=lambda name: sheet_rows(workbook, name))


def sheet_rows(workbook: CalamineWorkbook, name: str) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of a worksheet, first column A, at most MAX_COLUMNS; merged cells filled."""
    try:
        sheet = workbook.get_sheet_by_name(name)
        start = sheet.start
        if start is None:
            return
        left = start[1]  # calamine gives rows from row 1 but cells from the first used column
        merges = sorted(
            (top, bottom, first, min(last, MAX_COLUMNS - 1))
            for (top, first), (bottom, last) in sheet.merged_cell_ranges or ()
            if first < MAX_COLUMNS
        )
        pending, covering = 0, []  # merges not reached yet (by index into `merges`), merges covering this row
        values: dict[tuple[int, int], Any] = {}  # each merge's top-left value, by (top, first)
        for index, raw in enumerate(sheet.iter_rows()):
            cells = [None] * left + [cell_value(value) for value in raw[:max(0, MAX_COLUMNS - left)]]
            while pending < len(merges) and merges[pending][0] <= index:
                covering.append(merges[pending])
                pending += 1
            covering = [merge for merge in covering if merge[1] >= index]
            for top, _bottom, first, last in covering:
                if top == index:
                    values[top, first] = cells[first] if first < len(cells) else None
                cells.extend([None] * (last + 1 - len(cells)))
                cells[first:last + 1] = [values.get((top, first))] * (last + 1 - first)
            yield index + 1, cells
    except python_calamine.PasswordError as exc:
        raise FileRefused(password_message()) from exc
    except (python_calamine.CalamineError, ValueError, OSError, UnicodeError) as exc:
        raise FileRefused(corrupt_message()) from exc


def cell_value(value: Any) -> Any:
    """calamine's cell as the import takes it: "" is an empty cell; a duration ([h]:mm) its number of days."""
    if value == "":
        return None
    if isinstance(value, timedelta):
        return value / timedelta(days=1)
    return value


# --- CSV -------------------------------------------------------------------------------------------------------


def csv_book(content: bytes, name: str) -> SourceBook:
    """A CSV file as a workbook of one sheet called `name`. Raises FileRefused for an encoding it cannot read."""
    text = csv_text(content)
    return SourceBook(sheets=[name], hidden=[], default=name, rows_of=lambda _name: csv_rows(text))


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


def csv_rows(text: str) -> Iterator[tuple[int, list[Any]]]:
    """(row number as Excel shows it, cells) of CSV text; an empty field is None."""
    number = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_dialect(text))
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [cell if cell != "" else None for cell in row[:MAX_COLUMNS]]
    except csv.Error as exc:
        line = number + 1  # the row being read when the csv module gave up
        if "field larger than field limit" in str(exc):
            raise FileRefused(_(
                "CSV 文件第 %(line)s 行有一个单元格超过 %(limit)s 个字符，不像是名册内容（多半是少了一个引号，"
                "把后面的行都并进了这一格）。请在 Excel 或 WPS 中检查该行后再导入。", line=line, limit=csv.field_size_limit(),
            )) from exc
        raise FileRefused(_(
            "CSV 文件第 %(line)s 行格式有误（多半是引号不成对）。请在 Excel 或 WPS 中打开检查该行，另存为 CSV 后再导入。", line=line,
        )) from exc
