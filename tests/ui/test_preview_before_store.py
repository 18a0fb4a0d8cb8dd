"""The preview opens with the rendered documents while their store commits; 打印 and 另存为 wait for the store.

A document is never handed out before it is stored: the test holds the database worker (an urgent task queued in
front of the store, real threads, real SQLite) while the preview is already shown, presses Enter, and checks that
nothing printed and nothing was stored yet; once the worker goes on, the store commits and the Enter prints.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.security.permissions import MACHINE
from tests.conftest import write_deployment
from tests.storekit import connect_store
from tests.ui.ui_testkit import Keyboard, applicant, choose_item, set_materials, valid_id

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def services(services_factory: Any, tmp_path: Path) -> Any:
    return services_factory(config=write_deployment(tmp_path, mode="demo"))  # the file printer


def printed_files(services: Any) -> list[Path]:
    return sorted((services.db.path.parent / "printed").glob("*.pdf"))


def stored_documents(services: Any) -> list[tuple[str, int]]:
    with connect_store(services.db.path) as conn:
        return conn.execute("SELECT kind, handed_out FROM documents ORDER BY kind").fetchall()


def test_enter_before_the_store_commits_prints_only_once_stored(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any
) -> None:
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "阿依古丽·买买提", valid_id("31010119800101001"))
    keyboard.tab_to("assistance_type")
    keyboard.type("1")
    keyboard.tab_to("situation")
    keyboard.type("家中失火，衣物被褥损毁")
    set_materials(qtbot, keyboard, window, ["1"])
    gate = threading.Event()
    previews: list[Any] = []

    def opened(preview: Any) -> None:
        # The store is submitted right after this: hold the worker in front of it.
        previews.append(preview)
        window.context.runner.run_db(gate.wait, name="test.hold", urgent=True)

    window.desk.preview_opened.connect(opened)
    try:
        keyboard.press(Qt.Key.Key_1, CTRL)
        qtbot.waitUntil(lambda: bool(previews), timeout=20_000)
        preview = previews[0]
        qtbot.waitUntil(lambda: preview.shown_pages() == 1)  # the rendered receipt is on screen
        assert preview.storing
        assert not preview.print_button.isEnabled() and not preview.save_button.isEnabled()
        assert [preview.list.item(i).text() for i in range(preview.list.count())] == [
            "受理回执（正在保存）",
            "申请表（正在保存）",
        ]
        keyboard.enter()  # the clerk does not wait: the print is due once stored
        preview.save_current(Path(services.db.path.parent / "early.pdf"))  # refused while storing
        assert preview.isVisible()
        assert printed_files(services) == [] and not (services.db.path.parent / "early.pdf").exists()
        assert stored_documents(services) == []
    finally:
        gate.set()
        window.desk.preview_opened.disconnect(opened)

    with qtbot.waitSignal(preview.finished, timeout=30_000):
        pass  # the store commits, then the Enter pressed meanwhile prints both documents
    assert not preview.storing
    assert [preview.list.item(i).text() for i in range(preview.list.count())] == [
        "受理回执（第 1 版） · 已交付",
        "申请表（第 1 版） · 已交付",
    ]
    assert stored_documents(services) == [("form", 1), ("receipt", 1)]
    assert len(printed_files(services)) == 2
    number = services.intake.list_day(by=MACHINE)[0].acceptance_no
    receipt = next(d for d in services.documents.documents(number) if d.kind.value == "receipt")
    assert services.documents.document(receipt.id).pdf == preview.copies[0].data  # what showed is what is stored


def test_esc_while_storing_closes_and_the_documents_are_still_stored(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any
) -> None:
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "张三", valid_id("31010119800101002"))
    keyboard.tab_to("assistance_type")
    keyboard.type("1")
    keyboard.tab_to("situation")
    keyboard.type("家中失火")
    set_materials(qtbot, keyboard, window, ["1"])
    issued: list[Any] = []
    window.desk.issued.connect(issued.append)
    with qtbot.waitSignal(window.desk.preview_opened, timeout=20_000) as opened:
        keyboard.press(Qt.Key.Key_1, CTRL)
    preview = opened.args[0]
    was_storing = preview.storing
    with qtbot.waitSignal(preview.finished, timeout=10_000):
        keyboard.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(issued) and window.context.runner.idle, timeout=20_000)
    window.desk.issued.disconnect(issued.append)
    assert was_storing
    assert stored_documents(services) == [("form", 0), ("receipt", 0)]  # stored, none handed out
    assert printed_files(services) == []
