"""The back office: the transition table, operators limited to their centers, recorded as the actors and in the access
log, revoked or expired, never two of one name; the change reaching only its center."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import requests
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from server.services import operators
from server.services.common import ServiceError
from server.store.models import Operator
from tests.server import wire
from tests.server.apikit import CENTER, OTHER, enroll, push, transition
from tests.serverkit import count, operator_token


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


def test_an_operator_acts_on_the_centers_granted_and_is_recorded_as_the_actor_and_in_the_access_log(
    central: Any,
) -> None:
    mine, theirs = enroll(central), enroll(central, OTHER, "001")
    own = wire.taken(f"{CENTER}-003-20261123-0001")
    other = wire.taken(f"{OTHER}-001-20261123-0001", center=OTHER, workstation="001")
    push(central, mine, own)
    push(central, theirs, other)
    token = operator_token(central.engine(), "徐汇后台", (CENTER,))
    assert transition(central, token, own.body.acceptance_no, "reviewing").status_code == 200
    assert transition(central, token, other.body.acceptance_no, "reviewing").status_code == 404
    # Who acted is the credential's operator: a body naming someone else is refused.
    spoofed = requests.post(
        central.api + f"/backoffice/applications/{own.body.acceptance_no}/status",
        json={"status": "completed", "by": "别人"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert spoofed.status_code == 422
    with central.engine().connect() as conn:
        actors = dict(conn.execute(text("SELECT acceptance_no, status_by FROM applications")).all())
        log = [
            tuple(r)
            for r in conn.execute(text("SELECT operator_name, action, acceptance_no, via FROM operator_access"))
        ]
        raw = json.dumps([[str(v) for v in r] for r in conn.execute(text("SELECT * FROM operator_access"))])
    assert actors == {own.body.acceptance_no: "徐汇后台", other.body.acceptance_no: ""}
    assert log == [("徐汇后台", "status:reviewing", own.body.acceptance_no, "api")]
    party = own.body.parties[0]
    assert party.name not in raw and party.id_number not in raw  # never the personal data itself


def test_a_revoked_or_expired_operator_credential_stops_working(central: Any) -> None:
    auth = enroll(central)
    event = wire.taken(f"{CENTER}-003-20261123-0001")
    push(central, auth, event)
    number = event.body.acceptance_no
    with Session(central.engine()) as session, session.begin():
        soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
        expiring = operators.create_operator(session, name="临时", centers=[CENTER], expires_at=soon)
        revoked = operators.create_operator(session, name="离职", centers=[CENTER])
    assert transition(central, expiring, number, "reviewing").status_code == 200
    with Session(central.engine()) as session, session.begin():
        assert operators.revoke_operator(session, "离职")
        assert not operators.revoke_operator(session, "离职")  # already revoked
        session.execute(update(Operator).where(Operator.name == "临时").values(expires_at=dt.datetime.now(dt.UTC)))
    for token in (expiring, revoked):
        answer = transition(central, token, number, "completed")
        assert answer.status_code == 401 and answer.json()["code"] == "unauthenticated"


def test_an_operator_name_is_never_given_twice(central: Any) -> None:
    operator_token(central.engine(), "徐汇后台")
    with Session(central.engine()) as session, session.begin():
        operators.revoke_operator(session, "徐汇后台")
    with pytest.raises(ServiceError) as taken:
        operator_token(central.engine(), "徐汇后台")
    assert taken.value.code == "operator_exists" and "不能重复使用" in taken.value.message
    assert count(central.engine(), "operators") == 1
