"""An application may owe the documents of several changes at once (a 更正 before its decision's documents were
stored): ``documents_due`` holds space-separated debts, which no longer fit 60 characters.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A single debt ("decision:<uuid>") is already a valid list of one: no value changes.
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.alter_column("documents_due", existing_type=sa.String(length=60), type_=sa.Text())


def downgrade() -> None:
    # Keep the oldest debt of each record (the later ones are reissues the older code cannot express).
    op.execute(
        "UPDATE applications SET documents_due = substr(documents_due, 1, instr(documents_due, ' ') - 1) "
        "WHERE instr(documents_due, ' ') > 0"
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.alter_column("documents_due", existing_type=sa.Text(), type_=sa.String(length=60))
