"""The data folder's move to /var/lib/yimen (FHS): the default on Linux, and an old default folder's content moved
into it on first start — renamed on one file system, copied and verified across two — never over a store."""

from __future__ import annotations

import errno
import logging
import os
import sys
from pathlib import Path

import pytest

from app import config
from app.config import MOVED_NOTE_NAME, STORE_FILE_NAME, default_data_dir, move_data_dir, resolve_data_dir
from app.errors import ConfigError
from db.engine import DB_FILE_NAME


def _old_folder(tmp_path: Path) -> Path:
    old = tmp_path / "usr-local-share-yimen"
    (old / "backups").mkdir(parents=True)
    (old / STORE_FILE_NAME).write_bytes(b"store" * 1000)
    (old / f"{STORE_FILE_NAME}-wal").write_bytes(b"wal")
    (old / "backups" / "2026-11-23.ybak").write_bytes(os.urandom(5000))
    return old


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_store_name_is_the_databases() -> None:
    assert STORE_FILE_NAME == DB_FILE_NAME


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux default")
def test_the_linux_default_is_var_lib_yimen() -> None:
    assert default_data_dir() == Path("/var/lib/yimen")
    assert config.legacy_data_dir() != default_data_dir()


def test_an_old_folder_is_moved_with_a_note(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    old = _old_folder(tmp_path)
    before = _contents(old)
    new = tmp_path / "var-lib-yimen"
    new.mkdir()  # the package made it, empty
    caplog.set_level(logging.INFO, logger="yimen")
    assert move_data_dir(old, new) is True
    assert _contents(new) == before
    assert [p.name for p in old.iterdir()] == [MOVED_NOTE_NAME]
    assert str(new) in (old / MOVED_NOTE_NAME).read_text(encoding="utf-8")
    assert any("data folder moved" in r.getMessage() for r in caplog.records)
    assert move_data_dir(old, new) is False  # once


def test_across_file_systems_it_is_copied_verified_and_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _old_folder(tmp_path)
    before = _contents(old)
    new = tmp_path / "other-fs" / "yimen"

    def cross_device(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "rename", cross_device)  # a second file system cannot be mounted in a test
    assert move_data_dir(old, new) is True
    assert _contents(new) == before
    assert [p.name for p in old.iterdir()] == [MOVED_NOTE_NAME]


def test_a_store_in_the_new_place_is_never_overwritten(tmp_path: Path) -> None:
    old = _old_folder(tmp_path)
    new = tmp_path / "var-lib-yimen"
    new.mkdir()
    (new / STORE_FILE_NAME).write_bytes(b"the store in use")
    before_old = _contents(old)
    with pytest.raises(ConfigError) as info:
        move_data_dir(old, new)
    text = str(info.value)
    assert str(old) in text and str(new) in text and "不会覆盖" in text
    assert (new / STORE_FILE_NAME).read_bytes() == b"the store in use" and _contents(old) == before_old


def test_an_entry_already_in_the_new_place_is_refused_untouched(tmp_path: Path) -> None:
    old = _old_folder(tmp_path)
    new = tmp_path / "var-lib-yimen"
    (new / "backups").mkdir(parents=True)
    before_old = _contents(old)
    with pytest.raises(ConfigError, match="无法把旧的数据文件夹"):
        move_data_dir(old, new)
    assert _contents(old) == before_old and list(new.iterdir()) == [new / "backups"]


def test_nothing_moves_without_an_old_store(tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    (old / "calendar").mkdir()
    assert move_data_dir(old, tmp_path / "new") is False and not (tmp_path / "new").exists()
    assert move_data_dir(tmp_path / "absent", tmp_path / "new") is False


def test_resolving_the_default_moves_the_old_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _old_folder(tmp_path)
    new = tmp_path / "var-lib-yimen"
    monkeypatch.setattr(config, "default_data_dir", lambda: new)
    monkeypatch.setattr(config, "legacy_data_dir", lambda: old)
    assert resolve_data_dir(None, env={}) == new
    assert (new / STORE_FILE_NAME).is_file() and (old / MOVED_NOTE_NAME).is_file()
    # An explicit folder never triggers the move.
    other = _old_folder(tmp_path / "again")
    monkeypatch.setattr(config, "legacy_data_dir", lambda: other)
    assert resolve_data_dir(str(tmp_path / "mine"), env={}) == tmp_path / "mine"
    assert (other / STORE_FILE_NAME).is_file()


def test_the_self_test_tells_of_a_move_to_come_and_moves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import cli_ops
    from app.config import load_deployment, pending_move
    from tests.conftest import write_deployment

    old = _old_folder(tmp_path)
    new = tmp_path / "var-lib-yimen"
    monkeypatch.setattr(config, "default_data_dir", lambda: new)
    monkeypatch.setattr(config, "legacy_data_dir", lambda: old)
    monkeypatch.delenv(config.DATA_DIR_ENV, raising=False)
    assert resolve_data_dir(None, env={}, move=False) == new and pending_move(new) == old
    status, text = cli_ops._check_store(load_deployment(write_deployment(tmp_path)), None)
    assert status == cli_ops.WARN and str(old) in text and str(new) in text
    assert (old / STORE_FILE_NAME).is_file() and not new.exists()
    resolve_data_dir(None, env={})
    assert pending_move(new) is None
