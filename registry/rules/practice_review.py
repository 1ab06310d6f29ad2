"""When a practice record may go to review: once the practice is over (issue 14, "practice review that holds")."""
from __future__ import annotations

from datetime import date, timedelta


def reviewable_from(start: date, end: date | None, today: date) -> date | None:
    """The first day a practice period may be submitted or verified while that day is still to come; None once it may.

    That day is the one after its end: a record ending after today stays planned, since months not yet spent in the
    enterprise cannot be vouched for. A period with no end date (an open placement) may go once it has begun.
    `start`, `end` and `today` are calendar days.
    """
    last = end if end is not None else start
    return last + timedelta(days=1) if last >= today else None
