"""One rich supervisor's day, built once per test module through the real use cases on real stores and a real server.

Three workstations enrolled with one real central server (``tests/serverkit.py`` ``ServerThread``): 003 and 004 of
center 310104003, and 003 of center 310104004.  The day is Monday 2026-11-23 of workstation A (310104003-003):

* an accepted case of 29 September (王丽), promised for 2 November across the National Day holiday: overdue today;
* an accepted case of 28 October (王丽), due within three working days;
* on the day: 王丽 and 李䶮 (a rare character) take eight cases (accepted, 补正, refused, one for 张𠮷 and one for
  阿依古丽·买买提); one is called by the queue at 09:00 (a duration); the 补正 comes back and is accepted (a return
  visit); ratings of every level — 非常满意, 满意, 基本满意, 不满意 (实名, a phone left), 非常不满意 (anonymous) — and a
  skip (未评价); the named 差评 contacted, the anonymous one verified, fixed and closed; a 作废 and a 更正 approved by
  the supervisor 张敏;
* the first sync at 16:00, when the server refuses one forged event (its payload no longer matches its SHA-256:
  quarantined, the case's later events held behind it); the other two workstations sync theirs;
* the day closed with ``services.day_close.close`` at 17:30 (a reason: something is open), synced again, the center's
  figures fetched at 17:40, then one case of the closed day corrected by the supervisor at 17:50 (left unsynced).

Every store is opened with its own vault folder (the module's, not a test's): :func:`sql` reads a store with it.
Everything the tests compare is computed here once: the summary, the close, the center's view.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.domain import (
    BadRatingReason,
    Decision,
    FollowUpStep,
    Measure,
    PartyRole,
    RatingLevel,
    RatingOccasion,
    Verification,
)
from app.intake.model import DecisionInput
from app.ratings import FollowUpInput, RatingInput
from app.reports import report as rep
from db.models import Application, OutboxEntry
from tests.app.documents.doc_testkit import bring_missing, take
from tests.app.reports.reportkit import add_liyan, shanghai, taken_with_call
from tests.conftest import FixedClock, add_user, write_deployment
from tests.serverkit import ServerThread, enrollment_code
from tests.storekit import connect_store

MONDAY = dt.date(2026, 11, 23)
CENTER, OTHER = "310104003", "310104004"
ITEM = "MZ-SHJZ-002"  # 临时救助
OTHER_ITEM = "MZ-SHJZ-001"
PHONE = "13912345678"
CLOSE_REASON = "有一个事件被中心服务器拒收，已报信息员处理。"


@dataclass
class Station:
    services: Any
    clerk: Any
    supervisor: Any
    code: str
    center: str


@dataclass
class RichDay:
    """The day and what the report tests compare: ``summary`` (a ``WorkstationSummary`` of workstation A at 18:00),
    ``close`` (its ``DayCloseView``), ``center`` (the ``CenterView`` fetched at 17:40)."""

    a: Station
    a4: Station
    b: Station
    vault: Path
    wangli: Any
    liyan: Any
    zhangmin: Any
    cases: dict[str, str] = field(default_factory=dict)  # a name of this module → acceptance number
    summary: Any = None
    close: Any = None
    center: Any = None
    overdue_promised: dt.date | None = None
    #: The server's rows, counted with SQL when the center's figures were fetched: {(center, workstation): n}.
    server_received: dict[tuple[str, str], int] = field(default_factory=dict)
    server_voided: dict[tuple[str, str], int] = field(default_factory=dict)
    server_levels: dict[str, int] = field(default_factory=dict)  # center A's ratings of the day per level

    @property
    def services(self) -> Any:
        return self.a.services

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        """Workstation A's store, read apart from the app with SQL."""
        with connect_store(self.services.db.path, vault=self.vault) as conn:
            return list(conn.execute(query, args).fetchall())

    def workstation_report(self) -> rep.DailyReport:
        return rep.from_workstation(self.summary, self.close)

    def center_report(self) -> rep.DailyReport:
        deployment = self.services.deployment
        return rep.from_center(
            self.center,
            center_name=deployment.center_name,
            now=self.services.intake.clock(),
            silent_minutes=deployment.silent_sync_minutes,
        )


def _station(folder: Path, central: Any, clock: FixedClock, center: str, code: str) -> Station:
    from app.bootstrap import open_services

    folder.mkdir(parents=True)
    config = write_deployment(folder, mode="demo", workstation=code, center=center, server_url=central.url)
    services = open_services(config, folder / "data", clock=clock)
    station = Station(services, add_user(services), add_user(services, "zhangmin", supervisor=True), code, center)
    services.sync.enroll(enrollment_code(central.engine(), center, code), None)
    return station


def _forge_first_event(services: Any, number: str) -> None:
    """The case's first outbox event no longer matches its SHA-256: the server will refuse it (quarantine)."""
    with services.db.write() as session:
        application = session.scalar(select(Application).where(Application.acceptance_no == number))
        assert application is not None
        entry = session.scalar(
            select(OutboxEntry).where(OutboxEntry.application_id == application.id).order_by(OutboxEntry.seq)
        )
        assert entry is not None
        entry.payload = entry.payload.replace(b'"query_code":"', b'"query_code":"9', 1)


def build(folder: Path, central: Any, opened: list[Station]) -> RichDay:
    """The day; each station opened is put in ``opened`` at once (the caller closes them, whatever happens)."""
    clock = FixedClock(shanghai(dt.date(2026, 9, 29), 10))
    for name, center, code in (("a", CENTER, "003"), ("a4", CENTER, "004"), ("b", OTHER, "003")):
        opened.append(_station(folder / name, central, clock, center, code))
    a, a4, b = opened
    services, ratings, intake = a.services, a.services.ratings, a.services.intake
    liyan = add_liyan(services)
    day = RichDay(a, a4, b, Path(os.environ["YIMEN_VAULT_DIR"]), a.clerk, liyan, a.supervisor)
    cases = day.cases

    # Before the day: one case promised across the National Day holiday, one due within three working days.
    late = take(services, a.clerk, ITEM)
    cases["late"], day.overdue_promised = late.acceptance_no, late.promised_date
    clock.now = shanghai(dt.date(2026, 10, 28), 10)
    cases["soon"] = take(services, a.clerk, ITEM).acceptance_no

    # The day.
    clock.now = shanghai(MONDAY, 9, 10)
    cases["called"] = taken_with_call(services, a.clerk, shanghai(MONDAY, 9)).acceptance_no
    ratings.record(cases["called"], RatingOccasion.DECISION, RatingInput(RatingLevel.VERY_SATISFIED), a.clerk)
    clock.now = shanghai(MONDAY, 9, 40)
    cases["supplement"] = take(services, a.clerk, ITEM, Decision.SUPPLEMENT).acceptance_no
    named = RatingInput(RatingLevel.DISSATISFIED, (BadRatingReason.LONG_WAIT,), "排队等了很久。", PHONE)
    day.cases["named_bad_id"] = str(ratings.record(cases["supplement"], RatingOccasion.DECISION, named, a.clerk).id)
    clock.now = shanghai(MONDAY, 10, 20)
    cases["refused"] = take(services, liyan, ITEM, Decision.REFUSE).acceptance_no
    ratings.record(cases["refused"], RatingOccasion.DECISION, RatingInput(RatingLevel.SATISFIED), liyan)
    clock.now = shanghai(MONDAY, 10, 50)
    jizhu = {PartyRole.APPLICANT: ("张𠮷", "31010119520101001")}
    cases["jizhu"] = take(services, liyan, ITEM, people=jizhu).acceptance_no
    ratings.record(cases["jizhu"], RatingOccasion.DECISION, RatingInput(RatingLevel.BASICALLY_SATISFIED), liyan)
    clock.now = shanghai(MONDAY, 11, 5)
    cases["voided"] = take(services, liyan, OTHER_ITEM).acceptance_no
    clock.now = shanghai(MONDAY, 11, 30)
    cases["anonymous"] = take(services, a.clerk, OTHER_ITEM).acceptance_no
    anonymous = RatingInput(RatingLevel.VERY_DISSATISFIED, (BadRatingReason.ATTITUDE,), "态度不好。")
    bad = ratings.record(cases["anonymous"], RatingOccasion.DECISION, anonymous, a.clerk)
    cases["anonymous_bad_id"] = str(bad.id)
    clock.now = shanghai(MONDAY, 13, 15)
    cases["skipped"] = take(services, a.clerk, ITEM).acceptance_no
    ratings.skip(cases["skipped"], RatingOccasion.DECISION, a.clerk)
    clock.now = shanghai(MONDAY, 14)
    intake.supplement_return(
        cases["supplement"],
        bring_missing(services, cases["supplement"]),
        DecisionInput(Decision.ACCEPT),
        a.clerk,
    )
    clock.now = shanghai(MONDAY, 14, 30)
    supervisor = a.supervisor
    contact = FollowUpInput(FollowUpStep.CONTACT, reached=True, note="已联系，群众反映排队久。")
    ratings.follow_up(_uuid(cases["named_bad_id"]), contact, supervisor)
    anon_id = _uuid(cases["anonymous_bad_id"])
    ratings.follow_up(anon_id, FollowUpInput(FollowUpStep.VERIFICATION, verification=Verification.TRUE), supervisor)
    ratings.follow_up(anon_id, FollowUpInput(FollowUpStep.MEASURE, measure=Measure.IMMEDIATE), supervisor)
    ratings.follow_up(anon_id, FollowUpInput(FollowUpStep.OUTCOME, note="已当面提醒窗口注意服务态度。"), supervisor)
    clock.now = shanghai(MONDAY, 15)
    intake.void(cases["voided"], reason="重复录入的申请", approver=supervisor, user=liyan)
    clock.now = shanghai(MONDAY, 15, 30)
    intake.correct(
        cases["jizhu"],
        values=dict(intake.load(cases["jizhu"]).values),
        reason="申请人联系地址录入有误",
        approver=supervisor,
        user=liyan,
    )

    # The first sync: the server refuses the forged event; the other workstations upload theirs.
    _forge_first_event(services, cases["anonymous"])
    clock.now = shanghai(MONDAY, 16)
    a.services.sync.sync_once()
    for other in (a4, b):
        take(other.services, other.clerk, ITEM)
        take(other.services, other.clerk, OTHER_ITEM, Decision.SUPPLEMENT)
        other.services.sync.sync_once()

    # The close, through the real use case; synced; the center's figures; then the closed day corrected.
    clock.now = shanghai(MONDAY, 17, 30)
    day.close = services.day_close.close(supervisor, MONDAY, "supervisor-pass-1", CLOSE_REASON)
    clock.now = shanghai(MONDAY, 17, 35)
    a.services.sync.sync_once()
    clock.now = shanghai(MONDAY, 17, 40)
    day.center = services.reports.center_figures(supervisor, MONDAY)
    _count_server(day, central.engine())
    clock.now = shanghai(MONDAY, 17, 50)
    intake.correct(
        cases["called"],
        values=dict(intake.load(cases["called"]).values),
        reason="日结后发现门牌号录入有误",
        approver=supervisor,
        user=supervisor,
    )
    clock.now = shanghai(MONDAY, 18)
    day.summary = services.reports.day_summary(supervisor, MONDAY)
    return day


def _count_server(day: RichDay, engine: Any) -> None:
    from sqlalchemy import text

    with engine.connect() as conn:
        for center, code in ((CENTER, "003"), (CENTER, "004"), (OTHER, "003")):
            like = f"{center}-{code}-{MONDAY:%Y%m%d}-%"
            received, voided = conn.execute(
                text(
                    "SELECT count(*), count(*) FILTER (WHERE counter_state = 'voided') FROM applications "
                    "WHERE acceptance_no LIKE :like"
                ),
                {"like": like},
            ).one()
            day.server_received[(center, code)], day.server_voided[(center, code)] = received, voided
        rows = conn.execute(
            text("SELECT level, count(*) FROM ratings WHERE center_code = :c AND acceptance_no LIKE :like GROUP BY 1"),
            {"c": CENTER, "like": f"{CENTER}-%-{MONDAY:%Y%m%d}-%"},
        )
        day.server_levels = {level: n for level, n in rows}


def _uuid(text: str) -> Any:
    import uuid

    return uuid.UUID(text)


@pytest.fixture(scope="module")
def rich_day(tmp_path_factory: pytest.TempPathFactory, store_factory: Any) -> Iterator[RichDay]:
    """The day, built once for the module (its own vault folder, server and stores; closed at the end)."""
    folder = tmp_path_factory.mktemp("richday")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("YIMEN_VAULT_DIR", str(folder / "vault"))
        patch.setenv("YIMEN_VAULT_RUNTIME_DIR", str(folder / "run"))
        central = ServerThread(store_factory.fresh())
        stations: list[Station] = []
        try:
            yield build(folder, central, stations)
        finally:
            for station in stations:
                station.services.close()
            central.stop()
