"""The login dialog: user name and password; Enter in the name moves on, Enter in the password logs in.

It is the first window of a start (ui/app.py) and needs only the ``Deployment`` (centre and window names): it is
shown while the services are still being opened on the database worker, and :meth:`LoginDialog.set_services` hands
them over when they are ready.  A clerk who presses Enter before that sees "正在打开数据库，请稍候…" and is logged
in as soon as the services arrive, without pressing Enter again.

Wrong passwords and lock-outs are counted by the core (``AccountService.login``, on the database worker: argon2
takes a moment) and its sentence is shown under the password.

This module is imported before the first window appears: it must not import the core's services, the database
layer or the catalog at run time (their names below are for the type checker only; docs/performance.md).

A temporary password (a new account, a reset by a supervisor) logs in only after the clerk has set their own: the
dialog asks for the new password twice in the same place (the core refuses every use case to an account still on
a temporary password: app/security/permissions.py).

objectNames: ``username``, ``password``, ``new_password``, ``repeat_password``, ``login_message``,
``login_button``, ``login_demo`` (demo mode).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.errors import YimenError
from ui.i18n import render
from ui.tasks import TaskRunner
from ui.widgets import ERROR, MessageLabel

if TYPE_CHECKING:
    from app.bootstrap import Services
    from app.config import Deployment
    from app.security.accounts import SessionUser


class LoginDialog(QDialog):
    """Asks a clerk to log in at this workstation.

    Attributes:
        user: the clerk, once logged in.
        services: the opened services (None until :meth:`set_services`).

    Signals:
        logged_in(object): the password was right (the ``SessionUser``).
        login_failed(str): the core refused (the sentence shown).
        services_ready(): the services were handed over; logging in no longer waits.
    """

    logged_in = Signal(object)
    login_failed = Signal(str)
    services_ready = Signal()

    def __init__(
        self,
        deployment: Deployment,
        runner: TaskRunner,
        services: Services | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the dialog from the deployment alone.

        Args:
            deployment: the workstation's settings (names shown, demo mode).
            runner: the background runner (the login runs on its database worker).
            services: the opened services, when they are already there; otherwise :meth:`set_services` later.
            parent: the parent widget.
        """
        super().__init__(parent)
        self.setObjectName("login")
        self.deployment = deployment
        self.services: Services | None = None
        self.runner = runner
        self.user: SessionUser | None = None
        self._waiting: tuple[str, str] | None = None  # user name and password entered before the services were ready
        self.setWindowTitle(self.tr("登录 — 一门式社区事务受理台"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        title = QLabel(self.tr("一门式社区事务受理台"), self)
        title.setProperty("role", "app-title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        place = QLabel(f"{deployment.center_name}\n{deployment.window_name}（{deployment.workstation_code}）", self)
        place.setObjectName("login_place")
        place.setAlignment(Qt.AlignmentFlag.AlignCenter)
        place.setProperty("role", "hint")
        layout.addWidget(place)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.username.setMaxLength(64)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(256)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        # The second step of a login on a temporary password (a new account, a reset): the new one, twice.
        self.new_password = QLineEdit(self)
        self.new_password.setObjectName("new_password")
        self.repeat_password = QLineEdit(self)
        self.repeat_password.setObjectName("repeat_password")
        for field in (self.new_password, self.repeat_password):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(256)
        form.addRow(self.tr("新密码"), self.new_password)
        form.addRow(self.tr("再次输入新密码"), self.repeat_password)
        self._new_rows = (self.new_password, self.repeat_password)
        self._form = form
        for field in self._new_rows:
            form.setRowVisible(field, False)
        self._temporary: tuple[SessionUser, str] | None = None  # logged in on a temporary password
        layout.addLayout(form)
        self.message = MessageLabel("login", self)
        self.message.setObjectName("login_message")
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 2)
        layout.addWidget(self.message)
        # Demo mode names the demo accounts; app.demo imports the database models, so the hint is filled in when
        # the services (and with them those modules) are there.
        self.demo_hint: QLabel | None = None
        if deployment.is_demo:
            self.demo_hint = QLabel(self)
            self.demo_hint.setObjectName("login_demo")
            self.demo_hint.setProperty("role", "demo")
            self.demo_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.demo_hint.hide()
            layout.addWidget(self.demo_hint)
        self.button = QPushButton(self.tr("登录"), self)
        self.button.setObjectName("login_button")
        self.button.setDefault(True)
        self.button.setMinimumHeight(34)
        layout.addWidget(self.button)
        self.button.clicked.connect(self.log_in)
        self.username.returnPressed.connect(self._username_entered)
        self.new_password.returnPressed.connect(self._new_entered)
        self.setMinimumWidth(460)
        self.username.setFocus()
        if services is not None:
            self.set_services(services)

    @property
    def ready(self) -> bool:
        """True once the services are there (logging in does not wait)."""
        return self.services is not None

    def set_services(self, services: Services) -> None:
        """The services are open: log in the clerk who was waiting for them, if any."""
        self.services = services
        if self.demo_hint is not None:
            self._show_demo_hint()
        self.services_ready.emit()
        if self._waiting is not None:
            username, password = self._waiting
            self._waiting = None
            self._submit(username, password)

    def _show_demo_hint(self) -> None:
        from app.demo import DEMO_PASSWORD, DEMO_USERS

        assert self.demo_hint is not None
        names = "、".join(u[0] for u in DEMO_USERS)
        self.demo_hint.setText(
            self.tr("演示模式：账号 {names}，密码 {password}").format(names=names, password=DEMO_PASSWORD)
        )
        self.demo_hint.show()

    def _username_entered(self) -> None:
        # Enter in the user name moves on (the default button would otherwise log in with an empty password).
        self.password.setFocus(Qt.FocusReason.TabFocusReason)

    def _new_entered(self) -> None:
        self.repeat_password.setFocus(Qt.FocusReason.TabFocusReason)

    def log_in(self) -> None:
        """Check the user name and password (on the database worker; once the services are ready)."""
        if self._temporary is not None:
            self._set_new_password()
            return
        if self._waiting is not None:
            return  # already waiting for the services with what was entered
        username = self.username.text().strip()
        if not username:
            self.message.show_text(self.tr("请输入用户名。"), ERROR)
            self.username.setFocus()
            return
        if not self.password.text():
            self.message.show_text(self.tr("请输入密码。"), ERROR)
            self.password.setFocus()
            return
        password = self.password.text()
        if self.services is None:
            self._waiting = (username, password)
            self.button.setEnabled(False)
            self.message.show_text(self.tr("正在打开数据库，请稍候…"), "")
            return
        self._submit(username, password)

    def _submit(self, username: str, password: str) -> None:
        assert self.services is not None
        accounts = self.services.accounts
        self.button.setEnabled(False)
        self.message.show_text(self.tr("正在登录……"), "")
        self.runner.run_db(
            lambda: accounts.login(username, password), self._succeeded, self._failed, owner=self, name="login"
        )

    def _succeeded(self, user: SessionUser) -> None:
        if user.must_change_password:
            self._ask_for_new_password(user)
            return
        self.user = user
        self.button.setEnabled(True)
        self.message.clear_text()
        self.logged_in.emit(user)
        self.accept()

    def _failed(self, error: YimenError) -> None:
        self.button.setEnabled(True)
        text = render(error.message)
        self.message.show_text(text, ERROR)
        self.password.clear()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.login_failed.emit(text)

    # ------------------------------------------------------------------ a temporary password

    def _ask_for_new_password(self, user: SessionUser) -> None:
        """The password was a temporary one: nothing may be done before the clerk sets their own."""
        self._temporary = (user, self.password.text())
        self.username.setEnabled(False)
        self.password.setEnabled(False)
        for field in self._new_rows:
            self._form.setRowVisible(field, True)
        self.button.setText(self.tr("设置新密码并登录"))
        self.button.setEnabled(True)
        self.message.show_text(self.tr("这是临时密码。请设置自己的新密码（至少 8 个字符）后继续。"), "")
        self.new_password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_new_password(self) -> None:
        assert self._temporary is not None and self.services is not None
        user, old = self._temporary
        new, repeat = self.new_password.text(), self.repeat_password.text()
        if new != repeat:
            self.message.show_text(self.tr("两次输入的新密码不一致，请重新输入。"), ERROR)
            self.repeat_password.clear()
            self.repeat_password.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        accounts = self.services.accounts
        self.button.setEnabled(False)
        self.runner.run_db(
            lambda: accounts.change_password(user, old, new),
            self._password_set,
            self._password_refused,
            owner=self,
            name="change_password",
        )

    def _password_set(self, user: SessionUser) -> None:
        self._temporary = None
        self._succeeded(user)

    def _password_refused(self, error: YimenError) -> None:
        self.button.setEnabled(True)
        text = render(error.message)
        self.message.show_text(text, ERROR)
        self.new_password.clear()
        self.repeat_password.clear()
        self.new_password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.login_failed.emit(text)
