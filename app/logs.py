"""Where the program logs: rotating files in the platform's log folder (docs/operations-workstation.md "Logs").

The counter window writes ``yimen.log``, the command line ``yimen-cli.log``: two files, because a scheduled
``yimen backup --if-due`` runs beside the window and a rotating file handler is safe for one process only.  The
folder is platformdirs' ``user_log_dir`` (``~/.local/state/yimen/log`` on Linux, ``%LOCALAPPDATA%\\yimen\\Logs`` on
Windows), or ``YIMEN_LOG_DIR``; when it cannot be written the log goes to stderr.  The logs carry codes, counts and
numbers of cases, never ID numbers, names or phone numbers (tests/reliability/test_privacy_logs.py).

Never imports Qt.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "yimen"
LOG_DIR_ENV = "YIMEN_LOG_DIR"
#: The counter window's log file.
GUI_LOG_NAME = "yimen.log"
#: The command line's log file.
CLI_LOG_NAME = "yimen-cli.log"
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_dir(env: Mapping[str, str] | None = None) -> Path:
    """``YIMEN_LOG_DIR``, else the platform's log folder of this OS account."""
    env = os.environ if env is None else env
    if env.get(LOG_DIR_ENV):
        return Path(env[LOG_DIR_ENV])
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def setup_logging(file_name: str, folder: Path | None = None) -> Path | None:
    """Send the ``yimen`` loggers (INFO and above) to ``folder/file_name``, rotating at 2 MB with 5 old files;
    return the file, or None when it cannot be written (warnings and errors then go to stderr).

    Calling it again replaces the handler it installed before (never two copies of each line).
    """
    root = logging.getLogger(APP_NAME)
    root.setLevel(logging.INFO)
    for old in [h for h in root.handlers if getattr(h, "yimen_log", False)]:
        root.removeHandler(old)
        old.close()
    folder = log_dir() if folder is None else folder
    path: Path | None = folder / file_name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / file_name, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError:
        # Warnings and errors only: a command's own Chinese lines on stderr stay readable.
        handler, path = logging.StreamHandler(), None
        handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.yimen_log = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    return path


def log_files(folder: Path | None = None) -> list[Path]:
    """The log files in ``folder`` (the current ones and their rotated copies), oldest name last."""
    folder = log_dir() if folder is None else folder
    try:
        return sorted(p for p in folder.iterdir() if p.is_file() and ".log" in p.name)
    except OSError:
        return []


def tail(path: Path, lines: int) -> str:
    """The last ``lines`` lines of a log file (undecodable bytes replaced)."""
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        block = 1 << 16
        data = b""
        while size > 0 and data.count(b"\n") <= lines:
            step = min(block, size)
            size -= step
            fh.seek(size)
            data = fh.read(step) + data
    text = data.decode("utf-8", errors="replace")
    return "".join(text.splitlines(keepends=True)[-lines:])
