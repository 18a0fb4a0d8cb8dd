"""The device credential, kept in the OS keyring (ARCHITECTURE.md invariant 6): one machine-level entry.

On Windows that is the Credential Manager, on UOS/Kylin the Secret Service.  Where no keyring works, production
refuses with a message that says what to do; it never falls back to a file (STACK.md).  Demo mode alone, on a
machine without any keyring (a headless development box), keeps the demo credential in the demo data folder,
readable by its owner only, and says so.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from app.errors import CredentialStoreError
from app.i18n import msg

log = logging.getLogger("yimen.sync")

KEYRING_SERVICE = "yimen"
KEYRING_ENTRY = "device-credential"
DEMO_FILE = "demo-device-credential.json"


@dataclass(frozen=True)
class Credential:
    server_url: str
    device_id: str
    token: str
    center_code: str
    workstation_code: str
    #: False between saving a new credential and the server's confirmation of it (two-phase enrollment,
    #: docs/sync-protocol.md): the next sync confirms it first.  Entries saved before there was a confirmation
    #: have no such key and were in force when saved.
    confirmed: bool = True

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Credential:
        data = json.loads(text)
        confirmed = data.get("confirmed", True)
        if not isinstance(confirmed, bool):
            raise ValueError("confirmed")
        return cls(
            **{k: str(data[k]) for k in ("server_url", "device_id", "token", "center_code", "workstation_code")},
            confirmed=confirmed,
        )


class CredentialStore:
    """Reads and writes the one credential entry.  ``demo_dir`` is given only in demo mode."""

    def __init__(self, demo_dir: Path | None = None) -> None:
        self.demo_dir = demo_dir
        # What this process last read or wrote: the status line asks often, and a locked Secret Service is slow.
        self._cached: Credential | None = None

    def _keyring_usable(self) -> bool:
        import keyring

        backend = keyring.get_keyring()
        return bool(getattr(backend, "priority", 0) > 0)

    def where(self) -> str:
        """Where the credential is kept, for the messages that say so."""
        demo = self._demo_file()
        return f"演示数据文件 {demo}" if demo is not None else "系统钥匙串"

    def _demo_file(self) -> Path | None:
        if self.demo_dir is None or self._keyring_usable():
            return None
        return self.demo_dir / DEMO_FILE

    def load(self) -> Credential | None:
        if self._cached is not None:
            return self._cached
        self._cached = self._read()
        return self._cached

    def forget(self) -> None:
        """Read the keyring again next time (another process may have enrolled the workstation anew)."""
        self._cached = None

    def _read(self) -> Credential | None:
        import keyring
        from keyring.errors import KeyringError

        demo = self._demo_file()
        try:
            if demo is not None:
                text = demo.read_text("utf-8") if demo.exists() else None
            else:
                text = keyring.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
        except (KeyringError, OSError) as exc:
            raise self._unusable(exc) from None
        if not text:
            return None
        try:
            return Credential.from_json(text)
        except (ValueError, KeyError, TypeError):
            log.warning("the stored device credential is unreadable; the workstation must be enrolled again")
            return None

    def save(self, credential: Credential) -> None:
        import keyring
        from keyring.errors import KeyringError

        demo = self._demo_file()
        try:
            if demo is not None:
                log.warning("no OS keyring on this machine: demo credential kept in the demo data folder")
                demo.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(demo, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(credential.to_json())
            else:
                keyring.set_password(KEYRING_SERVICE, KEYRING_ENTRY, credential.to_json())
        except (KeyringError, OSError) as exc:
            raise self._unusable(exc) from None
        self._cached = credential

    def delete(self) -> None:
        import keyring
        from keyring.errors import KeyringError

        self._cached = None
        demo = self._demo_file()
        try:
            if demo is not None:
                demo.unlink(missing_ok=True)
            elif keyring.get_password(KEYRING_SERVICE, KEYRING_ENTRY) is not None:
                keyring.delete_password(KEYRING_SERVICE, KEYRING_ENTRY)
        except (KeyringError, OSError) as exc:
            raise self._unusable(exc) from None

    @staticmethod
    def _unusable(exc: BaseException) -> CredentialStoreError:
        return CredentialStoreError(
            msg(
                "sync",
                "无法使用系统钥匙串保存工位凭证（{reason}）。请信息员在本机启用凭据管理器（Windows）"
                "或密钥环服务（UOS/麒麟）后重试；凭证不会写入普通文件。",
            ).bind(reason=type(exc).__name__)
        )
