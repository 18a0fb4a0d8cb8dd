"""``sync_meta.last_error`` is kept as the message's code and arguments and shown in the reader's language; a plain
text stored by an earlier version still reads back as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.errors import SyncTransientError
from app.i18n import Message, msg
from app.sync.stored_message import dump_message, load_message
from db.models import OutboxEntry, SyncMeta
from tests.app.sync.synckit import Workstation
from tests.serverkit import FaultProxy


def test_a_failure_is_stored_as_a_code_and_rendered_in_the_readers_language(
    services_factory: Any, tmp_path: Path, central: Any
) -> None:
    proxy = FaultProxy(central.port)
    try:
        station = Workstation(services_factory, tmp_path / "ws", proxy.url)
        station.enroll(central.engine())
        station.take(1)
        sync = station.service(timeout=(1.0, 1.5))
        proxy.mode = "refuse"
        with pytest.raises(SyncTransientError) as raised:
            sync.sync_once()
        with station.services.db.read() as session:
            row = session.get(SyncMeta, "last_error")
            assert row is not None
            stored = json.loads(row.value)
        assert (stored["context"], stored["text"]) == (raised.value.message.context, raised.value.message.text)
        status = sync.status()
        assert status.last_error == raised.value.message.render()  # the command line's Chinese
        assert status.last_error_message is not None
        english = {(raised.value.message.context, raised.value.message.text): "The server did not answer."}
        assert status.last_error_message.render(lambda c, t: english.get((c, t), t)) == "The server did not answer."
        # The waiting event says the same, in the same way.
        (row,) = sync.queue()
        assert row.last_error == raised.value.message.render()
        assert row.last_error_message is not None
        assert row.last_error_message.render(lambda c, t: english.get((c, t), t)) == "The server did not answer."
        with station.services.db.read() as session:
            (entry,) = session.scalars(select(OutboxEntry)).all()
            assert json.loads(entry.last_error or "")["text"] == raised.value.message.text
    finally:
        proxy.close()


def test_nested_messages_and_bilingual_arguments_survive_and_old_plain_text_reads_back_as_it_was() -> None:
    class Label:
        zh, en = "申请人", "Applicant"

    inner = msg("idnumber", "校验码应为“{digit}”。").bind(digit="4")
    outer = msg("sync", "{who}：{problem}").bind(who=Label(), problem=inner)
    back = load_message(dump_message(outer))
    assert back.render() == outer.render() == "申请人：校验码应为“4”。"
    table = {
        ("sync", "{who}：{problem}"): "{who}: {problem}",
        ("idnumber", "校验码应为“{digit}”。"): "check digit {digit}",
    }
    assert back.render(lambda c, t: table.get((c, t), t)) == "申请人: check digit 4"
    old = "服务器无法连接 {或} 超时"  # an earlier version's rendered text, braces and all
    assert load_message(old).render() == old
    assert isinstance(load_message("not json {"), Message)
