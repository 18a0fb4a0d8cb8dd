"""The bridge: a small native program that loads a vendor library in a process of its own and calls it for us.

Many vendor libraries are 32-bit (termb.dll, sdtapi.dll) while this program is 64-bit, and a ``termb`` library
without ``Read_Content_Path`` writes the card into its working directory, which this program must not change.  Such
a library is loaded by ``yimen-idcard-bridge32`` or ``…64`` (``.exe`` on Windows; app/idcard/bridge.c, built by
installer/build_bridge.py), started with a private temporary folder as its working directory.  It knows nothing of
the SDKs: the drivers (app/idcard/sdk.py) call the library through :class:`RemoteLibrary` exactly as through
:class:`~app.idcard.library.LocalLibrary`, and the bridge makes each call (its line protocol is described in
bridge.c).  It checks nothing either: :meth:`Bridge.load` checks the pinned SHA-256 here before asking it to load.

The bridges are found in the bundle's ``_internal`` folder (``sys._MEIPASS``, beside the program's resources), in a
source checkout in ``build/idcard-bridge`` (``make bridge``).  A bridge that is missing, cannot run or dies is one
Chinese sentence for the status bar (:class:`~app.idcard.model.IdCardError`), never a traceback.  What the library
prints goes to the bridge's stderr, which is discarded (it may hold the card's data).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

from app import resources
from app.i18n import msg
from app.idcard import library
from app.idcard.library import Arg, Called, Out, OutUint, SdkLibrary
from app.idcard.model import IdCardError

log = logging.getLogger("yimen.idcard")

NAME = "yimen-idcard-bridge"
#: Where a source checkout keeps its bridges, below the checkout (installer/build_bridge.py CHECKOUT_FOLDER).
CHECKOUT_FOLDER = ("build", "idcard-bridge")
#: The protocol version the bridge answers ``hello`` with (PROTOCOL in bridge.c).
PROTOCOL = 1
#: How long :meth:`Bridge.close` waits for the bridge to end before killing it.
CLOSE_SECONDS = 10.0


def bridge_folder() -> Path:
    """Where this installation keeps its bridges: the bundle's ``_internal``, or the checkout's build folder."""
    if getattr(sys, "frozen", False):
        return resources.root()
    return resources.root().joinpath(*CHECKOUT_FOLDER)


def bridge_path(bits: int, folder: Path | None = None) -> Path:
    """The bridge that loads a library of ``bits`` (32 or 64)."""
    name = f"{NAME}{bits}{'.exe' if sys.platform == 'win32' else ''}"
    return (bridge_folder() if folder is None else folder) / name


def _hex(data: bytes) -> str:
    return data.hex()


class Bridge:
    """One bridge process: started with a working directory, asked one line at a time, ended at :meth:`close`.

    Args:
        bits: the bitness of the libraries it loads.
        folder: where the bridges are (default :func:`bridge_folder`).
    """

    def __init__(self, bits: int, folder: Path | None = None) -> None:
        self.bits = bits
        self.path = bridge_path(bits, folder)
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self._process

    def start(self, cwd: Path) -> None:
        """Start the bridge in ``cwd`` and check that it is the bridge of :attr:`bits`.

        Raises:
            IdCardError: the bridge is missing, cannot run, or is not the one expected.
        """
        if not self.path.is_file():
            raise IdCardError(
                msg(
                    "idcard",
                    "找不到读卡辅助程序 {path}（用于加载 {bits} 位的读卡库）。请信息员重新安装本程序；现在请手工录入。",
                ).bind(path=str(self.path), bits=str(self.bits)),
                detail="bridge missing",
            )
        flags = 0
        if sys.platform == "win32":
            flags = subprocess.CREATE_NO_WINDOW  # the windowed program starts a console program: no window
        try:
            self._process = subprocess.Popen(
                [str(self.path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=cwd,
                creationflags=flags,
            )
        except OSError as exc:
            raise self._cannot_run(str(exc)) from None
        try:
            words = self.ask("hello")
        except IdCardError:
            self.close()
            raise self._cannot_run("no answer to hello") from None
        if words != ["yimen-idcard-bridge", str(PROTOCOL), str(self.bits)]:
            self.close()
            raise self._cannot_run(f"hello answered {' '.join(words)[:80]}")

    def _cannot_run(self, detail: str) -> IdCardError:
        return IdCardError(
            msg(
                "idcard",
                "无法运行读卡辅助程序 {path}（{bits} 位）。请信息员重新安装本程序；"
                "Linux 上加载 32 位读卡库还需安装 32 位运行库 libc6-i386。现在请手工录入。",
            ).bind(path=str(self.path), bits=str(self.bits)),
            detail=detail,
        )

    def gone(self) -> IdCardError:
        """The bridge ended while in use (a library that crashed it, or it was killed)."""
        code = None if self._process is None else self._process.poll()
        return IdCardError(
            msg("idcard", "读卡辅助程序意外退出。请重新插拔读卡器后重新登录；现在请手工录入。"),
            detail=f"bridge exit code {code}",
        )

    def ask(self, request: str) -> list[str]:
        """Send one request; the answer's words after ``ok``.

        Raises:
            IdCardError: the bridge is gone, or it refused the request (``err``: a missing function, a library it
                could not load, a request of another version).
        """
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            raise self.gone()
        with self._lock:
            try:
                process.stdin.write(request.encode("ascii") + b"\n")
                process.stdin.flush()
                line = process.stdout.readline()
            except (OSError, ValueError):
                line = b""
        if not line.endswith(b"\n"):
            raise self.gone()
        words = line.decode("ascii", "replace").split()
        if words[:1] == ["ok"]:
            return words[1:]
        kind = words[1] if len(words) > 1 else ""
        detail = " ".join(words[2:])
        if kind == "missing":
            raise library.missing_function(detail)
        raise IdCardError(
            msg("idcard", "读卡辅助程序无法处理这个请求。请重新登录；仍不行请手工录入。"),
            detail=f"{kind}: {detail}"[:300],
        )

    def load(self, path: Path, pinned: str) -> RemoteLibrary:
        """Load a library in the bridge once its hash is the pinned one.

        Between this check and the bridge's open of the file there is a short window in which a file swapped by
        someone allowed to write the library's folder would be loaded (docs/devices.md "The bridge").

        Raises:
            IdCardError: refused (hash), or the bridge could not load it.
        """
        library.check_pinned(path, pinned)
        # Absolute: the bridge's working directory is its private folder, not this program's.
        absolute = os.path.abspath(path)
        try:
            words = self.ask(f"load {_hex(absolute.encode('utf-8'))}")
        except IdCardError as exc:
            if exc.detail.startswith("load:"):
                raise library.not_loadable(path, exc.detail) from None
            raise
        return RemoteLibrary(self, int(words[0]), path)

    def close(self) -> None:
        """End the bridge: its stdin closes, it exits; killed when it does not within :data:`CLOSE_SECONDS`."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()
        except OSError:
            pass  # it is gone already (a request it never read stays in the pipe's buffer)
        try:
            process.wait(timeout=CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            log.warning("the ID-card bridge did not end in time: killed")
            process.kill()
            process.wait()
        finally:
            if process.stdout is not None:
                process.stdout.close()


class RemoteLibrary(SdkLibrary):
    """A library loaded in a :class:`Bridge`, called like a :class:`~app.idcard.library.LocalLibrary`."""

    def __init__(self, bridge: Bridge, handle: int, path: Path) -> None:
        self.bridge = bridge
        self.handle = handle
        self.path = path

    def has(self, name: str) -> bool:
        return self.bridge.ask(f"has {self.handle} {name}") == ["1"]

    @staticmethod
    def _arguments(args: tuple[Arg, ...]) -> str:
        words = []
        for arg in args:
            if isinstance(arg, bytes):
                words.append(f"b:{_hex(arg)}")
            elif isinstance(arg, Out):
                words.append(f"o:{arg.size}")
            elif isinstance(arg, OutUint):
                words.append(f"u:{arg.value}")
            else:
                words.append(f"i:{int(arg)}")
        return "".join(f" {word}" for word in words)

    @staticmethod
    def _outputs(words: list[str]) -> tuple[bytes | int, ...]:
        outputs: list[bytes | int] = []
        for word in words:
            kind, _, value = word.partition(":")
            outputs.append(bytes.fromhex(value) if kind == "o" else int(value))
        return tuple(outputs)

    def call(self, name: str, *args: Arg) -> Called:
        words = self.bridge.ask(f"call {self.handle} {name} int{self._arguments(args)}")
        return Called(int(words[0].removeprefix("i:")), self._outputs(words[1:]))

    def call_string(self, name: str, *args: Arg, free: str | None = None) -> bytes | None:
        returns = "str" if free is None else f"str:{free}"
        words = self.bridge.ask(f"call {self.handle} {name} {returns}{self._arguments(args)}")
        if words[0] == "n":
            return None
        return bytes.fromhex(words[0].removeprefix("s:"))
