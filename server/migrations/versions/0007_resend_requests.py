"""Sending again after a server restore (docs/sync-protocol.md "Sending again after a server restore"): the
operator's resend requests, and which device has done which.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "resend_requests",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("center_code", sa.String(length=12), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "resend_done",
        sa.Column("request_id", BIG_ID, primary_key=True),
        sa.Column("device_id", sa.Uuid(), primary_key=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("resend_done")
    op.drop_table("resend_requests")
