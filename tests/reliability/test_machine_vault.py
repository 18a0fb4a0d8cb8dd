"""The machine vault for real (app/security/vault.py; docs/security.md "Machine vault"): keys made once, group-shared
files, atomic writes under SIGKILL and threads, damaged or unreachable vaults refused with a sentence (never a
traceback, never a new key), keys sealed with systemd-creds and opened into RAM by the boot unit
(installer/linux/yimen-vault.service), and a copied data folder that reveals nothing without the vault.

No mocks: real processes killed with SIGKILL, real OS accounts (``runuser``), the real ``systemd-creds``.  What
needs root (the ``yimen`` group, other accounts, systemd-creds with the host key) is tested as root; as another
account, the same tests check what that account can check (the modes, a folder it cannot read).
"""

from __future__ import annotations

import configparser
import contextlib
import grp
import json
import os
import random
import shlex
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app import backups
from app.bootstrap import open_services
from app.demo import demo_id
from app.domain import PartyRole
from app.errors import VaultError
from app.intake.model import Decision
from app.security.vault import SEALED_NAMES, SEALED_SUFFIX, Vault
from db.engine import DB_FILE_NAME
from tests.app.documents.doc_testkit import take
from tests.conftest import add_user, write_deployment
from tests.reliability.userkit import (
    MEMBER,
    OUTSIDER,
    REPO,
    ROOT,
    cli_as,
    ensure_group,
    ensure_member,
    run_as,
    shared_folder,
    vault_env,
)
from tests.storekit import connect_store

UNIT = REPO / "installer" / "linux" / "yimen-vault.service"
#: An entry rewritten often (as the store's marker is after every commit).
ENTRY = "entry.json"
SYSTEMD_CREDS = shutil.which("systemd-creds") is not None
needs_sealing = pytest.mark.skipif(
    not (ROOT and SYSTEMD_CREDS), reason="sealing needs root and systemd-creds (the host key is root's alone)"
)
#: The ``yimen`` command of this checkout's venv, standing for /opt/yimen/yimen of an installed machine.
THIS_YIMEN = Path(sys.executable).parent / "yimen"


def yimen(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The ``yimen`` command as IT runs it (tests/app/test_cli.py), this test's vault in its environment."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "ui", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=120,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], *sentences: str) -> None:
    """A command refused with its sentence on stderr: exit code 2 (app/cli.py), no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    for sentence in sentences:
        assert sentence in result.stderr, result.stderr


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def entries(folder: Path) -> list[str]:
    """The vault's files, the store's marker (one per data folder, app/integrity.py) named by its kind."""
    return sorted("store-marker" if p.name.startswith("store-marker-") else p.name for p in folder.iterdir())


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def vault(machine_vault: Path, tmp_path: Path) -> Vault:
    """The test's machine vault (tests/conftest.py) with a runtime folder of its own."""
    return Vault(machine_vault, tmp_path / "run")


# -- keys made once ----------------------------------------------------------------------------------------------
def test_a_key_is_made_once_and_stays_the_same(vault: Vault, machine_vault: Path) -> None:
    assert not machine_vault.exists()
    store_key = vault.key("store.key")
    identity = vault.identity()
    assert len(store_key) == 32 and identity.startswith("AGE-SECRET-KEY-1")
    assert vault.key("store.key") == store_key
    again = Vault(machine_vault, vault.runtime)  # another process, a restart
    assert again.key("store.key") == store_key and again.identity() == identity
    assert again.key("audit.key") != store_key and again.key("audit.key") == vault.key("audit.key")
    assert (machine_vault / "store.key").read_bytes() == store_key


FIRST_USE = """
import sys, time
from pathlib import Path
import pyrage  # imported before the start, so the processes race on the vault alone
from app.security.vault import Vault
go = Path(sys.argv[3])
print("ready", flush=True)
while not go.exists():
    time.sleep(0.0005)
vault = Vault(Path(sys.argv[1]), Path(sys.argv[2]))
print(vault.key("store.key").hex(), vault.identity(), flush=True)
"""


def test_processes_opening_a_new_vault_at_the_same_moment_all_get_the_one_key(tmp_path: Path) -> None:
    """The counter window and ``yimen sync --once`` of another account may start together on a new machine: a
    second key would leave the store encrypted under a key the vault no longer holds."""
    for round_ in range(4):
        folder, runtime, go = tmp_path / f"vault{round_}", tmp_path / f"run{round_}", tmp_path / f"go{round_}"
        children = [
            subprocess.Popen(
                [sys.executable, "-c", FIRST_USE, str(folder), str(runtime), str(go)],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(6)
        ]
        outputs = []
        try:
            for child in children:
                assert child.stdout is not None and child.stdout.readline() == "ready\n"
            go.touch()
            for child in children:
                out, err = child.communicate(timeout=60)
                assert child.returncode == 0, err
                outputs.append(out.strip())
        finally:
            for child in children:
                with contextlib.suppress(ProcessLookupError):
                    child.kill()
                child.communicate()
        assert len(set(outputs)) == 1, f"round {round_}: {len(set(outputs))} different keys made"
        made = Vault(folder, runtime)
        assert outputs[0] == f"{made.key('store.key').hex()} {made.identity()}"
        assert not list(folder.glob(".*.tmp")), "a write left its temporary file"


# -- shared with the yimen group ---------------------------------------------------------------------------------
def test_vault_files_are_0660_in_a_setgid_2770_folder_of_the_yimen_group(
    machine_vault: Path, services_factory: Callable[..., Any]
) -> None:
    """Every account of the group reads and writes the vault, whoever made a file and whatever its umask; as root
    the group is made here (as the installer does) and owns the folder and files.  As another account the modes are
    checked (the group of a file is then the account's own)."""
    gid = ensure_group() if ROOT else None
    with umask(0o077):  # a clerk's strict umask must not take the group's bits
        services_factory()
        Vault(machine_vault).write_json("device-credential.json", {"token": "x"})
    assert mode(machine_vault) == 0o2770
    assert stat.S_ISDIR(machine_vault.stat().st_mode) and machine_vault.stat().st_mode & stat.S_ISGID
    assert entries(machine_vault) == ["audit.key", "device-credential.json", "store-marker", "store.key"]
    for path in machine_vault.iterdir():
        assert mode(path) == 0o660, path
        if gid is not None:
            assert path.stat().st_gid == gid, path
    if gid is not None:
        assert machine_vault.stat().st_gid == gid
        assert grp.getgrgid(machine_vault.stat().st_gid).gr_name == "yimen"


# -- atomic writes -----------------------------------------------------------------------------------------------
WRITER = """
import sys
from pathlib import Path
from app.security.vault import Vault
vault = Vault(Path(sys.argv[1]), Path(sys.argv[2]))
n = int(sys.argv[3])
pad = "x" * 300_000  # a write long enough to be cut in the middle
print("ready", flush=True)
while True:
    n += 1
    vault.write_json("entry.json", {"n": n, "pad": pad})
    print(n, flush=True)
"""


def test_a_writer_killed_at_random_moments_leaves_the_old_or_the_new_value(vault: Vault) -> None:
    """Twenty writers SIGKILLed: half at a random moment after their start (maybe in their first write), half at a
    random moment after a write returned.  The entry always parses and holds the last value whose write returned or
    the one after it."""
    rng = random.Random(20261206)
    last = 0
    for round_ in range(20):
        with subprocess.Popen(
            [sys.executable, "-c", WRITER, str(vault.folder), str(vault.runtime), str(last)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as child:
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
            first = child.stdout.readline() if round_ % 2 else ""
            time.sleep(rng.uniform(0.0, 0.04))
            os.kill(child.pid, signal.SIGKILL)
            out, err = child.communicate(timeout=60)
            assert child.returncode == -signal.SIGKILL, err
        printed = [int(line) for line in (first + out).splitlines() if line.strip()]
        if printed:
            last = printed[-1]
        stored = vault.read_json(ENTRY)
        if stored is None:
            assert last == 0 and not (vault.folder / ENTRY).exists(), "a torn or unreadable entry"
            continue
        # the last write that returned, or the one after it (renamed into place, killed before it printed)
        assert stored["n"] in {last, last + 1}, (stored["n"], last)
        assert stored["pad"] == "x" * 300_000
        last = stored["n"]
    assert last >= 10, "fewer writes than kills: the writers were not killed in their loop"


FULL = """
import resource, signal, sys
from pathlib import Path
from app.errors import VaultError
from app.security.vault import Vault
vault = Vault(Path(sys.argv[1]), Path(sys.argv[2]))
vault.write_json("entry.json", {"n": 1, "pad": "a" * 1000})
# From here on no file of this process may grow past 100 kB: a write across the limit is cut short, the next one
# fails (EFBIG), as a disk that fills up in the middle of a write (ENOSPC).
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, resource.RLIM_INFINITY))
try:
    vault.write_json("entry.json", {"n": 2, "pad": "b" * 300_000})
except VaultError as exc:
    print(exc.message.render())
"""


def test_a_write_cut_short_keeps_the_old_value(vault: Vault) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FULL, str(vault.folder), str(vault.runtime)],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"无法写入本机密钥文件夹 {vault.folder}（File too large）" in done.stdout
    assert vault.read_json(ENTRY) == {"n": 1, "pad": "a" * 1000}
    assert not list(vault.folder.glob(".*.tmp")), "the cut write left its temporary file"


def test_threads_writing_the_same_entry_never_mix_their_bytes(vault: Vault) -> None:
    """The counter's thread and the sync worker both commit, and each commit rewrites the store marker."""
    errors: list[str] = []
    torn: list[bytes] = []
    stop = threading.Event()

    def writer(n: int) -> None:
        for i in range(150):
            try:
                vault.write_json(ENTRY, {"writer": n, "i": i, "pad": "y" * (1000 * n)})
            except VaultError as exc:
                errors.append(exc.message.render())

    def reader() -> None:
        while not stop.is_set():
            data = vault.read(ENTRY)
            if data is not None:
                try:
                    json.loads(data)
                except ValueError:
                    torn.append(data[:80])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    watcher.join()
    assert not errors, errors[:3]
    assert not torn, torn[:3]
    assert vault.read_json(ENTRY) is not None
    assert not list(vault.folder.glob(".*.tmp"))


# -- refused with a sentence -------------------------------------------------------------------------------------
@pytest.mark.parametrize("length", [0, 16, 33])
def test_a_key_of_the_wrong_length_is_refused_and_never_replaced(vault: Vault, length: int) -> None:
    vault.write("store.key", b"k" * length)
    with pytest.raises(VaultError) as refused:
        vault.key("store.key")
    text = refused.value.message.render()
    assert "本机密钥 store.key" in text and "已损坏" in text and str(vault.folder) in text
    assert (vault.folder / "store.key").read_bytes() == b"k" * length


def test_the_cli_refuses_a_damaged_key_with_its_sentence(
    machine_vault: Path, deployment_file: Path, tmp_path: Path
) -> None:
    damaged = os.urandom(16)
    Vault(machine_vault).write("store.key", damaged)
    result = yimen("backup", "--config", str(deployment_file), "--data-dir", str(tmp_path / "data"))
    assert_refused(result, "本机密钥 store.key", "已损坏", "切勿删除数据文件夹")
    assert (machine_vault / "store.key").read_bytes() == damaged
    assert not (tmp_path / "data" / DB_FILE_NAME).exists(), "a store was made although its key is damaged"


def test_a_vault_folder_that_is_a_file_is_refused_with_a_sentence(
    machine_vault: Path, deployment_file: Path, tmp_path: Path
) -> None:
    machine_vault.parent.mkdir(parents=True, exist_ok=True)
    machine_vault.write_text("not a folder\n", encoding="utf-8")
    vault = Vault(machine_vault, tmp_path / "run")
    for attempt in (lambda: vault.key("store.key"), lambda: vault.write("device-credential.json", b"{}")):
        with pytest.raises(VaultError) as refused:
            attempt()
        assert f"本机密钥文件夹 {machine_vault} 不是文件夹" in refused.value.message.render()
    result = yimen("sync", "--status", "--config", str(deployment_file), "--data-dir", str(tmp_path / "data"))
    assert_refused(result, f"本机密钥文件夹 {machine_vault} 不是文件夹")
    assert machine_vault.read_text(encoding="utf-8") == "not a folder\n"


def test_an_account_outside_the_yimen_group_is_refused_with_a_sentence(
    monkeypatch: pytest.MonkeyPatch, services_factory: Callable[..., Any]
) -> None:
    """As root: the store is opened by root (vault root:yimen 2770), then ``nobody`` tries.  As another account:
    a vault folder this account may not read (mode 000) stands for it."""
    with shared_folder() as shared:
        folder, runtime, data = shared / "vault", shared / "run", shared / "data"
        monkeypatch.setenv("YIMEN_VAULT_DIR", str(folder))
        monkeypatch.setenv("YIMEN_VAULT_RUNTIME_DIR", str(runtime))
        config = write_deployment(shared)
        if ROOT:
            ensure_group()
        services_factory(config=config, data_dir=data).close()
        sentence = f"无法读取本机密钥文件夹 {folder}"
        if ROOT:
            probe = run_as(
                OUTSIDER,
                "from pathlib import Path\nfrom app.errors import VaultError\nfrom app.security.vault import Vault\n"
                f"try:\n    Vault(Path({str(folder)!r}), Path({str(runtime)!r})).key('store.key')\n"
                "except VaultError as exc:\n    print(exc.message.render())\n",
            )
            assert probe.returncode == 0, probe.stderr
            assert sentence in probe.stdout and "yimen 组" in probe.stdout and "Permission denied" in probe.stdout
            result = cli_as(
                OUTSIDER,
                "sync",
                "--once",
                "--config",
                str(config),
                "--data-dir",
                str(data),
                env=vault_env(folder, runtime),
            )
        else:
            folder.chmod(0)
            try:
                with pytest.raises(VaultError) as refused:
                    Vault(folder, runtime).key("store.key")
                assert sentence in refused.value.message.render()
                result = yimen("sync", "--once", "--config", str(config), "--data-dir", str(data))
            finally:
                folder.chmod(0o2770)
        assert_refused(result, sentence, "yimen 组")
        assert entries(folder) == ["audit.key", "store-marker", "store.key"], "a refused account wrote the vault"


# -- sealing with systemd-creds ----------------------------------------------------------------------------------
@needs_sealing
def test_sealed_keys_leave_no_plain_copy_and_open_the_same_store(monkeypatch: pytest.MonkeyPatch) -> None:
    gid = ensure_group()
    ensure_member()
    with shared_folder() as shared:
        folder, runtime, data = shared / "vault", shared / "run", shared / "data"
        monkeypatch.setenv("YIMEN_VAULT_DIR", str(folder))
        monkeypatch.setenv("YIMEN_VAULT_RUNTIME_DIR", str(runtime))
        config = write_deployment(shared, mode="demo")

        services = open_services(config, data)
        try:
            clerk = add_user(services)
            number = take(services, clerk, "MZ-SHJZ-002").acceptance_no
            backup = services.backup()
            assert backup is not None
        finally:
            services.close()
        vault = Vault(folder, runtime)
        keys = {name: vault.read(name) for name in SEALED_NAMES}
        assert all(keys.values())
        # What a write killed between its link and its clean-up leaves: a second name of the key's bytes.
        leftover = folder / ".store.key.killed.tmp"
        leftover.write_bytes(keys["store.key"] or b"")

        assert vault.seal() == list(SEALED_NAMES)
        for name, key in keys.items():
            assert key is not None
            assert not (folder / name).exists(), f"plain {name} left after sealing"
            sealed = (folder / (name + SEALED_SUFFIX)).read_bytes()
            assert key not in sealed and key.hex().encode() not in sealed, f"{name} readable in its sealed file"
        assert not leftover.exists(), "a plain copy of the key stayed beside the sealed one"
        for path in folder.iterdir():
            for key in keys.values():
                assert key is not None and key not in path.read_bytes(), f"a key readable in {path.name}"

        assert vault.unseal() == list(SEALED_NAMES)
        assert mode(runtime) == 0o750 and runtime.stat().st_gid == gid
        for name, key in keys.items():
            assert (runtime / name).read_bytes() == key
            assert mode(runtime / name) == 0o640 and (runtime / name).stat().st_gid == gid

        def reopened() -> None:
            again = open_services(config, data)
            try:
                assert again.intake.load(number).acceptance_no == number
                assert again.vault.key("store.key") == keys["store.key"]
                # the machine's identity still opens the backup written before sealing
                assert backups.open_backup(backup, [again.vault.identity()]).counts["applications"] == 1
            finally:
                again.close()

        reopened()  # the keys opened into RAM
        shutil.rmtree(runtime)
        reopened()  # root without the runtime folder: systemd-creds decrypts

        env = vault_env(folder, runtime)
        where = ("sync", "--once", "--config", str(config), "--data-dir", str(data))
        member = cli_as(MEMBER, *where, env=env)
        assert_refused(member, "本机密钥已封存", f"尚未解开到 {runtime}", "systemctl start yimen-vault")
        outsider = cli_as(OUTSIDER, *where, env=env)
        assert_refused(outsider, f"无法读取本机密钥文件夹 {folder}", "yimen 组")
        assert entries(folder) == sorted([n + SEALED_SUFFIX for n in SEALED_NAMES] + ["store-marker"]), (
            "a refused account made a key"
        )


@needs_sealing
def test_sealing_and_unsealing_refuse_an_account_that_is_not_root_with_a_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ensure_member()
    with shared_folder() as shared:
        folder, runtime = shared / "vault", shared / "run"
        monkeypatch.setenv("YIMEN_VAULT_DIR", str(folder))
        config = write_deployment(shared, mode="demo")
        vault = Vault(folder, runtime)
        key = vault.key("store.key")
        env = vault_env(folder, runtime)
        where = ("--config", str(config), "--data-dir", str(shared / "data"))
        sealing = cli_as(MEMBER, "vault", "seal", *where, env=env)
        assert_refused(sealing, "无法用 systemd-creds 封存本机密钥 store.key", "root")
        assert (folder / "store.key").read_bytes() == key and not (folder / "store.key.cred").exists()
        assert vault.seal() == ["store.key"]
        unsealing = cli_as(MEMBER, "vault", "unseal", *where, env=env)
        assert_refused(unsealing, f"无法把封存的本机密钥解开到 {runtime}", "root")


# -- the boot unit -----------------------------------------------------------------------------------------------
def unit_settings() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # systemd keys are case-sensitive
    parser.read(UNIT, encoding="utf-8")
    return parser


def installed_here(folder: Path) -> Path:
    """The unit as installed on this machine: the ``yimen`` of this checkout in place of /opt/yimen's."""
    text = UNIT.read_text(encoding="utf-8")
    assert "ExecStart=/opt/yimen/yimen " in text  # the .deb's binary (installer/linux)
    text = text.replace("/opt/yimen/yimen", str(THIS_YIMEN))
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / UNIT.name
    copy.write_text(text, encoding="utf-8")
    return copy


def test_the_boot_unit_is_a_oneshot_that_unseals_into_a_kept_runtime_folder() -> None:
    unit = unit_settings()
    service = unit["Service"]
    assert service["Type"] == "oneshot" and service["RemainAfterExit"] == "yes"
    assert shlex.split(service["ExecStart"])[1:] == ["vault", "unseal"]
    assert service["RuntimeDirectory"] == "yimen-vault"  # /run/yimen-vault, app.security.vault.LINUX_RUNTIME
    assert service["RuntimeDirectoryMode"] == "0750"
    assert service["RuntimeDirectoryPreserve"] == "yes", "systemd removes the folder when the oneshot stops"
    before = unit["Unit"]["Before"].split()
    assert "display-manager.service" in before and "systemd-user-sessions.service" in before
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_systemd_analyze_verifies_the_boot_unit(tmp_path: Path) -> None:
    done = subprocess.run(
        ["systemd-analyze", "verify", str(installed_here(tmp_path))], capture_output=True, text=True, check=False
    )
    # verify returns 0 even for an unknown key or a bad value: it only warns, so any output is a failure
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), done.stdout + done.stderr


@needs_sealing
def test_the_boot_units_command_opens_the_sealed_keys_into_the_runtime_folder(tmp_path: Path) -> None:
    gid = ensure_group()
    folder, runtime = tmp_path / "vault", tmp_path / "run"
    vault = Vault(folder, runtime)
    keys = {"store.key": vault.key("store.key"), "audit.key": vault.key("audit.key")}
    identity = vault.identity()
    vault.seal()
    command = shlex.split(unit_settings()["Service"]["ExecStart"])
    command[0] = str(THIS_YIMEN)
    env = {
        **os.environ,
        **vault_env(folder, runtime),
        "YIMEN_CONFIG": str(write_deployment(tmp_path)),
        "YIMEN_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert str(runtime) in done.stdout and "store.key" in done.stdout
    assert mode(runtime) == 0o750 and runtime.stat().st_gid == gid
    for name, key in keys.items():
        assert (runtime / name).read_bytes() == key
    assert (runtime / "machine.identity").read_text("ascii").strip() == identity
    assert not (tmp_path / "data").exists(), "unsealing touched the data folder"


# -- a copied data folder reveals nothing ------------------------------------------------------------------------
PEOPLE = {
    PartyRole.APPLICANT: ("欧阳·娜娜", "31010419500615002"),
    PartyRole.SPOUSE: ("张𠮷", "31010119520101001"),
    PartyRole.HOUSEHOLD_MEMBER: ("王䶮", "31011519750101003"),
    PartyRole.DECEASED: ("李堃", "31010619480307007"),
}
DAY_ITEMS = ("MZ-SHJZ-001", "MZ-SHJZ-002", "MZ-HY-001", "MZ-BZ-001", "MZ-YLFW-002")


def test_a_copied_data_folder_reveals_no_name_id_number_or_phone(
    services: Any, clerk: Any, machine_vault: Path, tmp_path: Path
) -> None:
    """A day at the counter with rare names, then the data folder (store, -wal, -shm, backups) copied as a thief
    would: no name, ID number or phone in any byte, and plain sqlite3 opens neither the store nor a backup."""
    taken = [take(services, clerk, code, people=PEOPLE) for code in DAY_ITEMS]
    taken.append(take(services, clerk, "MZ-SHJZ-002", Decision.SUPPLEMENT, people=PEOPLE))
    for result in taken[:2]:
        services.documents.issue(services.intake.load(result.acceptance_no), clerk)
    assert services.backup() is not None
    take(services, clerk, "MZ-SHJZ-002", people=PEOPLE)  # after the backup: in the WAL, not yet checkpointed

    data_dir = services.db.path.parent
    assert machine_vault.resolve() not in data_dir.resolve().parents and machine_vault != data_dir
    copy = tmp_path / "copied"
    shutil.copytree(data_dir, copy)  # while the store is open, as a copy taken from a running workstation
    files = sorted(p for p in copy.rglob("*") if p.is_file())
    names = {p.name for p in files}
    assert {DB_FILE_NAME, f"{DB_FILE_NAME}-wal", f"{DB_FILE_NAME}-shm"} <= names
    assert any(n.endswith(".ybak") for n in names) and any(n.endswith(".ybak.key") for n in names)
    assert (copy / f"{DB_FILE_NAME}-wal").stat().st_size > 0

    # What was stored, read through the key: every one of these is in the store.
    conn = connect_store(data_dir / DB_FILE_NAME)
    try:
        stored = conn.execute("SELECT name, name_key, id_number, phone FROM persons").fetchall()
    finally:
        conn.close()
    personal = {value for row in stored for value in row if value}
    assert {name for name, _ in PEOPLE.values()} <= personal, "the day's names were not stored"
    assert "13800138000" in personal and {row[2] for row in stored} >= {demo_id(body) for _, body in PEOPLE.values()}
    # Whole names and numbers only: a single 3-byte character would turn up in a megabyte of random bytes.
    needles = {value.encode("utf-8") for value in personal if len(value) >= 2}
    for path in files:
        raw = path.read_bytes()
        found = sorted(n.decode("utf-8") for n in needles if n in raw)
        assert not found, f"{path.relative_to(copy)} holds {found}"

    backup = next(p for p in files if p.name.endswith(".ybak"))
    for path in (copy / DB_FILE_NAME, backup):
        plain = sqlite3.connect(path)
        try:
            with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
                plain.execute("SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            plain.close()
