"""Giving the memory the counter has freed back to the system (issue 16, docs/performance.md "The counter over a
day").

glibc keeps what a program frees in its heaps for later, and a long day of previews and prints — a 300 dpi page is
two 35 MB images on the renderer thread — leaves freed pages scattered in them: measured with bench/day.py, the
counter's resident size went from 325 to 350 MiB between the 10th and the 50th application; handing the freed pages
back after each preview, 314 to 316 MiB.  :func:`release_freed_memory` asks glibc to hand them back
(``malloc_trim``: every arena, a few milliseconds); the desk runs it on the renderer thread when a preview closes.
Elsewhere (Windows, a C library without it) it does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    trim = getattr(libc, "malloc_trim", None)  # glibc only (musl has none)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_freed_memory() -> bool:
    """Hand the freed pages of the C heap back to the system; True when the C library could (glibc)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
