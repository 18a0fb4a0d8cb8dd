"""Admission control (server/api/admission.py): beyond K pushes in flight a push is answered at once with 503,
``Retry-After`` and the Chinese ``server_busy`` body, before its body is read; the feed and the other endpoints
still answer; once the held push is done, pushes are admitted again and each event is stored once.

K is 1 and the push in flight is held for real: its body is half sent (tests/server/busykit.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from server.api.admission import CEILING, FLOOR, PushAdmission
from tests.server import wire
from tests.server.apikit import Clock, enroll
from tests.server.busykit import HeldPush, admission
from tests.serverkit import ServerThread, count


@pytest.fixture
def one_slot(store_url: str) -> Iterator[ServerThread]:
    server = ServerThread(store_url, settings_overrides={"max_concurrent_pushes": 1})
    yield server
    server.stop()


def test_a_push_beyond_the_limit_is_told_to_come_back_and_the_feed_still_answers(one_slot: ServerThread) -> None:
    auth = enroll(one_slot)
    held = HeldPush(one_slot, auth, "310104003-003-20261123-0001")
    try:
        refused = requests.post(
            one_slot.api + "/events",
            json={"events": [wire.pushed(wire.taken("310104003-003-20261123-0002"))]},
            headers=auth,
            timeout=10,
        )
        assert refused.status_code == 503
        assert refused.headers["Retry-After"].isdigit() and FLOOR <= int(refused.headers["Retry-After"]) <= CEILING
        assert refused.json()["code"] == "server_busy"
        assert "繁忙" in refused.json()["message"] and "Traceback" not in refused.text
        assert refused.headers["Cache-Control"] == "no-store"
        feed = requests.get(one_slot.api + "/feed", headers=auth, timeout=10)
        assert feed.status_code == 200 and feed.json()["entries"] == []
        assert count(one_slot.engine(), "events") == 0
        answer = held.finish()
    finally:
        held.close()
    assert answer.status == 200, answer.text
    assert [r["outcome"] for r in answer.json()["results"]] == ["stored"]
    again = requests.post(
        one_slot.api + "/events",
        json={"events": [wire.pushed(wire.taken("310104003-003-20261123-0002"))]},
        headers=auth,
        timeout=10,
    )
    assert again.status_code == 200 and [r["outcome"] for r in again.json()["results"]] == ["stored"]
    assert count(one_slot.engine(), "events") == 2
    gate = admission(one_slot)
    assert (gate.admitted, gate.refused, gate.in_flight) == (2, 1, 0)


def test_a_large_refused_body_is_answered_without_breaking_the_connection(one_slot: ServerThread) -> None:
    """The 503 comes before the body is read; the client still gets it whole, however large the body it sent."""
    auth = enroll(one_slot)
    held = HeldPush(one_slot, auth, "310104003-003-20261123-0001")
    try:
        events = [wire.pushed(wire.taken(f"310104003-003-20261123-{n:04d}")) for n in range(2, 400)]
        with requests.Session() as session:
            first = session.post(one_slot.api + "/events", json={"events": events}, headers=auth, timeout=10)
            second = session.get(one_slot.api + "/feed", headers=auth, timeout=10)  # same connection, kept alive
        assert first.status_code == 503 and first.json()["code"] == "server_busy"
        assert second.status_code == 200
    finally:
        held.close()


def test_the_refused_are_promised_slots_one_after_another() -> None:
    """Retry-After spreads the refused pushes over the time the admitted ones need, within its bounds."""
    clock = Clock()
    gate = PushAdmission(None, limit=2, clock=clock)
    gate.service_time = 3.0  # a push takes 3 s: a slot frees every 1.5 s
    waits = [gate.retry_after() for _ in range(6)]
    # Slots at 1.5, 3, 4.5, … s; told 1.25 times less (the client adds up to half at random), in whole seconds.
    assert waits == [1, 2, 4, 5, 6, 7]
    clock.now += 100  # the promises have passed: the next refused is told the next slot from now
    assert gate.retry_after() == 1
    for _ in range(200):
        last = gate.retry_after()
    assert last == CEILING


def test_other_endpoints_are_not_limited(one_slot: ServerThread) -> None:
    auth = enroll(one_slot)
    held = HeldPush(one_slot, auth, "310104003-003-20261123-0001")
    try:
        assert requests.get(one_slot.api + "/health", timeout=10).status_code == 200
        assert requests.get(one_slot.api + "/device/audit-head", headers=auth, timeout=10).status_code == 200
        assert admission(one_slot).refused == 0
    finally:
        held.close()
