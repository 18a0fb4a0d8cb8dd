"""installer.bundle's keep lists read file names as the spec meets them, in the Linux and the Windows wheels' layouts
(the Windows bundle is built on Windows only: this is what can be checked of its filtering here)."""

from __future__ import annotations

import _json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from installer.bundle import camera_part, confine_search_paths, from_system, host_arch, keep, within_bundle

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "dest",
    [
        # Linux (PySide6/Qt/{lib,plugins,translations})
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/lib/libQt6Charts.so.6",
        "PySide6/Qt/lib/libicudata.so.73",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "PySide6/QtPdfWidgets.abi3.so",
        "libQt6Gui.so.6",
        "sqlcipher3/_sqlite3.cpython-311-x86_64-linux-gnu.so",
        "resources/fonts/YimenSerif-Regular.ttf",
        # Windows (PySide6/{plugins,translations}, the DLLs beside the binding modules)
        "PySide6\\Qt6Core.dll",
        "PySide6\\Qt6PrintSupport.dll",
        "PySide6\\QtCharts.pyd",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6\\plugins\\styles\\qmodernwindowsstyle.dll",
        "PySide6\\plugins\\imageformats\\qjpeg.dll",
        "PySide6\\translations\\qtbase_en.qm",
        "PySide6\\pyside6.abi3.dll",
        "stdnum/cn/loc.dat",
        "stdnum\\cn\\loc.dat",
        "stdnum/cn/ric.py",
    ],
)
def test_kept(dest: str) -> None:
    assert keep(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6WebEngineCore.so.6",
        "PySide6/Qt/lib/libQt63DCore.so.6",
        "stdnum/oui.dat",
        "stdnum/nz/banks.dat",
        "stdnum\\imsi.dat",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/translations/qtwebengine_zh_CN.qm",
        "PySide6/Qt/qml/QtQuick/qmldir",
        "PySide6/Qt/libexec/QtWebEngineProcess",
        "PySide6/Qt/resources/qtwebengine_resources.pak",
        "PySide6/QtQuick.abi3.so",
        "PySide6/QtTest.abi3.so",
        "PySide6/designer",
        "PySide6\\Qt6WebEngineCore.dll",
        "PySide6\\QtWebEngineProcess.exe",
        "PySide6\\designer.exe",
        "PySide6\\QtQml.pyd",
        "PySide6\\plugins\\sqldrivers\\qsqlite.dll",
        "PySide6\\translations\\qt_help_de.qm",
        "PySide6\\qml\\QtQuick\\qmldir",
    ],
)
def test_dropped(dest: str) -> None:
    assert not keep(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6Multimedia.so.6",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6Concurrent.so.6",
        "PySide6/Qt/lib/libavcodec.so.61",
        "PySide6/Qt/lib/libswscale.so.8",
        "PySide6/Qt/lib/libQt6FFmpegStub-va-drm.so.2",
        "PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
        "PySide6/QtMultimedia.abi3.so",
        "libQt6Quick.so.6",
        "libavformat.so.61",
        "PySide6\\Qt6Qml.dll",
        "PySide6\\Qt6Multimedia.dll",
        "PySide6\\avcodec-61.dll",
        "PySide6\\plugins\\multimedia\\ffmpegmediaplugin.dll",
        "PySide6\\QtMultimedia.pyd",
        # As the packages name them, inside the bundle's folder.
        "_internal/PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so",
        "_internal\\PySide6\\avcodec-61.dll",
    ],
)
def test_the_camera_s_component_is_kept_and_told_apart(dest: str) -> None:
    """The document camera's files stay in the bundle, and the packages carry them apart (camera_part)."""
    assert keep(dest) and camera_part(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt/lib/libQt6OpenGL.so.6",
        "PySide6/QtGui.abi3.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/multimedia/libgstreamermediaplugin.so",
        "PySide6/QtQuick.abi3.so",
        "PySide6",
        "yimen",
        "resources/fonts/YimenSerif-Regular.ttf",
        "PySide6\\plugins\\multimedia\\windowsmediaplugin.dll",
        "_internal/PySide6/Qt/lib/libQt6Core.so.6",
        "_internal/yimen-idcard-bridge32",
        "_internal",
    ],
)
def test_the_client_s_files_and_the_rest_are_not_the_camera_s(dest: str) -> None:
    assert not camera_part(dest)


def test_system_libraries_linux_only() -> None:
    assert from_system("libX11.so.6", "/lib/x86_64-linux-gnu/libX11.so.6")
    assert from_system("libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6")
    # The Python runtime stays, wherever it comes from; so do libraries of the wheels and of Python's own folders.
    assert not from_system("libpython3.11.so.1.0", "/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0")
    assert not from_system("libpython3.11.so.1.0", "/opt/python/lib/libpython3.11.so.1.0")
    assert not from_system(
        "python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
        "/usr/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
    )
    assert not from_system("libavif-c6062d5f.so.16", "/venv/lib/python3.11/site-packages/pillow.libs/libavif.so.16")
    # Windows: PyInstaller already leaves the system's DLLs out.
    assert not from_system("VCRUNTIME140.dll", "C:\\Windows\\System32\\VCRUNTIME140.dll", windows=True)


def test_no_cross_build(tmp_path: Path) -> None:
    """PyInstaller builds for the interpreter that runs it: another architecture is refused before anything is built,
    in one Chinese sentence (app/cli.py's convention: exit 1)."""
    other = "arm64" if host_arch() == "amd64" else "amd64"
    done = subprocess.run(
        [sys.executable, "-m", "installer.bundle", "--out", str(tmp_path / "dist"), "--arch", other],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "不能在" in done.stderr and "交叉构建" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "dist").exists()


def _search_paths(path: Path) -> list[str]:
    done = subprocess.run(["readelf", "-dW", str(path)], capture_output=True, text=True, check=True)
    return [
        f"{kind} {value}" for kind, value in re.findall(r"\((RPATH|RUNPATH)\)\s+Library \w+: \[([^\]]*)\]", done.stdout)
    ]


def test_search_paths_outside_the_bundle_are_removed(tmp_path: Path) -> None:
    """confine_search_paths on real ELF files (a copy of an extension module of this Python) given search paths with
    patchelf: entries naming the build machine or leaving the bundle go, $ORIGIN entries inside it stay with their
    kind (RPATH stays RPATH), and a file whose entries all stay is not rewritten."""
    module = Path(_json.__file__ or "")
    assert module.is_file()
    folder = tmp_path / "yimen"
    (folder / "_internal" / "lib").mkdir(parents=True)
    files = {
        "python": ("--set-rpath", "/build/python/lib"),
        "lib/mixed": ("--set-rpath", "/build/python/lib:$ORIGIN/..:$ORIGIN/../../../elsewhere:relative"),
        "lib/old": ("--force-rpath", "--set-rpath", "${ORIGIN}:/usr/local/lib"),
        "lib/qt": ("--set-rpath", "$ORIGIN/../lib"),
    }
    for name, options in files.items():
        target = folder / "_internal" / f"{name}.so"
        shutil.copyfile(module, target)
        subprocess.run(["patchelf", *options, str(target)], check=True)
    untouched = (folder / "_internal" / "lib" / "qt.so").read_bytes()

    changed = confine_search_paths(folder)

    assert changed == ["_internal/lib/mixed.so", "_internal/lib/old.so", "_internal/python.so"]
    assert _search_paths(folder / "_internal" / "python.so") == []
    assert _search_paths(folder / "_internal" / "lib" / "mixed.so") == ["RUNPATH $ORIGIN/.."]
    assert _search_paths(folder / "_internal" / "lib" / "old.so") == ["RPATH ${ORIGIN}"]
    assert (folder / "_internal" / "lib" / "qt.so").read_bytes() == untouched
    assert _search_paths(folder / "_internal" / "lib" / "qt.so") == ["RUNPATH $ORIGIN/../lib"]


def test_within_bundle() -> None:
    folder = Path("/b/yimen")
    library = folder / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    assert within_bundle("$ORIGIN/../../lib", library, folder)
    assert within_bundle("${ORIGIN}", library, folder)
    assert within_bundle("$ORIGIN/../../../../..", library, folder)
    assert not within_bundle("$ORIGIN/../../../../../..", library, folder)
    assert not within_bundle("$ORIGINAL", library, folder)
    assert not within_bundle("/opt/python3.11/lib", library, folder)
    assert not within_bundle("lib", library, folder)
    assert not within_bundle("", library, folder)


def test_missing_patchelf_is_named(tmp_path: Path) -> None:
    """Without patchelf the Linux build stops before PyInstaller runs, naming the Debian package to install."""
    tools = tmp_path / "bin"
    tools.mkdir()
    readelf = shutil.which("readelf")
    assert readelf is not None
    (tools / "readelf").symlink_to(readelf)
    done = subprocess.run(
        [sys.executable, "-m", "installer.bundle", "--out", str(tmp_path / "dist")],
        cwd=REPO,
        env=dict(os.environ, PATH=str(tools)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "找不到 patchelf：请安装 Debian 软件包 patchelf（make deps 会安装）。"
    assert not (tmp_path / "dist").exists()
