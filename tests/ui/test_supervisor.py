"""The supervisor's screens (ui/supervisor), driven by keyboard as a supervisor would: the day's figures of cases
taken through the real use cases, a 差评 followed up to its outcome in the dialog, the day closed with the password
(a wrong one refused) after which a clerk can no longer decide on that day's application in their own window, a
clerk's own figures without the scope switch, the center's figures from a real central server ("中心数据截至"), and
F1 opening the supervisor's guide."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QTextBrowser
from sqlalchemy import select

from app.demo import SAMPLE_PEOPLE, demo_id
from app.domain import BadRatingReason, Decision, PartyRole, RatingLevel, RatingOccasion
from app.ratings import RatingInput
from app.resources import docs_path
from db.models import AuditEvent
from tests.app.documents.doc_testkit import take
from tests.conftest import add_user, write_deployment
from tests.pdfkit import text as pdf_text
from tests.serverkit import enrollment_code
from tests.ui.ui_testkit import Keyboard, MessageRecorder, open_figures_tab
from ui.guide import SUPERVISOR_GUIDE, guide_file
from ui.i18n import ENGLISH, install_translators, remove_translators
from ui.supervisor.dayclose import CloseDialog, DayClosePage
from ui.supervisor.figures import FiguresPage
from ui.supervisor.followups import FollowUpDialog, FollowUpsPage
from ui.supervisor.page import MyFiguresPage, SupervisorPage
from ui.supervisor.tables import ALERT_MARK, Section

ITEM = "MZ-SHJZ-002"  # 临时救助
PASSWORD = "supervisor-pass-1"
PHONE = "13912345678"


def rate(services: Any, clerk: Any, number: str, level: RatingLevel, **kwargs: Any) -> Any:
    return services.ratings.record(number, RatingOccasion.DECISION, RatingInput(level, **kwargs), clerk)


def cells(section: Section) -> list[tuple[str, ...]]:
    return section.model.texts() if section.view.isVisible() else []


def open_supervisor(qtbot: Any, keyboard: Keyboard, window: Any) -> SupervisorPage:
    """F6: the 值班长 tab, its figures read."""
    page = open_figures_tab(qtbot, keyboard, window)
    assert isinstance(page, SupervisorPage)
    return page


def test_a_supervisor_sees_the_days_figures(
    qtbot: Any, keyboard: Keyboard, services: Any, clerk: Any, supervisor: Any, make_window: Callable[[Any], Any]
) -> None:
    first = take(services, clerk, ITEM)
    second = take(services, clerk, ITEM)
    take(services, clerk, ITEM, Decision.SUPPLEMENT)
    take(services, clerk, ITEM, Decision.REFUSE)
    rate(services, clerk, first.acceptance_no, RatingLevel.VERY_SATISFIED)
    rate(services, clerk, second.acceptance_no, RatingLevel.DISSATISFIED, reasons=(BadRatingReason.LONG_WAIT,))
    window = make_window(supervisor)
    page = open_supervisor(qtbot, keyboard, window)
    figures = page.figures
    assert isinstance(figures, FiguresPage)
    assert figures.scope.isVisible() and figures.export_pdf.isVisible() and figures.full_ids.isVisible()
    assert "本窗口" in figures.header.text() and "2026-11-23" in figures.header.text()
    totals = figures.totals.text()
    assert "收件 4 件（不含作废），另作废 0 件" in totals  # the voided ones are apart, as in the report
    assert "满意率 50.0%" in totals  # one 非常满意 of two rated visits
    assert "差评 1 件" in totals
    assert cells(figures.sections["items"]) == [("临时救助申请", "4")]
    decisions = dict(cells(figures.sections["decisions"]))
    assert decisions["受理"] == "2" and decisions["一次性补正告知"] == "1" and decisions["不予受理"] == "1"
    assert ("王丽", "4") in cells(figures.sections["clerks"])
    assert ("10:00–11:00", "4") in cells(figures.sections["hours"])  # 10:00 in Shanghai (the fixed clock)
    ratings = dict(cells(figures.sections["ratings"]))
    assert ratings["非常满意"] == "1" and ratings["不满意"] == "1"
    bad = cells(figures.sections["bad"])
    assert (
        len(bad) == 1 and bad[0][0] == second.acceptance_no and bad[0][1] == "不满意" and bad[0][5] == "待办结"
    )  # anonymous: no call-back
    assert bad[0][4] == "匿名" and bad[0][6] == "（匿名，不回访）"  # as the daily report and the exports print them
    sync = figures.sections["sync"]
    assert sync.isVisible() and "还没有成功上传过" in sync.note.text()
    assert len(cells(sync)) >= 4 and all(row[4] == "待上传" for row in cells(sync))  # not enrolled: all waiting
    assert ("10", 4) in figures.chart_hours.values
    assert figures.chart_items.values == [("临时救助申请", 4)]
    assert dict(figures.chart_ratings.values)["不满意"] == 1
    assert not figures.sections["workstations"].isVisible()


def test_the_days_report_is_exported_as_pdf_and_csv(
    qtbot: Any,
    keyboard: Keyboard,
    services: Any,
    clerk: Any,
    supervisor: Any,
    make_window: Callable[[Any], Any],
    tmp_path: Path,
) -> None:
    taken = take(services, clerk, ITEM)
    window = make_window(supervisor)
    figures = open_supervisor(qtbot, keyboard, window).figures
    pdf = tmp_path / "日报.pdf"
    with qtbot.waitSignal(figures.exported, timeout=30_000):
        figures.export_to(pdf, "pdf")
    text = pdf_text(pdf.read_bytes())
    assert "日报" in text and "临时救助" in text
    view = figures.show_pdf(pdf)
    qtbot.waitExposed(view)
    assert view.pages() >= 1 and view.view.document() is view.document
    view.close()
    qtbot.waitUntil(lambda: figures.report_view is None)
    csv = tmp_path / "日报.csv"
    with qtbot.waitSignal(figures.exported, timeout=30_000):
        figures.export_to(csv, "csv")
    data = csv.read_bytes().decode("utf-8-sig")
    full_id = demo_id(SAMPLE_PEOPLE[PartyRole.APPLICANT][1])
    assert taken.acceptance_no in data and "阿依古丽·买买提" in data
    assert full_id not in data and f"{full_id[:3]}" in data  # masked unless the supervisor ticks 完整证件号码
    assert csv.stat().st_mode & 0o077 == 0
    figures.full_ids.setChecked(True)
    with qtbot.waitSignal(figures.exported, timeout=30_000):
        figures.export_to(csv, "csv")
    assert full_id in csv.read_bytes().decode("utf-8-sig")
    with services.db.read() as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions.count("report.daily_exported") == 2  # the PDF and the masked CSV
    assert actions[-1] == "report.full_ids_exported"


def test_a_bad_rating_is_followed_up_to_its_outcome(
    qtbot: Any,
    keyboard: Keyboard,
    services: Any,
    clerk: Any,
    supervisor: Any,
    clock: Any,
    make_window: Callable[[Any], Any],
) -> None:
    taken = take(services, clerk, ITEM)
    rate(
        services,
        clerk,
        taken.acceptance_no,
        RatingLevel.VERY_DISSATISFIED,
        reasons=(BadRatingReason.ATTITUDE, BadRatingReason.LONG_WAIT),
        comment="窗口人员态度生硬",
        phone=PHONE,
    )
    clock.advance(days=2)  # Wednesday: the contact (1 working day) is overdue
    window = make_window(supervisor)
    page = open_supervisor(qtbot, keyboard, window)
    followups = page.followups
    assert isinstance(followups, FollowUpsPage)
    with qtbot.waitSignal(followups.loaded, timeout=10_000):
        keyboard.press(Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    assert page.pages.currentWidget() is followups
    [row] = followups.model.rows
    assert row.cells[0] == taken.acceptance_no
    assert row.cells[5] == "非常不满意" and row.cells[6] == "服务态度不好、等候时间长"
    assert row.cells[1] == "待回访" and row.cells[3] == "2026-11-24"
    assert row.alert and row.cells[2] == f"{ALERT_MARK} 回访逾期"  # red and said in words
    assert PHONE not in " ".join(row.cells)

    assert keyboard.focus_name() == "followups_table"  # the page's work starts in its list
    with qtbot.waitSignal(followups.dialog_opened) as opened:
        keyboard.enter()
    dialog = opened.args[0]
    assert isinstance(dialog, FollowUpDialog)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is dialog)
    assert "窗口人员态度生硬" in dialog.summary.text()
    assert "回访逾期" in dialog.deadlines.text() and dialog.deadlines.severity == "error"
    assert dialog.phone.text() == "回访电话：139****5678"
    with qtbot.waitSignal(dialog.phone_shown):
        dialog.show_phone.click()
    assert PHONE in dialog.phone.text()

    def record(step: str, value: str | None, note: str) -> None:
        assert dialog.step.value() == step  # the next step is chosen for the supervisor
        if value is not None:
            dialog.value.setFocus()
            keyboard.type(value)
        dialog.note.setFocus()
        keyboard.type(note)
        with qtbot.waitSignal(dialog.recorded, timeout=10_000):
            keyboard.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    dialog.step.setFocus()
    # Ctrl+Enter without the outcome's text: refused beside it, in Chinese, nothing recorded.
    keyboard.type("4")
    keyboard.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "请写明办理结果" in dialog.message.text() or "登记回访联系" in dialog.message.text())
    dialog.step.setFocus()
    keyboard.type("1")
    record("contact", "1", "已电话联系，当面致歉")
    record("verification", "1", "调阅录像，情况属实")
    record("measure", "1", "对经办人批评教育")
    record("outcome", None, "已整改并向群众反馈，群众表示认可")
    assert dialog.case.state == "closed"
    steps = [dialog.steps.item(i).text() for i in range(dialog.steps.count())]
    assert len(steps) == 4
    assert "回访联系：已联系上；已电话联系，当面致歉（张敏）" in steps[0]
    assert "核实：属实" in steps[1] and "整改措施：立行立改" in steps[2]
    assert "办理结果：已整改并向群众反馈" in steps[3]
    assert not dialog.submit.isEnabled()
    dialog.close()
    qtbot.waitUntil(lambda: followups.dialog is None)
    qtbot.waitUntil(lambda: followups.model.rows == [])
    assert followups.status.text() == "没有待回访的差评。"
    with qtbot.waitSignal(followups.loaded):
        followups.show_closed.setChecked(True)
    assert [r.cells[1] for r in followups.model.rows] == ["已办结"]
    [case] = services.ratings.follow_ups(supervisor, include_closed=True)
    assert [s.step.value for s in case.steps] == ["contact", "verification", "measure", "outcome"]
    assert case.steps[0].reached is True and case.steps[0].by == "zhangmin"


def test_a_supervisor_closes_the_day_then_a_clerk_cannot_decide_on_it(
    qtbot: Any,
    keyboard: Keyboard,
    services: Any,
    clerk: Any,
    supervisor: Any,
    make_window: Callable[[Any], Any],
    messages: MessageRecorder,
) -> None:
    accepted = take(services, clerk, ITEM)
    waiting = take(services, clerk, ITEM, Decision.SUPPLEMENT)
    window = make_window(supervisor)
    page = open_supervisor(qtbot, keyboard, window)
    dayclose = page.dayclose
    assert isinstance(dayclose, DayClosePage)
    with qtbot.waitSignal(dayclose.reconciled, timeout=20_000):
        keyboard.press(Qt.Key.Key_Z, Qt.KeyboardModifier.AltModifier)
    rec = dayclose.reconciliation
    assert rec is not None and rec.day == dt.date(2026, 11, 23)
    assert dayclose.state.text() == "2026-11-23 未日结"
    assert "本日办件 2 件" in dayclose.totals.text()
    assert cells(dayclose.series) and cells(dayclose.series)[0][4] == "连续"
    numbers = [c[0] for c in cells(dayclose.cases)]
    assert accepted.acceptance_no in numbers and waiting.acceptance_no in numbers
    # Not enrolled: the server could not be asked, so the close needs a reason.
    assert "未能与中心服务器核对" in dayclose.problem.text()
    assert "日结前请处理，或在日结时写明原因" in dayclose.open_items.text()
    # Nothing was compared: the differences box says why, never "没有差异。"
    assert not dayclose.differences.view.isVisibleTo(dayclose)
    unchecked = dayclose.differences.empty.text()
    assert unchecked.startswith("未能与中心服务器核对：") and "没有差异" not in unchecked
    assert "尚未在中心服务器注册" in unchecked

    with qtbot.waitSignal(dayclose.dialog_opened) as opened:
        keyboard.press(Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
    dialog = opened.args[0]
    assert isinstance(dialog, CloseDialog)
    qtbot.waitUntil(lambda: keyboard.focus_name() == "close_password")
    assert "未能与中心服务器核对" in dialog.open_items.text()
    keyboard.type("wrong-password-1")
    keyboard.enter()  # something is open: Enter goes on to the reason
    assert keyboard.focus_name() == "close_reason"
    keyboard.type("本机尚未接入中心服务器，数据待接入后上传")
    keyboard.tab()
    assert keyboard.focus_name() == "close_submit"
    keyboard.press(Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(dialog.password_message.text()), timeout=20_000)
    assert "密码" in dialog.password_message.text()
    assert keyboard.focus_name() == "close_password" and dialog.password.text() == ""
    assert services.day_close.closed(rec.day) is None
    keyboard.type(PASSWORD)
    with qtbot.waitSignal(dayclose.closed, timeout=20_000):
        keyboard.enter()
    qtbot.waitUntil(lambda: dayclose.state.text().startswith("2026-11-23 已日结：张敏"), timeout=20_000)
    assert "本机尚未接入中心服务器" in dayclose.state.text()
    assert not dayclose.close_button.isEnabled()
    closed = services.day_close.closed(rec.day)
    assert closed is not None and closed.closed_by == "zhangmin"
    assert "2026-11-23 已日结。" in messages.texts("info")

    # The clerk's own window: the 补正 return visit of that day's application is refused.
    window.close()
    clerk_window = make_window(clerk)
    keyboard.press(Qt.Key.Key_F3)
    keyboard.type(waiting.acceptance_no)
    applications = clerk_window.pages["applications"]
    with qtbot.waitSignal(applications.loaded):
        keyboard.enter()
    keyboard.press(Qt.Key.Key_Down)
    with qtbot.waitSignal(applications.record_opened) as record_opened:
        keyboard.enter()
    record = record_opened.args[0]
    qtbot.waitUntil(lambda: record.record is not None and record.supplement.isVisible())
    for box, _, _ in record._boxes:
        box.setChecked(True)
    record.accept_button.setFocus()
    keyboard.press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "已日结" in record.supplement_message.text(), timeout=10_000)
    assert "2026-11-23" in record.supplement_message.text()
    assert services.intake.load(waiting.acceptance_no).state == "awaiting_supplement"


def test_a_clerk_sees_only_their_own_figures_and_no_scope_switch(
    qtbot: Any, keyboard: Keyboard, services: Any, clerk: Any, make_window: Callable[[Any], Any]
) -> None:
    other = add_user(services, "lisi")
    take(services, clerk, ITEM)
    take(services, other, ITEM)
    take(services, other, ITEM)
    window = make_window(clerk)
    assert "supervisor" not in window.pages
    page = open_figures_tab(qtbot, keyboard, window, "my_figures")
    assert isinstance(page, MyFiguresPage)
    figures = page.figures
    assert not figures.scope.isVisible()
    assert not figures.export_pdf.isVisible() and not figures.export_csv.isVisible()
    assert not figures.full_ids.isVisible()
    assert not figures.export_ratings_csv.isVisible() and not figures.full_phones.isVisible()
    assert "本人（王丽）" in figures.header.text()
    assert "收件 1 件" in figures.totals.text()
    assert cells(figures.sections["items"]) == [("临时救助申请", "1")]
    assert not figures.sections["clerks"].isVisible()
    # Tab never reaches a scope switch: the period, the query button, the tables.
    seen = set()
    figures.first.setFocus()
    for _ in range(12):
        seen.add(keyboard.focus_name())
        keyboard.tab()
    assert "figures_scope" not in seen and "export_pdf" not in seen


def test_a_clerks_page_asking_for_everyones_figures_is_refused_by_the_core(
    qtbot: Any, services: Any, clerk: Any, supervisor: Any, runner: Any, bridge: Any, messages: MessageRecorder
) -> None:
    from ui.context import UiContext

    take(services, supervisor, ITEM)
    figures = FiguresPage(UiContext(services, runner, bridge, clerk))
    qtbot.addWidget(figures)
    assert figures.own_only  # the clerk's role decides it, whatever the caller asked
    # A scope switch shown by mistake: the core still refuses the center's figures to a clerk, in Chinese.
    figures.own_only = False
    figures.scope.setCurrentIndex(1)
    qtbot.waitUntil(lambda: runner.idle and bool(figures.problem.text()), timeout=10_000)
    assert "只能查看本人的业务统计" in figures.problem.text()
    assert any("只能查看本人的业务统计" in t for t in messages.texts("error"))
    assert figures.shown is None


def test_the_center_scope_shows_the_servers_figures_and_when(
    qtbot: Any, keyboard: Keyboard, services_factory: Callable[..., Any], tmp_path: Path, central: Any
) -> None:
    from ui.context import UiContext
    from ui.main_window import MainWindow
    from ui.messages import MessageBridge
    from ui.tasks import TaskRunner

    folder = tmp_path / "ws"
    folder.mkdir()
    services = services_factory(
        config=write_deployment(folder, mode="demo", server_url=central.url), data_dir=folder / "data"
    )
    clerk = add_user(services)
    supervisor = add_user(services, "zhangmin", supervisor=True)
    services.sync.enroll(enrollment_code(central.engine()))
    take(services, clerk, ITEM)
    take(services, clerk, ITEM)
    services.sync.push_once()
    runner = TaskRunner()
    try:
        window = MainWindow(UiContext(services, runner, MessageBridge(), supervisor))
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window and runner.idle)
        window.show_tab(0)
        page = open_supervisor(qtbot, keyboard, window)
        figures = page.figures
        with qtbot.waitSignal(figures.loaded, timeout=20_000):
            keyboard.press(Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # 范围(&S)
            assert keyboard.focus_name() == "figures_scope"
            keyboard.press(Qt.Key.Key_Down)  # 全中心
        header = figures.header.text()
        assert "全中心" in header and "中心数据截至" in header
        assert not figures.problem.isVisible()
        assert "收件 2 件" in figures.totals.text()
        rows = cells(figures.sections["workstations"])
        assert [r[0] for r in rows] == ["003"] and rows[0][1] == "2" and rows[0][4] == "未日结"
        assert not rows[0][3].startswith(ALERT_MARK)  # it pushed just now
        assert not figures.sections["sync"].isVisible()
        # The server goes away: the last fetched figures stay, marked as old, with the reason.
        central.stop()
        with qtbot.waitSignal(figures.loaded, timeout=60_000):
            figures.refresh.click()
        assert "中心数据截至" in figures.header.text()
        assert figures.problem.isVisible() and "中心数据可能不是最新的" in figures.problem.text()
        assert "收件 2 件" in figures.totals.text()
        window.sync_area.stop()
        window.close()
    finally:
        runner.shutdown()


def test_f1_on_the_supervisor_tab_opens_the_supervisors_guide(
    qtbot: Any, keyboard: Keyboard, supervisor: Any, make_window: Callable[[Any], Any]
) -> None:
    window = make_window(supervisor)
    open_supervisor(qtbot, keyboard, window)
    keyboard.press(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.guide is not None and window.guide.isVisible())
    guide = window.guide
    assert guide.path == docs_path("guide-supervisor.md")
    assert guide.windowTitle() == "值班长工作指南"
    text = guide.findChild(QTextBrowser, "guide_text").toPlainText()
    assert "差评回访" in text and "日结" in text and "contact_days" in text
    # On the intake tab F1 is the clerk's guide again.
    window.activateWindow()
    keyboard.press(Qt.Key.Key_F2)
    keyboard.press(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.guide is not None and window.guide.path == docs_path("guide-clerk.md"))
    window.guide.close()


def test_f1_on_the_supervisor_tab_opens_the_english_guide_when_the_window_speaks_english(
    qtbot: Any, keyboard: Keyboard, supervisor: Any, make_window: Callable[[Any], Any]
) -> None:
    app = QApplication.instance()
    assert app is not None
    translators = install_translators(app, ENGLISH)
    try:
        assert guide_file(name=SUPERVISOR_GUIDE) == docs_path("guide-supervisor.en.md")
        window = make_window(supervisor)
        page = open_supervisor(qtbot, keyboard, window)
        keyboard.press(Qt.Key.Key_F1)
        qtbot.waitUntil(lambda: window.guide is not None and window.guide.isVisible())
        guide = window.guide
        assert guide.path == docs_path("guide-supervisor.en.md")
        assert guide.windowTitle() == "Supervisor's guide"
        text = guide.findChild(QTextBrowser, "guide_text").toPlainText()
        assert "Supervisor's guide" in text and "值班长工作指南" not in text and "contact_days" in text
        # The guide names the pages and their Alt keys as the English window shows them.
        for index in range(page.pages.count()):
            title = page.pages.tabText(index)
            key = title[title.index("&") + 1].upper()
            assert title.replace("&", "") in text and f"Alt+{key}" in text, title
        # On the intake tab F1 is the clerk's English guide.
        window.activateWindow()
        keyboard.press(Qt.Key.Key_F2)
        keyboard.press(Qt.Key.Key_F1)
        qtbot.waitUntil(lambda: window.guide is not None and window.guide.path == docs_path("guide-clerk.en.md"))
        window.guide.close()
    finally:
        remove_translators(app, translators)


def test_the_supervisors_guide_ships_with_its_screenshots_in_both_languages() -> None:
    for name in ("guide-supervisor.md", "guide-supervisor.en.md"):
        text = docs_path(name).read_text(encoding="utf-8")
        images = [part.split(")")[0] for part in text.split("](")[1:] if part.split(")")[0].endswith(".png")]
        assert images, name
        for image in images:
            assert docs_path(image).is_file(), image


def test_the_supervisor_tab_asks_no_more_room_than_the_intake_form(
    qtbot: Any, keyboard: Keyboard, supervisor: Any, make_window: Callable[[Any], Any]
) -> None:
    """1366×768 at 150 % is 911 logical pixels wide: the figures' controls flow on to a second line instead of
    widening the window, and the tab is never taller than the intake form's minimum."""
    window = make_window(supervisor)
    page = open_supervisor(qtbot, keyboard, window)
    hint, intake = page.minimumSizeHint(), window.pages["intake"].minimumSizeHint()
    assert hint.width() <= intake.width() and hint.height() <= intake.height(), (hint, intake)
    # (A supervisor's window is 27 px taller than 512 at its minimum because of its menu bar, tab or no tab.)
    height = max(512, window.minimumSizeHint().height())
    window.fit_to_screen(QRect(0, 0, 911, height))
    qtbot.waitUntil(lambda: window.size().toTuple() == (911, height))
    assert window.minimumSizeHint().width() <= 911
    figures = page.figures
    for widget in (figures.refresh, figures.scope, figures.export_csv, figures.full_ids, figures.header):
        corner = widget.mapTo(window, widget.rect().bottomRight())
        assert window.rect().contains(corner), widget.objectName()


def test_the_periods_ratings_are_exported_with_full_phones_only_when_ticked(
    qtbot: Any,
    keyboard: Keyboard,
    services: Any,
    clerk: Any,
    supervisor: Any,
    make_window: Callable[[Any], Any],
    tmp_path: Path,
) -> None:
    taken = take(services, clerk, ITEM)
    rate(
        services, clerk, taken.acceptance_no, RatingLevel.DISSATISFIED, reasons=(BadRatingReason.ATTITUDE,), phone=PHONE
    )
    window = make_window(supervisor)
    figures = open_supervisor(qtbot, keyboard, window).figures
    assert figures.export_ratings_csv.isVisible() and figures.full_phones.isVisible()
    out = tmp_path / "评价.json"
    with qtbot.waitSignal(figures.exported, timeout=30_000):
        figures.export_ratings_to(out, "json")
    body = json.loads(out.read_bytes())
    (record,) = body["ratings"]
    assert record["acceptance_no"] == taken.acceptance_no and record["follow_up_state_name"] == "待回访"
    assert record["phone"] == "139****5678" and PHONE.encode() not in out.read_bytes()
    assert out.stat().st_mode & 0o077 == 0
    figures.full_phones.setChecked(True)
    csv = tmp_path / "评价.csv"
    with qtbot.waitSignal(figures.exported, timeout=30_000):
        figures.export_ratings_to(csv, "csv")
    assert PHONE in csv.read_bytes().decode("utf-8-sig")
    with services.db.read() as session:
        details = [
            e.details for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "report.ratings_exported"))
        ]
    assert [(d["format"], d["full_phones"], d["via"]) for d in details] == [
        ("json", False, "window"),
        ("csv", True, "window"),
    ]
    assert PHONE not in str(details)


def test_the_figures_count_every_due_case_and_say_when_the_list_is_cut(
    qtbot: Any, keyboard: Keyboard, supervisor: Any, make_window: Callable[[Any], Any]
) -> None:
    from app.reports import figures as fig

    window = make_window(supervisor)
    page = open_supervisor(qtbot, keyboard, window).figures
    day = dt.date(2026, 11, 23)
    late = [fig.DeadlineCase(f"310104003-003-20261001-{n:04d}", "临时救助申请", "wangli", day) for n in range(1, 3)]
    cut = fig.Summary(first=day, last=day, overdue=late, overdue_total=250, due_soon_total=0)
    page._show_summary(cut)  # as a center whose back office never reported back: 250 late, two listed here
    assert "超期未办结 250 件，三个工作日内到期 0 件" in page.totals.text()
    note = page.sections["deadlines"].note
    assert note.isVisibleTo(page) and "超期未办结共 250 件（列出 2 件）" in note.text()
    page._show_summary(fig.Summary(first=day, last=day, overdue=late, overdue_total=2))
    assert "超期未办结 2 件" in page.totals.text() and not page.sections["deadlines"].note.isVisibleTo(page)


def test_the_center_rows_judge_silence_on_the_last_accepted_upload_and_list_the_closed_days(
    qtbot: Any, keyboard: Keyboard, supervisor: Any, make_window: Callable[[Any], Any]
) -> None:
    """A window whose last push the server answered a minute ago, but which had nothing stored for two hours, is
    silent (its pushes are refused); a period of several days lists the days each window closed.  The rows are
    built directly: a real server cannot make that timing (tests/server/test_center_sync.py proves the field)."""
    from app.reports import figures as fig
    from app.sync import protocol

    window = make_window(supervisor)
    page = open_supervisor(qtbot, keyboard, window).figures
    now = page.services.intake.clock()
    limit = page.services.deployment.silent_sync_minutes
    monday = dt.date(2026, 11, 23)
    tuesday = monday + dt.timedelta(days=1)

    def center(first: dt.date, last: dt.date) -> protocol.CenterFigures:
        return protocol.CenterFigures(
            center_code="310104003",
            generated_at=now,
            summary=fig.Summary(first=first, last=last),
            workstations=[
                protocol.WorkstationDay(
                    workstation_code="003",
                    applications=3,
                    last_push_at=now - dt.timedelta(minutes=1),
                    last_accepted_at=now - dt.timedelta(minutes=1),
                    closed_at=now,
                    closed_by="zhangmin",
                    closed_days=[monday, tuesday] if first != last else [tuesday],
                ),
                protocol.WorkstationDay(
                    workstation_code="004",
                    applications=2,
                    last_push_at=now - dt.timedelta(minutes=1),
                    last_accepted_at=now - dt.timedelta(minutes=limit + 60),
                    closed_days=[monday] if first != last else [],
                ),
            ],
        )

    section = page.sections["workstations"]
    page._show_workstations(center(tuesday, tuesday))
    rows = section.model.texts()
    assert [r[0] for r in rows] == ["003", "004"]
    accepted = (now - dt.timedelta(minutes=limit + 60)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert rows[1][2] == accepted.strftime("%m-%d %H:%M")  # the last successful upload, not the last push
    assert rows[0][3] == "正常" and not rows[0][3].startswith(ALERT_MARK)
    assert rows[1][3].startswith(ALERT_MARK) and f"超过 {limit} 分钟未成功上传" in rows[1][3]
    assert "仍连接服务器，数据未被接收" in rows[1][3]
    assert rows[0][4].startswith("已日结") and "zhangmin" in rows[0][4] and rows[1][4] == "未日结"
    page._show_workstations(center(monday, tuesday))
    rows = section.model.texts()
    assert [r[4] for r in rows] == ["已日结 11-23、11-24", "已日结 11-23"]
    assert rows[1][3].startswith(ALERT_MARK) and not rows[0][3].startswith(ALERT_MARK)
