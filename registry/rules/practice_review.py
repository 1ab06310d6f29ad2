"""When a practice record may go to review: once the practice is over (issue 14, "practice review that holds")."""
from __future__ import annotations

from datetime import date, timedelta

# What reviewable_from gives for a period with no end date: still running, it may go once an end date is given.
STILL_RUNNING = date.max


def reviewable_from(start: date, end: date | None, today: date) -> date | None:
    """The first day a practice period may be submitted or verified while that day is still to come; None once it may.

    That day is the one after its end: a record ending today or later stays planned, since months not yet spent in
    the enterprise cannot be vouched for. A period with no end date is still running: STILL_RUNNING (date.max), until
    an end date is given. `start`, `end` and `today` are calendar days; `start` is part of the period's identity and
    kept for callers that name it.
    """
    if end is None:
        return STILL_RUNNING
    return end + timedelta(days=1) if end >= today else None
