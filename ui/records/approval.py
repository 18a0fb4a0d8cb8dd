"""The approval of 更正 and 作废: a reason and a supervisor's user name and password at this workstation (and, for 更正,
the corrected form values).  The refusal is shown beside the input it concerns.

objectNames: ``approval_reason``, ``supervisor_username``, ``supervisor_password``, ``approval_submit``,
``approval_cancel``, ``approval.message``, and the item's field keys for 更正.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.catalog.schema import ServiceItem
from app.errors import AuthError, ValidationError, YimenError
from ui.fields import FieldGrid
from ui.i18n import render
from ui.widgets import ERROR, MessageLabel


class ApprovalDialog(QDialog):
    """A reason and a supervisor's user name and password (and, for 更正, the form values).

    Signals:
        submitted(): the clerk asked to carry out the action.
    """

    submitted = Signal()

    def __init__(self, parent: QWidget, *, title: str, item: ServiceItem | None) -> None:
        super().__init__(parent)
        self.setObjectName("approval")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.grid: FieldGrid | None = None
        if item is not None:
            box = QGroupBox(self.tr("更正后的申请信息"), self)
            self.grid = FieldGrid(item.fields, "", box)
            QVBoxLayout(box).addWidget(self.grid)
            layout.addWidget(box)
        form = QFormLayout()
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("approval_reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 3 + 14)
        self.reason_message = MessageLabel("approval_reason", self)
        self.username = QLineEdit(self)
        self.username.setObjectName("supervisor_username")
        self.password = QLineEdit(self)
        self.password.setObjectName("supervisor_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.auth_message = MessageLabel("supervisor_password", self)
        form.addRow(self.tr("原因"), self.reason)
        form.addRow("", self.reason_message)
        form.addRow(self.tr("值班长账号"), self.username)
        form.addRow(self.tr("值班长密码"), self.password)
        form.addRow("", self.auth_message)
        layout.addLayout(form)
        self.message = MessageLabel("approval", self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.submit = QPushButton(self.tr("确认（值班长批准）"), self)
        self.submit.setObjectName("approval_submit")
        self.submit.setDefault(True)
        cancel = QPushButton(self.tr("取消"), self)
        cancel.setObjectName("approval_cancel")
        buttons.addStretch(1)
        buttons.addWidget(self.submit)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.submit.clicked.connect(self._submit)
        cancel.clicked.connect(self.reject)
        self.username.returnPressed.connect(self.password.setFocus)
        if self.grid is not None:
            self.grid.focus_widgets()[0].setFocus()
        else:
            self.reason.setFocus()

    def _submit(self) -> None:
        for label in (self.reason_message, self.auth_message, self.message):
            label.clear_text()
        if self.grid is not None:
            self.grid.clear_messages()
        self.submitted.emit()

    def set_busy(self, busy: bool) -> None:
        """Disable the button while the worker runs."""
        self.submit.setEnabled(not busy)

    def show_failure(self, error: YimenError) -> None:
        """Show why the action was refused beside the input concerned."""
        self.set_busy(False)
        text = render(error.message)
        target: QWidget
        if isinstance(error, AuthError):
            self.auth_message.show_text(text, ERROR)
            self.password.clear()
            target = self.password
        elif isinstance(error, ValidationError) and error.field == "approval_reason":
            self.reason_message.show_text(text, ERROR)
            target = self.reason
        elif isinstance(error, ValidationError) and self._is_field(error.field):
            assert self.grid is not None and error.field is not None
            editor = self.grid.editors[error.field]
            editor.show_issue(text, ERROR)
            target = editor.focus_widgets()[0]
        else:
            self.message.show_text(text, ERROR)
            target = self.submit
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _is_field(self, key: str | None) -> bool:
        return self.grid is not None and key is not None and key in self.grid.editors
