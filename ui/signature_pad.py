"""The signature pad (issue 17), shared by the 受理 form and the record view: the citizen signs with a pen, a finger
or the mouse, on the screen or on a USB signature pad that acts as a tablet; the clerk works it by keyboard.

:class:`SignaturePad` records vector strokes, each point with its time (milliseconds since the signature's first
point) and pressure (a tablet's; 0.5 for a mouse or a finger without one), and draws the PNG that prints: cropped
to the ink, on a transparent or a white background.  A tablet's and a touch screen's events are taken as they come
(accepted, so Qt synthesizes no mouse events from them); the mouse serves as well.

:class:`SignatureDialog` asks each signer in turn: Enter confirms, Delete clears, Ctrl+Z takes the last stroke back,
Esc leaves this signer to the pen on paper (a counter without a pad, or a citizen who prefers the pen: the documents
then print the blank line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QElapsedTimer, QEvent, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QShortcut,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.errors import ValidationError
from app.intake import labels
from app.signatures import SignatureCapture, Signer, check_capture
from ui.i18n import render

#: x, y (pad pixels), t (ms since the signature's first point), pressure (0-1)
Point = tuple[float, float, int, float]
#: Pressure recorded for a device that reports none (a mouse; a finger on most touch screens).
NO_PRESSURE = 0.5
#: The pen's width in pad pixels at full pressure; the PNG is drawn at twice the pad's resolution.
PEN_WIDTH = 3.2
PNG_SCALE = 2
MARGIN = 6


class SignaturePad(QWidget):
    """The surface the citizen signs on: strokes in, a cropped PNG out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signature_pad")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setMinimumSize(480, 180)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the clerk's keys go to the dialog's buttons
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._strokes: list[list[Point]] = []
        self._drawing = False
        self._clock = QElapsedTimer()

    # ------------------------------------------------------------------ what was signed

    def strokes(self) -> tuple[tuple[Point, ...], ...]:
        return tuple(tuple(stroke) for stroke in self._strokes if stroke)

    def is_empty(self) -> bool:
        return not any(self._strokes)

    def clear(self) -> None:
        self._strokes.clear()
        self._drawing = False
        self.update()

    def undo(self) -> None:
        """Take the last stroke back."""
        if self._strokes:
            self._strokes.pop()
            self._drawing = False
            self.update()

    def png(self, *, white: bool = False) -> bytes:
        """The strokes drawn black, cropped to the ink with a small margin, at twice the pad's resolution, on a
        transparent background (``white``: on white).  Empty bytes when nothing was signed."""
        strokes = self.strokes()
        if not strokes:
            return b""
        xs = [p[0] for s in strokes for p in s]
        ys = [p[1] for s in strokes for p in s]
        left, top = min(xs) - MARGIN, min(ys) - MARGIN
        width, height = max(xs) + MARGIN - left, max(ys) + MARGIN - top
        image = QImage(max(1, round(width * PNG_SCALE)), max(1, round(height * PNG_SCALE)), QImage.Format.Format_ARGB32)
        image.fill(QColor("white") if white else Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.scale(PNG_SCALE, PNG_SCALE)
        painter.translate(-left, -top)
        self._draw(painter, strokes)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs miss the QIODevice overload
        buffer.close()
        return bytes(data.data())

    # ------------------------------------------------------------------ input

    def _begin(self, pos: QPointF, pressure: float) -> None:
        if not self._clock.isValid() or self.is_empty():
            self._clock.start()
        self._drawing = True
        self._strokes.append([])
        self._add(pos, pressure)

    def _add(self, pos: QPointF, pressure: float) -> None:
        if not self._drawing:
            return
        x = min(max(pos.x(), 0.0), float(self.width()))
        y = min(max(pos.y(), 0.0), float(self.height()))
        point = (round(x, 1), round(y, 1), int(self._clock.elapsed()), round(min(max(pressure, 0.0), 1.0), 3))
        stroke = self._strokes[-1]
        if not stroke or stroke[-1][:2] != point[:2]:
            stroke.append(point)
            self.update()

    def _end(self, pos: QPointF, pressure: float) -> None:
        self._add(pos, pressure)
        self._drawing = False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), NO_PRESSURE)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._add(event.position(), NO_PRESSURE)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._end(event.position(), NO_PRESSURE)
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen on the screen or a USB signature pad (a tablet to the system), with its pressure."""
        kind = event.type()
        pressure = float(event.pressure())
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position(), pressure)
        elif kind == QEvent.Type.TabletMove:
            self._add(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._end(event.position(), pressure)
        event.accept()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        touch = (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel)
        if kind in touch:
            assert isinstance(event, QTouchEvent)
            points = event.points()
            if points:
                first = points[0]  # one finger signs; a second one is ignored
                pressure = float(first.pressure()) or NO_PRESSURE
                if kind == QEvent.Type.TouchBegin:
                    self._begin(first.position(), pressure)
                elif kind == QEvent.Type.TouchUpdate:
                    self._add(first.position(), pressure)
                else:
                    self._end(first.position(), pressure)
            event.accept()
            return True
        return super().event(event)

    # ------------------------------------------------------------------ drawing

    @staticmethod
    def _draw(painter: QPainter, strokes: tuple[tuple[Point, ...], ...]) -> None:
        for stroke in strokes:
            if len(stroke) == 1:
                x, y, _t, p = stroke[0]
                radius = PEN_WIDTH * (0.5 + p) / 2
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor("black"))
                painter.drawEllipse(QPointF(x, y), radius, radius)
                continue
            for (x0, y0, _t0, p0), (x1, y1, _t1, p1) in zip(stroke, stroke[1:], strict=False):
                pen = QPen(QColor("black"), PEN_WIDTH * (0.5 + (p0 + p1) / 2))
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                path = QPainterPath(QPointF(x0, y0))
                path.lineTo(QPointF(x1, y1))
                painter.drawPath(path)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), QColor("white"))
        # The line to sign on, as on paper.
        painter.setPen(QPen(QColor(160, 160, 160), 1, Qt.PenStyle.DashLine))
        baseline = self.height() * 0.75
        painter.drawLine(QPointF(24, baseline), QPointF(self.width() - 24, baseline))
        painter.setPen(QPen(QColor(120, 120, 120), 1))
        painter.drawRect(QRectF(0.5, 0.5, self.width() - 1, self.height() - 1))
        self._draw(painter, self.strokes())
        painter.end()


class SignatureDialog(QDialog):
    """Each signer in turn on the pad; :attr:`captures` holds what was confirmed (a skipped signer has none)."""

    def __init__(
        self,
        signers: list[Signer],
        parent: QWidget | None = None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signature_dialog")
        self.setWindowTitle(self.tr("请签名"))
        self.signers = signers
        self.clock = clock
        self.captures: list[SignatureCapture] = []
        self._index = 0
        self.who = QLabel(self)
        self.who.setObjectName("signature_who")
        self.who.setStyleSheet("font-size: 16pt;")
        self.hint = QLabel(
            self.tr("请在框内签名。确认签名按 Enter，清除按 Delete，撤销一笔按 Ctrl+Z，改用纸质签名按 Esc。"), self
        )
        self.hint.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("signature_message")
        self.message.setStyleSheet("color: #b00020;")
        self.pad = SignaturePad(self)
        self.clear_button = QPushButton(self.tr("清除(&C)"), self)
        self.clear_button.setObjectName("signature_clear")
        self.undo_button = QPushButton(self.tr("撤销一笔(&U)"), self)
        self.undo_button.setObjectName("signature_undo")
        self.skip_button = QPushButton(self.tr("纸质签名(&P)"), self)
        self.skip_button.setObjectName("signature_skip")
        self.confirm_button = QPushButton(self.tr("确认签名(&Q)"), self)
        self.confirm_button.setObjectName("signature_confirm")
        self.confirm_button.setDefault(True)
        self.confirm_button.setAutoDefault(True)
        self.clear_button.clicked.connect(self.clear)
        self.undo_button.clicked.connect(self.pad.undo)
        self.skip_button.clicked.connect(self.skip)
        self.confirm_button.clicked.connect(self.confirm)
        clear_key = QShortcut(QKeySequence(Qt.Key.Key_Delete), self)
        clear_key.activated.connect(self.clear)
        undo_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo_key.activated.connect(self.pad.undo)
        buttons = QHBoxLayout()
        for button in (self.clear_button, self.undo_button, self.skip_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.who)
        layout.addWidget(self.pad, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(720, 380)
        self._show_signer()

    def current(self) -> Signer:
        return self.signers[self._index]

    def _show_signer(self) -> None:
        signer = self.current()
        role = render(labels.ROLE_LABELS[signer.signer])
        step = f"（{self._index + 1}/{len(self.signers)}）" if len(self.signers) > 1 else ""
        self.who.setText(self.tr("{role}{name}请签名{step}").format(role=role, name=signer.name, step=step))
        self.pad.clear()
        self.message.clear()
        self.confirm_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear(self) -> None:
        self.pad.clear()
        self.message.clear()

    def confirm(self) -> None:
        if self.pad.is_empty():
            self.message.setText(self.tr("签名框内还没有笔迹：请签名后再确认，或按 Esc 改用纸质签名。"))
            return
        signer, pad = self.current(), self.pad
        capture = SignatureCapture(signer.signer, signer.party_position, pad.strokes(), pad.png(), self.clock())
        try:
            check_capture(capture)  # what the store and the wire would refuse is said here, on the pad
        except ValidationError as exc:
            self.message.setText(render(exc.message))
            return
        self.captures.append(capture)
        self._next()

    def skip(self) -> None:
        """This signer signs the paper with a pen."""
        self._next()

    def reject(self) -> None:  # Esc: the pen on paper for this signer
        self.skip()

    def _next(self) -> None:
        self._index += 1
        if self._index >= len(self.signers):
            self.accept()
        else:
            self._show_signer()
