"""What every screenshot script shares (``python -m ui.screenshots`` and the features' own): running the event loop
until the screen settles, grabbing a widget to a PNG, and the command line that names the folder and the language.

The pictures go to docs/screenshots/ by default; look at them after a change (docs/guide-clerk.md uses them).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from ui.i18n import choose_language

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
WINDOW_SIZE = (1366, 768)  # still the most common counter screen (the window fits it: docs/guide-clerk.md)


def pump(app: QApplication, until: Callable[[], bool] | None = None, seconds: float = 5.0) -> None:
    """Run the event loop until ``until()`` holds (or for a moment); a condition that never holds is an error."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if until is not None and until():
            return
        time.sleep(0.01)
    if until is not None:
        raise TimeoutError("the screen did not settle")


def save(widget: QWidget, folder: Path, name: str) -> Path:
    """Grab ``widget`` to ``folder/name``."""
    path = folder / name
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def main_for(prog: str, render_all: Callable[..., object], argv: list[str] | None, *, language: bool = True) -> int:
    """A screenshot script's command line: ``[FOLDER] [--lang zh_CN|en]``; offscreen unless a platform is set."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    if language:
        parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    options = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if language:
        render_all(options.folder, choose_language(options.lang, env={}))
    else:
        render_all(options.folder)
    return 0
