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
