"""Back-office operators: the credentials the back-office system calls the API with, limited to some centers."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.services.common import ServiceError, token_hash
from server.store.models import Operator, utcnow


def create_operator(session: Session, *, name: str, centers: Sequence[str]) -> str:
    token = "ymo_" + secrets.token_urlsafe(32)
    session.add(
        Operator(
            id=uuid.uuid4(),
            name=name,
            token_hash=token_hash(token),
            centers=",".join(centers) if centers else "*",
            created_at=utcnow(),
        )
    )
    session.flush()
    return token


def authenticate_operator(session: Session, token: str | None) -> Operator:
    operator = session.scalar(select(Operator).where(Operator.token_hash == token_hash(token or "")))
    if not token or operator is None or operator.revoked_at is not None:
        raise ServiceError(401, "unauthenticated", "后台凭证无效或已吊销。请向系统管理员申请。")
    return operator
