"""The central server's distribution, for real: ``python -m installer.server.build`` makes the folder, its
``install.sh --venv-only`` installs the lock and the wheel into a new virtual environment, and that environment's
``yimen-server`` migrates a store and serves its OpenAPI document without a single client dependency.  The systemd
units are checked by ``systemd-analyze verify`` against that installed environment."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from installer.server import build

pytestmark = pytest.mark.slow

UNITS = (
    "yimen-server@.service",
    "yimen-server-migrate.service",
    "yimen-server-partitions.service",
    "yimen-server-partitions.timer",
)
#: The units that run a command of the installed environment (the timer starts one of them).
SERVICES = ("yimen-server@8601.service", *UNITS[1:3])
VENV = "/opt/yimen-server/venv"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build.build(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def prefix(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server installed as install.sh does it, under a temporary prefix instead of /opt/yimen-server."""
    root = tmp_path_factory.mktemp("opt") / "yimen-server"
    env = dict(os.environ, YIMEN_SERVER_PREFIX=str(root), PYTHON=sys.executable)
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        ["sh", str(dist / "install.sh"), "--venv-only"], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "已安装到" in done.stdout
    return root


def server_env(**extra: str) -> dict[str, str]:
    """The environment of a service: nothing of the checkout or its virtual environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YIMEN_SERVER_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = "/usr/bin:/bin"
    return env | extra


def run_in(prefix: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(prefix / "venv" / "bin" / args[0]), *args[1:]],
        env=server_env(**env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_folder_holds_the_wheel_the_lock_and_the_service_files(dist: Path) -> None:
    assert dist.name == f"yimen-server-{dist.name.split('-')[-1]}"
    wheels = list(dist.glob("yimen-*.whl"))
    assert len(wheels) == 1
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    assert "server/cli.py" in names
    assert any(re.fullmatch(r"server/migrations/versions/0001_\w+\.py", n) for n in names)
    assert not any("__pycache__" in n for n in names)
    for shipped in (*build.SHIPPED, build.LOCK):
        assert (dist / shipped).is_file(), shipped
    assert os.access(dist / "install.sh", os.X_OK)
    lock = (dist / build.LOCK).read_text("utf-8")
    assert "--hash=sha256:" in lock and "fastapi==" in lock
    assert not re.search(r"^(pyside6|reportlab)", lock, re.IGNORECASE | re.MULTILINE)


def test_the_containerfile_copies_only_what_the_folder_holds(dist: Path) -> None:
    """Not built here (no container engine in the tests): its COPY sources are files of the build folder, which is
    its build context, and it runs the same virtual environment's yimen-server."""
    text = (dist / "Containerfile").read_text("utf-8")
    copies = re.findall(r"^COPY\s+(.+)$", text, re.MULTILINE)
    assert len(copies) == 2
    for line in copies:
        *sources, _target = line.split()
        for source in sources:
            assert list(dist.glob(source)), f"COPY {source}: not in the build folder"
    assert re.search(r"^FROM \S+python:3\.11", text, re.MULTILINE)
    assert f'ENTRYPOINT ["{VENV}/bin/yimen-server"]' in text
    assert "--require-hashes" in text and "--no-deps" in text
    assert re.search(r"^USER yimen-server$", text, re.MULTILINE)


def test_the_installed_server_migrates_and_runs_without_the_client_dependencies(prefix: Path, tmp_path: Path) -> None:
    venv = prefix / "venv"
    assert venv.is_symlink() and (prefix / os.readlink(venv)).is_dir()
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text("utf-8")

    helped = run_in(prefix, "yimen-server", "--help", cwd=tmp_path)
    assert helped.returncode == 0, helped.stderr
    for command in ("migrate", "run", "admin"):
        assert command in helped.stdout

    url = f"sqlite:///{tmp_path / 'server.db'}"
    refused = run_in(prefix, "yimen-server", "run", cwd=tmp_path, YIMEN_SERVER_DATABASE_URL=url)
    assert refused.returncode == 3
    assert "请先执行 yimen-server migrate" in refused.stderr
    migrated = run_in(prefix, "yimen-server", "migrate", cwd=tmp_path, YIMEN_SERVER_DATABASE_URL=url)
    assert migrated.returncode == 0, migrated.stderr
    assert "数据库结构：（空） →" in migrated.stdout
    head = migrated.stdout.split("→")[-1].strip()
    again = run_in(prefix, "yimen-server", "migrate", cwd=tmp_path, YIMEN_SERVER_DATABASE_URL=url)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"数据库结构：{head} → {head}"
    served = run_in(prefix, "yimen-server", "admin", "stats", cwd=tmp_path, YIMEN_SERVER_DATABASE_URL=url)
    assert served.returncode == 0, served.stderr
    assert '"events": 0' in served.stdout

    # Every router imports and the app builds (the OpenAPI document is made from it).
    spec = run_in(prefix, "yimen-server", "openapi", cwd=tmp_path)
    assert spec.returncode == 0, spec.stderr
    assert '"/api/v1/events"' in spec.stdout

    # The environment is the server's own: its modules come from it, and nothing of the counter's is in it.
    probe = run_in(
        prefix,
        "python",
        "-c",
        "import importlib.util, server, sys; "
        "print(server.__file__); "
        "print(','.join(m for m in ('PySide6', 'shiboken6', 'reportlab', 'pypdf', 'sqlcipher3', 'openpyxl') "
        "if importlib.util.find_spec(m)) or 'none')",
        cwd=tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    location, client_modules = probe.stdout.split()
    assert Path(location).resolve().is_relative_to(venv.resolve())
    assert client_modules == "none"


def test_the_systemd_units_verify_against_the_installed_environment(prefix: Path, tmp_path: Path) -> None:
    """``systemd-analyze verify`` (offline: no running systemd needed) on the units as shipped, the venv path
    pointed at the one installed above: the commands exist, every setting parses, the dependencies resolve."""
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: make deps installs the systemd package"
    for name in UNITS:
        text = (build.HERE / "systemd" / name).read_text("utf-8")
        assert text.count(VENV) >= (0 if name.endswith(".timer") else 1)
        (tmp_path / name).write_text(text.replace(VENV, str(prefix / "venv")), "utf-8")
    done = subprocess.run(
        [analyze, "verify", *(str(tmp_path / name) for name in (*SERVICES, UNITS[3]))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ""  # warnings too (an unknown key, a value that does not parse)
    # systemd's own review of the confinement: an exposure of at most 2.0 of 10 ("OK"; 1.5 as shipped).
    for name in SERVICES:
        review = subprocess.run(
            [analyze, "security", "--offline=true", "--threshold=20", str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert review.returncode == 0, review.stdout[-3000:] + review.stderr


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read(build.HERE / "systemd" / name, encoding="utf-8")
    return parser


def test_the_instances_wait_for_the_migration_and_run_confined() -> None:
    instance, migrate = unit(UNITS[0]), unit(UNITS[1])
    assert migrate["Service"]["Type"] == "oneshot"
    assert migrate["Service"]["ExecStart"] == f"{VENV}/bin/yimen-server migrate"
    # Not RemainAfterExit: each instance start (a rolling upgrade's restart) runs the migration again first.
    assert "RemainAfterExit" not in migrate["Service"]
    assert "yimen-server-migrate.service" in instance["Unit"]["Requires"].split()
    assert "yimen-server-migrate.service" in instance["Unit"]["After"].split()
    assert instance["Service"]["ExecStart"] == f"{VENV}/bin/yimen-server run --port %i"
    for parsed in (instance, migrate):
        service = parsed["Service"]
        assert service["User"] == service["Group"] == "yimen-server"
        assert service["EnvironmentFile"] == "/etc/yimen-server/yimen-server.env"
        for key, value in {
            "NoNewPrivileges": "yes",
            "ProtectSystem": "strict",
            "ProtectHome": "yes",
            "PrivateTmp": "yes",
            "PrivateDevices": "yes",
            "CapabilityBoundingSet": "",
        }.items():
            assert service[key] == value, key


def test_the_partitions_timer_runs_the_command_daily_on_beijing_time_confined_like_the_server() -> None:
    """``admin partitions`` from a timer (docs/operations.md "The units"): the command itself is tested in
    tests/server/test_partitions.py; here, that the timer starts that service, when, and that a missed run is
    caught up; the service confined as the instances are."""
    service, timer = unit(UNITS[2]), unit(UNITS[3])
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["ExecStart"] == f"{VENV}/bin/yimen-server admin partitions"
    assert "yimen-server-migrate.service" in service["Unit"]["After"].split()
    assert "Unit" not in timer["Timer"]  # the timer starts the service of its own name
    assert timer["Timer"]["OnCalendar"] == "*-*-* 03:15:00 Asia/Shanghai"
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    calendar = subprocess.run(
        ["systemd-analyze", "calendar", "--iterations=2", timer["Timer"]["OnCalendar"]],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert calendar.returncode == 0, calendar.stderr
    assert calendar.stdout.count("19:15:00 UTC") == 2  # 03:15 in Beijing, every day
    instance = unit(UNITS[0])["Service"]
    for key in ("User", "EnvironmentFile", "ProtectSystem", "CapabilityBoundingSet", "SystemCallFilter"):
        assert service["Service"][key] == instance[key], key
    # The only path the instances and the migration may write: the documents' folder, when it is there.
    assert instance["ReadWritePaths"] == unit(UNITS[1])["Service"]["ReadWritePaths"]
    assert instance["ReadWritePaths"] == "-/var/lib/yimen-server/documents"
    assert "ReadWritePaths" not in service["Service"]


def test_the_settings_example_names_only_real_settings_and_they_validate() -> None:
    """A misspelled ``YIMEN_SERVER_…`` line would be ignored without a word: every one of the example's names a
    setting, and together they validate."""
    from server.settings import ServerSettings

    values: dict[str, str] = {}
    for line in (build.HERE / "yimen-server.env.example").read_text("utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, sep, value = line.partition("=")
            assert sep and key == key.strip() and " " not in key, line
            values[key] = value
    ours = {k.removeprefix("YIMEN_SERVER_").lower(): v for k, v in values.items() if k.startswith("YIMEN_SERVER_")}
    assert set(ours) <= set(ServerSettings.model_fields), set(ours) - set(ServerSettings.model_fields)
    settings = ServerSettings(**ours)  # type: ignore[arg-type]
    assert settings.host == "127.0.0.1" and settings.workers == 1
    # The address nginx connects from (its proxy_bind) is the one trusted, and nothing else.
    site = (build.HERE / "nginx" / "yimen-server.conf").read_text("utf-8")
    bind = re.search(r"^\s*proxy_bind (\S+);", site, re.MULTILINE)
    assert bind and settings.trusted_proxies == f"{bind.group(1)}/32"
    assert set(values) - {f"YIMEN_SERVER_{k.upper()}" for k in ours} == {"PGPASSFILE"}
