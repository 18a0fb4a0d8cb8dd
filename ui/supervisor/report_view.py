"""The exported daily report (日报) PDF shown as it was written (QtPdf: the file itself, not a re-rendering), beside
the page it came from.  Esc or 关闭 closes it.

objectNames: ``report_view``, ``report_view_pdf``, ``report_view_path``, ``report_view_close``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class ReportView(QDialog):
    """One PDF file, shown page after page at the window's width."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("report_view")
        self.setWindowTitle(self.tr("日报 — {name}").format(name=path.name))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.resize(900, 860)
        layout = QVBoxLayout(self)
        self.document = QPdfDocument(self)
        self.document.load(str(path))
        self.view = QPdfView(self)
        self.view.setObjectName("report_view_pdf")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        layout.addWidget(self.view, 1)
        bar = QHBoxLayout()
        where = QLabel(self.tr("已保存到：{path}").format(path=str(path)), self)
        where.setObjectName("report_view_path")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QPushButton(self.tr("关闭"), self)
        close.setObjectName("report_view_close")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        bar.addWidget(where, 1)
        bar.addWidget(close)
        layout.addLayout(bar)

    def pages(self) -> int:
        return self.document.pageCount()


def show_report(
    parent: QWidget, shown: ReportView | None, path: Path, closed: Callable[[int], None], title: str | None = None
) -> ReportView:
    """Show ``path`` beside ``parent`` in place of the one ``shown`` before (closed first); ``closed`` hears when
    the new view closes.  ``title`` replaces the 日报 title."""
    if shown is not None:
        shown.close()
    view = ReportView(path, parent)
    if title is not None:
        view.setWindowTitle(title)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.finished.connect(closed)
    view.show()
    return view
