"""A busy central server as the counter shows it (docs/sync-protocol.md "When the server is busy"): the status bar
keeps "待上传 N" with a calm note, no red, no message to the clerk; once the server frees, the worker uploads by
itself and the line is back to "在线 · 待上传 0".

The server admits one push at a time, and that slot is held for real by another workstation's half-sent push
(tests/server/busykit.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from tests.server.apikit import enroll
from tests.server.busykit import HeldPush
from tests.serverkit import ServerThread, count
from tests.ui import test_sync_ui
from tests.ui.test_sync_ui import sync_text, take
from tests.ui.ui_testkit import MessageRecorder
from ui.widgets import NEUTRAL

# The sync window's fixtures, over this module's central server.
clock = test_sync_ui.clock
services = test_sync_ui.services
enrolled = test_sync_ui.enrolled
sync_window = test_sync_ui.sync_window


@pytest.fixture
def central(store_url: str) -> Iterator[ServerThread]:
    """The central server with admission control at one push in flight."""
    server = ServerThread(store_url, settings_overrides={"max_concurrent_pushes": 1})
    yield server
    server.stop()


def test_a_busy_server_is_a_calm_note_and_the_records_go_up_by_themselves(
    qtbot: Any, services: Any, central: ServerThread, clerk: Any, enrolled: Any, bridge: Any, sync_window: Any
) -> None:
    held = HeldPush(central, enroll(central, workstation="009"), "310104003-009-20261207-0001")
    try:
        take(services, clerk)
        said = MessageRecorder(bridge)
        window = sync_window(pull_interval=600)
        label = window.statusBar().findChild(QWidget, "sync_state")
        qtbot.waitUntil(lambda: "繁忙" in sync_text(window), timeout=15_000)
        waiting = window.sync_area.status.pending  # the record, and its documents once drawn
        assert waiting >= 1
        assert sync_text(window).startswith(f"在线 · 待上传 {waiting} · 中心服务器繁忙，稍后自动上传")
        assert label.property("severity") == NEUTRAL
        assert label.toolTip().startswith("中心服务器繁忙，本工位的记录已保存在本机，稍后自动上传，无需操作。")
        assert said.messages == []
        assert held.finish().status == 200
    finally:
        held.close()
    qtbot.waitUntil(lambda: sync_text(window).startswith("在线 · 待上传 0 · 上次同步 "), timeout=15_000)
    assert "繁忙" not in sync_text(window) and label.property("severity") == NEUTRAL
    assert count(central.engine(), "events", "WHERE workstation_code = '003'") == 3  # the record and its documents
    assert said.messages == []
    window.close()
