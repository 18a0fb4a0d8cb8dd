"""材料交接 at the window (ui/supervisor/handover.py), typed as a person would: the supervisor picks the day, unticks a
case, previews the list (（未登记）), records it with a receiver, the cases leave the open list, and the recorded
list is printed again with its number, 部门 and 移交人 (read back with pdftotext).  A clerk has the page in 我的统计;
IT's admin has none, and the core refuses their recording."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.errors import NotAllowedError
from app.security.permissions import MACHINE
from db.models import AuditEvent
from tests.app.documents.doc_testkit import take
from tests.pdfkit import flat
from tests.ui.ui_testkit import Keyboard, open_figures_tab
from ui.supervisor.handover import HandoverPage, RecordDialog
from ui.supervisor.page import MyFiguresPage, SupervisorPage

ITEM = "MZ-SHJZ-001"  # 民政: the 户口簿's copy stays in the file
NOTHING_KEPT = "MZ-SHJZ-002"  # 民政: only the ID card, checked and handed back
OTHER = "CL-CJZ-001"  # 残联


def open_handover(qtbot: Any, keyboard: Keyboard, window: Any, tab: str = "supervisor") -> HandoverPage:
    """F6, then Alt+X: the 材料交接 page of the 值班长 tab, or of a clerk's 我的统计 (``my_figures``)."""
    page = open_figures_tab(qtbot, keyboard, window, tab)
    assert isinstance(page, SupervisorPage if tab == "supervisor" else MyFiguresPage)
    handover = page.handover
    assert isinstance(handover, HandoverPage)
    with qtbot.waitSignal(handover.loaded, timeout=10_000):
        keyboard.press(Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    assert page.pages.currentWidget() is handover
    return handover


def rows(page: HandoverPage) -> list[tuple[str, bool]]:
    out = []
    for index in range(page.cases.topLevelItemCount()):
        item = page.cases.topLevelItem(index)
        assert item is not None
        out.append((item.text(0), item.checkState(0) == Qt.CheckState.Checked))
    return out


def test_a_supervisor_prints_records_and_reprints_the_days_handover_list(
    qtbot: Any,
    keyboard: Keyboard,
    services: Any,
    clerk: Any,
    supervisor: Any,
    clock: Any,
    make_window: Callable[[Any], Any],
    tmp_path: Path,
) -> None:
    first = take(services, clerk, ITEM).acceptance_no
    second = take(services, clerk, ITEM).acceptance_no
    third = take(services, clerk, ITEM).acceptance_no
    other = take(services, clerk, OTHER).acceptance_no
    nothing = take(services, clerk, NOTHING_KEPT).acceptance_no
    clock.advance(days=1)  # the supervisor comes to Monday's paper on Tuesday
    window = make_window(supervisor)
    page = open_handover(qtbot, keyboard, window)
    assert rows(page) == [] and "本日没有需要移交后台的纸质材料" in page.totals.text()
    # Pick Monday: the day's digits typed over, read when the typing pauses.
    page.day.setFocus()
    keyboard.press(Qt.Key.Key_End)
    keyboard.press(Qt.Key.Key_Backspace)
    keyboard.press(Qt.Key.Key_Backspace)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        keyboard.type("23")
    assert page.selected_day().isoformat() == "2026-11-23"
    # One 部门 at a time, all ticked: 民政's three cases, 残联's case under the other entry.
    assert page.department.count() == 2 and "（3 件）" in page.department.currentText()
    assert rows(page) == [(first, True), (second, True), (third, True)]
    assert "共 3 件" in page.totals.text()
    # The case with nothing kept is named apart: no paper of it leaves the centre.
    assert page.no_paper.isVisible() and nothing in page.no_paper.text() and "无纸质材料移交" in page.no_paper.text()
    # Untick the second case: Down to it, Space.
    page.cases.setFocus()
    keyboard.press(Qt.Key.Key_Down)
    keyboard.press(Qt.Key.Key_Space)
    assert rows(page) == [(first, True), (second, False), (third, True)]
    assert page.ticked() == [first, third] and "共 2 件" in page.totals.text()
    # The preview: the ticked cases only, no number yet.
    preview = tmp_path / "预览.pdf"
    with qtbot.waitSignal(page.written, timeout=30_000):
        page.write_open_to(preview)
    text = flat(preview.read_bytes())
    assert "材料交接单" in text and "交接单编号：（未登记）" in text
    assert first in text and third in text and second not in text and other not in text
    assert page.report_view is not None and page.report_view.pages() >= 1
    page.report_view.close()
    qtbot.waitUntil(lambda: page.report_view is None)
    window.activateWindow()  # back at the window from the closed preview
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page.cases.setFocus()
    # 登记交接: the 部门 offered is the cases', the receiver typed, Enter records.
    with qtbot.waitSignal(page.dialog_opened) as opened:
        keyboard.press(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    dialog = opened.args[0]
    assert isinstance(dialog, RecordDialog)
    qtbot.waitExposed(dialog)
    assert dialog.department.text() and first in dialog.findChildren(type(page.totals))[0].text()
    qtbot.waitUntil(lambda: keyboard.focus_name() == "handover_dialog_receiver")
    keyboard.type("李·娜")
    with qtbot.waitSignal(page.recorded, timeout=10_000) as done:
        keyboard.enter()
    view = done.args[0]
    assert view.acceptance_nos == (first, third) and view.receiver == "李·娜"
    qtbot.waitUntil(lambda: [n for n, _ in rows(page)] == [second], timeout=10_000)
    assert view.number in page.message.text()
    # Recorded on Tuesday, it took Monday's paper: listed under Monday (with its date) and under Tuesday.
    listed = page.recorded_lists.topLevelItem(0)
    assert listed is not None and listed.text(0) == view.number and listed.text(3) == "李·娜"
    assert listed.text(4).startswith("11-24 ") and listed.text(5) == "2"
    page.set_day(clock().date())
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.load()
    listed = page.recorded_lists.topLevelItem(0)
    assert listed is not None and listed.text(0) == view.number and ":" in listed.text(4) and "-" not in listed.text(4)
    again = tmp_path / "重印.pdf"
    with qtbot.waitSignal(page.written, timeout=30_000):
        page.write_recorded_to(view.number, again)
    reprint = flat(again.read_bytes())
    assert f"交接单编号：{view.number}" in reprint and f"接收部门：{view.department}" in reprint
    assert "移交人：张敏" in reprint and "接收人：李·娜" in reprint
    assert first in reprint and third in reprint and second not in reprint
    assert again.stat().st_mode & 0o077 == 0
    with services.db.read() as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions.count("report.handover_exported") == 2 and "handover.recorded" in actions


def test_a_clerk_hands_over_from_my_figures_and_it_admin_cannot(
    qtbot: Any, keyboard: Keyboard, services: Any, clerk: Any, make_window: Callable[[Any], Any]
) -> None:
    number = take(services, clerk, ITEM).acceptance_no
    handover = open_handover(qtbot, keyboard, make_window(clerk), "my_figures")
    assert rows(handover) == [(number, True)] and handover.record_button.isVisible()
    # IT's machine account may read the list but never record one: the core says no, whatever the window shows.
    with pytest.raises(NotAllowedError, match="不能登记材料交接"):
        services.day_close.record_handover(MACHINE, [number], "区民政局", None)
