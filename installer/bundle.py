"""The client's one-folder PyInstaller bundle (installer/yimen.spec), built for this machine's architecture.

    python -m installer.bundle --out dist [--arch amd64|arm64] [--work build/pyinstaller]

writes ``dist/yimen/`` (the executable ``yimen`` and ``_internal/``) and prints its size with the largest files.
The packages (.deb, UOS layout, MSI) are built around that folder; :func:`build_bundle` is what they call.
PyInstaller does not cross-build: an arm64 bundle is built on an arm64 machine (docs/bundle.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "installer" / "yimen.spec"
#: The folder name inside ``--out`` and the executable's name.
NAME = "yimen"

#: Debian architecture names of the machines PyInstaller runs on (platform.machine() → dpkg's name).
ARCHITECTURES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}


class BundleError(Exception):
    """The bundle cannot be built; the message is one Chinese sentence saying what to do."""


@dataclass(frozen=True)
class Bundle:
    folder: Path
    arch: str
    seconds: float

    @property
    def executable(self) -> Path:
        return executable(self.folder)


def host_arch() -> str:
    """This machine's architecture by Debian's name (amd64, arm64); other machines are refused."""
    machine = platform.machine().lower()
    try:
        return ARCHITECTURES[machine]
    except KeyError:
        raise BundleError(
            f"本机架构 {machine} 暂不支持打包：Qt for Python 没有该架构的安装包（见 docs/bundle.md）。"
        ) from None


def executable(folder: Path) -> Path:
    """The counter's executable inside a built bundle folder."""
    return folder / (f"{NAME}.exe" if sys.platform == "win32" else NAME)


def build_bundle(out: Path, *, arch: str | None = None, work: Path | None = None) -> Bundle:
    """Build the bundle into ``out/yimen`` (replaced if present) and return it.

    ``arch`` must be this machine's (PyInstaller builds for the interpreter that runs it); ``work`` is PyInstaller's
    work folder (default: a ``pyinstaller`` folder beside ``out``'s bundle, removed afterwards)."""
    host = host_arch()
    if arch is not None and arch != host:
        raise BundleError(
            f"不能在 {host} 机器上构建 {arch} 的安装包：PyInstaller 不支持交叉构建，请在 {arch} 机器上运行。"
        )
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    own_work = work is None
    work_dir = (out / ".pyinstaller-work") if work is None else work.resolve()
    started = time.perf_counter()
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(out),
        "--workpath",
        str(work_dir),
        str(SPEC),
    ]
    # PyInstaller imports the packages it analyses: no Qt window may open, and it must find this checkout.  Its
    # cache goes into the work folder (never the account's ~/.cache): --clean empties it, so every build is a cold
    # one, as on CI.
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(REPO),
        PYINSTALLER_CONFIG_DIR=str(work_dir / "cache"),
    )
    result = subprocess.run(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if own_work:
        shutil.rmtree(work_dir, ignore_errors=True)
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-30:])
        raise BundleError(f"PyInstaller 构建失败（退出码 {result.returncode}），请查看上面的输出。\n{tail}")
    folder = out / NAME
    if not executable(folder).is_file():
        raise BundleError(f"PyInstaller 未生成 {executable(folder)}，请查看构建输出。")
    return Bundle(folder=folder, arch=host, seconds=time.perf_counter() - started)


def build(out: Path, arch: str | None = None) -> Path:
    """Build the bundle into ``out/yimen`` and return that folder (:func:`build_bundle` without the details)."""
    return build_bundle(out, arch=arch).folder


def size_of(folder: Path) -> int:
    """Bytes on disk of every file below ``folder`` (what the installed copy occupies, before block rounding)."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def largest_files(folder: Path, count: int = 15) -> list[tuple[int, str]]:
    """The ``count`` largest files below ``folder`` as (bytes, path relative to the folder), largest first."""
    files = [
        (path.stat().st_size, path.relative_to(folder).as_posix())
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    ]
    return sorted(files, reverse=True)[:count]


def describe(folder: Path, count: int = 15) -> str:
    """The size report: the total and the largest files, in MB."""
    lines = [f"{folder}: {size_of(folder) / 1e6:.1f} MB"]
    lines += [f"  {size / 1e6:7.1f} MB  {name}" for size, name in largest_files(folder, count)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m installer.bundle", description="构建客户端的 PyInstaller 目录包")
    parser.add_argument("--out", type=Path, required=True, help="输出目录（其中生成 yimen/）")
    parser.add_argument("--arch", choices=sorted(set(ARCHITECTURES.values())), help="目标架构（须与本机相同）")
    parser.add_argument("--work", type=Path, help="PyInstaller 的工作目录（默认用后即删）")
    args = parser.parse_args(argv)
    try:
        bundle = build_bundle(args.out, arch=args.arch, work=args.work)
    except BundleError as error:
        print(error, file=sys.stderr)
        return 1
    print(describe(bundle.folder))
    print(f"构建用时 {bundle.seconds:.0f} 秒（{bundle.arch}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
