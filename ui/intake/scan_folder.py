"""The scanner's watched folder (``[materials] watch_folder``, docs/devices.md "Materials"): scans that appear there
are offered to the checklist, which attaches them to the current line (ui/intake/materials.py) and then deletes them
from the folder, so that a scan of an ID card does not stay on the disk in clear (docs/privacy.md).

A scanner (or its driver) writes a file in several steps: a file has *arrived* only when its size and modification
time have stayed the same for :data:`SETTLE_S` seconds and it can be opened for reading.  The folder is watched with
a :class:`QFileSystemWatcher` and, because a network share may never tell the watcher anything and the folder may
appear only after the counter started, also read again every :data:`RESCAN_MS`.  Files already there when the
counter starts (a scan made just before login) are offered too, oldest first.

Hidden and temporary files (``.*``, ``~*``, ``*.tmp``, ``*.part``, Windows' ``Thumbs.db`` and ``desktop.ini``, a file
marked hidden) and subfolders are ignored.  A file refused by the store, or one that could not be deleted, is set
aside: it is not offered again until it changes.

A missing or unreadable folder never blocks the counter: :attr:`ScanFolder.problem` says so in one Chinese sentence
(shown in the checklist and the status bar) and the folder is tried again at each rescan.  Logs never name a file
(a scan's name is often the citizen's).
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

log = logging.getLogger("yimen.ui.scan_folder")

#: How long a file's size and time must stay the same before it counts as written whole.
SETTLE_S = 1.0
#: How often a file still settling is looked at again.
SETTLE_TICK_MS = 250
#: How often the whole folder is read again (a network share the watcher does not see; a folder made later).
RESCAN_MS = 5000
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini"})
IGNORED_SUFFIXES = (".tmp", ".part")


def ignored(name: str) -> bool:
    """Whether a file of this name is a hidden or temporary file, never a scan."""
    lower = name.lower()
    return name.startswith((".", "~")) or lower.endswith(IGNORED_SUFFIXES) or lower in IGNORED_NAMES


def _readable(path: Path) -> bool:
    # A file the scanner still holds open exclusively (Windows) cannot be opened yet.
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class Scan:
    """A file that has arrived in the folder, as it was when it settled."""

    path: Path
    size: int
    mtime_ns: int

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def key(self) -> tuple[int, int]:
        return self.size, self.mtime_ns


class ScanFolder(QObject):
    """The scans that have arrived in the watched folder and not yet been attached, oldest first.

    Signals:
        changed(): :attr:`scans` changed (a scan arrived, was taken, set aside or vanished).
        problem_changed(str): the folder became missing or unreadable (the sentence), or readable again ("").
    """

    changed = Signal()
    problem_changed = Signal(str)

    def __init__(
        self,
        folder: Path,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        settle: float = SETTLE_S,
    ) -> None:
        super().__init__(parent)
        self.folder = folder
        #: Seconds, monotonic (tests move it by hand).
        self.clock = clock
        self.settle = settle
        self.problem = ""
        self._arrived: dict[str, Scan] = {}
        #: Files still being written: name → (size, mtime_ns, when they last changed).
        self._settling: dict[str, tuple[int, int, float]] = {}
        #: Files not to offer again while they stay as they are: name → (size, mtime_ns).
        self._aside: dict[str, tuple[int, int]] = {}
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self.poll)
        self._settle_timer = QTimer(self)
        self._settle_timer.setInterval(SETTLE_TICK_MS)
        self._settle_timer.timeout.connect(self.poll)
        self._rescan_timer = QTimer(self)
        self._rescan_timer.setInterval(RESCAN_MS)
        self._rescan_timer.timeout.connect(self.poll)

    @property
    def scans(self) -> list[Scan]:
        """The arrived scans, oldest first."""
        return sorted(self._arrived.values(), key=lambda s: (s.mtime_ns, s.name))

    def start(self) -> None:
        """Look at the folder now (the files already there start settling) and keep watching it."""
        self.poll()
        self._rescan_timer.start()

    def stop(self) -> None:
        self._rescan_timer.stop()
        self._settle_timer.stop()
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())

    def poll(self, *_args: object) -> None:
        """Read the folder: new files start settling, settled ones arrive, gone ones are forgotten."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            text = self.tr("扫描文件夹 {folder} 不存在或无法读取：请 IT 检查部署文件中的 [materials] watch_folder。")
            self._set_problem(text.format(folder=self.folder))
            changed = bool(self._arrived)
            self._arrived.clear()
            self._settling.clear()
            self._settle_timer.stop()
            if changed:
                self.changed.emit()
            return
        self._set_problem("")
        if str(self.folder) not in self._watcher.directories():
            self._watcher.addPath(str(self.folder))  # the folder may have appeared (or come back) since
        now = self.clock()
        changed = False
        present: set[str] = set()
        for entry in entries:
            name = entry.name
            if ignored(name):
                continue
            try:
                if not entry.is_file():
                    continue
                info = entry.stat()
            except OSError:
                continue
            if getattr(info, "st_file_attributes", 0) & stat.FILE_ATTRIBUTE_HIDDEN:
                continue
            present.add(name)
            key = (info.st_size, info.st_mtime_ns)
            if self._aside.get(name) == key:
                continue
            self._aside.pop(name, None)
            arrived = self._arrived.get(name)
            if arrived is not None:
                if arrived.key == key:
                    continue
                del self._arrived[name]  # written again: it settles again
                changed = True
            settling = self._settling.get(name)
            if settling is None or settling[:2] != key:
                self._settling[name] = (*key, now)
                continue
            if now - settling[2] >= self.settle and key[0] > 0 and _readable(Path(entry.path)):
                del self._settling[name]
                self._arrived[name] = Scan(Path(entry.path), *key)
                changed = True
        for table in (self._settling, self._aside):
            for name in [n for n in table if n not in present]:
                del table[name]
        for name in [n for n in self._arrived if n not in present]:
            del self._arrived[name]
            changed = True
        if not self._settling:
            self._settle_timer.stop()
        elif not self._settle_timer.isActive():
            self._settle_timer.start()
        if changed:
            log.info("scan folder: %d scan(s) waiting", len(self._arrived))
            self.changed.emit()

    def set_aside(self, scan: Scan) -> None:
        """Offer ``scan`` no more while it stays as it is (the store refused it; it stays in the folder)."""
        self._aside[scan.name] = scan.key
        if self._arrived.pop(scan.name, None) is not None:
            self.changed.emit()

    def take(self, scan: Scan) -> bool:
        """``scan`` went into the store: delete it from the folder.  False when it could not be deleted (it is
        set aside, the caller says so)."""
        self._arrived.pop(scan.name, None)
        try:
            scan.path.unlink(missing_ok=True)
        except OSError:
            log.warning("scan folder: an attached scan could not be deleted")
            self._aside[scan.name] = scan.key
            self.changed.emit()
            return False
        self.changed.emit()
        return True

    def _set_problem(self, text: str) -> None:
        if text == self.problem:
            return
        self.problem = text
        if text:
            log.warning("scan folder: missing or unreadable")
        self.problem_changed.emit(text)
