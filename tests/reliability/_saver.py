"""A counter that saves applications in a loop until it is killed (run as a child by test_kill_during_save.py).

Usage: ``python tests/reliability/_saver.py CONFIG DATA_DIR [SEED]``

It opens the services exactly as the GUI does (:func:`app.bootstrap.open_services`), creates the clerk account on
the first run, logs in, then decides applications for ever: mostly 受理, sometimes 一次性补正告知 (a required
material missing) or 不予受理 (with a reason).  Right after ``decide`` returns -- i.e. after the commit -- it prints
one line and flushes it::

    <受理编号> TAB <application id, 32 hex> TAB <decision>

so every printed number is one the clerk could have read off the screen: it must survive any kill.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from stdnum.cn import ric  # noqa: E402

from app.bootstrap import open_services  # noqa: E402
from app.domain import Decision, MaterialStatus, PartyRole, Role  # noqa: E402
from app.errors import ValidationError  # noqa: E402
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput  # noqa: E402
from app.security.accounts import create_user  # noqa: E402
from db.models import User  # noqa: E402

ITEM = "MZ-SHJZ-002"  # 临时救助
USERNAME = "saver"
PASSWORD = "saver-pass-1234"

# Names as the counter sees them: rare characters outside the BMP (𠮷), the middle dot of minority and foreign
# names, compound surnames.
NAMES = [
    "张𠮷",
    "𠮷祥",
    "阿依古丽·买买提",
    "买买提·艾力",
    "欧阳娜娜",
    "王丽",
    "李𠮷明",
    "司马相如",
    "热依拉·阿不都",
    "陈小红",
]
REGIONS = ["310104", "310101", "310115", "110105", "320102", "440305"]
REFUSAL_REASONS = ["申请人户籍不在本街道，不属于本中心受理范围。", "同一事由已于本年度获得救助，不符合申请条件。"]


def id_number(rng: random.Random) -> str:
    """A valid 18-character ID number (GB 11643 check digit from python-stdnum)."""
    year = rng.randint(1940, 2004)
    body = f"{rng.choice(REGIONS)}{year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder in the check position


def ensure_clerk(services: object) -> None:
    """Create the clerk on the first run; BEGIN IMMEDIATE makes check-and-create atomic against other writers."""
    db = services.db  # type: ignore[attr-defined]
    workstation = services.deployment.workstation_code  # type: ignore[attr-defined]
    try:
        with db.write() as session:
            if session.query(User).filter(User.username == USERNAME).first() is None:
                create_user(
                    session,
                    username=USERNAME,
                    display_name="可靠性测试",
                    staff_no="0999",
                    role=Role.CLERK,
                    password=PASSWORD,
                    workstation_code=workstation,
                )
    except ValidationError:
        pass  # another process created it between our check and our insert


def draft_for(rng: random.Random, kind: Decision, seen_ids: list[str]) -> ApplicationDraft:
    # Now and then the same person comes back (the person row is updated, not duplicated).
    number = rng.choice(seen_ids) if seen_ids and rng.random() < 0.2 else id_number(rng)
    seen_ids.append(number)
    id_card = MaterialStatus.MISSING if kind is Decision.SUPPLEMENT else MaterialStatus.RECEIVED
    assistance = rng.choice(["emergency", "expenditure"])
    values: dict[str, object] = {
        "assistance_type": assistance,
        "situation": rng.choice(["家中突发火灾。", "重病住院。"]),
    }
    if assistance == "expenditure":
        values["expense_amount"] = f"{rng.randint(100, 20000)}.{rng.randint(0, 99):02d}"
    phone = f"139{rng.randint(0, 99_999_999):08d}"
    return ApplicationDraft(
        item_code=ITEM,
        values=values,
        # confirmed_id: the clerk checked the card (a region code newer than the birth year is only a warning).
        parties=[PartyInput(PartyRole.APPLICANT, rng.choice(NAMES), number, phone, confirmed_id=True)],
        materials=[MaterialInput("applicant_id_card", id_card)],
        queue_ticket=f"A{rng.randint(1, 999):03d}",
        acknowledged_duplicate=True,
    )


def main(argv: list[str]) -> int:
    config, data_dir = Path(argv[0]), Path(argv[1])
    rng = random.Random(int(argv[2]) if len(argv) > 2 else None)
    services = open_services(config, data_dir)
    ensure_clerk(services)
    user = services.accounts.login(USERNAME, PASSWORD)
    seen_ids: list[str] = []
    while True:
        roll = rng.random()
        kind = Decision.ACCEPT if roll < 0.7 else Decision.SUPPLEMENT if roll < 0.85 else Decision.REFUSE
        reason = rng.choice(REFUSAL_REASONS) if kind is Decision.REFUSE else None
        result = services.intake.decide(draft_for(rng, kind, seen_ids), DecisionInput(kind, reason), user)
        # Only now has the save returned: the number is the clerk's to keep.
        print(f"{result.acceptance_no}\t{result.application_id.hex}\t{result.decision.value}", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
