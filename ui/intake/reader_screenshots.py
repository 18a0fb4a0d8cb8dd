"""Pictures of the ID-card reader filling the 受理 form (``docs/screenshots/idcard-*.png``), offscreen, demo data.

Run ``QT_QPA_PLATFORM=offscreen python -m ui.intake.reader_screenshots [FOLDER]``: a throw-away demo workstation
whose deployment names the simulated reader (demo mode only), the clerk's 受理 form at 1366×768 with 低保 chosen; a
card placed on the reader fills the applicant (``idcard-filled.png``), then the clerk changes the name by hand
(``idcard-edited.png``: the input's other tint and the line naming the edited field).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.bootstrap import open_services
from app.demo import DEMO_PASSWORD, seed
from app.idcard.model import CardData, CardType, Sex
from app.idcard.simulator import SimulatedReader
from app.resources import resource_path
from ui.context import UiContext
from ui.grab import WINDOW_SIZE, main_for, pump, save
from ui.i18n import install_translators
from ui.intake.panel import IntakePanel
from ui.messages import MessageBridge
from ui.style import apply_style
from ui.tasks import TaskRunner

CARD = CardData(
    card_type=CardType.RESIDENT,
    name="阿依古丽·买买提",
    sex=Sex.FEMALE,
    ethnicity="维吾尔",
    birth_date=dt.date(1985, 6, 15),
    address="上海市徐汇区武康路100弄3号",
    id_number="310104198506150023",
    authority="上海市公安局徐汇分局",
    valid_from=dt.date(2016, 3, 1),
    valid_to=dt.date(2036, 3, 1),
)


def _deployment(folder: Path) -> Path:
    demo = resource_path("demo", "deployment.toml")
    text = demo.read_text(encoding="utf-8")
    text = text.replace('seal_image = "seal.png"', f'seal_image = "{(demo.parent / "seal.png").as_posix()}"')
    path = folder / "yimen.toml"
    path.write_text(text + '\n[idcard]\ndriver = "simulator"\npoll_ms = 100\n', encoding="utf-8")
    return path


def render_all(folder: Path, language: str) -> list[Path]:
    """Draw the pictures into ``folder``; the files written."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_style(app)
    install_translators(app, language)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(_deployment(Path(tmp)), Path(tmp) / "data")
        runner = TaskRunner()
        try:
            seed(services)
            user = services.accounts.login("wangli", DEMO_PASSWORD)
            panel = IntakePanel(UiContext(services, runner, MessageBridge(), user))
            panel.resize(*WINDOW_SIZE)
            panel.show()
            panel.activateWindow()
            pump(app, lambda: runner.idle)
            intake = panel
            link = intake.card_reader
            pump(app, lambda: link.reader is not None)
            entry = services.catalog.entry("MZ-SHJZ-001")  # 低保
            assert entry is not None
            intake.choose_item(entry.item)
            pump(app, lambda: runner.idle)
            filled: list[object] = []
            link.filled.connect(filled.append)
            reader = link.reader
            assert isinstance(reader, SimulatedReader)
            reader.place(CARD)
            pump(app, lambda: bool(filled) and runner.idle)
            pump(app, seconds=0.3)
            written.append(save(panel, folder, "idcard-filled.png"))
            name = intake.applicant.identity.name_edit
            name.setFocus()
            QTest.keyClick(name, Qt.Key.Key_End)
            # The clerk adds the last character of the name as the citizen spells it (a made-up correction).
            QTest.sendKeyEvent(QTest.KeyAction.Click, name, Qt.Key.Key_unknown, "江", Qt.KeyboardModifier.NoModifier)
            pump(app, lambda: runner.idle)
            pump(app, seconds=0.3)
            written.append(save(panel, folder, "idcard-edited.png"))
            link.stop()
            panel.close()
        finally:
            runner.shutdown()
            services.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Draw the pictures; print nothing, return 0."""
    return main_for("python -m ui.intake.reader_screenshots", render_all, argv)


if __name__ == "__main__":
    sys.exit(main())
