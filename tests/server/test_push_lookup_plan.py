"""The push's lookup of a batch's applications (``ingest._known_applications``): the right rows by id and by 受理编号,
and, on PostgreSQL, never a prepared statement — a prepared (generic) plan cannot hash the arrays of 500 ids and
numbers, and on a table without statistics it compared every row with all of them (docs/performance.md "A push
close to COPY")."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from server.services import ingest
from server.services.common import insert_rows
from server.store.db import create_store_engine
from server.store.models import ServerApplication

NOW = dt.datetime(2026, 12, 6, 4, 0, tzinfo=dt.UTC)


def _application(n: int) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "acceptance_no": f"310104003-003-20261206-{n:04d}",
        "query_code": "123456",
        "center_code": "310104003",
        "workstation_code": "003",
        "item_code": "MZ-SHJZ-002",
        "item_version": 1,
        "item_name": "临时救助申请",
        "received_at": NOW,
        "counter_state": "accept",
        "counter_at": NOW,
        "status": "received",
        "status_at": NOW,
        "status_note": "",
        "status_by": "",
        "clerk_username": "wangli",
        "called_at": None,
        "first_decision": "accept",
        "first_decided_at": NOW,
        "promised_date": None,
        "return_visits": "",
        "last_return_at": None,
    }


def test_a_batchs_applications_are_found_by_id_and_number_without_a_prepared_plan(store_url: str) -> None:
    engine = create_store_engine(store_url)
    try:
        rows = [_application(n) for n in range(1, 41)]
        with Session(engine) as session, session.begin():
            insert_rows(session, ServerApplication.__table__, rows)
        with Session(engine) as session, session.begin():
            # More runs on one connection than psycopg's prepare threshold (5): each is still planned afresh.
            for start in range(0, 40, 5):
                by_id = {row["id"] for row in rows[start : start + 3]}
                by_number = {row["acceptance_no"] for row in rows[start + 3 : start + 5]}
                unknown = {uuid.uuid4()}
                found = ingest._known_applications(session, by_id | unknown, by_number | {"310104003-003-x"})
                assert {row[0] for row in found} == by_id | {row["id"] for row in rows[start + 3 : start + 5]}
                assert {(row[1], row[2]) for row in found} == {("310104003", "003")}
                assert {row[3] for row in found} >= by_number
            if engine.dialect.name == "postgresql":
                prepared = session.execute(
                    text("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%acceptance_no = ANY%'")
                ).scalar_one()
                assert prepared == 0
    finally:
        engine.dispose()
