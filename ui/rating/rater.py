"""The citizen's rater (好差评): five big levels, and for a 差评 its reasons, a comment and 匿名 or 实名.

:class:`Rater` is only the widget the citizen touches: it says what is being rated (the item and the clerk), takes
the choice and emits it (``submitted``) or the skip (``skipped``: 跳过, the window closed).  Storing, the screen it
goes to, the idle timeout and the clerk's status bar are :class:`ui.rating.desk.RatingDesk`'s (docs/ratings.md, "At
the counter").

It is a top-level window of its own with no parent window: the documents preview is window-modal to the counter
window, and a window under the counter window would be blocked by it — the citizen rates while the clerk prints.
Two forms: a frameless full-screen window on the citizen's screen (``full_screen``), or a dialog-like window the clerk
turns towards the citizen.  Both are made for a finger: large buttons, large text.

objectNames: ``rater``, ``rate_<level>`` (``rate_very_satisfied`` … ``rate_very_dissatisfied``), ``bad_panel``,
``reason_<reason>``, ``rating_comment``, ``rating_anonymous``, ``rating_named``, ``rating_phone``,
``rating_message``, ``rating_skip``, ``rating_submit``, ``rating_thanks``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import RATING_CHOICES, BadRatingReason, RatingLevel, RatingOccasion
from app.ratings import LEVEL_LABELS, REASON_LABELS, RatingInput
from ui.i18n import render
from ui.widgets import ERROR, WARNING, MessageLabel

#: The rater as a window on the counter's screen (at most the screen's available area).
WINDOW_SIZE = QSize(900, 640)

#: Colours of the five levels (green to red), for the selected button.
_LEVEL_COLOURS = {
    RatingLevel.VERY_SATISFIED: "#2e7d32",
    RatingLevel.SATISFIED: "#558b2f",
    RatingLevel.BASICALLY_SATISFIED: "#8a6d00",
    RatingLevel.DISSATISFIED: "#c25400",
    RatingLevel.VERY_DISSATISFIED: "#b3261e",
}

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.KeyPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.Wheel,
        QEvent.Type.InputMethod,
    }
)


def level_label(level: RatingLevel) -> str:
    """The level's name in the current language (非常满意 …, 未评价; the core's words, app.ratings)."""
    return render(LEVEL_LABELS[level])


def reason_label(reason: BadRatingReason) -> str:
    """The 差评 reason's name in the current language."""
    return render(REASON_LABELS[reason])


def stars(level: RatingLevel) -> str:
    """★ for each star of ``level`` and ☆ for the rest (5★ … 1★)."""
    return "★" * level.stars + "☆" * (5 - level.stars)


@dataclass(frozen=True)
class Prompt:
    """What the citizen is asked to rate: one visit.

    Attributes:
        acceptance_no: the application's 受理编号 (not shown: the rater names no person and no number).
        occasion: after the decision, or after a 补正 return visit.
        item_name: the service item, in the current language.
        clerk_name: the clerk who served the citizen.
        clerk_staff_no: their 工号.
    """

    acceptance_no: str
    occasion: RatingOccasion
    item_name: str
    clerk_name: str
    clerk_staff_no: str


_STYLE = """
QWidget#rater { background: #f6f7f9; }
QLabel#rater_title { color: #1f3b5a; font-size: %(title)dpt; font-weight: bold; }
QLabel#rater_subject { color: #33475b; font-size: %(text)dpt; }
QLabel[role="rater-heading"] { color: #1f3b5a; font-size: %(text)dpt; font-weight: bold; }
QWidget#rater_body, QScrollArea#rater_scroll, QScrollArea#rater_scroll > QWidget { background: transparent; }
QPushButton[role="level"] { background: #ffffff; border: 2px solid #9aa5b1; border-radius: 10px; padding: 8px; }
%(level_colours)s
QLabel#level_stars { color: #d99a00; font-size: %(stars)dpt; }
QLabel#level_name { color: #1f3b5a; font-size: %(level)dpt; }
QLabel#level_stars[on="true"], QLabel#level_name[on="true"] { color: #ffffff; font-weight: bold; }
QPushButton[role="choice"] {
    background: #ffffff; border: 2px solid #9aa5b1; border-radius: 8px; padding: 6px 10px; font-size: %(text)dpt;
}
QPushButton[role="choice"]:checked { background: #1e6bb8; border-color: #154f88; color: #ffffff; }
QPushButton#rating_submit {
    background: #1e6bb8; border: 2px solid #154f88; border-radius: 8px; color: #ffffff; font-size: %(text)dpt;
    font-weight: bold; padding: 8px 28px;
}
QPushButton#rating_submit:disabled { background: #d5dae1; border-color: #c3cad3; color: #6b7683; }
QPushButton#rating_skip {
    background: #ffffff; border: 2px solid #9aa5b1; border-radius: 8px; color: #33475b; font-size: %(text)dpt;
    padding: 8px 20px;
}
QPlainTextEdit#rating_comment { font-size: %(text)dpt; }
QLineEdit#rating_phone { font-size: %(text)dpt; min-height: %(field)dpx; }
QLabel#rating_message { font-size: %(text)dpt; }
QLabel#rating_thanks { color: #1f3b5a; font-size: %(title)dpt; font-weight: bold; }
"""


def _style(full_screen: bool) -> str:
    sizes = (
        {"title": 30, "text": 18, "level": 22, "stars": 32, "field": 44}
        if full_screen
        else {"title": 18, "text": 12, "level": 13, "stars": 19, "field": 30}
    )
    colours = "\n".join(
        f"QPushButton#rate_{level.value}:checked {{ background: {colour}; border-color: {colour}; }}"
        for level, colour in _LEVEL_COLOURS.items()
    )
    return _STYLE % {**sizes, "level_colours": colours}


class LevelButton(QPushButton):
    """One level's big button: its stars large above its name (two labels the touch goes through)."""

    def __init__(self, level: RatingLevel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = level
        self.setObjectName(f"rate_{level.value}")
        self.setProperty("role", "level")
        self.setCheckable(True)
        self.setAccessibleName(f"{stars(level)} {level_label(level)}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(2)
        self.stars = QLabel(stars(level), self)
        self.stars.setObjectName("level_stars")
        self.label = QLabel(level_label(level), self)
        self.label.setObjectName("level_name")
        for label in (self.stars, self.label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setProperty("on", False)
            layout.addWidget(label)
        self.toggled.connect(self._toggled)

    def _toggled(self, on: bool) -> None:
        for label in (self.stars, self.label):
            label.setProperty("on", on)
            label.style().unpolish(label)
            label.style().polish(label)

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return super().sizeHint().expandedTo(layout.sizeHint()) if layout is not None else super().sizeHint()


class Rater(QWidget):
    """The window the citizen rates one visit in.

    Signals:
        submitted(object): the citizen's choice (a ``RatingInput``), when 提交评价 is pressed with a complete choice.
        skipped(): 跳过, or the window was closed without a rating.
        touched(): the citizen touched the window (the desk's idle timeout counts again).

    Attributes:
        prompt: the visit being rated.
        full_screen: the citizen's own screen (frameless, full screen) rather than a dialog.
        level: the level chosen (None: none yet).
    """

    submitted = Signal(object)
    skipped = Signal()
    touched = Signal()

    def __init__(self, prompt: Prompt, *, full_screen: bool) -> None:
        super().__init__(None)  # no parent window: see the module's docstring
        self.setObjectName("rater")
        self.prompt = prompt
        self.full_screen = full_screen
        self.level: RatingLevel | None = None
        self._finished = False  # submitted (being stored, or stored) or skipped: closing records nothing more
        flags = Qt.WindowType.Window
        if full_screen:
            flags |= Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
        else:
            flags |= Qt.WindowType.WindowTitleHint | Qt.WindowType.WindowCloseButtonHint
        self.setWindowFlags(flags)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)  # the clerk keeps the keyboard
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)  # never keeps the program running
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setWindowTitle(self.tr("请对本次服务作出评价"))
        self.setStyleSheet(_style(full_screen))
        self._build()
        # A touch anywhere in the rater counts (the desk's idle timeout): its own widgets are watched, not the whole
        # application's events, which would call into Python for every event of the counter window too.
        for widget in (self, *self.findChildren(QWidget)):
            widget.installEventFilter(self)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        big = self.full_screen
        outer = QVBoxLayout(self)
        margin = 48 if big else 16
        outer.setContentsMargins(margin, margin // 2, margin, margin // 2)
        self.pages = QStackedWidget(self)
        outer.addWidget(self.pages)

        # The rating page: a scrolling body (a small screen at 150 % holds it whole) and the two buttons below.
        page = QWidget(self.pages)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("请您对本次服务作出评价"), page)
        title.setObjectName("rater_title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        page_layout.addWidget(title)
        subject = QLabel(self._subject_text(), page)
        subject.setObjectName("rater_subject")
        subject.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subject.setWordWrap(True)
        subject.setTextFormat(Qt.TextFormat.PlainText)
        page_layout.addWidget(subject)
        self.subject = subject

        scroll = QScrollArea(page)
        scroll.setObjectName("rater_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body_scroll = scroll
        body = QWidget(scroll)
        body.setObjectName("rater_body")
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 8, 0, 8)
        body_layout.setSpacing(12 if big else 8)

        levels = QHBoxLayout()
        levels.setSpacing(16 if big else 8)
        self.level_group = QButtonGroup(self)
        self.level_group.setExclusive(True)
        self.level_buttons: dict[RatingLevel, LevelButton] = {}
        for level in RATING_CHOICES:
            button = LevelButton(level, body)
            button.setMinimumSize(220 if big else 128, 200 if big else 96)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a finger's button: no focus frame to explain
            button.clicked.connect(lambda _checked=False, chosen=level: self.choose(chosen))
            self.level_group.addButton(button)
            self.level_buttons[level] = button
            levels.addWidget(button)
        body_layout.addLayout(levels)

        # What a 差评 adds: its reasons, and 匿名 or 实名 (a phone number to call back).
        self.bad_panel = QWidget(body)
        self.bad_panel.setObjectName("bad_panel")
        bad = QVBoxLayout(self.bad_panel)
        bad.setContentsMargins(0, 0, 0, 0)
        bad.setSpacing(8)
        heading = QLabel(self.tr("请选择不满意的原因（可多选）"), self.bad_panel)
        heading.setProperty("role", "rater-heading")
        bad.addWidget(heading)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.reason_buttons: dict[BadRatingReason, QPushButton] = {}
        for index, reason in enumerate(BadRatingReason):
            choice = QPushButton(reason_label(reason), self.bad_panel)
            choice.setObjectName(f"reason_{reason.value}")
            choice.setProperty("role", "choice")
            choice.setCheckable(True)
            choice.setMinimumHeight(64 if big else 44)
            choice.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            choice.toggled.connect(self._update)
            grid.addWidget(choice, index // 4, index % 4)
            self.reason_buttons[reason] = choice
        bad.addLayout(grid)
        who = QHBoxLayout()
        who.setSpacing(8)
        self.identity_group = QButtonGroup(self)
        self.identity_group.setExclusive(True)
        self.anonymous_button = QPushButton(self.tr("匿名评价"), self.bad_panel)
        self.anonymous_button.setObjectName("rating_anonymous")
        self.named_button = QPushButton(self.tr("实名评价（留电话，便于回访）"), self.bad_panel)
        self.named_button.setObjectName("rating_named")
        for choice in (self.anonymous_button, self.named_button):
            choice.setProperty("role", "choice")
            choice.setCheckable(True)
            choice.setMinimumHeight(64 if big else 44)
            choice.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.identity_group.addButton(choice)
            who.addWidget(choice)
        self.anonymous_button.setChecked(True)
        self.named_button.toggled.connect(self._named_toggled)
        bad.addLayout(who)
        self.phone_label = QLabel(self.tr("联系电话"), self.bad_panel)
        self.phone_label.setProperty("role", "rater-heading")
        self.phone = QLineEdit(self.bad_panel)
        self.phone.setObjectName("rating_phone")
        self.phone.setMaxLength(30)
        self.phone.setPlaceholderText(self.tr("手机号码或固定电话"))
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.phone.setMinimumWidth(420 if big else 260)
        self.phone.setMaximumWidth(560 if big else 360)
        self.phone.textChanged.connect(self._update)
        phone_row = QHBoxLayout()
        phone_row.addWidget(self.phone_label)
        phone_row.addWidget(self.phone)
        phone_row.addStretch(1)
        bad.addLayout(phone_row)
        body_layout.addWidget(self.bad_panel)
        self.bad_panel.hide()

        # A comment for any level.
        self.comment_label = QLabel(self.tr("意见和建议（可不填）"), body)
        self.comment_label.setProperty("role", "rater-heading")
        body_layout.addWidget(self.comment_label)
        self.comment = QPlainTextEdit(body)
        self.comment.setObjectName("rating_comment")
        self.comment.setTabChangesFocus(True)
        self.comment.setFixedHeight(96 if big else 64)
        body_layout.addWidget(self.comment)
        self.comment_label.hide()
        self.comment.hide()
        body_layout.addStretch(1)
        scroll.setWidget(body)
        page_layout.addWidget(scroll, 1)

        self.message = MessageLabel("rating", page, auto_hide=True)
        self.message.setObjectName("rating_message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        page_layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.skip_button = QPushButton(self.tr("跳过（不评价）"), page)
        self.skip_button.setObjectName("rating_skip")
        self.skip_button.setMinimumHeight(64 if big else 44)
        self.skip_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.skip_button.clicked.connect(self.skip)
        self.submit_button = QPushButton(self.tr("提交评价"), page)
        self.submit_button.setObjectName("rating_submit")
        self.submit_button.setMinimumHeight(64 if big else 44)
        self.submit_button.setMinimumWidth(240 if big else 160)
        self.submit_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.submit_button.clicked.connect(self.submit)
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        page_layout.addLayout(buttons)
        self.pages.addWidget(page)

        thanks = QLabel(self.tr("感谢您的评价！"), self.pages)
        thanks.setObjectName("rating_thanks")
        thanks.setAlignment(Qt.AlignmentFlag.AlignCenter)
        thanks.setWordWrap(True)
        self.thanks = thanks
        self.pages.addWidget(thanks)
        self._update()

    def _subject_text(self) -> str:
        prompt = self.prompt
        if prompt.occasion is RatingOccasion.RETURN_VISIT:
            what = self.tr("补正材料：{item}").format(item=prompt.item_name)
        else:
            what = self.tr("办理事项：{item}").format(item=prompt.item_name)
        who = self.tr("经办人：{name}（工号 {staff}）").format(name=prompt.clerk_name, staff=prompt.clerk_staff_no)
        return f"{what}\n{who}"

    # ------------------------------------------------------------------ the citizen's choices

    @property
    def finished(self) -> bool:
        """True once the choice was submitted or the rating skipped."""
        return self._finished

    def choose(self, level: RatingLevel) -> None:
        """Take ``level`` (a 差评 opens its reasons and the 匿名/实名 choice)."""
        self.level = level
        self.level_buttons[level].setChecked(True)
        self.bad_panel.setVisible(level.is_bad)
        self.comment_label.show()
        self.comment.show()
        self.message.clear_text()
        self._update()

    def _named_toggled(self, named: bool) -> None:
        self._update()
        if named:
            self.phone.setFocus(Qt.FocusReason.OtherFocusReason)
            self.body_scroll.ensureWidgetVisible(self.phone)  # below the fold on a small screen

    def reasons(self) -> tuple[BadRatingReason, ...]:
        """The 差评 reasons ticked, in the list's order."""
        return tuple(reason for reason, button in self.reason_buttons.items() if button.isChecked())

    def missing(self) -> str:
        """What the choice still lacks, as a sentence for the citizen (empty: complete)."""
        if self.level is None:
            return self.tr("请点选一个评价等级。")
        if self.level.is_bad:
            if not self.reasons():
                return self.tr("请至少选择一项不满意的原因。")
            if self.named_button.isChecked() and not self.phone.text().strip():
                return self.tr("实名评价请留下联系电话；不想留电话请选“匿名评价”。")
        return ""

    def _update(self) -> None:
        named = self.level is not None and self.level.is_bad and self.named_button.isChecked()
        self.phone_label.setVisible(named)
        self.phone.setVisible(named)
        missing = self.missing()
        self.submit_button.setEnabled(not missing and not self._finished)
        self.submit_button.setToolTip(missing)
        if self.level is not None and missing:
            self.message.show_text(missing, WARNING)
        elif self.message.severity == WARNING:
            self.message.clear_text()

    def rating(self) -> RatingInput:
        """The choice as the core takes it (only a 差评 carries reasons and a phone number)."""
        assert self.level is not None
        comment = self.comment.toPlainText().strip()
        if not self.level.is_bad:
            return RatingInput(self.level, comment=comment)
        phone = self.phone.text().strip() if self.named_button.isChecked() else None
        return RatingInput(self.level, reasons=self.reasons(), comment=comment, phone=phone or None)

    def submit(self) -> None:
        """提交评价: emit the choice when it is complete (else say what is missing)."""
        missing = self.missing()
        if missing:
            self.message.show_text(missing, WARNING)
            return
        if self._finished:
            return
        self._finished = True
        self.set_busy(True)
        self.submitted.emit(self.rating())

    def skip(self) -> None:
        """跳过: the visit is recorded 未评价."""
        if self._finished:
            return
        self._finished = True
        self.set_busy(True)
        self.skipped.emit()

    # ------------------------------------------------------------------ what the desk tells it

    def set_busy(self, busy: bool) -> None:
        """Freeze the choices while the rating is being stored."""
        for button in [*self.level_buttons.values(), *self.reason_buttons.values(), self.skip_button]:
            button.setEnabled(not busy)
        self.anonymous_button.setEnabled(not busy)
        self.named_button.setEnabled(not busy)
        self.comment.setReadOnly(busy)
        self.phone.setReadOnly(busy)
        if busy:
            self.submit_button.setEnabled(False)
        else:
            self._update()

    def show_failure(self, text: str) -> None:
        """The rating was not stored (``text`` says why and what to do): the citizen may correct and submit again."""
        self._finished = False
        self.set_busy(False)
        self.message.show_text(text, ERROR)

    def dismiss(self) -> None:
        """Close without recording anything more (stored, skipped, or no longer awaited)."""
        self._finished = True
        self.close()

    def thank(self) -> None:
        """The rating is stored: say thank you (the desk closes the window shortly)."""
        self.pages.setCurrentWidget(self.thanks)

    # ------------------------------------------------------------------ window

    def window_size(self, available: QSize) -> QSize:
        """The size of the rater as a window on the counter's screen: room for every choice of a 差评, never more
        than the screen's ``available`` area (the body scrolls on a small screen)."""
        hint = self.sizeHint()
        return QSize(
            min(max(hint.width(), WINDOW_SIZE.width()), available.width()),
            min(max(hint.height(), WINDOW_SIZE.height()), available.height()),
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.touched.emit()
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not self.full_screen:
            self.close()  # a dialog's Esc: closing it is a skip
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closed without a rating (the title bar's ×, Esc): 未评价.  The desk closes a finished one itself.
        if not self._finished:
            self.skip()
        super().closeEvent(event)
