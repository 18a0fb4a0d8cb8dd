"""A second OS account of the workstation opens the store and syncs (ARCHITECTURE.md invariant 3; docs/security.md
"Machine vault"): the data folder and the machine vault belong to the ``yimen`` group, not to the account that
made them.

As root: the group and a second account ``yimen2`` in it are made (userkit.py), root opens the store, enrolls the
workstation with a real central server and takes an application; then ``yimen2`` -- a real process run with
``runuser`` -- opens the same store with the same vault, logs in, takes an application and syncs, and later runs
the unattended ``yimen sync --once``.  Both accounts' applications reach the server, the files stay 0660 for the
group, and ``nobody`` (not in the group) is refused with a sentence, not a traceback.
"""

from __future__ import annotations

import json
import pwd
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.bootstrap import open_services
from db.engine import DB_FILE_NAME
from tests.app.documents.doc_testkit import take
from tests.conftest import add_user, write_deployment
from tests.reliability.userkit import (
    MEMBER,
    OUTSIDER,
    ROOT,
    cli_as,
    ensure_group,
    ensure_member,
    run_as,
    shared_folder,
    vault_env,
)
from tests.serverkit import count, enrollment_code
from tests.storekit import connect_store

ITEM = "MZ-SHJZ-002"  # 临时救助

pytestmark = pytest.mark.skipif(not ROOT, reason="making the yimen group and a second OS account needs root")

SECOND_COUNTER = """
import json, os
from pathlib import Path
from app.bootstrap import open_services
from tests.app.documents.doc_testkit import take
services = open_services(Path({config!r}), Path({data!r}))
try:
    clerk = services.accounts.login("wangli", "counter-pass-1")
    number = take(services, clerk, {item!r}).acceptance_no
    report = services.sync.sync_once()
    print(json.dumps({{"uid": os.getuid(), "number": number, "sent": report.push.sent}}))
finally:
    services.close()
"""

OUTSIDER_READS = """
from pathlib import Path
for path in (Path({db!r}), Path({key!r})):
    try:
        path.read_bytes()
    except PermissionError:
        print("refused", path.name)
"""


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def server_numbers(central: Any) -> set[str]:
    with central.engine().connect() as conn:
        return {row[0] for row in conn.execute(text("SELECT acceptance_no FROM applications"))}


def test_a_second_account_of_the_yimen_group_opens_the_store_takes_and_syncs(
    monkeypatch: pytest.MonkeyPatch, services_factory: Callable[..., Any], central: Any
) -> None:
    gid = ensure_group()
    ensure_member()
    member_uid = pwd.getpwnam(MEMBER).pw_uid
    with shared_folder() as shared:
        vault, runtime, data = shared / "vault", shared / "run", shared / "data"
        monkeypatch.setenv("YIMEN_VAULT_DIR", str(vault))
        monkeypatch.setenv("YIMEN_VAULT_RUNTIME_DIR", str(runtime))
        env = vault_env(vault, runtime)
        config = write_deployment(shared, mode="demo", server_url=central.url)  # plain http: a demo deployment
        db = data / DB_FILE_NAME

        # root: the first start makes the vault, the keys and the store; IT enrolls; a clerk takes one
        services = services_factory(config=config, data_dir=data)
        clerk = add_user(services)
        services.sync.enroll(enrollment_code(central.engine()))
        root_number = take(services, clerk, ITEM).acceptance_no

        # yimen2, while root's counter window stays open on the same store
        second = run_as(MEMBER, SECOND_COUNTER.format(config=str(config), data=str(data), item=ITEM), env)
        assert second.returncode == 0, second.stderr
        assert "Traceback" not in second.stderr, second.stderr
        report = json.loads(second.stdout.strip().splitlines()[-1])
        assert report["uid"] == member_uid
        member_number = report["number"]
        assert report["sent"] >= 2, report  # root's application and its own, in one push
        assert server_numbers(central) == {root_number, member_number}
        marker = next(vault.glob("store-marker-*.json"))  # rewritten after yimen2's commit: now yimen2's file
        assert marker.stat().st_uid == member_uid and mode(marker) == 0o660 and marker.stat().st_gid == gid

        # the unattended sync (a timer of any account of the group) pushes what root took meanwhile
        later = take(services, clerk, ITEM).acceptance_no
        unattended = cli_as(MEMBER, "sync", "--once", "--config", str(config), "--data-dir", str(data), env=env)
        assert unattended.returncode == 0, unattended.stdout + unattended.stderr
        assert server_numbers(central) == {root_number, member_number, later}

        # root sees all three in its open window and in the store; everything was sent
        assert services.intake.load(member_number).acceptance_no == member_number
        conn = connect_store(db)
        try:
            stored = {row[0] for row in conn.execute("SELECT acceptance_no FROM applications")}
            states = [row[0] for row in conn.execute("SELECT state FROM outbox")]
        finally:
            conn.close()
        assert stored == {root_number, member_number, later}
        assert states and set(states) == {"sent"}, states
        assert count(central.engine(), "events") == len(states)

        # the files stayed the group's: 0660 in 2770 folders, whoever wrote them last
        for folder in (data, vault):
            assert mode(folder) == 0o2770 and folder.stat().st_gid == gid, folder
        shared_files = [db, *(p for p in (Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()), *vault.iterdir()]
        for path in shared_files:
            assert mode(path) == 0o660 and path.stat().st_gid == gid, (path, oct(mode(path)), path.stat().st_gid)
        services.close()
        again = services_factory(config=config, data_dir=data)  # root's next start accepts yimen2's marker
        assert again.intake.load(later).acceptance_no == later

        # nobody is not in the group: a sentence, no traceback, and no byte of the store or the keys
        outsider = cli_as(OUTSIDER, "sync", "--once", "--config", str(config), "--data-dir", str(data), env=env)
        assert outsider.returncode == 2, outsider.stdout + outsider.stderr
        assert "Traceback" not in outsider.stderr, outsider.stderr
        assert f"无法读取本机密钥文件夹 {vault}" in outsider.stderr and "yimen 组" in outsider.stderr
        reads = run_as(OUTSIDER, OUTSIDER_READS.format(db=str(db), key=str(vault / "store.key")))
        assert reads.stdout.split("\n")[:2] == [f"refused {DB_FILE_NAME}", "refused store.key"], reads
        assert server_numbers(central) == {root_number, member_number, later}


def test_the_second_accounts_python_is_this_checkouts(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the test above runs as yimen2 is this checkout's code with the venv's packages, not an installed copy."""
    ensure_member()
    probe = run_as(MEMBER, "import app, sqlcipher3, os\nprint(app.__file__)\nprint(os.getuid())")
    assert probe.returncode == 0, probe.stderr
    where, uid = probe.stdout.split()
    assert Path(where).resolve().is_relative_to(Path(__file__).resolve().parents[2] / "app")
    assert int(uid) == pwd.getpwnam(MEMBER).pw_uid
    groups = subprocess.run(["id", "-nG", MEMBER], capture_output=True, text=True, check=True).stdout.split()
    assert "yimen" in groups


def test_a_second_account_backs_up_after_root_did(monkeypatch: pytest.MonkeyPatch) -> None:
    """The nightly ``yimen backup --if-due`` runs as whichever account of the group is logged in."""
    gid = ensure_group()
    ensure_member()
    with shared_folder() as shared:
        vault, runtime, data = shared / "vault", shared / "run", shared / "data"
        monkeypatch.setenv("YIMEN_VAULT_DIR", str(vault))
        monkeypatch.setenv("YIMEN_VAULT_RUNTIME_DIR", str(runtime))
        config = write_deployment(shared, mode="demo")
        services = open_services(config, data)
        try:
            first = services.backup()
        finally:
            services.close()
        assert first is not None
        where = ("--config", str(config), "--data-dir", str(data))
        done = cli_as(MEMBER, "backup", *where, env=vault_env(vault, runtime))
        assert done.returncode == 0, done.stdout + done.stderr
        folder = first.parent
        assert mode(folder) == 0o2770 and folder.stat().st_gid == gid
        for path in folder.iterdir():
            assert mode(path) == 0o660 and path.stat().st_gid == gid, (path.name, oct(mode(path)))
