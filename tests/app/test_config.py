"""Deployment settings: each problem names the file, the key and what is expected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.config import Mode, load_deployment, resolve_config_path, resolve_data_dir
from app.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]
DEMO = (REPO / "resources" / "demo" / "deployment.toml").read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "yimen.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_file_loads(tmp_path: Path) -> None:
    deployment = load_deployment(_write(tmp_path, DEMO))
    assert deployment.mode is Mode.DEMO and deployment.center_code == "310104003"
    assert deployment.workstation_code == "003" and deployment.max_failed_logins == 5


def test_missing_file_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_deployment(tmp_path / "nope.toml")
    assert "nope.toml" in str(info.value) and "--config" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "key", "expected"),
    [
        ('code = "003"', 'code = "0003"', "workstation.code", "3 位数字"),
        ('code = "003"', 'code = "000"', "workstation.code", "3 位数字"),
        ('code = "310104003"', 'code = "31010"', "center.code", "9 至 12 位数字"),
        ('short_name = "示范"\n', "", "center.short_name", "机关简称"),
        ('mode = "demo"', 'mode = "test"', "deployment.mode", "production 或 demo"),
        ('url = ""', 'url = "ftp://x"', "server.url", "https://"),
        ("[server]", "[server]\nlanguage = 1", "server.language", "删除该项"),
    ],
)
def test_bad_setting_names_file_key_and_expectation(
    tmp_path: Path, old: str, new: str, key: str, expected: str
) -> None:
    assert old in DEMO
    path = _write(tmp_path, DEMO.replace(old, new, 1))
    with pytest.raises(ConfigError) as info:
        load_deployment(path)
    text = str(info.value)
    assert str(path) in text and f"“{key}”" in text and expected in text


def test_bool_is_not_a_number(tmp_path: Path) -> None:
    path = _write(tmp_path, DEMO + "\n[security]\nmax_failed_logins = true\n")
    with pytest.raises(ConfigError, match="security.max_failed_logins"):
        load_deployment(path)


def test_not_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="格式错误"):
        load_deployment(_write(tmp_path, "[center\ncode = 1"))


def test_override_order(tmp_path: Path) -> None:
    env = {"YIMEN_CONFIG": "/env/yimen.toml", "YIMEN_DATA_DIR": "/env/data"}
    assert resolve_config_path("/cli.toml", env) == Path("/cli.toml")
    assert resolve_config_path(None, env) == Path("/env/yimen.toml")
    assert resolve_data_dir(None, env) == Path("/env/data")
    assert resolve_data_dir(None, {}).name == "yimen"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_file_content_gives_a_config_error_or_a_deployment(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    try:
        load_deployment(path)
    except ConfigError as exc:
        assert str(path) in str(exc)


@given(st.dictionaries(st.sampled_from(["code", "name", "short_name", "district", "window"]), st.text(max_size=30)))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_setting_values_give_a_config_error_or_a_deployment(tmp_path: Path, values: dict[str, str]) -> None:
    lines = ["[center]"]
    for key, value in values.items():
        lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    path = _write(tmp_path, "\n".join(lines))
    try:
        load_deployment(path)
    except ConfigError as exc:
        assert str(path) in str(exc)
