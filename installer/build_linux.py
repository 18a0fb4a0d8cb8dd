"""The client's Linux packages from the one-folder bundle (docs/installing.md):

- ``yimen_<version>_<arch>.deb`` for Debian, UOS and Kylin: the bundle under ``/opt/yimen`` (with the ID-card
  reader's bridges: the native one and, on amd64, the 32-bit one), ``/usr/bin/yimen``, the
  desktop entry and icon, the deployment file ``/etc/xdg/yimen/yimen.toml`` as a conffile, the vault's boot unit,
  and the maintainer scripts that make the ``yimen`` group, the data folder and the vault (never deleting data);
- ``yimen-camera_<version>_<arch>.deb``, the document camera's optional component (Qt Multimedia, its FFmpeg plugin,
  FFmpeg and the Qt Quick + Qml the plugin links: installer/bundle.py ``camera_part``), into the same ``/opt/yimen``;
  it depends on ``yimen`` of the same version, so both are upgraded together (docs/devices.md "Document camera");
- ``cn.gov.sh.yimen_<version>_<arch>.deb``, the UOS app-store layout of the same bundle under
  ``/opt/apps/cn.gov.sh.yimen/`` (``info``, ``entries/``, ``files/``), without maintainer scripts: IT runs
  ``files/yimen-setup`` once as root.

``python -m installer.build_linux --arch amd64 --out dist`` builds the bundle first (installer/bundle.py);
``--bundle DIR`` packages one already built.  ``Depends:`` is read from the bundle itself: every shared library its
ELF files need that it does not carry, mapped to the Debian package that holds it on the build machine, and the
C library's version from the newest ``GLIBC_`` symbol version they use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LINUX = HERE / "linux"
TEMPLATE = HERE / "yimen.toml.template"

PACKAGE = "yimen"
CAMERA_PACKAGE = "yimen-camera"
CAMERA_SUMMARY = "document camera (高拍仪) component of the Yimen counter"
CAMERA_DESCRIPTION = (
    "The document camera's part of Yimen (一门式社区事务受理台): Qt Multimedia with its\n"
    "FFmpeg plugin, which the counter loads when the clerk photographs a material.\n"
    "Install it on counters with a document camera; scans attach without it."
)
APPID = "cn.gov.sh.yimen"
NAME_ZH = "一门式社区事务受理台"
DEB_PREFIX = "/opt/yimen"
UOS_PREFIX = f"/opt/apps/{APPID}"
CONFFILE = "/etc/xdg/yimen/yimen.toml"
UNIT = "yimen-vault.service"
DEFAULT_MAINTAINER = "Yimen IT <yimen-it@example.gov.cn>"
#: Debian architecture → the machine name ``uname -m`` gives (PyInstaller builds only for the machine it runs on).
MACHINES = {"amd64": "x86_64", "arm64": "aarch64"}
SUMMARY = "counter workstation of Shanghai's community-affairs centres"
DESCRIPTION = (
    "Yimen (一门式社区事务受理台) is the desktop counter of Shanghai's community-affairs\n"
    "acceptance centres: it takes in and decides applications, prints receipts and\n"
    "notices, keeps an encrypted store and syncs with the central server."
)
#: dpkg-deb's compressor: xz (level 6, Debian's default) for what ships; gzip is 20x faster and a third larger
#: (docs/performance.md "Building the .deb"), for builds that are unpacked at once.
COMPRESSION = {"xz": ["-Zxz", "-z6"], "gzip": ["-Zgzip", "-z6"]}
#: Read at run time, not linked: what the bundled libraries need from the system besides shared libraries.
RUNTIME_DATA = (
    "fontconfig-config",  # the fontconfig configuration (/etc/fonts) every Qt text rendering reads
    "xkb-data",  # libxkbcommon's keyboard maps (/usr/share/X11/xkb) for the xcb platform plugin
)
#: What the maintainer scripts run: addgroup (adduser) and deb-systemd-helper/-invoke (init-system-helpers).
SCRIPT_DEPENDS = ("adduser", "init-system-helpers (>= 1.18)")
#: The screen's CJK fonts (the printed documents carry their own): one of these on a bare Debian.
RECOMMENDS = ("fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei", "systemd (>= 250)")
#: Per architecture: on amd64 the i386 C library that the ID-card reader's 32-bit bridge runs on
#: (opt/yimen/_internal/yimen-idcard-bridge32, for a counter's 32-bit vendor library; docs/devices.md "The bridge").
#: Recommended, not required: apt installs it by default, and a counter whose reader library is 64-bit does without.
ARCH_RECOMMENDS = {"amd64": ("libc6-i386",)}


class BuildError(Exception):
    """A package could not be built; the message says why and what to do (Chinese, for IT)."""


@dataclass(frozen=True)
class Package:
    path: Path
    seconds: float


# ---------------------------------------------------------------------------------------------- dependencies


def _elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def _readelf(args: Sequence[str], files: Sequence[Path]) -> str:
    out = []
    for start in range(0, len(files), 200):
        done = subprocess.run(
            ["readelf", *args, *map(str, files[start : start + 200])],
            capture_output=True,
            text=True,
            check=False,
        )
        out.append(done.stdout)
    return "".join(out)


def needed_from_system(bundle: Path, also_carried: Path | None = None) -> set[str]:
    """The sonames the bundle's ELF files need that the bundle (and ``also_carried``, the bundle a component is
    installed into) does not carry itself."""
    files = _elf_files(bundle)
    carried = {p.name for folder in (bundle, also_carried) if folder is not None for p in folder.rglob("*.so*")}
    needed = set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", _readelf(["-dW"], files)))
    return {name for name in needed if name not in carried}


def glibc_floor(bundle: Path) -> str | None:
    """The newest ``GLIBC_x.y`` symbol version any ELF file of the bundle asks for (libc6's minimum)."""
    versions: set[str] = set(re.findall(r"\bGLIBC_(\d+(?:\.\d+)+)\b", _readelf(["-VW"], _elf_files(bundle))))
    if not versions:
        return None
    return max(versions, key=lambda v: tuple(int(x) for x in v.split(".")))


def _library_paths() -> dict[str, list[str]]:
    done = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True)
    paths: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match:
            paths.setdefault(match.group(1), []).append(match.group(3))
    return paths


def _owner(path: str) -> str | None:
    """The package that holds ``path`` (merged /usr: it may be registered as /lib/… or /usr/lib/…)."""
    real = os.path.realpath(path)
    candidates = {path, real}
    for name in list(candidates):
        if name.startswith("/usr/"):
            candidates.add(name[4:])
        else:
            candidates.add("/usr" + name)
    for name in sorted(candidates):
        done = subprocess.run(["dpkg-query", "-S", name], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout:
            return done.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


#: Where a library the loader finds by file name lives when ldconfig's cache names it otherwise (FFmpeg links
#: ``libbz2.so.1``, which ldconfig lists as ``libbz2.so.1.0``, the library's own soname).
LIBRARY_DIRS = ("/lib/{multiarch}", "/usr/lib/{multiarch}", "/lib", "/usr/lib")


def _by_file_name(soname: str, machine: str) -> list[str]:
    multiarch = f"{machine}-linux-gnu"
    found = [os.path.join(d.format(multiarch=multiarch), soname) for d in LIBRARY_DIRS]
    return [path for path in found if os.path.exists(path)]


def system_packages(sonames: Iterable[str], machine: str) -> dict[str, str]:
    """soname → the Debian package holding it on this machine.  A soname no installed package holds is refused:
    the package would install and then not start."""
    paths = _library_paths()
    found: dict[str, str] = {}
    missing = []
    for soname in sorted(sonames):
        if soname not in paths:
            paths[soname] = _by_file_name(soname, machine)
        candidates = [p for p in paths.get(soname, []) if machine.replace("_", "-") in p or machine in p]
        owner = next((o for o in map(_owner, candidates or paths.get(soname, [])) if o), None)
        if owner is None:
            missing.append(soname)
        else:
            found[soname] = owner
    if missing:
        raise BuildError(
            f"打包机上找不到程序包需要的系统库 {', '.join(missing)}（或它们不属于任何已安装的软件包）。"
            "请先运行 make deps 安装构建依赖，再重新打包。"
        )
    return found


def depends(bundle: Path, arch: str, *, component_of: Path | None = None) -> list[str]:
    """The ``Depends:`` of the packages: libc6 with its minimum version, the packages of the other system
    libraries, the run-time data (for the client; a component installed into ``component_of`` needs only its
    libraries)."""
    owners = system_packages(needed_from_system(bundle, component_of), MACHINES[arch])
    floor = glibc_floor(bundle)
    names = sorted(set(owners.values()) | (set() if component_of is not None else set(RUNTIME_DATA)))
    result = []
    for name in names:
        if name == "libc6" and floor:
            result.append(f"libc6 (>= {floor})")
        else:
            result.append(name)
    if "libc6" not in names and floor:
        result.insert(0, f"libc6 (>= {floor})")
    return result


# ---------------------------------------------------------------------------------------------- staging


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def _check_bundle(bundle: Path) -> None:
    if not (bundle / "yimen").is_file():
        raise BuildError(
            f"{bundle} 不是受理台的程序包文件夹（缺少可执行文件 yimen）。请先构建程序包（python -m installer.bundle）。"
        )


def _is_camera(bundle: Path, path: Path) -> bool:
    from installer.bundle import camera_part

    return camera_part(path.relative_to(bundle).as_posix())


def _camera_only(bundle: Path, path: Path) -> bool:
    """A file of the component, or a folder holding nothing else (the client gets no empty plugin folder)."""
    if not path.is_dir() or path.is_symlink():
        return _is_camera(bundle, path)
    inside = [p for p in path.rglob("*") if p.is_file() or p.is_symlink()]
    return bool(inside) and all(_is_camera(bundle, p) for p in inside)


def _copy_bundle(bundle: Path, target: Path, *, camera: bool = False) -> None:
    """The bundle without the document camera's component (``camera``: the component alone, at the same paths)."""
    _check_bundle(bundle)
    if not camera:

        def skipped(folder: str, names: list[str]) -> set[str]:
            return {name for name in names if _camera_only(bundle, Path(folder) / name)}

        shutil.copytree(bundle, target, symlinks=True, ignore=skipped)
        return
    for path in sorted(bundle.rglob("*")):
        if (path.is_file() or path.is_symlink()) and _is_camera(bundle, path):
            copy = target / path.relative_to(bundle)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy, follow_symlinks=False)


_SHARED_LIBRARY = re.compile(r".+\.so(\.[0-9.]+)?")


def _normalize_modes(root: Path) -> None:
    """Folders 0755, files 0644, programs 0755, whatever the build machine's umask; shared libraries are loaded,
    never run, so 0644 (Debian policy 8.1)."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        elif _SHARED_LIBRARY.fullmatch(path.name):
            path.chmod(0o644)
        else:
            path.chmod(0o755 if path.stat().st_mode & 0o111 else 0o644)


def _installed_size(root: Path) -> int:
    """KiB, as dpkg-gencontrol counts it: each file rounded up to a KiB, one per folder and symlink."""
    total = 0
    for path in root.rglob("*"):
        if path.is_relative_to(root / "DEBIAN"):
            continue
        if path.is_symlink() or path.is_dir():
            total += 1
        else:
            total += (path.stat().st_size + 1023) // 1024
    return total


def _md5sums(root: Path) -> str:
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.is_relative_to(root / "DEBIAN"):
            continue
        digest = hashlib.md5(path.read_bytes()).hexdigest()  # noqa: S324 - dpkg's md5sums format
        lines.append(f"{digest}  {path.relative_to(root).as_posix()}\n")
    return "".join(lines)


def _control(
    package: str,
    version: str,
    arch: str,
    maintainer: str,
    deps: Sequence[str],
    size: int,
    *,
    recommends: Sequence[str] | None = None,
    summary: str = SUMMARY,
    text: str = DESCRIPTION,
) -> str:
    description = "\n".join(f" {line}" if line else " ." for line in text.splitlines())
    recommended = (*RECOMMENDS, *ARCH_RECOMMENDS.get(arch, ())) if recommends is None else recommends
    return (
        f"Package: {package}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {maintainer}\n"
        f"Installed-Size: {size}\n"
        f"Depends: {', '.join(deps)}\n"
        + (f"Recommends: {', '.join(recommended)}\n" if recommended else "")
        + "Section: misc\n"
        "Priority: optional\n"
        f"Description: {summary}\n"
        f"{description}\n"
    )


def _changelog(package: str, version: str, maintainer: str, when: dt.datetime) -> bytes:
    stamp = when.strftime("%a, %d %b %Y %H:%M:%S +0000")
    text = (
        f"{package} ({version}) unstable; urgency=medium\n\n"
        f"  * Release {version} (the project's history: its git log).\n\n"
        f" -- {maintainer}  {stamp}\n"
    )
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def _build_time() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch) if epoch else time.time(), tz=dt.UTC)


def _script(name: str, **values: str) -> str:
    text = (LINUX / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def _desktop(exec_path: str, icon: str) -> str:
    return _script("yimen.desktop", EXEC=exec_path, ICON=icon)


def _dpkg_deb(root: Path, target: Path, compression: str) -> None:
    done = subprocess.run(
        ["dpkg-deb", "--root-owner-group", *COMPRESSION[compression], "--build", str(root), str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BuildError(f"dpkg-deb 未能生成 {target.name}：{done.stderr.strip()[:500]}")


def build_deb(
    bundle: Path,
    out: Path,
    *,
    arch: str,
    version: str,
    maintainer: str = DEFAULT_MAINTAINER,
    compression: str = "xz",
) -> Package:
    """The .deb for Debian, UOS and Kylin."""
    started = time.perf_counter()
    _check_bundle(bundle)
    root = _fresh(out / f"{PACKAGE}-deb-root")
    _copy_bundle(bundle, root / DEB_PREFIX.lstrip("/"))
    deps = [*depends(root / DEB_PREFIX.lstrip("/"), arch), *SCRIPT_DEPENDS]
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin/yimen").symlink_to(f"{DEB_PREFIX}/yimen")
    _write(root / CONFFILE.lstrip("/"), TEMPLATE.read_text(encoding="utf-8"))
    _write(root / "lib/systemd/system" / UNIT, (LINUX / UNIT).read_text(encoding="utf-8"))
    _write(root / "usr/share/applications/yimen.desktop", _desktop("yimen", "yimen"))
    _write(root / "usr/share/icons/hicolor/scalable/apps/yimen.svg", (LINUX / "yimen.svg").read_text("utf-8"))
    _package_doc(root, PACKAGE, version, maintainer, (LINUX / "lintian-overrides").read_text("utf-8"))
    man = root / "usr/share/man/man1/yimen.1.gz"
    man.parent.mkdir(parents=True)
    man.write_bytes(gzip.compress(_script("yimen.1", VERSION=version).encode("utf-8"), compresslevel=9, mtime=0))
    control = _control(PACKAGE, version, arch, maintainer, deps, _installed_size(root))
    scripts = {
        "postinst": _script("postinst", APP=DEB_PREFIX, PACKAGE=PACKAGE, OWN_UNIT="no"),
        "prerm": _script("prerm"),
        "postrm": _script("postrm"),
    }
    target = _seal(root, out / f"{PACKAGE}_{version}_{arch}.deb", control, compression, scripts, CONFFILE + "\n")
    return Package(target, time.perf_counter() - started)


def _package_doc(root: Path, package: str, version: str, maintainer: str, overrides: str) -> None:
    """The package's copyright, changelog and lintian overrides."""
    doc = root / "usr/share/doc" / package
    _write(doc / "copyright", (LINUX / "copyright").read_text(encoding="utf-8"))
    (doc / "changelog.gz").write_bytes(_changelog(package, version, maintainer, _build_time()))
    _write(root / "usr/share/lintian/overrides" / package, overrides)


def _seal(
    root: Path,
    target: Path,
    control: str,
    compression: str,
    scripts: dict[str, str] | None = None,
    conffiles: str = "",
) -> Path:
    """The staged ``root`` as the package ``target``: modes normalized, the DEBIAN folder (maintainer scripts,
    conffiles, md5sums, control), built by dpkg-deb, the staging removed."""
    _normalize_modes(root)
    debian = root / "DEBIAN"
    debian.mkdir()
    for name, text in (scripts or {}).items():
        _write(debian / name, text, 0o755)
    if conffiles:
        _write(debian / "conffiles", conffiles)
    _write(debian / "md5sums", _md5sums(root))
    _write(debian / "control", control)
    _dpkg_deb(root, target, compression)
    shutil.rmtree(root)
    return target


def build_camera_deb(
    bundle: Path,
    out: Path,
    *,
    arch: str,
    version: str,
    maintainer: str = DEFAULT_MAINTAINER,
    compression: str = "xz",
) -> Package:
    """The document camera's component: its files at their places under ``/opt/yimen``, depending on the client of
    the same version (it has no program of its own) and on the system libraries its files link."""
    started = time.perf_counter()
    _check_bundle(bundle)
    root = _fresh(out / f"{CAMERA_PACKAGE}-deb-root")
    files = root / DEB_PREFIX.lstrip("/")
    _copy_bundle(bundle, files, camera=True)
    if not any(files.rglob("*")):
        raise BuildError(
            f"{bundle} 中没有高拍仪组件的文件（Qt Multimedia）。请用当前的 installer/yimen.spec 重新构建程序包。"
        )
    deps = [f"{PACKAGE} (= {version})", *depends(files, arch, component_of=bundle)]
    _package_doc(root, CAMERA_PACKAGE, version, maintainer, _camera_overrides())
    control = _control(
        CAMERA_PACKAGE,
        version,
        arch,
        maintainer,
        deps,
        _installed_size(root),
        recommends=(),
        summary=CAMERA_SUMMARY,
        text=CAMERA_DESCRIPTION,
    )
    target = _seal(root, out / f"{CAMERA_PACKAGE}_{version}_{arch}.deb", control, compression)
    return Package(target, time.perf_counter() - started)


def _camera_overrides() -> str:
    """The client's lintian overrides that concern the component's files too (libraries under /opt, without their
    own package), with the package's name."""
    lines = (LINUX / "lintian-overrides").read_text(encoding="utf-8").splitlines()
    return "".join(line.replace(f"{PACKAGE}:", f"{CAMERA_PACKAGE}:", 1) + "\n" for line in lines)


def store_version(version: str) -> str:
    """The store's version format, four numbers ``MAJOR.MINOR.PATCH.BUILD``: ``0.1.0`` → ``0.1.0.0``."""
    numbers = [part for part in re.split(r"[.+-]", version) if part.isdigit()][:4]
    return ".".join(numbers + ["0"] * (4 - len(numbers)))


def uos_info(version: str, arch: str) -> dict[str, object]:
    """The app store's ``info`` file: the app asks for no device or data permission of the desktop."""
    return {
        "appid": APPID,
        "name": NAME_ZH,
        "version": store_version(version),
        "arch": [arch],
        "permissions": {
            "autostart": False,
            "notification": False,
            "trayicon": False,
            "clipboard": True,
            "account": False,
            "bluetooth": False,
            "camera": False,
            "audio_record": False,
            "installed_apps": False,
        },
    }


def build_uos(
    bundle: Path,
    out: Path,
    *,
    arch: str,
    version: str,
    maintainer: str = DEFAULT_MAINTAINER,
    compression: str = "xz",
) -> Package:
    """The UOS app-store layout: ``/opt/apps/<appid>/{info,entries,files}``, no maintainer scripts."""
    started = time.perf_counter()
    _check_bundle(bundle)
    root = _fresh(out / f"{APPID}-deb-root")
    app = root / UOS_PREFIX.lstrip("/")
    files = app / "files"
    _copy_bundle(bundle, files)  # without the document camera (docs/devices.md "Document camera")
    deps = depends(files, arch)
    _write(app / "info", json.dumps(uos_info(version, arch), ensure_ascii=False, indent=2) + "\n")
    _write(app / f"entries/applications/{APPID}.desktop", _desktop(f"{UOS_PREFIX}/files/yimen", APPID))
    _write(app / f"entries/icons/hicolor/scalable/apps/{APPID}.svg", (LINUX / "yimen.svg").read_text("utf-8"))
    _write(files / UNIT, (LINUX / UNIT).read_text(encoding="utf-8"))
    _write(files / "yimen.toml.template", TEMPLATE.read_text(encoding="utf-8"))
    setup = _script("postinst", APP=f"{UOS_PREFIX}/files", PACKAGE=APPID, OWN_UNIT="yes")
    _write(files / "yimen-setup", setup, 0o755)
    control = _control(APPID, version, arch, maintainer, deps, _installed_size(root))
    target = _seal(root, out / f"{APPID}_{version}_{arch}.deb", control, compression)
    return Package(target, time.perf_counter() - started)


# ---------------------------------------------------------------------------------------------- command line


def _host_arch() -> str:
    done = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "amd64"


def _build_bundle(out: Path, arch: str) -> Path:
    from installer.bundle import BundleError, build_bundle

    try:
        return build_bundle(out, arch=arch).folder
    except BundleError as exc:
        raise BuildError(str(exc)) from None


def main(argv: Sequence[str] | None = None) -> int:
    from app.version import version

    parser = argparse.ArgumentParser(
        prog="python -m installer.build_linux", description="构建受理台的 Linux 安装包（.deb 和 UOS 应用商店包）"
    )
    parser.add_argument("--arch", choices=sorted(MACHINES), default=None, help="Debian 架构（默认为本机架构）")
    parser.add_argument("--out", type=Path, default=Path("dist"), help="输出文件夹（默认 dist）")
    parser.add_argument("--bundle", type=Path, help="已构建的程序包文件夹（默认先构建）")
    parser.add_argument("--maintainer", default=DEFAULT_MAINTAINER, help="软件包的 Maintainer 字段")
    parser.add_argument("--compression", choices=sorted(COMPRESSION), default="xz", help="压缩方式（默认 xz）")
    args = parser.parse_args(argv)
    arch = args.arch or _host_arch()
    try:
        if arch != _host_arch():
            raise BuildError(
                f"本机是 {_host_arch()}，不能构建 {arch} 的安装包（PyInstaller 只为运行它的机器构建）。"
                f"请在 {arch} 的机器上运行 make installers。"
            )
        args.out.mkdir(parents=True, exist_ok=True)
        bundle_dir = args.bundle or _build_bundle(args.out, arch)
        made = [
            build(
                bundle_dir,
                args.out,
                arch=arch,
                version=version(),
                maintainer=args.maintainer,
                compression=args.compression,
            )
            for build in (build_deb, build_camera_deb, build_uos)
        ]
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    for package in made:
        print(f"{package.path}（{package.seconds:.0f} 秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
