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
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "installer" / "yimen.spec"
#: The folder name inside ``--out`` and the executable's name.
NAME = "yimen"

#: Debian architecture names of the machines PyInstaller runs on (platform.machine() → dpkg's name).
ARCHITECTURES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}


# ---------------------------------------------------------------- what the bundle keeps (read by installer/yimen.spec)
# PyInstaller's `excludes` keeps a module out of the analysis, but not a shared library found by link analysis or a
# hook's data files (pyinstaller/pyinstaller#5503, #8672): the spec filters the analysis' binaries and data files
# with keep() and from_system() below (docs/bundle.md "Size").

# Qt libraries (Linux libQt6<Name>.so.6, Windows Qt6<Name>.dll) the client uses, with what pulls each in:
# Widgets/Gui/Core; PrintSupport (printing); Pdf + PdfWidgets (the preview; Pdf links Network); Charts (the 值班长
# tab; links OpenGL + OpenGLWidgets); DBus (Gui links it on Linux); XcbQpa (the xcb platform plugin).  Multimedia
# (the document camera) is kept as an optional component: see camera_part() below.
QT_LIBRARIES = {
    "Core",
    "Gui",
    "Widgets",
    "PrintSupport",
    "Pdf",
    "PdfWidgets",
    "Network",
    "Charts",
    "OpenGL",
    "OpenGLWidgets",
    "DBus",
    "XcbQpa",
}
# PySide6's binding modules the client imports (ui/: grep "PySide6.Qt").  QtTest only serves the test suite.
PYSIDE_MODULES = {"QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtPdf", "QtPdfWidgets", "QtCharts", "QtNetwork"}
# Qt plugins by folder: None keeps the whole folder, a set keeps those plugin names (without lib prefix/suffix).
QT_PLUGINS = {
    # xcb for X11 (UOS, Kylin), offscreen for headless self-tests and CI, windows on Windows.  Wayland sessions run
    # the xcb plugin through XWayland (docs/bundle.md).
    "platforms": {"qxcb", "qoffscreen", "qminimal", "qwindows"},
    "xcbglintegrations": None,
    # ibus and compose for typing Chinese (the input method of the desktop).
    "platforminputcontexts": {"ibusplatforminputcontextplugin", "composeplatforminputcontextplugin"},
    "platformthemes": {"qxdgdesktopportal"},
    "imageformats": {"qjpeg", "qgif", "qico"},
    "printsupport": None,
    "styles": {"qmodernwindowsstyle", "qwindowsvistastyle"},
}
# python-stdnum's data files: only the Chinese region codes are read (app/idnumber: stdnum.cn.ric); the MAC vendor,
# IMSI, bank and postcode tables of other countries (2 MB) stay out.
STDNUM_DATA = {"loc.dat"}
STDNUM_DATA_FOLDERS = {"cn"}
# Qt's own translations: the standard buttons in Chinese (ui/i18n.py loads qtbase_zh_CN) and English.
QT_TRANSLATIONS = {"qtbase_zh_CN.qm", "qtbase_en.qm"}

_QT_LIB = re.compile(r"^(?:lib)?Qt6(\w+?)(?:\.so(?:\.\d+)*|\.dll)$")
_PYSIDE_MOD = re.compile(r"^(Qt\w+)\.(?:abi3\.so|pyd|pyi|cpython-.*\.so)$")
# Qt Designer, Linguist and the other tools, and WebEngine's helper process: never run by the counter.
TOOLS = (
    "designer",
    "linguist",
    "assistant",
    "lupdate",
    "lrelease",
    "uic",
    "rcc",
    "qml",
    "balsam",
    "svgtoqml",
    "QtWebEngineProcess",
)
# Parts of the wheels the running app never reads: QML modules, WebEngine's resources, the helper executables,
# headers, type systems, examples.
DROPPED_FOLDERS = {"qml", "resources", "libexec", "metatypes", "include", "typesystems", "glue", "examples", "scripts"}


def _plugin_name(filename: str) -> str:
    stem = filename.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep(dest: str) -> bool:
    """Whether a file of the analysis (its destination inside the bundle) stays in the bundle.

    Linux wheels put Qt below PySide6/Qt/{lib,plugins,translations}, Windows wheels below PySide6/{plugins,
    translations} with the DLLs beside the binding modules; both layouts are read the same way."""
    if camera_part(dest):
        return True  # packaged apart, as an optional component
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    name = parts[-1]
    match = _QT_LIB.match(name)
    if match is not None:
        # Wherever link analysis put it (also at the top of the bundle).
        return match.group(1) in QT_LIBRARIES
    if parts[0] == "stdnum" and name.endswith(".dat"):
        return len(parts) == 3 and parts[1] in STDNUM_DATA_FOLDERS and name in STDNUM_DATA
    rest = _pyside_rest(parts)
    if not rest:  # outside PySide6, or the folder itself
        return True
    if len(rest) == 1:
        mod = _PYSIDE_MOD.match(name)
        if mod is not None:
            return mod.group(1) in PYSIDE_MODULES
        return not name.startswith(TOOLS)
    folder = rest[0]
    if folder == "plugins" and len(rest) >= 3:
        wanted = QT_PLUGINS.get(rest[1], set())
        return wanted is None or _plugin_name(name) in wanted
    if folder == "translations":
        return name in QT_TRANSLATIONS
    return folder not in DROPPED_FOLDERS


# ---------------------------------------------------------------- the document camera: an optional component
# Qt Multimedia (the document camera, 高拍仪: ui/intake/camera.py) with its FFmpeg plugin, FFmpeg's libraries and the
# Qt Quick + Qml that the plugin links: about 39 MB, which would take the client over the 250 MB goal.  The bundle
# keeps them, and the packages carry them apart: the ``yimen-camera`` .deb beside ``yimen``, the MSI's Camera
# feature (docs/devices.md "Document camera"); the client without them says so in ``yimen selftest`` and offers no
# 拍照….
CAMERA_QT_LIBRARIES = {"Multimedia", "Concurrent", "Quick", "Qml", "QmlModels", "QmlMeta", "QmlWorkerScript"}
CAMERA_PYSIDE_MODULES = {"QtMultimedia"}
CAMERA_PLUGINS = {"multimedia": {"ffmpegmediaplugin"}}
# FFmpeg as the PySide6 wheels ship it: libavcodec.so.61 (Linux), avcodec-61.dll (Windows); and Qt's stubs that load
# FFmpeg's optional OpenSSL and VA-API at run time (libQt6FFmpegStub-va.so.2).
_FFMPEG = re.compile(
    r"^(?:lib)?(?:(?:avcodec|avformat|avutil|swresample|swscale)(?:-\d+)?|Qt6FFmpegStub-[\w-]+)(?:\.so(?:\.\d+)*|\.dll)$"
)


def _pyside_rest(parts: tuple[str, ...]) -> tuple[str, ...] | None:
    """The path below PySide6/ (and PySide6/Qt/ on Linux), or None outside PySide6."""
    if parts[0] != "PySide6":
        return None
    rest = parts[1:]
    return rest[1:] if rest and rest[0] == "Qt" else rest


def camera_part(dest: str) -> bool:
    """Whether a file of the bundle belongs to the document camera's optional component rather than to the client:
    ``dest`` is its path inside ``_internal`` (as the spec meets it) or inside the bundle's folder, either
    separator."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if parts[:1] == ("_internal",):
        parts = parts[1:]
    if not parts:
        return False
    name = parts[-1]
    match = _QT_LIB.match(name)
    if match is not None:
        return match.group(1) in CAMERA_QT_LIBRARIES
    if _FFMPEG.match(name):
        return True
    rest = _pyside_rest(parts)
    if not rest:
        return False
    if len(rest) == 1:
        mod = _PYSIDE_MOD.match(name)
        return mod is not None and mod.group(1) in CAMERA_PYSIDE_MODULES
    if rest[0] == "plugins" and len(rest) >= 3:
        return _plugin_name(name) in CAMERA_PLUGINS.get(rest[1], set())
    return False


# Linux: the libraries the system provides (X11/xcb, glib, fontconfig, cups, OpenSSL, libstdc++…) come from their
# Debian packages, which the .deb declares in Depends (installer/build_linux.py reads them from the bundle); the
# bundle carries only what no Debian package of the target provides: Qt and the wheels' own libraries, and the
# Python runtime.  Link analysis also followed libraries of plugins dropped above (gtk3's atk, pango, cairo); this
# drops them too.  (Windows: PyInstaller already leaves the system's DLLs out.)
SYSTEM_LIBRARY_DIRS = ("/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/")


def from_system(dest: str, source: str, *, windows: bool = False) -> bool:
    """A shared library link analysis copied from the system's library folders to the top of the bundle."""
    if windows or "/" in dest or "\\" in dest or dest.startswith("libpython"):
        return False
    return os.path.realpath(source).startswith(SYSTEM_LIBRARY_DIRS) or source.startswith(SYSTEM_LIBRARY_DIRS)


class BundleError(Exception):
    """The bundle cannot be built; the message is one Chinese sentence saying what to do."""


# ---------------------------------------------------------------- library search paths (Linux)
# Python built with --enable-shared (pyenv, python.org builds) links libpython and its extension modules with a
# RUNPATH naming its own lib folder (e.g. ~/.pyenv/versions/<version>/lib of the build machine); PyInstaller keeps it.
# On a counter that folder does not exist, or holds another Python's libpython that the loader would then try first.
# After PyInstaller, every DT_RPATH/DT_RUNPATH entry that is not $ORIGIN-relative and inside the bundle is removed
# with patchelf; PySide6's and Pillow's own $ORIGIN entries (Qt/lib, ../shiboken6, ../pillow.libs) stay as they are
# (docs/bundle.md "Library search paths"; ld.so(8): https://man7.org/linux/man-pages/man8/ld.so.8.html).
_SEARCH_PATH = re.compile(r"\((RPATH|RUNPATH)\)\s+Library (?:rpath|runpath): \[([^\]]*)\]")
_ORIGIN = re.compile(r"^\$(?:ORIGIN|\{ORIGIN\})(?=/|$)")


def is_elf(path: Path) -> bool:
    """A regular file (not a symlink) that starts with the ELF magic."""
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as fh:
        return fh.read(4) == b"\x7fELF"


def search_paths(path: Path) -> list[tuple[str, list[str]]]:
    """The library search paths of an ELF file's dynamic section, as (``RPATH`` or ``RUNPATH``, its entries)."""
    done = subprocess.run(["readelf", "-dW", str(path)], capture_output=True, text=True, check=False)
    return [(kind, value.split(":")) for kind, value in _SEARCH_PATH.findall(done.stdout)]


def within_bundle(entry: str, library: Path, folder: Path) -> bool:
    """Whether a search path entry of ``library`` (a file below ``folder``) is ``$ORIGIN``-relative and stays inside
    the bundle ``folder``; absolute entries, relative ones without ``$ORIGIN`` and empty ones (the current
    directory) do not."""
    match = _ORIGIN.match(entry)
    if match is None:
        return False
    resolved = os.path.normpath(str(library.parent) + entry[match.end() :])
    root = os.path.normpath(folder)
    return resolved == root or resolved.startswith(root + os.sep)


def confine_search_paths(folder: Path) -> list[str]:
    """Remove every RPATH/RUNPATH entry of the bundle's ELF files that leads outside the bundle (patchelf); the
    ``$ORIGIN`` entries inside it stay, in their order and kind (DT_RPATH also serves the libraries loaded through
    the file, DT_RUNPATH does not; with both, ld.so reads only DT_RUNPATH).  Returns the changed files, relative to
    ``folder``; files whose entries all stay (Qt's, Pillow's) are not rewritten."""
    folder = folder.resolve()
    changed = []
    for path in sorted(folder.rglob("*")):
        if not is_elf(path):
            continue
        found = search_paths(path)
        entries = [entry for _, listed in found for entry in listed]
        kept = list(dict.fromkeys(entry for entry in entries if within_bundle(entry, path, folder)))
        if kept == entries:
            continue
        commands = [["patchelf", "--remove-rpath"]]
        if kept:
            force = [] if any(kind == "RUNPATH" for kind, _ in found) else ["--force-rpath"]
            commands.append(["patchelf", *force, "--set-rpath", ":".join(kept)])
        for command in commands:
            done = subprocess.run([*command, str(path)], capture_output=True, text=True, check=False)
            if done.returncode != 0:
                name = path.relative_to(folder)
                raise BundleError(f"patchelf 未能改写 {name} 的库搜索路径：{done.stderr.strip()[:300]}")
        changed.append(path.relative_to(folder).as_posix())
    return changed


#: The Debian packages of the tools the Linux build runs besides PyInstaller.
TOOL_PACKAGES = {"readelf": "binutils", "patchelf": "patchelf"}


def _need_tools(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool) is None:
            raise BundleError(f"找不到 {tool}：请安装 Debian 软件包 {TOOL_PACKAGES[tool]}（make deps 会安装）。")


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


def _build_bridges() -> None:
    """The ID-card reader's bridges the spec carries, compiled into build/idcard-bridge when missing or stale."""
    from installer.build_bridge import BridgeBuildError, build

    try:
        build()
    except BridgeBuildError as exc:
        raise BundleError(str(exc)) from None


def build_bundle(out: Path, *, arch: str | None = None, work: Path | None = None) -> Bundle:
    """Build the bundle into ``out/yimen`` (replaced if present) and return it.

    ``arch`` must be this machine's (PyInstaller builds for the interpreter that runs it); ``work`` is PyInstaller's
    work folder (default: a ``pyinstaller`` folder beside ``out``'s bundle, removed afterwards)."""
    host = host_arch()
    if arch is not None and arch != host:
        raise BundleError(
            f"不能在 {host} 机器上构建 {arch} 的安装包：PyInstaller 不支持交叉构建，请在 {arch} 机器上运行。"
        )
    linux = sys.platform.startswith("linux")
    if linux:
        _need_tools("readelf", "patchelf")
    _build_bridges()
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
    if linux:
        confine_search_paths(folder)
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
