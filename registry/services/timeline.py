"""The employment history laid out on a time axis, for the teacher page."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registry.models import EmploymentRecord, Teacher
from registry.rules import hire_counted_period, months_of_period
from registry.services.compliance import employment_facts


@dataclass(frozen=True)
class Bar:
    record: EmploymentRecord
    left: float  # percent of the axis
    width: float
    counts: bool  # enterprise work before the hire date counts toward the 3-year rule
    counted_months: float
    overlaps: bool
    lane: int = 0  # overlapping periods are drawn on separate lines, so none hides another


def axis(teacher: Teacher) -> tuple[date, date] | None:
    records = list(teacher.employment)
    if not records:
        return None
    start = min(r.start for r in records)
    end = max([teacher.hire_date] + [r.end or teacher.hire_date for r in records])
    return start, end


def employment_timeline(teacher: Teacher) -> list[Bar]:
    records = list(teacher.employment)
    bounds = axis(teacher)
    if bounds is None:
        return []
    axis_start, axis_end = bounds
    span = max((axis_end - axis_start).days + 1, 1)
    lane_ends: list[date] = []  # the last day drawn on each lane so far
    bars = []
    for record in sorted(records, key=lambda r: (r.start, r.id or 0)):
        end = record.end or axis_end
        counted = hire_counted_period(employment_facts([record])[0], teacher.hire_date)
        overlaps = any(
            other is not record and other.start <= end and record.start <= (other.end or axis_end) for other in records
        )
        lane = next((i for i, lane_end in enumerate(lane_ends) if lane_end < record.start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        bars.append(
            Bar(
                record=record,
                left=100 * (record.start - axis_start).days / span,
                width=max(100 * ((end - record.start).days + 1) / span, 0.5),
                counts=counted is not None,
                counted_months=float(months_of_period(*counted)) if counted is not None else 0.0,
                overlaps=overlaps,
                lane=lane,
            )
        )
    return bars


def hire_date_position(teacher: Teacher) -> float | None:
    """Where the hire date falls on the axis, in percent: work to its left counts."""
    bounds = axis(teacher)
    if bounds is None:
        return None
    axis_start, axis_end = bounds
    span = max((axis_end - axis_start).days + 1, 1)
    return 100 * (teacher.hire_date - axis_start).days / span
