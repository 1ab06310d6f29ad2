"""A practice record goes to review once the practice is over: from the day after its end."""
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.rules.practice_review import reviewable_from

D = date.fromisoformat
TODAY = D("2026-11-28")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-07-01", "2026-08-31", None),  # over: may go now
        ("2026-07-01", "2026-11-27", None),  # ended yesterday
        ("2026-07-01", "2026-11-28", "2026-11-29"),  # ends today: from tomorrow
        ("2026-07-01", "2027-01-31", "2027-02-01"),
        ("2026-11-01", None, "9999-12-31"),  # no end date: still running, STILL_RUNNING until one is given
        ("2020-01-01", None, "9999-12-31"),
    ],
)
def test_a_record_may_be_submitted_or_verified_from_the_day_after_it_ends(start, end, expected):
    assert reviewable_from(D(start), D(end) if end else None, TODAY) == (D(expected) if expected else None)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 1, 1)), st.integers(0, 400), st.integers(-400, 400))
def test_the_day_it_opens_is_always_after_today_and_after_the_end(start, length, offset):
    end = start + timedelta(days=length)
    today = end + timedelta(days=offset)
    opens = reviewable_from(start, end, today)
    assert (opens is None) == (end < today)
    assert opens is None or (opens > today and opens == end + timedelta(days=1))
