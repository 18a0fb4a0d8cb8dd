"""The item picker: type part of the name, the code or the pinyin initials (``dbsq`` for 低保申请), see the matches
grouped by category, press Enter.  Only items that may take new cases today are offered (retired ones are not).

objectNames: ``item_search`` (the search line), ``item_tree`` (the matches).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.catalog.schema import CATEGORY_EN, ServiceItem
from app.catalog.search import group_by_category, search_items
from ui.i18n import ENGLISH, current_language, local_text

ITEM_ROLE = Qt.ItemDataRole.UserRole


class ItemPicker(QWidget):
    """Search and choose the service item of the case.

    Signals:
        item_chosen(object): the clerk chose an item (a ``ServiceItem``).
    """

    item_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("item_picker")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("事项"), self)
        title.setProperty("role", "heading")
        layout.addWidget(title)
        self.search = QLineEdit(self)
        self.search.setObjectName("item_search")
        self.search.setPlaceholderText(self.tr("名称、编码或拼音首字母"))
        self.search.setToolTip(self.tr("如“低保”、“MZ-SHJZ”、“dbsq”；回车选第一个，↓ 进入列表"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("item_tree")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(8)
        self.tree.setUniformRowHeights(True)
        layout.addWidget(self.tree, 1)
        self.empty = QLabel(self.tr("没有符合的事项。"), self)
        self.empty.setProperty("role", "hint")
        self.empty.hide()
        layout.addWidget(self.empty)
        self._items: list[ServiceItem] = []
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.tree.itemActivated.connect(self._activated)

    def set_items(self, items: Sequence[ServiceItem], today: dt.date) -> None:
        """Offer the items that may take new cases on ``today``."""
        self._items = [i for i in items if i.is_selectable(today)]
        self._filter(self.search.text())

    def matches(self) -> list[ServiceItem]:
        """The items shown now, best first."""
        return search_items(self._items, self.search.text())

    def reset(self) -> None:
        """Clear the search (next applicant)."""
        self.search.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                found = self.matches()
                if found:
                    self.item_chosen.emit(found[0])
                return True
            if key == Qt.Key.Key_Down:
                first = self._first_leaf()
                if first is not None:
                    self.tree.setFocus(Qt.FocusReason.TabFocusReason)
                    self.tree.setCurrentItem(first)
                return True
        return super().eventFilter(watched, event)

    def _first_leaf(self) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group is not None and group.childCount():
                return group.child(0)
        return None

    def _filter(self, text: str) -> None:
        found = search_items(self._items, text)
        self.tree.clear()
        english = current_language() == ENGLISH
        for category, items in group_by_category(found):
            group = QTreeWidgetItem([CATEGORY_EN[category] if english else category.value])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            for item in items:
                leaf = QTreeWidgetItem([local_text(item.name)])
                leaf.setData(0, ITEM_ROLE, item.code)
                leaf.setToolTip(0, f"{item.code} · {item.department.value}")
                group.addChild(leaf)
        self.tree.expandAll()
        self.empty.setVisible(not found)
        first = self._first_leaf()
        if first is not None and text.strip():
            self.tree.setCurrentItem(first)

    def _activated(self, leaf: QTreeWidgetItem, _column: int) -> None:
        code = leaf.data(0, ITEM_ROLE)
        item = next((i for i in self._items if i.code == code), None)
        if item is not None:
            self.item_chosen.emit(item)
