"""The center's figures and a workstation's reconciliation on a real server: two workstations of one center and a
third of another, each pushing its day; a device hears its own center only (no parameter or header names another),
its own workstation's numbers of the day with the events held for each, bad periods get a Chinese 4xx, a revoked
device nothing; and the workstation's SyncClient reads both answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from sqlalchemy.orm import Session

from app.errors import DeviceRevokedError, SyncRefusedError
from app.sync import protocol
from app.sync.client import ClientSettings, SyncClient
from server.services import devices
from tests.server import supervisor_wire as sw
from tests.server import wire
from tests.server.apikit import CENTER, OTHER, enroll, outcomes, push, transition
from tests.serverkit import enrollment_code, operator_token

DAY = sw.DAY
EARLIER = dt.date(2026, 11, 10)
A3 = f"{CENTER}-003-20261123-"
A4 = f"{CENTER}-004-20261123-"
OLD = f"{CENTER}-003-20261110-"


@dataclass
class City:
    """Who pushed what: center A with windows 003 and 004, center B with its own 003."""

    a3: dict[str, str]
    a4: dict[str, str]
    b3: dict[str, str]


def _voided_at(previous: protocol.Event, moment: dt.datetime) -> protocol.Event:
    return wire.voided(previous).model_copy(update={"occurred_at": moment})


@pytest.fixture
def city(central: Any) -> City:
    a3, a4 = enroll(central, workstation="003"), enroll(central, workstation="004")
    b3 = enroll(central, center=OTHER, workstation="003")
    # Center A, window 003: three cases of the day, two older ones still owed, ratings, a correction before the
    # day's close and a voiding after it.
    first = sw.taken(A3 + "0001", received=sw.at(9, 10), called=sw.at(9, 5), decided=sw.at(9, 30))
    second = sw.taken(A3 + "0002", kind="supplement", received=sw.at(10))
    third = sw.taken(A3 + "0003", kind="refuse", received=sw.at(14), item=("MZ-TEST-009", "测试事项·𠮷"))
    old = sw.taken(OLD + "0001", received=sw.at(10, day=EARLIER), promised=dt.date(2026, 11, 20))
    done = sw.taken(OLD + "0002", received=sw.at(11, day=EARLIER), promised=dt.date(2026, 11, 19))
    bad = sw.rating(second, "dissatisfied", phone="13900000000", rated=sw.at(15, 10))
    events = [
        first,
        second,
        sw.supplemented(second, decided=sw.at(15, 5)),
        third,
        old,
        done,
        sw.rating(first, "very_satisfied", rated=sw.at(9, 35)),
        bad,
        sw.follow_up(bad, "contact", when=sw.at(16)),
        wire.corrected(first),  # at 10:00, before the close
        sw.day_closed(numbers=[A3 + "0001", A3 + "0003"], applications=3, closed=sw.at(17, 30)),
        _voided_at(third, sw.at(18)),  # after the close
    ]
    assert set(outcomes(push(central, a3, *events))) == {"stored"}
    token = operator_token(central.engine(), centers=(CENTER,))
    for status in ("reviewing", "completed"):
        assert transition(central, token, OLD + "0002", status).status_code == 200
    # Window 004: one case of the day, one of the next.
    later = sw.taken(f"{CENTER}-004-20261124-0001", workstation="004", received=sw.at(9, day=DAY + dt.timedelta(1)))
    b1 = sw.taken(A4 + "0001", workstation="004", clerk="liqiang", received=sw.at(11))
    assert outcomes(push(central, a4, b1, later)) == ["stored", "stored"]
    # Center B: its own window 003, the same day, the same sequence numbers.
    theirs = [
        sw.taken(f"{OTHER}-003-20261123-000{n}", center=OTHER, clerk="zhangsan", received=sw.at(9 + n)) for n in (1, 2)
    ]
    assert outcomes(push(central, b3, *theirs)) == ["stored", "stored"]
    return City(a3, a4, b3)


def _figures(central: Any, auth: dict[str, str], **params: str) -> requests.Response:
    return requests.get(central.api + "/center/figures", params=params, headers=auth, timeout=10)


def _tallies(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {row["key"]: row["count"] for row in rows}


def test_the_centers_figures_hold_both_its_workstations_and_nothing_of_another_center(central: Any, city: City) -> None:
    answer = _figures(central, city.a3, first=DAY.isoformat(), last=DAY.isoformat())
    assert answer.status_code == 200, answer.text
    body = answer.json()
    summary = body["summary"]
    assert body["center_code"] == CENTER
    assert (summary["first"], summary["last"]) == ("2026-11-23", "2026-11-23")
    assert (summary["applications"], summary["voided"]) == (3, 1)  # the refused case was voided after the close
    assert _tallies(summary["by_clerk"]) == {"wangli": 2, "liqiang": 1}  # nobody of center B
    assert _tallies(summary["by_decision"]) == {"accept": 2, "supplement": 1}
    assert _tallies(summary["return_visits"]) == {"accept": 1}
    assert _tallies(summary["by_item"]) == {"MZ-SHJZ-002": 3}
    assert _tallies(summary["by_hour"])["09"] == 1 and _tallies(summary["by_hour"])["11"] == 1
    # 办理时长: 09:05 叫号 → 09:30 (1 500 s); 10:00 and 11:00 received → 20 minutes later (1 200 s each).
    [duration] = summary["durations"]
    assert (duration["count"], duration["median_seconds"], duration["longest_seconds"]) == (3, 1200, 1500)
    levels = _tallies(summary["ratings"])
    assert (levels["very_satisfied"], levels["dissatisfied"], levels["unrated"]) == (1, 1, 0)
    [bad] = summary["bad_ratings"]
    assert (bad["acceptance_no"], bad["state"], bad["named"]) == (A3 + "0002", "contacted", True)
    assert [c["acceptance_no"] for c in summary["overdue"]] == [OLD + "0001"]  # the completed one is not owed
    changes = {c["kind"]: c for c in summary["changes"]}
    assert changes["corrected"]["acceptance_no"] == A3 + "0001" and changes["corrected"]["closed_day"] is False
    assert changes["voided"]["acceptance_no"] == A3 + "0003" and changes["voided"]["closed_day"] is True
    assert changes["voided"]["approved_by"] == "zhaomin"

    days = {w["workstation_code"]: w for w in body["workstations"]}
    assert set(days) == {"003", "004"}
    # Counted as the summary counts: the voided case (003's) not among them, so the workstations add up to it.
    assert days["003"]["applications"] == 2 and days["004"]["applications"] == 1
    assert days["003"]["closed_by"] == "zhaomin" and days["003"]["closed_at"] is not None
    assert days["004"]["closed_at"] is None
    assert days["003"]["last_push_at"] is not None and days["004"]["last_push_at"] is not None
    # The neighbour's device hears the same center.
    neighbour = _figures(central, city.a4, first=DAY.isoformat()).json()
    assert neighbour["summary"]["applications"] == 3 and neighbour["center_code"] == CENTER


def test_a_device_of_center_b_gets_only_bs_figures_whatever_it_asks(central: Any, city: City) -> None:
    plain = _figures(central, city.b3, first=DAY.isoformat()).json()
    assert plain["center_code"] == OTHER
    assert plain["summary"]["applications"] == 2
    assert _tallies(plain["summary"]["by_clerk"]) == {"zhangsan": 2}
    assert [w["workstation_code"] for w in plain["workstations"]] == ["003"]
    assert plain["workstations"][0]["closed_at"] is None  # A's 003 closed its day, B's did not
    assert plain["summary"]["overdue"] == [] and plain["summary"]["bad_ratings"] == []
    # A forged query parameter or header naming center A changes nothing.
    forged = _figures(
        central, {**city.b3, "X-Center-Code": CENTER}, first=DAY.isoformat(), center_code=CENTER, center=CENTER
    )
    assert forged.status_code == 200
    body = forged.json()
    assert body["center_code"] == OTHER and body["summary"] == plain["summary"]
    # Nor does a device's credential of B with A's codes in the path of the reconciliation.
    mine = requests.get(
        central.api + "/device/reconciliation",
        params={"day": DAY.isoformat(), "center_code": CENTER},
        headers=city.b3,
        timeout=10,
    ).json()
    assert (mine["center_code"], mine["workstation_code"]) == (OTHER, "003")
    assert [c["acceptance_no"] for c in mine["cases"]] == [f"{OTHER}-003-20261123-0001", f"{OTHER}-003-20261123-0002"]


def test_a_period_of_several_days_counts_each_day_once(central: Any, city: City) -> None:
    body = _figures(central, city.a3, first="2026-11-10", last="2026-11-24").json()
    assert body["summary"]["applications"] == 6  # the two older, the day's three (one voided), 004's two
    assert body["summary"]["voided"] == 1
    days = {w["workstation_code"]: w["applications"] for w in body["workstations"]}
    assert days == {"003": 4, "004": 2}  # the voided one left out, as in the summary: 4 + 2 == 6
    # The close shown is that of the period's last day: 003 closed the 23rd, not the 24th.
    assert all(w["closed_at"] is None for w in body["workstations"])


@pytest.mark.parametrize(
    ("params", "code", "words"),
    [
        ({"first": "2026-11-23", "last": "2026-11-22"}, "invalid_period", "结束日期早于开始日期"),
        ({"first": "2026-11-01", "last": "2026-12-02"}, "invalid_period", "最多查询 31 天"),
        ({"first": "9999-12-31"}, "invalid_period", "日期超出范围"),
        ({"first": "2026-11-23", "last": "1849-12-31"}, "invalid_period", "日期超出范围"),
        ({"first": "2026-11-23", "last": "2026-13-01"}, "invalid_request", "请求格式无效"),
        ({"first": "2026-11-23", "last": ""}, "invalid_request", "请求格式无效"),
        ({"first": "2026-02-30"}, "invalid_request", "请求格式无效"),
        ({"first": "23.11.2026"}, "invalid_request", "请求格式无效"),
        ({}, "invalid_request", "请求格式无效"),
    ],
)
def test_a_bad_period_is_a_4xx_with_a_chinese_reason(
    central: Any, params: dict[str, str], code: str, words: str
) -> None:
    auth = enroll(central)
    answer = _figures(central, auth, **params)
    assert answer.status_code == 422
    assert answer.json()["code"] == code and words in answer.json()["message"]


def test_31_days_are_answered(central: Any) -> None:
    auth = enroll(central)
    answer = _figures(central, auth, first="2026-11-01", last="2026-12-01")
    assert answer.status_code == 200 and answer.json()["summary"]["applications"] == 0


def test_reconciliation_lists_exactly_the_days_numbers_of_the_workstation_with_their_events(
    central: Any, city: City
) -> None:
    answer = requests.get(
        central.api + "/device/reconciliation", params={"day": DAY.isoformat()}, headers=city.a3, timeout=10
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["center_code"], body["workstation_code"], body["day"]) == (CENTER, "003", "2026-11-23")
    cases = {c["acceptance_no"]: (c["events"], c["event_types"]) for c in body["cases"]}
    assert cases == {
        A3 + "0001": (3, {"application.corrected": 1, "application.taken": 1, "rating.recorded": 1}),
        A3 + "0002": (
            4,
            {
                "application.supplemented": 1,
                "application.taken": 1,
                "rating.followed_up": 1,
                "rating.recorded": 1,
            },
        ),
        A3 + "0003": (2, {"application.taken": 1, "application.voided": 1}),
    }
    assert body["closed_at"] is not None
    assert dt.datetime.fromisoformat(body["closed_at"]) == sw.at(17, 30)
    older = requests.get(
        central.api + "/device/reconciliation", params={"day": "2026-11-10"}, headers=city.a3, timeout=10
    ).json()
    assert [c["acceptance_no"] for c in older["cases"]] == [OLD + "0001", OLD + "0002"]
    assert older["closed_at"] is None
    neighbour = requests.get(
        central.api + "/device/reconciliation", params={"day": DAY.isoformat()}, headers=city.a4, timeout=10
    ).json()
    assert [c["acceptance_no"] for c in neighbour["cases"]] == [A4 + "0001"] and neighbour["closed_at"] is None
    empty = requests.get(
        central.api + "/device/reconciliation", params={"day": "2026-11-22"}, headers=city.a3, timeout=10
    ).json()
    assert empty["cases"] == []
    bad = requests.get(
        central.api + "/device/reconciliation", params={"day": "2026-11-31"}, headers=city.a3, timeout=10
    )
    assert bad.status_code == 422 and "请求格式无效" in bad.json()["message"]


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/device/reconciliation", {"day": "9999-12-31"}, 422),
        ("/device/reconciliation", {"day": "0001-01-01"}, 422),
        ("/device/reconciliation", {"day": "-2026-11-23"}, 422),
        ("/center/figures", {"first": "2026-11-23", "x": "a" * 10_000_000}, 400),
        ("/device/reconciliation", {"day": "2026-11-23" + "0" * 10_000_000}, 400),
    ],
)
def test_an_odd_or_oversized_query_is_a_4xx_never_a_500(
    central: Any, path: str, params: dict[str, str], status: int
) -> None:
    answer = requests.get(central.api + path, params=params, headers=enroll(central), timeout=30)
    assert answer.status_code == status


ASKS = (("/center/figures", {"first": "2026-11-23"}), ("/device/reconciliation", {"day": "2026-11-23"}))


def test_without_a_credential_or_with_a_revoked_one_nothing_is_answered(central: Any, city: City) -> None:
    for path, params in (
        ("/center/figures", {"first": "2026-11-23"}),
        ("/device/reconciliation", {"day": "2026-11-23"}),
    ):
        assert requests.get(central.api + path, params=params, timeout=10).status_code == 401
    with Session(central.engine()) as session, session.begin():
        assert devices.revoke_device(session, center_code=CENTER, workstation_code="003", reason="test") == 1
    for path, params in (
        ("/center/figures", {"first": "2026-11-23"}),
        ("/device/reconciliation", {"day": "2026-11-23"}),
    ):
        answer = requests.get(central.api + path, params=params, headers=city.a3, timeout=10)
        assert answer.status_code == 403 and answer.json()["code"] == "device_revoked"
    assert _figures(central, city.a4, first="2026-11-23").status_code == 200  # the neighbour still works
    # A pending enrollment (claimed, not confirmed) of the center is no device yet.
    pending = requests.post(
        central.api + "/enrollments",
        json={
            "code": enrollment_code(central.engine(), CENTER, "005"),
            "center_code": CENTER,
            "workstation_code": "005",
        },
        timeout=10,
    ).json()["token"]
    for path, params in ASKS:
        answer = requests.get(
            central.api + path, params=params, headers={"Authorization": f"Bearer {pending}"}, timeout=10
        )
        assert answer.status_code == 401 and answer.json()["code"] == "enrollment_unconfirmed"


def test_the_sync_client_reads_the_figures_and_the_reconciliation(central: Any, city: City) -> None:
    client = SyncClient(ClientSettings(server_url=central.url), city.a3["Authorization"].removeprefix("Bearer "))
    try:
        figures = client.center_figures(DAY, DAY)
        assert isinstance(figures, protocol.CenterFigures)
        assert figures.center_code == CENTER and figures.summary.applications == 3
        assert figures.summary.first == DAY
        assert [w.workstation_code for w in figures.workstations] == ["003", "004"]
        reconciled = client.reconciliation(DAY)
        assert isinstance(reconciled, protocol.Reconciliation)
        assert [c.acceptance_no for c in reconciled.cases] == [A3 + "0001", A3 + "0002", A3 + "0003"]
        assert reconciled.cases[1].event_types["rating.followed_up"] == 1
        with pytest.raises(SyncRefusedError) as refused:
            client.center_figures(DAY, DAY - dt.timedelta(days=1))
        assert refused.value.status == 422 and "结束日期早于开始日期" in refused.value.message.render()
        with Session(central.engine()) as session, session.begin():
            devices.revoke_device(session, center_code=CENTER, workstation_code="003", reason="test")
        with pytest.raises(DeviceRevokedError):
            client.reconciliation(DAY)
    finally:
        client.close()
