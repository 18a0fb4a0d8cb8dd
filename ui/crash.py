"""The crash handler: anything that is not an expected failure is a bug (STYLE.md §5, after qutebrowser's
``crashsignal.py``).  It is logged with its traceback and the clerk sees one calm dialog saying what to do; the
window stays open (everything already saved is safe: each save is one transaction).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("yimen.crash")


def install_crash_handler(log_file: Path | None) -> None:
    """Route uncaught exceptions of the GUI thread to the log and a crash dialog."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.critical("uncaught exception", exc_info=(kind, error, tb))
        if QApplication.instance() is None:
            sys.__excepthook__(kind, error, tb)
            return
        where = str(log_file) if log_file is not None else QCoreApplication.translate("crash", "（未写入日志文件）")
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            QCoreApplication.translate("crash", "程序出错"),
            QCoreApplication.translate(
                "crash",
                "程序遇到了一个内部错误。已保存的记录不受影响；正在录入的内容可能没有保存，请核对后重新提交。"
                "如果反复出现，请通知信息员，并告知日志文件：{path}",
            ).format(path=where),
            QMessageBox.StandardButton.Ok,
        )
        box.setObjectName("crash_dialog")
        box.setDetailedText(f"{kind.__name__}: {error}")
        box.exec()

    sys.excepthook = hook
