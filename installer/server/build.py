"""The central server's distribution: ``python -m installer.server.build --out dist``.

Makes ``dist/yimen-server-VERSION/`` with everything a server machine needs and nothing of the checkout:

- ``yimen-VERSION-py3-none-any.whl``: the project's wheel (``pip wheel --no-deps``), installed without its
  dependencies into the server's own virtual environment;
- ``requirements-server.lock``: the server's pinned dependencies with their hashes (``make lock``; no Qt, no
  ReportLab), installed first with ``pip install --require-hashes``;
- ``install.sh``: the virtual environment, the service user, the systemd units and the settings file
  (docs/operations.md "Install, migrate, run");
- ``systemd/``, ``yimen-server.env.example``, ``nginx/yimen-server.conf``, ``Containerfile``.

The wheel is built from a copy of the packages in a temporary folder, never in the checkout: setuptools' ``build/``
folder keeps modules deleted since the last build and would put them into the wheel.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
#: What the wheel is built from (pyproject.toml's ``packages.find`` picks the packages among them).
SOURCES = ("pyproject.toml", "README.md", "app", "db", "ui", "server")
#: Copied beside the wheel, as they are in installer/server/ (the lock from the checkout's root).
SHIPPED = (
    "install.sh",
    "Containerfile",
    "yimen-server.env.example",
    "systemd/yimen-server@.service",
    "systemd/yimen-server-migrate.service",
    "systemd/yimen-server-partitions.service",
    "systemd/yimen-server-partitions.timer",
    "nginx/yimen-server.conf",
)
LOCK = "requirements-server.lock"


class BuildError(Exception):
    """The distribution could not be made; the message says why (Chinese, for the person building)."""


def build_wheel(out: Path, repo: Path = REPO) -> Path:
    """Build the project's wheel into ``out`` and return its path."""
    with tempfile.TemporaryDirectory(prefix="yimen-wheel-") as tmp:
        source = Path(tmp) / "src"
        source.mkdir()
        for name in SOURCES:
            path = repo / name
            if path.is_dir():
                shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(path, source / name)
        command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps"]
        if importlib.util.find_spec("setuptools") is not None:
            # The build backend is here already (the development tools): no download of an isolated one.
            command.append("--no-build-isolation")
        command += ["--wheel-dir", str(Path(tmp) / "wheel"), str(source)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise BuildError(f"项目 wheel 生成失败：{(done.stderr or done.stdout).strip()[-2000:]}")
        wheels = sorted((Path(tmp) / "wheel").glob("yimen-*.whl"))
        if len(wheels) != 1:
            raise BuildError(f"应生成一个 yimen 的 wheel，实际为 {len(wheels)} 个。")
        out.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(wheels[0], out / wheels[0].name))


def build(out: Path, repo: Path = REPO) -> Path:
    """Make ``out/yimen-server-VERSION/`` (replacing an earlier one of the same version) and return it."""
    with tempfile.TemporaryDirectory(prefix="yimen-server-dist-") as tmp:
        wheel = build_wheel(Path(tmp), repo)
        version = wheel.name.split("-")[1]
        target = out / f"yimen-server-{version}"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        shutil.copy2(wheel, target / wheel.name)
    shutil.copy2(repo / LOCK, target / LOCK)
    for name in SHIPPED:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(HERE / name, target / name)
    (target / "install.sh").chmod(0o755)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m installer.server.build",
        description="生成中心服务器的安装包（wheel、依赖锁定文件、systemd 单元）",
    )
    parser.add_argument("--out", type=Path, default=Path("dist"), help="输出文件夹（默认 dist）")
    args = parser.parse_args(argv)
    try:
        target = build(args.out)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"中心服务器安装包：{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
