"""The login dialog: user name and password; Enter in the name moves on, Enter in the password logs in.

Wrong passwords and lock-outs are counted by the core (``AccountService.login``, on the database worker: argon2
takes a moment) and its sentence is shown under the password.

objectNames: ``username``, ``password``, ``login_message``, ``login_button``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.bootstrap import Services
from app.errors import YimenError
from app.security.accounts import SessionUser
from ui.i18n import render
from ui.tasks import TaskRunner
from ui.widgets import ERROR, MessageLabel


class LoginDialog(QDialog):
    """Asks a clerk to log in at this workstation.

    Attributes:
        user: the clerk, once logged in.

    Signals:
        logged_in(object): the password was right (the ``SessionUser``).
        login_failed(str): the core refused (the sentence shown).
    """

    logged_in = Signal(object)
    login_failed = Signal(str)

    def __init__(self, services: Services, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("login")
        self.services = services
        self.runner = runner
        self.user: SessionUser | None = None
        deployment = services.deployment
        self.setWindowTitle(self.tr("一门式社区事务受理台 — 登录"))
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
        layout.addLayout(form)
        self.message = MessageLabel("login", self)
        self.message.setObjectName("login_message")
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 2)
        layout.addWidget(self.message)
        if deployment.is_demo:
            from app.demo import DEMO_PASSWORD, DEMO_USERS

            names = "、".join(u[0] for u in DEMO_USERS)
            demo = QLabel(
                self.tr("演示模式：账号 {names}，密码 {password}").format(names=names, password=DEMO_PASSWORD)
            )
            demo.setObjectName("login_demo")
            demo.setProperty("role", "demo")
            demo.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(demo)
        self.button = QPushButton(self.tr("登录"), self)
        self.button.setObjectName("login_button")
        self.button.setDefault(True)
        self.button.setMinimumHeight(34)
        layout.addWidget(self.button)
        self.button.clicked.connect(self.log_in)
        self.username.returnPressed.connect(self._username_entered)
        self.setMinimumWidth(460)
        self.username.setFocus()

    def _username_entered(self) -> None:
        # Enter in the user name moves on (the default button would otherwise log in with an empty password).
        self.password.setFocus(Qt.FocusReason.TabFocusReason)

    def log_in(self) -> None:
        """Check the user name and password (on the database worker)."""
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
        accounts = self.services.accounts
        self.button.setEnabled(False)
        self.message.show_text(self.tr("正在登录……"), "")
        self.runner.run_db(
            lambda: accounts.login(username, password), self._succeeded, self._failed, owner=self, name="login"
        )

    def _succeeded(self, user: SessionUser) -> None:
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
