"""Which of a teacher's practice records share days with another: shown beside each record, never counted twice.

Counting is not done here: months_of_set (registry.rules.months) merges overlapping periods, so days two
records share count once. This module only names the overlaps so that the pages can say so.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import date
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)


def overlaps(periods: Mapping[Key, tuple[date, date | None]]) -> dict[Key, list[Key]]:
    """For each key, the other keys whose period shares at least one day with its own, in the mapping's order.

    `periods`: key → (start, end), both days included; an end of None is a record still running (it overlaps
    everything that starts on or after its start). A period whose end is before its start has no days and
    overlaps nothing. Keys without overlaps are left out, so `overlaps({...}).get(key, [])` is the list to show.
    Touching periods (one ends the day before the other starts) do not overlap. O(n²), for one teacher's records.
    """
    bounded = {key: (start, end if end is not None else date.max) for key, (start, end) in periods.items()}
    found: dict[Key, list[Key]] = {}
    for key, (start, end) in bounded.items():
        if end < start:
            continue
        others = [
            other
            for other, (other_start, other_end) in bounded.items()
            if other != key and other_start <= other_end and other_start <= end and start <= other_end
        ]
        if others:
            found[key] = others
    return found
