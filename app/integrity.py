"""The store never lies about itself (docs/security.md "The store never lies", docs/numbering.md "Series").

Opening the store (:func:`open_store`):

1. A plain SQLite store of an earlier version is encrypted in place (copy, verify, swap); its plain backups are
   re-made as sealed backups and the plain copies removed.
2. The file must open under this machine's key.  A file that does not (damaged, truncated, another machine's) is
   refused, never recreated.
3. ``PRAGMA quick_check`` runs when an earlier process did not close the store (its open-file tag is left in
   ``<data>/.open``) and once a day; not at every start, since a store can be gigabytes.
4. The store's identity (``store_meta``: store id, centre and workstation codes, numbering series) must be this
   workstation's, and must agree with the *marker* in the machine vault, which outlives the data folder: the
   marker holds the store id, the series and the highest audit position this machine has committed.  A missing,
   emptied, truncated, corrupt, replaced or rolled-back store of a workstation that has history is refused with
   the way back for IT: ``yimen restore FILE`` or ``yimen recover --from-server``.
5. Migrations run after a verified, sealed backup (app/backups.py).

A restore or recovery continues under a *new numbering series* (a letter in every number issued afterwards), so
a number printed after the last backup is never issued again (docs/numbering.md).

``yimen recover --from-server`` (:func:`recover`; app/recovery.py fetches and rebuilds) builds the new store beside
the data folder's (``yimen.sqlite3.recovering``) and puts it in place only once it is complete: the present store is
moved aside, never deleted, the new one gets its series and marker (:func:`start_new_series`) and must then open like
any start opens a store.  ``open_store`` itself has no way around its checks.  A store that has issued no number yet
continues above the series the server has seen of its workstation code (:func:`continue_above`, at enrollment).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from app import backups
from app.config import Deployment
from app.errors import SchemaTooNewError, StorageError, StoreRefusedError, folder_error, storage_error_from
from app.i18n import Message, msg
from app.intake.numbering import MAX_SERIES
from app.security import crypto
from app.security.vault import Vault
from app.store import Store, is_storage_failure
from db import migrate
from db.engine import (
    Database,
    WrongKeyError,
    encrypt_in_place,
    export_copy,
    is_plain_sqlite,
    prepare_data_dir,
    share_folder,
    share_with_group,
)
from db.models import Application, AuditEvent, NumberCounter, OutboxEntry, OutboxState, StoreMeta

log = logging.getLogger("yimen.integrity")

MARKER_PREFIX = "store-marker-"
OPEN_TAGS = ".open"
CHECK_EVERY = dt.timedelta(hours=24)


@dataclass(frozen=True)
class Identity:
    store_id: str
    center_code: str
    workstation_code: str
    series: int


@dataclass(frozen=True)
class Marker:
    """What the vault knows of the store: it outlives a lost, emptied or rolled-back data folder."""

    store_id: str
    center_code: str
    workstation_code: str
    series: int
    audit_seq: int

    def to_json(self, mac_key: bytes) -> dict[str, Any]:
        body = {k: v for k, v in self.__dict__.items()}
        return {**body, "mac": crypto.mac(mac_key, _canonical(body))}

    @classmethod
    def from_json(cls, data: dict[str, Any], mac_key: bytes) -> Marker | None:
        body = {k: v for k, v in data.items() if k != "mac"}
        if not crypto.mac_matches(mac_key, _canonical(body), str(data.get("mac", ""))):
            return None
        try:
            return cls(
                store_id=str(body["store_id"]),
                center_code=str(body["center_code"]),
                workstation_code=str(body["workstation_code"]),
                series=int(body["series"]),
                audit_seq=int(body["audit_seq"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _canonical(body: dict[str, Any]) -> bytes:
    import json

    return json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")


class StoreGuard:
    """Keeps the marker in step with the store after every commit that wrote audit events."""

    def __init__(self, vault: Vault, path: Path, identity: Identity, audit_seq: int, mac_key: bytes) -> None:
        self.vault = vault
        self.path = path
        self.identity = identity
        self.audit_seq = audit_seq
        self.mac_key = mac_key

    def marker(self) -> Marker:
        i = self.identity
        return Marker(i.store_id, i.center_code, i.workstation_code, i.series, self.audit_seq)

    def committed(self, audit_seq: int) -> None:
        if audit_seq <= self.audit_seq:
            return
        self.audit_seq = audit_seq
        try:
            write_marker(self.vault, self.path, self.marker(), self.mac_key)
        except StorageError as exc:  # the rows are committed; the next start repairs the marker from the store
            log.warning("the store marker could not be updated: %s", exc.message.render())


# -- opening ---------------------------------------------------------------------------------------------------
def open_store(data_dir: Path, deployment: Deployment, vault: Vault) -> tuple[Store, migrate.MigrationReport]:
    """Open (create, encrypt, check, upgrade) this workstation's store.

    Raises:
        StoreRefusedError: the store is not the one this workstation had (lost, emptied, rolled back, damaged,
            another workstation's); the message names the way back.
        VaultError: the machine vault cannot be used.
        StorageError / SchemaTooNewError: the folder or file cannot be used.
    """
    try:
        path = prepare_data_dir(data_dir)
    except OSError as exc:
        raise folder_error(data_dir, exc) from exc
    store_key = vault.key("store.key")
    audit_key = vault.key("audit.key")
    try:
        share_folder(data_dir / OPEN_TAGS)
        lock = _exclusive(data_dir / OPEN_TAGS / "opening.lock")
        lock.__enter__()
    except OSError as exc:
        raise folder_error(data_dir, exc) from exc
    # Two processes starting together (the window and a scheduled command) open one after the other: the
    # encryption of a plain store, the checks and a migration run once, and the second finds them done.
    try:
        marker = read_marker(vault, path, audit_key)
        exists = path.exists() and path.stat().st_size > 0
        if not exists and marker is not None and marker.audit_seq > 0:
            raise _lost(path, "missing" if not path.exists() else "empty")
        if exists and is_plain_sqlite(path):
            _encrypt_legacy(path, store_key, vault, deployment)
        if exists:
            try:  # before any writable connection: a refused store keeps its files as they are
                migrate.check_not_newer(path, store_key)
            except migrate.SchemaTooNewError as exc:
                raise _too_new(path, exc) from None
        unclean = _tag_open(data_dir)
        db = Store(path, store_key, info={"audit_key": audit_key})
        try:
            report = _open_checked(db, path, deployment, vault, marker, audit_key, unclean=unclean)
        except BaseException:
            db.dispose()
            _untag_open(data_dir)
            raise
    finally:
        lock.__exit__(None, None, None)
    share_with_group(path)
    db.on_close(lambda: _untag_open(data_dir))
    return db, report


def _open_checked(
    db: Store,
    path: Path,
    deployment: Deployment,
    vault: Vault,
    marker: Marker | None,
    audit_key: bytes,
    *,
    unclean: bool,
) -> migrate.MigrationReport:
    try:
        with Database.read_connection(db) as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except DatabaseError as exc:
        if _is_damage(exc):
            raise _damaged(path, marker) from None
        if not is_storage_failure(exc):
            raise
        raise storage_error_from(exc) from exc
    identity = _read_identity_raw(db)
    checking = unclean or _check_due(db)
    if checking:
        _quick_check(db, path, marker)

    def backup(revision: str) -> Path:
        facts = backups.StoreFacts(
            center_code=identity.center_code if identity else deployment.center_code,
            workstation_code=identity.workstation_code if identity else deployment.workstation_code,
            store_id=identity.store_id if identity else "",
            series=identity.series if identity else 1,
            revision=revision,
        )
        return backups.write_backup(
            path,
            db.key,
            vault,
            facts,
            recovery_recipients=recovery_recipients(deployment),
            reason="migration",
            keep_count=deployment.backup_keep,
            keep_bytes=deployment.backup_max_total_mb * 1024 * 1024,
        )

    try:
        report = migrate.upgrade(db.engine, path, backup=backup)
    except DatabaseError as exc:
        if not is_storage_failure(exc):
            raise
        if _is_damage(exc):  # a damaged page the first reads did not touch: the same refusal, with the way back
            raise _damaged(path, marker) from None
        raise storage_error_from(exc) from exc
    except migrate.MigrationFailedError as exc:
        raise _migration_failed(db, path, vault, exc) from exc.__cause__
    except migrate.SchemaTooNewError as exc:
        raise _too_new(path, exc) from None
    except OSError as exc:
        raise folder_error(path.parent, exc) from exc
    with db.write() as session:
        audit_seq = int(session.scalar(select(func.coalesce(func.max(AuditEvent.seq), 0))) or 0)
        identity = read_identity(session)
        if identity is None:
            if marker is not None and marker.audit_seq > 0:
                # A store without identity but with history in the vault: a fresh file put in the old one's place.
                raise _lost(path, "replaced")
            identity = Identity(str(uuid.uuid4()), deployment.center_code, deployment.workstation_code, 1)
            write_identity(session, identity)
            log.info("store identity created (series %d)", identity.series)
        _check_identity(path, identity, deployment, marker, audit_seq)
        if checking:
            set_meta(session, "checked_at", dt.datetime.now(dt.UTC).isoformat())
    guard = StoreGuard(vault, path, identity, audit_seq, audit_key)
    if marker != guard.marker():
        write_marker(vault, path, guard.marker(), audit_key)
    db.after_commit(guard.committed)
    db.identity = identity
    db.guard = guard
    return report


def _too_new(path: Path, exc: migrate.SchemaTooNewError) -> SchemaTooNewError:
    return SchemaTooNewError(
        msg(
            "bootstrap",
            "数据库 {path} 由更新版本的一门式受理台创建（结构版本 {rev}），本程序不能打开它。"
            "请信息员安装最新版本，数据未做任何改动。",
        ).bind(path=str(path), rev=exc.revision)
    )


def _migration_failed(db: Store, path: Path, vault: Vault, failure: migrate.MigrationFailedError) -> StorageError:
    """What a failed upgrade says, once the store is as before (docs/operations-workstation.md "Upgrades: what happens
    to the store").

    The migration ran in one transaction, rolled back: the file reads as before (its revision and schema).  When it
    does not (something was committed behind the transaction), the backup written just before is put back in its
    place and the file moved aside.  Either way the clerk's sentence says the data is unchanged and where the backup
    is; a full disk or a damaged page keeps its own sentence.
    """
    cause = failure.__cause__
    log.error(
        "migration %s -> %s failed (%s); store unchanged: %s; backup: %s",
        failure.from_revision,
        failure.target,
        type(cause).__name__ if cause is not None else "?",
        failure.unchanged,
        failure.backup.name if failure.backup is not None else "none",
    )
    put_back = False
    if not failure.unchanged and failure.backup is not None:
        db.dispose()
        _put_back(path, db.key, vault, failure.backup)
        put_back = True
    if isinstance(cause, DatabaseError) and _machine_fault(cause):
        return storage_error_from(cause)  # a full disk, a lock, permissions: that sentence says what to do
    where = str(failure.backup) if failure.backup is not None else ""
    if put_back:
        text = msg(
            "integrity",
            "数据库结构升级（{old} → {new}）失败，已用升级前的备份 {backup} 恢复数据库 {path}，数据与升级前相同。"
            "请信息员重新安装原来的版本继续使用，并把日志交给技术支持。",
        )
    elif failure.backup is not None:
        text = msg(
            "integrity",
            "数据库结构升级（{old} → {new}）失败，已全部撤销：数据库 {path} 保持升级前的样子，数据未做任何改动。"
            "升级前的备份在 {backup}。请信息员重新安装原来的版本继续使用，并把日志交给技术支持。",
        )
    else:
        text = msg(
            "integrity",
            "新数据库 {path} 的结构创建（{new}）失败，已全部撤销。请信息员重新安装本程序，并把日志交给技术支持。",
        )
    return StorageError(text.bind(old=failure.from_revision or "", new=failure.target, path=str(path), backup=where))


def _machine_fault(exc: DatabaseError) -> bool:
    """A failure of the disk or the folder (full, locked, read-only), not of the migration's own statements."""
    text = str(exc).lower()
    faults = ("disk is full", "no space left", "disk i/o error", "database is locked", "busy", "readonly", "read-only")
    return is_storage_failure(exc) and any(fault in text for fault in (*faults, "unable to open database file"))


def _put_back(path: Path, store_key: bytes, vault: Vault, backup_path: Path) -> None:
    """The backup written before a failed migration, back in the store's place (the changed file moved aside)."""
    info = backups.open_backup(backup_path, [vault.identity()])
    incoming = path.with_name(path.name + ".restoring")
    _discard(incoming)
    export_copy(backup_path, info.key, incoming, store_key)
    aside = _move_aside(path)
    os.replace(incoming, path)
    log.info("store put back from the backup %s; the changed file moved to %s", backup_path.name, aside)


def _is_damage(exc: BaseException) -> bool:
    text = str(exc)
    return "not a database" in text or "malformed" in text


@contextlib.contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """An exclusive lock on ``lock`` between processes (released when the file is closed, also by a crash)."""
    # flock needs no write access: any account of the group locks the file whoever made it.
    fd = os.open(lock, (os.O_RDONLY if os.name == "posix" else os.O_RDWR) | os.O_CREAT, 0o660)
    try:
        if os.name == "posix":
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        else:  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
        yield
    finally:
        os.close(fd)


def _not_this_workstation(
    text: Message, path: Path, theirs: tuple[str, str], deployment: Deployment
) -> StoreRefusedError:
    return StoreRefusedError(
        text.bind(
            path=str(path),
            center=theirs[0],
            ws=theirs[1],
            my_center=deployment.center_code,
            my_ws=deployment.workstation_code,
        )
    )


def _check_identity(
    path: Path, identity: Identity, deployment: Deployment, marker: Marker | None, audit_seq: int
) -> None:
    if (identity.center_code, identity.workstation_code) != (deployment.center_code, deployment.workstation_code):
        raise _not_this_workstation(
            msg(
                "integrity",
                "数据文件 {path} 属于受理中心 {center} 的 {ws} 号工作站，与本机部署设置（{my_center} / {my_ws}）不符，"
                "已拒绝打开，数据未做任何改动。请信息员核对部署设置和数据文件夹。",
            ),
            path,
            (identity.center_code, identity.workstation_code),
            deployment,
        )
    if marker is None:
        return
    if marker.store_id != identity.store_id:
        raise _lost(path, "replaced")
    if identity.series < marker.series or audit_seq < marker.audit_seq:
        raise _lost(path, "rolled_back", have=audit_seq, want=marker.audit_seq)


def _quick_check(db: Store, path: Path, marker: Marker | None) -> None:
    try:
        with Database.read_connection(db) as conn:
            rows = conn.exec_driver_sql("PRAGMA quick_check").fetchall()
    except DatabaseError as exc:
        if not is_storage_failure(exc):
            raise
        raise _damaged(path, marker) from None
    if [tuple(r) for r in rows] != [("ok",)]:
        log.error("quick_check found damage in the store (%d findings)", len(rows))
        raise _damaged(path, marker)


def _check_due(db: Store) -> bool:
    try:
        with Database.read_connection(db) as conn:
            found = conn.execute(text("SELECT value FROM store_meta WHERE key = 'checked_at'")).scalar()
    except (DatabaseError, StorageError):
        return True  # no store_meta yet: a store of an earlier version, checked once now
    if not found:
        return True
    try:
        return dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(found) > CHECK_EVERY
    except ValueError:
        return True


# -- identity and marker -------------------------------------------------------------------------------------
def get_meta(session: Session, key: str) -> str | None:
    row = session.get(StoreMeta, key)
    return row.value if row is not None else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(StoreMeta, key)
    if row is None:
        session.add(StoreMeta(key=key, value=value))
    else:
        row.value = value
    session.flush()


def read_identity(session: Session) -> Identity | None:
    values = {row.key: row.value for row in session.scalars(select(StoreMeta))}
    try:
        return Identity(values["store_id"], values["center_code"], values["workstation_code"], int(values["series"]))
    except (KeyError, ValueError):
        return None


def _read_identity_raw(db: Store) -> Identity | None:
    try:
        with db.read() as session:
            return read_identity(session)
    except StorageError:
        return None


def write_identity(session: Session, identity: Identity) -> None:
    set_meta(session, "store_id", identity.store_id)
    set_meta(session, "center_code", identity.center_code)
    set_meta(session, "workstation_code", identity.workstation_code)
    set_meta(session, "series", str(identity.series))
    if get_meta(session, "created_at") is None:
        set_meta(session, "created_at", dt.datetime.now(dt.UTC).isoformat())


def current_series(session: Session) -> int:
    value = get_meta(session, "series")
    return int(value) if value and value.isdigit() else 1


def marker_name(path: Path) -> str:
    """The vault entry of the marker of the store at ``path``: one per data folder, so a machine that holds
    several (a test, a trainer's laptop) keeps them apart; IT's move of the data folder renames it."""
    return MARKER_PREFIX + crypto.digest(str(path.resolve()).encode("utf-8"))[:16] + ".json"


def read_marker(vault: Vault, path: Path, mac_key: bytes) -> Marker | None:
    data = vault.read_json(marker_name(path))
    if data is None:
        return None
    marker = Marker.from_json(data, mac_key)
    if marker is None:
        log.warning("the store marker in the vault does not verify; the store is checked without it")
    return marker


def write_marker(vault: Vault, path: Path, marker: Marker, mac_key: bytes) -> None:
    vault.write_json(marker_name(path), marker.to_json(mac_key))


def recovery_recipients(deployment: Deployment) -> list[str]:
    return [deployment.recovery_public_key] if deployment.recovery_public_key else []


# -- backups of the open store ---------------------------------------------------------------------------------
def backup_now(db: Store, deployment: Deployment, vault: Vault, *, only_if_due: bool = False) -> Path | None:
    """Write a verified, sealed backup of the open store (``only_if_due``: only when the newest is a day old)."""
    folder = backups.backup_folder(db.path)
    if only_if_due:
        newest = backups.newest_backup_time(folder)
        if newest is not None and dt.datetime.now(dt.UTC) - newest < backups.DAY:
            return None
    identity: Identity = db.identity
    facts = backups.StoreFacts(
        identity.center_code, identity.workstation_code, identity.store_id, identity.series, migrate.HEAD_REVISION
    )
    return backups.write_backup(
        db.path,
        db.key,
        vault,
        facts,
        recovery_recipients=recovery_recipients(deployment),
        reason="daily" if only_if_due else "manual",
        keep_count=deployment.backup_keep,
        keep_bytes=deployment.backup_max_total_mb * 1024 * 1024,
    )


# -- restore -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RestoreReport:
    backup: Path
    replaced: Path | None
    series: int
    counts: dict[str, int]


def restore(
    data_dir: Path,
    deployment: Deployment,
    vault: Vault,
    backup_path: Path,
    *,
    identities: list[str] = (),  # type: ignore[assignment]
) -> RestoreReport:
    """Put a backup in place of the store, under this machine's key, and start a new numbering series.

    The store that was there (damaged or not) is moved aside into ``<data>/replaced-<stamp>/``, never deleted.

    Raises:
        StorageError: the backup does not open, does not verify, or belongs to another centre or workstation.
    """
    info = backups.open_backup(backup_path, [vault.identity(), *identities])
    if (info.center_code, info.workstation_code) != (deployment.center_code, deployment.workstation_code):
        raise _not_this_workstation(
            msg(
                "integrity",
                "备份 {path} 属于受理中心 {center} 的 {ws} 号工作站，不是本机（{my_center} / {my_ws}）的备份，"
                "不能恢复到本机。",
            ),
            backup_path,
            (info.center_code, info.workstation_code),
            deployment,
        )
    path = prepare_data_dir(data_dir)
    store_key = vault.key("store.key")
    audit_key = vault.key("audit.key")
    marker = read_marker(vault, path, audit_key)
    incoming = path.with_name(path.name + ".restoring")
    counts = export_copy(backup_path, info.key, incoming, store_key)
    replaced = _move_aside(path)
    os.replace(incoming, path)
    series = max(info.series, marker.series if marker else 1) + 1
    _start_series(
        path, store_key, audit_key, vault, series, info.store_id or str(uuid.uuid4()), deployment, backup_path
    )
    log.info("store restored from %s; numbering continues in series %d", backup_path.name, series)
    return RestoreReport(backup_path, replaced, series, counts)


def start_new_series(
    path: Path, store_key: bytes, audit_key: bytes, vault: Vault, deployment: Deployment, *, at_least: int
) -> int:
    """Give a store built anew (recovered from the server) its identity in a series after ``at_least``."""
    marker = read_marker(vault, path, audit_key)
    series = max(at_least, marker.series if marker else 1) + 1
    _start_series(path, store_key, audit_key, vault, series, str(uuid.uuid4()), deployment, path)
    return series


def _start_series(
    path: Path,
    store_key: bytes,
    audit_key: bytes,
    vault: Vault,
    series: int,
    store_id: str,
    deployment: Deployment,
    way_back: Path,
) -> None:
    _check_series(series)
    db = Store(path, store_key, info={"audit_key": audit_key})
    try:
        # A backup of an earlier schema is migrated here; the backup file itself, untouched, is the way back.
        migrate.upgrade(db.engine, path, backup=lambda revision: way_back)
        with db.write() as session:
            identity = Identity(store_id, deployment.center_code, deployment.workstation_code, series)
            write_identity(session, identity)
            set_meta(session, "checked_at", dt.datetime.now(dt.UTC).isoformat())
            audit_seq = int(session.scalar(select(func.coalesce(func.max(AuditEvent.seq), 0))) or 0)
    finally:
        db.dispose()
    marker = Marker(store_id, deployment.center_code, deployment.workstation_code, series, audit_seq)
    write_marker(vault, path, marker, audit_key)


def _check_series(series: int) -> None:
    if series > MAX_SERIES:
        raise StoreRefusedError(
            msg(
                "integrity",
                "本工作站的编号批次已用完（已恢复 {n} 次）。请信息员为本机申请新的工作站编号并重新注册后再恢复。",
            ).bind(n=series - 1)
        )


def has_numbers(session: Session) -> bool:
    """Whether the store has issued any number (a counter moves only inside the transaction that keeps its number)."""
    return session.scalar(select(NumberCounter.scope).limit(1)) is not None


def continue_above(db: Store, vault: Vault, *, seen: int) -> int | None:
    """Continue above ``seen``, the highest numbering series the server holds numbers of for this workstation code,
    if this store has issued no number yet: a new disk with a lost vault (whose marker went with it) then never
    issues a number the lost store printed.  Audited (``store.series_continued``, no personal data), the marker
    follows.  Returns the new series, or None when nothing changed (the store has numbers of its own, or is above).

    Raises:
        StoreRefusedError: no series is left (IT gives the machine a new workstation code).
    """
    identity: Identity | None = db.identity
    if identity is None:
        return None
    with db.write() as session:
        current = current_series(session)
        if has_numbers(session) or current > seen:
            return None
        series = seen + 1
        _check_series(series)
        set_meta(session, "series", str(series))
        from app.security import audit

        audit.record(
            session,
            action="store.series_continued",
            entity_type="store",
            entity_id=identity.store_id,
            workstation_code=identity.workstation_code,
            user_id=None,
            details={"from_series": current, "series": series, "server_series": seen, "why": "enrollment"},
        )
        audit_seq = int(session.scalar(select(func.coalesce(func.max(AuditEvent.seq), 0))) or 0)
    db.identity = replace(identity, series=series)
    guard: StoreGuard | None = db.guard
    if guard is not None:
        guard.identity = db.identity
        guard.audit_seq = max(guard.audit_seq, audit_seq)
        write_marker(vault, db.path, guard.marker(), guard.mac_key)
    return series


# -- recovery from the server ----------------------------------------------------------------------------------
RECOVERING_SUFFIX = ".recovering"


@dataclass(frozen=True)
class PresentStore:
    """The store in the data folder before a recovery, when it opened."""

    applications: int
    numbered: bool
    #: Events not yet acknowledged by the server: they stay in the moved-aside file.
    unsent: int
    series: int

    @property
    def has_history(self) -> bool:
        return self.applications > 0 or self.numbered or self.unsent > 0


class Recovery:
    """The store being rebuilt (``db``, beside the data folder's), handed to the rebuild of :func:`recover`."""

    def __init__(self, db: Store, present: PresentStore | None, floor: int) -> None:
        self.db = db
        self.present = present
        self.floor = floor
        self.series: int | None = None

    def next_series(self, highest_seen: int) -> int:
        """Choose the new store's series: above ``highest_seen`` (the recovered numbers' highest) and above every
        series this workstation's marker or present store knew.

        Raises:
            StoreRefusedError: no series is left.
        """
        series = max(highest_seen, self.floor) + 1
        _check_series(series)
        self.series = series
        return series


@dataclass(frozen=True)
class RecoverReport:
    replaced: Path | None
    series: int
    present: PresentStore | None


def recover(
    data_dir: Path,
    deployment: Deployment,
    vault: Vault,
    rebuild: Callable[[Recovery], None],
    *,
    force: bool = False,
) -> RecoverReport:
    """Rebuild the store with ``rebuild`` beside the present one, then put it in place in a new numbering series.

    Refuses while a usable store with history is in place (``force``: move it aside all the same).  ``rebuild`` fills
    :attr:`Recovery.db` and calls :meth:`Recovery.next_series`; if it raises, nothing in the data folder changed.
    The present store's files are moved into ``<data>/replaced-<stamp>/``, never deleted.

    Raises:
        StoreRefusedError: a usable store with history is in place and ``force`` is not given; no series is left.
        StorageError: the data folder cannot be used; whatever ``rebuild`` raises.
    """
    try:
        path = prepare_data_dir(data_dir)
    except OSError as exc:
        raise folder_error(data_dir, exc) from exc
    present = _present(path, data_dir, deployment, vault)
    if present is not None and present.has_history and not force:
        raise StoreRefusedError(
            msg(
                "integrity",
                "数据库 {path} 完好可用，已有 {n} 件申请。从中心服务器恢复只用于数据库丢失或损坏之后；"
                "确需以服务器上的记录替换它时，请加 --force（现有数据库移到数据文件夹的 replaced-… 文件夹，不会删除）。"
                "数据未做任何改动。",
            ).bind(path=str(path), n=present.applications)
        )
    store_key = vault.key("store.key")
    audit_key = vault.key("audit.key")
    marker = read_marker(vault, path, audit_key)
    floor = max(marker.series if marker else 1, present.series if present else 1)
    staging = path.with_name(path.name + RECOVERING_SUFFIX)
    _discard(staging)  # an interrupted recovery's: only what the server still holds
    db = Store(staging, store_key, info={"audit_key": audit_key})
    try:
        migrate.upgrade(db.engine, staging)  # a new file: nothing to back up
        with db.write() as session:
            write_identity(
                session, Identity(str(uuid.uuid4()), deployment.center_code, deployment.workstation_code, floor)
            )
            set_meta(session, "checked_at", dt.datetime.now(dt.UTC).isoformat())
        recovery = Recovery(db, present, floor)
        rebuild(recovery)
        if recovery.series is None:
            raise RuntimeError("the rebuild chose no numbering series (Recovery.next_series)")
        with Database.read_connection(db) as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        db.dispose()
        _discard(staging)
        raise
    db.dispose()
    replaced = _move_aside(path)
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{staging}{suffix}")
        if part.exists():
            os.replace(part, Path(f"{path}{suffix}"))
    series = start_new_series(path, store_key, audit_key, vault, deployment, at_least=recovery.series - 1)
    opened, _ = open_store(data_dir, deployment, vault)  # it opens as every start will open it
    opened.dispose()
    log.info("store recovered from the server; numbering continues in series %d", series)
    return RecoverReport(replaced, series, present)


def _present(path: Path, data_dir: Path, deployment: Deployment, vault: Vault) -> PresentStore | None:
    """The store in place if ``open_store`` opens it; None when there is none, or it refuses it (lost, damaged)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        db, _ = open_store(data_dir, deployment, vault)
    except StoreRefusedError:
        return None
    try:
        with db.read() as session:
            return PresentStore(
                applications=int(session.scalar(select(func.count()).select_from(Application)) or 0),
                numbered=has_numbers(session),
                unsent=int(
                    session.scalar(
                        select(func.count()).select_from(OutboxEntry).where(OutboxEntry.state != OutboxState.SENT.value)
                    )
                    or 0
                ),
                series=current_series(session),
            )
    finally:
        db.dispose()


def _discard(staging: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{staging}{suffix}").unlink(missing_ok=True)


def _move_aside(path: Path) -> Path | None:
    present = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
    if not present:
        return None
    folder = path.parent / f"replaced-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%S')}"
    folder.mkdir(exist_ok=True)
    for part in present:
        os.replace(part, folder / part.name)
    return folder


# -- the plain store of an earlier version ---------------------------------------------------------------------
def _encrypt_legacy(path: Path, store_key: bytes, vault: Vault, deployment: Deployment) -> None:
    try:
        counts = encrypt_in_place(path, store_key)
    except (OSError, WrongKeyError) as exc:
        raise StorageError(
            msg(
                "integrity",
                "无法加密旧版本的数据库 {path}（{reason}）。原文件未做改动；请信息员检查磁盘空间后重试。",
            ).bind(path=str(path), reason=str(exc)[:120])
        ) from exc
    log.info("the plain store was encrypted in place (%d tables)", len(counts))
    old = path.parent / backups.BACKUP_DIR_NAME
    for plain in sorted(old.glob("*.sqlite3")) if old.is_dir() else []:
        try:
            backups.write_backup(
                plain,
                None,
                vault,
                backups.StoreFacts(deployment.center_code, deployment.workstation_code, "", 1, None),
                recovery_recipients=recovery_recipients(deployment),
                reason="legacy",
                folder=old,
            )
            plain.unlink()
        except StorageError as exc:
            log.warning("a plain backup could not be sealed and stays as it was: %s", exc.message.render())


# -- the open-file tags (unclean shutdown) ---------------------------------------------------------------------
def _tag(data_dir: Path) -> Path:
    return data_dir / OPEN_TAGS / f"{socket.gethostname()}-{os.getpid()}"


def _tag_open(data_dir: Path) -> bool:
    """Leave this process's tag; return whether a tag of a process that is gone was left (an unclean stop)."""
    folder = data_dir / OPEN_TAGS
    unclean = False
    with contextlib.suppress(OSError):
        share_folder(folder)  # every account of the group leaves its tag here
        for tag in folder.iterdir():
            host, _, pid = tag.name.rpartition("-")
            if host == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
                unclean = True
                tag.unlink(missing_ok=True)
        _tag(data_dir).touch()
    return unclean


def _untag_open(data_dir: Path) -> None:
    with contextlib.suppress(OSError):
        _tag(data_dir).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a tag of this very pid is an earlier process that had the same number
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


# -- messages ------------------------------------------------------------------------------------------------
_WAY_BACK = (
    "请停止在本机受理，不要删除任何文件，通知信息员恢复：yimen restore 备份文件（数据文件夹 backups 中的 .ybak），"
    "或 yimen recover --from-server 从中心服务器取回本工作站已上传的记录。恢复后编号将另起批次，已打印的编号不会重复。"
)


def _lost(path: Path, how: str, *, have: int = 0, want: int = 0) -> StoreRefusedError:
    what: dict[str, Message] = {
        "missing": msg("integrity", "本工作站已有受理记录，但数据库文件 {path} 不见了。"),
        "empty": msg("integrity", "本工作站已有受理记录，但数据库文件 {path} 已被清空。"),
        "replaced": msg("integrity", "数据库文件 {path} 不是本工作站原来的数据库（已被替换）。"),
        "rolled_back": msg(
            "integrity", "数据库文件 {path} 比本机记录的状态旧（被回退到早先的副本，缺少第 {have} 条之后的记录）。"
        ),
    }
    first = what[how].bind(path=str(path), have=have, want=want)
    return StoreRefusedError(
        msg("integrity", "{what}{way_back}").bind(what=first, way_back=msg("integrity", _WAY_BACK))
    )


def _damaged(path: Path, marker: Marker | None) -> StoreRefusedError:
    first = msg("integrity", "数据库文件 {path} 已损坏，或不是用本机密钥加密的（另一台工作站的文件）。").bind(
        path=str(path)
    )
    return StoreRefusedError(
        msg("integrity", "{what}{way_back}").bind(what=first, way_back=msg("integrity", _WAY_BACK))
    )
