"""What an import found: the refusals (errors), the things to look at before confirming (warnings), and what was
(or would be) created, updated and left unchanged, kind by kind."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from registry.rules.vocabulary import ImportKind
from registry.vocabulary import label


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
        return (_("，").join(where) + _("：") if where else "") + self.message


@dataclass
class KindCount:
    """The rows of one kind that create a record, update one, or match one exactly."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportReport:
    """The outcome of one import. `created`/`updated`/`unchanged` are the totals over `counts` (one entry per kind
    read, in ImportKind order); `sheets` are the sheets read, `visible`/`hidden` all the workbook's sheets."""

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
    counts: dict[ImportKind, KindCount] = field(default_factory=dict)
    sheets: list[str] = field(default_factory=list)
    visible: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({(e.sheet, e.row) for e in self.errors if e.row is not None})

    def count(self, kind: ImportKind) -> KindCount:
        """The counts of `kind`, added (zero) when it has none yet."""
        return self.counts.setdefault(kind, KindCount())

    def add_totals(self) -> None:
        """Set created/updated/unchanged to the sums over `counts`."""
        self.created = sum(c.created for c in self.counts.values())
        self.updated = sum(c.updated for c in self.counts.values())
        self.unchanged = sum(c.unchanged for c in self.counts.values())

    def grouped(self) -> list[tuple[str | None, str, str, int]]:
        """(column, reason, the rows as ranges, how many rows): one line per kind of mistake. In a workbook of
        several sheets the column reads "sheet · column", so the same column of two sheets stays apart."""
        groups: dict[tuple[str | None, str | None, str], list[int]] = {}
        for error in self.errors:
            groups.setdefault((error.sheet, error.column, error.message), []).append(error.row or 0)
        return [
            (where(sheet, column), message, row_ranges(rows), len(rows))
            for (sheet, column, message), rows in groups.items()
        ]

    def kind_counts(self) -> str:
        """"新增 2 名教师，更新 1 名，0 名无变化；工作经历新增 3 条，…" for the kinds read, in ImportKind order."""
        parts = []
        for kind in ImportKind:
            count = self.counts.get(kind)
            if count is None:
                continue
            if kind == ImportKind.TEACHERS:
                parts.append(_("新增 %(created)s 名教师，更新 %(updated)s 名，%(unchanged)s 名无变化",
                               created=count.created, updated=count.updated, unchanged=count.unchanged))
            else:
                parts.append(_("%(kind)s新增 %(created)s 条，更新 %(updated)s 条，%(unchanged)s 条无变化", kind=label(kind),
                               created=count.created, updated=count.updated, unchanged=count.unchanged))
        return _("；").join(parts)

    def summary(self) -> str:
        if self.errors and not any(e.row is not None for e in self.errors):
            # The file as a whole was refused: say why, not "0 rows wrong".
            return _("未导入：%(reason)s", reason=_("；").join(dict.fromkeys(e.message for e in self.errors)))
        if self.errors:
            return _(
                "未导入：%(bad)s 行有误（共 %(rows)s 行），全部行都没有写入。请改正后重新导入。",
                bad=self.bad_rows, rows=self.rows,
            )
        if self.written:
            text = _("导入完成：共 %(rows)s 行，%(counts)s。", rows=self.rows, counts=self.kind_counts())
            if self.warnings:
                text += _("另有 %(n)s 条提醒，请核对。", n=len(self.warnings))
            return text
        text = _("检查通过（尚未写入）：共 %(rows)s 行，将%(counts)s。", rows=self.rows, counts=self.kind_counts())
        if self.warnings:
            text += _("另有 %(n)s 条提醒，请核对后再确认导入。", n=len(self.warnings))
        return text


def where(sheet: str | None, column: str | None) -> str | None:
    """Where a message points, as the report's column shows it: "工作经历 · 开始日期", the sheet or the column alone."""
    if sheet and column:
        return f"{sheet} · {column}"
    return sheet or column


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
    return _("、").join(parts)
