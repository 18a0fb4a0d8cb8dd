"""The machine vault: the workstation's secrets, shared by every OS account of the ``yimen`` group.

The data folder is machine-wide (ARCHITECTURE.md invariant 3) and ``yimen sync --once`` runs unattended, so the
key that opens the store cannot live in one OS user's keyring.  The vault is a folder *outside* the data folder —
a copied data folder or backup reveals nothing without it — holding a few small files (docs/security.md "Machine
vault"):

- ``store.key``: the SQLCipher key of the store; ``audit.key``: the HMAC key of the audit chain;
  ``machine.identity``: the age identity that lets this machine open its own backups (IT's recovery key opens
  them too);
- ``device-credential.json``: the server credential (moved here from the OS keyring);
- ``store-marker.json``: what this machine knows about its store (docs/numbering.md "Series").

Protection by platform:

- **Windows**: ``%ProgramData%\\yimen-vault``, beside the data folder ``%ProgramData%\\yimen``; every file is a DPAPI
  blob with *machine* scope (``CRYPTPROTECT_LOCAL_MACHINE``): any account of this PC may open it, nobody can open
  it on another PC or from a copied disk without this Windows installation's machine key; the installer gives the
  folder an ACL for the app's users group.  An earlier version's vault inside the data folder is moved once.
- **Linux (UOS/Kylin/Debian)**: the folder is ``root:yimen`` 2770 and the files 0660, so only root and members of
  the ``yimen`` group read them.  ``yimen vault seal`` (root, at install) seals the keys with ``systemd-creds``
  (TPM2 where present, else the host key) and removes the plain copies; at boot ``yimen vault unseal`` (the
  ``yimen-vault.service`` unit) puts the opened keys into ``/run/yimen-vault`` (RAM only, ``root:yimen`` 0640).

Writes are atomic (a temporary file of its own, fsync, rename), so a killed process leaves the old or the new value
and two threads writing one entry never mix their bytes; a key or identity is made once (linked into place, never
renamed over), so processes racing on a new vault all use the one that won.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.errors import VaultError
from app.i18n import msg
from app.security import crypto
from db.engine import fsync_folder

log = logging.getLogger("yimen.vault")

VAULT_ENV = "YIMEN_VAULT_DIR"
RUNTIME_ENV = "YIMEN_VAULT_RUNTIME_DIR"
GROUP = "yimen"
LINUX_VAULT = Path("/var/lib/yimen-vault")
LINUX_RUNTIME = Path("/run/yimen-vault")
#: The secrets ``yimen vault seal`` seals; the credential and the marker change at run time and stay plain files.
SEALED_NAMES = ("store.key", "audit.key", "machine.identity")
SEALED_SUFFIX = ".cred"


#: The Windows vault's folder in ``%ProgramData%``: a sibling of the data folder ``yimen``, never inside it (NTFS
#: names ignore case, so the ``%ProgramData%\Yimen\vault`` of earlier versions was inside ``C:\ProgramData\yimen``).
WINDOWS_VAULT_NAME = "yimen-vault"


def _program_data(env: Mapping[str, str]) -> Path:
    return Path(env.get("PROGRAMDATA") or r"C:\ProgramData")


def windows_vault_dir(program_data: Path) -> Path:
    return program_data / WINDOWS_VAULT_NAME


def windows_legacy_vault_dir(program_data: Path) -> Path:
    """Where earlier versions kept the Windows vault: inside the data folder (the same folder on NTFS)."""
    return program_data / "Yimen" / "vault"


def default_vault_dir(env: Mapping[str, str] | None = None) -> Path:
    if sys.platform == "win32":
        return windows_vault_dir(_program_data(os.environ if env is None else env))
    return LINUX_VAULT


def resolve_vault_dir(data_dir: Path, *, demo: bool, env: Mapping[str, str] | None = None, move: bool = True) -> Path:
    """``YIMEN_VAULT_DIR`` wins; a demo keeps its vault beside its data folder (never inside it); production uses
    the machine's vault, into which a Windows vault of an earlier version is moved first (:func:`move_vault`).
    With ``move`` False nothing moves, and an earlier vault not yet moved is the folder returned (the self-test
    reads the keys where they are).

    Raises:
        VaultError: the earlier vault could not be moved (the message names both folders).
    """
    env = os.environ if env is None else env
    if env.get(VAULT_ENV):
        return Path(env[VAULT_ENV])
    if demo:
        return data_dir.with_name(data_dir.name + "-vault")
    folder = default_vault_dir(env)
    if sys.platform == "win32":
        old = windows_legacy_vault_dir(_program_data(env))
        if move:
            move_vault(old, folder)
        elif _still_to_move(old, folder):
            return old  # read where the keys are now (the self-test moves nothing)
    return folder


def _still_to_move(old: Path, new: Path) -> bool:
    try:
        return any(f.is_file() and not (new / f.name).exists() for f in old.iterdir() if not f.name.endswith(".tmp"))
    except OSError:
        return False


def move_vault(old: Path, new: Path) -> bool:
    """Move the files of an earlier vault folder into ``new``, once; True when it moved something.

    Each file of ``old`` missing in ``new`` is hard-linked into ``new`` and then unlinked from ``old`` (one volume,
    so never a copy; a link never replaces a file), so an interrupted move is finished at the next start.  A file
    already in ``new`` with the same bytes is only removed from ``old``; with other bytes both stay and the move is
    refused: one of them is the key of the store, and only IT can tell which.  ``old`` is removed once empty.
    DPAPI's machine-scope blobs do not depend on their path, so the moved files open as before.

    Raises:
        VaultError: a file differs between the two folders, or a file could not be moved; both folders named.
    """
    try:
        entries = sorted(old.iterdir()) if old.is_dir() else []
        files = [e for e in entries if e.is_file() and not (e.name.startswith(".") and e.name.endswith(".tmp"))]
        clashes = [f.name for f in files if (new / f.name).exists() and (new / f.name).read_bytes() != f.read_bytes()]
    except OSError as exc:
        raise _move_failed(old, new, exc) from None
    if not files:
        return False
    if clashes:
        raise VaultError(
            msg(
                "vault",
                "旧的本机密钥文件夹 {old} 和新的 {new} 中都有 {names}，且内容不同，程序不会覆盖任何一个。"
                "请信息员确认本工位的数据库用的是哪一份密钥，把另一份移到别处保存（不要删除）后再启动。",
            ).bind(old=str(old), new=str(new), names="、".join(clashes))
        )
    try:
        new.mkdir(parents=True, exist_ok=True)
        for entry in files:
            if not (new / entry.name).exists():
                os.link(entry, new / entry.name)
            entry.unlink()
        fsync_folder(new)
        with contextlib.suppress(OSError):  # left-overs of an interrupted write stay for IT to look at
            old.rmdir()
    except OSError as exc:
        raise _move_failed(old, new, exc) from None
    log.info("machine vault moved from %s to %s (%d files)", old, new, len(files))
    return True


def _move_failed(old: Path, new: Path, exc: OSError) -> VaultError:
    return VaultError(
        msg(
            "vault",
            "无法把旧的本机密钥文件夹 {old} 移到 {new}（{reason}）。密钥仍在原处；"
            "请信息员检查两个文件夹的权限后重新启动，切勿删除其中的文件。",
        ).bind(old=str(old), new=str(new), reason=_reason(exc))
    )


class Vault:
    """Reads and writes the vault's files.  Every failure is a :class:`VaultError` that names the folder."""

    def __init__(self, folder: Path, runtime: Path | None = None) -> None:
        self.folder = folder
        if runtime is None:
            runtime = Path(os.environ[RUNTIME_ENV]) if os.environ.get(RUNTIME_ENV) else LINUX_RUNTIME
        self.runtime = runtime

    # -- reading ---------------------------------------------------------------------------------------------
    def read(self, name: str) -> bytes | None:
        """The secret ``name``, or None when the vault has none by that name."""
        try:
            self._refuse_non_folder()
            opened = self.runtime / name
            if sys.platform != "win32" and opened.is_file():
                return opened.read_bytes()
            plain = self.folder / name
            if plain.is_file():
                data = plain.read_bytes()
                return _dpapi(data, protect=False) if sys.platform == "win32" else data
            sealed = self.folder / (name + SEALED_SUFFIX)
            if not sealed.is_file():
                return None
        except OSError as exc:
            raise self._unreadable(exc) from None
        try:
            return _systemd_decrypt(sealed, name)
        except OSError as exc:  # not root (only root holds the host key or the TPM): the boot unit has not run
            raise self._not_unsealed(exc) from None

    def key(self, name: str) -> bytes:
        """The 256-bit key ``name``, made on first use.  A key of the wrong length is refused, never replaced."""
        data = self.read(name)
        if data is None:
            data = self._create(name, crypto.new_key())
            log.info("made the machine key %s in %s", name, self.folder)
        if len(data) != crypto.KEY_BYTES:
            raise VaultError(
                msg(
                    "vault",
                    "本机密钥 {name}（{folder}）已损坏。请信息员从本机的密钥备份恢复它，或用恢复私钥恢复数据"
                    "（yimen restore）；切勿删除数据文件夹。",
                ).bind(name=name, folder=str(self.folder))
            )
        return data

    def identity(self) -> str:
        """This machine's age identity (opens the machine's own backups), made on first use."""
        data = self.read("machine.identity")
        if data is None:
            identity, _ = crypto.new_recovery_identity()
            data = self._create("machine.identity", identity.encode("ascii"))
        return data.decode("ascii", "replace").strip()

    def read_json(self, name: str) -> dict[str, Any] | None:
        data = self.read(name)
        if data is None:
            return None
        try:
            value = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    # -- writing ---------------------------------------------------------------------------------------------
    def write(self, name: str, data: bytes) -> None:
        try:
            temp = self._staged(name, data)
            try:
                os.replace(temp, self.folder / name)
            except OSError:
                temp.unlink(missing_ok=True)
                raise
            fsync_folder(self.folder)
        except OSError as exc:
            raise self._unwritable(exc) from None

    def _create(self, name: str, data: bytes) -> bytes:
        """Put ``data`` in place as ``name`` unless another process or thread made ``name`` first; return the one in
        place.  A link (unlike a rename) never replaces what is there, so a key is made once even when several
        processes open a new vault at the same moment."""
        try:
            temp = self._staged(name, data)
            try:
                os.link(temp, self.folder / name)
            except FileExistsError:
                pass
            finally:
                temp.unlink(missing_ok=True)
            fsync_folder(self.folder)
        except OSError as exc:
            raise self._unwritable(exc) from None
        made = self.read(name)
        if made is None:
            raise self._unwritable(FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT)))
        return made

    def _staged(self, name: str, data: bytes) -> Path:
        """A complete, synced temporary file of this write alone (its own name: threads of one process writing the
        same entry must not share one) holding ``data`` as stored."""
        self._ensure_folder()
        payload = _dpapi(data, protect=True) if sys.platform == "win32" else data
        fd, temp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
        temp = Path(temp_name)
        try:
            try:
                _group_file(fd)
                _write_all(fd, payload)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            temp.unlink(missing_ok=True)
            raise
        return temp

    def write_json(self, name: str, value: dict[str, Any]) -> None:
        self.write(name, json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8"))

    def delete(self, name: str) -> None:
        try:
            (self.folder / name).unlink(missing_ok=True)
        except OSError as exc:
            raise self._unwritable(exc) from None

    def _refuse_non_folder(self) -> None:
        if self.folder.exists() and not self.folder.is_dir():
            raise VaultError(
                msg(
                    "vault",
                    "本机密钥文件夹 {folder} 不是文件夹（同名的文件占了它的位置）。请信息员检查安装和 YIMEN_VAULT_DIR"
                    " 设置，不要删除该文件；数据未做任何改动。",
                ).bind(folder=str(self.folder))
            )

    def _ensure_folder(self) -> None:
        self._refuse_non_folder()
        if self.folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            with contextlib.suppress(OSError):
                os.chown(self.folder, -1, _group_id())
            with contextlib.suppress(OSError):
                self.folder.chmod(0o2770)  # setgid: files made by any member keep the group

    # -- sealing (Linux, root) --------------------------------------------------------------------------------
    def seal(self) -> list[str]:
        """Seal the plain keys with systemd-creds and remove the plain copies (and any copy a killed write left
        behind); returns the names sealed."""
        done = []
        for name in SEALED_NAMES:
            plain = self.folder / name
            try:
                self._refuse_non_folder()
                if not plain.is_file():
                    continue
                sealed = self.folder / (name + SEALED_SUFFIX)
                data = plain.read_bytes()
                _run(["systemd-creds", "encrypt", f"--name={name}", "-", str(sealed)], data)
                if _systemd_decrypt(sealed, name) != data:
                    sealed.unlink(missing_ok=True)
                    raise VaultError(
                        msg("vault", "systemd-creds 封存 {name} 后无法核对，原密钥保持不变。").bind(name=name)
                    )
                os.chmod(sealed, 0o640)
                plain.unlink()
                for leftover in self.folder.glob(f".{name}.*.tmp"):
                    leftover.unlink(missing_ok=True)
                fsync_folder(self.folder)
            except OSError as exc:
                raise VaultError(
                    msg(
                        "vault",
                        "无法用 systemd-creds 封存本机密钥 {name}（{reason}）。请以 root 身份运行 yimen vault seal；"
                        "未封存的密钥保持原样。",
                    ).bind(name=name, reason=_reason(exc))
                ) from None
            done.append(name)
        return done

    def unseal(self) -> list[str]:
        """Open the sealed keys into the runtime folder (RAM), readable by root and the yimen group."""
        done = []
        try:
            self._refuse_non_folder()
            self.runtime.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                os.chown(self.runtime, 0, _group_id())
            self.runtime.chmod(0o750)
            for name in SEALED_NAMES:
                sealed = self.folder / (name + SEALED_SUFFIX)
                if not sealed.is_file():
                    continue
                data = _systemd_decrypt(sealed, name)
                target = self.runtime / name
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
                try:
                    _group_file(fd, mode=0o640)
                    _write_all(fd, data)
                finally:
                    os.close(fd)
                done.append(name)
        except OSError as exc:
            raise VaultError(
                msg(
                    "vault",
                    "无法把封存的本机密钥解开到 {runtime}（{reason}）。请以 root 身份运行 yimen vault unseal"
                    "（开机时由 yimen-vault.service 运行）；数据未做任何改动。",
                ).bind(runtime=str(self.runtime), reason=_reason(exc))
            ) from None
        return done

    # -- messages ---------------------------------------------------------------------------------------------
    def _unreadable(self, exc: OSError) -> VaultError:
        return VaultError(
            msg(
                "vault",
                "无法读取本机密钥文件夹 {folder}（{reason}）。请信息员确认当前系统账户属于 yimen 组"
                "（Windows：一门式受理台用户组），或以安装时的账户运行；数据未做任何改动。",
            ).bind(folder=str(self.folder), reason=_reason(exc))
        )

    def _not_unsealed(self, exc: OSError) -> VaultError:
        return VaultError(
            msg(
                "vault",
                "本机密钥已封存在 {folder}，但本次开机尚未解开到 {runtime}（{reason}）。请信息员以 root 身份运行 "
                "systemctl start yimen-vault（或 yimen vault unseal）后重试；数据未做任何改动。",
            ).bind(folder=str(self.folder), runtime=str(self.runtime), reason=_reason(exc))
        )

    def _unwritable(self, exc: OSError) -> VaultError:
        return VaultError(
            msg(
                "vault",
                "无法写入本机密钥文件夹 {folder}（{reason}）。请信息员检查该文件夹的权限和磁盘空间后重试。",
            ).bind(folder=str(self.folder), reason=_reason(exc))
        )


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _group_id() -> int:
    """The ``yimen`` group's id; OSError where the group does not exist (a development machine)."""
    import grp

    try:
        return grp.getgrnam(GROUP).gr_gid
    except KeyError:
        raise OSError("no yimen group") from None


def _group_file(fd: int, mode: int = 0o660) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        os.fchown(fd, -1, _group_id())
    os.fchmod(fd, mode)  # the umask must not take the group's bits


def _write_all(fd: int, data: bytes) -> None:
    """``os.write`` may write less than asked (a disk that fills up says so only at the next call)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _run(command: list[str], data: bytes) -> bytes:
    if shutil.which(command[0]) is None:
        raise VaultError(msg("vault", "本机没有 {tool}，不能封存或打开密钥。").bind(tool=command[0]))
    done = subprocess.run(command, input=data, capture_output=True, check=False)
    if done.returncode != 0:
        raise OSError(done.returncode, done.stderr.decode("utf-8", "replace").strip()[:200] or command[0])
    return done.stdout


def _systemd_decrypt(sealed: Path, name: str) -> bytes:
    return _run(["systemd-creds", "decrypt", f"--name={name}", str(sealed), "-"], b"")


def _dpapi(data: bytes, *, protect: bool) -> bytes:  # pragma: no cover - Windows only
    """CryptProtectData / CryptUnprotectData with machine scope (CRYPTPROTECT_LOCAL_MACHINE)."""
    import ctypes
    from ctypes import wintypes

    class Blob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    crypt32 = ctypes.windll.crypt32  # type: ignore[attr-defined]
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    buffer = ctypes.create_string_buffer(data, len(data))
    blob_in = Blob(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char)))
    blob_out = Blob()
    flags = 0x4 | 0x1  # CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN
    call = crypt32.CryptProtectData if protect else crypt32.CryptUnprotectData
    ok = call(ctypes.byref(blob_in), None, None, None, None, flags, ctypes.byref(blob_out))
    if not ok:
        raise OSError(ctypes.GetLastError(), "DPAPI")  # type: ignore[attr-defined]
    try:
        return ctypes.string_at(blob_out.pbData, blob_out.cbData)
    finally:
        kernel32.LocalFree(blob_out.pbData)
