"""The back office: the transition table, operators limited to their centers, the change reaching only its center."""

from __future__ import annotations

from typing import Any

import requests

from tests.server import wire
from tests.server.apikit import CENTER, OTHER, enroll, push, transition
from tests.serverkit import operator_token


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
