"""The supervisor's day (docs/supervisor.md): what the center's figures need of an application in columns of its own
(who took it, the 叫号, the first decision and when, the promised date, the 补正 return visits), with indexes by center
and day; the projections of ratings and their follow-ups, 更正/作废, day closes and handovers.

The applications and changes already held are filled in from their stored events (their payloads are read once,
here, in chunks), so a past day's figures are as true as a new one's.

Revision ID: 0005
Revises: 0004
"""

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHUNK = 5000
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clerk_username", sa.String(length=40), server_default="", nullable=False))
        batch_op.add_column(sa.Column("called_at", _WHEN, nullable=True))
        batch_op.add_column(sa.Column("first_decision", sa.String(length=20), server_default="", nullable=False))
        batch_op.add_column(sa.Column("first_decided_at", _WHEN, nullable=True))
        batch_op.add_column(sa.Column("promised_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("return_visits", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("last_return_at", _WHEN, nullable=True))
    op.create_index("ix_applications_center_received", "applications", ["center_code", "received_at"], unique=False)
    open_accepted = sa.text("status IN ('received', 'reviewing', 'returned')")
    op.create_index(
        "ix_applications_open_promised",
        "applications",
        ["center_code", "promised_date"],
        unique=False,
        postgresql_where=open_accepted,
        sqlite_where=open_accepted,
    )
    returned = sa.text("last_return_at IS NOT NULL")
    op.create_index(
        "ix_applications_center_returned",
        "applications",
        ["center_code", "last_return_at"],
        unique=False,
        postgresql_where=returned,
        sqlite_where=returned,
    )

    op.create_table(
        "ratings",
        sa.Column("rating_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("acceptance_no", sa.String(length=40), nullable=False),
        sa.Column("center_code", sa.String(length=12), nullable=False),
        sa.Column("workstation_code", sa.String(length=3), nullable=False),
        sa.Column("occasion", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=30), nullable=False),
        sa.Column("reasons", sa.String(length=200), server_default="", nullable=False),
        sa.Column("named", sa.Boolean(), nullable=False),
        sa.Column("clerk_username", sa.String(length=40), nullable=False),
        sa.Column("rated_at", _WHEN, nullable=False),
        sa.Column("contact_due", sa.Date(), nullable=True),
        sa.Column("rectify_due", sa.Date(), nullable=True),
        sa.Column("contacted_at", _WHEN, nullable=True),
        sa.Column("closed_at", _WHEN, nullable=True),
        sa.PrimaryKeyConstraint("rating_id", name=op.f("pk_ratings")),
    )
    op.create_index(op.f("ix_ratings_application_id"), "ratings", ["application_id"], unique=False)
    op.create_index("ix_ratings_center_rated", "ratings", ["center_code", "rated_at"], unique=False)
    open_bad = sa.text("closed_at IS NULL AND level IN ('dissatisfied', 'very_dissatisfied')")
    op.create_index(
        "ix_ratings_open_bad",
        "ratings",
        ["center_code"],
        unique=False,
        postgresql_where=open_bad,
        sqlite_where=open_bad,
    )
    op.create_table(
        "rating_follow_ups",
        sa.Column("follow_up_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("rating_id", sa.Uuid(), nullable=False),
        sa.Column("center_code", sa.String(length=12), nullable=False),
        sa.Column("workstation_code", sa.String(length=3), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("by", sa.String(length=40), nullable=False),
        sa.Column("reached", sa.Boolean(), nullable=True),
        sa.Column("verification", sa.String(length=20), nullable=True),
        sa.Column("measure", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("follow_up_id", name=op.f("pk_rating_follow_ups")),
    )
    op.create_index(op.f("ix_rating_follow_ups_rating_id"), "rating_follow_ups", ["rating_id"], unique=False)
    op.create_table(
        "application_changes",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("acceptance_no", sa.String(length=40), nullable=False),
        sa.Column("center_code", sa.String(length=12), nullable=False),
        sa.Column("workstation_code", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("approved_by", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_application_changes")),
    )
    op.create_index("ix_application_changes_center_at", "application_changes", ["center_code", "at"], unique=False)
    op.create_table(
        "day_closes",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("center_code", sa.String(length=12), nullable=False),
        sa.Column("workstation_code", sa.String(length=3), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("closed_at", _WHEN, nullable=False),
        sa.Column("closed_by", sa.String(length=40), nullable=False),
        sa.Column("applications", sa.Integer(), nullable=False),
        sa.Column("numbers", sa.Text(), server_default="", nullable=False),
        sa.Column("unsynced", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column("differences", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("received_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_day_closes")),
    )
    op.create_index(
        "ix_day_closes_workstation_day", "day_closes", ["center_code", "workstation_code", "day"], unique=False
    )
    op.create_table(
        "handovers",
        sa.Column("handover_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("center_code", sa.String(length=12), nullable=False),
        sa.Column("workstation_code", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=False),
        sa.Column("receiver", sa.String(length=100), nullable=True),
        sa.Column("handed_at", _WHEN, nullable=False),
        sa.Column("handed_by", sa.String(length=40), nullable=False),
        sa.Column("cases", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("handover_id", name=op.f("pk_handovers")),
    )
    op.create_table(
        "handover_cases",
        sa.Column("handover_id", sa.Uuid(), nullable=False),
        sa.Column("acceptance_no", sa.String(length=40), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("handover_id", "acceptance_no", name=op.f("pk_handover_cases")),
    )
    op.create_index(op.f("ix_handover_cases_application_id"), "handover_cases", ["application_id"], unique=False)
    _fill_from_events()


def _fill_from_events() -> None:
    """The new columns of the applications already held, and their 更正/作废, from their stored events (in the order
    received, which is the order each workstation queued them)."""
    bind = op.get_bind()
    events = sa.table(
        "events",
        sa.column("event_id", sa.Uuid()),
        sa.column("application_id", sa.Uuid()),
        sa.column("center_code", sa.String),
        sa.column("workstation_code", sa.String),
        sa.column("event_type", sa.String),
        sa.column("occurred_at", _WHEN),
        sa.column("received_at", _WHEN),
        sa.column("position", sa.Integer),
        sa.column("payload", sa.LargeBinary),
    )
    apps = sa.table(
        "applications",
        sa.column("id", sa.Uuid()),
        sa.column("clerk_username", sa.String),
        sa.column("called_at", _WHEN),
        sa.column("first_decision", sa.String),
        sa.column("first_decided_at", _WHEN),
        sa.column("promised_date", sa.Date),
        sa.column("return_visits", sa.Text),
        sa.column("last_return_at", _WHEN),
    )
    changes = sa.table(
        "application_changes",
        sa.column("event_id", sa.Uuid()),
        sa.column("application_id", sa.Uuid()),
        sa.column("acceptance_no", sa.String),
        sa.column("center_code", sa.String),
        sa.column("workstation_code", sa.String),
        sa.column("kind", sa.String),
        sa.column("at", _WHEN),
        sa.column("approved_by", sa.String),
        sa.column("reason", sa.Text),
    )
    order = (events.c.received_at, events.c.position, events.c.event_id)
    taken = (
        apps.update()
        .where(apps.c.id == sa.bindparam("b_id", type_=sa.Uuid()))
        .values(
            clerk_username=sa.bindparam("b_clerk"),
            called_at=sa.bindparam("b_called", type_=_WHEN),
            first_decision=sa.bindparam("b_decision"),
            first_decided_at=sa.bindparam("b_decided", type_=_WHEN),
            promised_date=sa.bindparam("b_promised", type_=sa.Date()),
        )
    )
    returned = (
        apps.update()
        .where(apps.c.id == sa.bindparam("b_id", type_=sa.Uuid()))
        .values(
            return_visits=apps.c.return_visits + sa.bindparam("b_visit", type_=sa.Text()),
            last_return_at=sa.bindparam("b_at", type_=_WHEN),
            promised_date=sa.func.coalesce(sa.bindparam("b_promised", type_=sa.Date()), apps.c.promised_date),
        )
    )
    # The 受理 events first, then the return visits in the order received (an application's 受理 event is always
    # received before its other events), then the 更正/作废: one pass each, a chunk of updates at a time.
    passes = (("application.taken",), ("application.supplemented",), ("application.corrected", "application.voided"))
    for types in passes:
        query = sa.select(events).where(events.c.event_type.in_(types)).order_by(*order)
        result = bind.execute(query.execution_options(yield_per=_CHUNK))
        for chunk in result.partitions():
            rows: list[dict[str, Any]] = []
            for row in chunk:
                body = json.loads(bytes(row.payload))["body"]
                if row.event_type == "application.taken":
                    decision = body["decision"]
                    rows.append(
                        {
                            "b_id": row.application_id,
                            "b_clerk": decision["clerk_username"],
                            "b_called": _moment(body.get("called_at")),
                            "b_decision": decision["decision"],
                            "b_decided": _moment(decision["decided_at"]),
                            "b_promised": _day(decision.get("promised_date")),
                        }
                    )
                elif row.event_type == "application.supplemented":
                    decision = body["decision"]
                    rows.append(
                        {
                            "b_id": row.application_id,
                            "b_visit": f"{decision['decision']}@{decision['decided_at']},",
                            "b_at": _moment(decision["decided_at"]),
                            "b_promised": _day(decision.get("promised_date")),
                        }
                    )
                else:
                    rows.append(
                        {
                            "event_id": row.event_id,
                            "application_id": row.application_id,
                            "acceptance_no": body["acceptance_no"],
                            "center_code": row.center_code,
                            "workstation_code": row.workstation_code,
                            "kind": row.event_type.rsplit(".", 1)[1],
                            "at": row.occurred_at,
                            "approved_by": body["approved_by"],
                            "reason": body["reason"],
                        }
                    )
            if rows:
                statement = {"application.taken": taken, "application.supplemented": returned}.get(types[0])
                bind.execute(statement if statement is not None else changes.insert(), rows)


def _moment(value: str | None) -> Any:
    """A moment of a payload, in UTC: what the server's columns hold (SQLite keeps no time zone)."""
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC) if value else None


def _day(value: str | None) -> Any:
    return dt.date.fromisoformat(value) if value else None


def downgrade() -> None:
    op.drop_index(op.f("ix_handover_cases_application_id"), table_name="handover_cases")
    op.drop_table("handover_cases")
    op.drop_table("handovers")
    op.drop_index("ix_day_closes_workstation_day", table_name="day_closes")
    op.drop_table("day_closes")
    op.drop_index("ix_application_changes_center_at", table_name="application_changes")
    op.drop_table("application_changes")
    op.drop_index(op.f("ix_rating_follow_ups_rating_id"), table_name="rating_follow_ups")
    op.drop_table("rating_follow_ups")
    op.drop_index("ix_ratings_open_bad", table_name="ratings")
    op.drop_index("ix_ratings_center_rated", table_name="ratings")
    op.drop_index(op.f("ix_ratings_application_id"), table_name="ratings")
    op.drop_table("ratings")
    op.drop_index("ix_applications_center_returned", table_name="applications")
    op.drop_index("ix_applications_open_promised", table_name="applications")
    op.drop_index("ix_applications_center_received", table_name="applications")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("last_return_at")
        batch_op.drop_column("return_visits")
        batch_op.drop_column("promised_date")
        batch_op.drop_column("first_decided_at")
        batch_op.drop_column("first_decision")
        batch_op.drop_column("called_at")
        batch_op.drop_column("clerk_username")
