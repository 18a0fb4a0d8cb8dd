"""The sync wire format, shared by the workstation and the central server.  Imports nothing of ours but i18n-free
standard pieces: no database, no Qt (an import-linter contract checks it).

Every change at the counter becomes one immutable, versioned :class:`Event`.  Its bytes are produced once, by
:func:`serialize`, when the change commits; the outbox stores those bytes and their SHA-256 and the sync client sends
them unchanged (ARCHITECTURE.md invariant 4).  The server acknowledges by ``event_id``: the same id with the same
hash is "already had", the same id with another hash is a conflict.  See docs/sync-protocol.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    Base64Bytes,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from app import limits
from app.reports import figures

SCHEMA_VERSION = 1
#: The most cases one 材料交接单 may list.
MAX_HANDOVER_CASES = 500

# ---------------------------------------------------------------------------------------------------- bounded values
# Every string, list and number of an event is bounded (app/limits.py): what the protocol accepts, the server can
# store, so a bad value is refused here by name, before anything is inserted (docs/sync-protocol.md, "What an event
# may carry").  The workstation cannot even serialize one.

LINE_PATTERN = limits.LINE_PATTERN
TEXT_PATTERN = limits.TEXT_PATTERN

CenterCode = Annotated[str, StringConstraints(pattern=rf"^[0-9]{{{limits.CENTER_CODE_MIN},{limits.CENTER_CODE_MAX}}}$")]
WorkstationCode = Annotated[str, StringConstraints(pattern=rf"^[0-9]{{{limits.WORKSTATION_CODE_LENGTH}}}$")]
#: 办件编号 (``acceptance_no``; 受理编号 on a receipt) ``{centre}-{workstation}-{YYYYMMDD}-{series letter}{NNNN}``
#: (docs/numbering.md; the first series has no letter, I and O are never used); the server also checks that a new
#: application's number carries the sending workstation's codes.
AcceptanceNo = Annotated[
    str,
    StringConstraints(
        max_length=limits.ACCEPTANCE_NO_MAX,
        pattern=rf"^[0-9]{{{limits.CENTER_CODE_MIN},{limits.CENTER_CODE_MAX}}}-[0-9]{{{limits.WORKSTATION_CODE_LENGTH}}}"
        r"-[0-9]{8}-[A-HJ-NP-Z]?[0-9]{4,}$",
    ),
]
#: The mark of each numbering series after the first, in order (docs/numbering.md "Series"): ``A`` is series 2.  No I
#: or O (they read as 1 and 0).  The workstation numbers with it (app/intake/numbering.py); the server reads it back
#: to tell a workstation the highest series its code has used.
SERIES_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def series_of(acceptance_no: str) -> int:
    """The numbering series of a 办件编号: 1 without a letter before the sequence, 2 for ``A``, … (numbering.md)."""
    mark = acceptance_no.rsplit("-", 1)[-1][:1]
    return SERIES_LETTERS.index(mark) + 2 if mark and mark in SERIES_LETTERS else 1


def day_of(acceptance_no: str) -> dt.date | None:
    """The day a 办件编号 carries (``{centre}-{workstation}-{YYYYMMDD}-…``), None for one that does not read so."""
    parts = acceptance_no.split("-")
    try:
        return dt.datetime.strptime(parts[-2], "%Y%m%d").date() if len(parts) >= 4 else None
    except ValueError:
        return None


def day_prefix(center_code: str, workstation_code: str, day: dt.date) -> str:
    """What every 办件编号 of a workstation's day begins with (``{centre}-{workstation}-{YYYYMMDD}-``)."""
    return f"{center_code}-{workstation_code}-{day:%Y%m%d}-"


Sha256Hex = Annotated[str, StringConstraints(pattern=rf"^[0-9a-f]{{{limits.SHA256_HEX_LENGTH}}}$")]
Key = Annotated[str, StringConstraints(min_length=1, max_length=limits.KEY_MAX, pattern=LINE_PATTERN)]
Word = Annotated[str, StringConstraints(max_length=limits.WORD_MAX, pattern=LINE_PATTERN)]
Username = Annotated[str, StringConstraints(max_length=limits.USERNAME_MAX, pattern=LINE_PATTERN)]
ShortText = Annotated[str, StringConstraints(max_length=limits.TEXT_MAX, pattern=TEXT_PATTERN)]
Int32 = Annotated[int, Field(ge=0, le=limits.INT32_MAX)]
Moment = Annotated[AwareDatetime, Field(ge=limits.EARLIEST_MOMENT, lt=limits.LATEST_MOMENT)]
Day = Annotated[dt.date, Field(ge=limits.EARLIEST_DATE, le=limits.LATEST_DATE)]

#: One value of a form: what the workstation's JSON column holds (text, integer fen, a bool, a date as text), or
#: the list of a multichoice.
FormScalar = (
    StrictBool
    | Annotated[StrictInt, Field(ge=-limits.JSON_INT_MAX, le=limits.JSON_INT_MAX)]
    | Annotated[StrictFloat, Field(allow_inf_nan=False, ge=-limits.JSON_INT_MAX, le=limits.JSON_INT_MAX)]
    | Annotated[str, StringConstraints(max_length=limits.FORM_TEXT_MAX, pattern=TEXT_PATTERN)]
    | None
)
FormValues = Annotated[
    dict[Key, FormScalar | Annotated[list[FormScalar], Field(max_length=limits.CHOICES_MAX)]],
    Field(max_length=limits.FIELDS_MAX),
]


class EventType(StrEnum):
    APPLICATION_TAKEN = "application.taken"  # first decision on a new application (受理 / 补正 / 不予受理)
    MATERIALS_SUPPLEMENTED = "application.supplemented"  # 补正 return visit: materials brought, new decision
    MATERIALS_BROUGHT = "application.materials_brought"  # 容缺/先行救助: owed materials brought, still accepted
    APPLICATION_CORRECTED = "application.corrected"  # 更正 with a supervisor's approval
    APPLICATION_VOIDED = "application.voided"  # 作废 with a supervisor's approval
    DOCUMENT_ISSUED = "document.issued"  # a receipt, notice or form handed over: its bytes travel by SHA-256
    DOCUMENT_REPRINTED = "document.reprinted"  # a 补打 (reprint or saved copy) with who and why
    AUDIT_HEAD = "audit.head"  # the workstation's audit chain position, carried by every push (never queued)
    RATING_RECORDED = "rating.recorded"  # the citizen's 好差评 of a visit (or 未评价), never changed
    RATING_FOLLOWED_UP = "rating.followed_up"  # one step of a 差评's follow-up by a supervisor
    DAY_CLOSED = "day.closed"  # a workstation's day closed (日结) by a supervisor; concerns no application
    HANDOVER_RECORDED = "handover.recorded"  # a 材料交接单 handed to the back office; concerns no application
    SIGNATURE_RECORDED = "signature.recorded"  # a citizen's signature on the counter's pad (strokes and PNG)
    ATTACHMENT_ADDED = "attachment.added"  # a material's file on a checklist line: its bytes travel by SHA-256


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _type_required(schema: dict[str, Any]) -> None:
    """An event body's ``type`` has a default in Python but must be on the wire (it picks the body's kind)."""
    schema["required"] = ["type", *(name for name in schema.get("required", []) if name != "type")]


class _Body(_Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", json_schema_extra=_type_required)


class CatalogRef(_Frozen):
    """The catalog item version an application was taken under (invariant 11)."""

    code: Annotated[str, StringConstraints(max_length=limits.ITEM_CODE_MAX, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    version: Annotated[int, Field(ge=1, le=limits.INT32_MAX)]
    sha256: Sha256Hex
    #: The item's Chinese name as the counter showed it (the citizen progress page names the item with it).
    name: Annotated[str, StringConstraints(max_length=limits.ITEM_NAME_MAX, pattern=TEXT_PATTERN)] | None = None


class PartyData(_Frozen):
    party_id: uuid.UUID
    role: Word
    name: Annotated[str, StringConstraints(max_length=limits.PERSON_NAME_MAX, pattern=LINE_PATTERN)]
    id_number: Annotated[str, StringConstraints(max_length=limits.ID_NUMBER_MAX, pattern=LINE_PATTERN)] | None
    id_kind: Word | None
    sex: Literal["M", "F"] | None
    birth_date: Day | None
    phone: Annotated[str, StringConstraints(max_length=limits.PHONE_MAX, pattern=LINE_PATTERN)] | None
    values: FormValues = Field(default_factory=dict)


class MaterialData(_Frozen):
    key: Key
    name: ShortText
    form: Word
    count: Annotated[int, Field(ge=0, le=limits.MATERIAL_COUNT_MAX)]
    required: bool
    #: app.domain.MaterialStatus: received (原件收取), original_checked (原件核验（已退还）), copy_kept (复印件收取,
    #: ``count`` copies), e_verified (电子证照核验), missing, defective, not_needed.
    status: Literal["received", "original_checked", "copy_kept", "e_verified", "missing", "defective", "not_needed"]
    party_id: uuid.UUID | None = None
    note: ShortText | None = None


class DecisionData(_Frozen):
    """A decision at the counter.  The fields after ``missing_keys`` came with issue 13 and are optional, so earlier
    events still validate (docs/sync-protocol.md "Decisions")."""

    decision: Literal["accept", "supplement", "refuse", "tolerated", "first_aid"]
    decided_at: Moment
    clerk_username: Username
    clerk_staff_no: Annotated[str, StringConstraints(max_length=limits.STAFF_NO_MAX, pattern=LINE_PATTERN)]
    notice_no: Annotated[str, StringConstraints(max_length=limits.NOTICE_NO_MAX, pattern=LINE_PATTERN)] | None = None
    reason: ShortText | None = None
    promised_date: Day | None = None
    promised_estimated: bool = False
    missing_keys: Annotated[list[Key], Field(max_length=limits.EVENT_MATERIALS_MAX)] = Field(default_factory=list)
    #: 不予受理: the ground (app.intake.model.RefusalGround), the rule behind it, where the matter belongs.
    ground: Literal["not_competent", "not_eligible", "no_application", "other"] | None = None
    #: The rule behind a refusal, or the reason for 先行救助.
    basis: ShortText | None = None
    competent_office: ShortText | None = None
    #: 容缺受理 / 先行救助: the owed materials (``missing_keys``) are due by this day.
    owed_by: Day | None = None
    #: An inquiry item (查询) answered on the spot: closed at once, nothing for the back office.
    answered: bool = False


class ApplicationTaken(_Body):
    type: Literal["application.taken"] = "application.taken"
    acceptance_no: AcceptanceNo
    query_code: Annotated[str, StringConstraints(pattern=rf"^[0-9A-Z]{{{limits.QUERY_CODE_LENGTH}}}$")]
    item: CatalogRef
    received_at: Moment
    queue_ticket: Annotated[str, StringConstraints(max_length=limits.QUEUE_TICKET_MAX, pattern=LINE_PATTERN)] | None = (
        None
    )
    called_at: Moment | None = None
    values: FormValues = Field(default_factory=dict)
    parties: Annotated[list[PartyData], Field(max_length=limits.PARTIES_MAX)]
    materials: Annotated[list[MaterialData], Field(max_length=limits.EVENT_MATERIALS_MAX)]
    decision: DecisionData


class MaterialsSupplemented(_Body):
    type: Literal["application.supplemented"] = "application.supplemented"
    acceptance_no: AcceptanceNo
    received_keys: Annotated[list[Key], Field(max_length=limits.EVENT_MATERIALS_MAX)]
    materials: Annotated[list[MaterialData], Field(max_length=limits.EVENT_MATERIALS_MAX)]
    decision: DecisionData


class MaterialsBrought(_Body):
    """容缺受理 / 先行救助: the applicant brings owed materials after acceptance (a return visit like 补正, but the
    case stays accepted and its 受理 date and promised date do not change)."""

    type: Literal["application.materials_brought"] = "application.materials_brought"
    acceptance_no: AcceptanceNo
    received_keys: Annotated[list[Key], Field(min_length=1, max_length=limits.EVENT_MATERIALS_MAX)]
    materials: Annotated[list[MaterialData], Field(max_length=limits.EVENT_MATERIALS_MAX)]
    brought_at: Moment
    clerk_username: Username


class ApplicationCorrected(_Body):
    type: Literal["application.corrected"] = "application.corrected"
    acceptance_no: AcceptanceNo
    reason: ShortText
    approved_by: Username
    values: FormValues
    parties: Annotated[list[PartyData], Field(max_length=limits.PARTIES_MAX)]


class ApplicationVoided(_Body):
    type: Literal["application.voided"] = "application.voided"
    acceptance_no: AcceptanceNo
    reason: ShortText
    approved_by: Username


class DocumentIssued(_Body):
    """A document issued for an application.  The PDF itself is content-addressed: the sync client uploads the
    bytes whose SHA-256 this names (docs/documents.md), so the server holds what the citizen holds."""

    type: Literal["document.issued"] = "document.issued"
    acceptance_no: AcceptanceNo
    document_id: uuid.UUID
    kind: Literal["receipt", "supplement_notice", "refusal_notice", "precheck_notice", "form", "answer_slip"]
    seq: Annotated[int, Field(ge=1, le=limits.INT32_MAX)]
    number: Annotated[str, StringConstraints(max_length=limits.NOTICE_NO_MAX, pattern=LINE_PATTERN)]
    paper: Literal["a4", "thermal80"]
    sha256: Sha256Hex
    size: Annotated[int, Field(ge=1, le=limits.DOCUMENT_BYTES_MAX)]
    page_count: Annotated[int, Field(ge=1, le=limits.PAGE_COUNT_MAX)]
    replaces: Annotated[list[uuid.UUID], Field(max_length=limits.REPLACES_MAX)] = Field(default_factory=list)


class DocumentReprinted(_Body):
    """A 补打: the stored document printed or saved again, with the reason (the bytes are the stored ones, stamped)."""

    type: Literal["document.reprinted"] = "document.reprinted"
    acceptance_no: AcceptanceNo
    document_id: uuid.UUID
    action: Literal["print", "save", "export"]
    reason: ShortText
    by: Username | None
    #: True when the copy was drawn again from the stored record because the original PDF was neither kept on the
    #: workstation nor fetched from the server (docs/documents.md "补打 after the retention").  Left out of the
    #: bytes when absent, so every other 补打 serializes as before and a server of an earlier version, which
    #: refuses unknown keys, still takes them (docs/sync-protocol.md "Documents read back").
    rerendered: Literal[True] | None = Field(default=None, exclude_if=lambda value: value is None)


Phone = Annotated[str, StringConstraints(max_length=limits.PHONE_MAX, pattern=LINE_PATTERN)]
BadReason = Literal[
    "unclear_guide", "repeat_visits", "long_wait", "slow_handling", "attitude", "materials", "system", "other"
]


class RatingRecorded(_Body):
    """The citizen's rating of one visit (docs/ratings.md): after the decision (``occasion`` ``decision``) or a 补正
    return visit (``return_visit``).  ``level`` ``unrated`` records a skip.  A 差评 (dissatisfied, very_dissatisfied)
    carries at least one reason; ``phone`` is given only when the citizen chose to be named (实名).  The deadlines
    are the workstation's, in working days from the deployment's settings."""

    type: Literal["rating.recorded"] = "rating.recorded"
    acceptance_no: AcceptanceNo
    rating_id: uuid.UUID
    occasion: Literal["decision", "return_visit"]
    level: Literal["very_satisfied", "satisfied", "basically_satisfied", "dissatisfied", "very_dissatisfied", "unrated"]
    reasons: Annotated[list[BadReason], Field(max_length=8)] = Field(default_factory=list)
    comment: ShortText | None = None
    phone: Phone | None = None
    rated_at: Moment
    clerk_username: Username
    contact_due: Day | None = None
    rectify_due: Day | None = None

    @model_validator(mode="after")
    def _bad_has_reason(self) -> RatingRecorded:
        bad = self.level in ("dissatisfied", "very_dissatisfied")
        if bad and not self.reasons:
            raise ValueError("a 差评 needs at least one reason")
        if not bad and (self.reasons or self.phone or self.contact_due or self.rectify_due):
            raise ValueError("only a 差评 carries reasons, a phone number and follow-up deadlines")
        return self


class RatingFollowedUp(_Body):
    """One step of a 差评's follow-up (``step``): a contact (``reached``), the verification, the measure or the
    outcome (which closes it), recorded by ``by`` at ``at``."""

    type: Literal["rating.followed_up"] = "rating.followed_up"
    acceptance_no: AcceptanceNo
    rating_id: uuid.UUID
    follow_up_id: uuid.UUID
    step: Literal["contact", "verification", "measure", "outcome"]
    at: Moment
    by: Username
    reached: bool | None = None
    verification: Literal["true", "unfounded"] | None = None
    measure: Literal["immediate", "deadline", "explained"] | None = None
    note: ShortText | None = None

    @model_validator(mode="after")
    def _step_fields(self) -> RatingFollowedUp:
        needed = {"contact": self.reached, "verification": self.verification, "measure": self.measure}
        if self.step in needed and needed[self.step] is None:
            raise ValueError(f"a {self.step} step needs its value")
        if self.step == "outcome" and not self.note:
            raise ValueError("an outcome step needs its text")
        return self


class DayClosed(_Body):
    """A workstation's day closed (日结) by a supervisor: what it counted and what was still open.  ``numbers`` are
    the first and last 办件编号 of each numbering series that day; ``reason`` is required when anything was
    unsynced, quarantined or unexplained.  Its envelope names :data:`NO_APPLICATION`."""

    type: Literal["day.closed"] = "day.closed"
    day: Day
    closed_at: Moment
    closed_by: Username
    applications: Int32
    numbers: Annotated[list[AcceptanceNo], Field(max_length=2 * len(SERIES_LETTERS) + 2)] = Field(default_factory=list)
    unsynced: Int32 = 0
    quarantined: Int32 = 0
    differences: Int32 = 0
    reason: ShortText | None = None

    @model_validator(mode="after")
    def _reason_when_open(self) -> DayClosed:
        if (self.unsynced or self.quarantined or self.differences) and not self.reason:
            raise ValueError("a day closed with open events or differences needs a written reason")
        return self


class HandoverRecorded(_Body):
    """A 材料交接单 handed to the back office: its number, the 部门, who handed it over and to whom, and the cases on
    it (each on one list only).  Its envelope names :data:`NO_APPLICATION`."""

    type: Literal["handover.recorded"] = "handover.recorded"
    handover_id: uuid.UUID
    number: Annotated[str, StringConstraints(max_length=limits.NOTICE_NO_MAX, pattern=LINE_PATTERN)]
    department: Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=LINE_PATTERN)]
    receiver: Annotated[str, StringConstraints(max_length=100, pattern=LINE_PATTERN)] | None = None
    handed_at: Moment
    handed_by: Username
    acceptance_nos: Annotated[list[AcceptanceNo], Field(min_length=1, max_length=MAX_HANDOVER_CASES)]


Signer = Literal["applicant", "spouse", "agent", "guardian"]
#: One point of a signature's stroke: [x, y, t, pressure]: x and y in the pad's pixels, t in milliseconds since the
#: first point, pressure 0-1.
SignaturePoint = Annotated[
    list[Annotated[float, Field(ge=0, le=limits.INT32_MAX, allow_inf_nan=False)]], Field(min_length=4, max_length=4)
]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class SignatureRecorded(_Body):
    """A citizen's signature for a case taken on the counter's pad (app/signatures.py): the vector strokes and the
    PNG that prints, whose SHA-256 is checked against the bytes here, so the server keeps exactly what the receipt
    shows.  ``supersedes`` names the signature of the same signer it replaces (a redone one; nothing is deleted)."""

    type: Literal["signature.recorded"] = "signature.recorded"
    acceptance_no: AcceptanceNo
    signature_id: uuid.UUID
    signer: Signer
    party_position: Annotated[int, Field(ge=0, le=limits.PARTIES_MAX)] | None = None
    signed_at: Moment
    strokes: Annotated[
        list[Annotated[list[SignaturePoint], Field(min_length=1, max_length=limits.SIGNATURE_POINTS_MAX)]],
        Field(min_length=1, max_length=limits.SIGNATURE_STROKES_MAX),
    ]
    png: Annotated[Base64Bytes, Field(min_length=len(PNG_MAGIC), max_length=limits.SIGNATURE_PNG_BYTES_MAX)]
    png_sha256: Sha256Hex
    supersedes: uuid.UUID | None = None
    clerk_username: Username

    @model_validator(mode="after")
    def _png_as_named(self) -> SignatureRecorded:
        if any(point[3] > 1 for stroke in self.strokes for point in stroke):
            raise ValueError("a signature point's pressure is at most 1")
        if sum(len(stroke) for stroke in self.strokes) > limits.SIGNATURE_POINTS_MAX:
            raise ValueError(f"a signature holds at most {limits.SIGNATURE_POINTS_MAX} points")
        if not self.png.startswith(PNG_MAGIC):
            raise ValueError("the signature's image is not a PNG")
        if hashlib.sha256(self.png).hexdigest() != self.png_sha256:
            raise ValueError("the signature's PNG does not match its SHA-256")
        return self


#: The largest material file (电子材料) an event may name; the server's own limit (server/services/attachments.py).
ATTACHMENT_BYTES_MAX = 50 * 1024 * 1024


class AttachmentAdded(_Body):
    """A material's file attached to a checklist line of a case (电子材料, app/attachments.py).  The bytes are
    uploaded apart, in chunks, by SHA-256 (app/sync/attachments.py); the server refuses the event until it holds
    them whole for the case."""

    type: Literal["attachment.added"] = "attachment.added"
    acceptance_no: AcceptanceNo
    attachment_id: uuid.UUID
    material_key: Key
    party_position: Annotated[int, Field(ge=0, le=limits.PARTIES_MAX)] | None = None
    position: Annotated[int, Field(ge=0, le=limits.INT32_MAX)]
    sha256: Sha256Hex
    size: Annotated[int, Field(ge=1, le=ATTACHMENT_BYTES_MAX)]
    media_type: Literal["image/jpeg", "image/png", "application/pdf"]
    pages: Annotated[int, Field(ge=1, le=limits.PAGE_COUNT_MAX)]


#: The envelope's ``application_id`` of an event that concerns no application (an audit head).
NO_APPLICATION = uuid.UUID(int=0)


class AuditHead(_Body):
    """Where the workstation's keyed audit chain stands (docs/security.md "Keyed audit chain"): its latest position
    and that event's HMAC.  Built at each push, never queued; the server keeps the highest head per device and
    refuses one that goes backwards (a lower position, or the same position with another HMAC).  Its envelope
    names :data:`NO_APPLICATION`."""

    type: Literal["audit.head"] = "audit.head"
    seq: Annotated[int, Field(ge=1, le=limits.JSON_INT_MAX)]
    mac: Sha256Hex


Body = Annotated[
    ApplicationTaken
    | MaterialsSupplemented
    | MaterialsBrought
    | ApplicationCorrected
    | ApplicationVoided
    | DocumentIssued
    | DocumentReprinted
    | AuditHead
    | RatingRecorded
    | RatingFollowedUp
    | DayClosed
    | HandoverRecorded
    | SignatureRecorded
    | AttachmentAdded,
    Field(discriminator="type"),
]

#: The bodies whose envelope names :data:`NO_APPLICATION`: they concern the workstation, not one application.
WORKSTATION_BODIES = (AuditHead, DayClosed, HandoverRecorded)


class Event(_Frozen):
    """One immutable change, as sent to the server."""

    schema_version: Annotated[int, Field(ge=1, le=limits.INT32_MAX)] = SCHEMA_VERSION
    event_id: uuid.UUID
    occurred_at: Moment
    center_code: CenterCode
    workstation_code: WorkstationCode
    application_id: uuid.UUID
    body: Body

    @model_validator(mode="after")
    def _head_names_no_application(self) -> Event:
        if isinstance(self.body, WORKSTATION_BODIES) and self.application_id != NO_APPLICATION:
            raise ValueError(f"a {self.body.type} event concerns no application: its application_id is the nil UUID")
        if not isinstance(self.body, WORKSTATION_BODIES) and self.application_id == NO_APPLICATION:
            raise ValueError(f"a {self.body.type} event names its application")
        return self


def new_event(
    *, occurred_at: dt.datetime, center_code: str, workstation_code: str, application_id: uuid.UUID, body: Body
) -> Event:
    return Event(
        event_id=uuid.uuid4(),
        occurred_at=occurred_at,
        center_code=center_code,
        workstation_code=workstation_code,
        application_id=application_id,
        body=body,
    )


def serialize(event: Event) -> bytes:
    """Canonical bytes of an event: sorted keys, no insignificant whitespace, UTF-8 (names keep 𠮷 and ·)."""
    data = event.model_dump(mode="json")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def parse(payload: bytes) -> Event:
    """Parse event bytes (raises pydantic.ValidationError on anything malformed)."""
    return Event.model_validate_json(payload)


# ---------------------------------------------------------------------------------------------------- the API
# Request and response bodies of the central server's /api/v1 that a workstation sends or receives
# (docs/sync-protocol.md).  FastAPI derives the OpenAPI document (docs/openapi.json) from these; the sync client
# parses answers with the same models.  What only the server and its back office use is the server's own
# (server/api/schemas.py, server/services/backoffice.py).

API_PREFIX = "/api/v1"

# ------------------------------------------------------------------------------------------------ client versions
# docs/sync-protocol.md "Client versions": every request of a workstation names its version; every answer of the
# API names the versions the server wants (when it is configured with them); a workstation below the minimum is
# refused as a whole with CLIENT_TOO_OLD, and its outbox waits.

#: The workstation's own version (``app.version.version()``, e.g. ``0.1.0``), on every request.
VERSION_HEADER = "X-Yimen-Version"
#: On every answer of the API when set (``YIMEN_SERVER_MIN_CLIENT_VERSION``): requests of older workstations are
#: refused.
MIN_CLIENT_VERSION_HEADER = "X-Yimen-Min-Client-Version"
#: On every answer of the API when set (``YIMEN_SERVER_LATEST_CLIENT_VERSION``): the version IT rolls out.
LATEST_CLIENT_VERSION_HEADER = "X-Yimen-Latest-Client-Version"
#: The refusal of a workstation below the minimum (or one that names no version while a minimum is set):
#: ``426 Upgrade Required`` with an :class:`ErrorBody` of this code.
CLIENT_TOO_OLD = "client_too_old"
CLIENT_TOO_OLD_STATUS = 426
MAX_BATCH_EVENTS = 500
MAX_DOCUMENT_BYTES = limits.DOCUMENT_BYTES_MAX
#: The largest pushed payload (characters of canonical JSON).
MAX_PAYLOAD_CHARS = 1_000_000


class _Wire(BaseModel):
    """A wire body: unknown keys are refused in requests, so a typo is an error and not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorBody(_Wire):
    """Every error answer: a stable code for programs and one Chinese sentence that says what to do."""

    code: str
    message: str


class EnrollRequest(_Wire):
    """A one-time code for this workstation, to ``POST /enrollments`` (two-phase) or ``POST /enroll`` (one-phase,
    workstations of earlier versions)."""

    code: Annotated[str, Field(min_length=6, max_length=64)]
    center_code: Annotated[str, Field(pattern=r"^[0-9]{9,12}$")]
    workstation_code: Annotated[str, Field(pattern=r"^[0-9]{3}$")]
    hostname: Annotated[str, Field(max_length=100)] = ""


class EnrollResponse(_Wire):
    """The answer of the one-phase ``POST /enroll``: a credential already in force."""

    device_id: uuid.UUID
    token: str
    center_code: str
    workstation_code: str


class PendingEnrollment(_Wire):
    """The answer of ``POST /enrollments``: a *pending* credential.  The workstation saves it, then confirms it
    (``POST /enrollments/confirm`` with it as Bearer) before ``confirm_before``; until then the code is not used
    up, the old credential still works, and this one authenticates for nothing but the confirmation."""

    device_id: uuid.UUID
    token: str
    center_code: str
    workstation_code: str
    confirm_before: dt.datetime


class WorkstationNumbers(_Wire):
    """What the server holds of a workstation code's numbers (its center and workstation code, whichever device of it
    pushed them): how many applications, and the highest numbering series in their 办件编号 (1: numbers without a
    letter; 0: none).  A workstation that starts with no numbers of its own continues above it (docs/numbering.md
    "Series"), so a new disk with a lost vault never issues a number again."""

    applications: Annotated[int, Field(ge=0)]
    highest_series: Annotated[int, Field(ge=0)]


class EnrollConfirmation(_Wire):
    """The answer of ``POST /enrollments/confirm``: the credential is in force, the code used up, the
    workstation's earlier credentials revoked.  The same answer again for a confirmation asked again.

    ``numbers`` only when asked for (``?numbers=true``): workstations of earlier versions refuse a key they do not
    know, so they are never sent one."""

    device_id: uuid.UUID
    center_code: str
    workstation_code: str
    confirmed_at: dt.datetime
    numbers: WorkstationNumbers | None = None


class _EventText:
    """The OpenAPI schema of a pushed payload: a string whose content is an :class:`Event` as JSON (JSON Schema's
    ``contentMediaType``/``contentSchema``).  The server still reads it as text: the SHA-256 is over these very
    bytes, and a payload that is no valid event is that one event's refusal, not the batch's."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["contentMediaType"] = "application/json"
        schema["contentSchema"] = handler(Event.__pydantic_core_schema__)
        return schema


class PushedEvent(_Wire):
    """One outbox row as stored: the canonical bytes as UTF-8 text, and their SHA-256."""

    event_id: uuid.UUID
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    payload: Annotated[str, Field(max_length=MAX_PAYLOAD_CHARS), _EventText]


class PushRequest(_Wire):
    events: Annotated[list[PushedEvent], Field(min_length=1, max_length=MAX_BATCH_EVENTS)]


# ------------------------------------------------------------------------------------------ push framing, version 2
# docs/sync-protocol.md "Push framing, version 2": each payload travels once, as the outbox's own bytes, after a
# header line naming its id, its SHA-256 and its length; the server slices the bytes, hashes the slice, parses it
# once and stores that very slice.  Version 1 (:class:`PushRequest`, JSON) stays accepted for older workstations.

#: On every answer of a server that reads version 2 (a server with it turned off, or an older one, names none).
PUSH_FRAMING_HEADER = "X-Yimen-Push-Framing"
PUSH_FRAMING_V2 = "2"
#: The ``Content-Type`` of a version-2 push body.
PUSH_V2_MEDIA_TYPE = "application/vnd.yimen.events.v2"
#: The first line's start: ``YIMEN-EVENTS 2 <count>\n``.
PUSH_V2_MAGIC = b"YIMEN-EVENTS 2 "
#: The longest payload in bytes: what version 1's MAX_PAYLOAD_CHARS characters can take in UTF-8, so that every
#: batch version 1 accepts, version 2 accepts too.
MAX_PAYLOAD_BYTES = 4 * MAX_PAYLOAD_CHARS

_FRAME_HEADER = re.compile(
    rb"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}) ([0-9a-f]{64}) (0|[1-9][0-9]{0,6})\n"
)
_FIRST_LINE = re.compile(rb"YIMEN-EVENTS 2 ([1-9][0-9]{0,5})\n")


@dataclass(frozen=True, slots=True)
class FramedEvent:
    """One pushed event as the server stores it, whichever framing brought it: the outbox's bytes and their
    SHA-256 (the bytes are hashed, parsed and stored as they are)."""

    event_id: uuid.UUID
    sha256: str
    payload: bytes


def framed(pushed: PushedEvent) -> FramedEvent:
    """A version-1 pushed event as bytes (a lone surrogate, which no JSON parser lets through, becomes bytes that
    are no UTF-8: that event's refusal, never the batch's)."""
    return FramedEvent(pushed.event_id, pushed.sha256, pushed.payload.encode("utf-8", "surrogatepass"))


class FramingError(ValueError):
    """A version-2 body that is not well framed; ``str(exc)`` says where, in Chinese."""


def frame_events(events: Sequence[FramedEvent]) -> bytes:
    """A version-2 push body: ``YIMEN-EVENTS 2 <count>\n``, then per event ``<event_id> <sha256> <length>\n``,
    exactly ``length`` payload bytes and ``\n``."""
    parts = [b"YIMEN-EVENTS 2 %d\n" % len(events)]
    for e in events:
        parts.append(b"%s %s %d\n" % (str(e.event_id).encode("ascii"), e.sha256.encode("ascii"), len(e.payload)))
        parts.append(e.payload)
        parts.append(b"\n")
    return b"".join(parts)


def read_frames(body: bytes) -> list[FramedEvent]:
    """The events of a version-2 push body, in order; raises :class:`FramingError` naming where it is malformed
    (the first line, an event's header, a length past the end, a missing line end, an id twice, trailing bytes)."""
    first = _FIRST_LINE.match(body)
    if first is None:
        raise FramingError("首行须为“YIMEN-EVENTS 2 事件数”")
    count = int(first.group(1))
    if count > MAX_BATCH_EVENTS:
        raise FramingError(f"事件数 {count} 超过每批上限 {MAX_BATCH_EVENTS}")
    events: list[FramedEvent] = []
    seen: set[bytes] = set()
    pos = first.end()
    size = len(body)
    for n in range(1, count + 1):
        header = _FRAME_HEADER.match(body, pos)
        if header is None:
            where = "请求在此处结束" if pos >= size else "须为“事件编号 SHA-256 字节数”，小写十六进制"
            raise FramingError(f"第 {n} 个事件的头部格式无效（{where}）")
        raw_id, sha, length = header.group(1), header.group(2), int(header.group(3))
        if length == 0 or length > MAX_PAYLOAD_BYTES:
            raise FramingError(f"第 {n} 个事件的字节数 {length} 超出范围（1 至 {MAX_PAYLOAD_BYTES}）")
        start = header.end()
        end = start + length
        if end >= size:
            raise FramingError(f"第 {n} 个事件的内容超出请求末尾（声明 {length} 字节）")
        if body[end] != 0x0A:
            raise FramingError(f"第 {n} 个事件的内容后缺少换行（字节数与内容不符）")
        if raw_id in seen:
            raise FramingError(f"第 {n} 个事件的编号在本批中重复")
        seen.add(raw_id)
        events.append(FramedEvent(uuid.UUID(raw_id.decode("ascii")), sha.decode("ascii"), body[start:end]))
        pos = end + 1
    if pos != size:
        raise FramingError(f"第 {count} 个事件之后还有多余的内容")
    return events


class Outcome(StrEnum):
    STORED = "stored"  # new: stored now
    DUPLICATE = "duplicate"  # already had: same id, same SHA-256
    CONFLICT = "conflict"  # same id, other content: never overwritten
    REJECTED = "rejected"  # refused, with a reason; the counter quarantines it
    HELD = "held"  # not looked at: an earlier event of the same application in this batch was refused


class EventResult(_Wire):
    event_id: uuid.UUID
    outcome: Outcome
    reason: str | None = None


class PushResponse(_Wire):
    results: list[EventResult]


class AuditHeadHeld(_Wire):
    """The answer of ``GET /device/audit-head``: the highest audit chain head the server accepted from this device
    (``seq`` 0 and no ``mac`` before the first), and when."""

    seq: int
    mac: str | None = None
    received_at: dt.datetime | None = None


class AuditHeadReset(_Wire):
    """``POST /device/audit-head/reset``: a workstation whose store was rebuilt from the server (``yimen recover
    --from-server``) starts a new audit chain; this is its head.  The server keeps the head it replaces, with the
    reason and the moment, for good (``audit_head_resets``), and takes one reset per credential: another one needs a
    new enrollment, that is, the operator (docs/sync-protocol.md "Recovery")."""

    reason: Literal["store.recovered"]
    seq: Annotated[int, Field(ge=1, le=limits.JSON_INT_MAX)]
    mac: Sha256Hex


class ServerStatus(StrEnum):
    """The back office's status of an application (后台协同办理), kept by the server in its own columns."""

    WAITING = "waiting"  # 待补正 (the counter asked for materials; nothing for the back office yet)
    RECEIVED = "received"  # 已受理，待审核
    REVIEWING = "reviewing"  # 审核中
    RETURNED = "returned"  # 退回补正
    COMPLETED = "completed"  # 已办结
    DENIED = "denied"  # 不予批准
    NOT_ACCEPTED = "not_accepted"  # 不予受理 (decided at the counter)
    VOIDED = "voided"  # 已作废 (at the counter)


class StatusChange(_Wire):
    """A status change pulled down to the counter that took the application."""

    kind: Literal["status"] = "status"
    application_id: uuid.UUID
    acceptance_no: str
    status: ServerStatus
    note: str
    changed_at: dt.datetime


class AccountChange(_Wire):
    """An account disabled or enabled centrally (an operator's decision for the whole center)."""

    kind: Literal["account"] = "account"
    username: str
    active: bool
    changed_at: dt.datetime


class CatalogChange(_Wire):
    """A catalog version published centrally (事项准入/变更/退出): the canonical JSON and its SHA-256."""

    kind: Literal["catalog"] = "catalog"
    item_code: str
    version: int
    sha256: str
    canonical_json: str
    changed_at: dt.datetime


Change = Annotated[StatusChange | AccountChange | CatalogChange, Field(discriminator="kind")]


class FeedEntry(_Wire):
    seq: int
    change: Change


class ResendAsk(_Wire):
    """The server asks the device to send again every event it acknowledged since ``since`` (docs/sync-protocol.md
    "Sending again after a server restore"): the newest resend request of the device's center (or of every center)
    the device has not named done yet."""

    id: int = Field(ge=1)
    since: dt.datetime


class PullResponse(_Wire):
    entries: list[FeedEntry]
    #: The cursor to ask with next time (the last entry's seq, or the one asked with when nothing is new).
    cursor: int
    more: bool
    #: Only when asked for (``?resend=true``): workstations of earlier versions refuse a key they do not know, so
    #: they are never sent one.  None: nothing to send again.
    resend: ResendAsk | None = None


#: The most events one page of ``GET /device/records`` holds (fewer when their payloads pass a few megabytes).
RECORDS_PAGE_MAX = 500
#: The longest cursor of ``GET /device/records``: an opaque string the server made.
RECORDS_CURSOR_MAX = 80


class RecordsPage(_Wire):
    """A page of ``GET /device/records``: the events of the device's own workstation (its center and workstation
    code, whichever device of it pushed them), as stored — the bytes the workstation pushed, as text, with their
    SHA-256 — in the order the server received them; the catalog versions the page's applications were taken under
    that the server has published; the cursor to ask with next, and whether more follow (docs/sync-protocol.md
    "Recovery")."""

    events: list[PushedEvent]
    catalog: list[CatalogChange]
    cursor: str
    more: bool


# ---------------------------------------------------------------------------------------------------- supervisor
# What a supervisor's workstation asks the server for its center (docs/supervisor.md): the center's figures of a
# period, and a reconciliation of one workstation's day.  Both answer for the device's own center only.


class WorkstationClose(_Wire):
    """A workstation's 日结 as the server holds it (the latest close of its day)."""

    day: dt.date
    closed_at: dt.datetime
    closed_by: str
    reason: str | None = None


class WorkstationDay(_Wire):
    """One workstation of the center as the server sees it for the period."""

    workstation_code: str
    applications: int
    #: The latest push the server answered, whatever became of its events (refused ones too): any device enrolled
    #: under this workstation code (``devices.last_seen_at``, kept to the minute).  It says the window reaches the
    #: server, not that its events are taken: :attr:`last_accepted_at` says that.
    last_push_at: dt.datetime | None
    #: The 日结 of the period's last day, when it has reached the server.
    closed_at: dt.datetime | None = None
    closed_by: str | None = None
    close_reason: str | None = None
    #: The last successful sync: when the server last stored an event of this workstation code or took its audit
    #: head.  A window whose pushes are all refused keeps an old one (or none): "silent" is judged on this.
    last_accepted_at: dt.datetime | None = None
    #: Every day of the period the workstation closed (日结), in order.
    closed_days: list[dt.date] = Field(default_factory=list)
    #: The latest close of the period (that of the latest day in ``closed_days``), whatever the period's last day.
    last_close: WorkstationClose | None = None


class CenterFigures(_Wire):
    """``GET /center/figures?first=&last=``: the center's figures computed by the server over every workstation's
    events with the same :func:`app.reports.figures.summarize` the workstation uses, and each workstation's state."""

    center_code: str
    generated_at: dt.datetime
    summary: figures.Summary
    workstations: list[WorkstationDay]


class ReconciledCase(_Wire):
    acceptance_no: str
    #: How many events the server holds for the application, and of which types.
    events: int
    event_types: dict[str, int]


class Reconciliation(_Wire):
    """``GET /device/reconciliation?day=``: every application of the device's workstation whose 办件编号 carries the
    day, with the events the server holds for each, for the workstation to compare with its own records."""

    center_code: str
    workstation_code: str
    day: dt.date
    generated_at: dt.datetime
    cases: list[ReconciledCase]
    #: The day's 日结 as the server holds it, if it arrived.
    closed_at: dt.datetime | None = None
