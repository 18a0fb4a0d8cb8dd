"""What the clerk is shown names people; the log keeps only the level and the core sentence's source."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from app.errors import ValidationError
from app.i18n import msg
from ui.messages import Level, MessageBridge


def test_the_bridge_logs_no_names_numbers_or_phones(qtbot: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bridge = MessageBridge()
    shown: list[tuple[str, str]] = []
    bridge.shown.connect(lambda level, text: shown.append((level, text)))
    bridge.info("已受理：张𠮷　临时救助申请")
    bridge.status("310104198506150023 已核验")
    bridge.warning("请核对 13800138000")
    bridge.message(Level.WARNING, msg("intake", "申请人 {name} 已有在办申请").bind(name="阿依古丽·买买提"))
    bridge.failure(ValidationError(msg("intake", "证件号码 {id} 校验不通过").bind(id="310104198506150024")))
    # The clerk sees everything ...
    assert [text for _, text in shown] == [
        "已受理：张𠮷　临时救助申请",
        "310104198506150023 已核验",
        "请核对 13800138000",
        "申请人 阿依古丽·买买提 已有在办申请",
        "证件号码 310104198506150024 校验不通过",
    ]
    # ... the log only what kind of message it was, and the core's sentences with their placeholders.
    logged = [r.getMessage() for r in caplog.records if r.name == "yimen.ui"]
    assert logged == [
        "message (info)",
        "message (status)",
        "message (warning)",
        "message (warning): 申请人 {name} 已有在办申请",
        "message (error): invalid: 证件号码 {id} 校验不通过",
    ]
