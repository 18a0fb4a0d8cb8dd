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
    """The three outcomes at the counter (行政许可法 Art. 32)."""

    ACCEPT = "accept"  # 受理 (for a marriage pre-check: 预审通过)
    SUPPLEMENT = "supplement"  # 一次性补正告知 (pre-check: 材料不全)
    REFUSE = "refuse"  # 不予受理


class AppState(StrEnum):
    ACCEPTED = "accepted"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    REFUSED = "refused"
    VOIDED = "voided"
    # What the list shows for a case whose personal data was purged after the retention period (its number stays
    # in purged_applications; app/retention.py).  Never the state of a stored application.
    PURGED = "purged"


class SyncState(StrEnum):
    """Where a record stands with the central server (ARCHITECTURE.md invariant 9)."""

    PENDING = "pending"  # 本地待上传
    SYNCED = "synced"  # 已上传
    REJECTED = "rejected"  # 被拒收


class MaterialStatus(StrEnum):
    RECEIVED = "received"
    MISSING = "missing"
    DEFECTIVE = "defective"
    NOT_NEEDED = "not_needed"
