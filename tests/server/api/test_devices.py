"""Devices: enrollment codes, enrollment (two-phase, and the one-phase ``/enroll`` of earlier workstations) and its
rate limit, credentials and their revocation."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import requests
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from server.services.stats import counts
from server.store.models import Device, EnrollmentCode
from tests.server import wire
from tests.server.apikit import CENTER, Clock, enroll, push
from tests.serverkit import ServerThread, count, enrollment_code


def test_enrollment_code_is_single_use_and_bound_to_its_workstation(central: Any) -> None:
    code = enrollment_code(central.engine(), CENTER, "003")
    wrong = requests.post(
        central.api + "/enroll", json={"code": code, "center_code": CENTER, "workstation_code": "004"}, timeout=5
    )
    assert wrong.status_code == 403
    assert wrong.json()["code"] == "enrollment_refused"
    first = requests.post(
        central.api + "/enroll", json={"code": code, "center_code": CENTER, "workstation_code": "003"}, timeout=5
    )
    assert first.status_code == 200
    token = first.json()["token"]
    again = requests.post(
        central.api + "/enroll", json={"code": code, "center_code": CENTER, "workstation_code": "003"}, timeout=5
    )
    assert again.status_code == 403
    # Only the hash of the credential is stored.
    with central.engine().connect() as conn:
        hashes = [row[0] for row in conn.execute(text("SELECT token_hash FROM devices"))]
    assert token not in json.dumps(hashes) and len(hashes) == 1


def test_expired_code_is_refused_like_an_unknown_one(central: Any) -> None:
    code = enrollment_code(central.engine(), CENTER, "003")
    with Session(central.engine()) as session, session.begin():
        session.execute(update(EnrollmentCode).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    expired = requests.post(
        central.api + "/enroll", json={"code": code, "center_code": CENTER, "workstation_code": "003"}, timeout=5
    )
    unknown = requests.post(
        central.api + "/enroll",
        json={"code": "AAAA-BBBB-CCCC-DDDD", "center_code": CENTER, "workstation_code": "003"},
        timeout=5,
    )
    assert expired.status_code == unknown.status_code == 403
    assert expired.json() == unknown.json()


def test_enrollment_is_rate_limited(store_url: str) -> None:
    server = ServerThread(store_url, settings_overrides={"enroll_rate_per_minute": 3})
    clock = Clock()  # no token comes back while the requests run, however slow they are
    server.app.state.runtime.rate_limits.enroll.clock = clock
    try:

        def attempt(path: str = "/enroll") -> int:
            return requests.post(
                server.api + path,
                json={"code": "AAAA-BBBB-CCCC-DDDD", "center_code": CENTER, "workstation_code": "003"},
                timeout=5,
            ).status_code

        # The one-phase and the two-phase enrollment share one budget.
        answers = [attempt(path) for path in ("/enroll", "/enrollments", "/enroll", "/enrollments", "/enroll")]
        assert answers[:3] == [403, 403, 403]
        assert answers[3:] == [429, 429]
        refused = requests.post(server.api + "/enroll", json={}, timeout=5)
        assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"  # before the body is judged
        assert refused.headers["Retry-After"] == "20"
        page = requests.get(server.url + "/q/x?c=1", timeout=5)
        assert page.status_code == 404  # the progress page has a budget of its own
        clock.now += 20  # one token back: the next attempt is judged again, and refused as a wrong code
        assert [attempt(), attempt()] == [403, 429]
    finally:
        server.stop()


def test_reenrolling_a_workstation_replaces_its_credential(central: Any) -> None:
    old = enroll(central)
    new = enroll(central)
    assert requests.get(central.api + "/device", headers=new, timeout=5).status_code == 200
    refused = requests.get(central.api + "/device", headers=old, timeout=5)
    assert refused.status_code == 403 and refused.json()["code"] == "device_revoked"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/feed"), ("POST", "/events"), ("GET", "/device"), ("PUT", "/documents/" + "a" * 64)],
)
def test_every_sync_endpoint_needs_a_credential(central: Any, method: str, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer ymd_forged"}, {"Authorization": "Basic eDp5"}):
        answer = requests.request(method, central.api + path, headers=headers, json={"events": []}, timeout=5)
        assert answer.status_code == 401, (path, headers, answer.text)
        assert set(answer.json()) == {"code", "message"}


def test_revoked_device_is_refused_with_a_clear_message(central: Any) -> None:
    from server.services import devices

    auth = enroll(central)
    with Session(central.engine()) as session, session.begin():
        assert devices.revoke_device(session, center_code=CENTER, workstation_code="003", reason="stolen") == 1
    answer = requests.get(central.api + "/feed", headers=auth, timeout=5)
    assert answer.status_code == 403
    assert answer.json()["code"] == "device_revoked"
    assert "吊销" in answer.json()["message"]


# ------------------------------------------------------------------------------------------------ two-phase enrollment


def claim(server: Any, code: str, workstation: str = "003", center: str = CENTER) -> requests.Response:
    return requests.post(
        server.api + "/enrollments",
        json={"code": code, "center_code": center, "workstation_code": workstation},
        timeout=5,
    )


def confirm(server: Any, token: str) -> requests.Response:
    return requests.post(server.api + "/enrollments/confirm", headers=bearer(token), timeout=5)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_claimed_code_stays_usable_and_the_old_credential_works_until_the_new_one_is_confirmed(
    central: Any,
) -> None:
    old = enroll(central)
    code = enrollment_code(central.engine(), CENTER, "003")
    first = claim(central, code)
    assert first.status_code == 200, first.text
    assert first.json()["confirm_before"]
    # The workstation could not save it (its keyring refused): the old credential still works, the code too.
    assert requests.get(central.api + "/device", headers=old, timeout=5).status_code == 200
    second = claim(central, code)
    assert second.status_code == 200
    pending = second.json()["token"]
    # The earlier claim's credential was replaced by the later one: it can no longer be confirmed.
    assert confirm(central, first.json()["token"]).json()["code"] == "device_revoked"
    assert requests.get(central.api + "/device", headers=old, timeout=5).status_code == 200

    confirmed = confirm(central, pending)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["device_id"] == second.json()["device_id"]
    # Only now: the code is used up and the old credential revoked.
    assert claim(central, code).status_code == 403
    refused = requests.get(central.api + "/device", headers=old, timeout=5)
    assert refused.status_code == 403 and refused.json()["code"] == "device_revoked"
    assert requests.get(central.api + "/device", headers=bearer(pending), timeout=5).status_code == 200
    # A confirmation asked again (its answer was lost) answers the same.
    replay = confirm(central, pending)
    assert replay.status_code == 200 and replay.json() == confirmed.json()
    with central.engine().connect() as conn:
        live = conn.execute(text("SELECT count(*) FROM devices WHERE revoked_at IS NULL")).scalar_one()
    assert live == 1


def test_a_pending_credential_authenticates_for_nothing_but_its_confirmation(central: Any) -> None:
    pending = claim(central, enrollment_code(central.engine(), CENTER, "003")).json()["token"]
    event = wire.taken(f"{CENTER}-003-20261123-0001")
    calls = [
        ("POST", "/events", {"json": {"events": [wire.pushed(event)]}}),
        ("GET", "/feed", {}),
        ("GET", "/device", {}),
        ("PUT", "/documents/" + "a" * 64, {"data": b"%PDF-1.7"}),
    ]
    for method, path, extra in calls:
        answer = requests.request(method, central.api + path, headers=bearer(pending), timeout=5, **extra)
        assert answer.status_code == 401, (path, answer.text)
        assert answer.json()["code"] == "enrollment_unconfirmed"
    assert count(central.engine(), "events") == 0
    with Session(central.engine()) as session:
        assert counts(session)["devices"] == 0  # a pending enrollment is not an enrolled device yet
    assert confirm(central, pending).status_code == 200
    with Session(central.engine()) as session:
        assert counts(session)["devices"] == 1
    assert push(central, bearer(pending), event) == [
        {"event_id": str(event.event_id), "outcome": "stored", "reason": None}
    ]


def test_a_pending_credential_never_confirmed_expires_and_the_code_may_be_claimed_again(central: Any) -> None:
    code = enrollment_code(central.engine(), CENTER, "003")
    pending = claim(central, code).json()["token"]
    with Session(central.engine()) as session, session.begin():
        session.execute(update(Device).values(pending_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    late = confirm(central, pending)
    assert late.status_code == 403 and late.json()["code"] == "enrollment_expired"
    again = claim(central, code)
    assert again.status_code == 200
    assert confirm(central, again.json()["token"]).status_code == 200


def test_a_new_code_for_a_workstation_revokes_its_older_unused_ones(central: Any) -> None:
    older = enrollment_code(central.engine(), CENTER, "003")
    pending = claim(central, older).json()["token"]
    elsewhere = enrollment_code(central.engine(), CENTER, "004")
    newer = enrollment_code(central.engine(), CENTER, "003")
    assert claim(central, older).status_code == 403
    refused = confirm(central, pending)  # claimed before the newer code was issued: it cannot be confirmed
    assert refused.status_code == 403 and refused.json()["code"] == "enrollment_refused"
    assert claim(central, elsewhere, "004").status_code == 200  # another workstation's code is untouched
    assert confirm(central, claim(central, newer).json()["token"]).status_code == 200


@pytest.mark.parametrize(
    ("center", "workstation", "said"),
    [
        ("31010400", "003", "中心代码“31010400”无效：应为 9 至 12 位数字"),
        ("3101040031234", "003", "中心代码“3101040031234”无效"),
        ("３１０１０４００３", "003", "中心代码“３１０１０４００３”无效"),
        ("31010400X", "003", "中心代码“31010400X”无效"),
        (CENTER, "03", "工位代码“03”无效：应为 3 位数字"),
        (CENTER, "0003", "工位代码“0003”无效"),
        (CENTER, "００３", "工位代码“００３”无效"),
    ],
)
def test_no_code_is_issued_for_a_center_or_workstation_that_cannot_exist(
    store_url: str, center: str, workstation: str, said: str
) -> None:
    from server.services.common import ServiceError
    from server.store.db import create_store_engine

    engine = create_store_engine(store_url)
    try:
        with pytest.raises(ServiceError) as refused:
            enrollment_code(engine, center, workstation)
        assert said in refused.value.message
        assert count(engine, "enrollment_codes") == 0
    finally:
        engine.dispose()
