"""Compile the ID-card reader's bridge (app/idcard/bridge.c) for each bitness a vendor library may have.

    python -m installer.build_bridge [--out build/idcard-bridge] [--windows]

Linux: ``yimen-idcard-bridge64`` with ``cc`` and, on x86-64, ``yimen-idcard-bridge32`` with ``cc -m32`` (the Debian
package gcc-multilib); on arm64 only the native one.  Windows: ``yimen-idcard-bridge32.exe`` and ``…64.exe`` with
MinGW-w64 (``i686-w64-mingw32-gcc``, ``x86_64-w64-mingw32-gcc``: MSYS2's mingw-w64 toolchains on Windows, the
Debian packages gcc-mingw-w64-i686-win32 and gcc-mingw-w64-x86-64-win32 for a cross build here, which the Makefile
installs on amd64); ``--windows`` builds them off
Windows when those compilers are present.  The checkout's copy goes to ``build/idcard-bridge`` (git-ignored; ``make
bridge``), where app/idcard/bridge.py finds it; installer/yimen.spec puts it into the bundle.  A file newer than the
source is kept.  Only the standard library: ``make`` runs it with the system's python3.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import struct
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "app" / "idcard" / "bridge.c"
#: Where a source checkout keeps its bridges (app/idcard/bridge.py CHECKOUT_FOLDER says the same).
CHECKOUT_FOLDER = REPO / "build" / "idcard-bridge"
NAME = "yimen-idcard-bridge"
WARNINGS = ("-O2", "-Wall", "-Wextra")
#: Linux: Debian's hardening (lintian's hardening-no-fortify-functions, hardening-no-bindnow): the bridge parses
#: requests and runs a vendor's code.
HARDENING = ("-D_FORTIFY_SOURCE=2", "-fstack-protector-strong", "-Wl,-z,relro,-z,now")


class BridgeBuildError(Exception):
    """The bridge could not be compiled; the message says what to install (Chinese, for IT)."""


@dataclass(frozen=True)
class Target:
    """One bridge: its bitness, whether it is the Windows .exe, and the compiler command."""

    bits: int
    windows: bool
    compiler: tuple[str, ...]
    package: str  # the Debian package of the compiler (for the message when it is missing)

    @property
    def filename(self) -> str:
        return f"{NAME}{self.bits}{'.exe' if self.windows else ''}"

    def command(self, output: Path) -> list[str]:
        if self.windows:
            # Static: no libgcc/winpthread DLL beside it (the C runtime is the system's msvcrt.dll).
            return [*self.compiler, *WARNINGS, "-s", "-static", "-o", str(output), str(SOURCE)]
        return [*self.compiler, *WARNINGS, *HARDENING, "-s", "-o", str(output), str(SOURCE), "-ldl"]


def linux_targets(machine: str | None = None) -> list[Target]:
    """The native bridge and, on x86-64, the 32-bit one."""
    machine = (machine or platform.machine()).lower()
    native = struct.calcsize("P") * 8
    targets = [Target(native, False, ("cc",), "gcc")]
    if machine in {"x86_64", "amd64"} and native == 64:
        targets.append(Target(32, False, ("cc", "-m32"), "gcc-multilib"))
    return targets


def windows_targets() -> list[Target]:
    return [
        Target(32, True, ("i686-w64-mingw32-gcc",), "gcc-mingw-w64-i686-win32"),
        Target(64, True, ("x86_64-w64-mingw32-gcc",), "gcc-mingw-w64-x86-64-win32"),
    ]


def present(target: Target) -> bool:
    """Whether the target's compiler is on the PATH."""
    return shutil.which(target.compiler[0]) is not None


def targets_here(*, windows: bool = False) -> list[Target]:
    """What this machine builds: the Windows pair on Windows, else the Linux ones (and with ``windows`` the Windows
    pair too, where MinGW-w64 is present)."""
    if sys.platform == "win32":
        return windows_targets()
    targets = linux_targets()
    if windows:
        targets += [t for t in windows_targets() if present(t)]
    return targets


def compile_bridge(target: Target, out: Path) -> Path:
    """Compile one bridge into ``out`` (kept when it is newer than the source); its path.

    Raises:
        BridgeBuildError: the compiler is missing or failed.
    """
    out.mkdir(parents=True, exist_ok=True)
    output = out / target.filename
    newest = max(SOURCE.stat().st_mtime, Path(__file__).stat().st_mtime)
    if output.is_file() and output.stat().st_mtime >= newest:
        return output
    if not present(target):
        if output.is_file():
            # A copy made elsewhere (the Windows pair cross-compiled on Linux, copied to a build machine without
            # MinGW-w64): kept; a bridge of another protocol is refused at run time by its answer to hello.
            return output
        raise BridgeBuildError(
            f"找不到编译器 {target.compiler[0]}，无法编译读卡辅助程序 {target.filename}："
            f"请安装 {target.package}（make deps 会安装 Linux 所需的编译器）。"
        )
    # Into a new name first: two builds at once (two test runs) never leave a half-written file under the real one.
    partial = out / f".{target.filename}.{os.getpid()}"
    done = subprocess.run(target.command(partial), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        partial.unlink(missing_ok=True)
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BridgeBuildError(
            f"编译读卡辅助程序 {target.filename} 失败（{detail[-1] if detail else done.returncode}）："
            f"请确认已安装 {target.package}。"
        )
    os.replace(partial, output)
    return output


def build(out: Path = CHECKOUT_FOLDER, targets: Sequence[Target] | None = None) -> list[Path]:
    """Compile every bridge of ``targets`` (default: :func:`targets_here`) into ``out``."""
    return [compile_bridge(target, out) for target in (targets_here() if targets is None else targets)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m installer.build_bridge", description="编译读卡辅助程序")
    parser.add_argument("--out", type=Path, default=CHECKOUT_FOLDER, help="输出文件夹（默认 build/idcard-bridge）")
    parser.add_argument("--windows", action="store_true", help="另用 MinGW-w64 交叉编译 Windows 的 .exe（如已安装）")
    args = parser.parse_args(argv)
    try:
        built = build(args.out, targets_here(windows=args.windows))
    except BridgeBuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in built:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
