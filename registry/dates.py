"""Today's date: the only place the application reads the clock for a date."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TIMEZONE = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """Today in Dandong; the only place the application reads the clock for a date."""
    return datetime.now(TIMEZONE).date()
