"""Every cryptographic primitive Yimen uses, behind one small module (docs/security.md "Cryptography").

A 商用密码应用安全性评估 (密评) may require the national algorithms: SM3 for hashes and MACs, SM4 for encryption,
SM2 for public-key encryption.  Nothing outside this module names an algorithm, so replacing HMAC-SHA256 by
HMAC-SM3, or the age envelope by SM2 + SM4, is a change here (plus a format version for what is already stored).

- :func:`new_key` — a fresh 256-bit secret from the OS's CSPRNG (``secrets``).
- :func:`mac` / :func:`mac_matches` — HMAC-SHA256 of bytes under a key; constant-time comparison.
- The store's SQLCipher cipher (AES-256-CBC + HMAC-SHA512 per page, SQLCipher 4 defaults) is set in db/engine.py,
  which imports nothing of ours; it is given a raw random key from the vault, so no key derivation runs.
- :func:`new_recovery_identity`, :func:`recipient_of`, :func:`seal_to`, :func:`open_with` — public-key envelopes
  in the age format (age-encryption.org/v1, via pyrage): backups are sealed to IT's *recovery public key*, whose
  private half is kept offline, and IT can open them with the stock ``age`` tool as well as with ``yimen restore``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

KEY_BYTES = 32


class CryptoError(Exception):
    """An envelope that cannot be opened with the given identity, or a malformed key."""


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def mac(key: bytes, data: bytes) -> str:
    """HMAC-SHA256 of ``data`` under ``key``, as 64 hex digits."""
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def mac_matches(key: bytes, data: bytes, expected: str) -> bool:
    return hmac.compare_digest(mac(key, data), expected)


def digest(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 hex digits (content addresses, file checks)."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def new_recovery_identity() -> tuple[str, str]:
    """A new key pair for sealing: (private identity ``AGE-SECRET-KEY-1…``, public recipient ``age1…``)."""
    from pyrage import x25519

    identity = x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def recipient_of(identity: str) -> str:
    from pyrage import x25519

    try:
        return str(x25519.Identity.from_str(identity.strip()).to_public())
    except Exception as exc:  # pyrage raises its own IdentityError / ValueError
        raise CryptoError("not an age identity") from exc


def is_recipient(text: str) -> bool:
    from pyrage import x25519

    try:
        x25519.Recipient.from_str(text.strip())
    except Exception:
        return False
    return True


def seal_to(recipients: list[str], data: bytes) -> bytes:
    """Encrypt ``data`` so that any one of the ``recipients``' private identities opens it."""
    from pyrage import encrypt, x25519

    try:
        keys = [x25519.Recipient.from_str(r.strip()) for r in recipients]
    except Exception as exc:
        raise CryptoError("not an age recipient") from exc
    return bytes(encrypt(data, keys))


def open_with(identities: list[str], sealed: bytes) -> bytes:
    """Decrypt an envelope made by :func:`seal_to`.  Raises :class:`CryptoError` when none of the identities fits."""
    from pyrage import decrypt, x25519

    try:
        keys = [x25519.Identity.from_str(i.strip()) for i in identities]
        return bytes(decrypt(sealed, keys))
    except Exception as exc:
        raise CryptoError("the envelope does not open with these identities") from exc
