"""Materials' files (电子材料, issue 17; docs/sync-protocol.md "Attachments"): uploaded in chunks apart from the
events, resumable after a cut.

- ``attachment_uploads``: one file of one case, as a device of its center sends it: the declared size and media
  type, the bytes received so far (``received``; the device asks for it and goes on from there), and
  ``completed_at`` once the bytes were whole and matched the SHA-256.
- ``attachment_chunks``: an upload's chunks by their offset: the file's bytes, kept as they came once they matched
  the SHA-256 (one upload holds a file's bytes; another upload of the same bytes proves it has them and keeps none).

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "attachment_uploads",
        sa.Column("id", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("center_code", sa.String(length=12), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("received", sa.BigInteger(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("center_code", "application_id", "sha256", name="uq_attachment_uploads_case_file"),
    )
    op.create_index("ix_attachment_uploads_application_id", "attachment_uploads", ["application_id"])
    op.create_table(
        "attachment_chunks",
        sa.Column(
            "upload_id",
            BIG_ID,
            sa.ForeignKey(
                "attachment_uploads.id", ondelete="CASCADE", name="fk_attachment_chunks_upload_id_attachment_uploads"
            ),
            primary_key=True,
        ),
        sa.Column("offset", sa.BigInteger(), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("attachment_chunks")
    op.drop_index("ix_attachment_uploads_application_id", table_name="attachment_uploads")
    op.drop_table("attachment_uploads")
