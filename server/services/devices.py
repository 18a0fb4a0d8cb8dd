"""Workstations: one-time enrollment codes, enrollment (a code claimed, a credential issued), authentication of
a device's credential, and revocation."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.sync import protocol
from server.services.common import ServiceError, token_hash
from server.store.models import Device, EnrollmentCode, utcnow


def create_enrollment_code(
    session: Session, *, center_code: str, workstation_code: str, hours: int, now: dt.datetime | None = None
) -> str:
    now = now or utcnow()
    # 16 characters of an alphabet without look-alikes (no 0/O, 1/I/L), in groups of four for reading aloud.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    code = "-".join(raw[i : i + 4] for i in range(0, 16, 4))
    session.add(
        EnrollmentCode(
            code_hash=token_hash(normalize_code(code)),
            center_code=center_code,
            workstation_code=workstation_code,
            created_at=now,
            expires_at=now + dt.timedelta(hours=hours),
        )
    )
    session.flush()
    return code


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def enroll(
    session: Session, request: protocol.EnrollRequest, now: dt.datetime | None = None
) -> protocol.EnrollResponse:
    """Claim a one-time code (a compare-and-set: two claims of one code cannot both win) and issue a credential."""
    now = now or utcnow()
    device_id = uuid.uuid4()
    claimed = session.execute(
        update(EnrollmentCode)
        .where(
            EnrollmentCode.code_hash == token_hash(normalize_code(request.code)),
            EnrollmentCode.center_code == request.center_code,
            EnrollmentCode.workstation_code == request.workstation_code,
            EnrollmentCode.used_at.is_(None),
            EnrollmentCode.expires_at > now,
        )
        .values(used_at=now, device_id=device_id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise ServiceError(
            403,
            "enrollment_refused",
            "注册码无效、已使用、已过期，或不属于本中心和工位。请向信息员申请新的注册码。",
        )
    # A workstation enrolled again (a reinstalled machine, a lost keyring) replaces its earlier credential.
    session.execute(
        update(Device)
        .where(
            Device.center_code == request.center_code,
            Device.workstation_code == request.workstation_code,
            Device.revoked_at.is_(None),
        )
        .values(revoked_at=now, revoked_reason="replaced by a new enrollment")
    )
    token = "ymd_" + secrets.token_urlsafe(32)
    session.add(
        Device(
            id=device_id,
            token_hash=token_hash(token),
            center_code=request.center_code,
            workstation_code=request.workstation_code,
            hostname=request.hostname,
            enrolled_at=now,
        )
    )
    session.flush()
    return protocol.EnrollResponse(
        device_id=device_id, token=token, center_code=request.center_code, workstation_code=request.workstation_code
    )


def authenticate_device(session: Session, token: str | None) -> Device:
    if not token:
        raise ServiceError(401, "unauthenticated", "缺少工位凭证。请先注册本工位（yimen enroll）。")
    device = session.scalar(select(Device).where(Device.token_hash == token_hash(token)))
    if device is None:
        raise ServiceError(401, "unauthenticated", "工位凭证无效。请信息员重新注册本工位（yimen enroll）。")
    if device.revoked_at is not None:
        raise ServiceError(
            403, "device_revoked", "本工位的凭证已被中心服务器吊销，无法同步。请联系信息员重新注册本工位。"
        )
    return device


def revoke_device(session: Session, *, center_code: str, workstation_code: str, reason: str) -> int:
    result = session.execute(
        update(Device)
        .where(
            Device.center_code == center_code,
            Device.workstation_code == workstation_code,
            Device.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow(), revoked_reason=reason[:200])
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
