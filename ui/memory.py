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

from PySide6.QtCore import QObject, QTimer


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


def collect_due(thresholds: tuple[int, ...]) -> int:
    """Collect the generations whose counts passed their ``thresholds`` (``gc.get_threshold()``), as the automatic
    collector would; return the objects found unreachable."""
    import gc

    counts = gc.get_count()
    found = 0
    if counts[0] > thresholds[0]:
        found += gc.collect(0)
        if counts[1] > thresholds[1]:
            found += gc.collect(1)
            if counts[2] > thresholds[2]:
                found += gc.collect(2)
    return found


#: How often the GUI thread looks whether a collection is due (milliseconds).
COLLECT_INTERVAL_MS = 1000


def collect_on_gui_thread(app: QObject) -> QTimer:
    """Turn Python's automatic garbage collection off and collect from a timer on the GUI thread instead.

    The automatic collector runs on whichever thread allocates when a threshold is passed. On the database worker it
    can finalise Qt objects the GUI thread owns, while the GUI thread waits on the worker's lock: a start-up test hung
    so, the worker stuck in SQLAlchemy's pool checkout inside a collection and the GUI thread building a table view
    (docs/architecture.md, invariant 8). Reference counting still frees everything without cycles at once; the cycles
    wait at most :data:`COLLECT_INTERVAL_MS`. The same pattern as calibre's ``GarbageCollector``.

    Returns:
        the timer (a child of ``app``; stopping it leaves collection off).
    """
    import gc

    thresholds = gc.get_threshold()
    gc.disable()
    timer = QTimer(app)
    timer.setObjectName("gui_collector")
    timer.timeout.connect(lambda: collect_due(thresholds))
    timer.start(COLLECT_INTERVAL_MS)
    return timer
