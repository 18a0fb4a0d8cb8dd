"""What the counter hands to the intake use cases, and what a decision hands back.

:class:`DecisionResult` is the seam for the documents issue: it carries everything a 受理回执, a 补正材料通知书 or a
不予受理通知书 needs, so rendering never goes back to the database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from app.catalog.schema import ServiceItem
from app.domain import Decision, MaterialStatus, PartyRole
from app.errors import ValidationError
from app.i18n import Message
from app.idcard.marks import CardMarks

if TYPE_CHECKING:
    from app.signatures import SignatureCapture, SignatureView


@dataclass
class PartyInput:
    """One party as the clerk entered it.

    Attributes:
        confirmed_id: the clerk confirmed the ID number's warnings (unknown region, converted 15-digit number).
        card: which values an ID-card reader filled and which the clerk then changed (audited; app/idcard/marks.py).
    """

    role: PartyRole
    name: str
    id_number: str | None = None
    phone: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    confirmed_id: bool = False
    card: CardMarks | None = None


@dataclass
class MaterialInput:
    """The clerk's tick for one material line (``party_index`` for per-party materials)."""

    key: str
    status: MaterialStatus
    party_index: int | None = None
    note: str | None = None
    #: Copies kept (a kept status); None: the catalog's count.
    count: int | None = None
    #: The SHA-256 of the files attached to the line (app/attachments.py), in order; linked at the save.
    attachments: tuple[str, ...] = ()


@dataclass
class ApplicationDraft:
    item_code: str
    values: dict[str, Any]
    parties: list[PartyInput]
    materials: list[MaterialInput]
    queue_ticket: str | None = None
    called_at: dt.datetime | None = None
    acknowledged_warnings: bool = False
    acknowledged_duplicate: bool = False
    #: Taken on the signature pad before the decision (app/signatures.py), stored in the decision's transaction.
    signatures: tuple[SignatureCapture, ...] = ()


class RefusalGround(StrEnum):
    """Why a case is refused (不予受理), as the notice states it (行政许可法 Art. 32(1)(2) and practice)."""

    NOT_COMPETENT = "not_competent"  # 不属于本机关职权范围: the notice names the competent office
    NOT_ELIGIBLE = "not_eligible"  # 不符合申请条件
    NO_APPLICATION = "no_application"  # 依法无需申请
    OTHER = "other"


@dataclass(frozen=True)
class DecisionInput:
    """The clerk's decision.

    Attributes:
        reason: 不予受理's reason (required for a refusal).
        ground: a refusal's ground (:class:`RefusalGround` value); ``not_competent`` needs ``competent_office``.
        basis: the rule or article behind a refusal, or the reason for 先行救助 (required for ``FIRST_AID``).
        competent_office: where the matter belongs (a refusal as not competent).
    """

    decision: Decision
    reason: str | None = None
    ground: str | None = None
    basis: str | None = None
    competent_office: str | None = None


@dataclass(frozen=True)
class Issue:
    """A problem found before saving: beside a field, a party, a material, or about the whole application."""

    message: Message
    severity: Literal["error", "warning"] = "error"
    field: str | None = None
    party_index: int | None = None
    material_key: str | None = None


@dataclass(frozen=True)
class MaterialLine:
    """A material line of the checklist (what the catalog asks for, expanded per party)."""

    key: str
    name: str
    form: str
    count: int
    required: bool
    standard: str | None
    party_index: int | None
    party_name: str | None
    #: 份 / 张 / 本, what the present tick records (keep / return / copy) and whether 电子证照核验 is possible.
    unit: str = "份"
    handling: str = "keep"
    e_license: bool = False


@dataclass(frozen=True)
class CheckedParty:
    """A party as the check found it, reused by the save (nothing is validated twice).

    ``name`` and ``phone`` are normalized where valid (the raw text otherwise: the check's issues say what is
    wrong); ``id_number`` is the normalized 18-character number of a valid ID, with what it tells.
    """

    role: PartyRole
    name: str
    phone: str | None
    id_number: str | None
    id_kind: str | None
    sex: str | None
    birth_date: dt.date | None


@dataclass(frozen=True)
class DraftCheck:
    issues: list[Issue]
    materials: list[MaterialLine]
    duplicates: list[ApplicationSummary]
    parties: list[CheckedParty] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


class Refusal(StrEnum):
    """Why the core refused to store a decision: which input the clerk has to look at."""

    ISSUE = "issue"  # an error of the draft (``issue`` says which field of which party)
    UNCONFIRMED_WARNING = "unconfirmed_warning"  # a warning to confirm first (``issue`` is the warning)
    MATERIALS = "materials"  # the material checklist does not fit the decision
    DUPLICATE = "duplicate"  # an open case of the same item: confirm to go on
    REFUSAL_REASON = "refusal_reason"  # 不予受理 needs its reason


class DraftRejectedError(ValidationError):
    """A decision the draft does not allow, with the :class:`Issue` behind it and the whole :class:`DraftCheck`.

    The counter shows the message beside ``issue``'s input and refreshes the checklist from ``check``, without
    checking the draft again or comparing message texts.
    """

    def __init__(self, message: Message, *, refusal: Refusal, issue: Issue, check: DraftCheck) -> None:
        super().__init__(message, field=issue.field, party_index=issue.party_index, material_key=issue.material_key)
        self.refusal = refusal
        self.issue = issue
        self.check = check


class DebtOrigin(StrEnum):
    DECISION = "decision"  # the documents of a decision (``ref``: the decision record)
    CORRECTION = "correction"  # the reissued receipt and form after a 更正 (``ref``: its outbox event)


@dataclass(frozen=True)
class DocumentDebt:
    """Documents a change owes until they are stored (docs/documents.md)."""

    origin: DebtOrigin
    ref: uuid.UUID

    def __str__(self) -> str:
        return f"{self.origin.value}:{self.ref}"


@dataclass(frozen=True)
class DocumentsDue:
    """Every debt of one application, oldest first; stored space-separated in ``applications.documents_due``."""

    debts: tuple[DocumentDebt, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.debts)

    @classmethod
    def parse(cls, text: str | None) -> DocumentsDue:
        debts = []
        for tag in (text or "").split():
            origin, _, ref = tag.partition(":")
            debts.append(DocumentDebt(DebtOrigin(origin), uuid.UUID(ref)))
        return cls(tuple(debts))

    def stored(self) -> str | None:
        """The column's value (None when nothing is owed: the partial index holds only owing records)."""
        return " ".join(str(d) for d in self.debts) or None

    def adding(self, debt: DocumentDebt) -> DocumentsDue:
        return DocumentsDue((*self.debts, debt))

    def settling(self, settled: tuple[DocumentDebt, ...]) -> DocumentsDue:
        return DocumentsDue(tuple(d for d in self.debts if d not in settled))

    def owes(self, origin: DebtOrigin) -> bool:
        return any(d.origin is origin for d in self.debts)


@dataclass(frozen=True)
class DocumentsOnRecord:
    """The application's stored documents as the change's own transaction saw them, for planning what it owes
    without reading the store again (``DocumentService.plan``): every issue key, every kind, the current kinds."""

    issue_keys: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    current: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ApplicationSummary:
    """One line of the application list (ID number already masked)."""

    id: uuid.UUID
    acceptance_no: str
    item_code: str
    item_name: str
    state: str
    decision: str
    decided_at: dt.datetime
    received_at: dt.datetime
    applicant_name: str
    applicant_id_masked: str
    clerk_name: str
    sync_state: str
    promised_date: dt.date | None
    promised_estimated: bool
    notice_no: str | None
    # The server's reason when it refused an event of this application (sync_state "rejected").
    sync_error: str | None = None
    # The back office's status from the central server (app.sync.protocol.ServerStatus), when one came down.
    server_status: str | None = None
    server_status_at: dt.datetime | None = None
    # Only the number is left here: the case's personal data was purged after the retention period (state
    # ``AppState.PURGED``; no name, ID number or clerk; app/retention.py).  The server and the archive hold it.
    purged: bool = False
    # 容缺受理 / 先行救助: the date the owed materials are due by.
    owed_by: dt.date | None = None


@dataclass(frozen=True)
class CenterInfo:
    code: str
    name: str
    short_name: str
    district: str
    address: str
    phone: str
    workstation_code: str
    window_name: str


@dataclass(frozen=True)
class PartyView:
    role: str
    name: str
    id_number: str | None
    id_masked: str | None
    sex: str | None
    birth_date: dt.date | None
    phone_masked: str | None
    values: dict[str, Any]
    # The full phone number, for the 申请表 only (screens and receipts show phone_masked).
    phone: str | None = None


@dataclass(frozen=True)
class MaterialView:
    key: str
    name: str
    form: str
    count: int
    required: bool
    status: str
    party_name: str | None
    party_index: int | None
    note: str | None
    #: 份 / 张 / 本 (the catalog's unit of the item version the record was taken under).
    unit: str = "份"

    @property
    def present(self) -> bool:
        return MaterialStatus(self.status).present

    @property
    def kept(self) -> bool:
        return MaterialStatus(self.status).kept


@dataclass(frozen=True)
class DecisionResult:
    """Everything the documents of a decision need, plus what changed (for selective refresh)."""

    application_id: uuid.UUID
    acceptance_no: str
    query_code: str
    decision: Decision
    state: str
    notice_no: str | None
    item_code: str
    item_name: str
    item_name_en: str
    item_kind: str
    item_version: int
    item_sha256: str
    department: str
    center: CenterInfo
    clerk_name: str
    clerk_staff_no: str
    received_at: dt.datetime
    decided_at: dt.datetime
    accepted_at: dt.datetime | None
    queue_ticket: str | None
    parties: list[PartyView]
    values: dict[str, Any]
    materials: list[MaterialView]
    refusal_reason: str | None
    promised_days: int | None
    promised_date: dt.date | None
    promised_estimated: bool
    # The item's time limit is a local placeholder without a public Shanghai source (catalog time_limit_source).
    promised_provisional: bool
    outbox_event_id: uuid.UUID | None
    # The latest decision (documents belong to it) and the item version the record was taken under (forms and
    # notices print its labels and material standards).
    decision_id: uuid.UUID | None = None
    # What documents the record's changes still owe (empty once they are stored).
    documents_due: DocumentsDue = DocumentsDue()
    # The documents stored when the result was read, in the same transaction (None: not read with it).
    documents_on_record: DocumentsOnRecord | None = None
    item: ServiceItem | None = None
    # Where the record stands with the central server (ARCHITECTURE.md invariant 9).
    sync_state: str = "pending"
    sync_error: str | None = None
    server_status: str | None = None
    server_status_at: dt.datetime | None = None
    server_note: str | None = None
    # A refusal's ground, basis and competent office (DecisionInput), and the reason for 先行救助.
    refusal_ground: str | None = None
    refusal_basis: str | None = None
    competent_office: str | None = None
    first_aid_reason: str | None = None
    # 容缺受理 / 先行救助: the date by which the owed materials are due (None when nothing is owed).
    owed_by: dt.date | None = None
    # The citizens' current signatures (app/signatures.py): the receipt's 签收 line and the form print them.
    signatures: tuple[SignatureView, ...] = ()

    @property
    def applicant(self) -> PartyView:
        return next(p for p in self.parties if p.role == PartyRole.APPLICANT.value)

    @property
    def received_materials(self) -> list[MaterialView]:
        """What was there: checked (and handed back), kept, or checked electronically."""
        return [m for m in self.materials if m.present]

    @property
    def kept_materials(self) -> list[MaterialView]:
        """Paper the centre keeps (原件收取, 复印件收取): the receipt's 已收取 and the 材料交接单."""
        return [m for m in self.materials if m.kept]

    @property
    def checked_materials(self) -> list[MaterialView]:
        """Looked at and handed back (原件核验（已退还）) or checked in the electronic licence library."""
        checked = (MaterialStatus.ORIGINAL_CHECKED.value, MaterialStatus.E_VERIFIED.value)
        return [m for m in self.materials if m.status in checked]

    @property
    def owed_materials(self) -> list[MaterialView]:
        """The missing lines of a 容缺受理 or 先行救助 acceptance: what the applicant still owes."""
        if not self.decision.accepts or self.decision is Decision.ACCEPT:
            return []
        owed = (MaterialStatus.MISSING.value, MaterialStatus.DEFECTIVE.value)
        return [m for m in self.materials if m.required and m.status in owed]

    @property
    def missing_materials(self) -> list[MaterialView]:
        return [m for m in self.materials if m.status in (MaterialStatus.MISSING.value, MaterialStatus.DEFECTIVE.value)]
