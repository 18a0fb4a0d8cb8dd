"""The window's fit with the longest decision bar: an item that offers 容缺受理 and 先行救助 beside the three decisions
(five buttons, and the 先行救助 reason line), on the screens counters have — 1920×1080 and 1366×768 with a taskbar,
and 1366×768 at 150 % scaling (911×512 logical pixels).  The decision buttons, the 先行救助 reason and the status
bar with the sync state stay inside the window, whole and not squeezed, while the form scrolls.  On the test item
of tests/app/data/catalog-owed (no shipped item declares 容缺受理), given fifteen more optional materials so that its
form is longer than even 1920×1080 holds, and on the shipped 临时救助 (MZ-SHJZ-002, 急难型: 先行救助)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from PySide6.QtCore import QPoint, QRect

from app.domain import Decision
from tests.ui.test_window import TASKBAR, inside
from tests.ui.ui_testkit import Keyboard, choose_item

OWED_CATALOG = Path(__file__).parent.parent / "app" / "data" / "catalog-owed"
SIZES = [
    (1920, 1080 - TASKBAR),
    (1366, 768 - TASKBAR),
    (911, 512),  # 1366×768 at 150 % scaling (logical pixels, no taskbar)
]
FIVE = [Decision.ACCEPT, Decision.TOLERATED, Decision.FIRST_AID, Decision.SUPPLEMENT, Decision.REFUSE]
FOUR = [Decision.ACCEPT, Decision.FIRST_AID, Decision.SUPPLEMENT, Decision.REFUSE]
#: catalog, item search, the emergency field, its key (急难 is the first choice), the decisions offered.
CASES = {
    "owed": ("测试事项", "urgency", FIVE),
    "shipped": ("临时救助", "assistance_type", FOUR),
}
EXTRA_MATERIALS = 15


def long_owed_catalog(folder: Path) -> Path:
    """The 容缺/先行救助 test item with fifteen more optional materials: a form longer than any screen."""
    item = yaml.safe_load((OWED_CATALOG / "TS-OWED-001.yaml").read_text(encoding="utf-8"))
    for n in range(1, EXTRA_MATERIALS + 1):
        item["materials"].append(
            {
                "key": f"extra_proof_{n}",
                "name": {"zh": f"补充证明材料{n}", "en": f"Further proof {n}"},
                "form": "copy",
                "required": False,
                "standard": {"zh": "如有", "en": "If any"},
            }
        )
    folder.mkdir()
    (folder / "TS-OWED-001.yaml").write_text(yaml.safe_dump(item, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture
def services(services_factory: Any, request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    long_form = request.param == "owed"
    return services_factory(catalog_dir=long_owed_catalog(tmp_path / "catalog") if long_form else None)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("services", list(CASES), indirect=True)
def test_the_longest_decision_bar_and_the_status_bar_stay_in_view(
    qtbot: Any, keyboard: Keyboard, window: Any, request: pytest.FixtureRequest, size: tuple[int, int]
) -> None:
    case = request.node.callspec.params["services"]
    query, field, offered = CASES[case]
    window.fit_to_screen(QRect(0, 0, *size))
    choose_item(keyboard, query)
    keyboard.tab_to(field)
    keyboard.type("1")  # 急难: 先行救助 is offered
    intake = window.pages["intake"]
    qtbot.waitUntil(lambda: intake.decision_buttons[Decision.FIRST_AID].isVisibleTo(window))
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    # Nothing in it asks for more than the screen.
    hint = window.minimumSizeHint()
    assert hint.width() <= size[0] and hint.height() <= size[1], hint
    assert window.size().toTuple() == size

    shown = [d for d, b in intake.decision_buttons.items() if b.isVisibleTo(window)]
    assert shown == offered
    buttons = [intake.decision_buttons[d] for d in shown]
    for button in buttons:
        assert inside(window, button), button.objectName()
        # Whole, not squeezed: the label and its shortcut are not cut.
        assert button.width() >= button.sizeHint().width(), button.objectName()
    # Side by side (on a second line where the width ends), never on top of each other.
    rects = [QRect(b.mapTo(window, QPoint(0, 0)), b.size()) for b in buttons]
    for i, rect in enumerate(rects):
        assert not any(rect.intersects(other) for other in rects[i + 1 :]), buttons[i].objectName()
    assert inside(window, intake.first_aid_reason)
    assert intake.first_aid_reason.width() >= 200  # room to type the reason
    assert inside(window, window.statusBar())
    for widget in window.sync_area.widgets():
        if widget.isVisibleTo(window):
            assert inside(window, widget)
    # The form scrolls, and its last material line is reached by scrolling: the window does not grow.
    if case == "owed":
        qtbot.waitUntil(lambda: len(intake.materials.rows) == 5 + EXTRA_MATERIALS)
        assert intake.scroller.verticalScrollBar().maximum() > 0
    qtbot.waitUntil(lambda: len(intake.materials.rows) > 0)
    last = intake.materials.rows[-1].status
    last.setFocus()
    intake.scroller.ensureWidgetVisible(last)
    qtbot.waitUntil(lambda: inside(window, last))
    assert window.size().toTuple() == size
