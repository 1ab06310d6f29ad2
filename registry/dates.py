"""Today's date, and the range of dates the registry accepts."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Asia/Shanghai")

# Every date typed, imported or asked for (forms, API, import cells, as_of, policy versions) lies in this range:
# wide enough for any birth, career or policy on record, narrow enough that the rules' arithmetic (cycles,
# milestones, months) and Excel's date cells stay far from the ends of the calendar.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)


def today() -> date:
    """Today in Dandong; the only place the application reads the clock for a date."""
    return datetime.now(TIMEZONE).date()
