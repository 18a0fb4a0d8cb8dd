"""The citizen's rating at the counter (ui/rating): the rater after a decision or a 补正 return visit, touched as a
citizen does (clicks on the big buttons, typing in the comment and phone fields), stored through the real
RatingService in the real store; the clerk's window stays usable meanwhile.

The offscreen platform of the test process has one screen, so the rater is a window there.  The two-screen run starts
this module as a program under ``QT_QPA_PLATFORM=offscreen:configfile=<json>`` (two screens side by side, as Qt's
offscreen plugin reads them: ``{"screens": [{"name", "x", "y", "width", "height", "logicalDpi"…}]}``) and reports
where the rater went.
"""

# ruff: noqa: E402 - the program part sets up Qt before importing the app
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from shiboken6 import Shiboken

from app.domain import RATING_CHOICES, BadRatingReason, Decision, MaterialStatus, RatingLevel, RatingOccasion
from app.intake.model import DecisionInput, MaterialInput
from tests.app.documents.doc_testkit import take
from tests.conftest import add_user, write_deployment
from tests.storekit import connect_store
from tests.ui.ui_testkit import CITIZEN_SCREEN, COUNTER_SCREEN, run_on_screens

ITEM = "MZ-SHJZ-001"
LEFT = Qt.MouseButton.LeftButton


def click(qtbot: Any, widget: Any) -> None:
    """A finger on the middle of ``widget``."""
    assert widget.isVisible() and widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, LEFT, pos=widget.rect().center())


def type_into(qtbot: Any, widget: Any, text: str) -> None:
    """Type ``text`` into ``widget`` as a touch keyboard or an input method delivers it (one key event a character;
    QTest cannot type Chinese)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def gone(rater: Any) -> bool:
    """The rater is closed (and deleted)."""
    return not Shiboken.isValid(rater) or not rater.isVisible()


def stored(services: Any) -> list[tuple[str, str, list[str], str | None, str | None]]:
    """The ratings in the store: (occasion, level, reasons, comment, phone), in the order they were recorded."""
    with connect_store(services.db.path) as conn:
        rows = conn.execute("SELECT occasion, level, reasons, comment, phone FROM ratings ORDER BY rated_at").fetchall()
    return [(o, lv, json.loads(r) if isinstance(r, str) else list(r or []), c, p) for o, lv, r, c, p in rows]


def decide(qtbot: Any, window: Any, result: Any) -> Any:
    """Tell the window a decision was stored (what the intake form and the record view do) and wait for the rater."""
    with qtbot.waitSignal(window.rating.opened, timeout=20_000) as opened:
        window.context.events.changed.emit(result)
    return opened.args[0]


def submit(qtbot: Any, window: Any, rater: Any) -> Any:
    """Press 提交评价 and wait until the rating is stored; the stored ``RatingView``.

    Only this rater's visit counts: a 未评价 of the visit before may still be on its way back from the database worker
    (its ``recorded`` arrives after its row is written)."""
    prompt = rater.prompt

    def ours(view: Any) -> bool:
        return bool(view.acceptance_no == prompt.acceptance_no and view.occasion is prompt.occasion)

    with qtbot.waitSignal(window.rating.recorded, timeout=10_000, check_params_cb=ours) as recorded:
        click(qtbot, rater.submit_button)
    return recorded.args[0]


@pytest.fixture
def services(services_factory: Any, tmp_path: Path) -> Any:
    # Demo mode: the documents print to files (no printer dialog), as at `make run`.
    return services_factory(config=write_deployment(tmp_path, mode="demo"))


@pytest.fixture
def recorded_window(window: Any) -> Any:
    """The clerk's window with the thanks closing at once (no waiting in tests)."""
    window.rating.thanks_ms = 0
    return window


# ---------------------------------------------------------------------------------------------------- the full path


def test_after_a_decision_by_keyboard_the_rater_opens_beside_the_preview_and_the_clerk_goes_on(
    qtbot: Any, keyboard: Any, recorded_window: Any, services: Any, messages: Any
) -> None:
    from tests.ui.test_printing import take_accepted

    window = recorded_window
    with qtbot.waitSignal(window.rating.opened, timeout=20_000) as opened:
        preview = take_accepted(qtbot, keyboard, window, "阿依古丽·买买提")
    rater = opened.args[0]
    # A window of its own on the counter's only screen, not modal, and the status bar says the clerk is waiting.
    assert rater.isVisible() and not rater.full_screen and not rater.isModal()
    assert rater.parentWidget() is None
    assert window.screen().geometry().contains(rater.frameGeometry().center())
    assert window.rating.waiting.isVisible() and window.rating.waiting.text() == "等待群众评价…"
    assert "经办人：王丽（工号 0301）" in rater.subject.text() and "临时救助" in rater.subject.text()
    assert preview.isVisible() and preview.isModal()  # the documents preview is window-modal to the counter …

    # … and yet the citizen's touches reach the rater: it is not a window of the counter window.
    click(qtbot, rater.level_buttons[RatingLevel.SATISFIED])
    assert rater.level is RatingLevel.SATISFIED and rater.submit_button.isEnabled()

    # The clerk skips printing and takes the next applicant's ticket while the citizen is still rating.
    with qtbot.waitSignal(preview.finished, timeout=10_000):
        keyboard.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: keyboard.focus_name() == "queue_ticket")
    keyboard.type("A012")
    assert window.pages["intake"].queue_ticket.text() == "A012"
    assert rater.isVisible() and not rater.finished

    keyboard_focus = QApplication.focusWidget()
    view = submit(qtbot, window, rater)
    assert view.level is RatingLevel.SATISFIED and view.occasion is RatingOccasion.DECISION
    assert stored(services) == [("decision", "satisfied", [], None, None)]
    assert f"群众评价已记录：{view.acceptance_no} 满意" in messages.texts("info")
    qtbot.waitUntil(lambda: window.rating.rater is None)
    assert not window.rating.waiting.isVisible()
    assert QApplication.focusWidget() is keyboard_focus  # the citizen's touch never took the clerk's cursor


def test_every_level_reaches_the_store_with_its_stars(
    qtbot: Any, recorded_window: Any, services: Any, clerk: Any
) -> None:
    window = recorded_window
    numbers = []
    for level in RATING_CHOICES:
        result = take(services, clerk, ITEM)
        rater = decide(qtbot, window, result)
        button = rater.level_buttons[level]
        assert button.stars.text().count("★") == level.stars and button.stars.text().count("☆") == 5 - level.stars
        assert button.accessibleName().endswith(button.label.text())
        # Big enough for a finger at a counter.
        assert button.height() >= 80 and button.width() >= 120
        click(qtbot, button)
        if level.is_bad:
            click(qtbot, rater.reason_buttons[BadRatingReason.LONG_WAIT])
        view = submit(qtbot, window, rater)
        assert view.acceptance_no == result.acceptance_no and view.level is level
        numbers.append(result.acceptance_no)
        qtbot.waitUntil(lambda: window.rating.rater is None)
    assert [row[1] for row in stored(services)] == [level.value for level in RATING_CHOICES]
    # Recorded once: the same visit changing again opens no second rater (a rating is never changed).
    with qtbot.waitSignal(window.context.runner.finished, check_params_cb=lambda name: name == "ratings.awaiting"):
        window.context.events.changed.emit(services.intake.load(numbers[0]))
    assert window.rating.rater is None
    assert len(stored(services)) == 5


# ---------------------------------------------------------------------------------------------------- a 差评


def test_a_bad_rating_needs_a_reason_and_a_named_one_a_phone_number(
    qtbot: Any, recorded_window: Any, services: Any, clerk: Any
) -> None:
    window = recorded_window
    rater = decide(qtbot, window, take(services, clerk, ITEM))
    assert not rater.bad_panel.isVisible() and not rater.submit_button.isEnabled()

    click(qtbot, rater.level_buttons[RatingLevel.VERY_DISSATISFIED])
    assert rater.bad_panel.isVisible()
    assert [b.text() for b in rater.reason_buttons.values()] == [
        "办事指南不清楚", "多次跑腿", "等候时间长", "办理时间长",
        "服务态度不好", "材料要求不合理", "系统或设备故障", "其他",
    ]  # fmt: skip
    assert not rater.submit_button.isEnabled()
    assert rater.message.isVisible() and rater.message.text() == "请至少选择一项不满意的原因。"
    click(qtbot, rater.reason_buttons[BadRatingReason.REPEAT_VISITS])
    click(qtbot, rater.reason_buttons[BadRatingReason.ATTITUDE])
    assert rater.submit_button.isEnabled() and not rater.message.isVisible()

    # 实名: a phone number to be called back, typed by the citizen.
    click(qtbot, rater.named_button)
    assert rater.phone.isVisible() and not rater.submit_button.isEnabled()
    assert rater.message.text() == "实名评价请留下联系电话；不想留电话请选“匿名评价”。"
    qtbot.mouseClick(rater.phone, LEFT)
    qtbot.keyClicks(rater.phone, "139 1234 5678")
    assert rater.submit_button.isEnabled()
    qtbot.mouseClick(rater.comment.viewport(), LEFT)
    type_into(qtbot, rater.comment.viewport(), "跑了三次才办成，窗口说法不一。张𠮷·堃")

    view = submit(qtbot, window, rater)
    assert view.named and view.phone_masked is not None and "5678" in view.phone_masked
    assert "12345678" not in view.phone_masked  # masked in every view
    assert view.reasons == (BadRatingReason.REPEAT_VISITS, BadRatingReason.ATTITUDE)
    assert view.contact_due is not None  # on the supervisor's follow-up list
    ((occasion, level, reasons, comment, phone),) = stored(services)
    assert (occasion, level, reasons) == ("decision", "very_dissatisfied", ["repeat_visits", "attitude"])
    assert comment == "跑了三次才办成，窗口说法不一。张𠮷·堃"
    assert phone is not None and phone.replace(" ", "") == "13912345678"


def test_an_anonymous_bad_rating_keeps_no_phone_and_a_wrong_number_is_said_in_chinese(
    qtbot: Any, recorded_window: Any, services: Any, clerk: Any
) -> None:
    window = recorded_window
    rater = decide(qtbot, window, take(services, clerk, ITEM))
    click(qtbot, rater.level_buttons[RatingLevel.DISSATISFIED])
    click(qtbot, rater.reason_buttons[BadRatingReason.UNCLEAR_GUIDE])
    # A number that is none: the core refuses it, the citizen reads why on the rater, which stays open.
    click(qtbot, rater.named_button)
    qtbot.keyClicks(rater.phone, "12")
    with qtbot.waitSignal(window.context.runner.finished, check_params_cb=lambda name: name == "ratings.record"):
        click(qtbot, rater.submit_button)
    assert rater.isVisible() and not rater.finished
    assert rater.message.severity == "error" and rater.message.text()
    assert all(ord(ch) > 127 or not ch.isalpha() for ch in rater.message.text())  # Chinese, no traceback
    assert stored(services) == []
    # The citizen would rather stay anonymous: the number typed is not kept.
    click(qtbot, rater.anonymous_button)
    assert not rater.phone.isVisible()
    view = submit(qtbot, window, rater)
    assert not view.named and view.phone_masked is None
    assert stored(services) == [("decision", "dissatisfied", ["unclear_guide"], None, None)]


# ---------------------------------------------------------------------------------------------------- 未评价


def test_a_skip_a_closed_rater_and_a_rater_left_alone_are_recorded_as_not_rated(
    qtbot: Any, recorded_window: Any, services: Any, clerk: Any
) -> None:
    window = recorded_window
    rater = decide(qtbot, window, take(services, clerk, ITEM))
    with qtbot.waitSignal(window.rating.recorded, timeout=10_000) as recorded:
        click(qtbot, rater.skip_button)
    assert recorded.args[0].level is RatingLevel.UNRATED
    assert window.rating.rater is None and not window.rating.waiting.isVisible()

    rater = decide(qtbot, window, take(services, clerk, ITEM))
    with qtbot.waitSignal(window.rating.recorded, timeout=10_000) as recorded:
        rater.close()  # the title bar's ×
    assert recorded.args[0].level is RatingLevel.UNRATED

    window.rating.idle.setInterval(200)  # nobody touches it: the citizen has gone
    rater = decide(qtbot, window, take(services, clerk, ITEM))
    click(qtbot, rater.level_buttons[RatingLevel.SATISFIED])  # a touch, then nothing more
    with qtbot.waitSignal(window.rating.recorded, timeout=10_000) as recorded:
        pass
    assert recorded.args[0].level is RatingLevel.UNRATED
    qtbot.waitUntil(lambda: window.rating.rater is None)
    assert [row[1] for row in stored(services)] == ["unrated"] * 3


def test_the_next_decision_records_the_open_rating_as_not_rated_first(
    qtbot: Any, recorded_window: Any, services: Any, clerk: Any
) -> None:
    window = recorded_window
    first = take(services, clerk, ITEM)
    old = decide(qtbot, window, first)
    second = take(services, clerk, ITEM)
    new = decide(qtbot, window, second)
    qtbot.waitUntil(lambda: len(stored(services)) == 1)
    assert gone(old) and new.isVisible() and window.rating.rater is new
    assert new.prompt.acceptance_no == second.acceptance_no
    assert services.ratings.awaiting(first.acceptance_no) is None
    click(qtbot, new.level_buttons[RatingLevel.VERY_SATISFIED])
    submit(qtbot, window, new)
    assert [row[1] for row in stored(services)] == ["unrated", "very_satisfied"]


def test_a_return_visit_is_rated_on_its_own(qtbot: Any, recorded_window: Any, services: Any, clerk: Any) -> None:
    window = recorded_window
    first = take(services, clerk, ITEM, Decision.SUPPLEMENT)
    rater = decide(qtbot, window, first)
    assert rater.prompt.occasion is RatingOccasion.DECISION
    click(qtbot, rater.level_buttons[RatingLevel.BASICALLY_SATISFIED])
    submit(qtbot, window, rater)
    qtbot.waitUntil(lambda: window.rating.rater is None)

    brought = [MaterialInput(m.key, MaterialStatus.RECEIVED) for m in first.missing_materials]
    done = services.intake.supplement_return(first.acceptance_no, brought, DecisionInput(Decision.ACCEPT), clerk)
    rater = decide(qtbot, window, done)
    assert rater.prompt.occasion is RatingOccasion.RETURN_VISIT
    assert rater.subject.text().startswith("补正材料：")
    click(qtbot, rater.level_buttons[RatingLevel.VERY_SATISFIED])
    submit(qtbot, window, rater)
    assert [(row[0], row[1]) for row in stored(services)] == [
        ("decision", "basically_satisfied"),
        ("return_visit", "very_satisfied"),
    ]


def test_the_return_visit_replaces_a_rater_of_its_first_visit_still_open(
    qtbot: Any, recorded_window: Any, services: Any, clerk: Any, messages: Any
) -> None:
    # The first visit's rater was left open; the citizen is back with the material: the core now awaits the return
    # visit's rating only, so the earlier rater closes without recording (and without an error for the clerk).
    window = recorded_window
    first = take(services, clerk, ITEM, Decision.SUPPLEMENT)
    old = decide(qtbot, window, first)
    brought = [MaterialInput(m.key, MaterialStatus.RECEIVED) for m in first.missing_materials]
    done = services.intake.supplement_return(first.acceptance_no, brought, DecisionInput(Decision.ACCEPT), clerk)
    new = decide(qtbot, window, done)
    assert gone(old) and new.prompt.occasion is RatingOccasion.RETURN_VISIT
    click(qtbot, new.level_buttons[RatingLevel.SATISFIED])
    submit(qtbot, window, new)
    assert [(row[0], row[1]) for row in stored(services)] == [("return_visit", "satisfied")]
    assert messages.texts("error") == []


def test_closing_the_window_records_an_open_rating_as_not_rated_and_closes_the_rater(
    qtbot: Any, recorded_window: Any, services: Any, clerk: Any
) -> None:
    window = recorded_window
    rater = decide(qtbot, window, take(services, clerk, ITEM))
    window.allow_close()
    with qtbot.waitSignal(window.context.runner.finished, check_params_cb=lambda name: name == "ratings.skip"):
        window.close()
    assert gone(rater)
    assert [row[1] for row in stored(services)] == ["unrated"]


def test_a_rating_belongs_to_the_clerk_who_decided(
    qtbot: Any, make_window: Callable[[Any], Any], services: Any, clerk: Any, messages: Any
) -> None:
    # Another clerk's window hears of the decision (it cannot happen at one counter, but the core says no anyway):
    # the rater's 提交 is refused in Chinese, and nothing is stored.
    other = add_user(services, "lina")
    window = make_window(other)
    window.rating.thanks_ms = 0
    rater = decide(qtbot, window, take(services, clerk, ITEM))
    click(qtbot, rater.level_buttons[RatingLevel.SATISFIED])
    with qtbot.waitSignal(window.context.runner.finished, check_params_cb=lambda name: name == "ratings.record"):
        click(qtbot, rater.submit_button)
    assert "其他工作人员办理" in rater.message.text()
    assert any("其他工作人员办理" in text for text in messages.texts("error"))
    assert stored(services) == []


# ---------------------------------------------------------------------------------------------------- pictures


def test_the_pictures_of_the_rater_are_drawn_whole(qapp: Any, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from ui.rating import screenshots

    written = screenshots.render_all(tmp_path)
    sizes = {path.name: QImage(str(path)).size() for path in written}
    assert sizes["rating-citizen-screen.png"].width() == 1920 and sizes["rating-citizen-screen.png"].height() == 1080
    assert sizes["rating-citizen-screen-bad.png"].width() == 1920
    window = sizes["rating-window.png"]
    assert window.width() <= 1366 and window.height() <= 728
    assert set(sizes) == {
        "rating-window.png", "rating-citizen-screen.png", "rating-citizen-screen-bad.png", "rating-citizen-thanks.png"
    }  # fmt: skip


def test_the_rater_window_fits_a_small_screen_at_150_percent(qapp: Any) -> None:
    from PySide6.QtCore import QSize

    from ui.rating.rater import Prompt, Rater

    rater = Rater(
        Prompt("310104003-003-20261123-0001", RatingOccasion.DECISION, "临时救助", "王丽", "0301"), full_screen=False
    )
    try:
        size = rater.window_size(QSize(911, 472))  # 1366×768 at 150 %, less the taskbar
        assert size.width() <= 911 and size.height() <= 472
        assert rater.minimumSizeHint().width() <= 911 and rater.minimumSizeHint().height() <= 472
    finally:
        rater.dismiss()
        rater.deleteLater()


def test_a_touch_anywhere_in_the_rater_counts_and_the_counter_windows_keys_do_not(qtbot: Any) -> None:
    """``touched`` (the desk's idle timeout starts again) comes from the rater's own widgets — its level buttons,
    the phone field, the window itself — never from a key the clerk types in another window."""
    from PySide6.QtWidgets import QLineEdit

    from ui.rating.rater import Prompt, Rater

    rater = Rater(
        Prompt("310104003-003-20261123-0001", RatingOccasion.DECISION, "临时救助", "王丽", "0301"), full_screen=False
    )
    counter = QLineEdit()  # the clerk's field in a window of its own
    qtbot.addWidget(counter)
    try:
        rater.show()
        counter.show()
        qtbot.waitExposed(rater)
        with qtbot.waitSignal(rater.touched, timeout=2_000):
            click(qtbot, rater.level_buttons[RatingLevel.DISSATISFIED])
        click(qtbot, rater.named_button)
        with qtbot.waitSignal(rater.touched, timeout=2_000):
            type_into(qtbot, rater.phone, "1")
        with qtbot.waitSignal(rater.touched, timeout=2_000):
            qtbot.mouseClick(rater, LEFT, pos=rater.rect().center())
        with qtbot.assertNotEmitted(rater.touched, wait=100):
            qtbot.keyClicks(counter, "310104")
            qtbot.mouseClick(counter, LEFT)
        assert counter.text() == "310104"
    finally:
        rater.dismiss()
        rater.deleteLater()


# ---------------------------------------------------------------------------------------------------- two screens


def _run_two_screens(tmp_path: Path, config: Path, data: Path, *, unplug: bool = False) -> dict[str, Any]:
    args = [str(config), str(data), *(["unplug"] if unplug else [])]
    return run_on_screens(tmp_path / "screens", [COUNTER_SCREEN, CITIZEN_SCREEN], "tests.ui.test_rating", *args)


@pytest.mark.slow
def test_with_a_second_screen_the_rater_faces_the_citizen_full_screen(tmp_path: Path) -> None:
    config = write_deployment(tmp_path, mode="demo")
    report = _run_two_screens(tmp_path, config, tmp_path / "data")
    assert report["screens"] == [["1 counter", [0, 0, 1366, 768]], ["2 citizen", [1366, 0, 1280, 800]]]
    assert report["window_screen"] == "1 counter"
    assert report["rater_screen"] == "2 citizen"
    assert report["rater_geometry"] == [1366, 0, 1280, 800]  # the whole second screen
    assert report["full_screen"] and report["frameless"] and report["top_level"]
    assert report["waiting"] == "等待群众评价…" and report["clerk_active"]
    assert report["clerk_typed"] == "A013"  # the counter window was usable meanwhile
    assert report["level"] == "very_satisfied" and report["stored"] == ["very_satisfied"]


@pytest.mark.slow
def test_with_a_second_screen_and_the_dialog_setting_the_rater_stays_on_the_counter_screen(tmp_path: Path) -> None:
    config = write_deployment(tmp_path, mode="demo")
    config.write_text(config.read_text(encoding="utf-8") + '\n[ratings]\nscreen = "dialog"\n', encoding="utf-8")
    report = _run_two_screens(tmp_path, config, tmp_path / "data")
    assert report["rater_screen"] == "1 counter" and not report["full_screen"] and not report["frameless"]
    x, y, width, height = report["rater_geometry"]
    assert 0 <= x and x + width <= 1366 and 0 <= y and y + height <= 768
    assert report["level"] == "very_satisfied"


@pytest.mark.slow
def test_when_the_citizens_screen_goes_away_the_rater_opens_again_as_a_window(tmp_path: Path) -> None:
    config = write_deployment(tmp_path, mode="demo")
    report = _run_two_screens(tmp_path, config, tmp_path / "data", unplug=True)
    assert report["rater_screen"] == "1 counter" and not report["full_screen"] and not report["frameless"]
    x, y, width, height = report["rater_geometry"]
    assert 0 <= x and x + width <= 1366 and 0 <= y and y + height <= 768  # never over the counter window whole
    assert report["level"] == "very_satisfied"  # the same visit, rated
    assert report["stored"] == ["very_satisfied"]  # once: the first rater recorded nothing


def _two_screens_program(config: Path, data: Path, out: Path, *, unplug: bool = False) -> int:
    """The two-screen run: a real counter window on the first screen, a decision, and the rater; what it saw goes to
    ``out`` as JSON.  Run by the tests above in a process of its own (the platform is fixed per process).

    ``unplug``: once the rater is up, the citizen's screen goes away (the offscreen platform cannot unplug a screen
    from Python, so Qt's ``screenRemoved`` is emitted for it by hand); the report is then about the rater after.
    """
    import time

    from PySide6.QtTest import QTest

    from app.bootstrap import open_services
    from app.localtime import local_date
    from ui.context import UiContext
    from ui.main_window import MainWindow
    from ui.messages import MessageBridge
    from ui.style import apply_style
    from ui.tasks import TaskRunner

    app = QApplication([sys.argv[0]])
    apply_style(app)

    def pump(until: Callable[[], bool]) -> None:
        end = time.monotonic() + 60
        while not until():
            if time.monotonic() > end:
                raise TimeoutError("the screen did not settle")
            app.processEvents()
            time.sleep(0.01)

    services = open_services(config, data)
    runner = TaskRunner()
    try:
        clerk = add_user(services)
        window = MainWindow(UiContext(services, runner, MessageBridge(), clerk), pull_interval=3600)
        window.show()
        pump(lambda: window.isVisible() and runner.idle)
        window.show_tab(0)
        opened: list[Any] = []
        recorded: list[Any] = []
        window.rating.opened.connect(opened.append)
        window.rating.recorded.connect(recorded.append)
        window.rating.thanks_ms = 0
        window.context.events.changed.emit(take(services, clerk, ITEM))
        pump(lambda: bool(opened) and opened[0].isVisible())
        rater = opened[0]
        pump(lambda: rater.geometry().width() > 1 and rater.isFullScreen() == rater.full_screen)
        if unplug:
            assert rater.full_screen
            unplugged = rater.screen()
            app.screenRemoved.emit(unplugged)
            pump(lambda: len(opened) == 2 and opened[1].isVisible())
            rater = opened[1]
            pump(lambda: rater.geometry().width() > 1 and gone(opened[0]))
        report: dict[str, Any] = {
            "screens": [[s.name(), list(s.geometry().getRect())] for s in QGuiApplication.screens()],
            "window_screen": window.screen().name(),
            "rater_screen": rater.screen().name(),
            "rater_geometry": list(rater.frameGeometry().getRect()),
            "full_screen": rater.isFullScreen(),
            "frameless": bool(rater.windowFlags() & Qt.WindowType.FramelessWindowHint),
            "top_level": rater.isWindow() and rater.parentWidget() is None,
            "waiting": window.rating.waiting.isVisible() and window.rating.waiting.text(),
            "clerk_active": QApplication.activeWindow() is window,
        }
        # The clerk types into the form meanwhile.
        ticket = window.pages["intake"].queue_ticket
        window.activateWindow()
        ticket.setFocus()
        QTest.keyClicks(ticket, "A013")
        report["clerk_typed"] = ticket.text()
        # The citizen touches 5★ and 提交.
        button = rater.level_buttons[RatingLevel.VERY_SATISFIED]
        QTest.mouseClick(button, LEFT, Qt.KeyboardModifier.NoModifier, button.rect().center())
        submit_button = rater.submit_button
        QTest.mouseClick(submit_button, LEFT, Qt.KeyboardModifier.NoModifier, submit_button.rect().center())
        pump(lambda: bool(recorded))
        report["level"] = recorded[0].level.value
        day = local_date(recorded[0].rated_at)
        report["stored"] = [r.level.value for r in services.ratings.ratings_between(clerk, day, day)]
        out.write_text(json.dumps(report), encoding="utf-8")
        window.allow_close()
        window.close()
        pump(lambda: runner.idle)
        return 0
    finally:
        runner.shutdown()
        services.close()


if __name__ == "__main__":
    sys.exit(
        _two_screens_program(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[1]), unplug=sys.argv[4:] == ["unplug"])
    )
