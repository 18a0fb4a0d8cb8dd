"""The center's deadline lists on a real server whose back office never closed hundreds of cases: each list holds the
DEADLINE_LIST_MAX earliest-due cases, the totals count every one (in SQL), a case closed by the back office or of
another center counts nowhere, and the answer stays small."""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests
from sqlalchemy.orm import Session

from app.reports import figures
from app.sync import protocol
from server.services import center
from tests.server import supervisor_wire as sw
from tests.server.apikit import CENTER, OTHER, enroll, outcomes, push, transition
from tests.serverkit import operator_token

OLD_DAY = dt.date(2026, 9, 1)
LATE = 230  # more than DEADLINE_LIST_MAX
SOON = 210
FIRST_DUE = dt.date(2026, 10, 1)


def _number(n: int, center: str = CENTER) -> str:
    return f"{center}-005-{OLD_DAY:%Y%m%d}-{n:04d}"


def _late_due(n: int) -> dt.date:
    """Due dates spread over a month, several cases on each: the list's order is by due date, then number."""
    return FIRST_DUE + dt.timedelta(days=(n * 7) % 30)


def _push_all(central: Any, auth: dict[str, str], events: list[protocol.Event]) -> None:
    for i in range(0, len(events), 200):
        assert set(outcomes(push(central, auth, *events[i : i + 200]))) == {"stored"}


def test_hundreds_of_open_cases_list_200_earliest_due_and_count_them_all(central: Any) -> None:
    today = figures.local_day(dt.datetime.now(dt.UTC))
    window = enroll(central, workstation="005")
    late = [
        sw.taken(_number(n), workstation="005", received=sw.at(10, day=OLD_DAY), promised=_late_due(n))
        for n in range(1, LATE + 1)
    ]
    soon = [
        sw.taken(_number(n), workstation="005", received=sw.at(11, day=OLD_DAY), promised=today)
        for n in range(LATE + 1, LATE + SOON + 1)
    ]
    # Cases that count nowhere: one the back office completed (due first of all), a refused one with a promised
    # date, one whose counter asked for materials.
    done = sw.taken(_number(500), workstation="005", received=sw.at(9, day=OLD_DAY), promised=dt.date(2026, 9, 2))
    refused = sw.taken(
        _number(501), workstation="005", kind="refuse", received=sw.at(9, day=OLD_DAY), promised=dt.date(2026, 9, 2)
    )
    waiting = sw.taken(
        _number(502), workstation="005", kind="supplement", received=sw.at(9, day=OLD_DAY), promised=FIRST_DUE
    )
    _push_all(central, window, [*late, *soon, done, refused, waiting])
    token = operator_token(central.engine(), centers=(CENTER,))
    for status in ("reviewing", "completed"):
        assert transition(central, token, _number(500), status).status_code == 200
    # A case received on the period's day itself, late too (read whole with the day's cases): due after all the
    # others, it is counted but not among the 200 listed.
    today_case = sw.taken(f"{CENTER}-003-20261123-0001", received=sw.at(10), promised=dt.date(2026, 11, 25))
    assert outcomes(push(central, enroll(central, workstation="003"), today_case)) == ["stored"]
    # Another center's late cases are not this center's.
    theirs = enroll(central, center=OTHER, workstation="005")
    assert outcomes(
        push(
            central,
            theirs,
            *(
                sw.taken(_number(n, OTHER), center=OTHER, workstation="005", received=sw.at(10, day=OLD_DAY))
                for n in (1, 2)
            ),
        )
    ) == ["stored", "stored"]

    answer = requests.get(
        central.api + "/center/figures", params={"first": sw.DAY.isoformat()}, headers=window, timeout=30
    )
    assert answer.status_code == 200, answer.text
    summary = answer.json()["summary"]
    limit = figures.DEADLINE_LIST_MAX
    assert (summary["overdue_total"], summary["due_soon_total"]) == (LATE + 1, SOON)
    expected = sorted((_late_due(n), _number(n)) for n in range(1, LATE + 1))[:limit]
    assert [(dt.date.fromisoformat(c["due"]), c["acceptance_no"]) for c in summary["overdue"]] == expected
    assert [c["acceptance_no"] for c in summary["due_soon"]] == [_number(n) for n in range(LATE + 1, LATE + 1 + limit)]
    listed = {c["acceptance_no"] for c in summary["overdue"] + summary["due_soon"]}
    assert not listed & {_number(500), _number(501), _number(502), f"{CENTER}-003-20261123-0001"}
    assert summary["applications"] == 1  # the day's one case; the old ones count only for their deadlines
    # 400 short rows, not 441 cases' worth of everything: a few dozen KB.
    assert len(answer.content) < 80_000, len(answer.content)

    # The server read no more than that: the day's case and the two lists' 200 each, not the 441 open cases.
    soon_until = center.due_soon_until(today)
    start = dt.datetime.combine(sw.DAY, dt.time(0), sw.SHANGHAI)
    with Session(central.engine()) as session:
        rows = center.case_rows(session, CENTER, start, start + dt.timedelta(days=1), today, soon_until)
        assert center.deadline_totals(session, CENTER, today, soon_until) == (LATE + 1, SOON)
    assert len(rows) == 1 + 2 * limit
    assert {r.acceptance_no for r in rows} == listed | {f"{CENTER}-003-20261123-0001"}

    # The other center's device hears only its own two (no promised date: no deadline).
    other = requests.get(
        central.api + "/center/figures", params={"first": sw.DAY.isoformat()}, headers=theirs, timeout=30
    ).json()["summary"]
    assert (other["overdue_total"], other["due_soon_total"], other["overdue"]) == (0, 0, [])


def test_fewer_than_the_limit_are_all_listed_and_the_totals_match(central: Any) -> None:
    today = figures.local_day(dt.datetime.now(dt.UTC))
    window = enroll(central, workstation="005")
    events = [
        sw.taken(_number(1), workstation="005", received=sw.at(10, day=OLD_DAY), promised=FIRST_DUE),
        sw.taken(_number(2), workstation="005", received=sw.at(10, day=OLD_DAY), promised=today),
        sw.taken(_number(3), workstation="005", received=sw.at(10, day=OLD_DAY)),  # no promise: no deadline
    ]
    _push_all(central, window, events)
    summary = requests.get(
        central.api + "/center/figures", params={"first": sw.DAY.isoformat()}, headers=window, timeout=30
    ).json()["summary"]
    assert [c["acceptance_no"] for c in summary["overdue"]] == [_number(1)]
    assert [c["acceptance_no"] for c in summary["due_soon"]] == [_number(2)]
    assert (summary["overdue_total"], summary["due_soon_total"]) == (1, 1)
