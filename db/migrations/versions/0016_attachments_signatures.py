"""Counter devices (issue 17): the materials' images and PDFs (电子材料) and the citizens' signatures, kept with
the case in the encrypted store.

- ``attachment_blobs``: one row per distinct file, addressed by its SHA-256 (the same scan attached twice is kept
  once; ``pages``: 1 for an image, the PDF's page count); ``uploaded_at`` once the server confirmed it holds the
  same bytes, ``pruned_at`` once the bytes were dropped after the retention period; the row and its hash stay.
- ``attachment_data``: the file's bytes, one row per ``attachment_blobs`` row, apart so that marking a file
  uploaded rewrites a small row and not megabytes (SQLite writes a changed record whole), and a pruning deletes
  the row and frees its pages.
- ``attachments``: a file attached to one checklist line of a case (``material_key`` and, for a household member's
  material, ``party_position``), in the order the clerk attached them.  A file attached to a draft waits in
  ``attachment_blobs`` until the decision saves the case; blobs no case names are removed by the housekeeping.
- ``signatures``: a signature taken for a case (the applicant, the spouse, an agent, a guardian), as vector strokes
  and a PNG, bound to the case's content digest at the moment of signing (``content_digest``) so a later 更正 shows
  that the signature predates it.  A redone signature supersedes the earlier one (``superseded_at``); nothing is
  deleted.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attachment_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=True),
        sa.Column("pruned_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_blobs")),
    )
    with op.batch_alter_table("attachment_blobs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_attachment_blobs_not_uploaded", ["created_at"], sqlite_where=sa.text("uploaded_at IS NULL")
        )
    op.create_table(
        "attachment_data",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["attachment_blobs.sha256"], name=op.f("fk_attachment_data_sha256_attachment_blobs")
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_data")),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("material_key", sa.String(length=60), nullable=False),
        sa.Column("party_position", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_attachments_application_id_applications")
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["attachment_blobs.sha256"], name=op.f("fk_attachments_sha256_attachment_blobs")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_attachments_created_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachments_sha256"), ["sha256"], unique=False)
    op.create_table(
        "signatures",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("signer", sa.String(length=20), nullable=False),
        sa.Column("party_position", sa.Integer(), nullable=True),
        sa.Column("strokes", sa.JSON(), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=True),
        sa.Column("png_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("taken_by", sa.Uuid(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.Column("pruned_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name=op.f("fk_signatures_application_id_applications")
        ),
        sa.ForeignKeyConstraint(["taken_by"], ["users.id"], name=op.f("fk_signatures_taken_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signatures")),
    )
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signatures_application_id"), ["application_id"], unique=False)


def downgrade() -> None:
    op.drop_table("signatures")
    op.drop_table("attachments")
    op.drop_table("attachment_data")
    op.drop_table("attachment_blobs")
