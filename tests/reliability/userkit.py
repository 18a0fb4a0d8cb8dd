"""Other OS accounts for the machine-vault tests: the ``yimen`` group, a second counter account in it, folders every
account can reach, and this checkout's Python run as another account (``runuser``).

Creating the group and the account needs root; both are made idempotently and left in place (harmless on a test
machine: the installer makes the same group on a workstation).  The folders are removed after each test.
"""

from __future__ import annotations

import contextlib
import functools
import grp
import os
import pwd
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOT = os.name == "posix" and os.geteuid() == 0
GROUP = "yimen"
#: A second counter account of the workstation, in the yimen group.
MEMBER = "yimen2"
#: An account that is not in the group.
OUTSIDER = "nobody"
#: The site-packages of this run's interpreter (the venv's), added by every script run as another account.
SITE = sysconfig.get_paths()["purelib"]
PRELUDE = f"import site, sys\nsite.addsitedir({SITE!r})\nsys.path.insert(0, {str(REPO)!r})\n"


def ensure_group() -> int:
    """The ``yimen`` group (made when missing); its gid.  Root only."""
    subprocess.run(["groupadd", "-f", GROUP], check=True, capture_output=True)
    return grp.getgrnam(GROUP).gr_gid


def ensure_member(name: str = MEMBER) -> None:
    """An account ``name`` without home or shell, in the ``yimen`` group.  Root only."""
    ensure_group()
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(
            ["useradd", "-M", "-N", "-G", GROUP, "-s", "/usr/sbin/nologin", name], check=True, capture_output=True
        )
    if name not in grp.getgrnam(GROUP).gr_mem:  # made earlier by hand, without the group
        subprocess.run(["usermod", "-a", "-G", GROUP, name], check=True, capture_output=True)


@contextlib.contextmanager
def shared_folder() -> Iterator[Path]:
    """A folder under /tmp that every account can traverse (pytest's own folders are 0700), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="yimen-vault-test-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@functools.cache
def python_for(user: str) -> tuple[str, ...]:
    """How ``user`` runs this checkout's Python.  This run's interpreter where the account may execute it; else the
    system's Python of the same version (a venv made from a pyenv Python under /root, 0700, cannot be executed by
    another account).  ``-S`` keeps the system's own packages out: :data:`PRELUDE` adds the venv's site-packages."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for exe in (sys.executable, f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"):
        check = f"import sys; assert sys.version_info[:2] == {tuple(sys.version_info[:2])}"
        done = subprocess.run(
            ["runuser", "-u", user, "--", exe, "-S", "-c", check], capture_output=True, cwd="/", check=False
        )
        if done.returncode == 0:
            return (exe, "-S")
    raise AssertionError(f"no Python {version} that the account {user} may run (tried {sys.executable})")


def run_as(user: str, code: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``code`` (after :data:`PRELUDE`) as ``user`` in a clean environment plus ``env``, from the checkout."""
    full_env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG": "C.UTF-8",
        "HOME": "/nonexistent",
        "PYTHONDONTWRITEBYTECODE": "1",
        # No keyring of the account's session: the credential lives in the machine vault.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        **(env or {}),
    }
    with reachable():
        return subprocess.run(
            ["runuser", "-u", user, "--", *python_for(user), "-c", PRELUDE + code],
            cwd=REPO,
            env=full_env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=180,
            check=False,
        )


@contextlib.contextmanager
def reachable() -> Iterator[None]:
    """Let other accounts reach this checkout and the venv's packages while a script runs as one of them: a clone
    in a private folder (``mktemp -d`` is 0700, as CI's may be) gets the search bit for others on each folder
    above it that lacks it, and its mode back afterwards.  Nothing is made readable that was not."""
    changed: list[tuple[Path, int]] = []
    for target in (REPO, Path(SITE)):
        for folder in (target, *target.parents):
            mode = stat.S_IMODE(folder.stat().st_mode)
            if not mode & stat.S_IXOTH and ROOT:
                folder.chmod(mode | stat.S_IXOTH)
                changed.append((folder, mode))
    try:
        yield
    finally:
        for folder, mode in reversed(changed):
            folder.chmod(mode)


def cli_as(user: str, *args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``yimen ARGS`` as ``user`` (the entry point of the installed ``yimen`` command)."""
    return run_as(user, f"from ui.__main__ import main\nsys.exit(main({list(args)!r}))", env)


def vault_env(vault: Path, runtime: Path) -> dict[str, str]:
    return {"YIMEN_VAULT_DIR": str(vault), "YIMEN_VAULT_RUNTIME_DIR": str(runtime)}
