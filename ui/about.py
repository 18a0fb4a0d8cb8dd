"""关于 (Shift+F1; 帮助 → 关于 in the windows with a menu bar): what support asks for — this build's version (the one
version, ``app.version.version()``), the store's schema version, the center and workstation codes, the Qt, PySide6
and Python versions — with a 复制 button that puts the same lines on the clipboard.  Nothing personal, no secret.

The store's schema version is read on the database worker (``app.about.about_facts``); everything else is known at
once.

objectNames: ``about`` (the dialog), ``about_facts`` (the text), ``about_copy``, ``about_close``.
"""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.about import AboutFacts, about_facts
from app.errors import YimenError
from app.version import version
from ui.context import UiContext
from ui.i18n import render

ABOUT_KEYS = "Shift+F1"


class AboutDialog(QDialog):
    """The About dialog (window-modal; Esc or 关闭 closes it).

    Attributes:
        facts: the workstation's facts once read (None before).
    """

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about")
        self.context = context
        self.facts: AboutFacts | None = None
        self._schema_text = self.tr("正在读取……")
        self.setWindowTitle(self.tr("关于 一门式社区事务受理台"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("一门式社区事务受理台"), self)
        title.setObjectName("about_title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        self.text = QLabel(self)
        self.text.setObjectName("about_facts")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.copy_button = QPushButton(self.tr("复制(&C)"), self)
        self.copy_button.setObjectName("about_copy")
        self.copy_button.setToolTip(self.tr("把以上信息复制到剪贴板，发给技术支持"))
        self.copy_button.clicked.connect(self.copy)
        buttons.addWidget(self.copy_button)
        close = QPushButton(self.tr("关闭"), self)
        close.setObjectName("about_close")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self._show()
        services = context.services
        context.runner.run_db(
            lambda: about_facts(services), self._facts_read, self._facts_failed, owner=self, name="about.facts"
        )

    def lines(self) -> list[str]:
        """The dialog's lines, as shown and as copied."""
        deployment = self.context.services.deployment
        return [
            self.tr("版本：{version}").format(version=version()),
            self.tr("数据库结构版本：{schema}").format(schema=self._schema_text),
            self.tr("中心：{name}（{code}）").format(name=deployment.center_name, code=deployment.center_code),
            self.tr("工位：{name}（{code}）").format(name=deployment.window_name, code=deployment.workstation_code),
            self.tr("Qt：{qt}，PySide6：{pyside}").format(qt=qVersion(), pyside=PySide6.__version__),
            self.tr("Python：{python}").format(python=platform.python_version()),
            self.tr("操作系统：{system}").format(
                system=f"{platform.system()} {platform.release()} {platform.machine()}".strip()
            ),
        ]

    def copy(self) -> str:
        """Put the lines on the clipboard (what support asks for); the text copied."""
        copied = "\n".join(self.lines())
        QApplication.clipboard().setText(copied)
        self.copy_button.setText(self.tr("已复制"))
        return copied

    def _show(self) -> None:
        self.text.setText("\n".join(self.lines()))

    def _facts_read(self, facts: AboutFacts) -> None:
        self.facts = facts
        self._schema_text = facts.schema_version or self.tr("（新数据库）")
        self._show()

    def _facts_failed(self, error: YimenError) -> None:
        self._schema_text = self.tr("无法读取（{reason}）").format(reason=render(error.message))
        self._show()
