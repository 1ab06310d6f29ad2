"""The employment history laid out on a time axis, for the teacher page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from registry.models import EmploymentRecord, Teacher
from registry.rules.months import months_of_period


@dataclass(frozen=True)
class Bar:
    record: EmploymentRecord
    left: float  # percent of the axis
    width: float
    counts: bool  # enterprise work before the hire date counts toward the 3-year rule
    counted_months: float
    overlaps: bool


def employment_timeline(teacher: Teacher) -> list[Bar]:
    records = list(teacher.employment)
    if not records:
        return []
    last_day = teacher.hire_date - timedelta(days=1)
    axis_start = min(r.start for r in records)
    axis_end = max([teacher.hire_date] + [r.end or teacher.hire_date for r in records])
    span = max((axis_end - axis_start).days + 1, 1)
    bars = []
    for record in records:
        end = record.end or axis_end
        counted_end = min(end, last_day)
        counts = record.employer_type == "enterprise" and record.start <= last_day
        overlaps = any(
            other is not record and other.start <= end and record.start <= (other.end or axis_end) for other in records
        )
        bars.append(
            Bar(
                record=record,
                left=100 * (record.start - axis_start).days / span,
                width=max(100 * ((end - record.start).days + 1) / span, 0.5),
                counts=counts,
                counted_months=float(months_of_period(record.start, counted_end)) if counts else 0.0,
                overlaps=overlaps,
            )
        )
    return bars

