"""The hash chain of the audit trail (stdlib only).

Each audit row stores `prev_hash`, the hash of the row before it (GENESIS for the first), and `hash`, the
SHA-256 of a canonical encoding of its own content and `prev_hash`. Changing a row's content breaks its own
hash; removing or re-ordering rows breaks the next row's link. The encoding reads the same on SQLite and
PostgreSQL: times in UTC with microseconds, JSON with sorted keys and ASCII escapes.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64

# The columns a row's hash covers, besides prev_hash.
CONTENT = ("at", "actor_id", "action", "entity", "entity_id", "teacher_id", "school_id", "changes")


def canonical_time(at: datetime) -> str:
    """`at` as UTC with microseconds, e.g. "2026-11-28T02:00:00.000000Z".

    A naive time is read as UTC: SQLite keeps the UTC wall time of what was stored and returns it naive.
    """
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def as_stored(changes: Any) -> Any:
    """`changes` as a JSON column returns it: integer keys become strings, tuples lists.

    Hashing this form (and storing it) makes a row verify after the round trip through the database.
    """
    return json.loads(json.dumps(changes))


def canonical(row: Mapping[str, Any], prev_hash: str) -> bytes:
    """The bytes a row's hash is taken over: its CONTENT columns and `prev_hash` as sorted-key ASCII JSON."""
    content = {name: row[name] for name in CONTENT}
    content["at"] = canonical_time(row["at"])
    content["prev_hash"] = prev_hash
    return json.dumps(content, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def row_hash(row: Mapping[str, Any], prev_hash: str) -> str:
    """The SHA-256 (64 hex digits) of a row (a mapping with the CONTENT columns) chained after `prev_hash`."""
    return hashlib.sha256(canonical(row, prev_hash)).hexdigest()
