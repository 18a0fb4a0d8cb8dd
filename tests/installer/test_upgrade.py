"""An upgrade never loses a record (docs/installing.md "Upgrading"): the installed .deb makes a store with records not
yet uploaded; a second, real build — from a copy of this source tree with one more migration, a higher version and
a changed deployment template — is installed over it; the store is backed up and migrated, the records are there
and reach a real central server; the deployment file IT edited survives; remove and purge leave the data."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

from app.version import version
from db.engine import DB_FILE_NAME
from installer.build_linux import CONFFILE
from installer.bundle import Bundle
from tests.conftest import write_deployment
from tests.installer.debkit import assert_selftest_passed, deb_field, packages, throwaway_root
from tests.serverkit import count, enrollment_code
from tests.storekit import connect_store

REPO = Path(__file__).resolve().parents[2]
#: Built, not committed: what the second build needs beside the committed tree (Makefile: fonts, translations).
BUILT = ("resources/fonts", "resources/translations")
TEMPLATE_LINE = "# This build's template has one more line (tests/installer/test_upgrade.py)."


def _next_version(current: str) -> str:
    return f"{current}.1"


def _newer_source(target: Path) -> tuple[str, str]:
    """A copy of the committed tree with a test migration after the head, the head bumped and a higher version;
    returns (version, revision)."""
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=REPO, capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    for name in BUILT:
        shutil.copytree(REPO / name, target / name, dirs_exist_ok=True)
    migrate = target / "db/migrate.py"
    text = migrate.read_text(encoding="utf-8")
    head = re.search(r'^HEAD_REVISION = "(\d+)"', text, re.MULTILINE)
    assert head, "db/migrate.py names no HEAD_REVISION"
    old = head.group(1)
    new = f"{int(old) + 1:04d}"
    migrate.write_text(text.replace(f'HEAD_REVISION = "{old}"', f'HEAD_REVISION = "{new}"'), encoding="utf-8")
    (target / f"db/migrations/versions/{new}_upgrade_probe.py").write_text(
        f'"""Test-only: one new table (tests/installer/test_upgrade.py)."""\n\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "{new}"\ndown_revision = "{old}"\nbranch_labels = None\ndepends_on = None\n\n\n'
        "def upgrade() -> None:\n"
        '    op.create_table("upgrade_probe", sa.Column("id", sa.Integer, primary_key=True))\n\n\n'
        'def downgrade() -> None:\n    op.drop_table("upgrade_probe")\n',
        encoding="utf-8",
    )
    pyproject = target / "pyproject.toml"
    newer = _next_version(version())
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace(f'version = "{version()}"', f'version = "{newer}"', 1),
        encoding="utf-8",
    )
    template = target / "installer/yimen.toml.template"
    template.write_text(template.read_text(encoding="utf-8") + TEMPLATE_LINE + "\n", encoding="utf-8")
    return newer, new


@pytest.fixture(scope="module")
def newer_deb(bundle: Bundle, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The second package: a real PyInstaller build of the newer tree, packaged by that tree's build_linux."""
    source = tmp_path_factory.mktemp("newer-source")
    newer, revision = _newer_source(source)
    out = tmp_path_factory.mktemp("newer-dist")
    env = {"PYTHONPATH": str(source), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(out)}
    built = subprocess.run(
        [sys.executable, "-m", "installer.bundle", "--out", str(out)],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    script = (
        "import sys; from pathlib import Path; from installer.build_linux import build_deb; "
        f"print(build_deb(Path({str(out / 'yimen')!r}), Path({str(out)!r}), arch={bundle.arch!r}, "
        f"version={newer!r}, compression='gzip').path)"
    )
    packaged = subprocess.run(
        [sys.executable, "-c", script], cwd=source, env=env, capture_output=True, text=True, check=False
    )
    assert packaged.returncode == 0, packaged.stderr[-3000:]
    return Path(packaged.stdout.strip().splitlines()[-1]), revision


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_upgrade_keeps_every_unsynced_record_and_the_edited_deployment_file(
    bundle: Bundle,
    newer_deb: tuple[Path, str],
    central: object,
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
) -> None:
    old_deb, _ = packages(bundle.folder, bundle.arch, version(), tmp_path_factory.mktemp("debs"))
    new_deb, revision = newer_deb
    newer = deb_field(new_deb, "Version")
    assert newer == _next_version(version())
    share = tmp_path / "share"
    share.mkdir()
    # Demo mode: `yimen demo seed` writes accounts and sample applications through the use cases, as a counter
    # would, into the machine-wide data folder and vault the package made.
    deployment = write_deployment(share, mode="demo", server_url=central.url)  # type: ignore[attr-defined]
    engine = central.engine()  # type: ignore[attr-defined]
    with throwaway_root(tmp_path / "overlay", shared=[share]) as root:
        try:
            # Installed silently with the deployment file and a one-time code: enrolled at install.
            code = enrollment_code(engine)
            installed = root.run(
                "dpkg",
                "--force-confold",
                "-i",
                str(old_deb),
                env={"YIMEN_DEPLOYMENT_FILE": str(deployment), "YIMEN_ENROLL_CODE": code},
            )
            assert "本工位已在中心服务器注册" in installed.stderr, installed.stdout + installed.stderr
            seeded = root.run("yimen", "demo", "seed")
            status = json.loads(root.run("yimen", "sync", "--status").stdout)
            pending = status["pending"]
            assert pending > 0 and status["enrolled"], (seeded.stdout, status)
            leaked = root.run("grep", "-rl", code, "/etc", "/var/lib/yimen", "/var/lib/yimen-vault", check=False)
            assert leaked.stdout == "", leaked.stdout
            store = root.path(f"/var/lib/yimen/{DB_FILE_NAME}")
            backups = root.path("/var/lib/yimen/backups")
            before = set(backups.glob("*.ybak")) if backups.is_dir() else set()
            # IT's own edit of the deployment file.
            conffile = root.path(CONFFILE)
            edited = conffile.read_text(encoding="utf-8") + "# 信息员 2026-12 修改\n"
            conffile.write_text(edited, encoding="utf-8")

            # The same rollout command again: an edited deployment file is not replaced unless IT asks.
            upgraded = root.run(
                "dpkg", "--force-confold", "-i", str(new_deb), env={"YIMEN_DEPLOYMENT_FILE": str(deployment)}
            )
            assert root.run("yimen", "--version").stdout.strip() == f"yimen {newer}", upgraded.stderr
            assert "已由信息员修改过，保持不变" in upgraded.stderr, upgraded.stderr
            # The package changed its template and IT changed the file: IT's stays, the package's is set beside it.
            assert conffile.read_text(encoding="utf-8") == edited
            assert TEMPLATE_LINE in root.path(CONFFILE + ".dpkg-dist").read_text(encoding="utf-8")

            # The first use of the new version backs the store up, then migrates it; the records wait as before.
            status = json.loads(root.run("yimen", "sync", "--status").stdout)
            assert status["pending"] == pending
            made = set(backups.glob("*.ybak")) - before
            assert made, "no backup before the migration"
            # Read from a copy: SQLite does not open a file through the /proc/<pid>/root link of the overlay.
            copy = tmp_path / "copy"
            copy.mkdir()
            for part in store.parent.glob(store.name + "*"):
                shutil.copy2(part, copy / part.name)
            conn = connect_store(copy / store.name, vault=root.path("/var/lib/yimen-vault"))
            try:
                assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
                tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                assert "upgrade_probe" in tables
                applications = conn.execute("SELECT count(*) FROM applications").fetchone()[0]
            finally:
                conn.close()
            assert applications > 0
            # The upgraded program's self-test: the deployment file, the migrated store, the fonts and Qt pass.
            assert_selftest_passed(root.run("yimen", "selftest", env={"QT_QPA_PLATFORM": "offscreen"}, check=False))

            # Synced with the new version: the server has every record, once.
            synced = root.run("yimen", "sync", "--once")
            assert "隔离 0 个" in synced.stdout, synced.stdout
            status = json.loads(root.run("yimen", "sync", "--status").stdout)
            assert status["pending"] == 0 and status["quarantined"] == 0
            assert count(engine, "applications") == applications
            assert count(engine, "events") == pending

            # Uninstalled: the store and the vault are untouched.
            kept = _sha256(store)
            root.run("dpkg", "--remove", "yimen")
            root.run("dpkg", "--purge", "yimen")
            assert not root.path("/opt/yimen").exists()
            assert _sha256(store) == kept
            assert root.path("/var/lib/yimen-vault/store.key").is_file()
            assert set(backups.glob("*.ybak")) >= made
        finally:
            root.purge("yimen")
