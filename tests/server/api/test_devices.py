"""Devices: enrollment codes, enrollment and its rate limit, credentials and their revocation."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import requests
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from server.store.models import EnrollmentCode
from tests.server.apikit import CENTER, Clock, enroll
from tests.serverkit import ServerThread, enrollment_code


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
    server = ServerThread(store_url, settings_overrides={"public_rate_per_minute": 3})
    clock = Clock()  # no token comes back while the requests run, however slow they are
    server.app.state.runtime.rate_limiter.clock = clock
    try:

        def attempt() -> int:
            return requests.post(
                server.api + "/enroll",
                json={"code": "AAAA-BBBB-CCCC-DDDD", "center_code": CENTER, "workstation_code": "003"},
                timeout=5,
            ).status_code

        answers = [attempt() for _ in range(5)]
        assert answers[:3] == [403, 403, 403]
        assert answers[3:] == [429, 429]
        page = requests.get(server.url + "/q/x?c=1", timeout=5)
        assert page.status_code == 429
        assert page.json()["code"] == "rate_limited"
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
