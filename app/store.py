"""The workstation's database as the core uses it: every database failure becomes a message for the clerk.

:class:`db.engine.Database` knows SQLite, not people.  :class:`Store` wraps its sessions so that whatever a use
case writes or reads — an intake decision, a 更正, a pulled page, a login's failure count — a full disk, a
read-only folder, a lock held too long or a damaged file ends as a :class:`~app.errors.StorageError` with one
Chinese sentence saying what to do, never as a crash dialog (STYLE.md: qutebrowser's KnownError/BugError split).
The transaction is rolled back first, so nothing half-written is kept.  Constraint violations
(``IntegrityError``) are not translated: they are bugs, and the crash dialog is their place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pydantic
from sqlalchemy import Connection
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from app.errors import ValidationError, storage_error_from
from app.i18n import msg
from db.engine import Database

log = logging.getLogger("yimen.store")

#: ``session.info`` key under which app/security/audit.py leaves the highest audit position it wrote.
AUDIT_SEQ_KEY = "yimen_audit_seq"


def is_storage_failure(exc: BaseException) -> bool:
    """Whether a database exception is the store failing (disk, lock, permissions, damage), not a bug."""
    # OperationalError: full, locked, read-only, I/O.  A bare DatabaseError: "file is not a database", malformed.
    return isinstance(exc, OperationalError) or type(exc) is DatabaseError


class Store(Database):
    """:class:`Database` whose sessions raise :class:`~app.errors.StorageError` for a failing store.

    After a write transaction that appended audit events commits, the ``after_commit`` hooks get the highest audit
    position written (app/integrity.py keeps the vault's marker in step this way).
    """

    def __init__(self, path: Path, key: bytes, *, info: dict[str, Any] | None = None) -> None:
        super().__init__(path, key, info=info)
        self._after_commit: list[Callable[[int], None]] = []
        self._on_close: list[Callable[[], None]] = []
        #: The store's identity once app/integrity.py checked it (None for a store opened without the checks).
        self.identity: Any = None
        #: What keeps the vault's marker in step with this store (app/integrity.py ``StoreGuard``; None without).
        self.guard: Any = None

    def after_commit(self, hook: Callable[[int], None]) -> None:
        self._after_commit.append(hook)

    def on_close(self, hook: Callable[[], None]) -> None:
        self._on_close.append(hook)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with _translated(), _unsendable(), super().write() as session:
            yield session
        seq = session.info.pop(AUDIT_SEQ_KEY, None)
        if seq is not None:
            for hook in self._after_commit:
                hook(seq)

    def dispose(self) -> None:
        super().dispose()
        hooks, self._on_close = self._on_close, []
        for hook in hooks:
            hook()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with _translated(), super().read() as session:
            yield session

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        with _translated(), super().read_connection() as conn:
            yield conn


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except DatabaseError as exc:
        if not is_storage_failure(exc):
            raise
        raise storage_error_from(exc) from exc


@contextmanager
def _unsendable() -> Iterator[None]:
    """The last fence of "a value the server cannot store": a change whose event the wire format refuses (a value
    past app/limits.py that no check caught) is rolled back with a sentence for the clerk, never queued and never a
    crash.  The checks in app/intake and app/texts name such values first, beside their input."""
    try:
        yield
    except pydantic.ValidationError as exc:
        where = "、".join(sorted({".".join(str(p) for p in e.get("loc", ())) or "?" for e in exc.errors()}))
        log.warning("a change was refused by the wire format at %s (nothing stored)", where)  # locations, no values
        raise ValidationError(
            msg(
                "errors",
                "所填内容超出可保存和上传的范围，记录没有保存。请检查较长或含特殊字符的内容后重试；如反复出现请通知信息员。",
            )
        ) from None
