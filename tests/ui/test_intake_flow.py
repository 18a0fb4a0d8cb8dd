"""A clerk's day at the counter, by keyboard alone: log in, take a 低保 household application, and find it stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from app.security.permissions import MACHINE
from tests.storekit import connect_store
from tests.ui.ui_testkit import Keyboard, MessageRecorder, choose_item, decide_and_skip_printing, log_in, valid_id

APPLICANT_ID = valid_id("31010419850615002")  # 徐汇区, 1985-06-15, F
MEMBER_ID = valid_id("31010119600307003")  # 黄浦区, 1960-03-07, M
APPLICANT = "阿依古丽·买买提"
MEMBER = "张𠮷"


def tick_all_materials(qtbot: Any, keyboard: Keyboard, window: Any, count: int) -> None:
    """Tab into the checklist and mark every required line 已收到 (Space)."""
    panel = window.pages["intake"].materials
    qtbot.waitUntil(lambda: len(panel.rows) == count)
    first = panel.rows[0].status.objectName()
    keyboard.tab_to(first)
    for row in panel.rows:
        assert keyboard.focus_name() == row.status.objectName()
        if row.line.required:
            keyboard.press(Qt.Key.Key_Space)
        keyboard.tab()


def test_dibao_household_by_keyboard_is_stored_with_audit_and_outbox(
    qtbot: Any,
    keyboard: Keyboard,
    services: Any,
    runner: Any,
    clerk: Any,
    make_window: Any,
    show: Any,
    messages: MessageRecorder,
) -> None:
    user = log_in(qtbot, keyboard, show, services, runner, "wangli", "counter-pass-1")
    assert user.username == "wangli"
    window = make_window(user)
    intake = window.pages["intake"]

    assert keyboard.focus_name() == "queue_ticket"
    keyboard.type("A023")
    keyboard.enter()
    assert intake.called_at is not None
    choose_item(keyboard, "低保")
    assert intake.item is not None and intake.item.code == "MZ-SHJZ-001"
    assert keyboard.focus_name() == "applicant.name"
    keyboard.type(APPLICANT)
    keyboard.enter()
    keyboard.type(APPLICANT_ID)
    keyboard.enter()
    assert keyboard.focus_name() == "applicant.phone"
    keyboard.type("13800138000")
    keyboard.enter()
    assert keyboard.focus_name() == "applicant.hukou_shanghai"
    keyboard.type("1")  # 是
    keyboard.enter()
    keyboard.type("上海市徐汇区示范路 1 号")
    keyboard.enter()
    keyboard.type("2")  # 未婚 (the second choice, after 已婚)
    keyboard.enter()
    keyboard.type("800")
    keyboard.enter()
    assert keyboard.focus_name() == "applicant.signer"
    keyboard.enter()  # 代签监护人: left empty (an adult signs herself)

    assert keyboard.focus_name() == "household_member.add"
    keyboard.enter()  # adds a row and puts the cursor in it
    assert keyboard.focus_name() == "household_member.0.name"
    keyboard.type(MEMBER)
    keyboard.tab()
    keyboard.type(MEMBER_ID)
    keyboard.tab()
    assert keyboard.focus_name() == "household_member.0.relation"
    keyboard.type("2")  # 父母
    keyboard.tab(2)  # past 在读
    keyboard.type("1200")
    keyboard.tab()
    keyboard.type("1")  # 户籍在本市: 是

    keyboard.field("hukou_at_this_center", "1")  # 户籍在本中心辖区: 是
    keyboard.field("reason", "失业，无收入来源")
    keyboard.field("assets_summary", "无存款，无房产，无车辆")
    # applicant id, 户口簿, 残疾人证 (optional), income, assets, authorisation × 2 people
    tick_all_materials(qtbot, keyboard, window, count=7)

    result = decide_and_skip_printing(qtbot, keyboard, window, Qt.Key.Key_1)
    assert result.decision.value == "accept"
    assert result.acceptance_no in intake.result.text()
    assert f"已受理：{APPLICANT}" in intake.result.text()
    assert any(result.acceptance_no in t for t in messages.texts("info"))
    # The form is empty for the next applicant, and the cursor is back at the ticket.
    assert intake.item is None
    assert intake.applicant.identity.name_edit.text() == ""
    assert keyboard.focus_name() == "queue_ticket"

    # Stored: the core reads it back ...
    found = services.intake.search(APPLICANT, by=MACHINE)
    assert [s.acceptance_no for s in found] == [result.acceptance_no]
    stored = services.intake.load(result.acceptance_no)
    assert [p.name for p in stored.parties] == [APPLICANT, MEMBER]
    assert stored.queue_ticket == "A023"
    assert stored.values["reason"] == "失业，无收入来源"
    assert stored.parties[0].values["monthly_income"] == 80_000  # fen
    assert stored.parties[1].values["relation"] == "parent"
    assert {m.key for m in stored.received_materials} >= {"applicant_id_card", "check_authorisation_member"}

    # ... and the file holds the application, its audit event and its outbox entry together.
    with connect_store(services.db.path) as con:
        app_id, number, called = con.execute(
            "select id, acceptance_no, called_at from applications where acceptance_no = ?", (result.acceptance_no,)
        ).fetchone()
        assert called is not None
        assert app_id == result.application_id.bytes  # ids are stored as their 16 bytes (db.types.UUIDBytes)
        ids = {str(result.application_id), result.application_id.hex}  # the audit names it as text
        audits = con.execute(
            "select action, details from audit_events where entity_type = 'application' and entity_id in (?, ?)",
            tuple(ids),
        ).fetchall()
        # The decision, then its two documents (受理回执 and 申请表), each stored in a transaction of its own.
        assert [a for a, _ in audits] == ["application.accept", "document.issued", "document.issued"]
        assert number in audits[0][1]
        outbox = con.execute(
            "select event_type from outbox where application_id = ? order by seq", (app_id,)
        ).fetchall()
        assert [o[0] for o in outbox] == ["application.taken", "document.issued", "document.issued"]
