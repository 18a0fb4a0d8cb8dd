"""Screenshots of the supervisor's pages for docs/guide-supervisor.md (``docs/screenshots/supervisor-*.png``).

Run ``QT_QPA_PLATFORM=offscreen python -m ui.supervisor.screenshots [FOLDER]``.  It builds a throw-away demo
workstation (``app.demo.seed``) on a fixed Monday, 2026-11-23, takes a day of cases of several items through the
real use cases (two clerks, from 08:40 on), records the citizens' ratings (two 差评, one of them from the Thursday
before, whose call-back is overdue) and renders the pages as a supervisor sees them at 16:30: the figures, the
follow-ups and their dialog, the reconciliation and the close dialog, and a clerk's 我的统计.

The demo workstation is not enrolled, so its 全中心 view is drawn from figures made here as the server makes them
(``figures.summarize`` over this workstation's own day, via the report service's rows) with two more workstations
of a made-up center — one that closed its day, one silent — to show how they are marked.  No server is asked.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.bootstrap import Services, open_services
from app.demo import DEMO_PASSWORD, sample_draft, sample_ticks, seed
from app.domain import BadRatingReason, Decision, FollowUpStep, RatingLevel, RatingOccasion, Role, Verification
from app.intake.model import DecisionInput
from app.ratings import FollowUpInput, RatingInput
from app.reports.summary import CenterView
from app.resources import resource_path
from app.security.accounts import SessionUser, create_user
from app.sync import protocol
from ui.context import UiContext
from ui.grab import main_for, save
from ui.grab import pump as _pump
from ui.i18n import install_translators
from ui.messages import MessageBridge
from ui.style import apply_style
from ui.supervisor.figures import CENTER, Shown
from ui.supervisor.page import MyFiguresPage, SupervisorPage
from ui.tasks import TaskRunner

PAGE_SIZE = (1366, 700)  # the tab's room in a 1366×768 window
UTC = dt.UTC


def pump(app: QApplication, until: Callable[[], bool] | None = None, seconds: float = 10.0) -> None:
    """The pages settle more slowly than the form (figures, charts): ten seconds unless told."""
    _pump(app, until, seconds)


#: (item, decision, clerk index) of the day's cases, one every 25 minutes from 08:40.
DAY = [
    ("MZ-SHJZ-002", Decision.ACCEPT, 0),
    ("MZ-YLFW-001", Decision.ACCEPT, 1),
    ("CL-CJFW-001", Decision.SUPPLEMENT, 0),
    ("MZ-SHJZ-002", Decision.ACCEPT, 1),
    ("MZ-BZ-001", Decision.ACCEPT, 0),
    ("YB-YLJZ-001", Decision.REFUSE, 1),
    ("MZ-YLFW-001", Decision.ACCEPT, 0),
    ("MZ-SHJZ-002", Decision.SUPPLEMENT, 1),
    ("CL-CJFW-001", Decision.ACCEPT, 0),
    ("MZ-SHJZ-002", Decision.ACCEPT, 0),
    ("MZ-BZ-001", Decision.ACCEPT, 1),
]
LEVELS = [
    RatingLevel.VERY_SATISFIED,
    RatingLevel.SATISFIED,
    RatingLevel.VERY_SATISFIED,
    RatingLevel.BASICALLY_SATISFIED,
    RatingLevel.VERY_SATISFIED,
    RatingLevel.DISSATISFIED,
    RatingLevel.UNRATED,
    RatingLevel.SATISFIED,
    RatingLevel.VERY_SATISFIED,
    RatingLevel.SATISFIED,
    RatingLevel.UNRATED,
]


class Clock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def _decide(services: Services, clerk: SessionUser, code: str, decision: Decision) -> str:
    entry = services.catalog.entry(code)
    assert entry is not None, code
    draft = sample_draft(entry.item, today=services.intake.clock().date())
    draft.materials = sample_ticks(services.intake.check(draft).materials, decision)
    reason = "申请人户籍不在本市，已告知向户籍地街道申请。" if decision is Decision.REFUSE else None
    return services.intake.decide(draft, DecisionInput(decision, reason), clerk).acceptance_no


def build_day(services: Services, clock: Clock) -> tuple[SessionUser, SessionUser]:
    """The demo accounts and a day of cases with their ratings; returns (clerk, supervisor)."""
    seed(services)
    with services.db.write() as session:
        create_user(
            session,
            username="chenjing",
            display_name="陈静",
            staff_no="0302",
            role=Role.CLERK,
            password=DEMO_PASSWORD,
            workstation_code=services.deployment.workstation_code,
        )
    clerks = [services.accounts.login("wangli", DEMO_PASSWORD), services.accounts.login("chenjing", DEMO_PASSWORD)]
    supervisor = services.accounts.login("zhangmin", DEMO_PASSWORD)
    ratings = services.ratings
    # Thursday afternoon: a 差评 with a phone number; its call-back was due on Friday.
    clock.now = dt.datetime(2026, 11, 19, 7, 10, tzinfo=UTC)
    earlier = _decide(services, clerks[1], "MZ-YLFW-001", Decision.SUPPLEMENT)
    ratings.record(
        earlier,
        RatingOccasion.DECISION,
        RatingInput(
            RatingLevel.VERY_DISSATISFIED,
            (BadRatingReason.REPEAT_VISITS, BadRatingReason.UNCLEAR_GUIDE),
            "网上办事指南没有写要户口簿原件，白跑一趟",
            "13917654321",
        ),
        clerks[1],
    )
    clock.now = dt.datetime(2026, 11, 23, 0, 40, tzinfo=UTC)
    for (code, decision, who), level in zip(DAY, LEVELS, strict=True):
        number = _decide(services, clerks[who], code, decision)
        clock.now += dt.timedelta(minutes=3)
        reasons = (BadRatingReason.LONG_WAIT,) if level.is_bad else ()
        ratings.record(number, RatingOccasion.DECISION, RatingInput(level, reasons), clerks[who])
        clock.now += dt.timedelta(minutes=22)
    clock.now = dt.datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # 16:30 in Shanghai
    # Today's 差评 (anonymous: no call-back) is being looked into; Thursday's named one waits for its call.
    case = ratings.follow_ups(supervisor)[-1]
    ratings.follow_up(
        case.rating.id, FollowUpInput(FollowUpStep.VERIFICATION, verification=Verification.TRUE), supervisor
    )
    return clerks[0], supervisor


def center_view(services: Services, supervisor: SessionUser) -> CenterView:
    """The center's view this demo shows (see the module's note): this workstation's day and two made-up ones."""
    day = services.reports.day_summary(supervisor, dt.date(2026, 11, 23))
    now = services.intake.clock()
    workstations = [
        protocol.WorkstationDay(
            workstation_code="001",
            applications=0,
            last_push_at=now - dt.timedelta(minutes=45),
            last_accepted_at=now - dt.timedelta(minutes=45),
            closed_at=now - dt.timedelta(minutes=40),
            closed_by="zhangmin",
            closed_days=[dt.date(2026, 11, 23)],
            last_close=protocol.WorkstationClose(
                day=dt.date(2026, 11, 23), closed_at=now - dt.timedelta(minutes=40), closed_by="zhangmin"
            ),
        ),
        # 002 reaches the server, but nothing it sent in three hours was taken: silent.
        protocol.WorkstationDay(
            workstation_code="002",
            applications=0,
            last_push_at=now - dt.timedelta(minutes=3),
            last_accepted_at=now - dt.timedelta(hours=3),
        ),
        protocol.WorkstationDay(
            workstation_code=services.deployment.workstation_code,
            applications=day.summary.applications,
            last_push_at=now - dt.timedelta(minutes=2),
            last_accepted_at=now - dt.timedelta(minutes=2),
        ),
    ]
    figures = protocol.CenterFigures(
        center_code=services.deployment.center_code,
        generated_at=now - dt.timedelta(minutes=1),
        summary=day.summary,
        workstations=workstations,
    )
    return CenterView(figures=figures, fetched_at=now - dt.timedelta(minutes=1), stale=False)


def record_one_handover(services: Services, supervisor: SessionUser) -> None:
    """The first 民政 case with paper handed over (at 16:30), so 材料交接 shows a recorded list beside the open one."""
    from app.reports.handover import handover_list

    open_list = handover_list(services.intake, by=supervisor)
    first = next(c for c in open_list.cases if c.department == "民政")
    named = services.deployment.departments.get("民政")
    department = named.name if named is not None and named.name else "民政"  # what the 登记交接 dialog offers
    services.day_close.record_handover(supervisor, [first.acceptance_no], department, "李·娜")


def render_all(folder: Path) -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_style(app)
    install_translators(app, "zh_CN")
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    clock = Clock(dt.datetime(2026, 11, 19, 1, 0, tzinfo=UTC))
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(resource_path("demo", "deployment.toml"), Path(tmp), clock=clock)
        runner = TaskRunner()
        try:
            clerk, supervisor = build_day(services, clock)
            page = SupervisorPage(UiContext(services, runner, MessageBridge(), supervisor))
            page.setWindowTitle("值班长")
            page.resize(*PAGE_SIZE)
            page.show()
            figures = page.figures
            pump(app, lambda: figures.shown is not None and runner.idle)
            pump(app, seconds=0.3)
            written.append(save(page, folder, "supervisor-figures.png"))
            bar = figures.scroller.verticalScrollBar()
            bar.setValue(figures.sections["bad"].y() - 8)
            pump(app, seconds=0.3)
            written.append(save(page, folder, "supervisor-figures-tables.png"))
            bar.setValue(0)
            figures.scope.blockSignals(True)
            figures.scope.setCurrentIndex(1)
            figures.scope.blockSignals(False)
            day = dt.date(2026, 11, 23)
            figures.show_figures(Shown(CENTER, day, day, center_view(services, supervisor)))
            pump(app, seconds=0.2)
            bar.setValue(figures.sections["workstations"].y() - 8)
            pump(app, seconds=0.3)
            written.append(save(page, folder, "supervisor-center.png"))
            followups = page.followups
            assert followups is not None
            page.show_page(followups)
            pump(app, lambda: bool(followups.cases) and runner.idle)
            followups.table.selectRow(1)  # the overdue row unselected, so its red shows beside its ⚠ mark
            pump(app, seconds=0.3)
            written.append(save(page, folder, "supervisor-followups.png"))
            followups.table.selectRow(0)  # Thursday's, overdue: its call-back is to be recorded
            dialog = followups.open_selected()
            assert dialog is not None
            pump(app, seconds=0.4)
            written.append(save(dialog, folder, "supervisor-followup-dialog.png"))
            dialog.close()
            dayclose = page.dayclose
            assert dayclose is not None
            page.show_page(dayclose)
            pump(app, lambda: dayclose.reconciliation is not None and runner.idle)
            pump(app, seconds=0.3)
            written.append(save(page, folder, "supervisor-dayclose.png"))
            close = dayclose.open_close()
            assert close is not None
            pump(app, seconds=0.4)
            written.append(save(close, folder, "supervisor-close-dialog.png"))
            close.close()
            handover = page.handover
            assert handover is not None
            record_one_handover(services, supervisor)
            page.show_page(handover)
            pump(app, lambda: handover.open_list is not None and runner.idle)
            pump(app, seconds=0.3)
            written.append(save(page, folder, "supervisor-handover.png"))
            page.close()
            mine = MyFiguresPage(UiContext(services, runner, MessageBridge(), clerk))
            mine.setWindowTitle("我的统计")
            mine.resize(*PAGE_SIZE)
            mine.show()
            pump(app, lambda: mine.figures.shown is not None and runner.idle)
            pump(app, seconds=0.3)
            written.append(save(mine, folder, "supervisor-my-figures.png"))
            mine.close()
        finally:
            runner.shutdown()
            services.close()
    return written


def main(argv: list[str] | None = None) -> int:
    return main_for("python -m ui.supervisor.screenshots", render_all, argv, language=False)


if __name__ == "__main__":
    sys.exit(main())
