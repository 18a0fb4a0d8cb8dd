"""Two-phase enrollment and accountable operators: pending device credentials (``confirmed_at``, ``pending_until``,
the code they were issued against), enrollment codes revoked by a newer one, operator expiry, and the log of what
operators did with applications.

Devices enrolled before this revision count as confirmed at their enrollment.

Revision ID: 0002
Revises: 0001
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("pending_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("code_hash", sa.String(length=64), nullable=True))
    devices = sa.table("devices", sa.column("confirmed_at"), sa.column("enrolled_at"))
    op.execute(devices.update().values(confirmed_at=devices.c.enrolled_at))

    with op.batch_alter_table("enrollment_codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "operator_access",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator_id", sa.Uuid(), nullable=False),
        sa.Column("operator_name", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("acceptance_no", sa.String(length=40), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator_access")),
    )
    with op.batch_alter_table("operator_access", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_operator_access_acceptance_no"), ["acceptance_no"], unique=False)


def downgrade() -> None:
    # Without the new columns nothing would hold these back any more: a pending credential would authenticate, a
    # revoked code could be claimed, an operator past its expiry would work.  Close them first.
    now = dt.datetime.now(dt.UTC)
    when = sa.DateTime(timezone=True)
    devices = sa.table(
        "devices",
        sa.column("confirmed_at", when),
        sa.column("revoked_at", when),
        sa.column("revoked_reason", sa.String),
    )
    op.execute(
        devices.update()
        .where(devices.c.confirmed_at.is_(None), devices.c.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason="pending enrollment dropped by a downgrade")
    )
    codes = sa.table("enrollment_codes", sa.column("used_at", when), sa.column("revoked_at", when))
    op.execute(
        codes.update()
        .where(codes.c.revoked_at.is_not(None), codes.c.used_at.is_(None))
        .values(used_at=codes.c.revoked_at)
    )
    operators = sa.table("operators", sa.column("expires_at", when), sa.column("revoked_at", when))
    op.execute(
        operators.update()
        .where(operators.c.expires_at.is_not(None), operators.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    with op.batch_alter_table("operator_access", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operator_access_acceptance_no"))
    op.drop_table("operator_access")
    with op.batch_alter_table("operators", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("enrollment_codes", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_column("code_hash")
        batch_op.drop_column("pending_until")
        batch_op.drop_column("confirmed_at")
