"""The benchmark's answer: one aligned plain-text table, or the same figures as JSON."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from registry.bench.measure import BASELINE, FIRST_PAGE, Result

COLUMNS = ("measure", "runs", "median ms", "rows/s", "peak MB", "detail")
RIGHT_ALIGNED = {"runs", "median ms", "rows/s", "peak MB"}


@dataclass
class Report:
    """Everything one run of the benchmark found. `context` describes the run (size, database, date, machine)."""

    context: dict[str, Any]
    results: list[Result]
    notes: list[str] = field(default_factory=list)

    def result(self, name: str) -> Result | None:
        return next((r for r in self.results if r.name == name), None)

    def ratio(self) -> float | None:
        """Baseline time over the stored first page's (the per-request evaluation's cost, in multiples)."""
        baseline, first = self.result(BASELINE), self.result(FIRST_PAGE)
        if baseline is None or first is None or not first.median_ms:
            return None
        return baseline.median_ms / first.median_ms

    def as_dict(self) -> dict[str, Any]:
        return {**self.context, "results": [r.as_dict() for r in self.results], "ratio_baseline_to_first_page": self.ratio(),
                "notes": self.notes}

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2, default=str)

    def as_text(self) -> str:
        """The heading, the table and its footnotes."""
        c = self.context
        lines = [
            f"registry.bench: {c['teachers']:,} teachers in {c['schools']:,} schools · {c['database']} · "
            f"as of {c['today']} · {c['cores']} cores · Python {c['python']}",
            "",
            *table([row(r) for r in self.results]),
            "",
        ]
        ratio = self.ratio()
        if ratio is not None:
            lines.append(f"baseline / stored first page: {ratio:,.0f}×")
        lines.extend(f"- {note}" for note in self.notes)
        return "\n".join(lines)


def number(value: float | None, decimals: int = 0) -> str:
    return "–" if value is None else f"{value:,.{decimals}f}"


def milliseconds(value: float | None) -> str:
    """Two significant decimals below 10 ms, one below 1 s, none above."""
    if value is None:
        return "–"
    return number(value, 2 if value < 10 else 1 if value < 1000 else 0)


def row(result: Result) -> tuple[str, ...]:
    return (
        result.name, str(result.runs), milliseconds(result.median_ms), number(result.rows_per_second),
        number(result.peak_mb, 1), result.detail,
    )


def table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """COLUMNS over `rows`, each column as wide as its widest cell; numbers right-aligned."""
    widths = [max(len(cells[i]) for cells in (COLUMNS, *rows)) for i in range(len(COLUMNS))]

    def line(cells: Sequence[str]) -> str:
        parts = [cell.rjust(w) if name in RIGHT_ALIGNED else cell.ljust(w)
                 for name, cell, w in zip(COLUMNS, cells, widths, strict=True)]
        return "  ".join(parts).rstrip()

    return [line(COLUMNS), line(["-" * w for w in widths]), *(line(cells) for cells in rows)]


def verdict(met: bool) -> str:
    """How the table's notes judge a figure against its target."""
    return "met" if met else "MISSED"
