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


class RatingLevel(StrEnum):
    """The citizen's rating of one visit (好差评, 国办发〔2019〕51号; five levels, shown as 5★…1★), or none given.

    不满意 and 非常不满意 are 差评: they need a reason and land on the supervisor's follow-up list (docs/ratings.md).
    """

    VERY_SATISFIED = "very_satisfied"  # 非常满意 (5★)
    SATISFIED = "satisfied"  # 满意 (4★)
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意 (3★)
    DISSATISFIED = "dissatisfied"  # 不满意 (2★)
    VERY_DISSATISFIED = "very_dissatisfied"  # 非常不满意 (1★)
    UNRATED = "unrated"  # 未评价: the citizen left without rating (recorded, so the share of rated visits is true)

    @property
    def is_bad(self) -> bool:
        """A 差评: needs at least one reason and a follow-up."""
        return self in (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)

    @property
    def stars(self) -> int:
        """5 for 非常满意 … 1 for 非常不满意; 0 for 未评价."""
        return _STARS[self]

    @property
    def satisfied(self) -> bool:
        """Counts towards the satisfaction rate (满意率: 非常满意, 满意 and 基本满意 of all rated visits)."""
        return self.stars >= 3


_STARS = {
    RatingLevel.VERY_SATISFIED: 5,
    RatingLevel.SATISFIED: 4,
    RatingLevel.BASICALLY_SATISFIED: 3,
    RatingLevel.DISSATISFIED: 2,
    RatingLevel.VERY_DISSATISFIED: 1,
    RatingLevel.UNRATED: 0,
}

#: The five levels a citizen can choose, best first (未评价 is not a choice: it is what a skip records).
RATING_CHOICES = (
    RatingLevel.VERY_SATISFIED,
    RatingLevel.SATISFIED,
    RatingLevel.BASICALLY_SATISFIED,
    RatingLevel.DISSATISFIED,
    RatingLevel.VERY_DISSATISFIED,
)


class RatingOccasion(StrEnum):
    """When the citizen was asked: after a decision at the counter, or after a 补正 return visit (一次一评)."""

    DECISION = "decision"
    RETURN_VISIT = "return_visit"


class BadRatingReason(StrEnum):
    """Why a 差评 was given: our list (the national system's own list was not found; docs/ratings.md)."""

    UNCLEAR_GUIDE = "unclear_guide"  # 办事指南不清楚
    REPEAT_VISITS = "repeat_visits"  # 多次跑腿
    LONG_WAIT = "long_wait"  # 等候时间长
    SLOW_HANDLING = "slow_handling"  # 办理时间长
    ATTITUDE = "attitude"  # 服务态度不好
    MATERIALS = "materials"  # 材料要求不合理
    SYSTEM = "system"  # 系统或设备故障
    OTHER = "other"  # 其他


class FollowUpStep(StrEnum):
    """One recorded step of a 差评's follow-up (谁办理谁负责: call back, verify, fix, report back)."""

    CONTACT = "contact"  # 回访联系: when, by whom, reached or not
    VERIFICATION = "verification"  # 核实: 属实 / 不属实
    MEASURE = "measure"  # 整改措施: 立行立改 / 限期整改 / 解释说明
    OUTCOME = "outcome"  # 办理结果 (closes the follow-up)


class Verification(StrEnum):
    TRUE = "true"  # 属实
    UNFOUNDED = "unfounded"  # 不属实


class Measure(StrEnum):
    IMMEDIATE = "immediate"  # 立行立改
    DEADLINE = "deadline"  # 限期整改
    EXPLAINED = "explained"  # 解释说明
