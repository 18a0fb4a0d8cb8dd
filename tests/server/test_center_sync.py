"""Each workstation of the center as the server's figures show it: its last successful sync (an event stored or an
audit head taken, never a push whose events were all refused) beside its last push, and every day of the period it
closed with the latest close, on a real server."""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests
from sqlalchemy import text

from app.config import Deployment
from app.sync import protocol
from app.sync.client import ClientSettings, SyncClient
from tests.server import supervisor_wire as sw
from tests.server.apikit import CENTER, enroll, outcomes, push

DAY = sw.DAY
HOUR_AGO = dt.timedelta(minutes=61)


def _workstations(central: Any, auth: dict[str, str], first: dt.date, last: dt.date) -> dict[str, dict[str, Any]]:
    answer = requests.get(
        central.api + "/center/figures",
        params={"first": first.isoformat(), "last": last.isoformat()},
        headers=auth,
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return {w["workstation_code"]: w for w in answer.json()["workstations"]}


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _silent(day: dict[str, Any], now: dt.datetime) -> bool:
    """The workstation's rule (docs/supervisor.md): no successful sync within ``silent_sync_minutes``."""
    synced = _moment(day["last_accepted_at"])
    return synced is None or now - synced > dt.timedelta(minutes=Deployment.silent_sync_minutes)


def _an_hour_passes(central: Any, workstation: str) -> None:
    """What an hour without a successful sync leaves on the server: the workstation's events and its devices' last
    push an hour old (the server's own clock cannot be moved)."""
    with central.engine().begin() as conn:
        where = "center_code = :c AND workstation_code = :w"
        for table, column in (("events", "received_at"), ("devices", "last_seen_at")):
            conn.execute(
                text(f"UPDATE {table} SET {column} = {column} - :ago WHERE {where}"),
                {"ago": HOUR_AGO, "c": CENTER, "w": workstation},
            )


def _foreign(workstation: str, n: int) -> protocol.Event:
    """A 受理 event whose number is another window's series: refused, whatever the window."""
    return sw.taken(f"{CENTER}-009-20261123-{n:04d}", workstation=workstation, received=sw.at(10))


def test_a_window_whose_pushes_are_all_refused_is_silent_though_it_pushes(central: Any) -> None:
    refused = enroll(central, workstation="006")
    for n in (1, 2):
        assert outcomes(push(central, refused, _foreign("006", n))) == ["rejected"]
    healthy = enroll(central, workstation="004")
    assert outcomes(push(central, healthy, sw.taken(f"{CENTER}-004-20261123-0001", workstation="004"))) == ["stored"]
    now = dt.datetime.now(dt.UTC)
    days = _workstations(central, healthy, DAY, DAY)
    assert days["006"]["last_push_at"] is not None  # it reaches the server …
    assert days["006"]["last_accepted_at"] is None  # … but nothing of it was ever taken
    assert _silent(days["006"], now)
    assert days["004"]["last_accepted_at"] is not None and not _silent(days["004"], now)
    assert days["006"]["applications"] == 0 and days["004"]["applications"] == 1


def test_a_window_idle_for_an_hour_is_silent_and_a_refused_push_does_not_wake_it(central: Any) -> None:
    window = enroll(central, workstation="003")
    taken = sw.taken(f"{CENTER}-003-20261123-0001", received=sw.at(10))
    assert outcomes(push(central, window, taken, sw.rating(taken, "satisfied"))) == ["stored", "stored"]
    before = dt.datetime.now(dt.UTC)
    _an_hour_passes(central, "003")
    days = _workstations(central, window, DAY, DAY)
    synced = _moment(days["003"]["last_accepted_at"])
    assert synced is not None and before - HOUR_AGO - dt.timedelta(minutes=5) < synced < before - HOUR_AGO
    assert _silent(days["003"], dt.datetime.now(dt.UTC))
    # Now it pushes again, and everything is refused: its last push moves, its last successful sync does not.
    assert outcomes(push(central, window, _foreign("003", 1))) == ["rejected"]
    after = _workstations(central, window, DAY, DAY)["003"]
    pushed = _moment(after["last_push_at"])
    assert pushed is not None and pushed >= before
    assert _moment(after["last_accepted_at"]) == synced and _silent(after, dt.datetime.now(dt.UTC))
    # An event taken wakes it.
    again = sw.taken(f"{CENTER}-003-20261123-0002", received=sw.at(11))
    assert outcomes(push(central, window, again)) == ["stored"]
    woken = _workstations(central, window, DAY, DAY)["003"]
    assert not _silent(woken, dt.datetime.now(dt.UTC))
    assert _moment(woken["last_accepted_at"]) >= before  # type: ignore[operator]


def test_an_audit_head_pushed_alone_is_a_successful_sync(central: Any) -> None:
    window = enroll(central, workstation="007")
    head = protocol.new_event(
        occurred_at=sw.at(10),
        center_code=CENTER,
        workstation_code="007",
        application_id=protocol.NO_APPLICATION,
        body=protocol.AuditHead(seq=3, mac="a" * 64),
    )
    before = dt.datetime.now(dt.UTC)
    assert outcomes(push(central, window, head)) == ["stored"]
    day = _workstations(central, window, DAY, DAY)["007"]
    taken_at = _moment(day["last_accepted_at"])
    assert taken_at is not None and taken_at >= before - dt.timedelta(seconds=1)
    assert not _silent(day, dt.datetime.now(dt.UTC))


def test_every_close_of_the_period_is_shown_with_the_latest(central: Any) -> None:
    a3, a4 = enroll(central, workstation="003"), enroll(central, workstation="004")
    d21, d22 = DAY - dt.timedelta(days=2), DAY - dt.timedelta(days=1)
    closes = [
        sw.day_closed(day=d21, closed=sw.at(17, 30, d21)),
        sw.day_closed(day=d22, closed=sw.at(17, 0, d22)),
        # The 22nd closed again later, with a reason: the later close is the day's.
        sw.day_closed(day=d22, closed=sw.at(18, 10, d22), reason="补录一件后重新日结·𠮷"),
    ]
    assert outcomes(push(central, a3, *closes)) == ["stored"] * 3
    assert outcomes(push(central, a4, sw.day_closed(workstation="004", day=DAY))) == ["stored"]

    days = _workstations(central, a3, d21, DAY)
    three, four = days["003"], days["004"]
    assert three["closed_days"] == [d21.isoformat(), d22.isoformat()]
    assert three["last_close"] == {
        "day": d22.isoformat(),
        "closed_at": three["last_close"]["closed_at"],
        "closed_by": "zhaomin",
        "reason": "补录一件后重新日结·𠮷",
    }
    assert _moment(three["last_close"]["closed_at"]) == sw.at(18, 10, d22)
    assert three["closed_at"] is None  # the period's last day, the 23rd, is not closed
    assert four["closed_days"] == [DAY.isoformat()] and four["last_close"]["day"] == DAY.isoformat()
    assert _moment(four["closed_at"]) == sw.at(17, 30) and four["closed_by"] == "zhaomin"

    # One day: the 22nd's close is its later one; a period with no close shows none.
    one = _workstations(central, a3, d22, d22)["003"]
    assert one["closed_days"] == [d22.isoformat()]
    assert _moment(one["closed_at"]) == sw.at(18, 10, d22) and one["close_reason"] == "补录一件后重新日结·𠮷"
    before = _workstations(central, a3, d21 - dt.timedelta(days=5), d21 - dt.timedelta(days=1))
    assert all(w["closed_days"] == [] and w["last_close"] is None for w in before.values())

    # The workstation's SyncClient reads them with the same models.
    client = SyncClient(ClientSettings(server_url=central.url), a3["Authorization"].removeprefix("Bearer "))
    try:
        figures = client.center_figures(d21, DAY)
    finally:
        client.close()
    parsed = {w.workstation_code: w for w in figures.workstations}
    assert parsed["003"].closed_days == [d21, d22]
    assert parsed["003"].last_close is not None and parsed["003"].last_close.closed_at == sw.at(18, 10, d22)
    assert parsed["003"].last_accepted_at is not None and parsed["004"].last_accepted_at is not None
