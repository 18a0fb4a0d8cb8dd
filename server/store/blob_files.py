"""The blob folder: issued documents' PDFs as files named by their SHA-256 (docs/operations.md "Documents' bytes").

``<root>/ab/cd/abcd…`` (two levels of 256 folders, so no folder holds more than a few hundred files a year per
1,000 workstations).  A file is written to a temporary name in its folder, fsynced, renamed into place and the
folder fsynced, then read back and checked against its name: a file that is there is whole.  Content-addressed, so
writing the same PDF twice (two devices, a migration run again) keeps the one file; a file found under a name that
is not its SHA-256 (damaged storage) is replaced.  Reads check the SHA-256 too and answer None for a file that is
missing or does not match.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

_SHA256 = re.compile(r"[0-9a-f]{64}")


class BlobFileError(OSError):
    """A blob could not be written whole (the folder missing or not writable, the disk full, a bad read-back)."""


def path_of(root: Path, sha256: str) -> Path:
    if not _SHA256.fullmatch(sha256):
        raise ValueError("not a SHA-256")
    return root / sha256[:2] / sha256[2:4] / sha256


def read(root: Path, sha256: str) -> bytes | None:
    """The file's bytes when it is there and matches its name; None otherwise (a mismatch is logged)."""
    return read_file(path_of(root, sha256), sha256)


def read_file(path: Path, sha256: str) -> bytes | None:
    """The bytes of ``path`` when it is there and its SHA-256 is ``sha256``; None otherwise."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    if hashlib.sha256(data).hexdigest() != sha256:
        log.error("blob file %s does not match its SHA-256", path.name)
        return None
    return data


def write(root: Path, sha256: str, data: bytes) -> bool:
    """Make ``<root>/…/sha256`` hold ``data`` (whose SHA-256 the caller checked); True when a file was written,
    False when a good one was already there.

    Raises:
        BlobFileError: the file could not be written and read back whole.
    """
    return write_file(path_of(root, sha256), sha256, data)


def write_file(path: Path, sha256: str, data: bytes) -> bool:
    """:func:`write` to a path of the caller's (an archive's ``<sha256>.pdf``)."""
    if read_file(path, sha256) is not None:
        return False
    partial = path.with_name(f".{sha256}.{uuid.uuid4().hex}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("xb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
        fsync_folder(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise BlobFileError(f"blob {sha256[:12]}…: {exc.strerror or type(exc).__name__}") from exc
    if read_file(path, sha256) is None:
        raise BlobFileError(f"blob {sha256[:12]}…: read back does not match")
    return True


def remove(root: Path, sha256: str) -> None:
    """Delete the file of ``sha256`` when there is one."""
    path = path_of(root, sha256)
    path.unlink(missing_ok=True)
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    if not folder.is_dir():
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
