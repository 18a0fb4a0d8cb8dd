"""Back-office operators: the credentials the back-office system calls the API with, limited to the centers granted
and, when given one, to an expiry; their revocation; and the log of what each did with which application."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.services.common import ServiceError, token_hash
from server.services.devices import CENTER_CODE
from server.store.models import Operator, OperatorAccess, utcnow

ALL_CENTERS = "*"

#: The doors an operator acts through, as the access log names them.
VIA_API = "api"
VIA_CLI = "cli"


@dataclass(frozen=True)
class OperatorView:
    """An operator as ``yimen-server admin operator list`` shows it (never its credential)."""

    name: str
    centers: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


def create_operator(
    session: Session, *, name: str, centers: Sequence[str], expires_at: dt.datetime | None = None
) -> str:
    """A new operator credential, limited to ``centers`` (empty: every center) and valid until ``expires_at``.
    Names are never reused, not even a revoked operator's: they are the actors of the back office's history."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ServiceError(422, "invalid_name", "后台凭证的名称不能为空，最多 100 个字符。")
    for center in centers:
        if not CENTER_CODE.fullmatch(center):
            raise ServiceError(
                422, "invalid_center", f"中心代码“{center}”无效：应为 9 至 12 位数字（半角 0–9），如 310104003。"
            )
    if expires_at is not None and expires_at <= utcnow():
        raise ServiceError(422, "invalid_expiry", "有效期须在将来。")
    token = "ymo_" + secrets.token_urlsafe(32)
    try:
        with session.begin_nested():
            session.add(
                Operator(
                    id=uuid.uuid4(),
                    name=name,
                    token_hash=token_hash(token),
                    centers=",".join(dict.fromkeys(centers)) if centers else ALL_CENTERS,
                    created_at=utcnow(),
                    expires_at=expires_at,
                )
            )
    except IntegrityError:  # the name is taken (unique), even by a revoked operator or one created just now
        raise _name_taken(name) from None
    return token


def _name_taken(name: str) -> ServiceError:
    return ServiceError(
        409,
        "operator_exists",
        f"已有名为“{name}”的后台凭证（含已吊销或过期的）。名称记录在办理历史中，不能重复使用，请换一个名称。",
    )


def revoke_operator(session: Session, name: str) -> bool:
    """Revoke an operator's credential; False when there is no such operator or it was already revoked."""
    done = session.execute(
        update(Operator).where(Operator.name == name, Operator.revoked_at.is_(None)).values(revoked_at=utcnow())
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


def list_operators(session: Session) -> list[OperatorView]:
    return [
        OperatorView(o.name, o.centers, o.created_at, o.expires_at, o.revoked_at)
        for o in session.scalars(select(Operator).order_by(Operator.created_at, Operator.name))
    ]


def _usable(operator: Operator | None, now: dt.datetime) -> bool:
    return (
        operator is not None
        and operator.revoked_at is None
        and (operator.expires_at is None or operator.expires_at > now)
    )


def authenticate_operator(session: Session, token: str | None) -> Operator:
    """The operator of a credential that is valid: known, not revoked, not expired."""
    operator = session.scalar(select(Operator).where(Operator.token_hash == token_hash(token or "")))
    if not token or operator is None or not _usable(operator, utcnow()):
        raise ServiceError(401, "unauthenticated", "后台凭证无效、已过期或已吊销。请向系统管理员申请。")
    return operator


def operator_named(session: Session, name: str) -> Operator:
    """The usable operator of that name, for the command line acting in its name."""
    operator = session.scalar(select(Operator).where(Operator.name == name))
    if operator is None:
        raise ServiceError(
            404, "no_operator", f"没有名为“{name}”的后台凭证。请先执行 yimen-server admin operator add。"
        )
    if not _usable(operator, utcnow()):
        raise ServiceError(403, "operator_unusable", f"后台凭证“{name}”已过期或已吊销。")
    return operator


def record_access(session: Session, operator: Operator, *, action: str, acceptance_no: str, via: str) -> None:
    """One line of the access log: who, what, which case, when, through which door; never personal data."""
    session.add(
        OperatorAccess(
            id=uuid.uuid4(),
            at=utcnow(),
            operator_id=operator.id,
            operator_name=operator.name,
            action=action[:40],
            acceptance_no=acceptance_no[:40],
            via=via,
        )
    )
