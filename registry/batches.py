"""Working through a long list a batch at a time: bounded memory, bounded `IN (...)` lists."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

BATCH_SIZE = 500  # ids or identity numbers per IN (...) lookup; records evaluated per batch


def chunks(items: Sequence[T], size: int = BATCH_SIZE) -> Iterator[Sequence[T]]:
    """`items` in consecutive slices of at most `size` (the last one shorter); nothing for an empty sequence."""
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    for start in range(0, len(items), size):
        yield items[start:start + size]
