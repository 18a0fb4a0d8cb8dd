"""Recovery from the server (docs/sync-protocol.md "Recovery"): a workstation's own events read back in the order
received and, within a pushed batch, sent (``events.position`` and an index), and the audit heads replaced by a
recovered store's new chain, kept for good.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Where each event was in its pushed batch: events stored before count as 0 (their batch order is lost; within
    # such a batch they are read back by event id, and the workstation orders an application's events itself).
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), server_default="0", nullable=False))
    op.create_index(
        "ix_events_workstation_order",
        "events",
        ["center_code", "workstation_code", "received_at", "position", "event_id"],
        unique=False,
    )
    op.create_table(
        "audit_head_resets",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("center_code", sa.String(length=12), nullable=False),
        sa.Column("workstation_code", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("previous_seq", sa.BigInteger(), nullable=True),
        sa.Column("previous_mac", sa.String(length=64), nullable=True),
        sa.Column("previous_received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.Column("reset_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_audit_head_resets")),
    )


def downgrade() -> None:
    op.drop_table("audit_head_resets")
    op.drop_index("ix_events_workstation_order", table_name="events")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("position")
