"""Who may do what at the workstation: the permission matrix, enforced in the use cases (docs/security.md).

The window hides what a role may not do, but the rule lives here: every use case that changes a record or hands a
document out calls :func:`require` with the acting account, so a button shown by mistake, a script or a future
screen cannot do more than the matrix allows.  Separation of duties: the supervisor (值班长) approves 更正 and 作废
that somebody else entered or asked for; IT's admin account manages accounts and the workstation and takes no
applications and approves nothing (it does not handle citizens' cases).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from app.domain import Role
from app.errors import NotAllowedError
from app.i18n import Message, msg


class Permission(StrEnum):
    TAKE = "take"  # decide at the counter: 受理 / 补正 / 不予受理, and the 补正 return visit
    REQUEST_CHANGE = "request_change"  # enter a 更正 or 作废 (it still needs a supervisor's approval)
    APPROVE_CHANGE = "approve_change"  # approve a 更正 or 作废 with one's own password
    HAND_OUT = "hand_out"  # print or save a document, 补打
    READ_RECORDS = "read_records"  # today's list, search, history, a record (ID numbers masked)
    SYNC = "sync"  # sync now, retry what the server refused
    RESET_PASSWORDS = "reset_passwords"  # give an account a temporary password (a supervisor: clerks only)
    MANAGE_ACCOUNTS = "manage_accounts"  # create and retire accounts
    RATE = "rate"  # record the citizen's 好差评 after one's own decision or return visit (never change it)
    FOLLOW_UP = "follow_up"  # record a 差评's follow-up: contact, verification, measure, outcome
    OWN_FIGURES = "own_figures"  # the day's summary of one's own work
    ALL_FIGURES = "all_figures"  # everyone's figures: the workstation's and the center's, reports and exports
    CLOSE_DAY = "close_day"  # reconcile and close (日结) the workstation's day with one's own password
    FULL_ID_EXPORT = "full_id_export"  # an export with full ID numbers (audited)
    HANDOVER = "handover"  # record a 材料交接单 handed to the back office


COUNTER = frozenset(
    {
        Permission.TAKE,
        Permission.REQUEST_CHANGE,
        Permission.HAND_OUT,
        Permission.READ_RECORDS,
        Permission.SYNC,
        Permission.RATE,
        Permission.OWN_FIGURES,
        Permission.HANDOVER,
    }
)

MATRIX: Mapping[Role, frozenset[Permission]] = {
    Role.CLERK: COUNTER,
    Role.SUPERVISOR: COUNTER
    | {
        Permission.APPROVE_CHANGE,
        Permission.RESET_PASSWORDS,
        Permission.FOLLOW_UP,
        Permission.ALL_FIGURES,
        Permission.CLOSE_DAY,
        Permission.FULL_ID_EXPORT,
    },
    Role.ADMIN: frozenset(
        {
            Permission.READ_RECORDS,
            Permission.SYNC,
            Permission.RESET_PASSWORDS,
            Permission.MANAGE_ACCOUNTS,
            Permission.OWN_FIGURES,
            Permission.ALL_FIGURES,
        }
    ),
}

ROLE_ZH: Mapping[Role, str] = {Role.CLERK: "窗口人员", Role.SUPERVISOR: "值班长", Role.ADMIN: "系统管理员"}

_REFUSED: Mapping[Permission, Message] = {
    Permission.TAKE: msg("permissions", "{role}账号不能办理受理业务，请用窗口人员或值班长账号登录。"),
    Permission.REQUEST_CHANGE: msg("permissions", "{role}账号不能提出更正或作废。"),
    Permission.APPROVE_CHANGE: msg("permissions", "更正和作废需要值班长批准，{role}账号不能批准。"),
    Permission.HAND_OUT: msg("permissions", "{role}账号不能打印或另存文书。"),
    Permission.READ_RECORDS: msg("permissions", "{role}账号不能查看申请记录。"),
    Permission.SYNC: msg("permissions", "{role}账号不能操作上传。"),
    Permission.RESET_PASSWORDS: msg("permissions", "{role}账号不能重置密码。"),
    Permission.MANAGE_ACCOUNTS: msg("permissions", "只有系统管理员可以管理账号，{role}账号不能。"),
    Permission.RATE: msg("permissions", "{role}账号不能登记群众评价。"),
    Permission.FOLLOW_UP: msg("permissions", "差评回访整改由值班长登记，{role}账号不能。"),
    Permission.OWN_FIGURES: msg("permissions", "{role}账号不能查看业务统计。"),
    Permission.ALL_FIGURES: msg("permissions", "{role}账号只能查看本人的业务统计，全窗口和全中心的数据需值班长查看。"),
    Permission.CLOSE_DAY: msg("permissions", "日结需要值班长办理，{role}账号不能。"),
    Permission.FULL_ID_EXPORT: msg("permissions", "导出完整证件号码需要值班长账号，{role}账号不能。"),
    Permission.HANDOVER: msg("permissions", "{role}账号不能登记材料交接。"),
}


@dataclass(frozen=True)
class MachineActor:
    """IT acting through the operating system: the command line run by an account of the ``yimen`` group, which
    already reads the store through the machine vault.  It has the admin's rights (it reads records and syncs; it
    takes no applications and approves nothing); audited actions of the command line name it as ``via=cli``."""

    role: Role = Role.ADMIN
    must_change_password: bool = False


MACHINE = MachineActor()


def allows(role: Role, permission: Permission) -> bool:
    return permission in MATRIX[role]


class Actor(Protocol):
    """Who acts: a logged-in account (:class:`app.security.accounts.SessionUser`)."""

    @property
    def role(self) -> Role: ...

    @property
    def must_change_password(self) -> bool: ...


def require(actor: Actor, permission: Permission) -> None:
    """Raise :class:`NotAllowedError` (with the sentence for the clerk) unless ``actor`` may use ``permission``.

    An account still on a temporary password may do nothing until it has set its own (the login asks for it).
    """
    if actor.must_change_password:
        raise NotAllowedError(msg("permissions", "该账号使用的是临时密码，请先设置新密码再办理业务。"))
    if not allows(actor.role, permission):
        raise NotAllowedError(_REFUSED[permission].bind(role=ROLE_ZH[actor.role]))
