"""The document camera (高拍仪) on a checklist line, through the real counter window offscreen (ui/intake/camera.py).

The pictures come from Qt Multimedia's own ``QVideoFrameInput`` feeding the dialog's real capture session and video
sink, as a camera's frames would: the live picture, Space/Enter capturing, the store's checks and the thumbnail are
the real path.  This machine has no camera, so 拍照… without a frame source meets the real "none found" case.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from app.attachments import AttachmentStore
from tests.conftest import write_deployment
from tests.ui.test_material_files import OWED_CATALOG, accept_with_all_present, start_case
from tests.ui.ui_testkit import Keyboard, wait_attached
from ui.intake.camera import AUTO, CameraDialog, choose_camera, jpeg, offered
from ui.multimedia import MODULE, installed, multimedia


@pytest.fixture
def services(services_factory: Any, tmp_path: Path, request: Any) -> Any:
    """The counter's services; ``indirect`` parameter: the deployment's ``[materials] camera`` (default: auto)."""
    config = None
    camera = getattr(request, "param", None)
    if camera is not None:
        (tmp_path / "deployment").mkdir()
        config = write_deployment(tmp_path / "deployment")
        text = config.read_text(encoding="utf-8") + f'\n[materials]\ncamera = "{camera}"\n'
        config.write_text(text, encoding="utf-8")
    return services_factory(config=config, catalog_dir=OWED_CATALOG)


def page(width: int, height: int, left: str) -> QImage:
    """A document under the camera: its left half ``left``, its right half white."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.fillRect(0, 0, width // 2, height, QColor(left))
    painter.end()
    return image


class Feed:
    """A camera's stream: the current page sent as a frame every 40 ms (25 per second)."""

    def __init__(self, image: QImage) -> None:
        media = multimedia()
        self.input = media.QVideoFrameInput()
        self.image = image
        self.frame_type = media.QVideoFrame
        self.sent = 0
        self.timer = QTimer()
        self.timer.setInterval(40)
        self.timer.timeout.connect(self.send)
        self.timer.start()

    def send(self) -> None:
        if self.input.sendVideoFrame(self.frame_type(self.image)):
            self.sent += 1

    def stop(self) -> None:
        self.timer.stop()


def colour_at(strip: Any, n: int, x_fraction: float) -> QColor:
    picture = strip.thumbs[n].icon().pixmap(44, 44).toImage()
    return picture.pixelColor(int((picture.width() - 1) * x_fraction), picture.height() // 2)


def test_space_and_enter_take_what_the_camera_shows_onto_the_line_and_the_case(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any
) -> None:
    rows = start_case(qtbot, keyboard, window)
    strip = rows["household_register"].files
    assert strip.camera_button is not None and strip.camera_button.objectName().endswith(".files.camera")
    assert strip.camera_button.isVisible()
    feed = Feed(page(1600, 1200, "#1414a0"))  # a blue left half
    try:
        dialog = strip.open_camera(frame_input=feed.input)
        assert isinstance(dialog, CameraDialog) and dialog.camera is None
        # The live picture comes, and the capture button with it (before the first frame there is nothing to take).
        qtbot.waitUntil(lambda: dialog.capture_button.isEnabled() and dialog.picture.pixmap() is not None)
        qtbot.waitUntil(lambda: not dialog.picture.pixmap().isNull())
        shown = dialog.picture.pixmap().toImage()
        assert shown.pixelColor(shown.width() // 4, shown.height() // 2).blue() > 120
        assert keyboard.focus_name() == "camera.capture"

        keyboard.press(Qt.Key.Key_Space)
        wait_attached(qtbot, strip)
        assert len(strip.files) == 1 and dialog.taken == 1
        assert "已拍 1 张" in dialog.message.text()
        first = strip.files[0]
        assert first.media_type == "image/jpeg"
        assert colour_at(strip, 0, 0.1).blue() > 120 and colour_at(strip, 0, 0.9).red() > 200

        # The next page (a red one) under the camera: Enter takes it as a second file.
        feed.image = page(1600, 1200, "#b41414")
        qtbot.waitUntil(lambda: dialog._latest is not None and dialog._latest.toImage().pixelColor(10, 600).red() > 150)
        keyboard.press(Qt.Key.Key_Return)
        wait_attached(qtbot, strip)
        assert len(strip.files) == 2 and "已拍 2 张" in dialog.message.text()
        assert colour_at(strip, 1, 0.1).red() > 150

        with qtbot.waitSignal(dialog.finished, timeout=5_000):
            keyboard.press(Qt.Key.Key_Escape)
    finally:
        feed.stop()
    # The keyboard is back in the counter window, on the last picture taken.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert keyboard.focus_name() == "material.household_register.files.1"

    result = accept_with_all_present(qtbot, keyboard, window, rows)
    stored = AttachmentStore(services.db).for_case(result.application_id)
    assert [(r.material_key, r.media_type) for r in stored] == [
        ("household_register", "image/jpeg"),
        ("household_register", "image/jpeg"),
    ]
    assert {r.sha256 for r in stored} == set(strip.sha256s)


def test_without_a_camera_the_dialog_says_what_to_do_and_nothing_is_taken(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any
) -> None:
    rows = start_case(qtbot, keyboard, window)
    strip = rows["photos"].files
    assert multimedia().QMediaDevices.videoInputs() == []  # this machine has no camera: the real case
    qtbot.mouseClick(strip.camera_button, Qt.MouseButton.LeftButton)
    dialogs = [w for w in window.findChildren(CameraDialog) if w.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert "未找到高拍仪" in dialog.message.text() and "附加…" in dialog.message.text()
    assert not dialog.capture_button.isEnabled()
    assert dialog.capture() is False and strip.files == []
    qtbot.waitUntil(lambda: keyboard.focus_name() == "camera.close")  # Enter or Esc closes
    with qtbot.waitSignal(dialog.finished, timeout=5_000):
        keyboard.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


@pytest.mark.parametrize("services", ["off"], indirect=True)
def test_a_counter_whose_deployment_says_no_camera_shows_no_camera_button(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any
) -> None:
    rows = start_case(qtbot, keyboard, window)
    assert all(row.files is not None and row.files.camera_button is None for row in rows.values())
    assert rows["photos"].files.add_button.isVisible()


class Device:
    """What choose_camera reads of a QCameraDevice (id, description, isNull): QCameraDevice has no public
    constructor for a device that is not plugged in."""

    def __init__(self, ident: bytes, description: str) -> None:
        self._id, self._description = ident, description

    def id(self) -> bytes:
        return self._id

    def description(self) -> str:
        return self._description

    def isNull(self) -> bool:  # noqa: N802 (Qt's name)
        return False


def test_the_camera_is_chosen_by_the_deployment_setting() -> None:
    laptop, doc = Device(b"video0", "Integrated Webcam"), Device(b"video2", "良田高拍仪 S500L")
    assert choose_camera(AUTO, []) is None
    assert choose_camera(AUTO, [laptop, doc]) is laptop
    assert choose_camera(AUTO, [laptop, doc], default=doc) is doc
    assert choose_camera("高拍仪", [laptop, doc]) is doc
    assert choose_camera("s500", [laptop, doc]) is doc  # case-insensitive
    assert choose_camera("Eloam", [laptop, doc]) is None


def test_a_picture_is_encoded_as_jpeg_the_store_accepts() -> None:
    data = jpeg(page(640, 480, "#1414a0"))
    assert data.startswith(b"\xff\xd8\xff")
    assert jpeg(QImage()) == b""


@pytest.mark.allow_warning_logs
def test_without_qt_multimedia_no_line_offers_the_camera_and_an_open_one_says_what_is_missing(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = start_case(qtbot, keyboard, window)
    strip = rows["photos"].files
    assert offered(AUTO) and not offered("off")
    # A module that cannot be imported (a counter installed without the camera's component, or a system lacking a
    # library it links): None in sys.modules makes the import fail for real.
    monkeypatch.setitem(sys.modules, MODULE, None)
    installed.cache_clear()
    try:
        assert not offered(AUTO)
        dialog = strip.open_camera()
        assert "本机缺少高拍仪所需的系统组件" in dialog.message.text() and not dialog.capture_button.isEnabled()
        assert dialog.camera is None and strip.files == []
        dialog.reject()
    finally:
        monkeypatch.undo()
        installed.cache_clear()
    assert offered(AUTO)
