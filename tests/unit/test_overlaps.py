"""Which practice records share days (registry.rules.overlaps): named on the pages, counted once by the rules."""
from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from registry.rules.months import months_of_period, months_of_set
from registry.rules.overlaps import overlaps

D = date.fromisoformat


def test_records_sharing_a_day_name_each_other():
    found = overlaps({"a": (D("2024-07-01"), D("2024-08-31")), "b": (D("2024-08-31"), D("2024-09-30")),
                      "c": (D("2025-01-01"), D("2025-01-31"))})
    assert found == {"a": ["b"], "b": ["a"]}


def test_touching_records_do_not_overlap():
    assert overlaps({"a": (D("2024-07-01"), D("2024-07-31")), "b": (D("2024-08-01"), D("2024-08-31"))}) == {}


def test_a_running_record_overlaps_everything_from_its_start():
    found = overlaps({"running": (D("2024-07-01"), None), "later": (D("2030-01-01"), D("2030-01-31")),
                      "before": (D("2024-01-01"), D("2024-06-30"))})
    assert found == {"running": ["later"], "later": ["running"]}


def test_a_period_without_days_overlaps_nothing():
    assert overlaps({"empty": (D("2024-08-01"), D("2024-07-01")), "a": (D("2024-07-01"), D("2024-08-31"))}) == {}


def test_one_record_inside_another_and_three_at_once():
    found = overlaps({"outer": (D("2024-01-01"), D("2024-12-31")), "inner": (D("2024-03-01"), D("2024-03-31")),
                      "late": (D("2024-12-01"), D("2025-01-31"))})
    assert found == {"outer": ["inner", "late"], "inner": ["outer"], "late": ["outer"]}


PERIODS = st.lists(
    st.tuples(st.dates(date(2020, 1, 1), date(2026, 12, 31)), st.integers(0, 400)), min_size=1, max_size=6
).map(lambda items: {n: (start, date.fromordinal(start.toordinal() + length)) for n, (start, length) in enumerate(items)})


@given(PERIODS)
def test_apart_records_add_up_and_a_record_overlapping_another_adds_nothing_twice(periods):
    """Records with days between them add up exactly; a copy of any record overlaps it and adds nothing."""
    starts = sorted(periods.values())
    apart = all(later[0].toordinal() - earlier[1].toordinal() > 1 for earlier, later in zip(starts, starts[1:], strict=False))
    if apart:
        assert not overlaps(periods)
        assert months_of_set(periods.values()) == sum(months_of_period(*p) for p in periods.values())
    copy = {**periods, "copy": periods[0]}
    assert 0 in overlaps(copy)["copy"]
    assert months_of_set(copy.values()) == months_of_set(periods.values())


@given(PERIODS)
def test_overlapping_is_symmetric(periods):
    found = overlaps(periods)
    assert all(key in found.get(other, []) for key, others in found.items() for other in others)
