"""The ``yimen`` command: the counter window by default; subcommands go to ``app.cli`` before Qt is imported.

``yimen --help`` lists the window's options and every subcommand, ``yimen --version`` prints the version; neither
imports Qt.  ``--selftest-qt`` is internal: ``yimen selftest`` runs it in a child process (the frozen program has
no ``python -m``) to check the Qt libraries and platform plugins without loading Qt into the core.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

HELP_FLAGS = ("-h", "--help")
VERSION_FLAGS = ("-V", "--version")
QT_CHECK_FLAG = "--selftest-qt"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from app.cli import SUBCOMMANDS

    if args and args[0] in SUBCOMMANDS:
        from app import logs
        from app.cli import main as cli_main

        logs.setup_logging(logs.CLI_LOG_NAME)
        return cli_main(args)
    if any(arg in VERSION_FLAGS for arg in args):
        from app.cli import version_line

        sys.stdout.write(version_line() + "\n")
        return 0
    if any(arg in HELP_FLAGS for arg in args):
        from app.cli import full_help

        sys.stdout.write(full_help() + "\n")
        return 0
    if args == [QT_CHECK_FLAG]:
        return qt_check()
    from ui.memory import spare_module_sources  # imports PySide6

    spare_module_sources()  # before the window's and the services' modules (ui/memory.py)
    from ui.app import run_gui

    return run_gui(args)


def qt_check() -> int:
    """Load Qt offscreen, list the platform plugins and draw a little: one line ``key=value`` per fact on stdout.

    Exit 0 when Qt loads and draws; the parent (app.cli_ops) judges the plugins and prints the Chinese lines.
    """
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QLibraryInfo, qVersion
    from PySide6.QtGui import QGuiApplication, QImage, QPainter

    plugins = QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)
    platforms = os.path.join(plugins, "platforms")
    try:
        names = sorted(os.listdir(platforms))
    except OSError:
        names = []
    app = QGuiApplication([sys.argv[0], "-platform", "offscreen"])
    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.drawText(2, 12, "一")
    painter.end()
    sys.stdout.write(f"qt={qVersion()}" + "\n")
    sys.stdout.write(f"pyside={pyside_version}" + "\n")
    sys.stdout.write(f"platform={app.platformName()}" + "\n")
    sys.stdout.write(f"plugins={plugins}" + "\n")
    sys.stdout.write("platform_plugins=" + ",".join(names) + "\n")
    sys.stdout.write(f"cameras={_cameras()}" + "\n")
    return 0


def _cameras() -> str:
    """How many cameras Qt Multimedia sees (the document camera's module loads); ``absent`` where it is not installed
    (a counter installed without the camera's component), ``unavailable <error>`` where it is but does not load."""
    from ui.multimedia import installed, multimedia

    if not installed():
        return "absent"
    try:
        return str(len(multimedia().QMediaDevices.videoInputs()))
    except (ImportError, OSError) as exc:
        return f"unavailable {type(exc).__name__}"


if __name__ == "__main__":
    sys.exit(main())
