"""容缺受理, 先行救助 and answered inquiries on the server: stored, given their back-office status, counted by the
counter's decision; the owed materials brought later are taken from the workstation that took the case; the
progress page calls the number 受理编号 only for an accepted case (办件编号 otherwise)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.sync import protocol
from server.services import stats
from server.store.models import ServerApplication
from tests.server import wire
from tests.server.apikit import CENTER, enroll, outcomes, push


def _taken(number: str, decision: protocol.DecisionData) -> protocol.Event:
    event = wire.taken(number)
    assert isinstance(event.body, protocol.ApplicationTaken)
    body = event.body.model_copy(update={"decision": decision})
    return event.model_copy(update={"body": body})


def _decision(kind: str, **extra: Any) -> protocol.DecisionData:
    return protocol.DecisionData.model_validate(
        {"decision": kind, "decided_at": wire.NOW, "clerk_username": "wangli", "clerk_staff_no": "0301", **extra}
    )


def _row(central: Any, number: str) -> ServerApplication:
    with Session(central.engine()) as session:
        row = session.scalar(select(ServerApplication).where(ServerApplication.acceptance_no == number))
        assert row is not None
        session.expunge(row)
        return row


def test_new_decisions_are_stored_given_a_status_and_counted(central: Any) -> None:
    auth = enroll(central)
    owed = {"missing_keys": ["income_proof"], "owed_by": dt.date(2026, 11, 30)}
    events = [
        _taken(f"{CENTER}-003-20261123-0001", _decision("tolerated", **owed)),
        _taken(f"{CENTER}-003-20261123-0002", _decision("first_aid", basis="家中突发火灾，先行救助。", **owed)),
        _taken(f"{CENTER}-003-20261123-0003", _decision("accept", answered=True)),
        _taken(
            f"{CENTER}-003-20261123-0004",
            _decision("refuse", reason="不属于本中心职权。", ground="not_competent", competent_office="徐汇区民政局"),
        ),
    ]
    assert outcomes(push(central, auth, *events)) == ["stored"] * 4
    statuses = {e.body.acceptance_no: _row(central, e.body.acceptance_no) for e in events}
    rows = list(statuses.values())
    assert [(r.counter_state, r.status) for r in rows] == [
        ("tolerated", "received"),
        ("first_aid", "received"),
        ("answered", "completed"),
        ("refuse", "not_accepted"),
    ]
    with Session(central.engine()) as session:
        counted = stats.counts(session)["decisions"]
    assert counted == {"tolerated": 1, "first_aid": 1, "answered": 1, "refuse": 1}
    # The owed materials brought later: stored, and the case stays where the back office has it.
    brought = protocol.new_event(
        occurred_at=wire.NOW,
        center_code=events[0].center_code,
        workstation_code=events[0].workstation_code,
        application_id=events[0].application_id,
        body=protocol.MaterialsBrought(
            acceptance_no=events[0].body.acceptance_no,
            received_keys=["income_proof"],
            materials=[],
            brought_at=wire.NOW + dt.timedelta(days=2),
            clerk_username="wangli",
        ),
    )
    assert outcomes(push(central, auth, brought)) == ["stored"]
    assert _row(central, events[0].body.acceptance_no).status == "received"
    # Another workstation cannot bring materials to this one's case.
    other = enroll(central, workstation="004")
    foreign = brought.model_copy(update={"event_id": protocol.uuid.uuid4(), "workstation_code": "004"})
    assert outcomes(push(central, other, foreign)) == ["rejected"]


def test_the_progress_page_names_the_number_by_what_became_of_the_case(central: Any) -> None:
    auth = enroll(central)
    accepted = _taken(f"{CENTER}-003-20261123-0001", _decision("first_aid", basis="家中突发火灾，先行救助。"))
    waiting = _taken(
        f"{CENTER}-003-20261123-0002", _decision("supplement", notice_no="示范补正〔2026〕310104003-003-1号")
    )
    push(central, auth, accepted, waiting)
    pages = {
        e.body.acceptance_no: requests.get(
            central.url + f"/q/{e.body.acceptance_no}", params={"c": "123456"}, timeout=5
        ).text
        for e in (accepted, waiting)
    }
    assert "<dt>受理编号</dt>" in pages[accepted.body.acceptance_no]
    assert "<dt>办件编号</dt>" in pages[waiting.body.acceptance_no]
    assert "受理编号" not in pages[waiting.body.acceptance_no]
