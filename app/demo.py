"""Demo data for `make run`: accounts and a few applications of today.  Refuses to run outside demo mode.

A fake can never ship silently (STYLE.md §16): :func:`seed` raises unless the deployment file says
``mode = "demo"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdnum.cn import ric

from app.errors import NotAllowedError
from app.i18n import msg
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from app.security.accounts import SessionUser, create_user, has_users
from db.models import Decision, MaterialStatus, PartyRole, Role

if TYPE_CHECKING:
    from app.bootstrap import Services

DEMO_PASSWORD = "demo1234"
DEMO_USERS = (
    ("wangli", "王丽", "0301", Role.CLERK),
    ("zhangmin", "张敏", "0101", Role.SUPERVISOR),
)
DEMO_ITEM = "MZ-SHJZ-002"  # 临时救助: few fields, so the demo shows all three decisions


def demo_id(body17: str) -> str:
    """A syntactically valid ID number for demo people (MOD 11-2 check character)."""
    # stdnum's calc_check_digit ignores the last character of what it is given (the check digit's place).
    return body17 + ric.calc_check_digit(body17 + "0")


def seed(services: Services) -> int:
    """Create the demo accounts and sample applications once; return how many applications were created."""
    if not services.deployment.is_demo:
        raise NotAllowedError(msg("demo", '演示数据只能在演示模式下写入（部署文件 deployment.mode = "demo"）。'))
    with services.db.write() as session:
        if has_users(session):
            return 0
        users = [
            create_user(
                session,
                username=username,
                display_name=name,
                staff_no=staff_no,
                role=role,
                password=DEMO_PASSWORD,
                workstation_code=services.deployment.workstation_code,
            )
            for username, name, staff_no, role in DEMO_USERS
        ]
    clerk: SessionUser = users[0]
    if services.catalog.entry(DEMO_ITEM) is None:
        return 0
    samples = [
        ("阿依古丽·买买提", demo_id("31010419850615002"), Decision.ACCEPT, MaterialStatus.RECEIVED, None),
        ("张𠮷", demo_id("31010119800101001"), Decision.SUPPLEMENT, MaterialStatus.MISSING, None),
        (
            "王䶮",
            demo_id("31011519500101003"),
            Decision.REFUSE,
            MaterialStatus.RECEIVED,
            "申请人户籍不在本市，已告知向户籍地申请。",
        ),
    ]
    created = 0
    for index, (name, id_number, decision, id_card, reason) in enumerate(samples, start=1):
        draft = ApplicationDraft(
            item_code=DEMO_ITEM,
            values={"assistance_type": "emergency", "situation": "家中突发火灾，生活用品损毁。"},
            parties=[PartyInput(PartyRole.APPLICANT, name, id_number, "13800138000", confirmed_id=True)],
            materials=[MaterialInput("applicant_id_card", id_card)],
            queue_ticket=f"A{index:03d}",
            acknowledged_warnings=True,
            acknowledged_duplicate=True,
        )
        services.intake.decide(draft, DecisionInput(decision, reason), clerk)
        created += 1
    return created
