"""A vendor library as IT pinned it: its SHA-256 checked before loading, its bitness read from the file's header.

Loading a shared library runs its code, so a library is loaded only when its bytes are the ones IT named in the
deployment file (``idcard.library_sha256``; docs/devices.md).  Many vendor DLLs are 32-bit: the bitness is read from
the ELF class or the PE optional header's magic, and a library of the other bitness runs in the helper process
(app/idcard/host.py).
"""

from __future__ import annotations

import ctypes
import hashlib
import hmac
import struct
import sys
from pathlib import Path

from app.i18n import msg
from app.idcard.model import IdCardError

#: The bitness of this process.
PROCESS_BITS = struct.calcsize("P") * 8


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_pinned(path: Path, pinned: str) -> None:
    """Refuse a library that is missing or whose SHA-256 is not ``pinned``.

    Raises:
        IdCardError: the file is missing or unreadable, or its hash differs (a replaced or updated library).
    """
    try:
        actual = sha256_of(path)
    except OSError:
        raise IdCardError(
            msg("idcard", "找不到读卡库文件 {path}。请信息员检查部署文件中的 idcard.library；现在请手工录入。").bind(
                path=str(path)
            )
        ) from None
    if not pinned or not hmac.compare_digest(actual, pinned.lower()):
        raise IdCardError(
            msg(
                "idcard",
                "读卡库文件 {path} 的校验值与部署文件中登记的不符，已拒绝加载。"
                "请信息员核实该文件后更新 idcard.library_sha256；现在请手工录入。",
            ).bind(path=str(path)),
            detail=f"sha256 {actual}",
        )


def library_bits(path: Path) -> int:
    """32 or 64: the bitness of an ELF or PE library, read from its header.

    Raises:
        IdCardError: the file is neither (not a library this program can load).
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        head = b""
    if head[:4] == b"\x7fELF" and len(head) > 4 and head[4] in (1, 2):
        return 32 if head[4] == 1 else 64  # EI_CLASS: ELFCLASS32 / ELFCLASS64
    if head[:2] == b"MZ" and len(head) >= 0x40:
        (pe_offset,) = struct.unpack_from("<I", head, 0x3C)
        # "PE\0\0", the 20-byte COFF header, then the optional header's magic: 0x10B PE32, 0x20B PE32+.
        if head[pe_offset : pe_offset + 4] == b"PE\x00\x00" and len(head) >= pe_offset + 26:
            (magic,) = struct.unpack_from("<H", head, pe_offset + 24)
            if magic in (0x10B, 0x20B):
                return 32 if magic == 0x10B else 64
    raise IdCardError(
        msg("idcard", "读卡库文件 {path} 不是可加载的库文件（.dll 或 .so）。请信息员检查 idcard.library。").bind(
            path=str(path)
        )
    )


def load(path: Path, pinned: str) -> ctypes.CDLL:
    """The library, once its hash is the pinned one (``__stdcall`` on Windows, as the vendors' headers declare).

    Raises:
        IdCardError: refused (hash), or the system could not load it.
    """
    check_pinned(path, pinned)
    try:
        if sys.platform == "win32":
            return ctypes.WinDLL(str(path))  # type: ignore[attr-defined,no-any-return,unused-ignore]
        return ctypes.CDLL(str(path))
    except OSError as exc:
        raise IdCardError(
            msg("idcard", "读卡库文件 {path} 无法加载。请信息员检查读卡器驱动是否已安装；现在请手工录入。").bind(
                path=str(path)
            ),
            detail=str(exc),
        ) from None
