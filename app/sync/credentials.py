"""The device credential, kept in the machine vault (app/security/vault.py; docs/security.md "Machine vault").

The credential belongs to the workstation, not to one OS user: the clerk's GUI and the unattended
``yimen sync --once`` of another account share it, so it lives beside the store's key in the vault (DPAPI machine
scope on Windows, ``root:yimen`` 0660 on Linux), never in one user's keyring and never in the data folder.  A
credential that an earlier version kept in the OS keyring is moved into the vault the first time it is read.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from app.errors import CredentialStoreError, VaultError
from app.i18n import msg
from app.security.vault import Vault

log = logging.getLogger("yimen.sync")

KEYRING_SERVICE = "yimen"
KEYRING_ENTRY = "device-credential"
VAULT_ENTRY = "device-credential.json"


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
    """Reads and writes the one credential entry of the machine vault."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        # What this process last read or wrote: the status line asks often.
        self._cached: Credential | None = None

    def where(self) -> str:
        """Where the credential is kept, for the messages that say so."""
        return f"本机密钥文件夹 {self.vault.folder}"

    def load(self) -> Credential | None:
        if self._cached is not None:
            return self._cached
        self._cached = self._read()
        return self._cached

    def forget(self) -> None:
        """Read the vault again next time (another process may have enrolled the workstation anew)."""
        self._cached = None

    def _read(self) -> Credential | None:
        try:
            data = self.vault.read(VAULT_ENTRY)
        except VaultError as exc:
            raise self._unusable(exc) from None
        if data is None:
            return self._from_keyring()
        try:
            return Credential.from_json(data.decode("utf-8"))
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            log.warning("the stored device credential is unreadable; the workstation must be enrolled again")
            return None

    def _from_keyring(self) -> Credential | None:
        """Move a credential of an earlier version from the OS keyring into the vault (once)."""
        try:
            import keyring

            text = keyring.get_password(KEYRING_SERVICE, KEYRING_ENTRY)
        except Exception:  # no keyring, a locked one, or a broken backend: nothing to move
            return None
        if not text:
            return None
        try:
            credential = Credential.from_json(text)
        except (ValueError, KeyError, TypeError):
            return None
        self.save(credential)
        try:
            import keyring

            keyring.delete_password(KEYRING_SERVICE, KEYRING_ENTRY)
        except Exception:
            log.warning("the old keyring entry of the device credential could not be removed")
        log.info("the device credential was moved from the OS keyring into the machine vault")
        return credential

    def save(self, credential: Credential) -> None:
        try:
            self.vault.write(VAULT_ENTRY, credential.to_json().encode("utf-8"))
        except VaultError as exc:
            raise self._unusable(exc) from None
        self._cached = credential

    def delete(self) -> None:
        self._cached = None
        try:
            self.vault.delete(VAULT_ENTRY)
        except VaultError as exc:
            raise self._unusable(exc) from None

    @staticmethod
    def _unusable(exc: VaultError) -> CredentialStoreError:
        return CredentialStoreError(msg("sync", "无法保存或读取工位凭证：{reason}").bind(reason=exc.message))
