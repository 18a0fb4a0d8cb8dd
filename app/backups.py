"""Backups of the store: encrypted, sealed to IT's recovery key, verified after writing, bounded (docs/security.md
"Backups").

A backup is two files in ``<data>/backups``:

- ``yimen-<UTC stamp>-<reason>.ybak``: a compacted SQLCipher copy of the store under a fresh random key, made with
  ``sqlcipher_export`` in one snapshot and read back (``integrity_check``, the same row counts) before it counts;
- ``….ybak.key``: that key and what the backup is (centre, workstation, store id, series, schema revision, row
  counts, SHA-256 of the copy), in an age envelope sealed to *this machine's* identity (vault) and to the
  deployment's ``backup.recovery_public_key``.  IT keeps the private half of that key offline, so a machine
  whose vault is lost never loses its data, and no secret sits in a configuration file.

Backups are written before every migration and once a day (:func:`backup_if_due`), and kept by count and total
size: the newest always stays.  ``yimen restore`` (app/integrity.py) refuses a backup of another centre or
workstation.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import StorageError
from app.i18n import msg
from app.security import crypto
from app.security.vault import Vault
from db.engine import WrongKeyError, export_copy, share_file

log = logging.getLogger("yimen.backups")

BACKUP_DIR_NAME = "backups"
SUFFIX = ".ybak"
KEY_SUFFIX = ".ybak.key"
FORMAT = 1
KEEP_COUNT = 10
#: ``backup.max_total_mb``'s default: ten daily copies of a pruned busy store (a backup is a compacted copy, 235 MB
#: after a year of 48 applications a day: docs/performance.md "A store that stays small (issue 16)") fit with room;
#: a store the server has not acknowledged for months (nothing pruned, 1.2 GB a year) keeps two.
#: The newest always stays, whatever its size.
KEEP_BYTES = 3 * 1024**3
DAY = dt.timedelta(hours=24)


@dataclass(frozen=True)
class BackupInfo:
    """What a backup's envelope says about it."""

    path: Path
    key: bytes
    center_code: str
    workstation_code: str
    store_id: str
    series: int
    revision: str | None
    created_at: dt.datetime
    reason: str
    counts: dict[str, int]
    sha256: str


@dataclass(frozen=True)
class StoreFacts:
    """The identity written into a backup's envelope."""

    center_code: str
    workstation_code: str
    store_id: str
    series: int
    revision: str | None


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / BACKUP_DIR_NAME


def write_backup(
    db_path: Path,
    store_key: bytes | None,
    vault: Vault,
    facts: StoreFacts,
    *,
    recovery_recipients: list[str],
    reason: str,
    now: dt.datetime | None = None,
    keep_count: int = KEEP_COUNT,
    keep_bytes: int = KEEP_BYTES,
    folder: Path | None = None,
) -> Path:
    """Write, verify and seal one backup of the store at ``db_path`` (under ``store_key``; ``None``: a plain file
    of an earlier version); prune old ones; return the copy's path.

    Raises:
        StorageError: the backup could not be written or did not verify (the store itself is untouched).
    """
    now = now or dt.datetime.now(dt.UTC)
    folder = folder or backup_folder(db_path)
    name = f"yimen-{now.strftime('%Y%m%dT%H%M%S%fZ')}-{reason}"
    target = folder / (name + SUFFIX)
    key = crypto.new_key()
    try:
        counts = export_copy(db_path, store_key, target, key)
        envelope = {
            "format": FORMAT,
            "key": key.hex(),
            "center_code": facts.center_code,
            "workstation_code": facts.workstation_code,
            "store_id": facts.store_id,
            "series": facts.series,
            "revision": facts.revision,
            "created_at": now.isoformat(),
            "reason": reason,
            "counts": counts,
            "sha256": crypto.file_digest(target),
        }
        recipients = [crypto.recipient_of(vault.identity()), *recovery_recipients]
        sealed = crypto.seal_to(recipients, json.dumps(envelope, sort_keys=True).encode("utf-8"))
        key_file = folder / (name + KEY_SUFFIX)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o660)
        with os.fdopen(fd, "wb") as handle:
            handle.write(sealed)
            handle.flush()
            os.fsync(handle.fileno())
        share_file(key_file)  # sealed; the group's other accounts restore and prune too
        # Read the envelope back as a restore would: it opens with this machine's identity, names these bytes
        # (SHA-256) and holds the key export_copy already verified the copy under (integrity_check, row counts).
        check = open_backup(target, [vault.identity()])
        if check.key != key:
            raise WrongKeyError("the sealed key is not the copy's")
    except (OSError, WrongKeyError, crypto.CryptoError) as exc:
        for leftover in (target, folder / (name + KEY_SUFFIX)):
            with contextlib.suppress(OSError):  # a read-only or full folder: nothing was left there anyway
                leftover.unlink(missing_ok=True)
        raise StorageError(
            msg(
                "backups",
                "备份未能写入或核验失败（{reason}），数据库本身未受影响。请信息员检查 {folder} 的磁盘空间和权限。",
            ).bind(reason=str(exc)[:120], folder=str(folder))
        ) from exc
    prune(folder, keep_count=keep_count, keep_bytes=keep_bytes)
    log.info("backup written: %s (%s)", target.name, reason)
    return target


def open_backup(path: Path, identities: list[str]) -> BackupInfo:
    """Open a backup's envelope with one of ``identities`` (this machine's, or IT's recovery identity).

    Raises:
        StorageError: no envelope beside the file, it does not open with these identities, or the copy's
            SHA-256 differs from the one sealed with it.
    """
    key_file = path.with_name(path.name[: -len(SUFFIX)] + KEY_SUFFIX) if path.name.endswith(SUFFIX) else None
    if key_file is None or not key_file.is_file() or not path.is_file():
        raise StorageError(
            msg("backups", "{path} 不是一门式受理台的备份（应为 .ybak 文件，旁边有同名的 .ybak.key）。").bind(
                path=str(path)
            )
        )
    try:
        data: dict[str, Any] = json.loads(crypto.open_with(identities, key_file.read_bytes()))
        info = BackupInfo(
            path=path,
            key=bytes.fromhex(data["key"]),
            center_code=str(data["center_code"]),
            workstation_code=str(data["workstation_code"]),
            store_id=str(data["store_id"]),
            series=int(data["series"]),
            revision=data.get("revision"),
            created_at=dt.datetime.fromisoformat(data["created_at"]),
            reason=str(data.get("reason", "")),
            counts={str(k): int(v) for k, v in dict(data.get("counts", {})).items()},
            sha256=str(data["sha256"]),
        )
    except crypto.CryptoError:
        raise StorageError(
            msg(
                "backups",
                "备份 {path} 无法用本机密钥打开：它属于另一台工作站，或本机密钥已更换。"
                "请信息员用恢复私钥恢复（yimen restore --identity 私钥文件）。",
            ).bind(path=str(path))
        ) from None
    except (OSError, ValueError, KeyError, TypeError):
        raise StorageError(msg("backups", "备份 {path} 的密钥文件已损坏，无法使用。").bind(path=str(path))) from None
    if crypto.file_digest(path) != info.sha256:
        raise StorageError(msg("backups", "备份 {path} 在写入后被改动或损坏，不能用于恢复。").bind(path=str(path)))
    return info


def list_backups(folder: Path) -> list[Path]:
    """The backups in ``folder``, oldest first (by the stamp in the name)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("yimen-*" + SUFFIX) if p.is_file())


def newest_backup_time(folder: Path) -> dt.datetime | None:
    found = list_backups(folder)
    if not found:
        return None
    stamp = found[-1].name.split("-")[1]
    try:
        return dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def prune(folder: Path, *, keep_count: int = KEEP_COUNT, keep_bytes: int = KEEP_BYTES) -> list[Path]:
    """Remove the oldest backups beyond ``keep_count`` or ``keep_bytes`` in all; the newest always stays."""
    found = list_backups(folder)
    removed: list[Path] = []
    total = sum(_size(p) for p in found)
    while len(found) > 1 and (len(found) > keep_count or total > keep_bytes):
        old = found.pop(0)
        total -= _size(old)
        for part in (old, old.with_name(old.name[: -len(SUFFIX)] + KEY_SUFFIX)):
            part.unlink(missing_ok=True)
        removed.append(old)
    return removed


def _size(path: Path) -> int:
    key_file = path.with_name(path.name[: -len(SUFFIX)] + KEY_SUFFIX)
    return sum(p.stat().st_size for p in (path, key_file) if p.exists())
