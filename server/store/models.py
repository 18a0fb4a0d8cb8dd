"""The central server's tables (docs/sync-protocol.md).

Every write that two server processes may race on is guarded by a unique constraint and done as
``INSERT … ON CONFLICT DO NOTHING``, never read-then-write.  The server's status of an application lives in its own
columns (``status``, ``status_at``, ``status_note``), apart from what the counter decided (``counter_state``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    Dialect,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import DateTime

from app import limits


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC timestamps on PostgreSQL and SQLite alike (SQLite returns naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime(), uuid.UUID: Uuid()}


class EnrollmentCode(Base):
    """A one-time enrollment code for one workstation of one center; only its hash is kept."""

    __tablename__ = "enrollment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    center_code: Mapped[str] = mapped_column(String(12))
    workstation_code: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    device_id: Mapped[uuid.UUID | None]
    #: Set when a newer code was issued for the same workstation: this one can no longer be claimed or confirmed.
    revoked_at: Mapped[dt.datetime | None]


class Device(Base):
    """An enrolled workstation.  The credential itself is never stored: only its SHA-256."""

    __tablename__ = "devices"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    center_code: Mapped[str] = mapped_column(String(12), index=True)
    workstation_code: Mapped[str] = mapped_column(String(3))
    hostname: Mapped[str] = mapped_column(String(100), default="")
    enrolled_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(200))
    last_seen_at: Mapped[dt.datetime | None]
    #: NULL while the credential is pending (two-phase enrollment): it authenticates for nothing but its
    #: confirmation, and only until ``pending_until``.
    confirmed_at: Mapped[dt.datetime | None]
    pending_until: Mapped[dt.datetime | None]
    #: The enrollment code it was issued against (consumed when the credential is confirmed).
    code_hash: Mapped[str | None] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The highest head of a device's audit chain the server has accepted (docs/sync-protocol.md "Audit heads"):
    every push carries the workstation's latest position and its HMAC; a head that goes backwards (a lower
    position, or the same one with another HMAC) is refused and remembered in ``refused_*``.  The server cannot
    check an HMAC (the key never leaves the workstation): it is the witness that the chain only grows."""

    __tablename__ = "audit_heads"

    device_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    center_code: Mapped[str] = mapped_column(String(limits.CENTER_CODE_MAX))
    workstation_code: Mapped[str] = mapped_column(String(limits.WORKSTATION_CODE_LENGTH))
    seq: Mapped[int] = mapped_column(BigInteger)
    mac: Mapped[str] = mapped_column(String(limits.SHA256_HEX_LENGTH))
    received_at: Mapped[dt.datetime]
    #: The last head refused (went backwards), and when: what an operator looks at.
    refused_seq: Mapped[int | None] = mapped_column(BigInteger)
    refused_at: Mapped[dt.datetime | None]


class AuditHeadResetRow(Base):
    """A device's audit head replaced by a new chain's (``POST /device/audit-head/reset``, after ``yimen recover
    --from-server``): the head it had, the head it got, why and when.  Never updated, never deleted: the trace an
    operator reads (``yimen-server admin audit-resets``).  One per device: another reset needs a new enrollment."""

    __tablename__ = "audit_head_resets"

    device_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    center_code: Mapped[str] = mapped_column(String(limits.CENTER_CODE_MAX))
    workstation_code: Mapped[str] = mapped_column(String(limits.WORKSTATION_CODE_LENGTH))
    reason: Mapped[str] = mapped_column(String(40))
    #: The head held before (NULL: the device had pushed none).
    previous_seq: Mapped[int | None] = mapped_column(BigInteger)
    previous_mac: Mapped[str | None] = mapped_column(String(limits.SHA256_HEX_LENGTH))
    previous_received_at: Mapped[dt.datetime | None]
    seq: Mapped[int] = mapped_column(BigInteger)
    mac: Mapped[str] = mapped_column(String(limits.SHA256_HEX_LENGTH))
    reset_at: Mapped[dt.datetime]


class Operator(Base):
    """A back-office credential (后台协同办理): moves applications of its centers through their statuses."""

    __tablename__ = "operators"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Comma-separated center codes, or ``*`` for every center.
    centers: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    #: After this moment the credential stops working; NULL: no expiry.
    expires_at: Mapped[dt.datetime | None]


class OperatorAccess(Base):
    """What an operator did with or read of an application: who, which action, which case, when, and through
    which door (``api`` or ``cli``).  Never the personal data itself."""

    __tablename__ = "operator_access"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    operator_id: Mapped[uuid.UUID]
    operator_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    acceptance_no: Mapped[str] = mapped_column(String(40), index=True)
    via: Mapped[str] = mapped_column(String(10))


class StoredEvent(Base):
    """Every event a counter pushed, exactly once, with the bytes it was sent as."""

    __tablename__ = "events"

    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(limits.SHA256_HEX_LENGTH))
    center_code: Mapped[str] = mapped_column(String(limits.CENTER_CODE_MAX))
    workstation_code: Mapped[str] = mapped_column(String(limits.WORKSTATION_CODE_LENGTH))
    application_id: Mapped[uuid.UUID] = mapped_column(index=True)
    event_type: Mapped[str] = mapped_column(String(limits.EVENT_TYPE_MAX))
    schema_version: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime]
    device_id: Mapped[uuid.UUID]
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    #: Where the event was in its pushed batch (all of a batch share ``received_at``); 0 for events stored before.
    position: Mapped[int] = mapped_column(Integer, server_default="0")

    #: A workstation's own events in the order received and, within a batch, sent: the order its outbox queued them,
    #: which ``GET /device/records`` pages through.
    __table_args__ = (
        Index("ix_events_workstation_order", "center_code", "workstation_code", "received_at", "position", "event_id"),
    )


class ServerApplication(Base):
    """The city's view of an application: what the counter decided and, in its own columns, the back office's
    status.  The counter's columns are sized by the limits the protocol checks (app/limits.py), so an event that
    passes the protocol fits them."""

    __tablename__ = "applications"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    acceptance_no: Mapped[str] = mapped_column(String(limits.ACCEPTANCE_NO_MAX), unique=True)
    query_code: Mapped[str] = mapped_column(String(limits.QUERY_CODE_LENGTH))
    center_code: Mapped[str] = mapped_column(String(limits.CENTER_CODE_MAX), index=True)
    #: The workstation that took the application: the only one whose later events about it are taken.
    workstation_code: Mapped[str] = mapped_column(String(limits.WORKSTATION_CODE_LENGTH))
    item_code: Mapped[str] = mapped_column(String(limits.ITEM_CODE_MAX))
    item_version: Mapped[int] = mapped_column(Integer)
    item_name: Mapped[str] = mapped_column(String(limits.ITEM_NAME_MAX))
    received_at: Mapped[dt.datetime]
    #: accept / tolerated (容缺受理) / first_aid (先行救助) / answered (查询) / supplement / refuse / voided
    counter_state: Mapped[str] = mapped_column(String(30))
    counter_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(20))
    status_at: Mapped[dt.datetime]
    status_note: Mapped[str] = mapped_column(String(500), default="")
    status_by: Mapped[str] = mapped_column(String(100), default="")


class Blob(Base):
    """Issued documents, content-addressed: the PDF bytes the citizen was handed."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    center_code: Mapped[str] = mapped_column(String(12))
    received_at: Mapped[dt.datetime]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Counter(Base):
    """The serialized feed counter: one row, incremented inside the transaction that adds a feed entry.

    The row lock is held until commit, so feed entries become visible in ``seq`` order and a reader's cursor
    never skips an entry committed out of order (docs/sync-protocol.md, "The cursor").
    """

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class FeedEntryRow(Base):
    """What the counters pull: status changes, account changes, catalog versions; ``center_code`` NULL is for all."""

    __tablename__ = "feed"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    center_code: Mapped[str | None] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)  # the protocol Change as JSON
    created_at: Mapped[dt.datetime]

    __table_args__ = (Index("ix_feed_center_seq", "center_code", "seq"),)


class CatalogVersionRow(Base):
    """A catalog item version published centrally (事项准入/变更/退出)."""

    __tablename__ = "catalog_versions"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    canonical_json: Mapped[str] = mapped_column(Text)
    published_at: Mapped[dt.datetime]

    __table_args__ = (Index("uq_catalog_item_version", "item_code", "version", unique=True),)


class Account(Base):
    """A counter account's central state (enabled or disabled for a center)."""

    __tablename__ = "accounts"

    center_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    username: Mapped[str] = mapped_column(String(40), primary_key=True)
    active: Mapped[bool]
    changed_at: Mapped[dt.datetime]
