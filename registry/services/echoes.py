"""What a client may send back unchanged: a record as GET returned it can be PATCHed as it is."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def without_echoes(changes: Mapping[str, Any], shown: Mapping[str, Any] | None = None, read_only: Iterable[str] = ()) -> dict[str, Any]:
    """`changes` without `id` and without each `read_only` field sent back with the value the record shows.

    `shown`: the record's JSON form (its serialiser's dump, what GET returned). A read-only field sent with
    another value stays in, for the service's schema to refuse by name.
    """
    shown = shown or {}
    echoed = set(read_only)
    return {
        key: value
        for key, value in changes.items()
        if key != "id" and not (key in echoed and key in shown and value == shown[key])
    }
