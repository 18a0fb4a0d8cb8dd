"""The 值班长 tab (supervisors and IT's admin) and the clerk's 我的统计 tab.

The 值班长 tab holds four pages: 概况与统计 (:mod:`ui.supervisor.figures`), 差评回访 (:mod:`ui.supervisor.followups`,
for those who may follow up), 对账与日结 (:mod:`ui.supervisor.dayclose`) and 材料交接 (:mod:`ui.supervisor.handover`,
for those who may hand over; a clerk has it in 我的统计).  A page reads its data the first time it
is shown and again each time the tab comes back into view (the counter went on meanwhile).  F1 on this tab opens the
supervisor's guide (``guide_name``).

objectNames: ``supervisor`` (the tab), ``supervisor_pages`` (its page tabs), ``my_figures`` (the clerk's tab).
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.security.permissions import Permission, allows
from ui.context import UiContext
from ui.supervisor.dayclose import DayClosePage
from ui.supervisor.figures import FiguresPage
from ui.supervisor.followups import FollowUpsPage
from ui.supervisor.handover import HandoverPage
from ui.tabs import TabPage

#: The guide F1 opens on this tab (docs/guide-supervisor.md; ui.guide reads ``guide_name``).
SUPERVISOR_GUIDE = "guide-supervisor"


class SupervisorPage(TabPage):
    """值班长: the figures, the 差评 follow-ups and the day's reconciliation and close."""

    guide_name = SUPERVISOR_GUIDE

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisor")
        self.context = context
        role = context.user.role
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("supervisor_pages")
        self.pages.setDocumentMode(True)
        self.figures = FiguresPage(context, self.pages)
        self.pages.addTab(self.figures, self.tr("概况与统计(&G)"))
        self.followups: FollowUpsPage | None = None
        if allows(role, Permission.FOLLOW_UP):
            self.followups = FollowUpsPage(context, self.pages)
            self.pages.addTab(self.followups, self.tr("差评回访(&H)"))
        self.dayclose: DayClosePage | None = None
        if allows(role, Permission.CLOSE_DAY) or allows(role, Permission.ALL_FIGURES):
            self.dayclose = DayClosePage(context, self.pages)
            self.pages.addTab(self.dayclose, self.tr("对账与日结(&Z)"))
        self.handover: HandoverPage | None = None
        if allows(role, Permission.HANDOVER):
            self.handover = HandoverPage(context, self.pages)
            self.pages.addTab(self.handover, self.tr("材料交接(&X)"))
        layout.addWidget(self.pages, 1)
        self.pages.currentChanged.connect(self._page_changed)
        # A decision, a return visit, 更正 or 作废 at this window changes the day: the shown page reads it again.
        context.events.changed.connect(self._changed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.load_current()

    def _changed(self, _result: object) -> None:
        self.load_current()

    def _page_changed(self, _index: int) -> None:
        # Alt+G/H/Z or Ctrl+Tab: the page is read again and the cursor goes where its work starts.
        self.load_current()
        if self.isVisible():
            self.focus_start()

    def load_current(self) -> None:
        """Read the shown page's data again."""
        if not self.isVisible():
            return
        page = self.pages.currentWidget()
        if page is self.figures:
            self.figures.load()
        elif self.followups is not None and page is self.followups:
            self.followups.load()
        elif self.dayclose is not None and page is self.dayclose:
            self.dayclose.reconcile()
        elif self.handover is not None and page is self.handover:
            self.handover.load()

    def show_page(self, page: QWidget) -> None:
        """Show one of the pages (``figures``, ``followups``, ``dayclose``, ``handover``)."""
        self.pages.setCurrentWidget(page)

    def focus_start(self) -> None:
        page = self.pages.currentWidget()
        if page is self.figures:
            self.figures.refresh.setFocus()
        elif self.followups is not None and page is self.followups:
            self.followups.table.setFocus()
        elif self.dayclose is not None and page is self.dayclose:
            self.dayclose.day.setFocus()
        elif self.handover is not None and page is self.handover:
            self.handover.focus_start()


class MyFiguresPage(TabPage):
    """我的统计: a clerk's own figures (no scope switch, no exports; the core gives a clerk nothing else), and 材料交接
    (the clerk hands over the paper their window kept: Permission.HANDOVER)."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("my_figures")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("my_figures_pages")
        self.pages.setDocumentMode(True)
        self.figures = FiguresPage(context, self.pages, own_only=True)
        self.pages.addTab(self.figures, self.tr("我的统计(&G)"))
        self.handover: HandoverPage | None = None
        if allows(context.user.role, Permission.HANDOVER):
            self.handover = HandoverPage(context, self.pages)
            self.pages.addTab(self.handover, self.tr("材料交接(&X)"))
        layout.addWidget(self.pages, 1)
        self.pages.currentChanged.connect(lambda _i: self._load())
        context.events.changed.connect(self._changed)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._load()

    def _load(self) -> None:
        if self.handover is not None and self.pages.currentWidget() is self.handover:
            self.handover.load()
        else:
            self.figures.load()

    def _changed(self, _result: object) -> None:
        if self.isVisible():
            self._load()

    def focus_start(self) -> None:
        if self.handover is not None and self.pages.currentWidget() is self.handover:
            self.handover.focus_start()
        else:
            self.figures.refresh.setFocus()
