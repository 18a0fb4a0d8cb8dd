"""What the store knows about itself (docs/numbering.md "Series", docs/security.md "The store never lies"):
``store_meta`` holds the store's identity (store id, centre and workstation codes), its numbering series, when
it was last checked and where the audit chain became keyed.  A store of an earlier version gets its identity
from the deployment at its first start with this version (app/integrity.py).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_store_meta")),
    )


def downgrade() -> None:
    op.drop_table("store_meta")
