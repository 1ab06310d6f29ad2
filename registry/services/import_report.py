"""What an import found: the refusals (errors) and the things to look at before confirming (warnings)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _


@dataclass(frozen=True)
class RowError:
    row: int | None  # the row number in the file (the header is row 1); None: the file as a whole
    column: str | None  # the Chinese column header
    message: str
    sheet: str | None = None  # the sheet of a workbook with several, as its tab is named

    def __str__(self) -> str:
        where = [_("工作表“%(name)s”", name=self.sheet)] if self.sheet else []
        if self.row is not None:
            where.append(_("第 %(n)s 行", n=self.row))
        if self.column:
            where.append(self.column)
        return ("，".join(where) + "：" if where else "") + self.message


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False
    seconds: float = 0.0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # shown before confirming; they do not block

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if e.row is not None})

    def grouped(self) -> list[tuple[str | None, str, str, int]]:
        """(column, reason, the rows as ranges, how many rows): one line per kind of mistake."""
        groups: dict[tuple[str | None, str], list[int]] = {}
        for error in self.errors:
            groups.setdefault((error.column, error.message), []).append(error.row or 0)
        return [(column, message, row_ranges(rows), len(rows)) for (column, message), rows in groups.items()]

    def summary(self) -> str:
        if self.errors:
            return _(
                "未导入：%(bad)s 行有误（共 %(rows)s 行），全部行都没有写入。请改正后重新导入。",
                bad=self.bad_rows, rows=self.rows,
            )
        if self.written:
            return _(
                "导入完成：共 %(rows)s 行，新增 %(created)s 名教师，更新 %(updated)s 名，%(unchanged)s 名无变化。",
                rows=self.rows, created=self.created, updated=self.updated, unchanged=self.unchanged,
            )
        return _(
            "检查通过（尚未写入）：共 %(rows)s 行，将新增 %(created)s 名教师，更新 %(updated)s 名，%(unchanged)s 名无变化。",
            rows=self.rows, created=self.created, updated=self.updated, unchanged=self.unchanged,
        )


def row_ranges(rows: list[int]) -> str:
    """2, 3, 4, 9 -> "2–4、9"; row 0 stands for the file as a whole and is left out."""
    parts: list[str] = []
    numbers = sorted(set(r for r in rows if r))
    start = previous = None
    for number in numbers + [None]:
        if start is not None and (number is None or number != previous + 1):
            parts.append(str(start) if start == previous else f"{start}–{previous}")
            start = None
        if number is not None and start is None:
            start = number
        previous = number
    return "、".join(parts)
