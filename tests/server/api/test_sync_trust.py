"""Who may write what: a new application's 受理编号 carries the sending workstation's codes, a change is taken only
from the workstation that took the application, the feed stays within the center — and the answers tell a device
nothing about other workstations' cases.  Devices of two centers, and two workstations of one, against a real
server."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

import requests
from sqlalchemy import text

from app.sync import protocol
from server.services.ingest import NOT_TAKEN_HERE
from tests.server import wire
from tests.server.apikit import CENTER, OTHER, enroll, outcomes, push, transition
from tests.serverkit import count, operator_token

PDF = b"%PDF-1.4 receipt"
#: Every kind of change to an existing application, built from its 受理 event.
CHANGES: dict[str, Callable[[protocol.Event], protocol.Event]] = {
    "application.supplemented": wire.supplemented,
    "application.corrected": wire.corrected,
    "application.voided": wire.voided,
    "document.issued": lambda taken: wire.document(taken, PDF),
    "document.reprinted": wire.reprinted,
}


def _status(server: Any, number: str) -> tuple[str, str] | None:
    with server.engine().connect() as conn:
        row = conn.execute(
            text("SELECT status, counter_state FROM applications WHERE acceptance_no = :n"), {"n": number}
        ).one_or_none()
    return None if row is None else (row[0], row[1])


def test_a_new_application_must_carry_the_sending_workstations_codes(central: Any) -> None:
    mine = enroll(central, CENTER, "003")
    other_center = enroll(central, OTHER, "003")
    day = "20261123"
    refused = [
        f"{OTHER}-003-{day}-0001",  # another center's number (the attack: it would quarantine the real case)
        f"{CENTER}-004-{day}-0001",  # another workstation of the same center
        f"9{CENTER}-003-{day}-0001",  # the codes only as a substring
        f"{CENTER}1-003-{day}-0001",  # the center code only as the start of a longer one
        f"{OTHER}-003-{day}-{CENTER}003",  # the codes inside the sequence
    ]
    events = [wire.taken(number, center=CENTER, workstation="003") for number in refused]
    good = wire.taken(f"{CENTER}-003-{day}-0001")
    results = push(central, mine, *events, good)
    assert outcomes(results) == ["rejected"] * len(refused) + ["stored"]
    for result in results[:-1]:
        assert "办件编号须以本中心和本工位的代码开头" in result["reason"]
        assert f"{CENTER}-003-" in result["reason"]
    assert count(central.engine(), "applications") == 1
    # The other center's real case, taken afterwards under its own number, is stored (not quarantined for good),
    # and its progress page shows its own item.
    real = wire.taken(f"{OTHER}-003-{day}-0001", center=OTHER)
    assert outcomes(push(central, other_center, real)) == ["stored"]
    page = requests.get(central.url + f"/q/{OTHER}-003-{day}-0001", params={"c": "123456"}, timeout=5)
    assert page.status_code == 200 and "临时救助申请" in page.text


def test_a_change_is_taken_only_from_the_workstation_that_took_the_application(central: Any) -> None:
    owner = enroll(central, CENTER, "003")
    neighbour = enroll(central, CENTER, "004")  # same center, another window
    stranger = enroll(central, OTHER, "003")  # another center, the same workstation code
    sha = hashlib.sha256(PDF).hexdigest()
    assert requests.put(central.api + f"/documents/{sha}", data=PDF, headers=owner, timeout=5).ok
    taken = {kind: wire.taken(f"{CENTER}-003-20261123-{n:04d}") for n, kind in enumerate(CHANGES, start=1)}
    assert outcomes(push(central, owner, *taken.values())) == ["stored"] * len(CHANGES)
    events_before = count(central.engine(), "events")
    for kind, build in CHANGES.items():
        change = build(taken[kind])
        for auth, center, workstation in ((neighbour, CENTER, "004"), (stranger, OTHER, "003")):
            foreign = wire.moved(change, center=center, workstation=workstation)
            results = push(central, auth, foreign)
            assert outcomes(results) == ["rejected"], (kind, center, workstation)
            assert results[0]["reason"] == NOT_TAKEN_HERE, (kind, center, workstation)
        assert count(central.engine(), "events") == events_before, kind
        assert _status(central, taken[kind].body.acceptance_no) == ("received", "accept"), kind
    # The workstation that took them may.
    changes = [build(taken[kind]) for kind, build in CHANGES.items()]
    assert outcomes(push(central, owner, *changes)) == ["stored"] * len(CHANGES)
    assert _status(central, taken["application.voided"].body.acceptance_no) == ("voided", "voided")


def test_other_workstations_cases_get_the_answer_of_unknown_ones(central: Any) -> None:
    """No oracle: naming another workstation's (or center's) application or number is answered exactly like
    naming one that does not exist."""
    owner = enroll(central, CENTER, "003")
    neighbour = enroll(central, CENTER, "004")
    stranger = enroll(central, OTHER, "003")
    real = wire.taken(f"{CENTER}-003-20261123-0001")
    assert outcomes(push(central, owner, real)) == ["stored"]
    unknown = wire.taken(f"{CENTER}-003-20261123-0002")  # never pushed

    def heard(auth: dict[str, str], center: str, workstation: str, app_id: uuid.UUID, body: protocol.Body) -> Any:
        event = protocol.new_event(
            occurred_at=wire.NOW, center_code=center, workstation_code=workstation, application_id=app_id, body=body
        )
        return [(r["outcome"], r["reason"]) for r in push(central, auth, event)]

    def answers(auth: dict[str, str], center: str, workstation: str, target: protocol.Event) -> list[Any]:
        """What a device hears for every kind of change naming ``target``, and for claiming its number."""
        app_id = target.application_id
        said = [heard(auth, center, workstation, app_id, build(target).body) for build in CHANGES.values()]
        void = wire.voided(target).body
        said.append(heard(auth, center, workstation, uuid.uuid4(), void))  # its number, another application
        renumbered = void.model_copy(update={"acceptance_no": f"{CENTER}-003-20261123-0099"})
        said.append(heard(auth, center, workstation, app_id, renumbered))  # the application, another number
        said.append(heard(auth, center, workstation, uuid.uuid4(), target.body))  # a new case under its number
        assert all(len(answer) == 1 and answer[0][0] == "rejected" and answer[0][1] for answer in said)
        return said

    for auth, center, workstation in ((neighbour, CENTER, "004"), (stranger, OTHER, "003")):
        assert answers(auth, center, workstation, real) == answers(auth, center, workstation, unknown)
    assert count(central.engine(), "events") == 1


def test_the_feed_stays_within_the_center(central: Any) -> None:
    here = enroll(central, CENTER, "003")
    neighbour = enroll(central, CENTER, "004")
    stranger = enroll(central, OTHER, "003")
    mine = wire.taken(f"{CENTER}-003-20261123-0001")
    theirs = wire.taken(f"{OTHER}-003-20261123-0001", center=OTHER)
    push(central, here, mine)
    push(central, stranger, theirs)
    token = operator_token(central.engine())
    for number in (mine.body.acceptance_no, theirs.body.acceptance_no):
        assert transition(central, token, number, "reviewing").status_code == 200

    def seen(auth: dict[str, str]) -> list[str]:
        page = requests.get(central.api + "/feed", params={"cursor": 0}, headers=auth, timeout=5).json()
        return [e["change"]["acceptance_no"] for e in page["entries"] if e["change"]["kind"] == "status"]

    assert seen(here) == [mine.body.acceptance_no]
    assert seen(neighbour) == [mine.body.acceptance_no]  # the center's feed: its other windows see it too
    assert seen(stranger) == [theirs.body.acceptance_no]


def test_a_number_taken_by_another_process_meanwhile_refuses_the_event_instead_of_dropping_the_application(
    central: Any, monkeypatch: Any
) -> None:
    # Two server processes check two batches at once: neither sees the other's new application, and the second
    # insert of the same 受理编号 finds the first committed.  Caused here by hiding the first from the second
    # batch's check (the interleaving cannot be forced through HTTP); the insert's conflict is the real one.
    from server.services import ingest

    device = enroll(central, CENTER, "003")
    number = f"{CENTER}-003-20261123-0001"
    first = wire.taken(number)
    assert outcomes(push(central, device, first)) == ["stored"]
    monkeypatch.setattr(ingest, "_known_applications", lambda *args, **kwargs: [])
    second = wire.taken(number)  # another application (a restored store's repeat) under the same number
    later = wire.voided(second)
    results = push(central, device, second, later)
    assert outcomes(results) == ["rejected", "held"]
    assert number in results[0]["reason"]
    assert count(central.engine(), "applications") == 1
    with central.engine().connect() as conn:
        stored = {uuid.UUID(str(row[0])) for row in conn.execute(text("SELECT event_id FROM events"))}
    assert stored == {first.event_id}
