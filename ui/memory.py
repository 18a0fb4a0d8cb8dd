"""Giving the memory the counter has freed back to the system (issue 16, docs/performance.md "The counter over a
day").

glibc keeps what a program frees in its heaps for later, and a long day of previews and prints — a 300 dpi page is
two 35 MB images on the renderer thread — leaves freed pages scattered in them: measured with bench/day.py, the
counter's resident size went from 325 to 350 MiB between the 10th and the 50th application; handing the freed pages
back after each preview, 314 to 316 MiB.  :func:`release_freed_memory` asks glibc to hand them back
(``malloc_trim``: every arena, a few milliseconds); the desk runs it on the renderer thread when a preview closes.
Elsewhere (Windows, a C library without it) it does nothing.

Also here: glibc's large-block thresholds fixed before the threads start (:func:`keep_large_blocks_apart`), the
source lines PySide6 reads of every module imported after it not kept (:func:`spare_module_sources`,
:func:`forget_module_sources`), and Python's garbage collected on the GUI thread only (:func:`collect_on_gui_thread`).
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


def _names_pyside(module: object) -> bool:
    """Whether a module's source file names PySide6: what ``shibokensupport.feature._mod_uses_pyside`` answers,
    read without ``linecache`` (so nothing is kept)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False  # built in, compiled, or only bytecode: inspect.getsource fails there, and PySide6 says False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def spare_module_sources() -> bool:
    """Have PySide6 look for itself in each module imported from now on without keeping its source lines (see
    :func:`forget_module_sources`); True when its check was found and replaced.  Call it before the program's own
    imports."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False  # another PySide6: it keeps its own check
    feature._mod_uses_pyside = _names_pyside  # type: ignore[attr-defined]
    return True


def forget_module_sources() -> int:
    """Drop the source lines Python keeps of the modules imported so far (``linecache``); return how many files.

    PySide6 reads the whole source of every module imported after it, to see whether it uses PySide's
    ``__feature__`` switches (``shibokensupport.feature._mod_uses_pyside``: ``inspect.getsource``), and
    ``linecache`` keeps every line it read for good: ~960 files, 37 MiB of Python strings once the counter's
    window is open, when it runs from its source (a frozen build carries the migrations' ``.py`` files only).
    Nothing needs them: a traceback reads the lines it shows again."""
    import linecache

    files = len(linecache.cache)
    linecache.clearcache()
    return files


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
