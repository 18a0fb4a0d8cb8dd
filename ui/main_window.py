"""The counter window: the tabs the feature packages register (:mod:`ui.tabs`: the intake form, F2; today's
applications and the search, F3), the documents desk, and a status bar that always says where the clerk is, who is
logged in, where sync stands (a click or F5 opens the upload queue), and whether the catalog had problems
(Services.notes: never hidden).  A supervisor's or admin's window has a menu bar: 账号 → 重置密码 (Ctrl+Shift+R,
:mod:`ui.accounts`) and 帮助 → 使用说明 (F1), 关于 (Shift+F1, :mod:`ui.about`); a clerk's has none, and opens the
same two with their keys.  A supervisor's or IT's window says in the status bar when an update is due
(:mod:`ui.sync.status`).

The window composes the features and nothing more: they talk through its :class:`~ui.context.WindowEvents` (an
intake decision is a changed record: the list reads again, sync pushes, the documents desk draws what it owes), so
none of them imports another.  When the deployment has a central server the window's
:class:`~ui.sync.status.SyncStatusArea` runs the background sync.

objectNames: ``main_window``, ``tabs``, ``toast``, ``workstation``, ``clerk``, ``catalog_notes``,
``account_menu``, ``reset_password_action``, ``help_menu``, ``guide_action``, ``about_action``; the pages' own
(``intake``, ``applications``), the sync area's, the reset dialog's and the About dialog's.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import ui.intake  # noqa: F401 - registers its tab
import ui.records  # noqa: F401 - registers its tab
import ui.supervisor  # noqa: F401 - registers its tabs (值班长; 我的统计 for a clerk)
from app.domain import Role
from app.sync.worker import PULL_INTERVAL
from ui.about import ABOUT_KEYS, AboutDialog
from ui.accounts import RESET_KEYS, ResetPasswordDialog, offers_reset
from ui.context import UiContext
from ui.documents.desk import DocumentDesk
from ui.guide import CLERK_GUIDE, GUIDE_KEYS, GuideWindow
from ui.i18n import render, translate
from ui.lock import LOCK_KEYS, IdleWatcher, LockPage
from ui.messages import MessageDisplay
from ui.rating.desk import RatingDesk
from ui.sync.status import SyncStatusArea
from ui.tabs import TabPage, tabs_for


class MainWindow(QMainWindow):
    """The counter's main window.

    Attributes:
        context: the logged-in session's services, runner, bridge, clerk and events.
        pages: the tab pages by their registered name (``intake``, ``applications``…), in tab order.
        desk: the documents desk (draws, previews and prints what changes owe).
        rating: the citizen's rating after a decision or a return visit (the rater; 等待群众评价… in the status bar).
        sync_area: the background sync and its part of the status bar.
        lock_page: what covers the window while it is locked (``security.lock_minutes`` idle, or Ctrl+L).
        account_menu: 账号 (supervisors and admins; None in a clerk's window, which has no menu bar).
        reset_action: 账号 → 重置密码 (None when not offered).
        reset_dialog: the password reset dialog while it is open.
        idle: the watcher that locks the window after the deployment's idle minutes.

    Signals:
        locked_changed(bool): the window was locked (True) or unlocked (False).
        session_ended(object): a supervisor ended the locked session (their ``SessionUser``); the window is hidden
            and kept, locked, for the clerk's next login (:meth:`resume`).
    """

    locked_changed = Signal(bool)
    session_ended = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None, *, pull_interval: float = PULL_INTERVAL):
        """Build the window.

        Args:
            context: the logged-in session.
            pull_interval: seconds between the background sync's pulls (tests make it short).
        """
        super().__init__(parent)
        self.setObjectName("main_window")
        self.context = context
        services, runner, bridge = context.services, context.runner, context.bridge
        runner.failed.connect(bridge.failure)
        runner.busy_changed.connect(self._busy_changed)
        deployment = services.deployment
        # The product's name once, at the end: Qt appends the application's display name to a title that does not
        # already end with it (QPlatformWindow::formatWindowTitle), which doubled it.
        self.setWindowTitle(
            self.tr("{center} {window} — 一门式社区事务受理台").format(
                center=deployment.center_name, window=deployment.window_name
            )
        )
        self.fit_to_screen()
        self.stack = QStackedWidget(self)
        central = QWidget(self.stack)
        self.content = central
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 4)
        self.toast = QLabel(central)
        self.toast.setObjectName("toast")
        layout.addWidget(self.toast)
        self.tabs = QTabWidget(central)
        self.tabs.setObjectName("tabs")
        layout.addWidget(self.tabs, 1)
        self.stack.addWidget(central)
        self.lock_page = LockPage(context, self.stack)
        self.stack.addWidget(self.lock_page)
        self.setCentralWidget(self.stack)
        self.pages: dict[str, TabPage] = {}
        for spec in tabs_for(context.user):
            page = spec.page(context, self.tabs)
            index = self.tabs.addTab(page, translate("MainWindow", spec.title).format(keys=spec.keys))
            self.pages[spec.name] = page
            if spec.keys:
                shortcut = QShortcut(QKeySequence(spec.keys), self)
                shortcut.activated.connect(functools.partial(self.show_tab, index))
        self.desk = DocumentDesk(context, self)
        self.rating = RatingDesk(context, self)
        self.sync_area = SyncStatusArea(context, self, pull_interval=pull_interval)
        self.account_menu: QMenu | None = None
        self.reset_action: QAction | None = None
        self.reset_dialog: ResetPasswordDialog | None = None
        if offers_reset(context.user):
            self._build_account_menu()
        self.help_menu: QMenu | None = None
        self.about_dialog: AboutDialog | None = None
        if context.user.role in (Role.SUPERVISOR, Role.ADMIN):
            self._build_help_menu()
        self._build_status_bar()
        self.display = MessageDisplay(bridge, self, self.statusBar(), self.toast)
        self.guide: GuideWindow | None = None
        self.guide_shortcut = QShortcut(QKeySequence(GUIDE_KEYS), self)
        self.guide_shortcut.activated.connect(self.open_guide)
        self.about_shortcut = QShortcut(QKeySequence(ABOUT_KEYS), self)
        self.about_shortcut.activated.connect(self.open_about)
        self.lock_shortcut = QShortcut(QKeySequence(LOCK_KEYS), self)
        self.lock_shortcut.activated.connect(self.lock)
        self.lock_page.unlocked.connect(self.unlock)
        self.lock_page.session_ended.connect(self._session_ended)
        self._covered: list[QWidget] = []  # the window's dialogs hidden by the lock
        self._disabled: list[QShortcut | QAction] = []  # the shortcuts the lock made inert
        self._focus: QWidget | None = None  # where the cursor was when the window locked
        self._closing_allowed = False  # set when the program ends: a locked window refuses the close button
        self.idle = IdleWatcher(deployment.lock_minutes, self)
        self.idle.idle.connect(self.lock)
        self.idle.start()
        self.desk.heal()
        self.sync_area.start()

    def fit_to_screen(self, available: QRect | None = None) -> None:
        """Take the screen's available area (without the taskbar), never more: at 1366×768 the decision bar and
        the status bar stay on screen while the form scrolls.  ``available`` defaults to the window's screen's."""
        if available is None:
            available = self.screen().availableGeometry()
        self.setGeometry(available)

    def open_guide(self) -> GuideWindow:
        """Open the guide (F1) of the current tab in the window's language — the clerk's, or the supervisor's on the
        值班长 tab (a page names its guide in ``guide_name``) —, or bring the open one to the front."""
        name = str(getattr(self.tabs.currentWidget(), "guide_name", CLERK_GUIDE))
        if self.guide is not None and self.guide.name != name:
            self.guide.finished.disconnect(self._guide_closed)
            self.guide.close()
            self.guide = None
        if self.guide is None:
            guide = GuideWindow(self, name)
            guide.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            guide.finished.connect(self._guide_closed)
            self.guide = guide
            guide.show()
        else:
            self.guide.raise_()
            self.guide.activateWindow()
        return self.guide

    def _guide_closed(self, _result: int) -> None:
        self.guide = None

    def open_about(self) -> AboutDialog:
        """Open 关于 (Shift+F1): the version, the store's schema version, the codes, for support; or bring it up."""
        if self.about_dialog is None:
            dialog = AboutDialog(self.context, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(self._about_closed)
            self.about_dialog = dialog
            dialog.open()
        else:
            self.about_dialog.raise_()
            self.about_dialog.activateWindow()
        return self.about_dialog

    def _about_closed(self, _result: int) -> None:
        self.about_dialog = None

    def _build_help_menu(self) -> None:
        # The keys are the window's own shortcuts (they work in a clerk's window too, which has no menu bar): the
        # actions only show them, so that no key is bound twice.
        menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        menu.setObjectName("help_menu")
        guide = QAction(self.tr("使用说明(&G)") + "\t" + GUIDE_KEYS, self)
        guide.setObjectName("guide_action")
        guide.triggered.connect(self.open_guide)
        menu.addAction(guide)
        about = QAction(self.tr("关于(&A)…") + "\t" + ABOUT_KEYS, self)
        about.setObjectName("about_action")
        about.triggered.connect(self.open_about)
        menu.addAction(about)
        self.help_menu = menu

    def _build_account_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("账号(&A)"))
        menu.setObjectName("account_menu")
        action = QAction(self.tr("重置密码(&R)…"), self)
        action.setObjectName("reset_password_action")
        action.setShortcut(QKeySequence(RESET_KEYS))
        action.triggered.connect(self.open_reset_password)
        menu.addAction(action)
        self.addAction(action)  # its shortcut works wherever the cursor is in the window
        self.account_menu, self.reset_action = menu, action

    def open_reset_password(self) -> ResetPasswordDialog:
        """Open the password reset dialog (or bring the open one to the front)."""
        if self.reset_dialog is None:
            dialog = ResetPasswordDialog(self.context, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(self._reset_dialog_closed)
            self.reset_dialog = dialog
            dialog.open()
        else:
            self.reset_dialog.raise_()
            self.reset_dialog.activateWindow()
        return self.reset_dialog

    def _reset_dialog_closed(self, _result: int) -> None:
        self.reset_dialog = None

    def _build_status_bar(self) -> None:
        deployment = self.context.services.deployment
        user = self.context.user
        bar = self.statusBar()
        workstation = QLabel(
            f"{deployment.center_name} · {deployment.window_name}（{deployment.workstation_code}）", bar
        )
        workstation.setObjectName("workstation")
        workstation.setToolTip(workstation.text())
        # The longest part of the bar gives way first on a narrow screen: the sync state stays whole.
        workstation.setMinimumWidth(60)
        clerk = QLabel(self.tr("经办人：{name}（{staff}）").format(name=user.display_name, staff=user.staff_no))
        clerk.setObjectName("clerk")
        bar.addPermanentWidget(workstation)
        bar.addPermanentWidget(clerk)
        for widget in self.sync_area.widgets():
            bar.addPermanentWidget(widget)
        for widget in self.rating.widgets():
            bar.addPermanentWidget(widget)
        notes = self.context.services.notes
        self.notes_button: QPushButton | None = None
        if notes:
            button = QPushButton(self.tr("事项目录有 {n} 个问题").format(n=len(notes)), bar)
            button.setObjectName("catalog_notes")
            button.setToolTip("\n".join(render(n) for n in notes))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(self.show_catalog_notes)
            bar.addPermanentWidget(button)
            self.notes_button = button

    def show_catalog_notes(self) -> None:
        """List the catalog's problems (for IT; the counter keeps working with the last good versions)."""
        text = "\n\n".join(render(n) for n in self.context.services.notes)
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("事项目录的问题"), text, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("catalog_notes_dialog")
        box.setInformativeText(self.tr("受理不受影响：有问题的事项文件仍使用上一个正确的版本。请通知信息员修正。"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_tab(self, index: int) -> None:
        """Switch to tab ``index`` (0: the intake form, 1: the list) and put the cursor where work starts."""
        self.tabs.setCurrentIndex(index)
        page = self.tabs.widget(index)
        if isinstance(page, TabPage):
            page.focus_start()

    @property
    def locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_page

    def _owns(self, widget: QWidget) -> bool:
        parent = widget.parentWidget()
        while parent is not None:
            if parent is self:
                return True
            parent = parent.parentWidget()
        return False

    def lock(self) -> None:
        """Cover the window: nothing of the case stays on screen, every shortcut is inert, the form is kept."""
        if self.locked:
            return
        focus = QApplication.focusWidget()
        self._focus = focus if focus is not None and self.content.isAncestorOf(focus) else None
        self._covered = [w for w in QApplication.topLevelWidgets() if w.isVisible() and self._owns(w)]
        for widget in self._covered:
            widget.hide()
        self._disabled = [s for s in self.findChildren(QShortcut) if s is not self.lock_shortcut and s.isEnabled()]
        if self.reset_action is not None and self.reset_action.isEnabled():
            self._disabled.append(self.reset_action)
        for shortcut in self._disabled:
            shortcut.setEnabled(False)
        self.content.setEnabled(False)  # its buttons too (the decision keys are QShortcuts, disabled above)
        if self.account_menu is not None or self.help_menu is not None:
            self.menuBar().hide()
        self.display.hold()  # a background task's message waits for the clerk, never above the lock
        self.stack.setCurrentWidget(self.lock_page)
        self.statusBar().clearMessage()  # a hint of the moment ("按 Enter 打印") is stale after the lock
        self.statusBar().hide()  # its messages may name a citizen
        self.idle.stop()
        self.lock_page.reset()
        self.locked_changed.emit(True)

    def unlock(self) -> None:
        """Show the window's content again, as it was."""
        if not self.locked:
            return
        self.content.setEnabled(True)
        self.stack.setCurrentWidget(self.content)
        self.statusBar().clearMessage()
        self.statusBar().show()
        if self.account_menu is not None or self.help_menu is not None:
            self.menuBar().show()
        for shortcut in self._disabled:
            shortcut.setEnabled(True)
        self._disabled = []
        for widget in self._covered:
            widget.show()
        self._covered = []
        if self._focus is not None:
            self._focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.idle.start()
        self.display.release()
        self.locked_changed.emit(False)

    def _session_ended(self, supervisor: object) -> None:
        # Kept, locked and hidden, for the clerk's next login; nothing of it runs meanwhile.
        self.idle.stop()
        self.sync_area.stop()
        self.rating.stop()  # an open rating: 未评价
        self.context.runner.failed.disconnect(self.context.bridge.failure)
        self.hide()
        self.session_ended.emit(supervisor)

    def resume(self) -> None:
        """Show again, unlocked, a window whose session a supervisor ended (the same clerk logged in again)."""
        self.context.runner.failed.connect(self.context.bridge.failure)
        self.unlock()
        self.show()
        self.activateWindow()
        self.sync_area.restart()

    def allow_close(self) -> None:
        """Let the program close this window even while it is locked (the program is ending)."""
        self._closing_allowed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked and not self._closing_allowed:
            # A passer-by's click on the title bar's close button must neither end a locked clerk's session nor
            # lose the draft: the clerk unlocks first, or a supervisor ends the session (docs/security.md).
            event.ignore()
            return
        # The sync thread ends with the window (a round in progress finishes first): nothing is left running.
        self.sync_area.stop()
        self.rating.stop()  # an open rating is recorded 未评价; the rater is a window of its own and closes too
        super().closeEvent(event)

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
