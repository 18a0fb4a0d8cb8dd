"""The store never lies about itself (issue 12; app/integrity.py, docs/numbering.md "Series").

Between two sessions of a real workstation the store file is emptied, deleted, truncated, corrupted, rolled back
to an earlier copy or swapped for another workstation's: each is refused with the way back, and nothing is
recreated.  A restore from a sealed backup continues in a new numbering series, so no number printed after the
backup is ever issued again, and the sequence within a series stays gapless.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import backups, integrity
from app.cli import main
from app.config import load_deployment
from app.errors import StorageError, StoreRefusedError
from app.intake.numbering import normalize_acceptance_no
from app.security import crypto
from app.security.vault import Vault
from tests.app.documents.doc_testkit import take
from tests.conftest import RECOVERY_RECIPIENT, add_user, write_deployment
from tests.storekit import connect_store

DB = "yimen.sqlite3"


class Counter:
    """One workstation over several sessions (each a full open and close of the services)."""

    def __init__(self, factory: Callable[..., Any], folder: Path, *, workstation: str = "003", recipient: str = ""):
        folder.mkdir(parents=True, exist_ok=True)
        self.factory = factory
        self.config = write_deployment(folder, workstation=workstation)
        if recipient:
            text = self.config.read_text("utf-8").replace(RECOVERY_RECIPIENT, recipient)
            self.config.write_text(text, "utf-8")
        self.data = folder / "data"
        self.services: Any = None
        self.clerk: Any = None

    def open(self) -> Any:
        self.services = self.factory(config=self.config, data_dir=self.data)
        self.clerk = add_user(self.services, f"clerk{id(self.services) % 100000}")
        return self.services

    def close(self) -> None:
        self.services.close()

    def take(self, n: int) -> list[str]:
        return [take(self.services, self.clerk, "MZ-SHJZ-002").acceptance_no for _ in range(n)]

    @property
    def db(self) -> Path:
        return self.data / DB

    def numbers(self) -> list[str]:
        with connect_store(self.db) as conn:
            rows = conn.execute("SELECT acceptance_no FROM applications WHERE acceptance_no IS NOT NULL").fetchall()
        return sorted(r[0] for r in rows)


@pytest.fixture
def counter(services_factory: Callable[..., Any], tmp_path: Path) -> Counter:
    return Counter(services_factory, tmp_path / "ws")


def refused(counter: Counter) -> str:
    with pytest.raises(StoreRefusedError) as raised:
        counter.open()
    return raised.value.message.render()


def test_a_fresh_store_numbers_without_a_series_letter_and_knows_itself(counter: Counter) -> None:
    counter.open()
    numbers = counter.take(2)
    assert [n.rsplit("-", 1)[1] for n in numbers] == ["0001", "0002"]
    identity = counter.services.db.identity
    assert (identity.center_code, identity.workstation_code, identity.series) == ("310104003", "003", 1)


@pytest.mark.parametrize("how", ["emptied", "deleted"])
def test_a_lost_store_of_a_workstation_with_history_is_refused_not_recreated(counter: Counter, how: str) -> None:
    counter.open()
    counter.take(1)
    counter.close()
    for part in counter.data.glob(DB + "*"):
        if how == "emptied":
            part.write_bytes(b"")
        else:
            part.unlink()
    text = refused(counter)
    assert "yimen restore" in text and "yimen recover --from-server" in text
    assert ("已被清空" if how == "emptied" else "不见了") in text
    assert not counter.db.exists() or counter.db.stat().st_size == 0  # nothing was recreated in its place


def test_a_truncated_store_is_refused(counter: Counter) -> None:
    counter.open()
    counter.take(3)
    counter.close()
    size = counter.db.stat().st_size
    with counter.db.open("r+b") as handle:
        handle.truncate(size // 2)
    Path(f"{counter.db}-wal").unlink(missing_ok=True)
    assert "yimen restore" in refused(counter)


def test_a_corrupted_first_page_is_refused(counter: Counter) -> None:
    counter.open()
    counter.take(1)
    counter.close()
    with counter.db.open("r+b") as handle:
        handle.seek(100)
        handle.write(os.urandom(64))
    assert "已损坏" in refused(counter)


# The damaged page may be one SQLCipher cannot decrypt (refused at once) or one whose damage quick_check reports (a
# free-list page: refused with the findings logged as the error they are); either way the start refuses.
@pytest.mark.allow_warning_logs
def test_a_page_damaged_while_a_process_died_is_found_by_the_check_at_the_next_start(counter: Counter) -> None:
    counter.open()
    counter.take(30)
    counter.close()
    tags = counter.data / integrity.OPEN_TAGS
    (tags / f"{os.uname().nodename}-{2**22 + 7}").touch()  # a process that is gone left its tag: unclean stop
    pages = counter.db.stat().st_size // 4096
    assert pages > 3
    with counter.db.open("r+b") as handle:
        handle.seek((pages - 2) * 4096 + 512)  # a page the start itself never reads
        handle.write(os.urandom(256))
    assert "已损坏" in refused(counter)


def test_a_store_rolled_back_to_an_earlier_copy_is_refused(counter: Counter, tmp_path: Path) -> None:
    counter.open()
    counter.take(2)
    counter.close()
    copy = tmp_path / "copy"
    copy.mkdir()
    for part in counter.data.glob(DB + "*"):
        shutil.copy2(part, copy / part.name)
    counter.open()
    counter.take(2)  # printed and handed out
    counter.close()
    for part in counter.data.glob(DB + "*"):
        part.unlink()
    for part in copy.iterdir():
        shutil.copy2(part, counter.data / part.name)
    text = refused(counter)
    assert "回退" in text and "yimen restore" in text


def test_the_store_of_another_workstation_is_refused(services_factory: Callable[..., Any], tmp_path: Path) -> None:
    mine = Counter(services_factory, tmp_path / "a")
    mine.open()
    mine.take(1)
    mine.close()
    other = Counter(services_factory, tmp_path / "b", workstation="004")
    other.data = mine.data
    text = refused(other)
    assert "003 号工作站" in text and "004" in text


def test_a_restore_continues_in_a_new_series_and_never_issues_a_printed_number_again(counter: Counter) -> None:
    counter.open()
    before = counter.take(2)
    backup = counter.services.backup()
    after_backup = counter.take(3)  # printed after the last backup, then the disk fails
    counter.close()
    counter.db.write_bytes(b"")
    refused(counter)

    deployment = load_deployment(counter.config)
    vault = Vault(Path(os.environ["YIMEN_VAULT_DIR"]))
    report = integrity.restore(counter.data, deployment, vault, backup)
    assert report.series == 2 and report.counts["applications"] == 2
    assert report.replaced is not None and (report.replaced / DB).exists()  # the emptied file is kept aside

    counter.open()
    again = counter.take(3)
    assert [n.rsplit("-", 1)[1] for n in again] == ["A0001", "A0002", "A0003"]  # gapless within the series
    assert not set(again) & set(before + after_backup)
    assert counter.numbers() == sorted(before + again)
    counter.close()

    # Putting the pre-restore backup back once more is a rollback across series: refused too.
    integrity_vault_marker = vault.read_json(integrity.marker_name(counter.db))
    assert integrity_vault_marker is not None and integrity_vault_marker["series"] == 2
    info = backups.open_backup(backup, [vault.identity()])
    from db.engine import export_copy

    counter.db.unlink()
    Path(f"{counter.db}-wal").unlink(missing_ok=True)
    export_copy(backup, info.key, counter.db, vault.key("store.key"))
    assert "回退" in refused(counter) or "替换" in refused(counter)


def test_a_restore_refuses_a_backup_of_another_workstation(
    services_factory: Callable[..., Any], tmp_path: Path
) -> None:
    other = Counter(services_factory, tmp_path / "b", workstation="004")
    other.open()
    other.take(1)
    backup = other.services.backup()
    other.close()
    mine = Counter(services_factory, tmp_path / "a")
    vault = Vault(Path(os.environ["YIMEN_VAULT_DIR"]))
    with pytest.raises(StoreRefusedError) as raised:
        integrity.restore(mine.data, load_deployment(mine.config), vault, backup)
    assert "不是本机" in raised.value.message.render()
    assert not mine.db.exists()


def test_a_machine_that_lost_its_vault_restores_with_it_s_recovery_key(
    services_factory: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    identity, recipient = crypto.new_recovery_identity()
    counter = Counter(services_factory, tmp_path / "ws", recipient=recipient)
    counter.open()
    numbers = counter.take(2)
    backup = counter.services.backup()
    counter.close()
    saved = tmp_path / "saved-backups"
    shutil.copytree(backup.parent, saved)

    # The disk is replaced: a new vault (new machine keys), an empty data folder, the backup from IT's share.
    monkeypatch.setenv("YIMEN_VAULT_DIR", str(tmp_path / "new-vault"))
    shutil.rmtree(counter.data)
    deployment = load_deployment(counter.config)
    vault = Vault(tmp_path / "new-vault")
    copy = saved / backup.name
    with pytest.raises(StorageError) as no_key:
        integrity.restore(counter.data, deployment, vault, copy)
    assert "恢复私钥" in no_key.value.message.render()
    key_file = tmp_path / "recovery.key"
    key_file.write_text(f"# public key: {recipient}\n{identity}\n", "ascii")
    code = main(
        [
            "restore",
            str(copy),
            "--identity",
            str(key_file),
            "--config",
            str(counter.config),
            "--data-dir",
            str(counter.data),
        ]
    )
    assert code == 0
    counter.open()
    assert counter.numbers() == sorted(numbers)
    assert counter.take(1)[0].endswith("-A0001")


def test_backups_are_encrypted_sealed_verified_and_bounded(counter: Counter) -> None:
    counter.open()
    counter.take(1)
    written = [counter.services.backup() for _ in range(3)]
    assert all(p.exists() and p.with_name(p.name[: -len(".ybak")] + ".ybak.key").exists() for p in written)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(written[-1]).execute("SELECT count(*) FROM sqlite_master").fetchall()
    assert b"310104003-003" not in written[-1].read_bytes()
    assert counter.services.backup(only_if_due=True) is None  # the newest is not a day old
    removed = backups.prune(written[-1].parent, keep_count=2)
    assert removed == [written[0]] and backups.list_backups(written[-1].parent) == written[1:]
    # A backup changed after it was written is refused for a restore.
    with written[-1].open("r+b") as handle:
        handle.seek(5000)
        handle.write(b"\0" * 16)
    vault = Vault(Path(os.environ["YIMEN_VAULT_DIR"]))
    with pytest.raises(StorageError, match="被改动或损坏"):
        backups.open_backup(written[-1], [vault.identity()])


def test_a_plain_store_of_an_earlier_version_is_encrypted_in_place_with_its_backups(counter: Counter) -> None:
    counter.open()
    numbers = counter.take(2)
    counter.close()
    # Make the store what an earlier version left: a plain SQLite file, and a plain migration backup beside it.
    from tests.storekit import store_key

    plain = counter.db.with_name("plain.sqlite3")
    conn = connect_store(counter.db)
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(plain),))
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute("DETACH DATABASE plain")
    conn.close()
    for part in counter.data.glob(DB + "*"):
        part.unlink()
    os.replace(plain, counter.db)
    old_backups = counter.data / "backups"
    old_backups.mkdir(exist_ok=True)
    shutil.copy2(counter.db, old_backups / "yimen-0007-20261201T000000Z.sqlite3")
    assert sqlite3.connect(counter.db).execute("SELECT count(*) FROM applications").fetchone() == (2,)

    counter.open()
    assert counter.numbers() == sorted(numbers)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(counter.db).execute("SELECT count(*) FROM applications").fetchall()
    assert not list(old_backups.glob("*.sqlite3"))  # the plain backup was sealed, then removed
    assert [p.name.endswith("-legacy.ybak") for p in backups.list_backups(old_backups)] == [True]
    assert store_key()  # the same machine key opens it


def test_numbers_of_a_later_series_are_found_however_they_are_typed() -> None:
    for typed in (
        "310104003-003-20261123-A0012",
        "310104003003 20261123 a0012",
        "３１０１０４００３００３２０２６１１２３Ａ００１２",
    ):
        assert normalize_acceptance_no(typed) == "310104003-003-20261123-A0012"


def test_a_production_deployment_without_a_recovery_key_is_refused_at_start(tmp_path: Path) -> None:
    from app.errors import ConfigError

    config = write_deployment(tmp_path)
    config.write_text(config.read_text("utf-8").replace(RECOVERY_RECIPIENT, ""), "utf-8")
    with pytest.raises(ConfigError) as raised:
        load_deployment(config)
    assert "backup.recovery_public_key" in raised.value.message.render()
    assert "yimen recovery-key new" in raised.value.message.render()
