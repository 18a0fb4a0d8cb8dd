"""The supervisor's day end to end: real workstations (two windows of one center, one of another) take cases through
the real use cases, rate them, follow a 差评 up, hand cases over and close the day; their outboxes sync to a real
server, which stores every event, reconciles the day with the workstation and answers each center's figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.domain import BadRatingReason, FollowUpStep, RatingLevel, RatingOccasion
from app.intake.model import Decision
from app.ratings import FollowUpInput, RatingInput
from tests.app.sync.synckit import Workstation
from tests.server.apikit import CENTER, OTHER
from tests.serverkit import count

DAY = dt.date(2026, 11, 23)  # the services' clock: 2026-11-23 10:00 in Shanghai
KEPT = "MZ-SHJZ-003"  # its medical bills are copied and kept: something to hand over


def _station(services_factory: Any, tmp_path: Path, central: Any, center: str, code: str) -> Workstation:
    station = Workstation(
        services_factory, tmp_path / f"ws{center}{code}", central.url, center=center, workstation=code
    )
    station.enroll(central.engine())
    return station


def test_a_supervisors_day_reaches_the_server_and_each_center_sees_its_own(
    services_factory: Any, tmp_path: Path, central: Any
) -> None:
    a3 = _station(services_factory, tmp_path, central, CENTER, "003")
    a4 = _station(services_factory, tmp_path, central, CENTER, "004")
    b3 = _station(services_factory, tmp_path, central, OTHER, "003")

    first, second = (r.acceptance_no for r in a3.take(2, code=KEPT))
    [third] = (r.acceptance_no for r in a3.take(1, decision=Decision.SUPPLEMENT))
    a4.take(1)
    b3.take(2)
    ratings = a3.services.ratings
    ratings.record(first, RatingOccasion.DECISION, RatingInput(RatingLevel.VERY_SATISFIED), a3.clerk)
    bad = ratings.record(
        second,
        RatingOccasion.DECISION,
        RatingInput(RatingLevel.DISSATISFIED, (BadRatingReason.LONG_WAIT,), "排队太久", "13900000000"),
        a3.clerk,
    )
    ratings.skip(third, RatingOccasion.DECISION, a3.clerk)
    ratings.follow_up(bad.id, FollowUpInput(FollowUpStep.CONTACT, reached=True), a3.supervisor)
    a3.services.day_close.record_handover(a3.supervisor, [first, second], "民政科", "李·𠮷祥")
    for station in (a3, a4, b3):
        station.services.documents.heal()
        report = station.sync.sync_once()
        assert report.push.quarantined == 0, station.outbox()

    # The day reconciled with the server: nothing missing, nothing unsent; then closed and synced.
    seen = a3.services.day_close.reconcile(a3.supervisor, DAY)
    assert seen.server_reached and seen.problem is None
    assert seen.differences == () and seen.unsynced == 0 and seen.applications == 3
    a3.services.day_close.close(a3.supervisor, DAY, "supervisor-pass-1", None)
    assert a3.sync.sync_once().push.quarantined == 0
    again = a3.services.day_close.reconcile(a3.supervisor, DAY)
    assert again.server_closed_at is not None and again.differences == ()

    engine = central.engine()
    assert count(engine, "ratings") == 3 and count(engine, "ratings", "WHERE named") == 1
    assert count(engine, "rating_follow_ups") == 1 and count(engine, "day_closes") == 1
    assert count(engine, "handovers") == 1 and count(engine, "handover_cases") == 2

    # Each center's figures, as the supervisor's workstation fetches them.
    mine = a3.services.reports.center_figures(a3.supervisor, DAY)
    assert mine.figures is not None and not mine.stale
    assert mine.figures.center_code == CENTER
    summary = mine.figures.summary
    assert summary.applications == 4  # 003's three and 004's one; none of the other center's two
    levels = {t.key: t.count for t in summary.ratings}
    assert (levels["very_satisfied"], levels["dissatisfied"], levels["unrated"]) == (1, 1, 1)
    [complaint] = summary.bad_ratings
    assert complaint.acceptance_no == second and complaint.state == "contacted" and complaint.named
    days = {w.workstation_code: w for w in mine.figures.workstations}
    assert set(days) == {"003", "004"}
    assert days["003"].applications == 3 and days["003"].closed_by == a3.supervisor.username
    assert days["004"].applications == 1 and days["004"].closed_at is None
    theirs = b3.services.reports.center_figures(b3.supervisor, DAY)
    assert theirs.figures is not None and theirs.figures.center_code == OTHER
    assert theirs.figures.summary.applications == 2 and theirs.figures.summary.ratings[0].count == 0
