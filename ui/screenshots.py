"""Render the counter's main screens to PNG files for the guides (``docs/screenshots``), offscreen, on demo data.

Run ``QT_QPA_PLATFORM=offscreen python -m ui.screenshots [FOLDER] [--lang en]``.  It builds a throw-away demo
workstation in a temporary folder (``app.demo.seed`` refuses anything but a demo deployment), types a 低保
household application the way a clerk would (key events into the focused input), and grabs the login dialog,
the filled form, today's list, a record awaiting 补正, a 先行救助 record with what it owes, the upload queue
(F5), the print preview and the supervisor's password reset (a generated temporary password, as shown once).  The
documents' pages in ``docs/documents`` are drawn by ``make documents`` (app/documents/gallery.py).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.bootstrap import Services, open_services
from app.demo import DEMO_PASSWORD, seed
from app.domain import Decision
from app.resources import resource_path
from ui.accounts import ResetPasswordDialog
from ui.context import UiContext
from ui.grab import WINDOW_SIZE, main_for, pump, save
from ui.i18n import install_translators
from ui.intake.panel import IntakePanel
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.messages import MessageBridge
from ui.records.applications import ApplicationsView
from ui.style import apply_style
from ui.tasks import TaskRunner


def type_text(text: str) -> None:
    """Type into the focused input, one key event per character (Chinese included)."""
    for ch in text:
        widget = QApplication.focusWidget()
        assert widget is not None
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def key(name: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Press one key in the focused input."""
    widget = QApplication.focusWidget()
    assert widget is not None
    QTest.keyClick(widget, name, modifier)


def focus(window: QWidget, name: str) -> None:
    """Put the cursor into the input called ``name``."""
    widget = window.findChild(QWidget, name)
    assert widget is not None, name
    widget.setFocus()


def render_all(folder: Path, language: str) -> list[Path]:
    """Render every screen into ``folder``; return the files written."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_style(app)
    install_translators(app, language)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(resource_path("demo", "deployment.toml"), Path(tmp))
        runner = TaskRunner()
        try:
            seed(services)
            login = LoginDialog(services.deployment, runner, services)
            login.show()
            pump(app)
            type_text("wangli")
            written.append(save(login, folder, "login.png"))
            login.close()
            user = services.accounts.login("wangli", DEMO_PASSWORD)
            window = MainWindow(UiContext(services, runner, MessageBridge(), user))
            window.resize(*WINDOW_SIZE)
            window.show()
            window.activateWindow()
            pump(app, lambda: runner.idle)
            _fill_dibao(app, window, runner)
            written.append(save(window, folder, "intake.png"))
            pump(app, seconds=0.2)
            intake = window.pages["intake"]
            assert isinstance(intake, IntakePanel)
            bar = intake.scroller.verticalScrollBar()
            bar.setValue(bar.maximum())
            pump(app, seconds=0.2)
            written.append(save(window, folder, "intake-materials.png"))
            window.show_tab(1)
            pump(app, lambda: runner.idle)
            written.append(save(window, folder, "list.png"))
            applications = window.pages["applications"]
            assert isinstance(applications, ApplicationsView)
            waiting = next(r for r in applications.model.rows if r.state == "awaiting_supplement")
            record = applications.open_record(waiting.acceptance_no)
            pump(app, lambda: record.record is not None)
            pump(app, seconds=0.2)
            written.append(save(record, folder, "record.png"))
            record.close()
            helped = next((r for r in applications.model.rows if r.decision == Decision.FIRST_AID.value), None)
            if helped is not None:  # 先行救助: what is owed, by when, and its return visit
                record = applications.open_record(helped.acceptance_no)
                pump(app, lambda: record.record is not None)
                pump(app, seconds=0.2)
                written.append(save(record, folder, "record-owed.png"))
                record.close()
            panel = window.sync_area.open_panel()
            pump(app, lambda: panel.status is not None and runner.idle)
            pump(app, seconds=0.2)
            written.append(save(panel, folder, "sync-panel.png"))
            panel.close()
            accepted = next(r for r in applications.model.rows if r.state == "accepted")
            opened: list[QWidget] = []
            window.desk.preview_opened.connect(opened.append)
            window.desk.reprint(accepted.acceptance_no)
            pump(app, lambda: bool(opened) and runner.idle)
            pump(app, seconds=0.5)
            written.append(save(opened[0], folder, "preview.png"))
            opened[0].close()
            window.close()
            written.append(_reset_password(app, services, runner, folder))
        finally:
            runner.shutdown()
            services.close()
    return written


def _reset_password(app: QApplication, services: Services, runner: TaskRunner, folder: Path) -> Path:
    """The supervisor gives the clerk a generated temporary password (the dialog as it shows it, once)."""
    supervisor = services.accounts.login("zhangmin", DEMO_PASSWORD)
    dialog = ResetPasswordDialog(UiContext(services, runner, MessageBridge(), supervisor))
    dialog.show()
    pump(app, lambda: runner.idle and bool(dialog.model.rows))
    dialog.generate.setChecked(True)
    dialog.own_password.setText(DEMO_PASSWORD)
    dialog.reset()
    pump(app, lambda: runner.idle and dialog.result_panel.isVisible())
    pump(app, lambda: runner.idle)
    pump(app, seconds=0.3)
    path = save(dialog, folder, "reset-password.png")
    dialog.close()
    return path


def _fill_dibao(app: QApplication, window: MainWindow, runner: TaskRunner) -> None:
    """A married applicant and her husband, typed field by field (each input found by its name, so the script
    follows the catalog's form as it changes)."""
    intake = window.pages["intake"]
    assert isinstance(intake, IntakePanel)
    window.show_tab(0)
    type_text("A023")
    key(Qt.Key.Key_Return)
    focus(window, "item_search")
    type_text("低保")
    key(Qt.Key.Key_Return)
    pump(app, seconds=0.1)
    for name, text in (
        ("applicant.name", "阿依古丽·买买提"),
        ("applicant.id_number", "310104198506150023"),
        ("applicant.phone", "13800138000"),
        ("applicant.hukou_shanghai", "1"),  # 是
        ("applicant.hukou_address", "上海市徐汇区示范路 1 号"),
        ("applicant.marital_status", "1"),  # 已婚
        ("applicant.monthly_income", "800"),
    ):
        focus(window, name)
        type_text(text)
    focus(window, "household_member.add")
    key(Qt.Key.Key_Return)  # 添加成员
    pump(app, seconds=0.1)
    for name, text in (
        ("household_member.0.name", "买买提·艾力"),
        ("household_member.0.id_number", "310101198501010030"),
        ("household_member.0.relation", "1"),  # 配偶
        ("household_member.0.monthly_income", "1200"),
        ("household_member.0.hukou_shanghai", "1"),
        ("hukou_at_this_center", "1"),
        ("reason", "失业，无稳定收入来源"),
        ("assets_summary", "无存款，无房产，无车辆"),
    ):
        focus(window, name)
        type_text(text)
    pump(app, lambda: runner.idle and any(r.line.key == "marriage_proof" for r in intake.materials.rows))
    for row in intake.materials.rows:
        if row.line.key in ("applicant_id_card", "household_register", "marriage_proof"):
            row.status.setFocus()
            key(Qt.Key.Key_Space)
    focus(window, "applicant.name")
    intake.scroller.verticalScrollBar().setValue(0)
    pump(app, lambda: runner.idle)
    pump(app, seconds=0.3)


def main(argv: list[str] | None = None) -> int:
    """Render the screenshots; print nothing, return 0."""
    return main_for("python -m ui.screenshots", render_all, argv)


if __name__ == "__main__":
    sys.exit(main())
