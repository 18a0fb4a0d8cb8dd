"""Sync with the central server: the server's status of each application in its own columns, and the sync
client's small state (pull cursor, last success, clock offset).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("server_status", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("server_status_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("server_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("server_seq", sa.BigInteger(), nullable=True))
    op.create_table(
        "sync_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_meta")),
    )


def downgrade() -> None:
    op.drop_table("sync_meta")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("server_seq")
        batch_op.drop_column("server_note")
        batch_op.drop_column("server_status_at")
        batch_op.drop_column("server_status")
