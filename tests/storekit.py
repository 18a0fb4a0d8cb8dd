"""Reading the encrypted store from a test: a DB-API connection keyed with the test's machine vault.

Tests look at rows directly (what was committed, what a crash left); the store is SQLCipher (db/engine.py), so
plain ``sqlite3`` sees nothing.  ``connect_store`` opens it the way the app does, with the key of the vault the
test's ``machine_vault`` fixture set up (``YIMEN_VAULT_DIR``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from app.security.vault import Vault
from db.engine import raw_connect


def store_key(vault: Path | None = None) -> bytes:
    return Vault(vault or Path(os.environ["YIMEN_VAULT_DIR"])).key("store.key")


def connect_store(
    path: str | Path, *, vault: Path | None = None, timeout: float | None = None, isolation_level: Any = ""
) -> Any:
    """A sqlcipher3 connection to the store at ``path`` under the key of ``vault`` (default: the test's vault),
    like ``sqlite3.connect``."""
    conn = raw_connect(Path(path), store_key(vault))
    if timeout is not None:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    if isolation_level != "":
        conn.isolation_level = isolation_level
    return conn


#: SQLCipher 4's defaults: 4096-byte pages, each ending in a 16-byte IV and a 64-byte HMAC (db/engine.py).
PAGE = 4096
RESERVE = 80


def _decrypt_page(key: bytes, page: bytes, first: bool) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    start = 16 if first else 0  # page 1 begins with the file's salt, in clear
    iv = page[PAGE - RESERVE : PAGE - RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start : PAGE - RESERVE]) + decryptor.finalize()


def decrypted_bytes(path: str | Path, key: bytes | None = None) -> bytes:
    """Every page of the store file and of its WAL decrypted under ``key`` (default: the test vault's store key):
    what someone holding the key reads of the files with a hex editor, free pages and free space inside pages
    included.  For tests that check what a deletion leaves behind."""
    key = key or store_key()
    data = Path(path).read_bytes()
    pages = [_decrypt_page(key, data[i : i + PAGE], i == 0) for i in range(0, len(data) - PAGE + 1, PAGE)]
    wal = Path(f"{path}-wal")
    if wal.exists():
        frames = wal.read_bytes()[32:]  # after the WAL header, frames of a 24-byte header and a page
        for i in range(0, len(frames) - (24 + PAGE) + 1, 24 + PAGE):
            number = int.from_bytes(frames[i : i + 4], "big")
            pages.append(_decrypt_page(key, frames[i + 24 : i + 24 + PAGE], number == 1))
    return b"".join(pages)
