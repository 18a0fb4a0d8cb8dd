"""Where the signature pad opens (``[signatures] screen``, ui/intake/signature.py): on the clerk's screen, or on the
second screen facing the citizen (a touch screen there) when there is one.  Real widgets on Qt's offscreen platform
with two screens (``offscreen:configfile=…``), in a process of their own since the platform is fixed per process."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ui.ui_testkit import CITIZEN_SCREEN, COUNTER_SCREEN, run_on_screens

REPO = Path(__file__).resolve().parents[2]
COUNTER, CITIZEN = COUNTER_SCREEN, CITIZEN_SCREEN

pytestmark = pytest.mark.slow


def _run(tmp_path: Path, screens: list[dict[str, Any]], setting: str) -> dict[str, Any]:
    return run_on_screens(tmp_path, screens, "tests.ui.test_signature_screen", setting)


def test_with_the_citizen_setting_the_pad_fills_the_citizen_s_screen(tmp_path: Path) -> None:
    report = _run(tmp_path, [COUNTER, CITIZEN], "citizen")
    assert report["counter_screen"] == "1 counter"
    assert report["dialog_screen"] == "2 citizen"
    assert report["dialog_geometry"] == [1366, 0, 1280, 800]  # as large as the citizen's screen
    # Signed there with the pen (the mouse here) and confirmed by the clerk's Enter: the case gets it.
    assert report["captures"] == [["applicant", 0]] and report["png_bytes"] > 100


def test_by_default_and_without_a_second_screen_the_pad_stays_on_the_clerk_s_screen(tmp_path: Path) -> None:
    default = _run(tmp_path / "default", [COUNTER, CITIZEN], "counter")
    assert default["dialog_screen"] == "1 counter" and default["dialog_geometry"][2] < 1280
    alone = _run(tmp_path / "alone", [COUNTER], "citizen")
    assert alone["dialog_screen"] == "1 counter" and alone["dialog_geometry"][2] < 1280
    assert default["captures"] == alone["captures"] == [["applicant", 0]]


def _program(setting: str, out: Path) -> int:
    """The child: a counter window on the first screen, the signature step of a case, a signature drawn on the pad
    and confirmed with Enter; what it saw goes to ``out`` as JSON."""
    import time

    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from app.catalog.schema import ServiceItem
    from app.domain import Decision, PartyRole
    from app.intake.model import ApplicationDraft, PartyInput
    from tests.ui.ui_testkit import valid_id
    from ui.intake.signature import SignatureStep

    app = QApplication([sys.argv[0]])

    def pump(until: Any) -> None:
        end = time.monotonic() + 30
        while not until():
            if time.monotonic() > end:
                raise TimeoutError("the screen did not settle")
            app.processEvents()
            time.sleep(0.01)

    counter = QWidget()
    counter.setGeometry(100, 100, 900, 600)
    counter.show()
    pump(counter.isVisible)
    with open(REPO / "resources/catalog/items/MZ-SHJZ-002.yaml", encoding="utf-8") as f:
        item = ServiceItem.model_validate(yaml.safe_load(f))
    draft = ApplicationDraft(
        item_code=item.code,
        values={},
        parties=[PartyInput(PartyRole.APPLICANT, "张三", valid_id("31010219750101001"), "13800138000")],
        materials=[],
    )
    step = SignatureStep(counter, enabled=True, on_citizen_screen=setting == "citizen")
    captures: list[Any] = []
    step.run(item, draft, Decision.ACCEPT, lambda got: captures.extend(got) or None)
    dialog = step.dialog
    assert dialog is not None
    pump(lambda: dialog.isVisible() and dialog.geometry().width() > 1)
    report: dict[str, Any] = {
        "counter_screen": counter.screen().name(),
        "dialog_screen": dialog.screen().name(),
        "dialog_geometry": list(dialog.geometry().getRect()),
    }
    pad = dialog.pad
    points = [QPoint(40, 60), QPoint(120, 20), QPoint(200, 90), QPoint(280, 30)]
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
    for point in points[1:]:
        QTest.mouseMove(pad, point)
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])
    QTest.keyClick(dialog, Qt.Key.Key_Return)
    pump(lambda: bool(captures))
    report["captures"] = [[c.signer, c.party_position] for c in captures]
    report["png_bytes"] = len(captures[0].png)
    out.write_text(json.dumps(report), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_program(sys.argv[2], Path(sys.argv[1])))
