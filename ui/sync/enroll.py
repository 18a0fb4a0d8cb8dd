"""Enrolling the workstation with the central server: the one-time code IT gives (the call waits on the server: the
runner's network pool).

:class:`EnrollForm` is the form itself (the place, the code, its message, the 注册 button) over the services and the
runner; :class:`EnrollDialog` puts it in a dialog for a logged-in window, and the first-run window (ui/firstrun.py)
shows it as its first step, before any account exists.

objectNames: ``enroll_dialog``, ``enroll_form``, ``enroll_place``, ``enroll_code``, ``enroll_code.message``,
``enroll_submit``, ``enroll_cancel``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.errors import YimenError
from app.sync.credentials import Credential
from ui.context import UiContext
from ui.i18n import render
from ui.tasks import TaskRunner
from ui.widgets import ERROR, NEUTRAL, MessageLabel

if TYPE_CHECKING:
    from app.bootstrap import Services


class EnrollForm(QWidget):
    """The one-time code and what the server answered; :meth:`submit` sends it (network pool).

    Attributes:
        buttons: the row of buttons, ending with 注册 (a dialog or the first-run window adds its own before it).

    Signals:
        enrolled(): the workstation was enrolled; its credential is in the machine vault.
    """

    enrolled = Signal()

    def __init__(self, services: Services, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enroll_form")
        self.services = services
        self.runner = runner
        deployment = services.deployment
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        place = QLabel(
            self.tr("本工位：{center} {window}（{center_code}-{workstation}）\n中心服务器：{url}").format(
                center=deployment.center_name,
                window=deployment.window_name,
                center_code=deployment.center_code,
                workstation=deployment.workstation_code,
                url=deployment.server_url,
            ),
            self,
        )
        place.setObjectName("enroll_place")
        place.setWordWrap(True)
        layout.addWidget(place)
        prompt = QLabel(self.tr("一次性注册码（向信息员索取）"), self)
        layout.addWidget(prompt)
        self.code = QLineEdit(self)
        self.code.setObjectName("enroll_code")
        prompt.setBuddy(self.code)
        layout.addWidget(self.code)
        self.message = MessageLabel("enroll_code", self)
        layout.addWidget(self.message)
        self.buttons = QHBoxLayout()
        self.submit_button = QPushButton(self.tr("注册"), self)
        self.submit_button.setObjectName("enroll_submit")
        self.submit_button.setDefault(True)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.submit_button)
        layout.addLayout(self.buttons)
        self.submit_button.clicked.connect(self.submit)
        self.code.returnPressed.connect(self.submit)
        self.code.setFocus()

    def submit(self) -> None:
        """Send the code to the server (off the GUI thread)."""
        if not self.submit_button.isEnabled():
            return  # already on its way
        code = self.code.text().strip()
        if not code:
            self.message.show_text(self.tr("请输入信息员给出的注册码。"), ERROR)
            self.code.setFocus()
            return
        self.submit_button.setEnabled(False)
        self.message.show_text(self.tr("正在连接中心服务器……"), NEUTRAL)
        sync = self.services.sync
        self.runner.run_net(lambda: sync.enroll(code), self._done, self._failed, owner=self, name="sync.enroll")

    def _done(self, _credential: Credential) -> None:
        self.submit_button.setEnabled(True)
        self.message.clear_text()
        self.enrolled.emit()

    def _failed(self, error: YimenError) -> None:
        self.submit_button.setEnabled(True)
        self.message.show_text(render(error.message), ERROR)
        self.code.setFocus()
        self.code.selectAll()


class EnrollDialog(QDialog):
    """Enrolls the workstation with the one-time code IT gives (the call waits on the server: network pool).

    Signals:
        enrolled(): the workstation was enrolled; its credential is in the machine vault.
    """

    enrolled = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enroll_dialog")
        self.setWindowTitle(self.tr("注册本工位"))
        self.services = context.services
        self.runner = context.runner
        layout = QVBoxLayout(self)
        self.form = EnrollForm(self.services, self.runner, self)
        layout.addWidget(self.form)
        self.code = self.form.code
        self.message = self.form.message
        self.submit_button = self.form.submit_button
        cancel = QPushButton(self.tr("取消"), self)
        cancel.setObjectName("enroll_cancel")
        cancel.setAutoDefault(False)
        self.form.buttons.addWidget(cancel)
        self.form.enrolled.connect(self._done)
        cancel.clicked.connect(self.reject)
        self.code.setFocus()

    def submit(self) -> None:
        """Send the code to the server (off the GUI thread)."""
        self.form.submit()

    def _done(self) -> None:
        self.enrolled.emit()
        self.accept()
