"""Sync as the counter shows it, against the real central server (``central``): a decision is pushed at once and the
status bar says so, the back office's status comes down into the list and an open record, a quarantined event is
listed with the server's reason and "立即重试" puts it back, a workstation that is not enrolled says so and enrolls
with a one-time code, a clock that is off is shown, and no sync thread outlives its window."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.domain import Decision, MaterialStatus, PartyRole
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from app.sync.protocol import ServerStatus
from tests.conftest import FixedClock, write_deployment
from tests.serverkit import count, enrollment_code
from tests.storekit import connect_store
from tests.ui.ui_testkit import (
    Keyboard,
    MessageRecorder,
    applicant,
    choose_item,
    decide_and_skip_printing,
    set_materials,
    valid_id,
)
from ui.sync.status import short_time

APPLICANT_ID = valid_id("31010119800101001")
WRONG_CODE = "中心服务器拒绝了本工位：注册码无效、已使用、已过期，或不属于本中心和工位。请向信息员申请新的注册码。"
SHORT_PULL = 0.3  # seconds: the tests wait for the next pull, never sleep


@pytest.fixture
def clock() -> FixedClock:
    """The workstation's clock at the real time: the server's Date header must agree with it (a clock that is off
    is a test of its own)."""
    return FixedClock(dt.datetime.now(dt.UTC).replace(microsecond=0))


@pytest.fixture
def services(services_factory: Callable[..., Any], tmp_path: Path, central: Any) -> Any:
    """A demo workstation whose deployment names the test's central server (plain http: demo mode only)."""
    folder = tmp_path / "config"
    folder.mkdir()
    return services_factory(config=write_deployment(folder, mode="demo", server_url=central.url))


@pytest.fixture
def enrolled(services: Any, central: Any) -> Any:
    return services.sync.enroll(enrollment_code(central.engine()))


@pytest.fixture
def sync_window(
    qtbot: Any, services: Any, runner: Any, bridge: Any, clerk: Any, show: Callable[[QWidget], None]
) -> Callable[..., Any]:
    """The main window with the background sync pulling every ``pull_interval`` seconds, after its first round."""
    from ui.context import UiContext
    from ui.main_window import MainWindow

    def make(pull_interval: float = SHORT_PULL) -> MainWindow:
        window = MainWindow(UiContext(services, runner, bridge, clerk), pull_interval=pull_interval)
        show(window)
        qtbot.waitUntil(lambda: window.sync_area.controller.last is not None, timeout=10_000)
        qtbot.waitUntil(lambda: runner.idle)
        window.show_tab(0)
        return window

    return make


def take(services: Any, clerk: Any, name: str = "孙悦") -> str:
    """An application stored through the core (before the window opens)."""
    draft = ApplicationDraft(
        item_code="MZ-SHJZ-002",
        values={"assistance_type": "emergency", "situation": "家中突发火灾"},
        parties=[PartyInput(PartyRole.APPLICANT, name, APPLICANT_ID, "13800138000")],
        materials=[MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)],
    )
    return str(services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk).acceptance_no)


def cell(window: Any, acceptance_no: str, column: str, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> Any:
    model = window.pages["applications"].model
    numbers = [r.acceptance_no for r in model.rows]
    if acceptance_no not in numbers:
        return None
    return model.data(model.index(numbers.index(acceptance_no), model.COLUMNS.index(column)), role)


def sync_text(window: Any) -> str:
    return str(window.statusBar().findChild(QWidget, "sync_state").text())


def sync_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "yimen-sync" and t.is_alive()]


def test_a_decision_is_pushed_at_once_and_the_status_bar_shows_it(
    qtbot: Any, keyboard: Keyboard, services: Any, central: Any, enrolled: Any, sync_window: Callable[..., Any]
) -> None:
    # A pull only every ten minutes: what reaches the server in time was pushed by the nudge after the decision.
    window = sync_window(pull_interval=600)
    label = window.statusBar().findChild(QWidget, "sync_state")
    assert label.text() == "在线 · 待上传 0 · 上次同步 " + short_time(window.sync_area.status.last_success_at)
    assert not window.statusBar().findChild(QWidget, "enroll").isVisible()
    assert count(central.engine(), "events") == 0

    choose_item(keyboard, "临时救助")
    applicant(keyboard, "孙悦", APPLICANT_ID)
    keyboard.tab_to("assistance_type")
    keyboard.type("1")  # 急难型
    keyboard.tab_to("situation")
    keyboard.type("家中失火，衣物被褥损毁")
    set_materials(qtbot, keyboard, window, ["1"])
    result = decide_and_skip_printing(qtbot, keyboard, window, Qt.Key.Key_1)
    number = result.acceptance_no

    # The record and its two documents (受理回执, 申请表) reach the server; the list and the status bar follow.
    qtbot.waitUntil(lambda: cell(window, number, "sync") == "已上传", timeout=15_000)
    qtbot.waitUntil(lambda: window.sync_area.status.pending == 0 and count(central.engine(), "events") == 3)
    assert count(central.engine(), "applications", f"WHERE acceptance_no = '{number}'") == 1
    assert sync_text(window).startswith("在线 · 待上传 0 · 上次同步 ")
    assert label.toolTip() == "点击或按 F5 查看上传队列。"
    assert cell(window, number, "server_status") == "—"  # nothing from the back office yet
    assert services.intake.load(number).sync_state == "synced"

    assert sync_threads()
    window.close()
    assert not window.sync_area.controller.running
    assert not sync_threads()


def test_back_office_status_reaches_the_list_and_the_open_record(
    qtbot: Any, services: Any, central: Any, clerk: Any, enrolled: Any, sync_window: Callable[..., Any]
) -> None:
    from server.services.backoffice import transition

    number = take(services, clerk)
    window = sync_window()
    qtbot.waitUntil(lambda: cell(window, number, "sync") == "已上传", timeout=15_000)
    assert cell(window, number, "server_status") == "—"
    with qtbot.waitSignal(window.pages["applications"].record_opened) as opened:
        window.pages["applications"].opened.emit(number)
    record = opened.args[0]
    line = record.findChild(QWidget, "record_sync")
    qtbot.waitUntil(lambda: record.record is not None)
    # Its documents, drawn when the window opened, may still be on their way up when the record opens: the line
    # follows the next sync (events.synced).
    qtbot.waitUntil(lambda: line.text() == "上传：已上传\n办理进度：—", timeout=15_000)

    with central.session() as session, session.begin():
        transition(
            session, acceptance_no=number, to=ServerStatus.REVIEWING, note="材料齐全，转区民政局审核", by="backoffice"
        )
    qtbot.waitUntil(lambda: cell(window, number, "server_status") == "审核中", timeout=10_000)
    assert cell(window, number, "server_status", Qt.ItemDataRole.ToolTipRole).startswith("中心更新于 ")
    stored = services.intake.load(number)
    assert stored.server_status == "reviewing"
    when = stored.server_status_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    # The record that stayed open shows it too, with the date and the back office's note.
    qtbot.waitUntil(lambda: "审核中" in line.text())
    assert line.text() == f"上传：已上传\n办理进度：审核中（{when}）　说明：材料齐全，转区民政局审核"


@pytest.mark.allow_warning_logs  # the sync service warns when the server quarantines an event
def test_a_quarantined_event_is_listed_with_its_reason_and_retry_puts_it_back(
    qtbot: Any,
    keyboard: Keyboard,
    services: Any,
    central: Any,
    clerk: Any,
    enrolled: Any,
    sync_window: Callable[..., Any],
    messages: MessageRecorder,
) -> None:
    number = take(services, clerk)
    # The stored digest no longer matches the stored bytes (a damaged disk): the server refuses the event.
    with connect_store(services.db.path) as con:
        (good,) = con.execute("select sha256 from outbox where event_type = 'application.taken'").fetchone()
        con.execute("update outbox set sha256 = ? where sha256 = ?", ("0" * 64, good))
    con.close()
    window = sync_window()
    qtbot.waitUntil(lambda: window.sync_area.status.quarantined == 1, timeout=15_000)
    reason = "被拒收：事件内容与其 SHA-256 不符（传输中或本机存储损坏）"
    assert "被拒收 1" in sync_text(window)
    qtbot.waitUntil(lambda: cell(window, number, "sync") == "被拒收")
    assert cell(window, number, "sync", Qt.ItemDataRole.ToolTipRole) == reason

    with qtbot.waitSignal(window.sync_area.panel_opened) as opened:
        keyboard.press(Qt.Key.Key_F5)
    panel = opened.args[0]
    assert panel.objectName() == "sync_panel"
    qtbot.waitUntil(lambda: panel.status is not None and any(r.state == "quarantined" for r in panel.model.rows))
    model = panel.model
    rows = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
    columns = model.COLUMNS
    refused = [row for row in rows if row[columns.index("state")] == "被拒收"]
    assert len(refused) == 1
    assert refused[0][columns.index("acceptance_no")] == number
    assert refused[0][columns.index("event")] == "受理登记"
    assert refused[0][columns.index("reason")] == reason
    assert int(refused[0][columns.index("attempts")]) >= 1
    # Its documents wait behind it (held back, never sent before the record itself).
    assert all(row[columns.index("state")] == "待上传" for row in rows if row is not refused[0])
    assert "被拒收 1 条" in panel.findChild(QWidget, "sync_panel_summary").text()

    # IT repairs the cause; the clerk selects the refused line and presses 立即重试.
    with connect_store(services.db.path) as con:
        con.execute("update outbox set sha256 = ? where sha256 = ?", (good, "0" * 64))
    con.close()
    panel.table.selectRow(rows.index(refused[0]))
    with qtbot.waitSignal(panel.retried) as retried:
        qtbot.mouseClick(panel.findChild(QWidget, "sync_retry"), Qt.MouseButton.LeftButton)
    assert retried.args == [1]
    assert "已将 1 条被拒收的记录重新排队，正在上传。" in messages.texts("info")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=15_000)
    qtbot.waitUntil(lambda: cell(window, number, "sync") == "已上传")
    assert sync_text(window).startswith("在线 · 待上传 0 · ")
    assert "被拒收" not in sync_text(window)
    assert count(central.engine(), "applications", f"WHERE acceptance_no = '{number}'") == 1


def test_a_workstation_not_enrolled_says_so_and_enrolls_with_a_one_time_code(
    qtbot: Any, services: Any, central: Any, sync_window: Callable[..., Any], messages: MessageRecorder
) -> None:
    window = sync_window()
    bar = window.statusBar()
    assert sync_text(window) == "未注册 · 待上传 0"
    tooltip = bar.findChild(QWidget, "sync_state").toolTip()
    assert tooltip.startswith("本工位尚未在中心服务器注册，无法同步。")
    enroll = bar.findChild(QWidget, "enroll")
    assert enroll.isVisible() and enroll.text() == "注册本工位…"
    assert count(central.engine(), "devices") == 0

    with qtbot.waitSignal(window.sync_area.enroll_opened) as opened:
        qtbot.mouseClick(enroll, Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.findChild(QWidget, "enroll_code"))
    code_box = dialog.findChild(QWidget, "enroll_code")
    message = dialog.findChild(QWidget, "enroll_code.message")
    qtbot.keyClick(code_box, Qt.Key.Key_Return)
    assert message.text() == "请输入信息员给出的注册码。"
    qtbot.keyClicks(code_box, "ABCD-EFGH-JKMN")
    qtbot.keyClick(code_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: message.text() == WRONG_CODE, timeout=10_000)
    assert dialog.isVisible()
    assert code_box.selectedText() == "ABCD-EFGH-JKMN"  # ready to be typed over

    code = enrollment_code(central.engine())
    with qtbot.waitSignal(dialog.enrolled, timeout=10_000):
        qtbot.keyClicks(code_box, code)
        qtbot.keyClick(code_box, Qt.Key.Key_Return)
    assert "本工位已在中心服务器注册，开始上传记录。" in messages.texts("info")
    qtbot.waitUntil(lambda: sync_text(window).startswith("在线 · 待上传 0 · 上次同步 "), timeout=10_000)
    assert not enroll.isVisible()
    assert count(central.engine(), "devices") == 1
    assert services.sync.status().enrolled


def test_a_vault_that_refuses_the_credential_is_said_and_the_same_code_works_afterwards(
    qtbot: Any, services: Any, central: Any, machine_vault: Path, sync_window: Callable[..., Any]
) -> None:
    from tests.reliability.diskkit import read_only

    window = sync_window()
    with qtbot.waitSignal(window.sync_area.enroll_opened) as opened:
        qtbot.mouseClick(window.statusBar().findChild(QWidget, "enroll"), Qt.MouseButton.LeftButton)
    dialog = opened.args[0]
    code_box = dialog.findChild(QWidget, "enroll_code")
    message = dialog.findChild(QWidget, "enroll_code.message")
    code = enrollment_code(central.engine())
    with read_only(machine_vault):
        qtbot.keyClicks(code_box, code)
        qtbot.keyClick(code_box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: message.text().startswith("无法保存或读取工位凭证"), timeout=10_000)
        assert dialog.isVisible() and not services.sync.status().enrolled
    # IT fixes the vault folder's permissions and tries again with the same code
    with qtbot.waitSignal(dialog.enrolled, timeout=10_000):
        qtbot.mouseClick(dialog.findChild(QWidget, "enroll_submit"), Qt.MouseButton.LeftButton)
    assert services.sync.status().enrolled
    assert count(central.engine(), "devices", "WHERE confirmed_at IS NOT NULL AND revoked_at IS NULL") == 1


def test_the_panel_offers_enrollment_too(
    qtbot: Any, keyboard: Keyboard, services: Any, sync_window: Callable[..., Any]
) -> None:
    window = sync_window()
    with qtbot.waitSignal(window.sync_area.panel_opened) as opened:
        qtbot.mouseClick(window.statusBar().findChild(QWidget, "sync_state"), Qt.MouseButton.LeftButton)
    panel = opened.args[0]
    qtbot.waitUntil(lambda: panel.status is not None)
    button = panel.findChild(QWidget, "sync_enroll")
    assert button.isVisible()
    with qtbot.waitSignal(window.sync_area.enroll_opened) as enrolling:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert enrolling.args[0].parent() is panel
    enrolling.args[0].reject()
    panel.reject()


def test_a_clock_that_is_off_is_shown_in_the_status_bar_and_said_once(
    qtbot: Any, clock: FixedClock, enrolled: Any, sync_window: Callable[..., Any], messages: MessageRecorder
) -> None:
    clock.advance(minutes=-30)  # the workstation is half an hour behind the server
    window = sync_window()
    warning = "本机时钟与中心服务器相差约 30 分钟，回执上的日期时间可能不准。请信息员校准本机时间。"
    qtbot.waitUntil(lambda: window.sync_area.status.clock_off)
    clock_label = window.statusBar().findChild(QWidget, "sync_clock")
    assert clock_label.isVisible()
    assert clock_label.text() == "本机时钟不准"
    assert clock_label.toolTip() == warning
    rounds: list[object] = []
    window.sync_area.controller.round_finished.connect(rounds.append)
    qtbot.waitUntil(lambda: len(rounds) >= 3, timeout=10_000)
    assert messages.texts("warning") == [warning]  # once, not at every round


def test_without_a_server_the_counter_works_offline_and_starts_no_sync(
    qtbot: Any, services_factory: Callable[..., Any], tmp_path: Path, bridge: Any, show: Callable[[QWidget], None]
) -> None:
    from tests.conftest import add_user
    from ui.context import UiContext
    from ui.main_window import MainWindow
    from ui.tasks import TaskRunner

    folder = tmp_path / "offline"
    folder.mkdir()
    offline = services_factory(config=write_deployment(folder, server_url=""), data_dir=tmp_path / "offline-data")
    runner = TaskRunner()
    try:
        window = MainWindow(UiContext(offline, runner, bridge, add_user(offline)))
        show(window)
        qtbot.waitUntil(lambda: window.sync_area.status is not None)
        qtbot.waitUntil(lambda: runner.idle)
        assert not window.sync_area.status.configured
        assert sync_text(window) == "离线"
        assert not window.sync_area.controller.running
        assert not window.statusBar().findChild(QWidget, "enroll").isVisible()
        window.close()
    finally:
        runner.shutdown()


def test_a_window_deleted_without_being_closed_stops_its_sync_thread(
    qtbot: Any, services: Any, runner: Any, bridge: Any, clerk: Any, enrolled: Any
) -> None:
    # run_gui's tests (and a crash path) delete the window without closing it: the controller's destroyed hook
    # stops the worker, even while it posts a round every SHORT_PULL seconds.
    from ui.context import UiContext
    from ui.main_window import MainWindow

    window = MainWindow(UiContext(services, runner, bridge, clerk), pull_interval=SHORT_PULL)
    window.show()
    rounds: list[object] = []
    window.sync_area.controller.round_finished.connect(rounds.append)
    qtbot.waitUntil(lambda: len(rounds) >= 2, timeout=10_000)
    assert sync_threads()
    window.hide()
    window.deleteLater()
    qtbot.waitUntil(lambda: not sync_threads(), timeout=15_000)


def test_a_server_that_cannot_be_reached_shows_offline_with_the_reason(
    qtbot: Any, services: Any, central: Any, clerk: Any, enrolled: Any, sync_window: Callable[..., Any]
) -> None:
    window = sync_window()
    assert sync_text(window).startswith("在线 · ")
    central.stop()  # the network is down (the fixture's second stop does nothing)
    number = take(services, clerk)
    window.sync_area.controller.nudge()
    qtbot.waitUntil(lambda: sync_text(window).startswith("离线 · "), timeout=15_000)
    label = window.statusBar().findChild(QWidget, "sync_state")
    assert label.toolTip().startswith("无法连接中心服务器（网络中断或服务器未运行），稍后自动重试。")
    qtbot.waitUntil(lambda: window.sync_area.status.pending >= 1)
    assert "待上传 " in sync_text(window) and "上次同步 " in sync_text(window)  # the last success is still shown
    assert services.intake.load(number).sync_state == "pending"  # kept here, sent later


def test_a_revoked_credential_is_shown_and_enrollment_offered_again(
    qtbot: Any, central: Any, enrolled: Any, sync_window: Callable[..., Any]
) -> None:
    from server.services.devices import revoke_device

    window = sync_window()
    enroll = window.statusBar().findChild(QWidget, "enroll")
    assert not enroll.isVisible()
    with central.session() as session, session.begin():
        assert revoke_device(session, center_code="310104003", workstation_code="003", reason="机器报废") == 1
    window.sync_area.controller.sync_now()
    qtbot.waitUntil(lambda: sync_text(window).startswith("凭证已吊销 · "), timeout=10_000)
    label = window.statusBar().findChild(QWidget, "sync_state")
    assert label.toolTip().startswith("本工位的凭证已被中心服务器吊销，同步已停止。请联系信息员重新注册本工位。")
    assert enroll.isVisible()
