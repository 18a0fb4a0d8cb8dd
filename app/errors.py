"""Expected failures: a stable code and one Chinese sentence that says what happened and what to do.

Anything that is not a :class:`YimenError` is a bug: it goes to the log and the crash dialog, never to a clerk as
a raw exception (STYLE.md §5, after qutebrowser's KnownError/BugError split).
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import ClassVar

from app.i18n import Message, msg


class YimenError(Exception):
    """Root of every expected failure.

    Attributes:
        code: stable machine-readable code (used in logs, tests and the CLI's JSON).
        message: the sentence for people.
    """

    code: ClassVar[str] = "error"

    def __init__(self, message: Message) -> None:
        super().__init__(message.render())
        self.message = message


class ValidationError(YimenError):
    """Input a person typed (or a file IT wrote) does not meet a rule."""

    code = "invalid"

    def __init__(
        self,
        message: Message,
        *,
        field: str | None = None,
        party_index: int | None = None,
        material_key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.party_index = party_index
        self.material_key = material_key


class ConfigError(YimenError):
    """The deployment file or a setting is missing or wrong; names the file, the key and what is expected."""

    code = "config"


class CatalogError(YimenError):
    """A catalog file is broken; names the file, the line and the problem."""

    code = "catalog"


class StorageError(YimenError):
    """The database cannot be used (locked, full disk, corrupt, read-only)."""

    code = "storage"


class StorageFullError(StorageError):
    code = "storage_full"


class StorageLockedError(StorageError):
    code = "storage_locked"


class SchemaTooNewError(StorageError):
    """The database was written by a newer Yimen than this one."""

    code = "schema_too_new"


class AuthError(YimenError):
    """Login failed, the account is locked, or a supervisor's approval was refused."""

    code = "auth"


class NotAllowedError(YimenError):
    """The action is not allowed for this record or this user in its current state."""

    code = "not_allowed"


class NotFoundError(YimenError):
    code = "not_found"


class PrinterError(YimenError):
    """No printer, an unknown printer, or one that failed (offline, out of paper): the stored document is
    untouched and can be printed again."""

    code = "printer"


def storage_error_from(exc: BaseException) -> StorageError:
    """Classify a database exception into the storage error a clerk can act on."""
    text = str(exc).lower()
    if "database or disk is full" in text or "no space left" in text or "disk i/o error" in text:
        return StorageFullError(
            msg("errors", "磁盘空间已满，记录没有保存。请通知信息员清理磁盘后重试，已保存的记录不受影响。")
        )
    if "database is locked" in text or "busy" in text:
        return StorageLockedError(msg("errors", "数据库正被其他程序占用，请稍后重试；如持续出现请通知信息员。"))
    if "file is not a database" in text or "malformed" in text:
        return StorageError(
            msg("errors", "数据库文件已损坏，不能继续使用。请停止在本机受理，通知信息员从备份恢复，不要删除该文件。")
        )
    if "unable to open database file" in text:
        return StorageError(msg("errors", "无法打开数据库文件。请通知信息员检查数据文件夹的权限，以及磁盘是否只读。"))
    if "readonly" in text or "read-only" in text:
        return StorageError(msg("errors", "数据文件夹只读，记录没有保存。请通知信息员检查数据文件夹的权限。"))
    return StorageError(msg("errors", "数据库出错，记录没有保存。请重试；如持续出现请通知信息员。"))


def folder_error(folder: Path, exc: OSError) -> StorageError:
    """The data folder cannot be used: say which folder, what is wrong with it and who fixes it."""
    where = str(folder)
    if exc.errno == errno.ENOSPC:
        return StorageFullError(
            msg("errors", "数据文件夹 {path} 所在磁盘已满。请通知信息员清理磁盘后重试，已保存的记录不受影响。").bind(
                path=where
            )
        )
    if exc.errno == errno.EROFS:
        return StorageError(
            msg("errors", "数据文件夹 {path} 所在磁盘为只读，无法保存记录。请通知信息员检查磁盘。").bind(path=where)
        )
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return StorageError(
            msg(
                "errors",
                "数据文件夹 {path} 的位置上是一个文件，不是文件夹。请通知信息员检查部署设置中的数据文件夹，"
                "不要删除该文件。",
            ).bind(path=where)
        )
    if isinstance(exc, PermissionError):
        return StorageError(
            msg(
                "errors", "没有权限使用数据文件夹 {path}。请通知信息员检查该文件夹的权限（本机用户须属于 yimen 组）。"
            ).bind(path=where)
        )
    return StorageError(msg("errors", "无法使用数据文件夹 {path}。请通知信息员检查该文件夹和磁盘。").bind(path=where))


class SyncError(YimenError):
    """The central server could not be reached or refused the workstation; nothing local changed."""

    code = "sync"


class SyncTransientError(SyncError):
    """The server could not be reached or answered something unusable: the whole batch is retried later."""

    code = "sync_transient"

    @classmethod
    def unreadable(cls) -> SyncTransientError:
        """An answer that is not the protocol's (a captive portal, a proxy's page, a broken feed page)."""
        return cls(msg("sync", "中心服务器的应答无法识别，稍后自动重试。"))


class SyncBusyError(SyncTransientError):
    """The server (or a proxy in front of it) is busy: 503 or 429, usually with ``Retry-After``.  Nothing was
    processed; the same request goes again after at least ``retry_after`` seconds, plus jitter
    (docs/sync-protocol.md "When the server is busy").  Not an error the clerk is shown."""

    code = "sync_busy"

    def __init__(self, message: Message, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SyncRefusedError(SyncError):
    """The server refused a request as a whole (a 4xx other than authentication)."""

    code = "sync_refused"

    def __init__(self, message: Message, status: int) -> None:
        super().__init__(message)
        self.status = status


class RecordsWindowClosedError(SyncRefusedError):
    """The server reads a workstation's records back only soon after a fresh enrollment (docs/sync-protocol.md
    "Recovery"): a recovery needs a one-time code (``yimen recover --from-server --code``)."""

    code = "records_window_closed"


class NotEnrolledError(SyncError):
    """This workstation has no device credential: it must be enrolled first."""

    code = "not_enrolled"


class DeviceRevokedError(SyncError):
    """The server revoked this workstation's credential: sync stops until IT enrolls it again."""

    code = "device_revoked"


class ClientTooOldError(SyncError):
    """The server refuses this workstation's version (below its minimum): sync waits, the outbox untouched, until IT
    installs a newer version (docs/sync-protocol.md "Client versions")."""

    code = "client_too_old"


class CredentialStoreError(YimenError):
    """The OS keyring cannot keep the device credential (none installed, locked, or refused)."""

    code = "credential_store"


class VaultError(StorageError):
    """The machine vault (app/security/vault.py) cannot be read or written, or holds a damaged key."""

    code = "vault"


class StoreRefusedError(StorageError):
    """The store on disk is not the one this workstation had (lost, emptied, rolled back, another machine's):
    refused instead of silently replaced; the message names the way back (yimen restore / recover)."""

    code = "store_refused"
