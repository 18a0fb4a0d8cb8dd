"""Push framing version 2 (docs/sync-protocol.md "Push framing, version 2"): each payload sent once as the outbox's
bytes, hashed, parsed and stored as they are; every malformed frame answered 422 with where; version 1 still read;
version 2 turned off answers 415.  Over real HTTP against the real server on PostgreSQL."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import requests
from sqlalchemy import text

from app.sync import protocol
from tests.server import wire
from tests.server.apikit import CENTER, enroll, outcomes, push
from tests.serverkit import ServerThread, count, running

V2 = {"Content-Type": protocol.PUSH_V2_MEDIA_TYPE}
#: 𠮷 (four bytes), ·, a line separator, quotes and a backslash: escaped in version 1's JSON text, raw bytes here.
AWKWARD_NAME = '𠮷乃·"阿依"\\古丽\u2028'


def framed(*events: protocol.Event) -> list[protocol.FramedEvent]:
    out = []
    for event in events:
        payload = protocol.serialize(event)
        out.append(protocol.FramedEvent(event.event_id, protocol.digest(payload), payload))
    return out


def post_v2(server: Any, auth: dict[str, str], body: bytes) -> requests.Response:
    return requests.post(server.api + "/events", data=body, headers={**auth, **V2}, timeout=30)


def stored_payloads(server: Any) -> dict[str, bytes]:
    with server.engine().connect() as conn:
        rows = conn.execute(text("SELECT event_id, payload FROM events")).all()
    return {str(uuid.UUID(str(r[0]))): bytes(r[1]) for r in rows}


def test_a_v2_push_stores_the_very_bytes_sent_once_and_answers_like_v1(central: Any) -> None:
    auth = enroll(central)
    first = wire.taken(f"{CENTER}-003-20261123-0001", name=AWKWARD_NAME)
    follow = wire.supplemented(wire.taken(f"{CENTER}-003-20261123-0002", kind="supplement"))
    second = wire.taken(f"{CENTER}-003-20261123-0002", kind="supplement", app_id=follow.application_id)
    events = framed(first, second, follow)
    answer = post_v2(central, auth, protocol.frame_events(events))
    assert answer.status_code == 200, answer.text
    assert answer.headers[protocol.PUSH_FRAMING_HEADER] == "2"
    assert outcomes(answer.json()["results"]) == ["stored", "stored", "stored"]
    assert stored_payloads(central) == {str(e.event_id): e.payload for e in events}
    assert "\u2028".encode() in events[0].payload and "𠮷".encode() in events[0].payload
    # Again in version 2, and the same events in version 1: each is already had, nothing is stored twice.
    again = post_v2(central, auth, protocol.frame_events(events))
    assert outcomes(again.json()["results"]) == ["duplicate"] * 3
    assert outcomes(push(central, auth, first, second, follow)) == ["duplicate"] * 3
    assert count(central.engine(), "events") == 3 and count(central.engine(), "applications") == 2


def test_the_hash_is_over_the_exact_bytes_which_are_stored_unchanged(central: Any) -> None:
    auth = enroll(central)
    event = wire.taken(f"{CENTER}-003-20261123-0001", name=AWKWARD_NAME)
    canonical = protocol.serialize(event)
    # Valid JSON of the same event, written otherwise (· and 𠮷 escaped, a space after the first comma): the server
    # neither re-encodes nor canonicalizes, so these bytes are what it hashes and keeps.
    escaped = canonical.decode().replace("·", "\\u00b7").replace("𠮷", "\\ud842\\udfb7").replace(",", ", ", 1)
    other = escaped.encode()
    assert other != canonical and protocol.parse(other) == event
    damaged_event = wire.taken(f"{CENTER}-003-20261123-0002")
    damaged = protocol.serialize(damaged_event)
    good_digest = protocol.digest(damaged)
    damaged = damaged.replace(b"11010519491231002X", b"11010519491231003X")
    frames = [
        protocol.FramedEvent(event.event_id, hashlib.sha256(other).hexdigest(), other),
        protocol.FramedEvent(damaged_event.event_id, good_digest, damaged),
    ]
    results = post_v2(central, auth, protocol.frame_events(frames)).json()["results"]
    assert outcomes(results) == ["stored", "rejected"]
    assert "SHA-256" in results[1]["reason"]
    assert stored_payloads(central) == {str(event.event_id): other}


def test_a_payload_that_is_no_utf8_is_that_events_refusal_and_the_rest_is_stored(central: Any) -> None:
    auth = enroll(central)
    fine = framed(wire.taken(f"{CENTER}-003-20261123-0001"))[0]
    broken = framed(wire.taken(f"{CENTER}-003-20261123-0002"))[0]
    bad = broken.payload.replace("𠮷".encode(), b"\xf0\x28\x8c\xbc")
    frames = [protocol.FramedEvent(broken.event_id, protocol.digest(bad), bad), fine]
    answer = post_v2(central, auth, protocol.frame_events(frames))
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert outcomes(results) == ["rejected", "stored"]
    assert results[0]["reason"].startswith("事件格式无效")
    assert list(stored_payloads(central)) == [str(fine.event_id)]


def _one() -> tuple[bytes, bytes]:
    """A well-formed single-event frame: (its header line, its payload)."""
    event = framed(wire.taken(f"{CENTER}-003-20261123-0001"))[0]
    return b"%s %s %d\n" % (str(event.event_id).encode(), event.sha256.encode(), len(event.payload)), event.payload


HEADER, PAYLOAD = _one()
UPPER = HEADER[:36].upper() + HEADER[36:]
MALFORMED = {
    "no first line": (b"", "首行"),
    "another version": (b"YIMEN-EVENTS 3 1\n" + HEADER + PAYLOAD + b"\n", "首行"),
    "no events": (b"YIMEN-EVENTS 2 0\n", "首行"),
    "too many": (b"YIMEN-EVENTS 2 501\n" + HEADER + PAYLOAD + b"\n", "超过每批上限 500"),
    "upper-case id": (b"YIMEN-EVENTS 2 1\n" + UPPER + PAYLOAD + b"\n", "第 1 个事件的头部格式无效"),
    "bad hash text": (b"YIMEN-EVENTS 2 1\n" + HEADER[:37] + b"z" + HEADER[38:] + PAYLOAD + b"\n", "第 1 个事件的头部"),
    "no length": (b"YIMEN-EVENTS 2 1\n" + HEADER.rsplit(b" ", 1)[0] + b"\n" + PAYLOAD + b"\n", "第 1 个事件的头部"),
    "zero length": (b"YIMEN-EVENTS 2 1\n" + HEADER.rsplit(b" ", 1)[0] + b" 0\n\n", "字节数 0 超出范围"),
    "length past the end": (b"YIMEN-EVENTS 2 1\n" + HEADER + PAYLOAD[:-5], "第 1 个事件的内容超出请求末尾"),
    "length too short": (b"YIMEN-EVENTS 2 1\n" + HEADER + PAYLOAD + b"  \n", "第 1 个事件的内容后缺少换行"),
    "fewer events than said": (
        b"YIMEN-EVENTS 2 2\n" + HEADER + PAYLOAD + b"\n",
        "第 2 个事件的头部格式无效（请求在此处结束）",
    ),
    "the same id twice": (b"YIMEN-EVENTS 2 2\n" + (HEADER + PAYLOAD + b"\n") * 2, "第 2 个事件的编号在本批中重复"),
    "trailing bytes": (b"YIMEN-EVENTS 2 1\n" + HEADER + PAYLOAD + b"\n" + b"{}", "第 1 个事件之后还有多余的内容"),
}


def test_every_malformed_frame_is_a_422_saying_where_and_nothing_is_stored(central: Any) -> None:
    auth = enroll(central)
    for case, (body, where) in MALFORMED.items():
        answer = post_v2(central, auth, body)
        assert answer.status_code == 422, (case, answer.text)
        assert answer.json()["code"] == "invalid_frame", case
        assert where in answer.json()["message"], (case, answer.json()["message"])
        assert answer.json()["message"].startswith("推送格式无效"), case
    assert count(central.engine(), "events") == 0
    # The same events well framed are taken: nothing of the refusals stuck.
    assert post_v2(central, auth, b"YIMEN-EVENTS 2 1\n" + HEADER + PAYLOAD + b"\n").status_code == 200
    assert count(central.engine(), "events") == 1


def test_an_oversized_v2_body_is_a_413(central: Any) -> None:
    auth = enroll(central)
    body = b"YIMEN-EVENTS 2 1\n" + HEADER.rsplit(b" ", 1)[0] + b" 3999999\n" + b"{" * (17 * 1024 * 1024)
    answer = post_v2(central, auth, body)
    assert answer.status_code == 413 and answer.json()["code"] == "too_large"
    assert count(central.engine(), "events") == 0


def test_v2_turned_off_answers_415_names_no_framing_and_still_reads_v1(store_url: str) -> None:
    with running(ServerThread(store_url, settings_overrides={"push_framing_v2": False})) as server:
        auth = enroll(server)
        event = wire.taken(f"{CENTER}-003-20261123-0001")
        refused = post_v2(server, auth, protocol.frame_events(framed(event)))
        assert refused.status_code == 415 and refused.json()["code"] == "framing_unsupported"
        assert protocol.PUSH_FRAMING_HEADER not in refused.headers
        assert count(server.engine(), "events") == 0
        answer = requests.post(server.api + "/events", json={"events": [wire.pushed(event)]}, headers=auth, timeout=10)
        assert outcomes(answer.json()["results"]) == ["stored"]
        assert protocol.PUSH_FRAMING_HEADER not in answer.headers
