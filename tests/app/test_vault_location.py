"""Where the machine vault lives on Windows, and the one-time move of an earlier version's vault
(app/security/vault.py; docs/security.md "Machine vault", ARCHITECTURE.md invariant 6: the vault is outside the data
folder, so a copied data folder carries no key).

The paths are Windows rules run here: platformdirs' own Windows class (its folder lookup, a Windows API call,
answered), ``sys.platform`` set to ``win32`` for the path logic only, real files in tmp folders for the move (DPAPI
itself is not involved: a moved blob is the same bytes).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path, PureWindowsPath

import platformdirs
import platformdirs.windows
import pytest

from app import config
from app.errors import VaultError
from app.security import vault

PROGRAM_DATA = r"C:\ProgramData"


def _windows_data_dir(monkeypatch: pytest.MonkeyPatch) -> PureWindowsPath:
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda name: PROGRAM_DATA)
    return PureWindowsPath(platformdirs.windows.Windows(appname=config.APP_NAME, appauthor=False).site_data_dir)


def _inside(child: PureWindowsPath, parent: PureWindowsPath) -> bool:
    """NTFS compares names without case."""
    return PureWindowsPath(str(child).lower()).is_relative_to(str(parent).lower())


def test_the_windows_vault_is_outside_the_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = _windows_data_dir(monkeypatch)
    assert data_dir == PureWindowsPath(r"C:\ProgramData\yimen")
    with monkeypatch.context() as windows:
        windows.setattr(sys, "platform", "win32")
        found = vault.default_vault_dir({"PROGRAMDATA": PROGRAM_DATA})
    folder = PureWindowsPath(str(found).replace("/", "\\"))
    assert folder == PureWindowsPath(r"C:\ProgramData\yimen-vault")
    assert not _inside(folder, data_dir) and not _inside(data_dir, folder)
    # The earlier place was inside it: the reason for the move.
    legacy = PureWindowsPath(str(vault.windows_legacy_vault_dir(Path(PROGRAM_DATA))).replace("/", "\\"))
    assert _inside(legacy, data_dir)


def _old_vault(program_data: Path) -> dict[str, bytes]:
    old = vault.windows_legacy_vault_dir(program_data)
    old.mkdir(parents=True)
    files = {"store.key": os.urandom(32), "audit.key": os.urandom(32), "device-credential.json": b'{"id": "d1"}'}
    for name, data in files.items():
        (old / name).write_bytes(data)
    return files


def _resolve(program_data: Path, monkeypatch: pytest.MonkeyPatch, **kwargs: bool) -> Path:
    with monkeypatch.context() as windows:
        windows.setattr(sys, "platform", "win32")
        return vault.resolve_vault_dir(
            program_data / "yimen", demo=False, env={"PROGRAMDATA": str(program_data)}, **kwargs
        )


def test_an_earlier_vault_inside_the_data_folder_is_moved_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _old_vault(tmp_path)
    (tmp_path / "Yimen" / "yimen.sqlite3").write_bytes(b"the store stays")
    # As after the MSI's upgrade: the new folder exists, empty.
    (tmp_path / "yimen-vault").mkdir()
    folder = _resolve(tmp_path, monkeypatch)
    assert folder == tmp_path / "yimen-vault"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files
    assert not (tmp_path / "Yimen" / "vault").exists()
    assert (tmp_path / "Yimen" / "yimen.sqlite3").read_bytes() == b"the store stays"
    # The moved keys are the ones the vault reads; a second start moves nothing and changes nothing.
    assert vault.Vault(folder, runtime=tmp_path / "run").read("store.key") == files["store.key"]
    assert _resolve(tmp_path, monkeypatch) == folder
    assert vault.move_vault(vault.windows_legacy_vault_dir(tmp_path), folder) is False
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == files


def test_an_interrupted_move_is_finished_at_the_next_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _old_vault(tmp_path)
    old, new = vault.windows_legacy_vault_dir(tmp_path), tmp_path / "yimen-vault"
    new.mkdir()
    # Cut after the link of one file, before its unlink; another file already moved whole.
    os.link(old / "store.key", new / "store.key")
    (old / "audit.key").rename(new / "audit.key")
    (old / ".store.key.abc.tmp").write_bytes(b"half a write")
    assert vault.move_vault(old, new) is True
    assert {p.name: p.read_bytes() for p in new.iterdir()} == files
    # The left-over of an interrupted write is not a key: it stays where it was, and so does its folder.
    assert [p.name for p in old.iterdir()] == [".store.key.abc.tmp"]


def test_a_key_that_differs_between_the_two_folders_is_refused_and_both_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _old_vault(tmp_path)
    new = tmp_path / "yimen-vault"
    new.mkdir()
    other = os.urandom(32)
    (new / "store.key").write_bytes(other)
    with pytest.raises(VaultError) as refused:
        _resolve(tmp_path, monkeypatch)
    text = str(refused.value)
    assert "store.key" in text and str(new) in text and str(vault.windows_legacy_vault_dir(tmp_path)) in text
    assert "不要删除" in text
    assert {p.name: p.read_bytes() for p in vault.windows_legacy_vault_dir(tmp_path).iterdir()} == files
    assert [p.name for p in new.iterdir()] == ["store.key"] and (new / "store.key").read_bytes() == other


def test_a_move_that_fails_leaves_the_keys_in_place_with_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _old_vault(tmp_path)
    # A file where the new folder should be: nothing can be linked into it.
    (tmp_path / "yimen-vault").write_bytes(b"")
    with pytest.raises(VaultError) as refused:
        _resolve(tmp_path, monkeypatch)
    assert "密钥仍在原处" in str(refused.value) and str(tmp_path / "yimen-vault") in str(refused.value)
    assert {p.name: p.read_bytes() for p in vault.windows_legacy_vault_dir(tmp_path).iterdir()} == files


def test_no_move_without_an_earlier_vault_nor_off_windows_nor_when_asked_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _resolve(tmp_path, monkeypatch) == tmp_path / "yimen-vault"
    assert not (tmp_path / "yimen-vault").exists()  # made by the vault's first write, not by the lookup
    files = _old_vault(tmp_path)
    # Without the move (the self-test changes nothing), the keys are read where they are.
    assert _resolve(tmp_path, monkeypatch, move=False) == vault.windows_legacy_vault_dir(tmp_path)
    assert not (tmp_path / "yimen-vault").exists()
    assert (
        vault.resolve_vault_dir(tmp_path / "yimen", demo=False, env={"PROGRAMDATA": str(tmp_path)}) == vault.LINUX_VAULT
    )
    assert (
        vault.resolve_vault_dir(
            tmp_path / "yimen", demo=False, env={"PROGRAMDATA": str(tmp_path), vault.VAULT_ENV: str(tmp_path / "v")}
        )
        == tmp_path / "v"
    )
    assert {p.name: p.read_bytes() for p in vault.windows_legacy_vault_dir(tmp_path).iterdir()} == files
