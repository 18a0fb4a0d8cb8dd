"""The .deb and the UOS app-store package, built from the real bundle, read back with dpkg-deb, checked by lintian and
installed for real (dpkg as root, in a throwaway overlay root: tests/installer/debkit.py) — silently, with a
deployment file and an enrollment code — then removed and purged: the data stays (docs/installing.md)."""

from __future__ import annotations

import json
import re
import stat
import subprocess
from pathlib import Path

import pytest

from app.version import version
from db.engine import DB_FILE_NAME
from installer.build_linux import APPID, CONFFILE, store_version
from installer.bundle import Bundle, camera_part, host_arch
from tests.conftest import write_deployment
from tests.installer.debkit import (
    assert_selftest_passed,
    camera_deb,
    deb_field,
    deb_listing,
    depends_closure,
    owning_package,
    packages,
    system_libraries,
    throwaway_root,
)
from tests.serverkit import free_port

NAME_ZH = "一门式社区事务受理台"


@pytest.fixture(scope="module")
def debs(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return packages(bundle.folder, bundle.arch, version(), tmp_path_factory.mktemp("debs"))


def _member(deb: Path, name: str) -> str:
    """One file of the package's data, read without installing it."""
    tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True).stdout
    done = subprocess.run(["tar", "-xO", f".{name}"], input=tar, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def _control_file(deb: Path, name: str, tmp_path: Path) -> str:
    folder = tmp_path / f"control-{deb.stem}"
    if not folder.exists():
        subprocess.run(["dpkg-deb", "-e", str(deb), str(folder)], check=True)
    path = folder / name
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_the_deb_carries_the_bundle_under_opt_with_its_entry_points(
    debs: tuple[Path, Path], bundle: Bundle, tmp_path: Path
) -> None:
    deb, _ = debs
    assert deb_field(deb, "Package") == "yimen"
    assert deb_field(deb, "Version") == version()
    assert deb_field(deb, "Architecture") == bundle.arch
    files = deb_listing(deb)
    assert files["/opt/yimen/yimen"].startswith("-rwxr-xr-x root/root")
    assert files["/usr/bin/yimen"].endswith("-> /opt/yimen/yimen") or files["/usr/bin/yimen"].endswith(
        "/opt/yimen/yimen"
    )
    # Shared libraries are loaded, never run: 0644 (lintian's shared-library-is-executable).
    libraries = [
        mode for name, mode in files.items() if re.search(r"\.so(\.[0-9.]+)?$", name) and not mode.startswith("l")
    ]
    assert libraries and all(mode.startswith("-rw-r--r--") for mode in libraries)
    # The ID-card reader's bridges: the native one and, on amd64, the 32-bit one for 32-bit vendor libraries.
    bridges = {name for name in files if "yimen-idcard-bridge" in name}
    expected = {"/opt/yimen/_internal/yimen-idcard-bridge64"}
    if bundle.arch == "amd64":
        expected.add("/opt/yimen/_internal/yimen-idcard-bridge32")
    assert bridges == expected and all(files[name].startswith("-rwxr-xr-x root/root") for name in bridges)
    assert "/usr/share/icons/hicolor/scalable/apps/yimen.svg" in files
    assert "/usr/share/man/man1/yimen.1.gz" in files
    entry = _member(deb, "/usr/share/applications/yimen.desktop")
    assert f"Name[zh_CN]={NAME_ZH}" in entry.splitlines()
    assert "Exec=yimen" in entry.splitlines() and "Icon=yimen" in entry.splitlines()
    unit = _member(deb, "/lib/systemd/system/yimen-vault.service")
    assert "ExecStart=/opt/yimen/yimen vault unseal" in unit.splitlines()
    assert ".venv" not in unit

    # The deployment file is a conffile, shipped as the template: production with an empty center code, which the
    # app refuses at start naming the key (docs/installing.md "The deployment file").
    assert _control_file(deb, "conffiles", tmp_path).split() == [CONFFILE]
    assert _member(deb, CONFFILE) == Path("installer/yimen.toml.template").read_text(encoding="utf-8")


def test_the_deb_declares_what_the_bundle_needs_from_the_system(debs: tuple[Path, Path]) -> None:
    deb, _ = debs
    depends = [part.strip() for part in deb_field(deb, "Depends").split(",")]
    names = {re.split(r"[ (]", part, maxsplit=1)[0] for part in depends}
    # The bundle leaves the C library, the graphics stack and the xcb platform plugin's libraries to the system
    # (installer/bundle.py from_system; Qt's own list: https://doc.qt.io/qt-6/linux-requirements.html): the package
    # asks for them, libc6 at the version the bundle's symbols need.
    assert any(re.fullmatch(r"libc6 \(>= 2\.\d+\)", part) for part in depends), depends
    xcb = {"libxcb1", "libxcb-cursor0", "libxkbcommon-x11-0", "libfontconfig1", "libegl1", "libgl1", "libdbus-1-3"}
    assert xcb <= names, sorted(xcb - names)
    # What the maintainer scripts run, and the data the bundled libraries read.
    assert {"adduser", "init-system-helpers", "fontconfig-config", "xkb-data"} <= names, depends


def test_the_depends_bring_every_library_the_bundle_takes_from_the_system(
    debs: tuple[Path, Path], bundle: Bundle
) -> None:
    """On a bare Debian the Depends are enough: every library ``ldd`` resolves outside the bundle, for each ELF file
    of it, belongs to a package that installing the .deb brings (its Depends, recursively, over the Essential and
    required packages every Debian has; tests/installer/debkit.py depends_closure)."""
    deb, _ = debs
    needed = system_libraries(bundle.folder)
    assert not [name for name in needed if name.startswith("not found")], sorted(needed)
    assert any("libxcb-cursor" in path for path in needed), sorted(needed)  # the xcb platform plugin's, at least
    closure = depends_closure(deb_field(deb, "Depends"))
    # The document camera's files come with their own package, whose Depends bring what they link.
    camera = depends_closure(deb_field(camera_deb(deb), "Depends"))
    # The 32-bit bridge of the ID-card reader runs on the i386 C library the .deb recommends on amd64 (apt installs
    # recommendations by default; a counter with a 64-bit reader library needs none of it).
    recommended = depends_closure(deb_field(deb, "Recommends"))
    missing = {}
    for path, users in sorted(needed.items()):
        package = owning_package(path)
        assert package is not None, f"{path} belongs to no package (needed by {sorted(users)[:3]})"
        bridge32 = {Path(user).name for user in users} == {"yimen-idcard-bridge32"}
        cameras = all(camera_part(Path(user).relative_to(bundle.folder.resolve()).as_posix()) for user in users)
        if package not in closure and not (bridge32 and package in recommended) and not (cameras and package in camera):
            missing[path] = (package, sorted(users)[:3])
    assert not missing, missing
    if bundle.arch == "amd64":
        assert "libc6-i386" in deb_field(deb, "Recommends").replace(",", " ").split()


def _qt_line(done: subprocess.CompletedProcess[str]) -> str:
    """The self-test's Qt line, once it ran without a failure (a store not yet made and a server away are
    reminders)."""
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    assert not [line for line in done.stdout.splitlines() if line.startswith("失败")], done.stdout
    return next(line for line in done.stdout.splitlines() if line.startswith("通过　Qt"))


def test_the_camera_component_is_packaged_apart_and_installs_into_the_client(
    debs: tuple[Path, Path], bundle: Bundle, tmp_path: Path
) -> None:
    """Qt Multimedia and FFmpeg go into yimen-camera (docs/devices.md "Document camera"): the client's package stays
    within the 250 MB goal without them; with the component installed the self-test finds the camera's module,
    removed it says the installation has none, and the component alone is refused."""
    deb, uos = debs
    camera = camera_deb(deb)
    files, client = deb_listing(camera), deb_listing(deb)
    assert "/opt/yimen/_internal/PySide6/QtMultimedia.abi3.so" in files
    assert "/opt/yimen/_internal/PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so" in files
    payload = [name for name in files if name.startswith("/opt/yimen/") and not files[name].startswith("d")]
    assert payload and all(camera_part(name.removeprefix("/opt/yimen/")) for name in payload)
    assert not set(payload) & set(client)  # no file in both packages (dpkg would refuse the second)
    assert not [name for name in deb_listing(uos) if "Multimedia" in name or "libavcodec" in name]
    depends = [part.strip() for part in deb_field(camera, "Depends").split(",")]
    assert depends[0] == f"yimen (= {version()})"
    assert {"libpulse0", "libbz2-1.0"} <= {re.split(r"[ (]", part, maxsplit=1)[0] for part in depends}, depends
    assert int(deb_field(deb, "Installed-Size")) * 1024 <= 250_000_000
    share = tmp_path / "share"
    share.mkdir()
    config = write_deployment(share, server_url=f"https://127.0.0.1:{free_port()}")
    qt = {"QT_QPA_PLATFORM": "offscreen"}
    with throwaway_root(tmp_path / "overlay", shared=[share]) as root:
        try:
            alone = root.run("dpkg", "-i", str(camera), check=False)
            assert alone.returncode != 0 and "yimen" in alone.stderr, alone.stderr
            root.run("dpkg", "--remove", "yimen-camera", check=False)
            root.run("dpkg", "-i", str(deb), env={"YIMEN_DEPLOYMENT_FILE": str(config)})
            assert _qt_line(root.run("yimen", "selftest", env=qt, check=False)).endswith(
                "（本安装不含高拍仪组件，拍照不可用；附加扫描件不受影响）。"
            )
            root.run("dpkg", "-i", str(camera))
            assert "高拍仪组件可用" in _qt_line(root.run("yimen", "selftest", env=qt, check=False))
            root.run("dpkg", "--remove", "yimen-camera")
            assert root.path("/opt/yimen/yimen").is_file()
            assert not root.path("/opt/yimen/_internal/PySide6/QtMultimedia.abi3.so").exists()
            assert "本安装不含高拍仪组件" in _qt_line(root.run("yimen", "selftest", env=qt, check=False))
        finally:
            root.run("dpkg", "--purge", "yimen-camera", check=False)
            root.purge("yimen")


def test_the_build_refuses_another_architecture_and_a_folder_that_is_no_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from installer.build_linux import main

    other = "arm64" if host_arch() == "amd64" else "amd64"
    assert main(["--arch", other, "--out", str(tmp_path / "out")]) == 1
    said = capsys.readouterr()
    assert f"不能构建 {other} 的安装包" in said.err and said.out == ""
    assert not (tmp_path / "out").exists()

    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--bundle", str(empty), "--out", str(tmp_path / "out")]) == 1
    said = capsys.readouterr()
    assert "不是受理台的程序包文件夹" in said.err and "Traceback" not in said.err
    assert list((tmp_path / "out").iterdir()) == []


def test_the_store_version_has_four_numbers() -> None:
    assert store_version("0.1.0") == "0.1.0.0"
    assert store_version("1.2.3.4") == "1.2.3.4"
    assert store_version("0.2.0.1") == "0.2.0.1"


def test_the_maintainer_scripts_never_delete_data(debs: tuple[Path, Path], tmp_path: Path) -> None:
    deb, _ = debs
    for name in ("postinst", "prerm", "postrm"):
        script = _control_file(deb, name, tmp_path)
        assert script.startswith("#!/bin/sh\n") and "\nset -e\n" in script, name
        code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("#"))
        assert not re.search(r"\b(rm|rmdir|delgroup|groupdel|shred|unlink)\b", code), name
        assert "chown -R" not in code and "chmod -R" not in code, name
    assert "not even on purge" in _control_file(deb, "postrm", tmp_path)


def test_lintian_reports_no_errors(debs: tuple[Path, Path]) -> None:
    deb, _ = debs
    done = subprocess.run(
        ["lintian", "--fail-on", "error", "--tag-display-limit", "0", str(deb)],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in done.stdout.splitlines() if line.startswith("E:")]
    assert done.returncode == 0 and not errors, done.stdout + done.stderr


def test_silent_install_with_a_deployment_file_then_remove_and_purge_keep_the_data(
    debs: tuple[Path, Path], tmp_path: Path
) -> None:
    deb, _ = debs
    share = tmp_path / "share"
    share.mkdir()
    closed = free_port()  # nothing listens there: the enrollment fails, the install does not
    good = write_deployment(share, server_url=f"https://127.0.0.1:{closed}")
    bad = share / "bad.toml"
    bad.write_text(good.read_text(encoding="utf-8").replace('code = "003"', 'code = "3"'), encoding="utf-8")
    code = "ENROLL-2f6c1d9a7b"
    with throwaway_root(tmp_path / "overlay", shared=[share]) as root:
        try:
            # A deployment file with a mistake: the install stops before it is put in place, saying why.
            refused = root.run(
                "dpkg", "--force-confold", "-i", str(deb), env={"YIMEN_DEPLOYMENT_FILE": str(bad)}, check=False
            )
            assert refused.returncode != 0
            assert "workstation.code" in refused.stderr and "未通过检查" in refused.stderr, refused.stderr
            assert root.path(CONFFILE).read_text(encoding="utf-8") == Path("installer/yimen.toml.template").read_text(
                encoding="utf-8"
            )

            # IT fixes it and finishes the install, with the one-time code.
            done = root.run(
                "dpkg",
                "--configure",
                "-a",
                env={"YIMEN_DEPLOYMENT_FILE": str(good), "YIMEN_ENROLL_CODE": code},
            )
            assert "已安装部署文件" in done.stderr
            assert "未能在中心服务器注册" in done.stderr and "安装本身已完成" in done.stderr, done.stderr
            assert root.path(CONFFILE).read_bytes() == good.read_bytes()

            gid = root.group("yimen")
            assert gid is not None
            for folder in ("/var/lib/yimen", "/var/lib/yimen-vault"):
                info = root.path(folder).stat()
                assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (0, gid, 0o2770), folder
            assert root.run("readlink", "-f", "/usr/bin/yimen").stdout.strip() == "/opt/yimen/yimen"

            shown = root.run("yimen", "--version")
            assert shown.stdout.strip() == f"yimen {version()}"
            assert root.run("yimen", "config", "check", CONFFILE).returncode == 0
            # Headless: the deployment, the fonts, a receipt, the Qt plugins of the installed bundle (an unreachable
            # server is a warning).
            assert_selftest_passed(root.run("yimen", "selftest", env={"QT_QPA_PLATFORM": "offscreen"}, check=False))
            # The self-test as root made the store: its files are the group's, 0660 (db/engine.py share_with_group).
            store = root.path(f"/var/lib/yimen/{DB_FILE_NAME}")
            assert store.is_file()
            assert (store.stat().st_gid, stat.S_IMODE(store.stat().st_mode)) == (gid, 0o660)

            # A clerk's own OS account, a member of the group, runs the installed program: the self-test opens the
            # store root made, and a backup writes into the data folder (docs/security.md: root:yimen 2770).
            root.run("useradd", "-m", "-G", "yimen", "-s", "/bin/sh", "clerk1")
            root.run("useradd", "-m", "-s", "/bin/sh", "visitor1")
            clerk = {"QT_QPA_PLATFORM": "offscreen", "HOME": "/home/clerk1", "USER": "clerk1"}
            assert_selftest_passed(
                root.run("runuser", "-u", "clerk1", "--", "yimen", "selftest", env=clerk, check=False)
            )
            backups = root.path("/var/lib/yimen/backups")
            before = set(backups.glob("*.ybak")) if backups.is_dir() else set()
            backed = root.run("runuser", "-u", "clerk1", "--", "yimen", "backup", env=clerk, check=False)
            assert backed.returncode == 0, backed.stdout + backed.stderr
            made = set(backups.glob("*.ybak")) - before
            assert made, backed.stdout + backed.stderr
            clerk_uid = int(root.run("id", "-u", "clerk1").stdout)
            assert all((f.stat().st_uid, f.stat().st_gid) == (clerk_uid, gid) for f in made)
            assert (store.stat().st_gid, stat.S_IMODE(store.stat().st_mode)) == (gid, 0o660)
            # An account outside the group is refused with one sentence naming the folder and the group.
            outsider = {"QT_QPA_PLATFORM": "offscreen", "HOME": "/home/visitor1", "USER": "visitor1"}
            refused = root.run(
                "runuser", "-u", "visitor1", "--", "yimen", "sync", "--status", env=outsider, check=False
            )
            # (the vault is opened first: the sentence names /var/lib/yimen-vault; app/cli.py exits 2 on a YimenError)
            assert refused.returncode != 0, refused.stdout + refused.stderr
            assert "/var/lib/yimen" in refused.stderr and "yimen 组" in refused.stderr, refused.stderr
            assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
            assert "Traceback" not in refused.stderr and refused.stdout == "", refused.stdout + refused.stderr

            # The code went to `yimen enroll` and nowhere else.
            leaked = root.run("grep", "-rl", code, "/etc", "/var/lib/yimen", "/var/lib/yimen-vault", check=False)
            assert leaked.stdout == "" and leaked.returncode == 1, leaked.stdout

            kept = root.path("/var/lib/yimen/records-of-the-day.txt")
            kept.write_text("unsynced", encoding="utf-8")
            root.run("dpkg", "--remove", "yimen")
            assert not root.path("/opt/yimen").exists() and not root.path("/usr/bin/yimen").exists()
            assert root.path(CONFFILE).is_file()  # removed, not purged: the deployment file stays
            root.run("dpkg", "--purge", "yimen")
            assert not root.path(CONFFILE).exists()
            assert kept.read_text(encoding="utf-8") == "unsynced"
            assert root.path("/var/lib/yimen-vault").is_dir() and root.group("yimen") == gid
        finally:
            root.purge("yimen")
            for account in ("clerk1", "visitor1"):  # on this machine's own root (no namespace), leave no account
                root.run("userdel", "-r", account, check=False)


def test_the_uos_app_store_package_and_its_one_time_setup(debs: tuple[Path, Path], tmp_path: Path) -> None:
    _, uos = debs
    assert deb_field(uos, "Package") == APPID
    prefix = f"/opt/apps/{APPID}"
    files = deb_listing(uos)
    for name in (
        "info",
        f"entries/applications/{APPID}.desktop",
        f"entries/icons/hicolor/scalable/apps/{APPID}.svg",
        "files/yimen",
        "files/yimen-setup",
        "files/yimen-vault.service",
    ):
        assert f"{prefix}/{name}" in files, name
    assert all(name == "/" or name.startswith(("/opt/apps", "/opt")) for name in files), "outside /opt/apps"
    # The store runs no maintainer script that changes the system.
    for script in ("preinst", "postinst", "prerm", "postrm"):
        assert _control_file(uos, script, tmp_path) == ""
    info = json.loads(_member(uos, f"{prefix}/info"))
    assert info["appid"] == APPID and info["name"] == NAME_ZH
    assert info["version"] == store_version(version()) and re.fullmatch(r"\d+\.\d+\.\d+\.\d+", info["version"])
    assert isinstance(info["arch"], list) and isinstance(info["permissions"], dict)
    entry = _member(uos, f"{prefix}/entries/applications/{APPID}.desktop").splitlines()
    assert f"Exec={prefix}/files/yimen" in entry and f"Icon={APPID}" in entry

    share = tmp_path / "share"
    share.mkdir()
    deployment = write_deployment(share, server_url=f"https://127.0.0.1:{free_port()}")
    with throwaway_root(tmp_path / "overlay", shared=[share]) as root:
        try:
            root.run("dpkg", "-i", str(uos))
            # IT's one step as root after the store installed it (docs/installing.md "UOS app store").
            root.run(f"{prefix}/files/yimen-setup", env={"YIMEN_DEPLOYMENT_FILE": str(deployment)})
            gid = root.group("yimen")
            assert gid is not None
            info_data = root.path("/var/lib/yimen").stat()
            assert (info_data.st_gid, stat.S_IMODE(info_data.st_mode)) == (gid, 0o2770)
            assert root.path(CONFFILE).read_bytes() == deployment.read_bytes()
            unit = root.path("/etc/systemd/system/yimen-vault.service").read_text(encoding="utf-8")
            assert f"ExecStart={prefix}/files/yimen vault unseal" in unit.splitlines()
            assert root.run(f"{prefix}/files/yimen", "--version").stdout.strip() == f"yimen {version()}"
        finally:
            root.purge(APPID)
