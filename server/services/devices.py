"""Workstations: one-time enrollment codes, two-phase enrollment (a code claimed for a pending credential, the
credential confirmed by the workstation once it has saved it), authentication of a device's credential, and
revocation (docs/sync-protocol.md, "Enrollment and credentials")."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.sync import protocol
from app.version import is_older
from server.services.common import ServiceError, token_hash
from server.store.models import Device, EnrollmentCode, utcnow

#: How long a pending credential may wait for its confirmation.  After that it is dead, and the code (still
#: unused) may be claimed again while it is valid.
PENDING_MINUTES = 30

#: docs/numbering.md: a center code is 9–12 digits, a workstation code 3 digits (ASCII digits only).
CENTER_CODE = re.compile(r"[0-9]{9,12}")
WORKSTATION_CODE = re.compile(r"[0-9]{3}")

REFUSED = "注册码无效、已使用、已过期，或不属于本中心和工位。请向信息员申请新的注册码。"


def check_codes(center_code: str, workstation_code: str) -> None:
    """Refuse center and workstation codes that cannot exist (docs/numbering.md), saying what a valid one is."""
    if not CENTER_CODE.fullmatch(center_code):
        raise ServiceError(
            422, "invalid_center", f"中心代码“{center_code}”无效：应为 9 至 12 位数字（半角 0–9），如 310104003。"
        )
    if not WORKSTATION_CODE.fullmatch(workstation_code):
        raise ServiceError(
            422, "invalid_workstation", f"工位代码“{workstation_code}”无效：应为 3 位数字（半角 0–9），如 003。"
        )


def create_enrollment_code(
    session: Session, *, center_code: str, workstation_code: str, hours: int, now: dt.datetime | None = None
) -> str:
    """A new one-time code for one workstation; the workstation's earlier codes not yet used are revoked."""
    check_codes(center_code, workstation_code)
    now = now or utcnow()
    session.execute(
        update(EnrollmentCode)
        .where(
            EnrollmentCode.center_code == center_code,
            EnrollmentCode.workstation_code == workstation_code,
            EnrollmentCode.used_at.is_(None),
            EnrollmentCode.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
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


def claim(
    session: Session, request: protocol.EnrollRequest, now: dt.datetime | None = None
) -> protocol.PendingEnrollment:
    """Phase one: check the code (unused, unrevoked, unexpired, this center and workstation) without using it up,
    and issue a *pending* credential.  The workstation's current credential keeps working; a pending credential
    authenticates for nothing but :func:`confirm`, and only for :data:`PENDING_MINUTES`."""
    now = now or utcnow()
    code_hash = token_hash(normalize_code(request.code))
    code = session.scalar(
        select(EnrollmentCode).where(
            EnrollmentCode.code_hash == code_hash,
            EnrollmentCode.center_code == request.center_code,
            EnrollmentCode.workstation_code == request.workstation_code,
            EnrollmentCode.used_at.is_(None),
            EnrollmentCode.revoked_at.is_(None),
            EnrollmentCode.expires_at > now,
        )
    )
    if code is None:
        raise ServiceError(403, "enrollment_refused", REFUSED)
    # One live pending credential per code: a claim made again (its answer was lost, the keyring refused) replaces
    # the earlier one.
    session.execute(
        update(Device)
        .where(Device.code_hash == code_hash, Device.confirmed_at.is_(None), Device.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason="replaced by a later claim of the same code")
    )
    device_id = uuid.uuid4()
    token = "ymd_" + secrets.token_urlsafe(32)
    until = now + dt.timedelta(minutes=PENDING_MINUTES)
    session.add(
        Device(
            id=device_id,
            token_hash=token_hash(token),
            center_code=request.center_code,
            workstation_code=request.workstation_code,
            hostname=request.hostname,
            enrolled_at=now,
            confirmed_at=None,
            pending_until=until,
            code_hash=code_hash,
        )
    )
    session.flush()
    return protocol.PendingEnrollment(
        device_id=device_id,
        token=token,
        center_code=request.center_code,
        workstation_code=request.workstation_code,
        confirm_before=until,
    )


def confirm(session: Session, token: str | None, now: dt.datetime | None = None) -> protocol.EnrollConfirmation:
    """Phase two, called with the pending credential once the workstation has saved it: the code is used up (a
    compare-and-set: of two credentials claimed with one code only one is confirmed), the workstation's earlier
    credentials are revoked, and this one works from now on.  Confirming a confirmed credential again answers the
    same (an answer lost on the way is simply asked for again)."""
    now = now or utcnow()
    if not token:
        raise ServiceError(401, "unauthenticated", "缺少工位凭证。请先注册本工位（yimen enroll）。")
    device = session.scalar(select(Device).where(Device.token_hash == token_hash(token)))
    if device is None:
        raise ServiceError(401, "unauthenticated", "工位凭证无效。请信息员重新注册本工位（yimen enroll）。")
    if device.confirmed_at is None and device.revoked_at is None:
        if device.pending_until is None or device.pending_until <= now or device.code_hash is None:
            raise ServiceError(
                403,
                "enrollment_expired",
                "本次注册未在时限内确认，已作废。请重新执行 yimen enroll（注册码未过期时仍可使用）。",
            )
        used = session.execute(
            update(EnrollmentCode)
            .where(
                EnrollmentCode.code_hash == device.code_hash,
                EnrollmentCode.used_at.is_(None),
                EnrollmentCode.revoked_at.is_(None),
            )
            .values(used_at=now, device_id=device.id)
        )
        if used.rowcount == 1:  # type: ignore[attr-defined]
            # A workstation enrolled again (a reinstalled machine, a lost keyring) replaces its earlier credential.
            session.execute(
                update(Device)
                .where(
                    Device.center_code == device.center_code,
                    Device.workstation_code == device.workstation_code,
                    Device.revoked_at.is_(None),
                    Device.id != device.id,
                )
                .values(revoked_at=now, revoked_reason="replaced by a new enrollment")
            )
            device.confirmed_at = now
            device.pending_until = None
            session.flush()
        else:
            # Another confirmation of this very credential may have won meanwhile: then this is a replay.
            session.refresh(device)
    if device.revoked_at is not None:
        raise ServiceError(
            403, "device_revoked", "本工位的凭证已被中心服务器吊销，无法同步。请联系信息员重新注册本工位。"
        )
    if device.confirmed_at is None:
        raise ServiceError(403, "enrollment_refused", REFUSED)
    return protocol.EnrollConfirmation(
        device_id=device.id,
        center_code=device.center_code,
        workstation_code=device.workstation_code,
        confirmed_at=device.confirmed_at,
    )


def enroll(
    session: Session, request: protocol.EnrollRequest, now: dt.datetime | None = None
) -> protocol.EnrollResponse:
    """One-phase enrollment (``POST /enroll``, for workstations of earlier versions): claim and confirm in one
    transaction, so the code is used up and the old credential revoked before the workstation saved the new one."""
    pending = claim(session, request, now)
    confirm(session, pending.token, now)
    return protocol.EnrollResponse(
        device_id=pending.device_id,
        token=pending.token,
        center_code=pending.center_code,
        workstation_code=pending.workstation_code,
    )


def authenticate_device(session: Session, token: str | None) -> Device:
    """The confirmed, unrevoked device of a credential; a pending credential is refused (it may only confirm)."""
    if not token:
        raise ServiceError(401, "unauthenticated", "缺少工位凭证。请先注册本工位（yimen enroll）。")
    device = session.scalar(select(Device).where(Device.token_hash == token_hash(token)))
    if device is None:
        raise ServiceError(401, "unauthenticated", "工位凭证无效。请信息员重新注册本工位（yimen enroll）。")
    if device.revoked_at is not None:
        raise ServiceError(
            403, "device_revoked", "本工位的凭证已被中心服务器吊销，无法同步。请联系信息员重新注册本工位。"
        )
    if device.confirmed_at is None:
        raise ServiceError(
            401,
            "enrollment_unconfirmed",
            "本工位的新凭证尚未向中心服务器确认，还不能同步。请重新执行 yimen enroll 完成注册。",
        )
    return device


def revoke_device(session: Session, *, center_code: str, workstation_code: str, reason: str) -> int:
    """Revoke a workstation's credentials, pending ones included; the number revoked."""
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


# ------------------------------------------------------------------------------------------------ client versions
# docs/sync-protocol.md "Client versions".

#: How stale ``last_seen_at`` may grow before a request writes it again (as the push does).
SEEN_EVERY = dt.timedelta(minutes=1)


def client_version_refusal(reported: str | None, minimum: str | None) -> ServiceError | None:
    """The refusal of a workstation whose version (``reported``, None: it named none or an unreadable one) is below
    ``minimum``; None when it is served.  Without a minimum every workstation is served."""
    if minimum is None:
        return None
    if reported is None:
        return ServiceError(
            protocol.CLIENT_TOO_OLD_STATUS,
            protocol.CLIENT_TOO_OLD,
            f"本工位程序版本过旧（未报告版本号），中心服务器要求至少 {minimum}。"
            "记录保存在本机，不会丢失；请信息员安装新版本。",
        )
    if is_older(reported, minimum):
        return ServiceError(
            protocol.CLIENT_TOO_OLD_STATUS,
            protocol.CLIENT_TOO_OLD,
            f"本工位程序版本 {reported} 过旧，中心服务器要求至少 {minimum}。"
            "记录保存在本机，不会丢失；请信息员安装新版本。",
        )
    return None


def needs_seen(device: Device, reported: str | None, now: dt.datetime | None = None) -> bool:
    """Whether a request of ``device`` naming ``reported`` changes what the device row records (another version,
    or ``last_seen_at`` older than :data:`SEEN_EVERY`): most requests write nothing."""
    now = now or utcnow()
    return device.client_version != reported or device.last_seen_at is None or now - device.last_seen_at > SEEN_EVERY


def record_seen(session: Session, device_id: uuid.UUID, reported: str | None, now: dt.datetime | None = None) -> None:
    """Record the version a device's workstation named and when it was seen."""
    session.execute(
        update(Device).where(Device.id == device_id).values(client_version=reported, last_seen_at=now or utcnow())
    )


def listing(session: Session, *, below: str | None = None) -> list[dict[str, object]]:
    """The confirmed, unrevoked devices with the version their workstation last named and when it was last seen,
    by center and workstation (``yimen-server admin devices``); ``below``: only those older than that version, or
    that named none.  Codes, versions and times only (not the host name, which may carry a person's name)."""
    rows = session.scalars(
        select(Device)
        .where(Device.confirmed_at.is_not(None), Device.revoked_at.is_(None))
        .order_by(Device.center_code, Device.workstation_code, Device.enrolled_at)
    ).all()
    return [
        {
            "center_code": row.center_code,
            "workstation_code": row.workstation_code,
            "client_version": row.client_version,
            "last_seen_at": row.last_seen_at.isoformat() if row.last_seen_at else None,
            "enrolled_at": row.enrolled_at.isoformat(),
        }
        for row in rows
        if below is None or row.client_version is None or is_older(row.client_version, below)
    ]
