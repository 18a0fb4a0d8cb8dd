"""A throwaway root for installing the .deb for real: this machine's ``/`` seen through an overlay whose upper layer
is a tmpfs of a private mount namespace.  dpkg, the maintainer scripts, ``addgroup`` and the installed ``yimen`` run
in it (chroot) as root and change nothing of this machine: the namespace and its layer go with the process that
holds them.  The network is the machine's, so servers on 127.0.0.1 answer from inside.

Where no mount namespace can be made (a container without CAP_SYS_ADMIN), :func:`throwaway_root` falls back to this
machine's own root: the tests then install for real and purge in their ``finally``; what the package leaves on
purge by design (the ``yimen`` group, /var/lib/yimen*) stays, as on a workstation.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class Root:
    """Where commands run and files are read: the throwaway overlay or this machine's root."""

    def __init__(self, host: Path, prefix: Sequence[str]) -> None:
        self.host = host  # this root's "/" as the test process sees it
        self._prefix = list(prefix)

    def path(self, inside: str) -> Path:
        """A path of the root, as the test process reads it."""
        return self.host / inside.lstrip("/")

    def run(
        self, *command: str, env: Mapping[str, str] | None = None, check: bool = True, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        environment = {"PATH": PATH, "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive", "HOME": "/root"}
        environment.update(env or {})
        assignments = [f"{key}={value}" for key, value in environment.items()]
        done = subprocess.run(
            [*self._prefix, "env", "-i", *assignments, *command],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(
                f"{' '.join(command)} exited {done.returncode}\nstdout:\n{done.stdout[-3000:]}\n"
                f"stderr:\n{done.stderr[-3000:]}"
            )
        return done

    def group(self, name: str) -> int | None:
        """The gid of ``name`` in this root's /etc/group."""
        for line in self.path("/etc/group").read_text(encoding="utf-8").splitlines():
            fields = line.split(":")
            if fields[0] == name:
                return int(fields[2])
        return None

    def purge(self, *packages: str) -> None:
        for package in packages:
            self.run("dpkg", "--purge", package, check=False)


def _namespace(pid: int) -> str:
    return os.readlink(f"/proc/{pid}/ns/mnt")


@contextlib.contextmanager
def throwaway_root(workdir: Path, shared: Sequence[Path] = ()) -> Iterator[Root]:
    """The overlay root (``shared`` folders bound into it at the same paths, read-write), or this machine's."""
    workdir.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(["unshare", "--mount", "--propagation", "private", "sleep", "infinity"])
    try:
        deadline = time.monotonic() + 10
        while holder.poll() is None and _namespace(holder.pid) == _namespace(os.getpid()):
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        if holder.poll() is not None or _namespace(holder.pid) == _namespace(os.getpid()):
            yield Root(Path("/"), [])
            return
        layer, merged = workdir / "layer", workdir / "root"
        layer.mkdir(exist_ok=True)
        merged.mkdir(exist_ok=True)
        binds = "".join(f'mkdir -p "{merged}{p}" && mount --bind "{p}" "{merged}{p}" && ' for p in shared)
        script = (
            f'mount -t tmpfs -o mode=0755 yimen-layer "{layer}" && mkdir "{layer}/up" "{layer}/work" && '
            f'mount -t overlay overlay -o lowerdir=/,upperdir="{layer}/up",workdir="{layer}/work" "{merged}" && '
            f'mount --rbind /proc "{merged}/proc" && mount --rbind /dev "{merged}/dev" && '
            f'mount --rbind /sys "{merged}/sys" && {binds}true'
        )
        enter = ["nsenter", f"--mount=/proc/{holder.pid}/ns/mnt"]
        made = subprocess.run([*enter, "sh", "-c", script], capture_output=True, text=True, check=False)
        if made.returncode != 0:
            yield Root(Path("/"), [])
            return
        yield Root(Path(f"/proc/{holder.pid}/root") / str(merged).lstrip("/"), [*enter, "chroot", str(merged)])
    finally:
        holder.kill()
        holder.wait(timeout=10)


# ------------------------------------------------------------------------------------------------ the packages

_BUILT: dict[tuple[Path, str], Path] = {}


def packages(bundle_folder: Path, arch: str, version: str, out: Path) -> tuple[Path, Path]:
    """The .deb and the UOS app-store package of ``bundle_folder`` (and the camera's component beside them:
    :func:`camera_deb`), built once per test run and version.  gzip, not
    xz: the tests unpack them at once, and xz takes 20 times as long (docs/performance.md "Building the .deb")."""
    from installer.build_linux import build_camera_deb, build_deb, build_uos

    key = (bundle_folder, version)
    if key not in _BUILT:
        out.mkdir(parents=True, exist_ok=True)
        deb = build_deb(bundle_folder, out, arch=arch, version=version, compression="gzip").path
        build_camera_deb(bundle_folder, out, arch=arch, version=version, compression="gzip")
        build_uos(bundle_folder, out, arch=arch, version=version, compression="gzip")
        _BUILT[key] = deb
    deb = _BUILT[key]
    return deb, deb.with_name(f"cn.gov.sh.yimen_{version}_{arch}.deb")


def camera_deb(deb: Path) -> Path:
    """The document camera's component built beside the client's ``deb`` (:func:`packages`)."""
    _, version, arch = deb.stem.split("_")
    return deb.with_name(f"yimen-camera_{version}_{arch}.deb")


def deb_field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True).stdout.strip()


def deb_listing(deb: Path) -> dict[str, str]:
    """Path (without the leading ``.``) → the listing's mode column and, for a link, its target."""
    out = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    entries = {}
    for line in out.splitlines():
        fields = line.split(None, 5)
        name = fields[5]
        target = ""
        if " -> " in name:
            name, target = name.split(" -> ", 1)
        entries[name.removeprefix(".").rstrip("/") or "/"] = f"{fields[0]} {fields[1]} {target}".strip()
    return entries


# ------------------------------------------------------------------------------------------------ the installed app

SELFTEST_CHECKS = ("配置文件", "数据库", "文书字体", "Qt")


def assert_selftest_passed(done: subprocess.CompletedProcess[str]) -> None:
    """``yimen selftest``'s report says 通过 for the deployment file, the store, the document fonts and Qt (the
    server may be a warning: the tests' servers are not always there), and nothing failed or went unchecked."""
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    passed = [line for line in lines if line.startswith("通过")]
    for what in SELFTEST_CHECKS:
        assert any(what in line for line in passed), f"{what}:\n{done.stdout}"
    assert not [line for line in lines if line.startswith(("失败", "未查"))], done.stdout
    assert "Traceback" not in done.stdout + done.stderr


# ------------------------------------------------------------------------------------------------ what the system gives

_ELF = b"\x7fELF"


def _is_elf(path: Path) -> bool:
    if not path.is_file() or path.is_symlink():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == _ELF


def system_libraries(bundle_folder: Path) -> dict[str, set[str]]:
    """The libraries ``ldd`` resolves outside the bundle for the bundle's ELF files: system path → the bundle files
    that need it.  A library ldd cannot find is reported as ``not found: <name>``."""
    folder = bundle_folder.resolve()
    elves = [path for path in sorted(folder.rglob("*")) if _is_elf(path)]
    needed: dict[str, set[str]] = {}
    for start in range(0, len(elves), 64):
        chunk = elves[start : start + 64]
        out = subprocess.run(
            ["ldd", *map(str, chunk)], capture_output=True, text=True, check=False, env={"LANG": "C"}
        ).stdout
        current = ""
        for line in out.splitlines():
            if not line.startswith(("\t", " ")) and line.endswith(":"):
                current = line[:-1]
                continue
            line = line.strip()
            if "=>" in line:
                name, _, rest = line.partition("=>")
                target = rest.strip().split(" (", 1)[0].strip()
                if target == "not found":
                    needed.setdefault(f"not found: {name.strip()}", set()).add(current)
                elif target.startswith("/") and not Path(target).resolve().is_relative_to(folder):
                    needed.setdefault(target, set()).add(current)
            elif line.startswith("/") and "ld-linux" in line:  # the dynamic loader itself
                needed.setdefault(line.split(" (", 1)[0], set()).add(current)
    return needed


def owning_package(path: str) -> str | None:
    """The package that installed ``path``, trying the /usr-merged twin too (dpkg knows one of them)."""
    twin = path.removeprefix("/usr") if path.startswith("/usr/") else f"/usr{path}"
    for candidate in (path, twin, str(Path(path).resolve())):
        done = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            # "libfoo1:amd64: /usr/lib/…" (a diversion line starts with "diversion by")
            for line in done.stdout.splitlines():
                if not line.startswith("diversion"):
                    return line.split(":", 1)[0].split(",")[0].strip()
    return None


def _relations(field: str) -> list[list[str]]:
    """A Depends field as its alternatives: ``a (>= 1), b | c`` → [["a"], ["b", "c"]] (versions and arch dropped)."""
    groups = []
    for part in field.split(","):
        names = [re.split(r"[ (:\[]", alt.strip(), maxsplit=1)[0] for alt in part.split("|")]
        names = [name for name in names if name]
        if names:
            groups.append(names)
    return groups


def depends_closure(depends: str) -> set[str]:
    """Every package a bare Debian gets when it installs a package with this Depends field: the Essential and
    Priority required packages debootstrap always installs, plus the recursive Depends and Pre-Depends of the
    field, read from this machine's dpkg database.  Of alternatives ``a | b`` apt installs the first one, so the
    closure follows the first one installed here; a virtual package counts through its installed providers."""
    fields = "${Package}\t${Essential}\t${Priority}\t${Depends}\t${Pre-Depends}\t${Provides}\t${db:Status-Abbrev}\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fields], capture_output=True, text=True, check=True).stdout
    relations: dict[str, list[list[str]]] = {}
    providers: dict[str, set[str]] = {}
    base: set[str] = set()
    for line in out.splitlines():
        package, essential, priority, dep, pre, provides, status = line.split("\t")
        if not status.startswith("ii"):
            continue
        relations[package] = _relations(dep) + _relations(pre)
        for virtual in _relations(provides):
            providers.setdefault(virtual[0], set()).add(package)
        if essential == "yes" or priority == "required":
            base.add(package)

    def resolve(names: list[str]) -> set[str]:
        for name in names:
            if name in relations:
                return {name}
            if name in providers:
                return providers[name]
        return set()

    closure: set[str] = set()
    todo = [group for group in _relations(depends)] + [[name] for name in base]
    while todo:
        for package in resolve(todo.pop()):
            if package not in closure:
                closure.add(package)
                todo.extend(relations[package])
    return closure
