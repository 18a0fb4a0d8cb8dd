"""The central server's API over real HTTP on 127.0.0.1, on a real store (PostgreSQL where it runs)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests
from sqlalchemy import event, text, update
from sqlalchemy.orm import Session

from server.api.ratelimit import RateLimiter
from server.store.models import EnrollmentCode
from tests.server import wire
from tests.serverkit import ServerThread, count, enrollment_code, lock_waits, operator_token, wait_until

CENTER = "310104003"
OTHER = "310104004"


def enroll(server: Any, center: str = CENTER, workstation: str = "003") -> dict[str, str]:
    code = enrollment_code(server.engine(), center, workstation)
    answer = requests.post(
        server.api + "/enroll",
        json={"code": code, "center_code": center, "workstation_code": workstation},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def push(server: Any, auth: dict[str, str], *events: Any) -> list[dict[str, Any]]:
    answer = requests.post(
        server.api + "/events", json={"events": [wire.pushed(e) for e in events]}, headers=auth, timeout=30
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def outcomes(results: list[dict[str, Any]]) -> list[str]:
    return [r["outcome"] for r in results]


def test_health_and_date_header(central: Any) -> None:
    answer = requests.get(central.api + "/health", timeout=5)
    assert answer.json() == {"status": "ok"}
    assert answer.headers["Date"].endswith("GMT")


# ------------------------------------------------------------------------------------------------ enrollment


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


class Clock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_rate_limiter_refills_at_its_rate_and_per_key() -> None:
    clock = Clock()
    limiter = RateLimiter(3, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another address has its own bucket
    clock.now += 19.9  # 3 a minute: one token every 20 s
    assert not limiter.allow("a")
    clock.now += 0.2
    assert limiter.allow("a") and not limiter.allow("a")
    clock.now += 3600  # never more than the burst
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]


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


# ------------------------------------------------------------------------------------------------ authentication


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


# ------------------------------------------------------------------------------------------------ push


def test_push_answers_per_event_and_the_same_batch_twice_stores_nothing_twice(central: Any) -> None:
    auth = enroll(central)
    first = wire.taken(f"{CENTER}-003-20261123-0001")
    second = wire.taken(f"{CENTER}-003-20261123-0002", kind="supplement")
    follow = wire.supplemented(second)
    assert outcomes(push(central, auth, first, second, follow)) == ["stored", "stored", "stored"]
    assert outcomes(push(central, auth, first, second, follow)) == ["duplicate", "duplicate", "duplicate"]
    assert count(central.engine(), "events") == 3
    assert count(central.engine(), "applications") == 2
    with central.engine().connect() as conn:
        status = conn.execute(
            text("SELECT status FROM applications WHERE acceptance_no = :n"), {"n": second.body.acceptance_no}
        ).scalar_one()
    assert status == "received"  # the 补正 return visit completed the materials


def test_same_id_other_content_is_a_conflict_and_nothing_is_overwritten(central: Any) -> None:
    auth = enroll(central)
    event = wire.taken(f"{CENTER}-003-20261123-0001")
    push(central, auth, event)
    changed = event.model_copy(update={"occurred_at": event.occurred_at + dt.timedelta(seconds=1)})
    results = push(central, auth, changed)
    assert outcomes(results) == ["conflict"]
    with central.engine().connect() as conn:
        payload = conn.execute(text("SELECT payload FROM events")).scalar_one()
    assert bytes(payload) == wire.pushed(event)["payload"].encode("utf-8")


def test_rejections_name_the_reason_and_hold_back_only_that_application(central: Any) -> None:
    auth = enroll(central)
    orphan = wire.supplemented(wire.taken(f"{CENTER}-003-20261123-0009"))  # its 受理 event never came
    after_orphan = wire.supplemented(orphan)
    foreign = wire.taken(f"{OTHER}-003-20261123-0001", center=OTHER)
    fine = wire.taken(f"{CENTER}-003-20261123-0002")
    bad_hash = wire.pushed(wire.taken(f"{CENTER}-003-20261123-0003"))
    bad_hash["sha256"] = "0" * 64
    body = {
        "events": [wire.pushed(orphan), wire.pushed(after_orphan), wire.pushed(foreign), bad_hash, wire.pushed(fine)]
    }
    results = requests.post(central.api + "/events", json=body, headers=auth, timeout=10).json()["results"]
    assert outcomes(results) == ["rejected", "held", "rejected", "rejected", "stored"]
    assert "受理事件" in results[0]["reason"]
    assert "其他中心" in results[2]["reason"] or "不属于" in results[2]["reason"]
    assert "SHA-256" in results[3]["reason"]
    assert count(central.engine(), "events") == 1


def test_a_document_event_needs_its_pdf_and_the_pdf_its_hash(central: Any) -> None:
    auth = enroll(central)
    event = wire.taken(f"{CENTER}-003-20261123-0001")
    pdf = b"%PDF-1.4 receipt of \xf0\xa0\xae\xb7"
    doc = wire.document(event, pdf)
    assert outcomes(push(central, auth, event, doc)) == ["stored", "rejected"]
    sha = doc.body.sha256
    wrong = requests.put(central.api + f"/documents/{sha}", data=b"other bytes", headers=auth, timeout=5)
    assert wrong.status_code == 422
    ok = requests.put(central.api + f"/documents/{sha}", data=pdf, headers=auth, timeout=5)
    assert ok.status_code == 200 and ok.json() == {"stored": True}
    again = requests.put(central.api + f"/documents/{sha}", data=pdf, headers=auth, timeout=5)
    assert again.json() == {"stored": False}
    assert outcomes(push(central, auth, doc)) == ["stored"]
    with central.engine().connect() as conn:
        assert bytes(conn.execute(text("SELECT data FROM blobs")).scalar_one()) == pdf


def test_malformed_and_oversized_requests_are_refused_without_leaking(central: Any) -> None:
    auth = enroll(central)
    garbage = requests.post(central.api + "/events", data=b"{not json", headers=auth, timeout=5)
    assert garbage.status_code == 422 and set(garbage.json()) == {"code", "message"}
    empty = requests.post(central.api + "/events", json={"events": []}, headers=auth, timeout=5)
    assert empty.status_code == 422
    one = wire.pushed(wire.taken(f"{CENTER}-003-20261123-0001"))
    too_many = requests.post(central.api + "/events", json={"events": [one] * 501}, headers=auth, timeout=30)
    assert too_many.status_code == 422
    huge = requests.post(
        central.api + "/events",
        data=b"{" + b" " * (17 * 1024 * 1024) + b"}",
        headers={**auth, "Content-Type": "application/json"},
        timeout=30,
    )
    assert huge.status_code == 413
    for answer in (garbage, empty, too_many, huge):
        assert "Traceback" not in answer.text and "sqlalchemy" not in answer.text.lower()


def test_two_processes_receiving_the_same_batch_store_each_event_once(central: Any, store_url: str) -> None:
    """Two server instances on one store (as N uvicorn workers or N machines), the same batch at the same time."""
    other = ServerThread(store_url)
    try:
        auth = enroll(central)
        events = [wire.taken(f"{CENTER}-003-20261123-{n:04d}") for n in range(1, 201)]
        body = {"events": [wire.pushed(e) for e in events]}
        answers: list[list[str]] = []
        barrier = threading.Barrier(4)

        def send(server: Any) -> None:
            barrier.wait()
            reply = requests.post(server.api + "/events", json=body, headers=auth, timeout=60)
            assert reply.status_code == 200, reply.text
            answers.append(outcomes(reply.json()["results"]))

        threads = [threading.Thread(target=send, args=(s,)) for s in (central, other, central, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(answers) == 4
        for position in range(len(events)):
            column = [a[position] for a in answers]
            assert column.count("stored") == 1, column
            assert column.count("duplicate") == 3, column
        assert count(central.engine(), "events") == 200
        assert count(central.engine(), "applications") == 200
    finally:
        other.stop()


# ------------------------------------------------------------------------------------------------ back office and pull


def transition(server: Any, token: str, number: str, status: str) -> requests.Response:
    return requests.post(
        server.api + f"/backoffice/applications/{number}/status",
        json={"status": status, "note": "街道初审"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )


def test_status_changes_follow_the_transition_table_and_reach_only_their_center(central: Any) -> None:
    mine = enroll(central)
    theirs = enroll(central, OTHER, "001")
    event = wire.taken(f"{CENTER}-003-20261123-0001")
    push(central, mine, event)
    token = operator_token(central.engine())
    number = event.body.acceptance_no
    assert transition(central, token, number, "completed").status_code == 409  # 已受理 → 已办结 skips 审核
    assert transition(central, token, number, "reviewing").status_code == 200
    illegal = transition(central, token, number, "reviewing")
    assert illegal.status_code == 409 and "审核中" in illegal.json()["message"]
    assert transition(central, token, number, "completed").status_code == 200
    assert transition(central, token, "nope", "reviewing").status_code == 404
    assert transition(central, "ymo_forged", number, "denied").status_code == 401

    page = requests.get(central.api + "/feed", params={"cursor": 0}, headers=mine, timeout=5).json()
    assert [e["change"]["status"] for e in page["entries"]] == ["reviewing", "completed"]
    assert page["cursor"] == page["entries"][-1]["seq"] and page["more"] is False
    again = requests.get(central.api + "/feed", params={"cursor": page["cursor"]}, headers=mine, timeout=5).json()
    assert again == {"entries": [], "cursor": page["cursor"], "more": False}
    other = requests.get(central.api + "/feed", params={"cursor": 0}, headers=theirs, timeout=5).json()
    assert other["entries"] == []


def test_an_operator_limited_to_a_center_cannot_touch_another(central: Any) -> None:
    auth = enroll(central, OTHER, "001")
    event = wire.taken(f"{OTHER}-001-20261123-0001", center=OTHER, workstation="001")
    push(central, auth, event)
    token = operator_token(central.engine(), "徐汇后台", (CENTER,))
    assert transition(central, token, event.body.acceptance_no, "reviewing").status_code == 404


def test_the_cursor_never_skips_an_entry_committed_out_of_order(central: Any, store_url: str) -> None:
    """A transaction that took feed number n and commits late: the entry n+1 of a later transaction must not
    become visible first (a plain sequence would let a reader's cursor jump over n for ever)."""
    from app.sync.protocol import ServerStatus
    from server.services import backoffice
    from server.store.db import create_store_engine

    auth = enroll(central)
    first = wire.taken(f"{CENTER}-003-20261123-0001")
    second = wire.taken(f"{CENTER}-003-20261123-0002")
    push(central, auth, first, second)
    token = operator_token(central.engine(), "b")
    engine = create_store_engine(store_url)
    blocked = _later_writer_blocked(central.engine(), engine)
    slow = Session(engine)
    slow.begin()
    backoffice.transition(slow, acceptance_no=first.body.acceptance_no, to=ServerStatus.REVIEWING, note="", by="a")
    done = threading.Event()

    def later() -> None:
        assert transition(central, token, second.body.acceptance_no, "reviewing").status_code == 200
        done.set()

    worker = threading.Thread(target=later)
    worker.start()
    try:
        # Not "nothing happened for a while": the later transition is seen waiting for the feed counter's lock.
        wait_until(blocked, "the later transition waits for the feed counter")
        assert not done.is_set()
        page = requests.get(central.api + "/feed", params={"cursor": 0}, headers=auth, timeout=5).json()
        assert page["entries"] == []
    finally:
        slow.commit()
        slow.close()
    worker.join(10)
    assert done.is_set()
    page = requests.get(central.api + "/feed", params={"cursor": 0}, headers=auth, timeout=5).json()
    assert [e["change"]["acceptance_no"] for e in page["entries"]] == [
        first.body.acceptance_no,
        second.body.acceptance_no,
    ]
    assert [e["seq"] for e in page["entries"]] == [1, 2]
    engine.dispose()


def _later_writer_blocked(server_engine: Any, engine: Any) -> Callable[[], bool]:
    """Whether a write transaction of the server (running in this process) is held up by the test's open one.
    PostgreSQL shows it: a session waits on a lock in ``UPDATE counters`` (the feed counter's row).  SQLite
    locks the whole database for a writer, so the server's next write transaction cannot get past ``BEGIN
    IMMEDIATE``: seen when it issues that."""
    if server_engine.dialect.name == "postgresql":
        return lambda: lock_waits(engine, "UPDATE counters") > 0
    began = threading.Event()
    test_thread = threading.get_ident()

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement == "BEGIN IMMEDIATE" and threading.get_ident() != test_thread:
            began.set()

    event.listen(server_engine, "before_cursor_execute", before)
    return began.is_set


def test_the_counters_own_events_never_reach_the_feed(central: Any) -> None:
    auth = enroll(central)
    push(central, auth, *[wire.taken(f"{CENTER}-003-20261123-{n:04d}") for n in range(1, 4)])
    assert requests.get(central.api + "/feed", headers=auth, timeout=5).json()["entries"] == []


# ------------------------------------------------------------------------------------------------ citizens


def test_progress_page_shows_item_status_and_date_and_nothing_personal(central: Any) -> None:
    auth = enroll(central)
    event = wire.taken(f"{CENTER}-003-20261123-0001", name="𠮷乃·阿依古丽", id_number="11010519491231002X")
    push(central, auth, event)
    number = event.body.acceptance_no
    page = requests.get(central.url + f"/q/{number}", params={"c": "123456"}, timeout=5)
    assert page.status_code == 200
    assert "text/html" in page.headers["Content-Type"]
    assert "临时救助申请" in page.text and "已受理，待审核" in page.text and "2026年11月23日" in page.text
    for secret in ("𠮷乃", "阿依古丽", "11010519491231002X", "1949", "13800000000", "123456"):
        assert secret not in page.text
    wrong = requests.get(central.url + f"/q/{number}", params={"c": "654321"}, timeout=5)
    unknown = requests.get(central.url + "/q/310104003-003-20261123-9999", params={"c": "123456"}, timeout=5)
    missing = requests.get(central.url + f"/q/{number}", timeout=5)
    assert wrong.status_code == unknown.status_code == missing.status_code == 404
    assert wrong.text == unknown.text == missing.text
    assert "未找到" in wrong.text


def test_progress_page_follows_the_back_office(central: Any) -> None:
    auth = enroll(central)
    event = wire.taken(f"{CENTER}-003-20261123-0001")
    push(central, auth, event)
    token = operator_token(central.engine())
    transition(central, token, event.body.acceptance_no, "reviewing")
    page = requests.get(central.url + f"/q/{event.body.acceptance_no}", params={"c": "123456"}, timeout=5)
    assert "审核中" in page.text


def test_unknown_ids_are_uuid_checked(central: Any) -> None:
    auth = enroll(central)
    bad = wire.pushed(wire.taken(f"{CENTER}-003-20261123-0001"))
    bad["event_id"] = str(uuid.uuid4())  # the envelope says another id than the content
    results = requests.post(central.api + "/events", json={"events": [bad]}, headers=auth, timeout=5).json()
    assert outcomes(results["results"]) == ["rejected"]
