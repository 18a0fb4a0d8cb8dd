"""The document camera (高拍仪) on a checklist line: a live picture, and a key press attaches what it shows.

A 高拍仪 presents itself to the system as a camera (UVC on Linux, a Media Foundation device on Windows), so Qt
Multimedia reads it: a ``QCamera`` feeds a ``QMediaCaptureSession`` whose ``QVideoSink`` receives the frames.  The
dialog keeps the latest frame, draws it about ten times a second scaled to the window (the frames themselves may be
5 megapixels at 15–30 per second), and **Space or Enter** takes the latest frame whole: a JPEG handed to the line's
:class:`~ui.intake.attachments.AttachmentStrip`, which checks, downscales and stores it like a scanned file.  The
clerk can take several pictures in a row (the pages of a 户口簿); **Esc** closes and stops the camera.

Qt Multimedia (ui/multimedia.py) is imported only when the dialog opens: a counter without a camera never loads
it (it and its FFmpeg libraries cost memory and start-up time), and a system lacking a library it needs
(PulseAudio's client on Linux) says so in Chinese instead of failing the window.  ``[materials] camera``
(app/config.py) chooses: ``auto`` the system's default camera, ``off`` no 拍照 button at all, any other text the
camera whose name contains it.

Tests feed the same session from a ``QVideoFrameInput`` (``frame_input``), Qt's own source of frames, instead of a
device: the picture, the capture and the attach are then the real path (tests/ui/test_camera.py).

objectNames: ``camera`` (the dialog), ``camera.picture``, ``camera.capture``, ``camera.message``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QSizePolicy, QVBoxLayout

from ui.multimedia import installed, multimedia

if TYPE_CHECKING:
    from ui.intake.attachments import Attached, AttachmentStrip

log = logging.getLogger("yimen.ui.camera")

#: ``[materials] camera`` values with a meaning of their own.
AUTO, OFF = "auto", "off"
#: How often the live picture is drawn again (ms): enough for framing a page, light on the CPU.
REFRESH_MS = 100
#: The JPEG quality of a captured picture (the store downscales and may encode it again: app/attachments.py).
JPEG_QUALITY = 92


def offered(setting: str) -> bool:
    """Whether a checklist line offers 拍照… (``[materials] camera`` not ``off``, and Qt Multimedia installed)."""
    return setting != OFF and installed()


def choose_camera(setting: str, devices: list[Any], default: Any = None) -> Any:
    """The camera ``setting`` names among ``devices`` (``QCameraDevice``): ``auto`` the default one (else the first),
    any other text the first whose description contains it (case-insensitive); None when none fits."""
    if not devices:
        return None
    if setting == AUTO:
        if default is not None and not default.isNull() and any(d.id() == default.id() for d in devices):
            return default
        return devices[0]
    wanted = setting.casefold()
    return next((d for d in devices if wanted in d.description().casefold()), None)


def jpeg(image: QImage, quality: int = JPEG_QUALITY) -> bytes:
    """``image`` as JPEG bytes (empty when Qt cannot encode it)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = image.convertToFormat(QImage.Format.Format_RGB888).save(buffer, "JPEG", quality)  # type: ignore[call-overload]  # stubs miss QIODevice
    buffer.close()
    return bytes(data.data()) if ok else b""


class CameraDialog(QDialog):
    """The document camera's live picture for one checklist line.

    Attributes:
        taken: how many pictures went to the line while the dialog was open.
        camera: the ``QCamera`` in use (None: none found, or pictures come from ``frame_input``).
    """

    def __init__(self, strip: AttachmentStrip, setting: str, *, frame_input: Any = None) -> None:
        super().__init__(strip.window())
        self.setObjectName("camera")
        self.setWindowTitle(self.tr("高拍仪拍照"))
        self.strip = strip
        self.taken = 0
        self.camera: Any = None
        self._latest: Any = None  # the last QVideoFrame received
        self._drawn: Any = None  # the frame the picture shows
        layout = QVBoxLayout(self)
        self.picture = QLabel(self)
        self.picture.setObjectName("camera.picture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(480, 360)
        self.picture.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.picture.setStyleSheet("background: #202020; color: #f0f0f0;")
        self.picture.setText(self.tr("正在打开高拍仪……"))
        layout.addWidget(self.picture, 1)
        self.message = QLabel(self)
        self.message.setObjectName("camera.message")
        self.message.setWordWrap(True)
        self.message.setText(self.tr("把材料放在高拍仪下，按空格键或 Enter 拍照；可连续拍多张，按 Esc 关闭。"))
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.capture_button = QPushButton(self.tr("拍照（空格）"), self)
        self.capture_button.setObjectName("camera.capture")
        self.capture_button.setDefault(True)
        self.capture_button.setEnabled(False)
        self.capture_button.clicked.connect(self.capture)
        buttons.addButton(self.capture_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("camera.close")
        self.close_button.setText(self.tr("关闭（Esc）"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh = QTimer(self)
        self.refresh.setInterval(REFRESH_MS)
        self.refresh.timeout.connect(self._draw)
        self.finished.connect(self._stop)
        self.resize(800, 640)
        self._start(setting, frame_input)

    # ------------------------------------------------------------------ the source

    def _start(self, setting: str, frame_input: Any) -> None:
        try:
            media = multimedia()
        except (ImportError, OSError) as exc:
            # The module links PulseAudio's client on Linux; without it the import fails (tested by hand: docs).
            log.warning("Qt Multimedia unavailable: %s", type(exc).__name__)
            self._unavailable(
                self.tr(
                    "本机缺少高拍仪所需的系统组件（{detail}）：请 IT 安装后再试；也可以先扫描成文件，用“附加…”附加。"
                ).format(detail=str(exc)[:120])
            )
            return
        self.session = media.QMediaCaptureSession(self)
        self.sink = media.QVideoSink(self)
        self.session.setVideoSink(self.sink)
        self.sink.videoFrameChanged.connect(self._frame)
        if frame_input is not None:
            self.session.setVideoFrameInput(frame_input)
        else:
            devices = list(media.QMediaDevices.videoInputs())
            device = choose_camera(setting, devices, media.QMediaDevices.defaultVideoInput())
            if device is None:
                self._unavailable(self._not_found(setting, devices))
                return
            self.camera = media.QCamera(device, self)
            self.camera.errorOccurred.connect(self._camera_error)
            self.session.setCamera(self.camera)
            log.info("camera opened")
            self.camera.start()
        self.refresh.start()

    def _not_found(self, setting: str, devices: list[Any]) -> str:
        if setting == AUTO or not devices:
            return self.tr(
                "未找到高拍仪：请确认高拍仪的 USB 线已接好、指示灯已亮，关闭本窗口后再按“拍照…”；"
                "也可以先扫描成文件，用“附加…”附加。"
            )
        names = "、".join(d.description() for d in devices)
        return self.tr(
            "本机没有名称含“{name}”的摄像设备（现有：{names}）：请 IT 检查部署文件中的 [materials] camera。"
        ).format(name=setting, names=names)

    def _unavailable(self, text: str) -> None:
        self.picture.setText(self.tr("高拍仪不可用"))
        self.message.setText(text)
        self.message.setProperty("role", "error")
        self.capture_button.setEnabled(False)
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)  # Enter or Esc closes

    def _camera_error(self, _error: Any, detail: str) -> None:
        log.warning("camera error")
        self.refresh.stop()
        self._unavailable(
            self.tr(
                "高拍仪出错（{detail}）：请重新插拔高拍仪的 USB 线，关闭本窗口后再按“拍照…”；"
                "也可以先扫描成文件，用“附加…”附加。"
            ).format(detail=detail[:120])
        )

    def _frame(self, frame: Any) -> None:
        if frame.isValid():
            self._latest = frame
            if not self.capture_button.isEnabled():
                self.capture_button.setEnabled(True)
                self.capture_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _draw(self) -> None:
        frame = self._latest
        if frame is None or frame is self._drawn:
            return
        self._drawn = frame
        image = frame.toImage()
        if image.isNull():
            return
        size = self.picture.contentsRect().size()
        self.picture.setPixmap(
            QPixmap.fromImage(
                image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation)
            )
        )

    def _stop(self, _code: int = 0) -> None:
        self.refresh.stop()
        if self.camera is not None:
            self.camera.stop()
            log.info("camera closed")
        self._latest = self._drawn = None

    # ------------------------------------------------------------------ taking a picture

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self.capture()
            return
        super().keyPressEvent(event)

    def capture(self) -> bool:
        """Send what the camera shows now to the line; False when there was nothing to send (the message says
        why).  The message says how it went once the store kept it (:meth:`_kept`)."""
        frame = self._latest
        if frame is None:
            self.message.setText(self.tr("高拍仪的画面还没有出现：请稍候再拍。"))
            return False
        data = jpeg(frame.toImage())
        if not data:
            self.message.setText(self.tr("这一张没有拍成：请再按一次空格键。"))
            return False
        self.strip.attach_data(data, self.tr("高拍仪照片"), self._kept)
        return True

    def _kept(self, outcome: Attached) -> None:
        if not shiboken6.isValid(self) or not self.isVisible():
            return  # closed meanwhile: the picture is on the line, the line says any problem
        problem = outcome.problem
        if problem is not None:
            self.message.setProperty("role", "error")
            self.message.setText(problem)  # also said at the line, which the dialog covers
            return
        if not outcome.added:
            self.message.setText(self.tr("画面与上一张相同，未重复附加。"))
            return
        self.taken += 1
        self.message.setProperty("role", "")
        self.message.setText(self.tr("已拍 {n} 张，附加到本条材料；可继续拍下一张，按 Esc 关闭。").format(n=self.taken))
