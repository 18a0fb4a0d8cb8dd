"""The counter window's screen lock: the workstation sits in a public hall.

:class:`IdleWatcher` notices when nobody has used the keyboard or the mouse in the application for the deployment's
``security.lock_minutes`` (0: never); the main window then shows the :class:`LockPage` in place of its content (and
Ctrl+L does so at once).  The page names the workstation and the clerk and asks for the clerk's password, checked by
the core (``AccountService.login``, on the database worker: failures count and the lock-out applies).  A supervisor
may end the locked session instead (``AccountService.approve`` and ``end_session``, audited): the window is then
kept, hidden, for the clerk's next login (ui/app.py).

objectNames: ``lock_page``, ``lock_clerk``, ``lock_password``, ``unlock_button``, ``lock_message``,
``lock_supervisor``, ``lock_supervisor_password``, ``end_session_button``, ``end_session_message``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.errors import YimenError
from ui.context import UiContext
from ui.i18n import render
from ui.widgets import ERROR, MessageLabel

if TYPE_CHECKING:
    from app.security.accounts import SessionUser

LOCK_KEYS = "Ctrl+L"

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


class IdleWatcher(QObject):
    """Emits :attr:`idle` after ``minutes`` without keyboard or mouse input anywhere in the application.

    It watches only while started (:meth:`start`); 0 minutes never emits.  Tests call :meth:`timeout` instead of
    waiting.

    Signals:
        idle(): nobody has touched the keyboard or the mouse for the whole interval.
    """

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.minutes = minutes
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(minutes * 60_000)
        self.timer.timeout.connect(self.timeout)
        app = QCoreApplication.instance()
        if app is not None and minutes > 0:
            app.installEventFilter(self)

    @property
    def watching(self) -> bool:
        return self.timer.isActive()

    def start(self) -> None:
        """Count the idle minutes from now (nothing when the deployment says never)."""
        if self.minutes > 0:
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def timeout(self) -> None:
        """The interval passed without input."""
        self.timer.stop()
        self.idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self.timer.isActive():
            self.timer.start()  # input: count again from now
        return False


class LockPage(QWidget):
    """What a locked window shows: the workstation, the clerk, the clerk's password, and the supervisor's part.

    Signals:
        unlocked(): the clerk's own password was right.
        session_ended(object): a supervisor ended the session (the supervisor's ``SessionUser``).
        refused(str): the core refused a password (the sentence shown).
    """

    unlocked = Signal()
    session_ended = Signal(object)
    refused = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock_page")
        self.context = context
        deployment, user = context.services.deployment, context.user
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget(self)
        box.setMaximumWidth(520)
        layout = QVBoxLayout(box)
        layout.setSpacing(12)
        title = QLabel(self.tr("受理窗口已锁定"), box)
        title.setProperty("role", "app-title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        place = QLabel(f"{deployment.center_name}\n{deployment.window_name}（{deployment.workstation_code}）", box)
        place.setAlignment(Qt.AlignmentFlag.AlignCenter)
        place.setProperty("role", "hint")
        layout.addWidget(place)
        clerk = self.tr("经办人：{name}（{staff}）").format(name=user.display_name, staff=user.staff_no)
        self.clerk = QLabel(clerk, box)
        self.clerk.setObjectName("lock_clerk")
        self.clerk.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.clerk)
        form = QFormLayout()
        self.password = QLineEdit(box)
        self.password.setObjectName("lock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(256)
        form.addRow(self.tr("密码"), self.password)
        layout.addLayout(form)
        self.message = MessageLabel("lock", box)
        self.message.setObjectName("lock_message")
        layout.addWidget(self.message)
        self.unlock_button = QPushButton(self.tr("解锁"), box)
        self.unlock_button.setObjectName("unlock_button")
        self.unlock_button.setMinimumHeight(34)
        layout.addWidget(self.unlock_button)
        supervisor = QGroupBox(self.tr("值班长结束此登录（窗口人员的未保存内容保留到其再次登录）"), box)
        sform = QFormLayout(supervisor)
        self.supervisor = QLineEdit(supervisor)
        self.supervisor.setObjectName("lock_supervisor")
        self.supervisor.setMaxLength(64)
        self.supervisor_password = QLineEdit(supervisor)
        self.supervisor_password.setObjectName("lock_supervisor_password")
        self.supervisor_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.supervisor_password.setMaxLength(256)
        sform.addRow(self.tr("值班长用户名"), self.supervisor)
        sform.addRow(self.tr("值班长密码"), self.supervisor_password)
        self.end_message = MessageLabel("end_session", supervisor)
        self.end_message.setObjectName("end_session_message")
        sform.addRow(self.end_message)
        self.end_button = QPushButton(self.tr("结束登录"), supervisor)
        self.end_button.setObjectName("end_session_button")
        sform.addRow(self.end_button)
        layout.addWidget(supervisor)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.password.returnPressed.connect(self.unlock)
        self.unlock_button.clicked.connect(self.unlock)
        self.supervisor.returnPressed.connect(lambda: self.supervisor_password.setFocus(Qt.FocusReason.TabFocusReason))
        self.supervisor_password.returnPressed.connect(self.end_session)
        self.end_button.clicked.connect(self.end_session)

    def reset(self) -> None:
        """Empty every field and message (each time the window locks); the cursor goes to the password."""
        for field in (self.password, self.supervisor, self.supervisor_password):
            field.clear()
        self.message.clear_text()
        self.end_message.clear_text()
        self.unlock_button.setEnabled(True)
        self.end_button.setEnabled(True)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def unlock(self) -> None:
        """Check the clerk's own password (on the database worker)."""
        password = self.password.text()
        if not password:
            self.message.show_text(self.tr("请输入密码。"), ERROR)
            return
        accounts, username = self.context.services.accounts, self.context.user.username
        self.unlock_button.setEnabled(False)
        self.context.runner.run_db(
            lambda: accounts.login(username, password), self._unlocked, self._unlock_refused, owner=self, name="unlock"
        )

    def _unlocked(self, _user: SessionUser) -> None:
        self.unlock_button.setEnabled(True)
        self.password.clear()
        self.message.clear_text()
        self.unlocked.emit()

    def _unlock_refused(self, error: YimenError) -> None:
        self.unlock_button.setEnabled(True)
        text = render(error.message)
        self.message.show_text(text, ERROR)
        self.password.clear()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.refused.emit(text)

    def end_session(self) -> None:
        """A supervisor's name and password end the clerk's session (checked and audited by the core)."""
        username, password = self.supervisor.text().strip(), self.supervisor_password.text()
        if not username or not password:
            self.end_message.show_text(self.tr("请输入值班长的用户名和密码。"), ERROR)
            return
        accounts, clerk = self.context.services.accounts, self.context.user

        def work() -> SessionUser:
            supervisor = accounts.approve(username, password)
            accounts.end_session(clerk, by=supervisor)
            return supervisor

        self.end_button.setEnabled(False)
        self.context.runner.run_db(work, self._ended, self._end_refused, owner=self, name="end_session")

    def _ended(self, supervisor: SessionUser) -> None:
        self.end_button.setEnabled(True)
        self.supervisor.clear()
        self.supervisor_password.clear()
        self.end_message.clear_text()
        self.session_ended.emit(supervisor)

    def _end_refused(self, error: YimenError) -> None:
        self.end_button.setEnabled(True)
        text = render(error.message)
        self.end_message.show_text(text, ERROR)
        self.supervisor_password.clear()
        self.refused.emit(text)
