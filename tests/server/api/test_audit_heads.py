"""Audit heads over real HTTP (docs/sync-protocol.md "Audit heads"): every push carries the workstation's audit chain
position and HMAC; the server keeps the highest per device, refuses one that goes backwards with the reason in the
per-event answer (never a 500, never holding the rest of the batch), and tells a device the head it holds for it."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from sqlalchemy import text

from app.sync import protocol
from tests.server import wire
from tests.server.apikit import CENTER, OTHER, enroll, outcomes, push
from tests.serverkit import count

FORMAT_REASON = "事件格式无效"


def head(seq: int, mac: str, *, center: str = CENTER, workstation: str = "003") -> protocol.Event:
    return protocol.new_event(
        occurred_at=wire.NOW,
        center_code=center,
        workstation_code=workstation,
        application_id=protocol.NO_APPLICATION,
        body=protocol.AuditHead(seq=seq, mac=mac),
    )


def held(server: Any, auth: dict[str, str]) -> dict[str, Any]:
    answer = requests.get(server.api + "/device/audit-head", headers=auth, timeout=5)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_a_head_that_goes_forward_is_kept_and_the_device_reads_it_back(central: Any) -> None:
    auth = enroll(central)
    assert held(central, auth) == {"seq": 0, "mac": None, "received_at": None}
    assert outcomes(push(central, auth, head(5, "a" * 64))) == ["stored"]
    assert outcomes(push(central, auth, head(5, "a" * 64))) == ["duplicate"]  # the same head, pushed again
    assert outcomes(push(central, auth, head(9, "b" * 64))) == ["stored"]
    now = held(central, auth)
    assert (now["seq"], now["mac"]) == (9, "b" * 64) and now["received_at"]
    # A head is no event: nothing of it is stored with the events.
    assert count(central.engine(), "events") == 0
    assert count(central.engine(), "audit_heads") == 1


@pytest.mark.allow_warning_logs
def test_a_head_that_goes_backwards_is_refused_with_its_reason_and_the_rest_of_the_batch_is_stored(
    central: Any,
) -> None:
    auth = enroll(central)
    assert outcomes(push(central, auth, head(40, "c" * 64))) == ["stored"]
    first = wire.taken(f"{CENTER}-003-20261123-0001")
    follow = wire.supplemented(first)
    other = wire.taken(f"{CENTER}-003-20261123-0002")
    results = push(central, auth, first, head(12, "d" * 64), follow, other)
    assert outcomes(results) == ["stored", "rejected", "stored", "stored"]
    assert "倒退" in results[1]["reason"] and "40" in results[1]["reason"] and "12" in results[1]["reason"]
    assert count(central.engine(), "events") == 3
    # The same position with another HMAC: an event replaced.
    results = push(central, auth, head(40, "e" * 64), wire.taken(f"{CENTER}-003-20261123-0003"))
    assert outcomes(results) == ["rejected", "stored"]
    assert "第 40 条" in results[0]["reason"] and "不同" in results[0]["reason"]
    # The server still holds the highest head it accepted, and remembers the last refusal for the operator.
    assert (held(central, auth)["seq"], held(central, auth)["mac"]) == (40, "c" * 64)
    with central.engine().connect() as conn:
        refused = conn.execute(text("SELECT refused_seq, refused_at FROM audit_heads")).one()
    assert refused[0] == 40 and refused[1] is not None
    # Going forward again is taken.
    assert outcomes(push(central, auth, head(41, "f" * 64))) == ["stored"]


def test_heads_are_kept_per_device_and_a_device_reads_only_its_own(central: Any) -> None:
    mine = enroll(central)
    neighbour = enroll(central, workstation="004")
    assert outcomes(push(central, mine, head(30, "a" * 64))) == ["stored"]
    # Another workstation's lower head is its own, not a step back of this one's.
    assert outcomes(push(central, neighbour, head(3, "b" * 64, workstation="004"))) == ["stored"]
    assert held(central, mine)["seq"] == 30
    assert held(central, neighbour)["seq"] == 3
    assert requests.get(central.api + "/device/audit-head", timeout=5).status_code == 401
    # A head in another workstation's name is refused like any such event, and changes nothing.
    results = push(central, mine, head(99, "c" * 64, workstation="004"))
    assert outcomes(results) == ["rejected"] and "不属于" in results[0]["reason"]
    assert held(central, neighbour)["seq"] == 3


def test_odd_heads_are_refused_per_event_never_with_a_500(central: Any) -> None:
    auth = enroll(central, center=OTHER)
    good = head(7, "a" * 64, center=OTHER)
    base = good.model_dump(mode="json")
    odd: list[dict[str, Any]] = []
    for body in (
        {"seq": 0},
        {"seq": -1},
        {"seq": 2**53},
        {"mac": "A" * 64},
        {"mac": "a" * 63},
        {"mac": None},
        {"extra": 1},
    ):
        odd.append({**base, "event_id": str(uuid.uuid4()), "body": {**base["body"], **body}})
    # A head must name no application; an application event must not pass for a head.
    odd.append({**base, "event_id": str(uuid.uuid4()), "application_id": str(uuid.uuid4())})
    pushed = []
    for data in odd:
        payload = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        pushed.append({"event_id": data["event_id"], "sha256": protocol.digest(payload.encode()), "payload": payload})
    answer = requests.post(
        central.api + "/events", json={"events": [*pushed, wire.pushed(good)]}, headers=auth, timeout=10
    )
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["outcome"] for r in results] == ["rejected"] * len(odd) + ["stored"]
    assert all(r["reason"].startswith(FORMAT_REASON) for r in results[:-1]), results
    assert held(central, auth)["seq"] == 7
