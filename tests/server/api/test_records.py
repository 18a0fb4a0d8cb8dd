"""A workstation's own records read back, over real HTTP (docs/sync-protocol.md "Recovery"): ``GET /device/records``
pages through the events of the device's own center *and* workstation code — those an earlier, revoked device of the
same workstation pushed included — and nothing of a neighbour's window or another center; the PDFs its document
events name; what enrollment says of the numbers a workstation code has issued; and the one audit head reset a
recovered store makes, kept on the server for good.  Records are served only within a day of a confirmed enrollment
and before that reset: a stolen credential of a long-enrolled workstation reads nothing of its history."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
import requests
from sqlalchemy import text

from app.sync import protocol
from tests.server import wire
from tests.server.apikit import CENTER, OTHER, enroll, outcomes, push
from tests.serverkit import count, enrollment_code, operator_token, server_admin_lines


def page(server: Any, auth: dict[str, str], cursor: str = "", limit: int | None = None) -> requests.Response:
    params: dict[str, Any] = {"cursor": cursor}
    if limit is not None:
        params["limit"] = limit
    return requests.get(server.api + "/device/records", params=params, headers=auth, timeout=10)


def everything(server: Any, auth: dict[str, str], limit: int = 500) -> list[dict[str, Any]]:
    """Every page, following the cursor until the server says no more follow."""
    cursor, events = "", []
    for _ in range(100):
        answer = page(server, auth, cursor, limit)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        events.extend(body["events"])
        if not body["more"]:
            return events
        assert body["cursor"] != cursor
        cursor = body["cursor"]
    raise AssertionError("the cursor never ended")


def upload(server: Any, auth: dict[str, str], pdf: bytes, event: protocol.Event) -> None:
    answer = requests.put(server.api + f"/documents/{event.body.sha256}", data=pdf, headers=auth, timeout=5)
    assert answer.status_code == 200, answer.text


def workstation_history(server: Any, auth: dict[str, str], workstation: str = "003", center: str = CENTER) -> list:
    """Two applications of one workstation, the first with a return visit and a receipt: four events."""
    first = wire.taken(
        f"{center}-{workstation}-20261123-0001", center=center, workstation=workstation, kind="supplement"
    )
    pdf = f"%PDF-1.4 receipt of {workstation}".encode()
    receipt = wire.document(first, pdf)
    upload(server, auth, pdf, receipt)
    events = [
        first,
        wire.supplemented(first),
        receipt,
        wire.taken(f"{center}-{workstation}-20261123-A0001", center=center, workstation=workstation),
    ]
    assert outcomes(push(server, auth, *events)) == ["stored"] * 4
    return events


def test_a_device_reads_back_its_workstations_events_as_pushed_in_order_page_by_page(central: Any) -> None:
    auth = enroll(central)
    events = workstation_history(central, auth)
    read = everything(central, auth, limit=1)  # one event a page: the cursor carries every step
    assert [e["event_id"] for e in read] == [str(e.event_id) for e in events]
    for sent, got in zip(events, read, strict=True):
        payload = protocol.serialize(sent)
        assert got["payload"].encode("utf-8") == payload  # the very bytes pushed (𠮷 and · as themselves)
        assert got["sha256"] == protocol.digest(payload)
    first = page(central, auth).json()
    assert first["more"] is False and len(first["events"]) == 4
    # Past the end: an empty page that keeps the cursor.
    done = page(central, auth, first["cursor"]).json()
    assert done == {"events": [], "catalog": [], "cursor": first["cursor"], "more": False}


def test_a_workstation_enrolled_again_reads_what_its_revoked_credential_sent(central: Any) -> None:
    old = enroll(central)
    events = workstation_history(central, old)
    new = enroll(central)  # a recovering machine enrolls again: the old credential is revoked
    assert requests.get(central.api + "/device", headers=old, timeout=5).status_code == 403
    assert page(central, old).status_code == 403
    assert [e["event_id"] for e in everything(central, new)] == [str(e.event_id) for e in events]


def test_another_workstation_of_the_center_and_another_center_see_nothing_of_it(central: Any) -> None:
    mine = enroll(central)
    neighbour = enroll(central, workstation="004")
    elsewhere = enroll(central, center=OTHER)
    events = workstation_history(central, mine)
    theirs = workstation_history(central, neighbour, workstation="004")
    assert {e["event_id"] for e in everything(central, mine)} == {str(e.event_id) for e in events}
    assert {e["event_id"] for e in everything(central, neighbour)} == {str(e.event_id) for e in theirs}
    assert everything(central, elsewhere) == []
    # Not even with this workstation's own cursor.
    cursor = page(central, mine, limit=2).json()["cursor"]
    assert page(central, elsewhere, cursor).json()["events"] == []
    assert {e["event_id"] for e in page(central, neighbour, cursor).json()["events"]} <= {
        str(e.event_id) for e in theirs
    }
    # The PDF of this workstation's receipt: its own device gets it, the others the answer of an unknown event.
    receipt = events[2]
    url = central.api + f"/device/records/{receipt.event_id}/document"
    got = requests.get(url, headers=mine, timeout=5)
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert got.content == b"%PDF-1.4 receipt of 003"
    unknown = requests.get(central.api + f"/device/records/{uuid.uuid4()}/document", headers=mine, timeout=5)
    for auth in (neighbour, elsewhere):
        refused = requests.get(url, headers=auth, timeout=5)
        assert (refused.status_code, refused.json()) == (unknown.status_code, unknown.json())
    assert unknown.status_code == 404
    # An event that names no document answers the same.
    not_a_document = requests.get(
        central.api + f"/device/records/{events[0].event_id}/document", headers=mine, timeout=5
    )
    assert (not_a_document.status_code, not_a_document.json()) == (unknown.status_code, unknown.json())


def test_the_catalog_versions_a_page_was_taken_under_come_with_it_when_the_server_published_them(central: Any) -> None:
    auth = enroll(central)
    canonical = json.dumps({"code": "MZ-SHJZ-002", "version": 1}, sort_keys=True)  # the row as stored, unchecked
    sha = protocol.digest(canonical.encode("utf-8"))
    with central.session() as session, session.begin():
        session.execute(
            text(
                "INSERT INTO catalog_versions (sha256, item_code, version, canonical_json, published_at) "
                "VALUES (:sha, 'MZ-SHJZ-002', 1, :json, :at)"
            ),
            {"sha": sha, "json": canonical, "at": wire.NOW},
        )
    event = wire.taken(f"{CENTER}-003-20261123-0001")
    published = protocol.new_event(
        occurred_at=wire.NOW,
        center_code=CENTER,
        workstation_code="003",
        application_id=event.application_id,
        body=event.body.model_copy(update={"item": event.body.item.model_copy(update={"sha256": sha})}),
    )
    assert outcomes(push(central, auth, published)) == ["stored"]
    body = page(central, auth).json()
    assert [c["sha256"] for c in body["catalog"]] == [sha]
    assert body["catalog"][0]["canonical_json"] == canonical


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"cursor": "9" * 18 + ".0." + "0" * 32}, 422),  # a moment past any calendar
        ({"cursor": "-" + "9" * 18 + ".0." + "0" * 32}, 422),
        ({"cursor": "0." + "9" * 10 + "." + "0" * 32}, 422),  # a place in a batch no batch has
        ({"cursor": "0.0.0." + "0" * 32}, 422),
        ({"cursor": "1" * 81}, 422),  # longer than any cursor the server makes
        ({"cursor": "1.2.3"}, 422),
        ({"cursor": "0.0." + "G" * 32}, 422),
        ({"cursor": "0.0." + "0" * 32 + "\n"}, 422),
        ({"limit": 0}, 422),
        ({"limit": protocol.RECORDS_PAGE_MAX + 1}, 422),
        ({"limit": "x"}, 422),
    ],
)
def test_a_forged_or_oversized_cursor_or_limit_is_a_clear_refusal(
    central: Any, params: dict[str, Any], status: int
) -> None:
    auth = enroll(central)
    answer = requests.get(central.api + "/device/records", params=params, headers=auth, timeout=5)
    assert answer.status_code == status, answer.text
    assert set(answer.json()) == {"code", "message"} and answer.json()["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/device/records"),
        ("GET", "/device/records/00000000-0000-0000-0000-000000000001/document"),
        ("POST", "/device/audit-head/reset"),
    ],
)
def test_reading_records_and_resetting_a_head_need_the_devices_credential(central: Any, method: str, path: str) -> None:
    operator = {"Authorization": "Bearer " + operator_token(central.engine())}
    for headers in ({}, {"Authorization": "Bearer ymd_forged"}, {"Authorization": "Basic eDp5"}, operator):
        answer = requests.request(
            method,
            central.api + path,
            headers=headers,
            json={"reason": "store.recovered", "seq": 1, "mac": "a" * 64},
            timeout=5,
        )
        assert answer.status_code == 401, (path, headers, answer.text)
        assert set(answer.json()) == {"code", "message"}


def test_a_pending_credential_reads_no_records(central: Any) -> None:
    code = enrollment_code(central.engine(), CENTER, "003")
    pending = requests.post(
        central.api + "/enrollments", json={"code": code, "center_code": CENTER, "workstation_code": "003"}, timeout=5
    ).json()["token"]
    answer = page(central, {"Authorization": f"Bearer {pending}"})
    assert answer.status_code == 401 and answer.json()["code"] == "enrollment_unconfirmed"


# ------------------------------------------------------------------------------------------------ the recovery window


def confirmed_hours_ago(server: Any, hours: float, workstation: str = "003") -> None:
    """Move the workstation's live device's confirmation back in the server's database."""
    at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)
    with server.engine().begin() as conn:
        moved = conn.execute(
            text("UPDATE devices SET confirmed_at = :at WHERE workstation_code = :ws AND revoked_at IS NULL"),
            {"at": at, "ws": workstation},
        )
    assert moved.rowcount == 1


def assert_window_closed(answer: requests.Response) -> None:
    assert answer.status_code == 403, answer.text
    body = answer.json()
    assert set(body) == {"code", "message"} and body["code"] == "records_window_closed"
    assert "24 小时" in body["message"] and "yimen recover --from-server --code" in body["message"]


@pytest.mark.allow_warning_logs  # a refused read is logged for the operator
def test_a_long_enrolled_device_reads_no_records_but_still_syncs(central: Any) -> None:
    auth = enroll(central)
    events = workstation_history(central, auth)
    receipt = central.api + f"/device/records/{events[2].event_id}/document"
    confirmed_hours_ago(central, 23)  # within the day: served
    assert page(central, auth).status_code == 200
    assert requests.get(receipt, headers=auth, timeout=5).status_code == 200
    confirmed_hours_ago(central, 25)
    assert_window_closed(page(central, auth))
    assert_window_closed(requests.get(receipt, headers=auth, timeout=5))
    # The credential itself is fine: it pushes and reads statuses as before.
    assert requests.get(central.api + "/device", headers=auth, timeout=5).status_code == 200
    assert outcomes(push(central, auth, wire.taken(f"{CENTER}-003-20261124-0001"))) == ["stored"]
    # A fresh enrollment (the operator's code) opens the window again.
    assert len(everything(central, enroll(central))) == 5


@pytest.mark.allow_warning_logs  # the reset and the refused read are logged for the operator
def test_the_audit_head_reset_ends_the_recovery_window(central: Any) -> None:
    auth = enroll(central)
    events = workstation_history(central, auth)
    assert len(everything(central, auth)) == 4
    assert reset(central, auth, 1, "a" * 64).status_code == 200
    assert_window_closed(page(central, auth))
    receipt = central.api + f"/device/records/{events[2].event_id}/document"
    assert_window_closed(requests.get(receipt, headers=auth, timeout=5))


# ------------------------------------------------------------------------------------------------ enrollment


def enroll_two_phase(
    server: Any, workstation: str = "003", center: str = CENTER, *, numbers: bool
) -> requests.Response:
    code = enrollment_code(server.engine(), center, workstation)
    token = requests.post(
        server.api + "/enrollments",
        json={"code": code, "center_code": center, "workstation_code": workstation},
        timeout=5,
    ).json()["token"]
    return requests.post(
        server.api + "/enrollments/confirm",
        params={"numbers": "true"} if numbers else {},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )


def test_enrollment_tells_a_workstation_what_its_code_has_numbered_only_when_asked(central: Any) -> None:
    fresh = enroll_two_phase(central, numbers=True)
    assert fresh.json()["numbers"] == {"applications": 0, "highest_series": 0}
    auth = enroll(central)
    push(central, auth, wire.taken(f"{CENTER}-003-20261123-0001"), wire.taken(f"{CENTER}-003-20261124-0001"))
    assert enroll_two_phase(central, numbers=True).json()["numbers"] == {"applications": 2, "highest_series": 1}
    auth = enroll(central)
    push(central, auth, wire.taken(f"{CENTER}-003-20261125-B0001"), wire.taken(f"{CENTER}-003-20261126-A0007"))
    assert enroll_two_phase(central, numbers=True).json()["numbers"] == {"applications": 4, "highest_series": 3}
    # Another workstation's and another center's numbers are theirs.
    assert enroll_two_phase(central, "004", numbers=True).json()["numbers"] == {"applications": 0, "highest_series": 0}
    assert enroll_two_phase(central, center=OTHER, numbers=True).json()["numbers"]["applications"] == 0
    # Not asked: the answer workstations of earlier versions know, key for key (they refuse one they do not know).
    plain = enroll_two_phase(central, numbers=False).json()
    assert set(plain) == {"device_id", "center_code", "workstation_code", "confirmed_at"}
    protocol.EnrollConfirmation.model_validate(plain)


# ------------------------------------------------------------------------------------------------ audit head reset


def reset(server: Any, auth: dict[str, str], seq: int, mac: str) -> requests.Response:
    return requests.post(
        server.api + "/device/audit-head/reset",
        json={"reason": "store.recovered", "seq": seq, "mac": mac},
        headers=auth,
        timeout=5,
    )


def head_event(seq: int, mac: str) -> protocol.Event:
    return protocol.new_event(
        occurred_at=wire.NOW,
        center_code=CENTER,
        workstation_code="003",
        application_id=protocol.NO_APPLICATION,
        body=protocol.AuditHead(seq=seq, mac=mac),
    )


@pytest.mark.allow_warning_logs
def test_a_recovered_store_resets_its_head_once_and_the_server_keeps_the_old_one(central: Any) -> None:
    auth = enroll(central)
    assert outcomes(push(central, auth, head_event(40, "c" * 64))) == ["stored"]
    # A new chain at 3 would be refused as going backwards ...
    assert outcomes(push(central, auth, head_event(3, "d" * 64))) == ["rejected"]
    # ... until the recovery resets the head, which the server records.
    answer = reset(central, auth, 3, "d" * 64)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["seq"], answer.json()["mac"]) == (3, "d" * 64)
    held = requests.get(central.api + "/device/audit-head", headers=auth, timeout=5).json()
    assert (held["seq"], held["mac"]) == (3, "d" * 64)
    assert outcomes(push(central, auth, head_event(3, "d" * 64), head_event(5, "e" * 64))) == ["duplicate", "stored"]
    with central.engine().connect() as conn:
        kept = conn.execute(
            text("SELECT reason, previous_seq, previous_mac, seq, mac, reset_at FROM audit_head_resets")
        ).one()
        refused = conn.execute(text("SELECT refused_seq FROM audit_heads")).scalar_one()
    assert kept[:5] == ("store.recovered", 40, "c" * 64, 3, "d" * 64) and kept[5] is not None
    assert refused is None  # the refusal belonged to the old chain
    # Once per credential: rewinding again needs a new enrollment, that is, the operator.
    again = reset(central, auth, 1, "f" * 64)
    assert again.status_code == 409 and again.json()["code"] == "audit_head_reset_used"
    assert "yimen enroll" in again.json()["message"]
    assert requests.get(central.api + "/device/audit-head", headers=auth, timeout=5).json()["seq"] == 5
    assert count(central.engine(), "audit_head_resets") == 1
    renewed = enroll(central)
    assert reset(central, renewed, 1, "f" * 64).status_code == 200
    assert count(central.engine(), "audit_head_resets") == 2


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "because", "seq": 1, "mac": "a" * 64},
        {"reason": "store.recovered", "seq": 0, "mac": "a" * 64},
        {"reason": "store.recovered", "seq": 1, "mac": "A" * 64},
        {"reason": "store.recovered", "seq": 1},
        {"reason": "store.recovered", "seq": 1, "mac": "a" * 64, "extra": 1},
    ],
)
def test_a_reset_without_a_known_reason_or_a_wellformed_head_is_refused(central: Any, body: dict[str, Any]) -> None:
    auth = enroll(central)
    answer = requests.post(central.api + "/device/audit-head/reset", json=body, headers=auth, timeout=5)
    assert answer.status_code == 422, answer.text
    assert count(central.engine(), "audit_head_resets") == 0


@pytest.mark.allow_warning_logs
def test_the_operator_lists_every_reset_without_personal_data(central: Any, store_url: str) -> None:
    auth = enroll(central)
    push(central, auth, head_event(7, "a" * 64))
    assert reset(central, auth, 1, "b" * 64).status_code == 200
    rows = server_admin_lines(store_url, "audit-resets")
    assert len(rows) == 1
    assert {k: rows[0][k] for k in ("center_code", "workstation_code", "reason", "previous_seq", "seq")} == {
        "center_code": CENTER,
        "workstation_code": "003",
        "reason": "store.recovered",
        "previous_seq": 7,
        "seq": 1,
    }
