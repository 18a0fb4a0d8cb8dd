"""The deployment's [idcard] keys, the factory, the simulator's refusal outside demo mode and the wedge."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from app.config import Mode, check_deployment, load_deployment
from app.errors import NotAllowedError
from app.idcard.factory import open_reader
from app.idcard.reader import DriverKind
from app.idcard.simulator import SimulatedReader
from app.idcard.wedge import WedgeReader
from tests.app.idcard.conftest import RESIDENT, sha256

DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo" / "deployment.toml"


def _write(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "yimen.toml"
    path.write_text(DEMO.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return path


def test_the_reader_keys_are_read_and_checked(tmp_path: Path, built_libraries: dict[str, Path]) -> None:
    assert load_deployment(_write(tmp_path, "")).idcard.driver == "none"
    lib = tmp_path / "libtermb.so"
    lib.write_bytes(built_libraries["sdk"].read_bytes())
    deployment = load_deployment(
        _write(tmp_path, f'[idcard]\ndriver = "sdk"\nlibrary = "libtermb.so"\nlibrary_sha256 = "{sha256(lib)}"\n')
    )
    assert deployment.idcard.library == lib and deployment.idcard.library_sha256 == sha256(lib)
    assert deployment.idcard.port == 1001 and deployment.idcard.sdk_shape == "termb"
    _, problems = check_deployment(_write(tmp_path, '[idcard]\ndriver = "sdk"\nport = 17\n'))
    texts = [p.render() for p in problems]
    assert any("idcard.port" in t for t in texts)
    assert any("idcard.library”在 driver = sdk 时必须填写" in t for t in texts)
    _, problems = check_deployment(_write(tmp_path, '[idcard]\ndriver = "sdk"\nlibrary = "gone.so"\n'))
    texts = [p.render() for p in problems]
    assert any("idcard.library_sha256" in t for t in texts) and any("“gone.so”不存在" in t for t in texts)
    _, problems = check_deployment(_write(tmp_path, '[idcard]\nlibrary_sha256 = "abc"\n'))
    assert any("idcard.library_sha256" in p.render() for p in problems)
    # idcard.helper_python is no longer used (the bridge loads a library of either bitness): an older file that
    # still names it loads, and the value is ignored.
    old = load_deployment(
        _write(tmp_path, '[idcard]\ndriver = "wedge"\nhelper_python = "C:\\\\Python32\\\\python.exe"\n')
    )
    assert old.idcard.driver == "wedge" and not hasattr(old.idcard, "helper_python")


def test_the_simulator_is_refused_outside_demo_mode(tmp_path: Path) -> None:
    deployment = load_deployment(_write(tmp_path, '[idcard]\ndriver = "simulator"\n'))
    reader = open_reader(deployment)
    assert isinstance(reader, SimulatedReader)
    production = dataclasses.replace(deployment, mode=Mode.PRODUCTION)
    with pytest.raises(NotAllowedError, match="模拟读卡器只能在演示模式下使用"):
        open_reader(production)
    text = _write(tmp_path, '[idcard]\ndriver = "simulator"\n').read_text(encoding="utf-8")
    path = tmp_path / "production.toml"
    path.write_text(text.replace('mode = "demo"', 'mode = "production"'), encoding="utf-8")
    _, problems = check_deployment(path)
    assert any("simulator" in p.render() and "只能用于演示模式" in p.render() for p in problems)


def test_the_simulator_reads_a_placed_card_once(tmp_path: Path) -> None:
    reader = SimulatedReader(load_deployment(_write(tmp_path, "")), read_seconds=0)
    reader.open()
    assert reader.poll() is None
    reader.place(RESIDENT)
    assert reader.poll() == RESIDENT
    assert reader.poll() is None
    reader.remove()
    assert reader.poll() is None
    reader.place(RESIDENT)
    assert reader.poll() == RESIDENT


def test_the_wedge_has_nothing_to_poll(tmp_path: Path) -> None:
    reader = open_reader(load_deployment(_write(tmp_path, '[idcard]\ndriver = "wedge"\n')))
    assert isinstance(reader, WedgeReader) and reader.kind is DriverKind.WEDGE and not reader.polls
    reader.open()
    assert reader.poll() is None
    assert open_reader(load_deployment(_write(tmp_path, ""))) is None
