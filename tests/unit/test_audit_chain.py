"""The audit chain's hash: what it covers, and that it reads the same after a database round trip."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from registry.audit_chain import CONTENT, GENESIS, as_stored, canonical, canonical_time, row_hash

ROW = {
    "at": datetime(2026, 11, 28, 2, 0, 0, 5, tzinfo=UTC),
    "actor_id": 3,
    "action": "update",
    "entity": "teacher",
    "entity_id": 7,
    "teacher_id": 7,
    "school_id": 1,
    "changes": {"before": {"specialty": "数控技术应用"}, "after": {"specialty": "汽车运用与维修"}},
}


def test_the_same_instant_reads_the_same_in_any_time_zone_and_naive_as_utc():
    shanghai = ROW["at"].astimezone(timezone(timedelta(hours=8)))
    assert canonical_time(shanghai) == canonical_time(ROW["at"].replace(tzinfo=None)) == "2026-11-28T02:00:00.000005Z"


def test_the_encoding_is_sorted_ascii_json_so_key_order_does_not_matter():
    reordered = {"changes": {"after": ROW["changes"]["after"], "before": ROW["changes"]["before"]}}
    assert canonical({**ROW, **reordered}, GENESIS) == canonical(ROW, GENESIS)
    assert canonical(ROW, GENESIS).isascii()


@pytest.mark.parametrize("column", CONTENT)
def test_every_content_column_is_covered_by_the_hash(column):
    changed = {
        "at": ROW["at"] + timedelta(microseconds=1), "actor_id": None, "action": "delete", "entity": "user",
        "entity_id": 8, "teacher_id": None, "school_id": 2, "changes": {"before": None, "after": None},
    }
    assert row_hash({**ROW, column: changed[column]}, GENESIS) != row_hash(ROW, GENESIS)


def test_the_hash_depends_on_the_predecessor():
    assert row_hash(ROW, GENESIS) != row_hash(ROW, "1" * 64)
    assert len(row_hash(ROW, GENESIS)) == 64


def test_changes_are_hashed_as_a_json_column_returns_them():
    assert as_stored({"before": {1: (2, 3)}, "after": None}) == {"before": {"1": [2, 3]}, "after": None}
