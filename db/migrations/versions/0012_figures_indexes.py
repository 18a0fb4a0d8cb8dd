"""The supervisor's figures read only the period's rows (docs/supervisor.md "Figures"; app/reports/summary.py):
decisions by the moment they were made (a 补正 return visit of the period), ratings by the moment they were given,
the 差评 whose follow-up is still open, the open accepted cases by their tracked deadline, and the 更正 and 作废
events by type and moment.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_DUE_WHERE = (
    "state = 'accepted' AND due_date IS NOT NULL AND "
    "(server_status IS NULL OR server_status NOT IN ('completed', 'denied', 'voided', 'not_accepted'))"
)
OPEN_BAD_WHERE = "closed_at IS NULL AND level IN ('dissatisfied', 'very_dissatisfied')"


def upgrade() -> None:
    op.create_index("ix_decisions_decided_at", "decisions", ["decided_at"])
    op.create_index("ix_ratings_rated_at", "ratings", ["rated_at"])
    op.create_index("ix_ratings_open_bad", "ratings", ["rated_at"], sqlite_where=sa.text(OPEN_BAD_WHERE))
    op.create_index("ix_outbox_event_type_created_at", "outbox", ["event_type", "created_at"])
    op.create_index("ix_applications_open_due", "applications", ["due_date"], sqlite_where=sa.text(OPEN_DUE_WHERE))


def downgrade() -> None:
    op.drop_index("ix_applications_open_due", table_name="applications")
    op.drop_index("ix_outbox_event_type_created_at", table_name="outbox")
    op.drop_index("ix_ratings_open_bad", table_name="ratings")
    op.drop_index("ix_ratings_rated_at", table_name="ratings")
    op.drop_index("ix_decisions_decided_at", table_name="decisions")
