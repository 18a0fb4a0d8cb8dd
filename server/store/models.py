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
    Date,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import DateTime

from app import limits
from app.version import VERSION_MAX


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
    #: The version its workstation named on its last request (``X-Yimen-Version``; NULL: none, or an unreadable one),
    #: recorded with ``last_seen_at`` (docs/sync-protocol.md "Client versions").
    client_version: Mapped[str | None] = mapped_column(String(VERSION_MAX))
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


#: The back office's statuses of an accepted case still open (protocol.ServerStatus: 已受理待审核, 审核中, 退回补正).
OPEN_STATUSES = ("received", "reviewing", "returned")
#: The same as literal SQL, the partial index's predicate: ``status IN ('received', 'reviewing', 'returned')``.
OPEN_ACCEPTED = "status IN ({})".format(", ".join(f"'{status}'" for status in OPEN_STATUSES))


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
    # What the center's figures need (server/services/center.py), kept in columns so a day's figures are indexed
    # range reads and never a parse of payloads (docs/supervisor.md): who took it, the 叫号, the first decision and
    # when, the promised date (the latest decision's), the 补正 return visits (``accept@<ISO moment>,`` each, in
    # order) and the latest one's moment.
    clerk_username: Mapped[str] = mapped_column(String(limits.USERNAME_MAX), server_default="")
    called_at: Mapped[dt.datetime | None]
    first_decision: Mapped[str] = mapped_column(String(20), server_default="")
    first_decided_at: Mapped[dt.datetime | None]
    promised_date: Mapped[dt.date | None] = mapped_column(Date)
    return_visits: Mapped[str] = mapped_column(Text, server_default="")
    last_return_at: Mapped[dt.datetime | None]

    __table_args__ = (
        #: A center's applications received in a period (the center's figures; a workstation's day's numbers).
        Index("ix_applications_center_received", "center_code", "received_at"),
        #: A center's open accepted cases by promised date (overdue and due soon): open cases only.
        Index(
            "ix_applications_open_promised",
            "center_code",
            "promised_date",
            postgresql_where=text(OPEN_ACCEPTED),
            sqlite_where=text(OPEN_ACCEPTED),
        ),
        #: A center's cases with a 补正 return visit, by the latest one.
        Index(
            "ix_applications_center_returned",
            "center_code",
            "last_return_at",
            postgresql_where=text("last_return_at IS NOT NULL"),
            sqlite_where=text("last_return_at IS NOT NULL"),
        ),
    )


class Blob(Base):
    """Issued documents, content-addressed: the PDF bytes the citizen was handed (docs/operations.md "Documents'
    bytes").  Where the bytes are: ``data`` when they are in this table (no ``YIMEN_SERVER_BLOB_DIR``, or not
    moved yet); NULL with ``dropped_at`` NULL when they are a file of the blob folder (server/store/blob_files.py);
    NULL with ``dropped_at`` set when the retention dropped them after the archive's transfer of their month."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    center_code: Mapped[str] = mapped_column(String(12))
    received_at: Mapped[dt.datetime]
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: The latest archived month (``YYYY-MM``) whose archive carries these bytes (``admin archive``).
    archived_month: Mapped[str | None] = mapped_column(String(7))
    #: When the retention dropped the bytes (the row stays, with its SHA-256).
    dropped_at: Mapped[dt.datetime | None]


class DocumentTransfer(Base):
    """A month whose archive (events and documents) the archive authority confirmed it took over (移交): the PDFs it
    carries may then leave the server (``yimen-server admin documents-prune``)."""

    __tablename__ = "document_transfers"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    confirmed_at: Mapped[dt.datetime]
    reference: Mapped[str] = mapped_column(String(200))


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


# ---------------------------------------------------------------------------------------------------- the supervisor
# Projections of the supervisor's events (docs/supervisor.md), written by server/services/ingest.py once per stored
# event, read by server/services/center.py.  The events themselves stay in ``events`` as sent.


OPEN_BAD = "closed_at IS NULL AND level IN ('dissatisfied', 'very_dissatisfied')"


class RatingRow(Base):
    """A citizen's 好差评 of a visit (``rating.recorded``), and where its follow-up stands.  No phone number: the
    named flag only (the phone stays in the event as sent; the follow-up is the center's, at its workstation;
    docs/sync-protocol.md "The supervisor's events")."""

    __tablename__ = "ratings"

    rating_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    event_id: Mapped[uuid.UUID]
    application_id: Mapped[uuid.UUID] = mapped_column(index=True)
    acceptance_no: Mapped[str] = mapped_column(String(limits.ACCEPTANCE_NO_MAX))
    center_code: Mapped[str] = mapped_column(String(limits.CENTER_CODE_MAX))
    workstation_code: Mapped[str] = mapped_column(String(limits.WORKSTATION_CODE_LENGTH))
    occasion: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(30))
    #: The 差评's reasons, comma-separated (``long_wait,attitude``).
    reasons: Mapped[str] = mapped_column(String(200), server_default="")
    named: Mapped[bool]
    clerk_username: Mapped[str] = mapped_column(String(limits.USERNAME_MAX))
    rated_at: Mapped[dt.datetime]
    contact_due: Mapped[dt.date | None] = mapped_column(Date)
    rectify_due: Mapped[dt.date | None] = mapped_column(Date)
    #: The first contact step and the outcome step, as their events arrive.
    contacted_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]

    __table_args__ = (
        Index("ix_ratings_center_rated", "center_code", "rated_at"),
        #: A center's 差评 whose follow-up is not closed, of any day.
        Index(
            "ix_ratings_open_bad",
            "center_code",
            postgresql_where=text(OPEN_BAD),
            sqlite_where=text(OPEN_BAD),
        ),
    )


class RatingFollowUpRow(Base):
    """One step of a 差评's follow-up (``rating.followed_up``)."""

    __tablename__ = "rating_follow_ups"

    follow_up_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    event_id: Mapped[uuid.UUID]
    rating_id: Mapped[uuid.UUID] = mapped_column(index=True)
    center_code: Mapped[str] = mapped_column(String(limits.CENTER_CODE_MAX))
    workstation_code: Mapped[str] = mapped_column(String(limits.WORKSTATION_CODE_LENGTH))
    step: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime]
    by: Mapped[str] = mapped_column(String(limits.USERNAME_MAX))
    reached: Mapped[bool | None]
    verification: Mapped[str | None] = mapped_column(String(20))
    measure: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class ApplicationChangeRow(Base):
    """A 更正 or 作废 (``application.corrected`` / ``.voided``): what the center's figures list of a period."""

    __tablename__ = "application_changes"

    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    application_id: Mapped[uuid.UUID]
    acceptance_no: Mapped[str] = mapped_column(String(limits.ACCEPTANCE_NO_MAX))
    center_code: Mapped[str] = mapped_column(String(limits.CENTER_CODE_MAX))
    workstation_code: Mapped[str] = mapped_column(String(limits.WORKSTATION_CODE_LENGTH))
    kind: Mapped[str] = mapped_column(String(20))  # corrected | voided
    at: Mapped[dt.datetime]
    approved_by: Mapped[str] = mapped_column(String(limits.USERNAME_MAX))
    reason: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_application_changes_center_at", "center_code", "at"),)


class DayCloseRow(Base):
    """A workstation's 日结 (``day.closed``).  Every close is kept; the latest of a day is the day's close."""

    __tablename__ = "day_closes"

    event_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    center_code: Mapped[str] = mapped_column(String(limits.CENTER_CODE_MAX))
    workstation_code: Mapped[str] = mapped_column(String(limits.WORKSTATION_CODE_LENGTH))
    day: Mapped[dt.date] = mapped_column(Date)
    closed_at: Mapped[dt.datetime]
    closed_by: Mapped[str] = mapped_column(String(limits.USERNAME_MAX))
    applications: Mapped[int] = mapped_column(Integer)
    #: The first and last 办件编号 of each numbering series that day, comma-separated.
    numbers: Mapped[str] = mapped_column(Text, server_default="")
    unsynced: Mapped[int] = mapped_column(Integer)
    quarantined: Mapped[int] = mapped_column(Integer)
    differences: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[dt.datetime]

    __table_args__ = (Index("ix_day_closes_workstation_day", "center_code", "workstation_code", "day"),)


class HandoverRow(Base):
    """A 材料交接单 handed to the back office (``handover.recorded``)."""

    __tablename__ = "handovers"

    handover_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    event_id: Mapped[uuid.UUID]
    center_code: Mapped[str] = mapped_column(String(limits.CENTER_CODE_MAX))
    workstation_code: Mapped[str] = mapped_column(String(limits.WORKSTATION_CODE_LENGTH))
    number: Mapped[str] = mapped_column(String(limits.NOTICE_NO_MAX))
    department: Mapped[str] = mapped_column(String(100))
    receiver: Mapped[str | None] = mapped_column(String(100))
    handed_at: Mapped[dt.datetime]
    handed_by: Mapped[str] = mapped_column(String(limits.USERNAME_MAX))
    cases: Mapped[int] = mapped_column(Integer)


class HandoverCaseRow(Base):
    """One case on a 材料交接单."""

    __tablename__ = "handover_cases"

    handover_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    acceptance_no: Mapped[str] = mapped_column(String(limits.ACCEPTANCE_NO_MAX), primary_key=True)
    application_id: Mapped[uuid.UUID] = mapped_column(index=True)


class ResendRequest(Base):
    """An operator's request that workstations send again everything since a moment (docs/sync-protocol.md "Sending
    again after a server restore"): after the database was restored to an earlier point, the events acknowledged
    since then are lost here but kept on the workstations (their payload retention covers the server's recovery
    window).  ``center_code`` NULL: every center.  The feed carries the newest request a device has not done yet;
    the device sends its events since ``since`` again (the server answers ``duplicate`` for those it still has) and
    names the request done on its next feed call."""

    __tablename__ = "resend_requests"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    since: Mapped[dt.datetime]
    center_code: Mapped[str | None] = mapped_column(String(limits.CENTER_CODE_MAX))
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ResendDone(Base):
    """Which device has done which resend request (its feed call named it), for the operator's view."""

    __tablename__ = "resend_done"

    request_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    done_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AttachmentUpload(Base):
    """A material's file (电子材料) of one case, as a device of its center uploads it in chunks (docs/sync-protocol.md
    "Attachments"): ``received`` bytes so far; ``completed_at`` once whole and matching its SHA-256; its chunks are
    then the file's bytes (server/services/attachments.py)."""

    __tablename__ = "attachment_uploads"
    __table_args__ = (
        UniqueConstraint("center_code", "application_id", "sha256", name="uq_attachment_uploads_case_file"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    center_code: Mapped[str] = mapped_column(String(limits.CENTER_CODE_MAX))
    application_id: Mapped[uuid.UUID] = mapped_column(index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger)
    device_id: Mapped[uuid.UUID]
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[dt.datetime | None]


class AttachmentChunk(Base):
    """A chunk of an upload at its byte ``offset``: the file's bytes, kept once they matched its SHA-256."""

    __tablename__ = "attachment_chunks"

    upload_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("attachment_uploads.id", ondelete="CASCADE"),
        primary_key=True,
    )
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
