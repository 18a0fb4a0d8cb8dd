"""A vendor library as IT pinned it, and the one small interface the SDK drivers call it through.

Loading a shared library runs its code, so a library is loaded only when its bytes are the ones IT named in the
deployment file (``idcard.library_sha256``; docs/devices.md).  Many vendor DLLs are 32-bit: the bitness is read from
the ELF class or the PE optional header's magic, and a library of the other bitness is loaded by the bridge of its
bitness (app/idcard/bridge.py).

The drivers (app/idcard/sdk.py) never touch ctypes: they call an :class:`SdkLibrary` with word-sized arguments —
an int, input bytes (NUL-terminated for the callee), an output buffer (:class:`Out`), an output unsigned int
(:class:`OutUint`) — and get the int result with the outputs, or a returned ``char*`` as bytes, freed by a named
function of the library where it has one (termb's ``DeleteMBCSString``).  :class:`LocalLibrary` does that in this
process with ctypes; :class:`app.idcard.bridge.RemoteLibrary` does the same through the bridge.
"""

from __future__ import annotations

import abc
import ctypes
import hashlib
import hmac
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def missing_function(name: str) -> IdCardError:
    """The library lacks a function the deployment's ``sdk_shape`` needs."""
    return IdCardError(
        msg("idcard", "读卡库缺少函数 {name}，与部署文件中的接口类型不符。请信息员检查 idcard.sdk_shape。").bind(
            name=name
        )
    )


def not_loadable(path: Path, detail: str) -> IdCardError:
    """The system could not load the library (a driver that is not installed, a dependency missing)."""
    return IdCardError(
        msg("idcard", "读卡库文件 {path} 无法加载。请信息员检查读卡器驱动是否已安装；现在请手工录入。").bind(
            path=str(path)
        ),
        detail=detail,
    )


@dataclass(frozen=True)
class Out:
    """An output buffer of ``size`` bytes (``unsigned char *``), zeroed, that the callee fills."""

    size: int


@dataclass(frozen=True)
class OutUint:
    """An output ``unsigned int`` (``unsigned int *``) that the callee sets, starting at ``value``."""

    value: int = 0


#: One argument: an int, input bytes (``const char *``, NUL-terminated for the callee), or an output.
Arg = int | bytes | Out | OutUint


@dataclass(frozen=True)
class Called:
    """A call's int result and its outputs, in the order of their arguments (bytes for :class:`Out`, an int for
    :class:`OutUint`)."""

    result: int
    outputs: tuple[bytes | int, ...] = ()


class SdkLibrary(abc.ABC):
    """A loaded vendor library (``__stdcall`` on 32-bit Windows as the vendors' headers declare, cdecl elsewhere).

    Attributes:
        path: the library's file.
    """

    path: Path

    @abc.abstractmethod
    def has(self, name: str) -> bool:
        """Whether the library exports ``name``.

        Raises:
            IdCardError: the bridge died.
        """

    @abc.abstractmethod
    def call(self, name: str, *args: Arg) -> Called:
        """Call ``int name(args…)``.

        Raises:
            IdCardError: the function is missing, or the bridge died.
        """

    @abc.abstractmethod
    def call_string(self, name: str, *args: Arg, free: str | None = None) -> bytes | None:
        """Call ``char *name(args…)``: the string's bytes (None for a NULL pointer), handed to the library's function
        ``free`` afterwards when one is named.

        Raises:
            IdCardError: the function is missing, or the bridge died.
        """


class LocalLibrary(SdkLibrary):
    """The library loaded into this process with ctypes, once its hash is the pinned one.

    Raises:
        IdCardError: refused (hash), or the system could not load it.
    """

    def __init__(self, path: Path, pinned: str) -> None:
        check_pinned(path, pinned)
        self.path = path
        try:
            if sys.platform == "win32":
                self._lib: Any = ctypes.WinDLL(str(path))  # type: ignore[attr-defined,unused-ignore]
            else:
                self._lib = ctypes.CDLL(str(path))
        except OSError as exc:
            raise not_loadable(path, str(exc)) from None

    def has(self, name: str) -> bool:
        try:
            getattr(self._lib, name)
        except AttributeError:
            return False
        return True

    def _function(self, name: str, restype: Any) -> Any:
        try:
            func = getattr(self._lib, name)
        except AttributeError:
            raise missing_function(name) from None
        func.argtypes = None
        func.restype = restype
        return func

    @staticmethod
    def _arguments(args: tuple[Arg, ...]) -> tuple[list[Any], list[Any]]:
        passed: list[Any] = []
        outputs: list[Any] = []
        for arg in args:
            if isinstance(arg, bytes):
                passed.append(ctypes.c_char_p(arg))
            elif isinstance(arg, Out):
                buffer = (ctypes.c_ubyte * arg.size)()
                passed.append(buffer)
                outputs.append(buffer)
            elif isinstance(arg, OutUint):
                value = ctypes.c_uint(arg.value)
                passed.append(ctypes.byref(value))
                outputs.append(value)
            else:
                passed.append(ctypes.c_ssize_t(arg))  # a word, as the bridge passes it
        return passed, outputs

    def call(self, name: str, *args: Arg) -> Called:
        func = self._function(name, ctypes.c_int)
        passed, outputs = self._arguments(args)
        result = func(*passed)
        return Called(int(result), tuple(bytes(o) if isinstance(o, ctypes.Array) else int(o.value) for o in outputs))

    def call_string(self, name: str, *args: Arg, free: str | None = None) -> bytes | None:
        func = self._function(name, ctypes.c_void_p)
        release = self._function(free, None) if free is not None else None
        passed, _ = self._arguments(args)
        pointer = func(*passed)
        if not pointer:
            return None
        raw = ctypes.string_at(pointer)
        if release is not None:
            release(ctypes.c_void_p(pointer))
        return raw
