"""Applications: due_date / due_estimated, the tracked deadline (recomputed when a calendar year is added).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("due_estimated", sa.Boolean(), server_default=sa.false(), nullable=False))
    # Existing records: the tracked deadline starts as the printed promise.
    op.execute("UPDATE applications SET due_date = promised_date, due_estimated = promised_estimated")


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("due_estimated")
        batch_op.drop_column("due_date")
