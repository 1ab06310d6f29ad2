"""Today's date, and reading an "as of" date a user typed."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from registry.schemas import ISO_DATE

TIMEZONE = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """Today in Dandong; the only place the application reads the clock for a date."""
    return datetime.now(TIMEZONE).date()


def parse_as_of(raw: str | None) -> date | None:
    """An ISO date, or None when absent or not a real date (callers report or default)."""
    if raw is None or not ISO_DATE.match(raw.strip()):
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return None
