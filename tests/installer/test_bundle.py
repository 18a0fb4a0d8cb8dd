"""The client's PyInstaller bundle, read from the real built folder and run as the counter would run it.

What it must carry (Qt's libraries and plugins the client uses, our resources, the migrations, the CA bundle, the
package metadata), what it must not (the server's web stack, the test tools, Qt's QML, WebEngine and the rest),
that the frozen program answers ``--version``/``--help``, opens a store, draws a receipt and shows the login window
headless, and its size against the issue's goal (≤ 250 MB installed; docs/performance.md).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from installer.bundle import Bundle, camera_part, describe, size_of
from tests import pdfkit

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DEMO_DEPLOYMENT = REPO / "resources" / "demo" / "deployment.toml"
#: The issue's goal for the installed client (docs/performance.md "Installed size and frozen start-up").
SIZE_GOAL = 250_000_000

#: Qt libraries the client links (ui/: widgets, printing, the PDF preview, the 值班长 charts; xcb on Linux).
QT_NEEDED = ["Core", "Gui", "Widgets", "PrintSupport", "Pdf", "PdfWidgets", "Charts", "Network", "XcbQpa"]
#: Qt modules that must stay out (pyinstaller#5503: link analysis would otherwise pull some in).
QT_FORBIDDEN = re.compile(
    r"Qt6(WebEngine|WebView|WebChannel|WebSockets|Qml|Quick|3D|Multimedia|SpatialAudio|Designer|Help|Test|"
    r"Bluetooth|Nfc|Location|Positioning|Sensors|SerialPort|SerialBus|RemoteObjects|Scxml|StateMachine|Graphs|"
    r"DataVisualization|VirtualKeyboard|TextToSpeech|HttpServer|Sql|Svg|Lottie|ShaderTools|Concurrent|Xml)"
)
#: Python packages of the central server and of development that the counter never runs.
PY_FORBIDDEN = [
    "server",
    "fastapi",
    "starlette",
    "uvicorn",
    "httptools",
    "uvloop",
    "psycopg",
    "psycopg_binary",
    "pydantic_settings",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "schemathesis",
    "trustme",
    "mypy",
    "importlinter",
    "fontTools",
    "setuptools",
    "pip",
    "tkinter",
    "bench",
    "tests",
    "installer",
]
#: What the counter imports, some of it only by name at run time (migrations, the SQLCipher dialect, zoneinfo).
PY_NEEDED = [
    "app.cli",
    "ui.app",
    "db.migrate",
    "db.models",
    "alembic.op",
    "alembic.context",
    "sqlalchemy.dialects.sqlite.pysqlcipher",
    "sqlcipher3",
    "reportlab",
    "pypdf",
    "openpyxl",
    "requests",
    "certifi",
    "keyring",
    "pyrage",
    "argon2",
    "chinese_calendar",
    "stdnum",
    "pypinyin",
    "tzdata",
    "PySide6.QtPdfWidgets",
    "PySide6.QtCharts",
]


def internal(bundle: Bundle) -> Path:
    return bundle.folder / "_internal"


def bundled_modules(bundle: Bundle) -> set[str]:
    """Every module name the frozen program can import: the PYZ archive inside the executable and the folders and
    extension modules beside it."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(bundle.executable)).open_embedded_archive("PYZ.pyz")
    names = set(archive.toc)
    for path in internal(bundle).rglob("*"):
        relative = path.relative_to(internal(bundle))
        if path.suffix in (".so", ".pyd") or path.name.endswith(".abi3.so"):
            names.add(".".join([*relative.parent.parts, path.name.split(".")[0]]))
        elif path.is_dir():
            names.add(".".join(relative.parts))
    return names


def run(bundle: Bundle, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle.executable), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env if env is not None else counter_env(None),
        timeout=300,
        check=False,
    )


def counter_env(tmp: Path | None) -> dict[str, str]:
    """The environment of the frozen program: headless, and (with ``tmp``) its per-user folders in ``tmp``; the
    machine vault is the test's own (tests/conftest.py sets it in os.environ)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    if tmp is not None:
        for name in ("XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
            env[name] = str(tmp / name.lower())
        env["YIMEN_LOG_DIR"] = str(tmp / "logs")
    return env


# ---------------------------------------------------------------- what the program says about itself


def test_version_is_the_pyproject_version(bundle: Bundle) -> None:
    with (REPO / "pyproject.toml").open("rb") as fh:
        expected = tomllib.load(fh)["project"]["version"]
    done = run(bundle, "--version")
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout.split() or expected in done.stdout
    # The metadata it is read from when frozen (app/version.py), copied by the spec.
    metadata = list(internal(bundle).glob("yimen-*.dist-info/METADATA"))
    assert len(metadata) == 1
    assert f"\nVersion: {expected}\n" in metadata[0].read_text(encoding="utf-8")


def test_help_lists_the_window_options_and_the_subcommands(bundle: Bundle) -> None:
    done = run(bundle, "--help")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    for expected in ("--data-dir", "--config", "print", "backup", "enroll"):
        assert expected in done.stdout


# ---------------------------------------------------------------- what the bundle carries


def test_the_qt_the_client_uses_and_no_other(bundle: Bundle) -> None:
    qt = internal(bundle) / "PySide6" / "Qt"
    for name in QT_NEEDED:
        assert (qt / "lib" / f"libQt6{name}.so.6").is_file(), name
    plugins = qt / "plugins"
    for plugin in (
        "platforms/libqxcb.so",
        "platforms/libqoffscreen.so",
        "xcbglintegrations/libqxcb-glx-integration.so",
        "platforminputcontexts/libibusplatforminputcontextplugin.so",
        "printsupport/libcupsprintersupport.so",
        "imageformats/libqjpeg.so",
    ):
        assert (plugins / plugin).is_file(), plugin
    # python-stdnum's data: the Chinese region codes only (installer/bundle.py STDNUM_DATA).
    stdnum = internal(bundle) / "stdnum"
    assert (stdnum / "cn" / "loc.dat").is_file() and not (stdnum / "oui.dat").exists()
    assert sorted(p.name for p in (qt / "translations").iterdir()) == ["qtbase_en.qm", "qtbase_zh_CN.qm"]
    files = [p.relative_to(bundle.folder).as_posix() for p in bundle.folder.rglob("*")]
    # The document camera's component (Qt Multimedia, its FFmpeg plugin, Quick and Qml) is packaged apart: allowed
    # here only as installer/bundle.py camera_part names it.
    client = [name for name in files if not camera_part(name)]
    offending = [name for name in client if QT_FORBIDDEN.search(name)]
    assert not offending
    # No QML, WebEngine resources, helper programs (QtWebEngineProcess) or Qt tools (designer, linguist).
    for folder in ("qml", "resources", "libexec", "metatypes"):
        assert not (qt / folder).exists(), folder
    assert not [n for n in files if re.search(r"(^|/)(designer|linguist|assistant|QtWebEngineProcess)[^/]*$", n)]
    # Plugins the client has no use for (Wayland runs the xcb plugin through XWayland; docs/bundle.md).
    unused = ("sqldrivers", "qmltooling", "tls", "egldeviceintegrations", "wayland-shell-integration")
    for folder in unused:
        assert not (plugins / folder).exists(), folder
    assert sorted(p.name for p in (plugins / "multimedia").iterdir()) == ["libffmpegmediaplugin.so"]


def test_no_server_and_no_development_tools(bundle: Bundle) -> None:
    modules = bundled_modules(bundle)
    present = sorted(name for name in modules if name.split(".")[0] in PY_FORBIDDEN)
    assert not present
    missing = [name for name in PY_NEEDED if name not in modules]
    assert not missing


def test_system_libraries_are_left_to_the_system(bundle: Bundle) -> None:
    names = {p.name for p in internal(bundle).rglob("*.so*")}
    # libstdc++, X11/xcb, glib, fontconfig, cups, OpenSSL: Debian packages, declared by the .deb (build_linux.py).
    for system in ("libstdc++.so.6", "libX11.so.6", "libxcb-cursor.so.0", "libglib-2.0.so.0", "libcups.so.2"):
        assert system not in names
    for system in ("libfontconfig.so.1", "libssl.so.3", "libcairo.so.2", "libgtk-3.so.0"):
        assert system not in names
    # The Python runtime is ours (no target system has this Python).
    assert any(name.startswith("libpython3") for name in names)


def _is_elf(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"\x7fELF"


def test_every_library_resolves_from_the_bundle_or_the_system(bundle: Bundle) -> None:
    """What the bundle leaves to the system is there once the Debian packages are (``make deps`` here, the .deb's
    Depends on a counter): the dynamic loader finds every library each ELF file of the bundle needs."""
    elf = [path for path in bundle.folder.rglob("*") if path.is_file() and not path.is_symlink() and _is_elf(path)]
    assert len(elf) > 50
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal(bundle)))
    missing = []
    for path in elf:
        done = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env, check=False)
        missing += [f"{path.name}: {line.strip()}" for line in done.stdout.splitlines() if "not found" in line]
    assert not missing


def test_library_search_paths_stay_inside_the_bundle(bundle: Bundle) -> None:
    """No ELF file of the bundle names a folder of the build machine (the build Python's lib folder, kept by
    PyInstaller in libpython and its extension modules) for the loader to search on a counter: every RPATH/RUNPATH
    entry is $ORIGIN-relative and leads to a folder inside the bundle.  Qt's and Pillow's own entries stay."""
    root = bundle.folder.resolve()
    elf = [path for path in root.rglob("*") if path.is_file() and not path.is_symlink() and _is_elf(path)]
    assert len(elf) > 50
    outside: list[str] = []
    entries: dict[str, str] = {}
    for path in elf:
        done = subprocess.run(["readelf", "-dW", str(path)], capture_output=True, text=True, check=True)
        for kind, value in re.findall(r"\((RPATH|RUNPATH)\)\s+Library \w+: \[([^\]]*)\]", done.stdout):
            name = path.relative_to(root).as_posix()
            entries[name] = f"{kind} {value}"
            for entry in value.split(":"):
                if not re.match(r"\$(ORIGIN|\{ORIGIN\})(/|$)", entry):
                    outside.append(f"{name}: {kind} {entry!r}")
                    continue
                target = os.path.normpath(str(path.parent) + entry.split("ORIGIN", 1)[1].lstrip("}"))
                if not (target == str(root) or target.startswith(f"{root}{os.sep}")):
                    outside.append(f"{name}: {kind} {entry} leaves the bundle")
    assert not outside
    # libpython and the standard library's extension modules carried the build Python's lib folder; now nothing.
    python = [name for name in entries if name.startswith(("_internal/libpython", "_internal/python3"))]
    assert not python
    # PySide6's $ORIGIN entries are what finds Qt from the bindings and the plugins: kept as they were.
    assert entries["_internal/PySide6/Qt/lib/libQt6Gui.so.6"] == "RUNPATH $ORIGIN"
    assert entries["_internal/PySide6/Qt/plugins/platforms/libqxcb.so"] == "RUNPATH $ORIGIN/../../lib"
    assert entries["_internal/PySide6/QtCore.abi3.so"] == "RPATH $ORIGIN/:$ORIGIN/Qt/lib:$ORIGIN/../shiboken6/"


def test_the_id_card_bridges_are_beside_the_resources_and_answer(bundle: Bundle) -> None:
    """The bridges load a vendor library of either bitness (app/idcard/bridge.py finds them in sys._MEIPASS): the
    native one and, on amd64, the 32-bit one, executable, each answering for its bitness."""
    bits = [64, 32] if bundle.arch == "amd64" else [64]
    for size in bits:
        path = internal(bundle) / f"yimen-idcard-bridge{size}"
        assert path.is_file() and os.access(path, os.X_OK), path
        done = subprocess.run([str(path)], input=b"hello\n", capture_output=True, timeout=30, check=False)
        assert (done.returncode, done.stdout) == (0, f"ok yimen-idcard-bridge 1 {size}\n".encode())
    assert sorted(p.name for p in internal(bundle).glob("yimen-idcard-bridge*")) == sorted(
        f"yimen-idcard-bridge{size}" for size in bits
    )


def test_the_bundled_bridge_reads_a_card_through_a_library_of_the_other_bitness(
    bundle: Bundle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shipped bridge, not the checkout's: a 32-bit termb library (amd64; elsewhere one of this bitness that
    writes into its working directory) reads a card through the bundle's _internal folder."""
    from app.idcard.model import CardData, CardType, Sex
    from app.idcard.sdk import InBridge, open_sdk_reader
    from app.idcard.settings import IdCardSettings
    from app.idcard.text import encode_text

    bits = 32 if bundle.arch == "amd64" else 64
    library = tmp_path / "libtermb.so"
    flags = ["-m32"] if bits == 32 else ["-DNO_READ_CONTENT_PATH"]
    source = REPO / "tests" / "app" / "idcard" / "fake_reader.c"
    subprocess.run(["cc", *flags, "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    field = tmp_path / "field"
    field.mkdir()
    monkeypatch.setenv("YIMEN_FAKE_READER", str(field))
    digest = hashlib.sha256(library.read_bytes()).hexdigest()
    settings = IdCardSettings(driver="sdk", library=library, library_sha256=digest)
    reader = open_sdk_reader(settings, bridges=internal(bundle))
    assert isinstance(reader.host, InBridge) and reader.host.bridge.path.parent == internal(bundle)
    card = CardData(
        card_type=CardType.RESIDENT,
        name="张三",
        sex=Sex.MALE,
        ethnicity="汉",
        birth_date=None,
        address="上海市黄浦区人民大道200号",
        id_number="310101198001010018",
        authority="上海市公安局黄浦分局",
        valid_from=None,
        valid_to=None,
    )
    reader.open()
    try:
        (field / "card.bin").write_bytes(encode_text(card))
        read = reader.poll()
        assert read is not None and read.id_number == card.id_number and read.name == "张三"
    finally:
        reader.close()


def test_resources_migrations_guides_and_ca_bundle(bundle: Bundle) -> None:
    root = internal(bundle)
    for font in ("YimenSerif-Regular.ttf", "YimenSerif-Bold.ttf", "YimenFallback-Regular.ttf"):
        assert (root / "resources" / "fonts" / font).stat().st_size > 1_000_000, font
    shipped = {p.relative_to(REPO / "resources" / "catalog") for p in (REPO / "resources" / "catalog").rglob("*.yaml")}
    bundled = {p.relative_to(root / "resources" / "catalog") for p in (root / "resources" / "catalog").rglob("*.yaml")}
    assert shipped and bundled == shipped
    assert (root / "resources" / "translations" / "yimen_en.qm").is_file()
    assert not list((root / "resources" / "translations").glob("*.ts"))
    assert (root / "resources" / "demo" / "deployment.toml").is_file()
    # Alembic reads the migration scripts as files beside db/migrate.py.
    sources = {p.name for p in (REPO / "db" / "migrations" / "versions").glob("*.py")}
    frozen = {p.name for p in (root / "db" / "migrations" / "versions").glob("*.py")}
    assert sources and frozen == sources
    assert (root / "db" / "migrations" / "env.py").is_file()
    assert (root / "db" / "migrations" / "script.py.mako").is_file()
    # F1's guides with the screenshots they show.
    for guide in ("guide-clerk.md", "guide-clerk.en.md", "guide-supervisor.md", "guide-supervisor.en.md"):
        text = (root / "docs" / guide).read_text(encoding="utf-8")
        for image in re.findall(r"\]\((screenshots/[^)\s]+)\)", text):
            assert (root / "docs" / image).is_file(), image
    # requests verifies the server with certifi's CA bundle; zoneinfo finds Asia/Shanghai in tzdata.
    assert "BEGIN CERTIFICATE" in (root / "certifi" / "cacert.pem").read_text(encoding="ascii")
    assert (root / "tzdata" / "zoneinfo" / "Asia" / "Shanghai").is_file()


# ---------------------------------------------------------------- the frozen program at work


@pytest.fixture
def demo_store(bundle: Bundle, tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A data folder the frozen program made and filled with the demo's applications."""
    env = counter_env(tmp_path)
    data = tmp_path / "data"
    done = run(bundle, "demo", "seed", "--config", str(DEMO_DEPLOYMENT), "--data-dir", str(data), env=env)
    assert done.returncode == 0, done.stderr
    assert "新建" in done.stdout
    yield data, env


def test_frozen_program_opens_the_store_and_draws_a_receipt(
    bundle: Bundle, demo_store: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    data, env = demo_store
    location = ["--config", str(DEMO_DEPLOYMENT), "--data-dir", str(data)]
    listed = run(bundle, "applications", "list", "--json", *location, env=env)
    assert listed.returncode == 0, listed.stderr
    number = re.search(r'"acceptance_no": "([^"]+)"', listed.stdout)
    assert number is not None, listed.stdout
    out = tmp_path / "receipt.pdf"
    printed = run(bundle, "print", number.group(1), "--out", str(out), *location, env=env)
    assert printed.returncode == 0, printed.stderr
    pdf = out.read_bytes()
    assert "受理回执" in pdfkit.flat(pdf)
    assert number.group(1) in pdfkit.flat(pdf)
    fonts = pdfkit.fonts(pdf)
    assert fonts and all(font.embedded for font in fonts)
    assert all(font.name.split("+")[-1].startswith("Yimen") for font in fonts)


def test_frozen_selftest_passes_but_for_the_absent_server(
    bundle: Bundle, demo_store: tuple[Path, dict[str, str]]
) -> None:
    """``yimen selftest`` of the frozen program: the deployment, the store, the fonts, a receipt and Qt with its
    platform plugins (checked in a child process of the same executable) pass; no server runs here, which is a
    reminder, not a failure."""
    data, env = demo_store
    done = run(bundle, "selftest", "--config", str(DEMO_DEPLOYMENT), "--data-dir", str(data), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    passed = [line for line in lines if line.startswith("通过")]
    for what in ("配置文件", "数据库", "文书字体", "受理回执", "Qt"):
        assert any(what in line for line in passed), done.stdout
    assert str(bundle.folder / "_internal" / "resources" / "fonts") in done.stdout
    assert "offscreen" in done.stdout and "xcb" in done.stdout
    # The bundle holds the document camera's component (the packages carry it apart: tests/installer/test_deb.py
    # installs the client with and without it).
    assert "高拍仪组件可用" in done.stdout, done.stdout
    assert not [line for line in lines if line.startswith(("失败", "未查"))], done.stdout


def test_frozen_program_shows_the_login_window_headless(
    bundle: Bundle, demo_store: tuple[Path, dict[str, str]]
) -> None:
    """The window, through the bundled offscreen plugin, fonts and translations: Qt's own painting log says when the
    login dialog reached the screen (the same signal bench/startup.py's frozen figures use)."""
    data, env = demo_store
    env["QT_LOGGING_RULES"] = "qt.widgets.painting=true"
    proc = subprocess.Popen(
        [str(bundle.executable), "--config", str(DEMO_DEPLOYMENT), "--data-dir", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
    )
    # A hung program ends the wait (not a timing assertion: the figures are in docs/performance.md).
    guard = threading.Timer(120, proc.kill)
    guard.start()
    seen: list[str] = []
    shown = False
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "top level LoginDialog" in line and 'name="login"' in line:
                shown = True
                break
            if not line.startswith("qt.widgets.painting"):
                seen.append(line.rstrip())
    finally:
        guard.cancel()
        proc.kill()
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
    assert shown, "\n".join(seen[-20:])
    assert not [line for line in seen if "Traceback" in line or "Could not load the Qt platform plugin" in line]


def test_size_and_largest_files(bundle: Bundle) -> None:
    """Printed for docs/performance.md; the total is the issue's goal, a fact about the files (not a timing)."""
    report = describe(bundle.folder, 15)
    camera = sum(
        p.stat().st_size
        for p in bundle.folder.rglob("*")
        if p.is_file() and not p.is_symlink() and camera_part(p.relative_to(bundle.folder).as_posix())
    )
    client = size_of(bundle.folder) - camera
    report += f"\nthe client without the camera's component: {client / 1e6:.1f} MB; the component {camera / 1e6:.1f} MB"
    # Shown with -s or -rP (pytest captures it otherwise).
    print(report)  # noqa: T201
    print(f"built in {bundle.seconds:.0f} s")  # noqa: T201
    assert client <= SIZE_GOAL, report
    assert 20_000_000 < camera < 60_000_000, report  # Qt Multimedia with FFmpeg, Quick and Qml: it is there
