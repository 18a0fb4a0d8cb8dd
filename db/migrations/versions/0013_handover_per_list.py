"""A case may be on more than one 材料交接单: owed paper brought after its list was recorded goes on a later list
(docs/supervisor.md "材料交接单").  Each paper line still goes with one list only: a list covers the case's kept
paper received up to the moment it was recorded and not covered by an earlier list of the case, so the unique key
becomes (list, case).  Existing rows are kept as they are.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("handover_cases", schema=None) as batch_op:
        batch_op.drop_constraint("uq_handover_cases_application_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_handover_cases_handover_id_application_id", ["handover_id", "application_id"]
        )
        batch_op.create_index("ix_handover_cases_application_id", ["application_id"])


def downgrade() -> None:
    with op.batch_alter_table("handover_cases", schema=None) as batch_op:
        batch_op.drop_index("ix_handover_cases_application_id")
        batch_op.drop_constraint("uq_handover_cases_handover_id_application_id", type_="unique")
        batch_op.create_unique_constraint("uq_handover_cases_application_id", ["application_id"])
