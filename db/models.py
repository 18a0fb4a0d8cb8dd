"""Typed SQLAlchemy 2.0 models of the workstation's local store.

Nothing here commits: transactions belong to the use cases in ``app`` (STYLE.md §2).  Every record gets a UUID
made on the workstation (ARCHITECTURE.md invariant 3).  Timestamps are UTC (:class:`db.types.UTCDateTime`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.types import HexDigest, UTCDateTime, UTCTime, UUIDBytes, UUIDPk, utcnow

# Constraint names Alembic's batch mode needs on SQLite (SQLAlchemy constraints.rst).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {uuid.UUID: UUIDBytes(), dt.datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


#: Partial index predicates of the supervisor's figures, written exactly as app/reports/summary.py queries them
#: (SQLite uses a partial index only for a query that holds each of its terms as written).
OPEN_DUE_WHERE = (
    "state = 'accepted' AND due_date IS NOT NULL AND "
    "(server_status IS NULL OR server_status NOT IN ('completed', 'denied', 'voided', 'not_accepted'))"
)
OPEN_BAD_WHERE = "closed_at IS NULL AND level IN ('dissatisfied', 'very_dissatisfied')"
#: The outbox's 更正 and 作废 events (``ix_outbox_changes_created_at``).  Written out as the index is: SQLite uses a
#: partial index only for a query that states its condition with the same literal values.
CHANGE_EVENTS_WHERE = "event_type IN ('application.corrected', 'application.voided')"


class OutboxState(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    QUARANTINED = "quarantined"


class Center(Base):
    __tablename__ = "centers"

    id: Mapped[UUIDPk]
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(12))
    district: Mapped[str] = mapped_column(String(20))


class Workstation(Base):
    __tablename__ = "workstations"
    __table_args__ = (UniqueConstraint("center_id", "code"),)

    id: Mapped[UUIDPk]
    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("centers.id"))
    code: Mapped[str] = mapped_column(String(3))
    window_name: Mapped[str] = mapped_column(String(30))

    center: Mapped[Center] = relationship()


class User(Base):
    __tablename__ = "users"

    id: Mapped[UUIDPk]
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    staff_no: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Set when IT or a supervisor gives an initial password: the clerk chooses their own at first login.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locked_until: Mapped[dt.datetime | None]
    created_at: Mapped[UTCTime] = mapped_column(default=utcnow)


class Person(Base):
    """A person known to this workstation, keyed by the normalized ID number when there is one."""

    __tablename__ = "persons"

    id: Mapped[UUIDPk]
    id_number: Mapped[str | None] = mapped_column(String(22), unique=True)
    id_kind: Mapped[str | None] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    # Case-folded, normalized name for searching (names may hold 𠮷 and the middle dot).
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[UTCTime] = mapped_column(default=utcnow)
    updated_at: Mapped[UTCTime] = mapped_column(default=utcnow, onupdate=utcnow)


class CatalogVersion(Base):
    """One version of one service item, as validated canonical JSON (ARCHITECTURE.md invariant 11)."""

    __tablename__ = "catalog_versions"
    __table_args__ = (UniqueConstraint("item_code", "version"),)

    id: Mapped[UUIDPk]
    item_code: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    canonical_json: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(300))
    loaded_at: Mapped[UTCTime] = mapped_column(default=utcnow)


class Application(Base):
    """An application taken at the counter, with everything the documents need."""

    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_received_at", "received_at"),
        Index("ix_applications_item_state", "item_code", "state"),
        # Start-up recomputes estimated deadlines: a partial index keeps that from scanning every record.
        Index("ix_applications_due_estimated", "state", sqlite_where=text("due_estimated IS 1")),
        # Start-up issues the documents a crash left undrawn: only the few rows with a tag are scanned.
        Index("ix_applications_documents_due", "documents_due", sqlite_where=text("documents_due IS NOT NULL")),
        # The supervisor's list of 容缺受理 / 先行救助 cases past their date: only cases that owed something.
        Index("ix_applications_owed_by", "owed_by", sqlite_where=text("owed_by IS NOT NULL")),
        # The supervisor's deadlines: open accepted cases by their tracked deadline (app/reports/summary.py writes
        # the same predicate in its query, so SQLite uses this index).
        Index("ix_applications_open_due", "due_date", sqlite_where=text(OPEN_DUE_WHERE)),
    )

    id: Mapped[UUIDPk]
    acceptance_no: Mapped[str] = mapped_column(String(40), unique=True)  # 受理编号
    query_code: Mapped[str] = mapped_column(String(6))  # 查询码
    item_code: Mapped[str] = mapped_column(String(40))
    catalog_version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_versions.id"))
    center_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("centers.id"))
    workstation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workstations.id"))
    clerk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(30))
    decision: Mapped[str] = mapped_column(String(20))
    queue_ticket: Mapped[str | None] = mapped_column(String(20))
    called_at: Mapped[dt.datetime | None]
    received_at: Mapped[UTCTime]  # when the clerk took the application
    decided_at: Mapped[UTCTime]  # the latest decision
    accepted_at: Mapped[dt.datetime | None]  # materials complete: counting starts the next working day
    promised_days: Mapped[int | None] = mapped_column(Integer)
    promised_date: Mapped[dt.date | None] = mapped_column(Date)
    promised_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    # Deadline tracking: starts as the printed promise, recomputed when IT adds a calendar year, while the printed
    # promised_date stays on record as it was (rules.md §7).
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    due_estimated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # 容缺受理 / 先行救助: the owed materials (the required lines still "missing") are due by this date; it stays
    # after they are brought (the record of what was promised), the missing lines are what still counts.
    owed_by: Mapped[dt.date | None] = mapped_column(Date)
    form_values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    notice_no: Mapped[str | None] = mapped_column(String(60))  # latest 补正/不予受理 notice number
    void_reason: Mapped[str | None] = mapped_column(Text)
    # app.domain.SyncState; a new record waits for upload.
    sync_state: Mapped[str] = mapped_column(String(20), default="pending")
    sync_error: Mapped[str | None] = mapped_column(Text)
    # Documents owed by the latest change ("decision:<uuid>" or "correction:<event uuid>"), set in the deciding
    # transaction and cleared in the one that stores them (docs/documents.md): a crash in between is healed at start.
    documents_due: Mapped[str | None] = mapped_column(Text)
    # The central server's status (后台协同办理), in its own columns: a pull never touches the counter's columns,
    # and the counter never writes these (ARCHITECTURE.md invariant 4).  server_seq is the feed entry applied.
    server_status: Mapped[str | None] = mapped_column(String(20))
    server_status_at: Mapped[dt.datetime | None]
    server_note: Mapped[str | None] = mapped_column(Text)
    server_seq: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[UTCTime] = mapped_column(default=utcnow)
    updated_at: Mapped[UTCTime] = mapped_column(default=utcnow, onupdate=utcnow)

    parties: Mapped[list[ApplicationParty]] = relationship(
        back_populates="application", order_by="ApplicationParty.position", cascade="all, delete-orphan"
    )
    materials: Mapped[list[ApplicationMaterial]] = relationship(
        back_populates="application", order_by="ApplicationMaterial.position", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[DecisionRecord]] = relationship(
        back_populates="application", order_by="DecisionRecord.decided_at", cascade="all, delete-orphan"
    )
    catalog_version: Mapped[CatalogVersion] = relationship()
    clerk: Mapped[User] = relationship()


class ApplicationParty(Base):
    __tablename__ = "application_parties"
    __table_args__ = (Index("ix_application_parties_person", "person_id", "application_id"),)

    id: Mapped[UUIDPk]
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("persons.id"))
    role: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer)
    # Name as given on this application (a person's name may be corrected later; the record keeps its own).
    name: Mapped[str] = mapped_column(String(200))
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    application: Mapped[Application] = relationship(back_populates="parties")
    person: Mapped[Person] = relationship()


class ApplicationMaterial(Base):
    __tablename__ = "application_materials"

    id: Mapped[UUIDPk]
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("application_parties.id"))
    position: Mapped[int] = mapped_column(Integer)
    material_key: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    form: Mapped[str] = mapped_column(String(30))
    count: Mapped[int] = mapped_column(Integer)
    required: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)  # why missing or defective
    received_at: Mapped[dt.datetime | None]

    application: Mapped[Application] = relationship(back_populates="materials")


class DecisionRecord(Base):
    """Every decision made on an application (a 补正 case has two: the notice, then the acceptance)."""

    __tablename__ = "decisions"
    # The period's decisions (the 补正 return visits of a day's figures) without a scan.
    __table_args__ = (Index("ix_decisions_decided_at", "decided_at"),)

    id: Mapped[UUIDPk]
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    decided_at: Mapped[UTCTime]
    clerk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    notice_no: Mapped[str | None] = mapped_column(String(60), unique=True)
    reason: Mapped[str | None] = mapped_column(Text)
    missing: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # A refusal's ground (app.intake.model.RefusalGround), the rule or article behind it, and where the matter
    # belongs; for 先行救助, ``basis`` is the reason help came first.
    ground: Mapped[str | None] = mapped_column(String(20))
    basis: Mapped[str | None] = mapped_column(Text)
    competent_office: Mapped[str | None] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="decisions")


class AttachmentBlob(Base):
    """One distinct material file (电子材料) or scan, addressed by its SHA-256 (docs/devices.md); its bytes are an
    :class:`AttachmentData` row, deleted after the retention period only once the server confirmed it holds them
    (``uploaded_at``; ``pruned_at`` then says when)."""

    __tablename__ = "attachment_blobs"
    # The files the server does not hold yet: the upload's queue (app/sync).
    __table_args__ = (
        Index("ix_attachment_blobs_not_uploaded", "created_at", sqlite_where=text("uploaded_at IS NULL")),
    )

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(40))  # image/jpeg, image/png or application/pdf
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)  # 1 for an image, the PDF's page count
    created_at: Mapped[UTCTime] = mapped_column(default=utcnow)
    uploaded_at: Mapped[dt.datetime | None]
    pruned_at: Mapped[dt.datetime | None]


class AttachmentData(Base):
    """A material file's bytes, apart from :class:`AttachmentBlob`: marking a file uploaded rewrites a small row, not
    megabytes (SQLite writes a changed record whole); pruning deletes this row."""

    __tablename__ = "attachment_data"

    sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blobs.sha256"), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Base):
    """A file attached to one checklist line of a case: ``material_key`` and, for a household member's material,
    the party's ``position`` on the application; ``position`` orders a line's files."""

    __tablename__ = "attachments"

    id: Mapped[UUIDPk]
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    material_key: Mapped[str] = mapped_column(String(60))
    party_position: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blobs.sha256"), index=True)
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[UTCTime] = mapped_column(default=utcnow)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class Signature(Base):
    """A citizen's signature for a case (``signer``: applicant, spouse, agent or guardian; ``party_position`` the
    party signing), as vector strokes and a PNG, bound to the case's content digest when signed: a later 更正 shows
    that the signature predates it.  A redone signature supersedes the earlier one; nothing is deleted."""

    __tablename__ = "signatures"

    id: Mapped[UUIDPk]
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    signer: Mapped[str] = mapped_column(String(20))
    party_position: Mapped[int | None] = mapped_column(Integer)
    #: [[[x, y, t_ms, pressure], ...], ...]: one list of points per stroke, in the pad's own units.
    strokes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    png: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # NULL once pruned, the hash stays
    png_sha256: Mapped[str] = mapped_column(String(64))
    content_digest: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[UTCTime]
    taken_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    superseded_at: Mapped[dt.datetime | None]
    pruned_at: Mapped[dt.datetime | None]


class PurgedApplication(Base):
    """What stays of an application whose personal data was purged after the retention period (app/retention.py):
    its numbers, item, decision and dates, so a search for its 受理编号 says where the case is instead of "not
    found", and no number is ever issued again (docs/numbering.md).  Never a name, an ID number, a form value, a
    reason or a document: those are on the central server and in the archive (docs/privacy.md)."""

    __tablename__ = "purged_applications"
    __table_args__ = (Index("ix_purged_applications_received_at", "received_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the application's own id: its audit events name it
    acceptance_no: Mapped[str] = mapped_column(String(40), unique=True)
    item_code: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(30))  # as it was: accepted, refused or voided
    decision: Mapped[str] = mapped_column(String(20))
    notice_no: Mapped[str | None] = mapped_column(String(60))
    received_at: Mapped[UTCTime]
    decided_at: Mapped[UTCTime]
    last_change_at: Mapped[UTCTime]
    purged_at: Mapped[UTCTime]


class DocumentRecord(Base):
    """An issued document kept with its application: the PDF bytes handed over and their SHA-256 (docs/documents.md).

    ``issue_key`` names what the document was issued for (a decision or a correction, and the kind), so storing the
    same document twice stores it once.
    """

    __tablename__ = "documents"
    __table_args__ = (
        # Also the lookup by case (and the foreign key's): no index of its own on application_id.
        UniqueConstraint("application_id", "kind", "seq"),
        # The documents still holding a PDF, oldest first: the pruning's candidates (app/pruning.py).
        Index("ix_documents_pdf_created_at", "created_at", sqlite_where=text("pdf IS NOT NULL")),
    )

    id: Mapped[UUIDPk]
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"))
    # Indexed: deleting a decision (the retention purge) looks up the documents naming it, for the foreign key.
    decision_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("decisions.id"), index=True)
    issue_key: Mapped[str] = mapped_column(String(90), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(60))
    paper: Mapped[str] = mapped_column(String(20))
    sha256: Mapped[str] = mapped_column(HexDigest())
    size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer)
    #: The PDF handed over; NULL once pruned after the retention period (app/pruning.py): a 补打 then fetches the
    #: original from the server and checks ``sha256`` against it (docs/documents.md "补打 after the retention").
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    pdf_pruned_at: Mapped[dt.datetime | None]
    created_at: Mapped[UTCTime] = mapped_column(default=utcnow)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    superseded_at: Mapped[dt.datetime | None]
    # Prints and saved copies so far: the first is the original, every later one a 补打 (audited with a reason).
    handed_out: Mapped[int] = mapped_column(Integer, default=0)
    last_handed_out_at: Mapped[dt.datetime | None]


class Rating(Base):
    """A citizen's 好差评 of one visit (docs/ratings.md): after a decision or a 补正 return visit, one row each,
    never changed.  ``level`` is an ``app.domain.RatingLevel`` value (``unrated`` when the citizen skipped).  A 差评
    carries its reasons (``BadRatingReason`` values), an optional comment and, when the citizen chose to be named
    (实名), a phone number to call back; the follow-up deadlines are fixed when the rating is recorded."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("application_id", "occasion", "decision_id"),
        # The figures: the period's ratings, and the 差评 still open from earlier days (app/reports/summary.py).
        Index("ix_ratings_rated_at", "rated_at"),
        Index("ix_ratings_open_bad", "rated_at", sqlite_where=text(OPEN_BAD_WHERE)),
    )

    id: Mapped[UUIDPk]
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)
    #: The decision rated: the first one (occasion ``decision``) or the return visit's (``return_visit``).
    decision_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("decisions.id"), index=True)
    occasion: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(30))
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    comment: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(30))  # 实名: the citizen's number for the call-back
    rated_at: Mapped[UTCTime]
    #: The clerk whose service was rated (谁办理谁负责), and who recorded it (the same account at the counter).
    clerk_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    contact_due: Mapped[dt.date | None] = mapped_column(Date)  # a 差评's call-back deadline
    rectify_due: Mapped[dt.date | None] = mapped_column(Date)  # a 差评's 整改 deadline
    closed_at: Mapped[dt.datetime | None]  # a 差评's follow-up ended with its outcome

    follow_ups: Mapped[list[RatingFollowUp]] = relationship(
        back_populates="rating", order_by="RatingFollowUp.at", cascade="all, delete-orphan"
    )


class RatingFollowUp(Base):
    """One step of a 差评's follow-up (``app.domain.FollowUpStep``): a contact (reached or not), the verification
    (属实 / 不属实), the measure (立行立改 / 限期整改 / 解释说明) or the outcome, by a supervisor."""

    __tablename__ = "rating_follow_ups"

    id: Mapped[UUIDPk]
    rating_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ratings.id"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    at: Mapped[UTCTime]
    by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    reached: Mapped[bool | None] = mapped_column(Boolean)
    verification: Mapped[str | None] = mapped_column(String(20))
    measure: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    rating: Mapped[Rating] = relationship(back_populates="follow_ups")


class DayClose(Base):
    """A workstation's day closed (日结) by a supervisor (docs/supervisor.md "Day close"): the figures signed,
    what was still open at the moment of closing and the written reason to close anyway.  A closed day's
    applications are read-only for clerks."""

    __tablename__ = "day_closes"

    id: Mapped[UUIDPk]
    day: Mapped[dt.date] = mapped_column(Date, unique=True)
    closed_at: Mapped[UTCTime]
    closed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    #: What the close saw: counts, first and last numbers per series, unsynced, quarantined, differences.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)  # required when anything was unsynced or unexplained


class Handover(Base):
    """A 材料交接单 handed to the back office: who handed it over, when, to which 部门 and whom."""

    __tablename__ = "handovers"

    id: Mapped[UUIDPk]
    number: Mapped[str] = mapped_column(String(60), unique=True)
    department: Mapped[str] = mapped_column(String(100))
    receiver: Mapped[str | None] = mapped_column(String(100))
    handed_at: Mapped[UTCTime]
    handed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class HandoverCase(Base):
    """An application on a 材料交接单.  A case is once on a list; owed paper brought after its list was recorded goes
    on a later one (migration 0013): a list covers the case's kept paper received up to its ``handed_at`` and not
    covered by an earlier list of the case, so each paper line goes with one list only."""

    __tablename__ = "handover_cases"
    __table_args__ = (UniqueConstraint("handover_id", "application_id"),)

    id: Mapped[UUIDPk]
    handover_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("handovers.id"), index=True)
    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("applications.id"), index=True)


class SyncMeta(Base):
    """The sync client's small state: pull cursor, last success, last error, clock offset (app/sync/service.py)."""

    __tablename__ = "sync_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class StoreMeta(Base):
    """What the store knows about itself: identity, numbering series, last check (app/integrity.py)."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class NumberCounter(Base):
    """Last number issued in a scope, incremented inside the deciding transaction (docs/numbering.md)."""

    __tablename__ = "number_counters"

    scope: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class AuditEvent(Base):
    """Who did what, when.  Details never hold ID numbers or other sensitive values (PIPL; rules.md §8)."""

    __tablename__ = "audit_events"

    #: The chain's position, and the row's key: SQLite's rowid itself (an INTEGER PRIMARY KEY), no other key or
    #: index to keep for each event (migration 0017).
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[UTCTime] = mapped_column(default=utcnow)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    workstation_code: Mapped[str] = mapped_column(String(3))
    action: Mapped[str] = mapped_column(String(40))  # not indexed: read by entity first (migration 0015)
    entity_type: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str | None] = mapped_column(String(40), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Hash chain: each event hashes the previous one's hash with its own content (tamper evidence).
    prev_hash: Mapped[str] = mapped_column(HexDigest())
    hash: Mapped[str] = mapped_column(HexDigest())


class OutboxEntry(Base):
    """A versioned protocol event waiting for the server; bytes and hash fixed at commit (invariant 4)."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_state_seq", "state", "seq"),
        # The 更正 and 作废 of a period (the supervisor's figures), by the moment they were made: only those events
        # (a partial index, migration 0017; the query names the same condition, app/reports/summary.py).
        Index("ix_outbox_changes_created_at", "created_at", sqlite_where=text(CHANGE_EVENTS_WHERE)),
        # The events still holding a payload: the pruning's candidates (app/pruning.py).
        Index("ix_outbox_payload_state_seq", "state", "seq", sqlite_where=text("payload IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the event id, made by app.sync.protocol
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    application_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("applications.id"), index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    schema_version: Mapped[int] = mapped_column(Integer)
    #: The event's bytes as committed; NULL once pruned, after the server acknowledged it and the retention period
    #: passed (app/pruning.py): the row and its ``sha256`` stay.
    payload: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    payload_pruned_at: Mapped[dt.datetime | None]
    sha256: Mapped[str] = mapped_column(HexDigest())
    created_at: Mapped[UTCTime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default=OutboxState.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None]
