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

from PySide6.QtCore import QObject, QTimer


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """glibc, where the counter runs on it (Linux); None elsewhere (Windows, musl has no ``malloc_trim``)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    if getattr(libc, "malloc_trim", None) is None or getattr(libc, "mallopt", None) is None:
        return None
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    libc.malloc_trim.restype = ctypes.c_int
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    libc.mallopt.restype = ctypes.c_int
    return libc


def release_freed_memory() -> bool:
    """Hand the freed pages of the C heap back to the system; True when the C library could (glibc)."""
    libc = _glibc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


#: glibc's ``mallopt`` parameters (malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
#: Blocks from this size up get pages of their own, handed back when freed (glibc's own starting threshold).
LARGE_BLOCK = 128 * 1024


def keep_large_blocks_apart() -> bool:
    """Give every block of :data:`LARGE_BLOCK` or more pages of its own for good, and hand the heap's top back
    from the same size; True when the C library could (glibc).  Call it once, before the threads start.

    glibc starts the same way, but raises both thresholds each time such a block is freed (up to 32 MiB): after the
    first preview, a page's image and a document's bytes come from the heaps, where what is freed between them stays
    resident. Measured over an 80-application day (bench/day.py, docs/performance.md "The counter over a day"): the
    counter grew 50 → 80 applications by +4 MiB with fixed thresholds against +22 MiB with glibc's moving ones.
    Setting either threshold turns the moving ones off (mallopt(3))."""
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK)) and bool(libc.mallopt(M_TRIM_THRESHOLD, LARGE_BLOCK))


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
