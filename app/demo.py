"""Demo data for `make run`: accounts and a few applications of today.  Refuses to run outside demo mode.

A fake can never ship silently (STYLE.md §16): :func:`seed` raises unless the deployment file says
``mode = "demo"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from stdnum.cn import ric

from app.catalog.schema import FieldDef, FieldType, ServiceItem
from app.domain import Decision, MaterialStatus, PartyRole, Role
from app.errors import NotAllowedError
from app.i18n import msg
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, MaterialLine, PartyInput
from app.security.accounts import SessionUser, create_user, has_users

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
    entry = services.catalog.entry(DEMO_ITEM)
    if entry is None:
        return 0
    fire = {"assistance_type": "emergency", "situation": "家中突发火灾，生活用品损毁。"}
    illness = {"assistance_type": "expenditure", "situation": "家人突发重病住院，医疗支出较大。"}
    samples: list[tuple[str, str, dict[str, str], MaterialStatus, DecisionInput]] = [
        ("阿依古丽·买买提", "31010419850615002", fire, MaterialStatus.RECEIVED, DecisionInput(Decision.ACCEPT)),
        # The fire burned the ID card: 急难型, so help comes first and the card follows (the item's first_aid).
        (
            "李堃",
            "31010619480307007",
            fire,
            MaterialStatus.MISSING,
            DecisionInput(Decision.FIRST_AID, basis="家中突发火灾，身份证件烧毁，生活急需救助。"),
        ),
        ("张𠮷", "31010119800101001", illness, MaterialStatus.MISSING, DecisionInput(Decision.SUPPLEMENT)),
        (
            "王䶮",
            "31011519500101003",
            fire,
            MaterialStatus.RECEIVED,
            DecisionInput(Decision.REFUSE, "申请人户籍不在本市，已告知向户籍地申请。"),
        ),
    ]
    created = 0
    for index, (name, body, values, id_card, decision) in enumerate(samples, start=1):
        if decision.decision is Decision.FIRST_AID and entry.item.first_aid is None:
            continue  # a catalog without 先行救助 for the item: the case is not shown
        draft = ApplicationDraft(
            item_code=DEMO_ITEM,
            values=dict(values),
            parties=[PartyInput(PartyRole.APPLICANT, name, demo_id(body), "13800138000", confirmed_id=True)],
            materials=[MaterialInput("applicant_id_card", id_card)],
            queue_ticket=f"A{index:03d}",
            acknowledged_warnings=True,
            acknowledged_duplicate=True,
        )
        services.intake.decide(draft, decision, clerk)
        created += 1
    return created


# ------------------------------------------------------------------------------------------------ sample cases

SAMPLE_PEOPLE = {
    # role: (name, 17-digit body) — born 1950 (old enough for every age rule), 1955, 1948 and 1970.
    PartyRole.APPLICANT: ("阿依古丽·买买提", "31010419500615002"),
    PartyRole.SPOUSE: ("张𠮷", "31010119520101001"),
    PartyRole.HOUSEHOLD_MEMBER: ("王䶮", "31011519750101003"),
    PartyRole.DECEASED: ("李堃", "31010619480307007"),
    PartyRole.AGENT: ("赵磊", "31010419700101005"),
    PartyRole.GUARDIAN: ("钱芳", "31010419700101002"),
}


# Free-text answers the sample cases give where an item asks for them (anything else optional stays empty), each
# the kind of answer its field asks for; other multiline fields get the generic statement of need.
SAMPLE_TEXTS = {
    "registry_office": "徐汇区婚姻登记中心",
    "question": "本人老年综合津贴本季度是否已发放，发放到哪张卡。",
    "answer": "经查询，本季度津贴已于 10 月 15 日发放至本人社保卡，请核对银行入账记录。",
    "living_situation": "独居，行动不便，日常由子女每周探望两次，需协助洗浴和做饭。",
    "situation": "因家庭困难申请办理，情况属实。",
    "details": "发放卡已挂失，申请改为社保卡发放。",
    "assets_summary": "无机动车，无非居住类房屋，银行存款约 5000 元。",
    "reason": "家庭收入低于本市最低生活保障标准。",
}
# Sample date answers: a booking lies ahead, anything that already happened (a death, a start) lies behind.
FUTURE_DATE_KEYS = ("appointment",)


def sample_ticks(lines: Sequence[MaterialLine], decision: Decision, owed: Sequence[str] = ()) -> list[MaterialInput]:
    """The checklist of a sample case decided as ``decision``: everything there, except that a 补正 leaves the first
    required line missing and the next one defective (with a note that fits it), and the ``owed`` materials of a
    容缺受理/先行救助 are missing."""
    ticks = [MaterialInput(line.key, MaterialStatus.RECEIVED, line.party_index) for line in lines]
    if decision is Decision.SUPPLEMENT:
        first = next(i for i, line in enumerate(lines) if line.required)
        ticks[first] = MaterialInput(lines[first].key, MaterialStatus.MISSING, lines[first].party_index)
        if len(lines) > first + 1:
            nxt = lines[first + 1]
            ticks[first + 1] = MaterialInput(
                nxt.key, MaterialStatus.DEFECTIVE, nxt.party_index, sample_defect_note(nxt)
            )
    return [MaterialInput(t.key, MaterialStatus.MISSING, t.party_index) if t.key in owed else t for t in ticks]


def sample_defect_note(line: MaterialLine) -> str:
    """Why a sample material is 不合格, in words that fit it (a photo is never an unreadable copy)."""
    if line.unit == "张":
        return "照片不是近期免冠证件照，请按标准重新拍摄"
    if line.handling == "copy" or line.form == "copy":
        return "复印件不清晰，无法辨认"
    if line.handling == "return":
        return "证件已过有效期"
    return "未签名"


def _sample_value(fdef: FieldDef, applicant_id: str, today: dt.date) -> object:
    kind = fdef.type
    limits = fdef.constraints
    if kind is FieldType.BOOL:
        return True
    if kind in (FieldType.CHOICE, FieldType.MULTICHOICE):
        choices = [c.value for c in limits.choices or ()]
        # "none"/"other" answers are the ones the rules refuse or ask about: take the first real one.
        value = next((c for c in choices if c not in ("none", "other", "no")), choices[0])
        return [value] if kind is FieldType.MULTICHOICE else value
    if kind is FieldType.INT:
        return max(limits.min or 1, 1)
    if kind is FieldType.MONEY:
        return max(limits.min or 0, 50000)
    if kind is FieldType.DATE:
        ahead = fdef.key.startswith(FUTURE_DATE_KEYS)
        return today + dt.timedelta(days=10) if ahead else today - dt.timedelta(days=10)
    if kind is FieldType.ID_NUMBER:
        return applicant_id
    if kind is FieldType.PHONE:
        return "13800138000"
    if kind is FieldType.DISABILITY_CERT:
        return applicant_id + "11"  # 视力一级: severe enough for every disability rule
    if kind is FieldType.ADDRESS:
        return "上海市徐汇区示范路1号"
    if fdef.key in SAMPLE_TEXTS:
        text = SAMPLE_TEXTS[fdef.key]
    elif kind is FieldType.MULTILINE:
        text = "因家庭困难申请办理，情况属实。"
    elif not fdef.required:
        return None  # an optional line a real applicant leaves empty (代签监护人 of an adult)
    else:
        text = fdef.label.zh.split("（")[0]  # a value of the field's own kind, never a placeholder word
    return text[: limits.max_length] if limits.max_length else text


def _sample_values(fields: Sequence[FieldDef], applicant_id: str, today: dt.date) -> dict[str, object]:
    answers = {f.key: _sample_value(f, applicant_id, today) for f in fields}
    return {key: value for key, value in answers.items() if value is not None}


def sample_draft(
    item: ServiceItem,
    *,
    today: dt.date,
    missing: bool = False,
    people: dict[PartyRole, tuple[str, str]] | None = None,
) -> ApplicationDraft:
    """A complete application for ``item`` with one party per required role and every field answered.

    For demos, tests and benchmarks (it stores nothing).  ``missing`` leaves the first required material missing,
    for a 补正 notice.  Names carry 𠮷, 䶮, 堃 and the middle dot, so every document shows them.
    """
    people = {**SAMPLE_PEOPLE, **(people or {})}
    applicant_id = demo_id(people[PartyRole.APPLICANT][1])
    parties: list[PartyInput] = []
    for spec in item.parties:
        role = spec.role
        count = max(spec.min, 1 if role is PartyRole.HOUSEHOLD_MEMBER else 0)
        for index in range(count):
            name, body = people[role]
            if index:
                name, body = f"{name}{index + 1}", body[:-3] + f"{int(body[-3:]) + 2 * index:03d}"
            values = _sample_values(spec.fields, applicant_id, today)
            parties.append(PartyInput(role, name, demo_id(body), "13800138000", values, confirmed_id=True))
    values = _sample_values(item.fields, applicant_id, today)
    return ApplicationDraft(
        item_code=item.code,
        values=values,
        parties=parties,
        materials=[],
        queue_ticket="A001",
        acknowledged_warnings=True,
        acknowledged_duplicate=True,
    )
