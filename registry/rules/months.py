"""Calendar arithmetic and month counting, exactly as rules.md "Measuring months".

Periods are (start, end) pairs of dates, both ends included. Every figure is
an exact Fraction; only `report` turns one into a rounded float for display.

Every function here answers for any date Python has (date.min .. date.max):
a step past either end of that calendar stays on its first or last day. The
registry refuses such dates on entry (registry.dates), but old data may hold
them, and a verdict must never fail; figures that reach the calendar's ends
may be off by a day there.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import MAXYEAR, MINYEAR, date, timedelta
from fractions import Fraction

ONE_DAY = timedelta(days=1)
FIRST_MONTH, LAST_MONTH = MINYEAR * 12, MAXYEAR * 12 + 11  # year * 12 + month - 1 of date.min and date.max

Period = tuple[date, date]
DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February of a common year


def next_day(d: date) -> date:
    """The day after d; the calendar's last day (date.max) stays."""
    return d + ONE_DAY if d < date.max else d


def previous_day(d: date) -> date:
    """The day before d; the calendar's first day (date.min) stays."""
    return d - ONE_DAY if d > date.min else d


def add_months(d: date, n: int) -> date:
    """Same day n months later, clamped to the last day of a shorter month (and to date.min .. date.max)."""
    index = d.year * 12 + (d.month - 1) + n
    if index < FIRST_MONTH:
        return date.min
    if index > LAST_MONTH:
        return date.max
    year, month = divmod(index, 12)
    month += 1
    if d.day <= 28:  # every month has it: no need to look up the month's length
        return date(year, month, d.day)
    last = DAYS_IN_MONTH[month] + (month == 2 and calendar.isleap(year))
    return date(year, month, min(d.day, last))


def add_years(d: date, n: int) -> date:
    """Same month and day n years later; 29 February becomes 28 February (clamped to date.min .. date.max)."""
    year = d.year + n
    if year < MINYEAR:
        return date.min
    if year > MAXYEAR:
        return date.max
    if d.month == 2 and d.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return d.replace(year=year)


def last_day_of_years(d: date, n: int) -> date:
    """The last day of the n years that start on d: add_years(d, n) - 1 day; date.max when that lies past it."""
    return date.max if d.year + n > MAXYEAR else previous_day(add_years(d, n))


def months_of_period(start: date, end: date) -> Fraction:
    """Months of [start, end]: whole months k plus the leftover days / 30.

    An empty period (end before start) has 0 months.
    """
    if end < start:
        return Fraction(0)
    x = next_day(end)
    k = (x.year - start.year) * 12 + (x.month - start.month)
    # add_months(start, k) falls in x's month: k is right, or one too many when that day is past x.
    if add_months(start, k) > x:
        k -= 1
    leftover = (x - add_months(start, k)).days
    return k + Fraction(leftover, 30)


def clip(period: Period, lo: date | None = None, hi: date | None = None) -> Period | None:
    """The part of `period` inside [lo, hi] (either bound may be open), or None."""
    start, end = period
    if lo is not None and start < lo:
        start = lo
    if hi is not None and end > hi:
        end = hi
    return (start, end) if start <= end else None


def merge(periods: Iterable[Period]) -> list[Period]:
    """Sorted, merged periods: overlapping or touching ones become one."""
    merged: list[Period] = []
    for start, end in sorted(p for p in periods if p[0] <= p[1]):
        if merged and start - merged[-1][1] <= ONE_DAY:  # a difference of dates cannot leave the calendar
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def months_of_set(
    periods: Iterable[Period], lo: date | None = None, hi: date | None = None
) -> Fraction:
    """Clip every period to [lo, hi], merge, and add up: nothing counts twice."""
    clipped = (clip(p, lo, hi) for p in periods)
    return sum(
        (months_of_period(s, e) for s, e in merge(p for p in clipped if p is not None)),
        Fraction(0),
    )


def hundredths(x: Fraction | int | float) -> int:
    """x in hundredths, rounded half-up (away from zero): 6.125 → 613, -0.005 → -1.

    Done in integers so that no intermediate decimal rounding can move a value
    across the .xx5 boundary (a float is taken at its exact binary value).
    """
    x = Fraction(x)
    numerator, denominator = abs(x.numerator), x.denominator
    rounded = (200 * numerator + denominator) // (2 * denominator)  # floor(|x| * 100 + 1/2)
    return -rounded if x < 0 else rounded


def report(x: Fraction | int) -> float:
    """x rounded half-up (away from zero) to 2 decimals, as a float."""
    return hundredths(x) / 100  # int / int is correctly rounded: the float nearest to the exact hundredths


def months_text(x: Fraction | int | float) -> str:
    """A number of months as every page, sentence and export writes it: rounded half-up to at most two
    decimals, without trailing zeros: 6 → "6", 6.5 → "6.5", 19/3 → "6.33", 5.999 → "6", -1.5 → "-1.5".

    The one format for months (the `months` template filter, the rule explanations, the exports).
    """
    value = hundredths(x)
    whole, cents = divmod(abs(value), 100)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}" if not cents else f"{sign}{whole}.{cents:02d}".rstrip("0")


def report_optional(x: Fraction | int | None) -> float | None:
    """`report(x)`, or None where there is no figure."""
    return None if x is None else report(x)
