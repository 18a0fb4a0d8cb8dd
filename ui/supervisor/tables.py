"""Plain tables of the supervisor's pages: rows of text, an alert row (overdue, silent, refused) drawn red *and*
marked in words (never colour alone), a heading box that says 无 when a section is empty."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.widgets import RowsTableModel

ALERT_BACKGROUND = "#fbe3df"
ALERT_TEXT = "#8b1a12"
#: The text mark of an alert row (besides its colour): screen readers and colour-blind eyes get it too.
ALERT_MARK = "⚠"


@dataclass(frozen=True)
class Line:
    """One row: its cells' text, whether it is an alert, a tooltip, and what it stands for (``data``)."""

    cells: tuple[str, ...]
    alert: bool = False
    tip: str | None = None
    data: Any = None


class LinesModel(RowsTableModel):
    """Rows of :class:`Line` under the given headers."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.COLUMNS = tuple(str(i) for i in range(len(headers)))
        self._headers = list(headers)
        self.rows: list[Line] = []

    def _text(self, row: Line, column: str) -> str:
        index = int(column)
        return row.cells[index] if index < len(row.cells) else ""

    def _role(self, row: Line, column: str, role: int) -> Any:
        if row.alert and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(ALERT_BACKGROUND))
        if row.alert and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(ALERT_TEXT))
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tip
        return None

    def texts(self) -> list[tuple[str, ...]]:
        """Every row's cells (tests and screenshots read them)."""
        return [row.cells for row in self.rows]


def table_view(model: LinesModel, name: str, parent: QWidget | None = None, *, max_rows: int | None = 8) -> QTableView:
    """A read-only, row-selecting table over ``model`` that grows with its rows up to ``max_rows`` (None: it takes
    the room its layout gives it)."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    if max_rows is None:
        return view
    limit = max_rows

    def fit() -> None:
        rows = min(max(model.rowCount(), 1), limit)
        height = header.sizeHint().height() + rows * view.verticalHeader().defaultSectionSize() + 2 * view.frameWidth()
        view.setFixedHeight(height + 2)

    model.modelReset.connect(fit)
    fit()
    return view


class Section(QGroupBox):
    """A titled box holding one table; an empty table is replaced by a short 无."""

    def __init__(
        self,
        title: str,
        name: str,
        headers: Sequence[str],
        parent: QWidget | None = None,
        *,
        max_rows: int = 8,
        empty: str | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.setObjectName(name)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.model = LinesModel(headers, self)
        self.view = table_view(self.model, f"{name}_table", self, max_rows=max_rows)
        self.empty = QLabel(empty if empty is not None else self.tr("无"), self)
        self.empty.setObjectName(f"{name}_empty")
        self.empty.setProperty("role", "hint")
        self.note = QLabel(self)
        self.note.setObjectName(f"{name}_note")
        self.note.setWordWrap(True)
        self.note.hide()
        layout.addWidget(self.note)
        layout.addWidget(self.view)
        layout.addWidget(self.empty)
        layout.addStretch(1)  # a short table stays at the top of a box its neighbour makes tall
        self.set_lines([])

    def set_lines(self, lines: Sequence[Line], note: str = "") -> None:
        """Show ``lines`` (and a note above them)."""
        self.model.set_rows(lines)
        self.view.setVisible(bool(lines))
        self.empty.setVisible(not lines)
        self.note.setText(note)
        self.note.setVisible(bool(note))
