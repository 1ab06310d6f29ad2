"""Peak memory of a measure, in MB: the resident set's high-water mark, or tracemalloc's peak.

`rss` (Linux): before the measure, garbage is collected and freed heap handed
back to the system (glibc's malloc_trim), the resident size is noted and the
kernel's high-water mark (VmHWM) reset (`/proc/self/clear_refs`, "5"); after
it, the peak is VmHWM minus the noted size. It counts everything the process
holds — the C libraries too (sqlite3's cache, libpq's result buffers) — and
costs the measure nothing, so the timed runs give it.

`tracemalloc`: the peak of Python's own allocations in one extra, untimed run
(tracing slows Python down); blind to memory held by C libraries.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import tracemalloc
from pathlib import Path

MB = 1024 * 1024
STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")
RESET_PEAK = "5"  # proc(5): reset the peak resident set size ("high water mark") to the current one


def _status_kb(field: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _trim_heap() -> None:
    """Hand freed heap back to the system, so the next measure's growth shows (glibc only; elsewhere a no-op)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass


def rss_available() -> bool:
    """The resident-set high-water mark can be reset and read (Linux /proc)."""
    try:
        CLEAR_REFS.write_text(RESET_PEAK)
        _status_kb("VmHWM")
    except (OSError, LookupError):
        return False
    return True


class RssPeak:
    """Growth of the resident set during the timed runs (MB): peak (VmHWM) minus the size at the start."""

    name = "rss"
    extra_pass = False
    footnote = ("peak MB: the resident set's peak during the timed runs above its size at their start "
                "(Linux VmHWM, reset through /proc/self/clear_refs after a garbage collection and malloc_trim); "
                "it includes memory held by C libraries (sqlite3, libpq)")

    def __init__(self) -> None:
        self.base_kb = 0

    def start(self) -> None:
        gc.collect()
        _trim_heap()
        self.base_kb = _status_kb("VmRSS")
        CLEAR_REFS.write_text(RESET_PEAK)

    def stop(self) -> float:
        return max(0, _status_kb("VmHWM") - self.base_kb) / 1024


class TracemallocPeak:
    """Peak of Python's allocations (MB) in one extra, untimed run."""

    name = "tracemalloc"
    extra_pass = True
    footnote = ("peak MB: tracemalloc's peak of Python allocations in one extra, untimed run of each measure "
                "(memory held by C libraries such as libpq is not seen; generation is not repeated)")

    def start(self) -> None:
        gc.collect()
        tracemalloc.start()
        tracemalloc.reset_peak()

    def stop(self) -> float:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak / MB


def choose(method: str) -> RssPeak | TracemallocPeak:
    """The probe for `method`: "rss", "tracemalloc", or "auto" (rss where /proc allows it). ValueError if rss is
    asked for where it is not available."""
    if method == "tracemalloc":
        return TracemallocPeak()
    if rss_available():
        return RssPeak()
    if method == "rss":
        raise ValueError("the resident-set high-water mark cannot be reset here (/proc/self/clear_refs)")
    return TracemallocPeak()
