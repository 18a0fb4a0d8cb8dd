"""The counter's vocabulary: one definition of each closed list that the catalog, the use cases, the store's
values and the screens share.

The store keeps these as plain strings (``db`` imports nothing of ours), the catalog files name party roles by these
values, and the UI passes them back to the core; all of them import them from here.  Imports nothing of ours.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """An account's role at the workstation."""

    CLERK = "clerk"  # 窗口人员
    SUPERVISOR = "supervisor"  # 值班长
    ADMIN = "admin"  # 系统管理员


class PartyRole(StrEnum):
    """The roles a party can take in a case (domain/README.md "Parties, not one person")."""

    APPLICANT = "applicant"
    SPOUSE = "spouse"
    HOUSEHOLD_MEMBER = "household_member"
    AGENT = "agent"
    GUARDIAN = "guardian"
    DECEASED = "deceased"


class Decision(StrEnum):
    """The outcomes at the counter: the three of 行政许可法 Art. 32, and two ways to accept with materials still
    owed that an item may allow with a recorded basis (catalog ``tolerated`` and ``first_aid``; docs/catalog.md)."""

    ACCEPT = "accept"  # 受理 (for a marriage pre-check: 预审通过)
    SUPPLEMENT = "supplement"  # 一次性补正告知 (pre-check: 材料不全)
    REFUSE = "refuse"  # 不予受理
    TOLERATED = "tolerated"  # 容缺受理: accepted on a written 承诺书, non-key materials promised by a date
    FIRST_AID = "first_aid"  # 先行救助: 急难型 help given first, the papers follow

    @property
    def accepts(self) -> bool:
        """Whether the case is accepted (受理): a 受理编号, a receipt, a promised date."""
        return self in (Decision.ACCEPT, Decision.TOLERATED, Decision.FIRST_AID)


class AppState(StrEnum):
    ACCEPTED = "accepted"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    REFUSED = "refused"
    VOIDED = "voided"
    # An inquiry item (查询) answered on the spot: an answer slip, no 受理, no promised date; closed at once.
    ANSWERED = "answered"
    # What the list shows for a case whose personal data was purged after the retention period (its number stays
    # in purged_applications; app/retention.py).  Never the state of a stored application.
    PURGED = "purged"


class SyncState(StrEnum):
    """Where a record stands with the central server (ARCHITECTURE.md invariant 9)."""

    PENDING = "pending"  # 本地待上传
    SYNCED = "synced"  # 已上传
    REJECTED = "rejected"  # 被拒收


class MaterialStatus(StrEnum):
    """What happened to one material line at the counter (docs/documents.md "Materials").

    A citizen's ID card is looked at and handed back, a copy stays in the file, a certificate may be checked in
    the electronic licence library with no paper at all: the receipt must say which.
    """

    RECEIVED = "received"  # 原件收取: the centre keeps the paper (a signed form, a 委托书, photos)
    ORIGINAL_CHECKED = "original_checked"  # 原件核验（已退还）: looked at and handed back, nothing kept
    COPY_KEPT = "copy_kept"  # 复印件收取 (the original, if any, checked and handed back): ``count`` copies kept
    E_VERIFIED = "e_verified"  # 电子证照核验: checked in the electronic licence library, no paper
    MISSING = "missing"  # 缺少
    DEFECTIVE = "defective"  # 不合格 (a note says why)
    NOT_NEEDED = "not_needed"  # 不需要 (an optional line, or a condition that does not apply)

    @property
    def present(self) -> bool:
        """The material was there, in whatever form: it counts as supplied."""
        return self in PRESENT_STATUSES

    @property
    def kept(self) -> bool:
        """Paper stays in the centre's file (listed under 已收取 and on the 材料交接单)."""
        return self in (MaterialStatus.RECEIVED, MaterialStatus.COPY_KEPT)


PRESENT_STATUSES = frozenset(
    {MaterialStatus.RECEIVED, MaterialStatus.ORIGINAL_CHECKED, MaterialStatus.COPY_KEPT, MaterialStatus.E_VERIFIED}
)
