"""The rating at the counter: after a decision or a 补正 return visit, the citizen rates the visit (docs/ratings.md).

:class:`RatingDesk` listens to the window's ``events.changed``: for each stored change it asks the core, on the
database worker, whether the visit awaits a rating (``services.ratings.awaiting``); when it does, the
:class:`~ui.rating.rater.Rater` opens —

* on the citizen's screen, frameless and full screen, when the workstation has a second screen and the deployment
  says ``[ratings] screen = "auto"`` (the screen that is not the counter window's);
* otherwise as a window the clerk turns towards the citizen.

Either way nothing is modal: the clerk goes on (the documents preview, the next applicant) while the citizen rates;
the status bar says 等待群众评价… (a click brings the rater to the front).  The choice is stored on the database
worker (``ratings.record``); a skip (跳过, the rater closed, ``IDLE_MS`` without a touch, the next visit awaiting
its rating, the window closing or its session ended) records 未评价 (``ratings.skip``).  One rater at a time: a
rating still open when the next visit awaits one is recorded 未评价 first — the citizen has left the counter.
"""

from __future__ import annotations

import functools
import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from shiboken6 import Shiboken

from app.domain import RatingOccasion
from app.errors import ValidationError, YimenError
from app.intake.model import DecisionResult
from app.ratings import RatingInput, RatingView
from ui.context import UiContext
from ui.i18n import ENGLISH, current_language, render
from ui.rating.rater import Prompt, Rater, level_label
from ui.screens import citizen_screen

log = logging.getLogger("yimen.ui.rating")

#: A rater nobody touches for this long records 未评价 (the citizen has gone).
IDLE_MS = 3 * 60_000
#: How long the thanks stay on screen after a rating is stored.
THANKS_MS = 2_500


def keyboard_window() -> QWidget | None:
    """The window the clerk's keyboard belongs to: the top modal dialog when one is open, else the active window.

    The documents preview is window-modal over the counter window and may open just before the rater, before the
    platform has made it the active window: the active window is then still the counter window, which the preview
    blocks (keys sent there go nowhere).  Handing the activation back to it would leave the clerk's Enter lost.
    """
    modal = QApplication.activeModalWidget()
    if modal is not None and modal.isVisible():
        return modal
    return QApplication.activeWindow()


class RatingDesk(QObject):
    """Opens the rater when a visit awaits its rating, and stores what the citizen chose.

    Attributes:
        rater: the rater on screen (None: none).
        waiting: the status bar's 等待群众评价… (shown while a rater awaits the citizen; a click raises it).

    Signals:
        opened(object): a rater was opened (the ``Rater``; tests drive it).
        recorded(object): a rating or a 未评价 was stored (the core's ``RatingView``).
        closed(): the rater was closed (rated, skipped).
    """

    opened = Signal(object)
    recorded = Signal(object)
    closed = Signal()

    def __init__(
        self, context: UiContext, window: QWidget, *, idle_ms: int = IDLE_MS, thanks_ms: int = THANKS_MS
    ) -> None:
        super().__init__(window)
        self.context = context
        self.services = context.services
        self.runner = context.runner
        self.bridge = context.bridge
        self.user = context.user
        self.window = window
        self.thanks_ms = thanks_ms
        self.rater: Rater | None = None
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(idle_ms)
        self.idle.timeout.connect(self._idle)
        self.waiting = QPushButton(self.tr("等待群众评价…"), window)
        self.waiting.setObjectName("rating_waiting")
        self.waiting.setToolTip(self.tr("群众正在评价本次服务；点击把评价窗口调到前面"))
        self.waiting.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.waiting.setFlat(True)
        self.waiting.clicked.connect(self.raise_rater)
        self.waiting.hide()
        context.events.changed.connect(self._changed)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenRemoved.connect(self._screen_removed)

    def widgets(self) -> list[QWidget]:
        """What the rating shows in the window's status bar."""
        return [self.waiting]

    # ------------------------------------------------------------------ a visit awaits its rating

    def _changed(self, result: DecisionResult) -> None:
        ratings, number = self.services.ratings, result.acceptance_no
        self.runner.run_db(
            lambda: ratings.awaiting(number),
            functools.partial(self._awaiting, result),
            self._failed,
            owner=self,
            name="ratings.awaiting",
        )

    def _awaiting(self, result: DecisionResult, occasion: RatingOccasion | None) -> None:
        if occasion is None:
            return
        current = self.rater
        if current is not None and not current.finished:
            if current.prompt.acceptance_no == result.acceptance_no:
                if current.prompt.occasion is occasion:
                    return  # the same visit changed again (materials brought in): its rater stays
                # The application's next visit was decided: the core awaits its rating now, no longer the earlier
                # one's (a skip would be refused), which stays without a rating.
                log.info("rater of an earlier visit closed without a rating")
                self._close(current)
            else:
                self._skip(current)  # the citizen before has left the counter without rating
        english = current_language() == ENGLISH and result.item_name_en
        prompt = Prompt(
            acceptance_no=result.acceptance_no,
            occasion=occasion,
            item_name=result.item_name_en if english else result.item_name,
            clerk_name=result.clerk_name,
            clerk_staff_no=result.clerk_staff_no,
        )
        self.open(prompt)

    def open(self, prompt: Prompt, *, gone: QScreen | None = None) -> Rater:
        """Open the rater for ``prompt`` on the citizen's screen, or as a window on the counter's (``gone``: a screen
        being unplugged, not to be used)."""
        self._discard()
        screen = citizen_screen(self.window.screen(), self.services.deployment.rating_screen, gone=gone)
        rater = Rater(prompt, full_screen=screen is not None)
        rater.submitted.connect(functools.partial(self._submitted, rater))
        rater.skipped.connect(functools.partial(self._skip, rater))
        rater.touched.connect(self._touched)
        self.rater = rater
        previous = keyboard_window()
        if screen is not None:
            rater.setScreen(screen)
            rater.setGeometry(screen.geometry())
            rater.showFullScreen()
        else:
            self._place_on_counter_screen(rater)
            rater.show()
        # The clerk keeps the keyboard (WA_ShowWithoutActivating; a platform that activates new windows anyway
        # gives it back here, to the window the clerk types in: see keyboard_window).
        if previous is not None and previous is not rater:
            previous.activateWindow()
        self.waiting.show()
        self.idle.start()
        log.info("rater opened (%s, %s)", prompt.occasion.value, "citizen screen" if screen else "window")
        self.opened.emit(rater)
        return rater

    def _place_on_counter_screen(self, rater: Rater) -> None:
        screen = self.window.screen()
        available = screen.availableGeometry()
        rater.resize(rater.window_size(available.size()))
        frame = rater.frameGeometry()
        frame.moveCenter(available.center())
        rater.move(max(available.left(), frame.left()), max(available.top(), frame.top()))

    def _screen_removed(self, screen: QScreen) -> None:
        # The citizen's screen was unplugged while the citizen was rating: Qt would move the frameless full-screen
        # rater over the counter window.  It opens again as a window the clerk turns around, the visit unchanged.
        rater = self.rater
        if rater is None or rater.finished or not rater.full_screen:
            return
        target = citizen_screen(self.window.screen(), self.services.deployment.rating_screen, gone=screen)
        if target is not None and target is rater.screen():
            return
        log.info("the citizen's screen went away: the rater opens again as a window")
        self.open(rater.prompt, gone=screen)

    def raise_rater(self) -> None:
        """Bring the open rater to the front (the clerk clicked 等待群众评价…)."""
        if self.rater is not None and Shiboken.isValid(self.rater):
            self.rater.raise_()

    # ------------------------------------------------------------------ the citizen's answer

    def _touched(self) -> None:
        if self.idle.isActive():
            self.idle.start()

    def _idle(self) -> None:
        rater = self.rater
        if rater is not None and not rater.finished:
            log.info("rater idle: recorded as not rated")
            rater.skip()

    def _submitted(self, rater: Rater, rating: RatingInput) -> None:
        self.idle.stop()
        ratings, user, prompt = self.services.ratings, self.user, rater.prompt
        self.runner.run_db(
            lambda: ratings.record(prompt.acceptance_no, prompt.occasion, rating, user),
            functools.partial(self._recorded, rater),
            functools.partial(self._refused, rater),
            owner=self,
            name="ratings.record",
        )

    def _recorded(self, rater: Rater, view: RatingView) -> None:
        self.waiting.hide()
        self.bridge.info(
            self.tr("群众评价已记录：{no} {level}").format(no=view.acceptance_no, level=level_label(view.level))
        )
        self.recorded.emit(view)
        if Shiboken.isValid(rater) and rater is self.rater:
            rater.thank()
            QTimer.singleShot(self.thanks_ms, self, functools.partial(self._close, rater))

    def _refused(self, rater: Rater, error: YimenError) -> None:
        if Shiboken.isValid(rater) and rater is self.rater and rater.isVisible():
            rater.show_failure(render(error.message))  # the citizen corrects it (a phone number) or skips
            self.idle.start()
            if isinstance(error, ValidationError):
                return
        self.bridge.failure(error)

    def _skip(self, rater: Rater) -> None:
        """Record 未评价 for ``rater``'s visit and close it."""
        if not rater.finished:
            rater.skip()  # emits skipped, which comes back here
            return
        ratings, user, prompt = self.services.ratings, self.user, rater.prompt
        self.runner.run_db(
            lambda: ratings.skip(prompt.acceptance_no, prompt.occasion, user),
            self._skipped,
            self._failed,
            owner=self,
            name="ratings.skip",
        )
        self._close(rater)

    def _skipped(self, view: RatingView) -> None:
        self.bridge.status(self.tr("本次服务未评价：{no}").format(no=view.acceptance_no))
        self.recorded.emit(view)

    def _failed(self, error: YimenError) -> None:
        self.bridge.failure(error)

    # ------------------------------------------------------------------ closing

    def _close(self, rater: Rater) -> None:
        if rater is self.rater:
            self.rater = None
            self.idle.stop()
            self.waiting.hide()
        if Shiboken.isValid(rater):
            rater.dismiss()
            rater.deleteLater()
        self.closed.emit()

    def _discard(self) -> None:
        # A rater still thanking the citizen before is closed at once for the next one (or one moving screens).
        if self.rater is not None:
            self._close(self.rater)

    def stop(self) -> None:
        """The window closes or its session ends: an open rating is recorded 未评价 and the rater closed."""
        rater = self.rater
        if rater is None:
            return
        if not rater.finished:
            self._skip(rater)
        else:
            self._close(rater)
