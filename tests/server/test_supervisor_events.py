"""The supervisor's events on a real server: ratings, follow-up steps, 更正/作废, day closes and handovers stored in
their projections once (the same batch again stores nothing twice), forged ones refused with a Chinese reason that
tells nothing of other workstations' cases, and the migration that fills the figures' columns of what was held."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any, TypeVar

import requests
from alembic import command
from sqlalchemy import Engine, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from app.sync import protocol
from server import migrate
from server.services import stats, supervisor
from server.services.ingest import NOT_TAKEN_HERE
from server.store.db import create_store_engine
from server.store.models import (
    ApplicationChangeRow,
    DayCloseRow,
    HandoverRow,
    RatingRow,
    ServerApplication,
)
from tests.server import supervisor_wire as sw
from tests.server import wire
from tests.server.apikit import CENTER, OTHER, enroll, outcomes, push
from tests.serverkit import count

NO = f"{CENTER}-003-20261123-"
T = TypeVar("T")


def _all(engine: Engine, model: type[T]) -> list[T]:
    """Every row of a table as its model reads it (typed alike on PostgreSQL and SQLite)."""
    with Session(engine, expire_on_commit=False) as session:
        return list(session.scalars(select(model)))


def _rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def test_every_supervisor_event_is_stored_in_its_projection_once(central: Any) -> None:
    auth = enroll(central)
    first = sw.taken(NO + "0001", clerk="wangli", called=sw.at(9, 50), promised=dt.date(2026, 12, 7))
    second = sw.taken(NO + "0002", kind="supplement", clerk="liqiang")
    again = sw.supplemented(second, decided=sw.at(15, 5))
    good = sw.rating(first, "very_satisfied")
    bad = sw.rating(second, "very_dissatisfied", phone="13800000000", occasion="decision")
    contact = sw.follow_up(bad, "contact", reached=False)
    outcome = sw.follow_up(bad, "outcome", when=sw.at(16))
    corrected = wire.corrected(first)
    closed = sw.day_closed(numbers=[NO + "0001", NO + "0002"])
    handed = sw.handover([NO + "0001", NO + "0002"])
    batch = [first, second, again, good, bad, contact, outcome, corrected, closed, handed]

    assert set(outcomes(push(central, auth, *batch))) == {"stored"}
    assert outcomes(push(central, auth, *batch)) == ["duplicate"] * len(batch)

    engine = central.engine()
    assert count(engine, "events") == len(batch)
    counts = {
        t: count(engine, t)
        for t in ("ratings", "rating_follow_ups", "application_changes", "day_closes", "handovers", "handover_cases")
    }
    assert counts == {
        "ratings": 2,
        "rating_follow_ups": 2,
        "application_changes": 1,
        "day_closes": 1,
        "handovers": 1,
        "handover_cases": 2,
    }
    ratings = {r.level: r for r in _all(engine, RatingRow)}
    assert ratings["very_dissatisfied"].named is True and ratings["very_satisfied"].named is False
    assert ratings["very_dissatisfied"].reasons == "long_wait,attitude"
    assert ratings["very_dissatisfied"].contacted_at is not None and ratings["very_dissatisfied"].closed_at is not None
    assert ratings["very_satisfied"].contacted_at is None
    # No phone number in any projection: the named flag only.
    for table in ("ratings", "rating_follow_ups"):
        columns = _rows(engine, f"SELECT * FROM {table}")[0]._fields
        assert not any("phone" in c for c in columns), table
        assert "13800000000" not in json.dumps([list(map(str, r)) for r in _rows(engine, f"SELECT * FROM {table}")])

    apps = {r.acceptance_no: r for r in _all(engine, ServerApplication)}
    assert apps[NO + "0001"].clerk_username == "wangli"
    assert apps[NO + "0001"].first_decision == "accept"
    assert apps[NO + "0001"].promised_date == dt.date(2026, 12, 7)
    assert apps[NO + "0002"].first_decision == "supplement" and apps[NO + "0002"].counter_state == "accept"
    visit, moment = apps[NO + "0002"].return_visits.rstrip(",").split("@")
    assert visit == "accept" and dt.datetime.fromisoformat(moment) == sw.at(15, 5)
    closes = _all(engine, DayCloseRow)
    assert [(c.day, c.closed_by, c.applications) for c in closes] == [(sw.DAY, "zhaomin", 2)]
    assert closes[0].numbers == f"{NO}0001,{NO}0002"
    handovers = _all(engine, HandoverRow)
    assert [(h.department, h.receiver, h.cases) for h in handovers] == [("民政科", "李·𠮷祥", 2)]
    with Session(engine) as session:
        held = stats.counts(session)
    assert (held["ratings"], held["day_closes"], held["handovers"]) == (2, 1, 1)


def test_a_rating_of_another_workstations_or_centers_application_hears_what_an_unknown_one_hears(
    central: Any,
) -> None:
    mine = enroll(central, workstation="003")
    neighbour = enroll(central, workstation="004")
    elsewhere = enroll(central, center=OTHER, workstation="003")
    case = sw.taken(NO + "0001")
    assert outcomes(push(central, mine, case)) == ["stored"]
    rated = sw.rating(case, "dissatisfied")

    from_neighbour = wire.moved(rated, center=CENTER, workstation="004")
    from_elsewhere = wire.moved(rated, center=OTHER, workstation="003")
    unknown = sw.rating(sw.taken(f"{CENTER}-004-20261123-0099", workstation="004"), "dissatisfied")
    answers = [
        push(central, neighbour, from_neighbour)[0],
        push(central, elsewhere, from_elsewhere)[0],
        push(central, neighbour, unknown)[0],
    ]
    assert [a["outcome"] for a in answers] == ["rejected"] * 3
    assert {a["reason"] for a in answers} == {NOT_TAKEN_HERE}
    # A follow-up step from the neighbour, naming the real rating once the owner stored it: the same answer.
    assert outcomes(push(central, mine, rated)) == ["stored"]
    step = wire.moved(sw.follow_up(rated, "contact"), center=CENTER, workstation="004")
    assert push(central, neighbour, step)[0]["reason"] == NOT_TAKEN_HERE
    assert count(central.engine(), "ratings") == 1 and count(central.engine(), "rating_follow_ups") == 0


def test_forged_or_repeated_ratings_and_steps_are_refused_with_a_reason(central: Any) -> None:
    auth = enroll(central)
    case = sw.taken(NO + "0001")
    other = sw.taken(NO + "0002")
    fine = sw.rating(case, "satisfied")
    bad = sw.rating(other, "dissatisfied")
    assert set(outcomes(push(central, auth, case, other, fine, bad))) == {"stored"}

    wrong_number = sw.rating(case, "satisfied")
    body = wrong_number.body
    assert isinstance(body, protocol.RatingRecorded)
    wrong_number = wrong_number.model_copy(update={"body": body.model_copy(update={"acceptance_no": NO + "0002"})})
    twice = sw.rating(case, "basically_satisfied", rating_id=fine.body.rating_id)  # type: ignore[union-attr]
    no_such = sw.follow_up(sw.rating(case, "dissatisfied"), "contact")  # its rating never came
    # A step naming the other application's 差评 under this application's id.
    crossed = sw.follow_up(bad, "contact").model_copy(update={"application_id": case.application_id})
    crossed = crossed.model_copy(
        update={"body": crossed.body.model_copy(update={"acceptance_no": NO + "0001"})}  # type: ignore[union-attr]
    )
    praise = sw.follow_up(
        sw.rating(case, "dissatisfied", rating_id=fine.body.rating_id),  # type: ignore[union-attr]
        "contact",
    )
    step = sw.follow_up(bad, "contact")
    repeated_step = step.model_copy(update={"event_id": uuid.uuid4()})

    answers = {
        "wrong_number": push(central, auth, wrong_number)[0],
        "twice": push(central, auth, twice)[0],
        "no_such": push(central, auth, no_such)[0],
        "crossed": push(central, auth, crossed)[0],
        "praise": push(central, auth, praise)[0],
        "step": push(central, auth, step)[0],
        "repeated_step": push(central, auth, repeated_step)[0],
    }
    reasons = {name: (a["outcome"], a["reason"]) for name, a in answers.items()}
    assert reasons == {
        "wrong_number": ("rejected", "事件的办件编号与该申请不符"),
        "twice": ("rejected", supervisor.RATING_TWICE),
        "no_such": ("rejected", supervisor.NO_SUCH_RATING),
        "crossed": ("rejected", supervisor.NO_SUCH_RATING),
        "praise": ("rejected", supervisor.NOT_BAD),
        "step": ("stored", None),
        "repeated_step": ("rejected", supervisor.STEP_TWICE),
    }
    assert count(central.engine(), "ratings") == 2 and count(central.engine(), "rating_follow_ups") == 1


def test_a_refused_rating_holds_its_applications_later_events_in_the_batch(central: Any) -> None:
    auth = enroll(central)
    case = sw.taken(NO + "0001")
    orphan_step = sw.follow_up(sw.rating(case, "dissatisfied"), "contact")
    later = wire.voided(case)
    fine = sw.taken(NO + "0002")
    assert outcomes(push(central, auth, case, orphan_step, later, fine)) == ["stored", "rejected", "held", "stored"]


def test_a_malformed_rating_is_refused_by_the_protocol_never_a_500(central: Any) -> None:
    auth = enroll(central)
    case = sw.taken(NO + "0001")
    assert outcomes(push(central, auth, case)) == ["stored"]
    data = sw.rating(case, "dissatisfied").model_dump(mode="json")
    data["body"]["reasons"] = []  # a 差评 without a reason
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    import hashlib

    pushed = {
        "event_id": data["event_id"],
        "sha256": hashlib.sha256(payload.encode()).hexdigest(),
        "payload": payload,
    }
    answer = requests.post(central.api + "/events", json={"events": [pushed]}, headers=auth, timeout=10)
    assert answer.status_code == 200
    result = answer.json()["results"][0]
    assert result["outcome"] == "rejected" and result["reason"].startswith("事件格式无效")


def test_a_day_close_is_the_sending_workstations_own(central: Any) -> None:
    auth = enroll(central)
    assert outcomes(push(central, auth, sw.taken(NO + "0001"))) == ["stored"]
    neighbours = sw.day_closed(workstation="004")  # the envelope names another workstation's codes
    other_center = sw.day_closed(center=OTHER)
    foreign_numbers = sw.day_closed(numbers=[NO + "0001", f"{CENTER}-004-20261123-0001"])
    other_day = sw.day_closed(numbers=[f"{NO[:-9]}20261124-0001"])
    open_without_reason = sw.day_closed(numbers=[NO + "0001"]).model_dump(mode="json")
    results = push(central, auth, neighbours, other_center, foreign_numbers, other_day)
    assert outcomes(results) == ["rejected"] * 4
    assert results[0]["reason"] == results[1]["reason"] == "事件不属于本中心和工位，不予接收"
    assert "不是本工位当日的编号" in results[2]["reason"] and f"{CENTER}-004-20261123-0001" in results[2]["reason"]
    assert "不是本工位当日的编号" in results[3]["reason"]
    assert count(central.engine(), "day_closes") == 0
    # The protocol itself wants a reason when something was open.
    open_without_reason["body"]["unsynced"] = 3
    payload = json.dumps(open_without_reason, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    import hashlib

    pushed = {"event_id": open_without_reason["event_id"], "sha256": hashlib.sha256(payload.encode()).hexdigest()}
    answer = requests.post(
        central.api + "/events", json={"events": [pushed | {"payload": payload}]}, headers=auth, timeout=10
    ).json()["results"][0]
    assert answer["outcome"] == "rejected" and answer["reason"].startswith("事件格式无效")
    # Two closes of the same day are both kept (a close again after a recovery); the latest is the day's.
    assert outcomes(push(central, auth, sw.day_closed(numbers=[NO + "0001"]))) == ["stored"]
    later = sw.day_closed(numbers=[NO + "0001"], closed=sw.at(18), reason="补录后再次日结", unsynced=1)
    assert outcomes(push(central, auth, later)) == ["stored"]
    assert count(central.engine(), "day_closes") == 2


def test_a_handover_names_only_this_workstations_applications_held_by_the_server(central: Any) -> None:
    mine = enroll(central, workstation="003")
    neighbour = enroll(central, workstation="004")
    elsewhere = enroll(central, center=OTHER, workstation="003")
    own = sw.taken(NO + "0001")
    theirs = sw.taken(f"{CENTER}-004-20261123-0001", workstation="004")
    far = sw.taken(f"{OTHER}-003-20261123-0001", center=OTHER)
    assert outcomes(push(central, mine, own)) == ["stored"]
    assert outcomes(push(central, neighbour, theirs)) == ["stored"]
    assert outcomes(push(central, elsewhere, far)) == ["stored"]

    neighbours_case = sw.handover([NO + "0001", theirs.body.acceptance_no])  # type: ignore[union-attr]
    other_centers_case = sw.handover([far.body.acceptance_no])  # type: ignore[union-attr]
    never_issued = sw.handover([NO + "0077"])
    doubled = sw.handover([NO + "0001", NO + "0001"])
    results = push(central, mine, neighbours_case, other_centers_case, never_issued, doubled)
    assert outcomes(results) == ["rejected"] * 4
    reason = "交接单上的办件编号 {} 不是本工位在服务器上的申请（须先上传受理事件），不予接收"
    assert results[0]["reason"] == reason.format(theirs.body.acceptance_no)  # type: ignore[union-attr]
    assert results[1]["reason"] == reason.format(far.body.acceptance_no)  # type: ignore[union-attr]
    assert results[2]["reason"] == reason.format(NO + "0077")  # exactly what another's case is answered
    assert "重复" in results[3]["reason"]
    # A handover in the very batch of its case's 受理 event is taken; the same handover id again is refused.
    new_case = sw.taken(NO + "0002")
    handed = sw.handover([NO + "0001", NO + "0002"])
    assert outcomes(push(central, mine, new_case, handed)) == ["stored", "stored"]
    repeated = sw.handover([NO + "0001"], handover_id=handed.body.handover_id)  # type: ignore[union-attr]
    assert push(central, mine, repeated)[0]["reason"] == supervisor.HANDOVER_TWICE
    assert count(central.engine(), "handovers") == 1 and count(central.engine(), "handover_cases") == 2


def test_the_migration_fills_the_figures_columns_of_what_was_held(store_factory: Any, tmp_path: Path) -> None:
    """Applications and changes stored before 0005 get their clerk, 叫号, first decision, promised date and return
    visits from their stored events."""
    engine = create_store_engine(store_factory.empty())
    try:
        with engine.begin() as conn:
            command.upgrade(migrate._config(conn), "0004")
        case = sw.taken(NO + "0001", kind="supplement", clerk="liqiang", called=sw.at(9, 55))
        visit = sw.supplemented(case, decided=sw.at(14))
        body = visit.body
        assert isinstance(body, protocol.MaterialsSupplemented)
        promised = body.decision.model_copy(update={"promised_date": dt.date(2026, 12, 8)})
        visit = visit.model_copy(update={"body": body.model_copy(update={"decision": promised})})
        voided = wire.voided(case)
        pg = engine.dialect.name == "postgresql"
        with engine.begin() as conn:
            for position, event in enumerate((case, visit, voided)):
                conn.execute(
                    text(
                        "INSERT INTO events (event_id, sha256, center_code, workstation_code, application_id, "
                        "event_type, schema_version, occurred_at, received_at, device_id, payload, position) VALUES "
                        "(:id, :sha, :c, :w, :app, :type, 1, :at, :at, :dev, :payload, :pos)"
                    ),
                    {
                        "id": event.event_id if pg else event.event_id.hex,
                        "sha": "0" * 64,
                        "c": CENTER,
                        "w": "003",
                        "app": event.application_id if pg else event.application_id.hex,
                        "type": event.body.type,
                        "at": wire.NOW,
                        "dev": uuid.uuid4() if pg else uuid.uuid4().hex,
                        "payload": protocol.serialize(event),
                        "pos": position,
                    },
                )
            conn.execute(
                text(
                    "INSERT INTO applications (id, acceptance_no, query_code, center_code, workstation_code, "
                    "item_code, item_version, item_name, received_at, counter_state, counter_at, status, status_at, "
                    "status_note, status_by) VALUES (:id, :no, '123456', :c, '003', 'MZ-SHJZ-002', 1, '临时救助申请', "
                    ":at, 'voided', :at, 'voided', :at, '', '')"
                ),
                {
                    "id": case.application_id if pg else case.application_id.hex,
                    "no": NO + "0001",
                    "c": CENTER,
                    "at": wire.NOW,
                },
            )
        migrate.upgrade(engine)
        [row] = _all(engine, ServerApplication)
        assert (row.clerk_username, row.first_decision, row.promised_date) == (
            "liqiang",
            "supplement",
            dt.date(2026, 12, 8),
        )
        assert row.called_at == sw.at(9, 55) and row.first_decided_at == sw.at(10, 20)
        assert row.return_visits == f"accept@{sw.at(14).isoformat()}," and row.last_return_at == sw.at(14)
        changes = _all(engine, ApplicationChangeRow)
        assert [(c.kind, c.approved_by, c.acceptance_no) for c in changes] == [("voided", "zhaomin", NO + "0001")]
    finally:
        engine.dispose()


def test_0005_goes_down_to_0004_and_up_again(store_factory: Any) -> None:
    engine = create_store_engine(store_factory.empty())
    try:
        migrate.upgrade(engine)
        with engine.begin() as conn:
            command.downgrade(migrate._config(conn), "0004")
        assert migrate.current_revision(engine) == "0004"
        with engine.connect() as conn:
            tables = set(sa_inspect(conn).get_table_names())
            columns = {c["name"] for c in sa_inspect(conn).get_columns("applications")}
        assert not tables & {"ratings", "rating_follow_ups", "application_changes", "day_closes", "handovers"}
        assert "clerk_username" not in columns and "return_visits" not in columns
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
