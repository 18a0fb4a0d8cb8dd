"""Signatures reach the central server with their case and come back with ``yimen recover --from-server`` (issue
17): the ``signature.recorded`` event stored with the PNG byte for byte, a PNG that does not match its SHA-256 and a
device of another center refused, and the recovered store holding the signatures, the superseded one marked.
A real workstation store, a real server on 127.0.0.1 (PostgreSQL where it runs)."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import Any

import pytest
import requests
from sqlalchemy import select, text

from app.intake.model import Decision, DecisionInput
from app.signatures import SignatureService
from app.sync import protocol
from db.models import Signature
from tests.app.sync.synckit import Workstation
from tests.app.sync.test_recover import emptied, yimen
from tests.app.test_signatures import capture, draft
from tests.server.apikit import OTHER, enroll, outcomes, push

pytestmark = pytest.mark.slow


def server_signatures(central: Any) -> list[protocol.SignatureRecorded]:
    with central.engine().connect() as conn:
        rows = conn.execute(
            text("SELECT payload FROM events WHERE event_type = 'signature.recorded' ORDER BY received_at, position")
        ).all()
    found = []
    for row in rows:
        body = protocol.parse(bytes(row[0])).body
        assert isinstance(body, protocol.SignatureRecorded)
        found.append(body)
    return found


@pytest.mark.allow_warning_logs  # the server logs the audit head reset of the recovery for its operator
def test_a_signature_reaches_the_server_byte_for_byte_and_comes_back_with_a_recovery(
    ws: Workstation, central: Any, services_factory: Any
) -> None:
    first, redone = capture(), capture(seed=40)
    result = ws.services.intake.decide(draft(first), DecisionInput(Decision.ACCEPT), ws.clerk)
    SignatureService(ws.services.db, ws.services.deployment).record(result.acceptance_no, redone, ws.clerk)
    report = ws.sync.sync_once()
    assert report.push.quarantined == 0 and ws.sync.status().pending == 0
    on_server = server_signatures(central)
    assert [s.png for s in on_server] == [first.png, redone.png]  # the very bytes the receipt printed
    assert [s.png_sha256 for s in on_server] == [hashlib.sha256(p).hexdigest() for p in (first.png, redone.png)]
    assert on_server[1].supersedes == on_server[0].signature_id
    assert on_server[0].strokes == [[list(p) for p in first.strokes[0]]]

    # The store lost: recovered from the server, the signatures come back, the earlier one superseded.
    emptied(ws)
    assert yimen(ws, "recover", "--from-server") == 0
    services = services_factory(config=ws.config, data_dir=ws.data_dir)
    with services.db.read() as session:
        rows = session.scalars(select(Signature).order_by(Signature.signed_at, Signature.superseded_at.is_(None))).all()
        assert [(r.png, r.superseded_at is not None) for r in rows] == [(first.png, True), (redone.png, False)]
    # Bound to the case as it was: nothing was corrected since, so neither is marked as predating a change, and
    # the documents drawn again print the current one.
    views = SignatureService(services.db, services.deployment).of(result.acceptance_no, all_=True)
    assert [v.predates_change for v in views] == [False, False]
    assert [s.png for s in services.intake.load(result.acceptance_no).signatures] == [redone.png]
    services.close()


def test_the_server_refuses_a_png_unlike_its_hash_and_another_center_s_signature(ws: Workstation, central: Any) -> None:
    result = ws.services.intake.decide(draft(capture()), DecisionInput(Decision.ACCEPT), ws.clerk)
    ws.sync.sync_once()
    [stored] = server_signatures(central)
    event = protocol.new_event(
        occurred_at=stored.signed_at,
        center_code=ws.center,
        workstation_code=ws.code,
        application_id=ws.application(result.acceptance_no).id,
        body=stored.model_copy(update={"signature_id": uuid.uuid4(), "supersedes": stored.signature_id}),
    )
    # A device of another center names the case: the same answer as for a case the server has never seen.
    other = enroll(central, OTHER, "003")
    elsewhere = event.model_copy(update={"center_code": OTHER, "event_id": uuid.uuid4()})
    [answer] = push(central, other, elsewhere)
    assert answer["outcome"] == "rejected"
    # The workstation's own device, with a PNG whose bytes are not the ones its SHA-256 names.
    own = enroll(central)
    data = json.loads(protocol.serialize(event))
    data["body"]["png"] = base64.b64encode(capture(seed=90).png).decode()
    payload = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    framed = {"event_id": data["event_id"], "sha256": protocol.digest(payload.encode()), "payload": payload}
    answer = requests.post(central.api + "/events", json={"events": [framed]}, headers=own, timeout=30)
    assert answer.status_code == 200, answer.text
    [refused] = answer.json()["results"]
    assert refused["outcome"] == "rejected" and refused["reason"].startswith("事件格式无效"), refused
    # The same event as sent: stored.
    assert outcomes(push(central, own, event)) == ["stored"]
    assert [s.png for s in server_signatures(central)] == [stored.png, stored.png]


def test_the_retention_purge_takes_a_case_s_signatures_with_it(
    ws: Workstation, services_factory: Any, clock: Any
) -> None:
    result = ws.services.intake.decide(draft(capture()), DecisionInput(Decision.ACCEPT), ws.clerk)
    ws.services.documents.heal()
    assert ws.sync.sync_once().push.quarantined == 0
    clock.advance(days=ws.services.deployment.retention_days + 1)
    report = ws.services.purge()
    assert list(report.acceptance_nos) == [result.acceptance_no]
    with ws.services.db.read() as session:
        assert session.scalars(select(Signature)).all() == []
