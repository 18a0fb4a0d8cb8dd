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
        ('url = "http://127.0.0.1:8600"', 'url = "ftp://x"', "server.url", "https://"),
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


def test_document_and_printing_settings(tmp_path: Path) -> None:
    deployment = load_deployment(_write(tmp_path, DEMO))
    assert deployment.seal_image == tmp_path / "seal.png"  # relative to the deployment file's folder
    assert deployment.review_body == "上海市徐汇区人民政府" and deployment.court == "上海市徐汇区人民法院"
    assert deployment.receipt_format == "a4" and deployment.receipt_printer == "file:printed"
    assert deployment.notice_copies == 1 and deployment.complaint_phone == "12345"
    assert deployment.thermal_seal == "line"


def test_the_deciding_body_defaults_to_the_centre_and_can_be_the_street_office(tmp_path: Path) -> None:
    assert load_deployment(_write(tmp_path, DEMO)).deciding_body == "徐汇区示范街道社区事务受理服务中心"
    street = DEMO.replace('deciding_body = ""', 'deciding_body = "徐汇区示范街道办事处"')
    assert load_deployment(_write(tmp_path, street)).deciding_body == "徐汇区示范街道办事处"


def test_departments_give_their_full_name_and_their_own_review_body_and_court(tmp_path: Path) -> None:
    text = DEMO.replace(
        '[departments."残联"]\nname = "徐汇区残疾人联合会"',
        '[departments."残联"]\nname = "徐汇区残疾人联合会"\nreview_body = "某复议机关"\ncourt = "某人民法院"',
    )
    assert text != DEMO
    departments = load_deployment(_write(tmp_path, text)).departments
    assert departments["民政"].name == "徐汇区民政局" and departments["民政"].review_body == ""
    assert departments["残联"].review_body == "某复议机关" and departments["残联"].court == "某人民法院"


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('[departments."民证"]\nname = "x"', "departments.民证"),  # a typo of 民政 would print the defaults
        ('[departments."民政"]\nfull_name = "x"', "departments.民政.full_name"),
        ('[departments."民政"]\nname = 3', "departments.民政.name"),
        ('[departments]\n"民政" = 1', "departments.民政"),
    ],
)
def test_a_bad_department_table_is_named(tmp_path: Path, table: str, key: str) -> None:
    bare = DEMO.split('[departments."民政"]')[0] + DEMO.split('name = "徐汇区卫生健康委员会"\n')[1]
    with pytest.raises(ConfigError) as info:
        load_deployment(_write(tmp_path, bare + "\n" + table + "\n"))
    assert f"“{key}”" in str(info.value)


def test_file_printer_is_refused_outside_demo_mode(tmp_path: Path) -> None:
    path = _write(tmp_path, DEMO.replace('mode = "demo"', 'mode = "production"'))
    with pytest.raises(ConfigError) as info:
        load_deployment(path)
    assert "“printing.receipt_printer”" in str(info.value) and "只能用于演示模式" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('receipt_format = "a4"', 'receipt_format = "a5"', "printing.receipt_format"),
        ("notice_copies = 1", "notice_copies = 9", "printing.notice_copies"),
        ('thermal_seal = "line"', 'thermal_seal = "red"', "printing.thermal_seal"),
    ],
)
def test_bad_printing_setting(tmp_path: Path, old: str, new: str, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_deployment(_write(tmp_path, DEMO.replace(old, new)))
    assert f"“{key}”" in str(info.value)


@pytest.mark.allow_warning_logs
@pytest.mark.parametrize("content", [None, b"not a png", b"\x89PNG\r\n\x1a\n broken"])
def test_a_missing_or_broken_seal_prints_the_box_and_tells_it(tmp_path: Path, content: bytes | None) -> None:
    from app.documents.model import DocumentSettings

    if content is not None:
        (tmp_path / "seal.png").write_bytes(content)
    deployment = load_deployment(_write(tmp_path, DEMO))
    settings = DocumentSettings.from_deployment(deployment)
    assert settings.seal_png is None
    assert len(settings.problems) == 1
    assert "盖章处" in settings.problems[0].render() and "seal.png" in settings.problems[0].render()


def test_a_scanned_seal_is_normalized_to_one_ink_colour(tmp_path: Path) -> None:
    import io

    from PIL import Image, ImageDraw

    from app.documents.model import prepare_seal

    scan = Image.new("RGB", (900, 900), "white")
    ImageDraw.Draw(scan).ellipse([50, 50, 850, 850], outline=(210, 25, 30), width=40)
    buffer = io.BytesIO()
    scan.save(buffer, format="PNG")
    out = Image.open(io.BytesIO(prepare_seal(buffer.getvalue())))
    assert out.mode == "RGBA" and max(out.size) == 320
    red, green, blue, alpha = out.getpixel((160, 24))  # on the ring (y 18 to 32 at this scale)
    assert alpha > 200 and red > 150 and green < 80
    assert out.getpixel((160, 160))[3] == 0  # the white inside is transparent


def test_screen_lock_minutes(tmp_path: Path) -> None:
    assert load_deployment(_write(tmp_path, DEMO)).lock_minutes == 5
    assert load_deployment(_write(tmp_path, DEMO + "\n[security]\nlock_minutes = 0\n")).lock_minutes == 0  # never
    assert load_deployment(_write(tmp_path, DEMO + "\n[security]\nlock_minutes = 120\n")).lock_minutes == 120
    for bad in ("121", "-1", "true", '"5"'):
        with pytest.raises(ConfigError, match="security.lock_minutes"):
            load_deployment(_write(tmp_path, DEMO + f"\n[security]\nlock_minutes = {bad}\n"))


def test_retention_days(tmp_path: Path) -> None:
    assert load_deployment(_write(tmp_path, DEMO)).retention_days == 190
    for days in (30, 365, 3650):
        given = DEMO + f"\n[privacy]\nretention_days = {days}\n"
        assert load_deployment(_write(tmp_path, given)).retention_days == days
    for bad in ("29", "3651", "0", "true", '"190"'):
        with pytest.raises(ConfigError, match="privacy.retention_days"):
            load_deployment(_write(tmp_path, DEMO + f"\n[privacy]\nretention_days = {bad}\n"))


def test_the_installer_template_names_every_setting() -> None:
    import tomllib

    from app.config import DEPLOYMENT_SETTINGS

    template = tomllib.loads((Path(__file__).resolve().parents[2] / "installer" / "yimen.toml.template").read_text())
    given = {f"{table}.{key}" for table, section in template.items() for key in section if table != "departments"}
    assert {"documents.deciding_body", "printing.thermal_seal"} <= given
    assert {"privacy.retention_days"} <= given <= {s.key for s in DEPLOYMENT_SETTINGS}


def test_the_materials_settings_reach_the_deployment_and_wrong_ones_are_named(tmp_path: Path) -> None:
    default = load_deployment(_write(tmp_path, DEMO))
    assert (default.camera, default.watch_folder) == ("auto", None)
    assert (default.attachment_max_bytes, default.attachment_max_side) == (20 * 1024 * 1024, 3508)
    given = load_deployment(
        _write(
            tmp_path,
            DEMO + '\n[materials]\ncamera = "良田"\nwatch_folder = "扫描件"\nmax_file_mb = 5\nmax_side_px = 2480\n',
        )
    )
    assert given.camera == "良田" and given.watch_folder == tmp_path / "扫描件"  # beside the deployment file
    assert (given.attachment_max_bytes, given.attachment_max_side) == (5 * 1024 * 1024, 2480)
    for key, bad in (("max_file_mb", "0"), ("max_file_mb", "101"), ("max_side_px", "999"), ("camera", '""')):
        with pytest.raises(ConfigError, match=f"materials.{key}"):
            load_deployment(_write(tmp_path, DEMO + f"\n[materials]\n{key} = {bad}\n"))


def test_the_signature_pad_settings(tmp_path: Path) -> None:
    default = load_deployment(_write(tmp_path, DEMO))
    assert (default.signature_pad, default.signature_screen) == (False, "counter")
    given = load_deployment(_write(tmp_path, DEMO + '\n[signatures]\npad = "on"\nscreen = "citizen"\n'))
    assert (given.signature_pad, given.signature_screen) == (True, "citizen")
    for bad in ('"auto"', '"2"', "true"):
        with pytest.raises(ConfigError, match="signatures.screen"):
            load_deployment(_write(tmp_path, DEMO + f"\n[signatures]\nscreen = {bad}\n"))
