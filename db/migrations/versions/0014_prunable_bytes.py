"""A store that stays small (issue 16, docs/reliability.md "Pruning"): an acknowledged event's payload and an issued
document's PDF may be pruned after their retention periods, the row with its SHA-256 staying.  Both byte columns
become nullable and gain the moment they were pruned.  Existing rows are kept as they are.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("payload", existing_type=sa.LargeBinary(), nullable=True)
        batch_op.add_column(sa.Column("payload_pruned_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=True)
        batch_op.add_column(sa.Column("pdf_pruned_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # A pruned row has no bytes to give back: a downgrade is refused while any is pruned.
    bind = op.get_bind()
    pruned = bind.execute(sa.text("SELECT count(*) FROM outbox WHERE payload IS NULL")).scalar_one()
    pruned += bind.execute(sa.text("SELECT count(*) FROM documents WHERE pdf IS NULL")).scalar_one()
    if pruned:
        raise RuntimeError(f"{pruned} pruned rows: this store cannot go back to revision 0013")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("pdf_pruned_at")
        batch_op.alter_column("pdf", existing_type=sa.LargeBinary(), nullable=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("payload_pruned_at")
        batch_op.alter_column("payload", existing_type=sa.LargeBinary(), nullable=False)
