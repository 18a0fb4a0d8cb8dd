"""The documents' bytes out of the database, and their retention (docs/operations.md "Documents' bytes").

``blobs.data`` may be NULL: the bytes are then a file of the blob folder (``YIMEN_SERVER_BLOB_DIR``,
server/store/blob_files.py), or, with ``dropped_at`` set, dropped by the retention after the archive's transfer
(移交) of their month; ``archived_month`` is the latest archived month whose archive carries them.  The table
``document_transfers`` records the months whose transfer the archive confirmed.

When the migration is run with a blob folder (``yimen-server migrate`` with ``YIMEN_SERVER_BLOB_DIR`` set), the bytes
kept in the table move into it, a hundred at a time: each file written whole and read back before its row's bytes
are cleared.  Content-addressed, so it is idempotent: a file already there is kept, and a migration that stopped
half-way leaves at worst files whose rows still hold the bytes (the next run finds them and clears the rows).  A row
whose bytes do not match its SHA-256 keeps them and is logged.  Without a folder the bytes stay where they are.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import context, op

from server.store import blob_files

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("server.migrations.0009")
BATCH = 100


def upgrade() -> None:
    with op.batch_alter_table("blobs") as batch:
        batch.alter_column("data", existing_type=sa.LargeBinary(), nullable=True)
        batch.add_column(sa.Column("archived_month", sa.String(length=7), nullable=True))
        batch.add_column(sa.Column("dropped_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "document_transfers",
        sa.Column("month", sa.String(length=7), primary_key=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
    )
    root = context.config.attributes.get("blob_dir")
    if root:
        moved = move_out(op.get_bind(), Path(root))
        log.info("migration 0009: %d documents moved to the blob folder", moved)


def move_out(conn: sa.Connection, root: Path) -> int:
    """Move every blob's bytes still in the table into ``root``; how many were moved."""
    blobs = sa.table("blobs", sa.column("sha256"), sa.column("data", sa.LargeBinary()))
    last, moved = "", 0
    while True:
        rows = conn.execute(
            sa.select(blobs.c.sha256, blobs.c.data)
            .where(blobs.c.data.is_not(None), blobs.c.sha256 > last)
            .order_by(blobs.c.sha256)
            .limit(BATCH)
        ).all()
        if not rows:
            return moved
        done = []
        for sha256, data in rows:
            if hashlib.sha256(bytes(data)).hexdigest() != sha256:
                log.error("blob %s… does not match its SHA-256: left in the table", sha256[:12])
                continue
            blob_files.write(root, sha256, bytes(data))
            done.append(sha256)
        if done:
            conn.execute(sa.update(blobs).where(blobs.c.sha256.in_(done)).values(data=None))
        moved += len(done)
        last = rows[-1].sha256


def downgrade() -> None:
    conn = op.get_bind()
    dropped = conn.scalar(sa.text("SELECT count(*) FROM blobs WHERE dropped_at IS NOT NULL"))
    if dropped:
        raise RuntimeError(f"{dropped} documents were dropped by the retention: 0009 cannot be undone")
    in_files = conn.scalar(sa.text("SELECT count(*) FROM blobs WHERE data IS NULL"))
    if in_files:
        root = context.config.attributes.get("blob_dir")
        if not root:
            raise RuntimeError("documents are in the blob folder: downgrade with YIMEN_SERVER_BLOB_DIR set")
        shas = conn.scalars(sa.text("SELECT sha256 FROM blobs WHERE data IS NULL")).all()
        for sha256 in shas:
            data = blob_files.read(Path(root), sha256)
            if data is None:
                raise RuntimeError(f"blob {sha256[:12]}… is missing from the blob folder")
            conn.execute(sa.text("UPDATE blobs SET data = :data WHERE sha256 = :sha"), {"data": data, "sha": sha256})
    op.drop_table("document_transfers")
    with op.batch_alter_table("blobs") as batch:
        batch.drop_column("dropped_at")
        batch.drop_column("archived_month")
        batch.alter_column("data", existing_type=sa.LargeBinary(), nullable=False)
