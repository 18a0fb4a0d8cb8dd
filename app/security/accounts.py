"""Accounts, password hashing (argon2id) and login with lock-out after repeated failures."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import Role
from app.errors import AuthError, NotAllowedError, NotFoundError, ValidationError
from app.i18n import Message, msg
from app.security import audit
from app.security.permissions import ROLE_ZH, Permission, allows, require
from db.models import User
from db.types import utcnow

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
# Letters and digits of a generated temporary password: none that a person reads or types for another (0/O, 1/l/I).
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TEMPORARY_LENGTH = 10
#: The password hash of an account a recovery from the server made for a clerk its records name
#: (app/sync/rebuild.py): no password verifies against it, it counts as no account for the first admin, and
#: creating an account of that user name takes it over, so the recovered records keep their clerk.
RECOVERED_PASSWORD = "!recovered"


@dataclass(frozen=True)
class SessionUser:
    """The logged-in clerk, as the use cases need it (no hash, no ORM object)."""

    id: uuid.UUID
    username: str
    display_name: str
    staff_no: str
    role: Role
    must_change_password: bool = False


@dataclass(frozen=True)
class AccountSummary:
    """An account as the supervisor's password reset lists it (no hash, no ORM object).

    Attributes:
        locked: locked out now by failed logins (a reset ends it).
        temporary: still on a temporary password, not yet changed by its owner.
    """

    username: str
    display_name: str
    staff_no: str
    role: Role
    locked: bool
    temporary: bool


def generate_temporary_password() -> str:
    """A random temporary password, to be handed over in person (10 characters, about 49 bits)."""
    return "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(TEMPORARY_LENGTH))


def reset_refusal(by: SessionUser, account_id: uuid.UUID, account_role: Role) -> Message | None:
    """Why ``by`` may not reset the password of this account, or None when they may.

    The one rule behind :meth:`AccountService.reset_password` and :meth:`AccountService.resettable`: never one's own
    account (that is a change of password); a supervisor resets clerks only; an admin any other account.
    """
    if account_id == by.id:
        return msg("accounts", "不能重置自己的密码；请在登录后修改密码。")
    if by.role is Role.SUPERVISOR and account_role is not Role.CLERK:
        return msg("accounts", "值班长只能重置窗口人员的密码；其他账号请找系统管理员。")
    return None


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            msg("accounts", "密码至少需要 {n} 个字符。").bind(n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    return _hasher.hash(password)


def _session_user(user: User) -> SessionUser:
    return SessionUser(
        user.id, user.username, user.display_name, user.staff_no, Role(user.role), user.must_change_password
    )


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    staff_no: str,
    role: Role,
    password: str,
    workstation_code: str,
    by: SessionUser | None = None,
    temporary_password: bool = False,
) -> SessionUser:
    """Create an account inside the caller's transaction.

    ``by`` is the logged-in admin creating it, None for IT on the command line.  An admin account is created only by
    an existing admin, except the very first account of an empty store (the workstation's first start, or a store
    recovered from the server, whose only accounts are the recovered ones).  A recovered account of the same user
    name (:data:`RECOVERED_PASSWORD`) is taken over: same id, so the records it handled keep their clerk.

    Raises:
        ValidationError: the user name is taken or empty, or the password too short.
        NotAllowedError: an admin account asked for without an admin.
    """
    if role is Role.ADMIN and has_users(session):
        if by is None:
            raise NotAllowedError(
                msg("accounts", "已有账号时，系统管理员账号只能由现有系统管理员创建：请用 --by 指定管理员账号。")
            )
        require(by, Permission.MANAGE_ACCOUNTS)
    elif by is not None:
        require(by, Permission.MANAGE_ACCOUNTS)
    username = username.strip().lower()
    existing = session.scalar(select(User).where(User.username == username)) if username else None
    if not username or (existing is not None and existing.password_hash != RECOVERED_PASSWORD):
        raise ValidationError(msg("accounts", "用户名“{u}”已存在或为空。").bind(u=username), field="username")
    password_hash = hash_password(password)
    user = existing or User(username=username)
    user.display_name = display_name.strip()
    user.staff_no = staff_no.strip()
    user.role = role.value
    user.password_hash = password_hash
    user.must_change_password = temporary_password
    user.active = True
    user.failed_attempts = 0
    user.locked_until = None
    session.add(user)
    session.flush()
    details = {"username": username, "role": role.value, "by": by.username if by is not None else "command line"}
    _user_event(
        session,
        action="user.created",
        subject=user.id,
        workstation_code=workstation_code,
        by=by.id if by is not None else None,
        details={**details, "recovered_account": True} if existing is not None else details,
    )
    return _session_user(user)


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    workstation_code: str,
    max_failures: int,
    lockout: dt.timedelta,
    now: dt.datetime | None = None,
) -> SessionUser:
    """Check a password inside the caller's write transaction; count failures and lock the account.

    Raises:
        AuthError: an unknown name, a wrong password or a locked account, all with one sentence (so names cannot
            be probed); the audit trail records which.
    """
    now = now or utcnow()
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    # One sentence for an unknown name, a wrong password and a locked account: a name cannot be probed by
    # watching which answer comes back (the audit trail tells them apart for the supervisor).
    wrong = AuthError(
        msg(
            "accounts",
            "用户名或密码不正确，请重新输入。连续输错 {n} 次的账号将锁定 {minutes} 分钟，锁定期间无法登录。",
        ).bind(n=max_failures, minutes=int(lockout.total_seconds() // 60))
    )
    if user is None or not user.active:
        _user_event(
            session,
            action="login.failed",
            subject=None,
            workstation_code=workstation_code,
            by=None,
            details={"reason": "unknown_user"},
        )
        raise wrong

    def record(action: str, **details: str) -> None:
        assert user is not None
        _user_event(
            session,
            action=action,
            subject=user.id,
            workstation_code=workstation_code,
            by=user.id,
            details=details,
        )

    if user.locked_until is not None and user.locked_until > now:
        record("login.refused_locked")
        raise wrong
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        user.failed_attempts += 1
        locked = user.failed_attempts >= max_failures
        if locked:
            user.locked_until = now + lockout
            user.failed_attempts = 0
        record("login.locked" if locked else "login.failed", reason="wrong_password")
        raise wrong from None
    user.failed_attempts = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    record("login.succeeded")
    return _session_user(user)


def has_users(session: Session) -> bool:
    """Whether the store has an account of its own (the accounts a recovery made for its records do not count)."""
    return session.scalar(select(User.id).where(User.password_hash != RECOVERED_PASSWORD).limit(1)) is not None


class AccountService:
    """Login and supervisor approval over the database, with the deployment's lock-out policy."""

    def __init__(
        self,
        db: Any,
        *,
        workstation_code: str,
        max_failures: int,
        lockout_minutes: int,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.db = db
        self.clock = clock
        self.workstation_code = workstation_code
        self.max_failures = max_failures
        self.lockout = dt.timedelta(minutes=lockout_minutes)

    def login(self, username: str, password: str) -> SessionUser:
        """Check the password; a failure is counted (and may lock the account) even though it raises."""
        failure: AuthError | None = None
        with self.db.write() as session:
            try:
                return authenticate(
                    session,
                    username=username,
                    password=password,
                    workstation_code=self.workstation_code,
                    max_failures=self.max_failures,
                    lockout=self.lockout,
                    now=self.clock(),
                )
            except AuthError as exc:
                failure = exc  # commit the failure count and its audit event, then raise
        assert failure is not None
        raise failure

    def approve(self, username: str, password: str) -> SessionUser:
        """A supervisor's approval (their own password at this workstation)."""
        user = self.login(username, password)
        if not allows(user.role, Permission.APPROVE_CHANGE):
            raise AuthError(msg("accounts", "“{name}”不是值班长账号，不能批准此操作。").bind(name=user.display_name))
        return user

    def end_session(self, clerk: SessionUser, by: SessionUser) -> None:
        """A supervisor ends ``clerk``'s locked session at this workstation (the clerk is away from the desk).

        ``by`` is the supervisor, whose password the caller has checked (:meth:`approve`).  Nothing of the clerk's
        work is touched: the window keeps their unsaved form for their next login.

        Raises:
            NotAllowedError: ``by`` is not a supervisor, is still on a temporary password, or is ``clerk``.
        """
        if by.must_change_password or not allows(by.role, Permission.APPROVE_CHANGE):
            raise NotAllowedError(
                msg("accounts", "只有值班长可以结束他人的登录，{role}账号不能。").bind(role=ROLE_ZH[by.role])
            )
        if by.id == clerk.id:
            raise NotAllowedError(msg("accounts", "不能结束自己的登录；请输入自己的密码解锁。"))
        with self.db.write() as session:
            _user_event(
                session,
                action="session.ended_by_supervisor",
                subject=clerk.id,
                workstation_code=self.workstation_code,
                by=by.id,
                details={"username": clerk.username, "by": by.username},
            )

    def change_password(self, user: SessionUser, old_password: str, new_password: str) -> SessionUser:
        """Replace a password (the old one must be right; the new one must differ and be long enough)."""
        if new_password == old_password:
            raise ValidationError(msg("accounts", "新密码不能与原密码相同。"), field="new_password")
        new_hash = hash_password(new_password)
        self.login(user.username, old_password)
        with self.db.write() as session:
            row = session.get(User, user.id)
            assert row is not None
            row.password_hash = new_hash
            row.must_change_password = False
            _user_event(
                session,
                action="user.password_changed",
                subject=row.id,
                workstation_code=self.workstation_code,
                by=row.id,
            )
            return _session_user(row)

    def resettable(self, by: SessionUser) -> list[AccountSummary]:
        """The active accounts of this workstation whose password ``by`` may reset (:func:`reset_refusal`), with
        their state; clerks first, then by staff number.

        Raises:
            NotAllowedError: ``by`` may not reset passwords (a clerk; an account on a temporary password).
        """
        require(by, Permission.RESET_PASSWORDS)
        now = self.clock()
        with self.db.read() as session:
            rows = session.scalars(select(User).where(User.active.is_(True))).all()
            found = [
                AccountSummary(
                    username=row.username,
                    display_name=row.display_name,
                    staff_no=row.staff_no,
                    role=Role(row.role),
                    locked=row.locked_until is not None and row.locked_until > now,
                    temporary=row.must_change_password,
                )
                for row in rows
                if reset_refusal(by, row.id, Role(row.role)) is None
            ]
        order = {Role.CLERK: 0, Role.SUPERVISOR: 1, Role.ADMIN: 2}
        return sorted(found, key=lambda a: (order[a.role], a.staff_no, a.username))

    def reset_password(
        self, username: str, temporary_password: str, *, by: SessionUser | None, by_password: str | None = None
    ) -> None:
        """Give ``username`` a temporary password, to be changed at the next login; it also ends a lock-out.

        ``by`` is the supervisor or admin doing it at the counter, in their own session, confirming with their own
        password ``by_password`` (checked like a login: a wrong one counts towards their lock-out); who may reset
        whom is :func:`reset_refusal`.  None is IT on the command line, with the machine's own access.

        Raises:
            NotAllowedError: ``by`` may not reset this account, or gave no password of their own.
            AuthError: ``by_password`` is not ``by``'s password (or ``by`` is locked out).
            NotFoundError: no such active account.
            ValidationError: the temporary password is too short (``field="password"``).
        """
        if by is not None:
            require(by, Permission.RESET_PASSWORDS)
        new_hash = hash_password(temporary_password)
        if by is not None:
            by = self._confirmed(by, by_password)
        with self.db.write() as session:
            row = session.scalar(select(User).where(User.username == username.strip().lower()))
            if row is None or not row.active:
                raise NotFoundError(msg("accounts", "没有名为“{name}”的在用账号。").bind(name=username.strip()))
            refusal = reset_refusal(by, row.id, Role(row.role)) if by is not None else None
            if refusal is not None:
                raise NotAllowedError(refusal)
            row.password_hash = new_hash
            row.must_change_password = True
            row.failed_attempts = 0
            row.locked_until = None
            _user_event(
                session,
                action="user.password_reset",
                subject=row.id,
                workstation_code=self.workstation_code,
                by=by.id if by is not None else None,
                details={"username": row.username, "by": by.username if by is not None else "command line"},
            )

    def _confirmed(self, by: SessionUser, password: str | None) -> SessionUser:
        """``by`` as their account is now, once ``password`` is theirs (checked like a login: failures count)."""
        if password is None:
            raise NotAllowedError(msg("accounts", "重置密码须由本人输入自己的密码确认。"))
        confirmed = self.login(by.username, password)
        if confirmed.id != by.id:
            raise NotAllowedError(msg("accounts", "重置密码须由本人输入自己的密码确认。"))
        require(confirmed, Permission.RESET_PASSWORDS)
        return confirmed

    def has_users(self) -> bool:
        with self.db.read() as session:
            return has_users(session)

    def create_first_admin(self, *, username: str, display_name: str, staff_no: str, password: str) -> SessionUser:
        """The first account of an empty store, an admin, made at the first start of the counter (ui/firstrun.py).

        The same rules as ``yimen user add --role admin`` on an empty store (:func:`create_user`); the password is
        the admin's own (typed twice at the counter), so it is not a temporary one.

        Raises:
            NotAllowedError: the store has an account already (the first admin is made once; later ones by an
                admin).
            ValidationError: an empty display name or staff number, the user name empty, or the password too short.
        """
        for value, field_name, text in (
            (display_name, "display_name", msg("accounts", "请填写姓名。")),
            (staff_no, "staff_no", msg("accounts", "请填写工号。")),
        ):
            if not value.strip():
                raise ValidationError(text, field=field_name)
        with self.db.write() as session:
            if has_users(session):
                raise NotAllowedError(msg("accounts", "本工位已有账号，第一个系统管理员已经创建。请用已有账号登录。"))
            return create_user(
                session,
                username=username,
                display_name=display_name,
                staff_no=staff_no,
                role=Role.ADMIN,
                password=password,
                workstation_code=self.workstation_code,
            )


def _user_event(
    session: Session,
    *,
    action: str,
    subject: uuid.UUID | None,
    workstation_code: str,
    by: uuid.UUID | None,
    details: Mapping[str, object] | None = None,
) -> None:
    """Audit something that happened to an account (``subject``), done by ``by`` (None: nobody logged in)."""
    audit.record(
        session,
        action=action,
        entity_type="user",
        entity_id=subject,
        workstation_code=workstation_code,
        user_id=by,
        details=dict(details or {}),
    )
