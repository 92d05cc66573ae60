"""Giving the heap the batch freed back to the system.

glibc keeps freed heap pages for reuse, and a long batch frees in many places (records, rows,
Arrow buffers on the system pool): its RSS crept up with the number of reports without live
objects behind it. `malloc_trim` returns them (0.2 ms a call, measured).
"""

from __future__ import annotations

import contextlib

TRIM_EVERY = 1000  # records streamed between two trims


def release_heap() -> None:
    """malloc_trim(0) where the C library is glibc; nothing elsewhere."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)  # the process's own symbols: glibc's, where it is
