"""The center's figures count a 补正 return visit on the day it was decided, whatever the day the case was received
and whatever visits came after it: cases received on an earlier day are read for a day only when one of their
visits falls in it (server/services/center.py reads the visits of the cases returned since the day first)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests

from tests.server import supervisor_wire as sw
from tests.server.apikit import CENTER, enroll, outcomes, push

DAY = sw.DAY
EARLIER = dt.date(2026, 11, 10)
LATER = DAY + dt.timedelta(days=2)
OLD = f"{CENTER}-003-20261110-"


def _return_visits(central: Any, auth: dict[str, str], day: dt.date) -> dict[str, int]:
    answer = requests.get(central.api + "/center/figures", params={"first": day.isoformat()}, headers=auth, timeout=10)
    assert answer.status_code == 200, answer.text
    summary = answer.json()["summary"]
    return {row["key"]: row["count"] for row in summary["return_visits"]}


def test_a_return_visit_counts_on_its_own_day_even_when_the_case_came_back_again_later(central: Any) -> None:
    auth = enroll(central, workstation="003")
    once = sw.taken(OLD + "0001", kind="supplement", received=sw.at(9, day=EARLIER))
    twice = sw.taken(OLD + "0002", kind="supplement", received=sw.at(10, day=EARLIER))
    late = sw.taken(OLD + "0003", kind="supplement", received=sw.at(11, day=EARLIER))
    events = [
        once,
        twice,
        late,
        sw.supplemented(once, decided=sw.at(10, day=DAY)),
        # Sent back again on DAY, accepted two days later: its latest visit is after DAY, its first one on it.
        sw.supplemented(twice, kind="supplement", decided=sw.at(11, day=DAY)),
        sw.supplemented(twice, decided=sw.at(9, day=LATER)),
        sw.supplemented(late, decided=sw.at(15, day=LATER)),
    ]
    assert set(outcomes(push(central, auth, *events))) == {"stored"}

    assert _return_visits(central, auth, DAY) == {"accept": 1, "supplement": 1}
    assert _return_visits(central, auth, LATER) == {"accept": 2}
    assert _return_visits(central, auth, DAY + dt.timedelta(days=1)) == {}
    assert _return_visits(central, auth, EARLIER) == {}
