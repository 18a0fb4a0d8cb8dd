"""The signature pad at the counter (issue 17), on the real counter window offscreen: a signature drawn with
synthetic mouse events before 受理 prints on the receipt's 签收 line (before 补正, on the notice's; poppler: ink in
the box) and reaches a real central server byte for byte; the pad clears and takes a stroke back by keyboard; Esc
leaves the pen on paper and never blocks the decision; a pen or USB pad's tablet events are drawn with their
pressure."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from app.sync import protocol
from tests.app.documents.test_signature_print import ink_above
from tests.conftest import write_deployment
from tests.serverkit import enrollment_code
from tests.ui.ui_testkit import Keyboard, applicant, choose_item, valid_id, wait_materials
from ui.signature_pad import SignatureDialog, SignaturePad

OWED_CATALOG = Path(__file__).parent.parent / "app" / "data" / "catalog-owed"
APPLICANT_ID = valid_id("31010419850615002")
CENTER = "310104003"

pytestmark = pytest.mark.slow


@pytest.fixture
def services(services_factory: Any, tmp_path: Path, central: Any) -> Any:
    folder = tmp_path / "ws003"
    folder.mkdir()
    config = write_deployment(folder, mode="demo", center=CENTER, server_url=central.url)
    config.write_text(config.read_text(encoding="utf-8") + '\n[signatures]\npad = "on"\n', encoding="utf-8")
    return services_factory(config=config, data_dir=folder / "data", catalog_dir=OWED_CATALOG)


def start_case(qtbot: Any, keyboard: Keyboard, window: Any, missing: str = "") -> None:
    """The test item (its catalog names no signers: the applicant signs, the default), every required line ticked
    received but ``missing`` (typed 缺少)."""
    choose_item(keyboard, "测试事项")
    applicant(keyboard, "张三", APPLICANT_ID)
    keyboard.tab_to("urgency")
    keyboard.type("2")  # 一般
    rows = {row.line.key: row for row in wait_materials(qtbot, window, 5)}
    for key in ("applicant_id_card", "household_register", "photos", "income_proof"):
        keyboard.tab_to(rows[key].status.objectName())
        keyboard.type("2" if key == missing else "1")


def draw(qtbot: Any, pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    """One stroke with the mouse: press, move through ``points``, release."""
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(pad, QPoint(x, y))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


ZHANG = [(40, 120), (80, 60), (120, 130), (160, 50), (200, 125)]
SAN = [(240, 60), (300, 60), (260, 100), (330, 110), (250, 150), (360, 150)]


def open_pad(qtbot: Any, keyboard: Keyboard, window: Any, key: Qt.Key = Qt.Key.Key_1) -> SignatureDialog:
    keyboard.press(key, Qt.KeyboardModifier.ControlModifier)  # Ctrl+1 受理, Ctrl+2 补正
    step = window.pages["intake"].signature_step
    qtbot.waitUntil(lambda: step.dialog is not None and step.dialog.isVisible())
    dialog: SignatureDialog = step.dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.confirm_button)
    return dialog


def finish(qtbot: Any, keyboard: Keyboard, window: Any, key: Qt.Key) -> Any:
    """Press ``key`` in the pad's dialog, wait for the decision and its preview, skip printing; the result."""
    results: list[Any] = []
    previews: list[Any] = []
    window.context.events.changed.connect(results.append)
    window.desk.preview_opened.connect(previews.append)
    try:
        keyboard.press(key)
        qtbot.waitUntil(lambda: bool(results) and bool(previews), timeout=20_000)
    finally:
        window.context.events.changed.disconnect(results.append)
        window.desk.preview_opened.disconnect(previews.append)
    qtbot.waitUntil(lambda: keyboard.focus_name() == "preview_print")
    with qtbot.waitSignal(previews[0].finished, timeout=10_000):
        keyboard.press(Qt.Key.Key_Escape)
    return results[0]


def test_a_signature_drawn_with_the_mouse_prints_on_the_receipt_and_reaches_the_server_byte_for_byte(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any, central: Any
) -> None:
    start_case(qtbot, keyboard, window)
    dialog = open_pad(qtbot, keyboard, window)
    assert "申请人张三请签名" in dialog.who.text()
    # Enter on an empty pad says what to do and keeps the pad open.
    keyboard.press(Qt.Key.Key_Return)
    assert "还没有笔迹" in dialog.message.text() and dialog.isVisible()
    # A scrawl, cleared with Delete; the signature; a stray stroke taken back with Ctrl+Z.
    draw(qtbot, dialog.pad, [(20, 20), (400, 160)])
    keyboard.press(Qt.Key.Key_Delete)
    assert dialog.pad.is_empty()
    draw(qtbot, dialog.pad, ZHANG)
    draw(qtbot, dialog.pad, SAN)
    draw(qtbot, dialog.pad, [(420, 30), (460, 170)])
    keyboard.press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    strokes = dialog.pad.strokes()
    assert [[(round(p[0]), round(p[1])) for p in s] for s in strokes] == [ZHANG, SAN]
    assert all(p[3] == 0.5 for s in strokes for p in s)  # a mouse has no pressure
    png = dialog.pad.png()
    with Image.open(io.BytesIO(png)) as image:
        # Cropped to the ink (x 40..360, y 50..150 in the pad, a margin around, at twice the resolution).
        assert image.mode == "RGBA" and abs(image.width - 2 * (320 + 12)) <= 4 and abs(image.height - 2 * 112) <= 4
        assert image.getpixel((0, 0))[3] == 0  # transparent where there is no ink

    result = finish(qtbot, keyboard, window, Qt.Key.Key_Return)
    [signed] = result.signatures
    assert signed.png == png and signed.signer == "applicant"
    receipt = services.documents.current(result.acceptance_no, "receipt").pdf
    assert receipt is not None and ink_above(receipt, "签收：") > 20

    services.sync.enroll(enrollment_code(central.engine(), CENTER, "003"), None)
    report = services.sync.sync_once()
    assert report.push.quarantined == 0
    with central.engine().connect() as conn:
        [payload] = conn.execute(text("SELECT payload FROM events WHERE event_type = 'signature.recorded'")).all()
    body = protocol.parse(bytes(payload[0])).body
    assert isinstance(body, protocol.SignatureRecorded)
    assert body.png == png and body.acceptance_no == result.acceptance_no
    assert [[(round(p[0]), round(p[1])) for p in s] for s in body.strokes] == [ZHANG, SAN]


def test_before_a_supplement_the_applicant_signs_the_notice_s_sign_off_line(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any
) -> None:
    """The 补正告知书 is signed for receipt (documents.md §2): the pad asks before Ctrl+2 as before 受理."""
    start_case(qtbot, keyboard, window, missing="income_proof")
    dialog = open_pad(qtbot, keyboard, window, Qt.Key.Key_2)
    assert "申请人张三请签名" in dialog.who.text()
    draw(qtbot, dialog.pad, ZHANG)
    png = dialog.pad.png()
    result = finish(qtbot, keyboard, window, Qt.Key.Key_Return)
    assert result.decision.value == "supplement"
    [signed] = result.signatures
    assert signed.png == png and signed.signer == "applicant"
    notice = services.documents.current(result.acceptance_no, "notice").pdf
    assert notice is not None and ink_above(notice, "签收：") > 20


def test_esc_leaves_the_pen_on_paper_and_the_decision_goes_on(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any
) -> None:
    start_case(qtbot, keyboard, window)
    open_pad(qtbot, keyboard, window)
    result = finish(qtbot, keyboard, window, Qt.Key.Key_Escape)
    assert result.decision.value == "accept" and result.signatures == ()
    receipt = services.documents.current(result.acceptance_no, "receipt").pdf
    assert receipt is not None and ink_above(receipt, "签收：") == 0


def test_a_pen_or_usb_pad_draws_through_tablet_events_with_its_pressure(qtbot: Any, show: Any) -> None:
    pad = SignaturePad()
    show(pad)
    stylus = QPointingDevice(
        "signature pad",
        7,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        2,
    )

    def tablet(kind: Any, x: float, y: float, pressure: float) -> QTabletEvent:
        buttons = Qt.MouseButton.NoButton if kind == QTabletEvent.Type.TabletRelease else Qt.MouseButton.LeftButton
        return QTabletEvent(
            kind,
            stylus,
            QPointF(x, y),
            pad.mapToGlobal(QPointF(x, y)),
            pressure,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseButton.LeftButton,
            buttons,
        )

    for event in (
        tablet(QTabletEvent.Type.TabletPress, 50, 100, 0.2),
        tablet(QTabletEvent.Type.TabletMove, 120, 60, 0.6),
        tablet(QTabletEvent.Type.TabletMove, 200, 110, 0.9),
        tablet(QTabletEvent.Type.TabletRelease, 260, 90, 0.0),
    ):
        QApplication.sendEvent(pad, event)
        assert event.isAccepted()  # taken: Qt makes no mouse events of it
    [stroke] = pad.strokes()
    assert [(p[0], p[1], p[3]) for p in stroke] == [(50, 100, 0.2), (120, 60, 0.6), (200, 110, 0.9), (260, 90, 0.0)]
    assert [p[2] for p in stroke] == sorted(p[2] for p in stroke)  # times since the first point, in order
    white = pad.png(white=True)
    with Image.open(io.BytesIO(white)) as image:
        assert image.convert("RGB").getpixel((0, 0)) == (255, 255, 255)
        assert min(image.convert("L").tobytes()) < 64  # black ink on white


TOUCHED = [(40, 60), (90, 100), (150, 70)]


def test_a_finger_on_a_touch_screen_draws_one_stroke(qtbot: Any, show: Any) -> None:
    pad = SignaturePad()
    show(pad)
    screen = QTest.createTouchDevice()
    QTest.touchEvent(pad, screen).press(0, QPoint(40, 60)).commit()
    QTest.touchEvent(pad, screen).move(0, QPoint(90, 100)).commit()
    QTest.touchEvent(pad, screen).move(0, QPoint(150, 70)).commit()
    QTest.touchEvent(pad, screen).release(0, QPoint(150, 70)).commit()
    [stroke] = pad.strokes()
    # The offscreen platform maps touch points through the window's frame: the shape, not the origin, is checked.
    assert len(stroke) == 3
    assert all(abs(p[0] - x) <= 3 and abs(p[1] - y) <= 3 for p, (x, y) in zip(stroke, TOUCHED, strict=True))
    moves = [(round(b[0] - a[0]), round(b[1] - a[1])) for a, b in zip(stroke, stroke[1:], strict=False)]
    assert moves == [(50, 40), (60, -30)]
    assert pad.png()  # drawn


def test_a_signature_beyond_what_an_event_may_carry_is_refused_on_the_pad(qtbot: Any, show: Any) -> None:
    from app import limits
    from app.signatures import Signer

    dialog = SignatureDialog([Signer("applicant", 0, "张三")])
    show(dialog)
    for n in range(limits.SIGNATURE_STROKES_MAX + 1):  # one dot per click: one stroke each
        x, y = 20 + (n * 7) % 440, 20 + (n * 7) // 440 * 9
        qtbot.mouseClick(dialog.pad, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    dialog.confirm()
    assert "签名笔迹过多" in dialog.message.text() and dialog.captures == [] and dialog.isVisible()
    dialog.clear()
    draw(qtbot, dialog.pad, ZHANG)
    dialog.confirm()
    assert len(dialog.captures) == 1 and not dialog.isVisible()
