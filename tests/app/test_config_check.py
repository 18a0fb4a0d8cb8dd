"""``yimen config check FILE``: every kind of bad deployment file is refused with exit 1 and one line per problem,
each naming the key (or the file's line) and what is expected; a good file is one "OK" line and exit 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.config import check_deployment, load_deployment
from app.errors import ConfigError
from tests.conftest import DEMO_DEPLOYMENT, RECOVERY_RECIPIENT

REPO = Path(__file__).resolve().parents[2]


def production_text() -> str:
    """A complete production file: the demo's, https, real printers, with IT's recovery key."""
    text = DEMO_DEPLOYMENT.read_text(encoding="utf-8")
    text = text.replace('mode = "demo"', 'mode = "production"')
    text = text.replace('url = "http://127.0.0.1:8600"', 'url = "https://yimen.example.gov.cn"')
    text = text.replace('seal_image = "seal.png"', 'seal_image = ""').replace('"file:printed"', '""')
    return text + f'\n[backup]\nrecovery_public_key = "{RECOVERY_RECIPIENT}"\n'


GOOD = production_text()

# (case, the file's content — text, bytes, or None for "no file"/"a folder" —, what the problem line must hold)
CASES: list[tuple[str, str | bytes | None, tuple[str, ...]]] = [
    ("missing required key", GOOD.replace('short_name = "示范"\n', ""), ("“center.short_name”缺失", "机关简称")),
    ("wrong type: number for text", GOOD.replace('code = "003"', "code = 3"), ("“workstation.code”类型不对",)),
    (
        "wrong type: text for number",
        GOOD.replace("notice_copies = 1", 'notice_copies = "1"'),
        ("printing.notice_copies",),
    ),
    ("wrong type: bool for number", GOOD.replace("notice_copies = 1", "notice_copies = true"), ("notice_copies",)),
    (
        "negative number",
        GOOD + "\n[security]\nlockout_minutes = -5\n",
        ("“security.lockout_minutes”的值“-5”无效", "1 至 1440"),
    ),
    ("out of range", GOOD.replace("notice_copies = 1", "notice_copies = 9"), ("“printing.notice_copies”的值“9”无效",)),
    ("bad center code", GOOD.replace('code = "310104003"', 'code = "31010A003"'), ("“center.code”", "9 至 12 位数字")),
    ("bad workstation code", GOOD.replace('code = "003"', 'code = "000"'), ("“workstation.code”", "3 位数字")),
    (
        "http url in production",
        GOOD.replace("https://yimen.example.gov.cn", "http://yimen.example.gov.cn"),
        ("“server.url”", "https://"),
    ),
    (
        "http progress url in production",
        GOOD.replace("https://jd.example", "http://jd.example"),
        ("“server.progress_base_url”",),
    ),
    ("not a url", GOOD.replace("https://yimen.example.gov.cn", "yimen.example.gov.cn"), ("“server.url”的值",)),
    ("unknown key", GOOD.replace("[workstation]", '[workstation]\nwindw = "x"'), ("“workstation.windw”无法识别",)),
    ("unknown section", GOOD + '\n[serer]\nurl = "https://x.example"\n', ("“serer”是无法识别的表 [serer]", "server")),
    ("key outside any table", "colour = 1\n" + GOOD, ("“colour”无法识别",)),
    ("section that is not a table", "ui = 3\n" + GOOD, ("“ui”不是一个表",)),
    (
        "bad enum value",
        GOOD.replace('receipt_format = "a4"', 'receipt_format = "a5"'),
        ("“printing.receipt_format”", "thermal80"),
    ),
    ("bad mode", GOOD.replace('mode = "production"', 'mode = "test"'), ("“deployment.mode”", "production 或 demo")),
    (
        "unknown department",
        GOOD.replace('[departments."残联"]', '[departments."残联会"]'),
        ("“departments.残联会”无法识别",),
    ),
    ("file printer in production", GOOD.replace('receipt_printer = ""', 'receipt_printer = "file:x"'), ("文件打印机",)),
    (
        "no recovery key in production",
        GOOD.replace(RECOVERY_RECIPIENT, ""),
        ("“backup.recovery_public_key”在生产模式下必须填写",),
    ),
    ("bad recovery key", GOOD.replace(RECOVERY_RECIPIENT, "age1xyz"), ("“backup.recovery_public_key”的值",)),
    (
        "missing ca bundle file",
        GOOD.replace("[server]", '[server]\nca_bundle = "nope.pem"'),
        ("“server.ca_bundle”指向的文件“nope.pem”不存在",),
    ),
    ("bad TOML", GOOD.replace('[center]\ncode = "310104003"', '[center]\ncode = "310104003'), ("第 6 行", "格式错误")),
    ("bad table header", "[center\ncode = 1\n", ("第 1 行", "格式错误")),
    ("empty file", "", ("是空的",)),
    ("only blanks and comments are not empty but miss everything", "# nothing\n", ("“center.code”缺失",)),
    ("binary garbage", bytes(range(256)) * 4, ("不是 UTF-8 编码",)),
    ("UTF-16", GOOD.encode("utf-16"), ("不是 UTF-8 编码",)),
    ("a folder instead of a file", "<dir>", ("是一个文件夹",)),
    ("missing file", None, ("找不到配置文件",)),
]


def _place(tmp_path: Path, content: str | bytes | None) -> Path:
    path = tmp_path / "yimen.toml"
    if content == "<dir>":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    return path


def test_the_good_file_passes(tmp_path: Path) -> None:
    deployment, problems = check_deployment(_place(tmp_path, GOOD))
    assert problems == [] and deployment is not None and deployment.server_url == "https://yimen.example.gov.cn"


@pytest.mark.parametrize(("case", "content", "wanted"), CASES, ids=[c[0] for c in CASES])
def test_every_kind_of_bad_file_is_named(
    tmp_path: Path, case: str, content: str | bytes | None, wanted: tuple[str, ...]
) -> None:
    path = _place(tmp_path, content)
    deployment, problems = check_deployment(path)
    assert deployment is None, case
    lines = [p.render() for p in problems]
    assert any(all(w in line for w in wanted) for line in lines), lines
    assert all(str(path) in line for line in lines)
    with pytest.raises(ConfigError) as info:
        load_deployment(path)  # the app refuses to start with the same first problem
    assert str(info.value).startswith(lines[0])


def test_every_problem_is_listed_not_only_the_first(tmp_path: Path) -> None:
    text = GOOD.replace('code = "003"', 'code = "0003"').replace("notice_copies = 1", "notice_copies = 0")
    text = text.replace("[workstation]", "[workstation]\nwindw = 1") + "\n[serer]\n"
    path = _place(tmp_path, text)
    _, problems = check_deployment(path)
    keys = ["“workstation.code”", "“printing.notice_copies”", "“workstation.windw”", "“serer”"]
    assert all(any(k in p.render() for p in problems) for k in keys), [p.render() for p in problems]
    with pytest.raises(ConfigError, match="另有 3 处问题"):
        load_deployment(path)


def test_loopback_http_stays_allowed_in_production_for_the_sync_client_to_refuse(tmp_path: Path) -> None:
    """A local test server; the sync client itself refuses plain http in production when it connects."""
    text = GOOD.replace("https://yimen.example.gov.cn", "http://127.0.0.1:8600")
    assert check_deployment(_place(tmp_path, text))[1] == []


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui", "config", "check", *args], capture_output=True, text=True, cwd=REPO, check=False
    )


def test_the_command_says_ok_in_one_line(tmp_path: Path) -> None:
    done = _cli(str(_place(tmp_path, GOOD)))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and "检查通过" in lines[0]
    assert "310104003" in lines[0] and "工位 003" in lines[0] and "https://yimen.example.gov.cn" in lines[0]


def test_the_command_lists_every_problem_one_per_line(tmp_path: Path) -> None:
    text = GOOD.replace('code = "003"', 'code = "0003"').replace("[workstation]", "[workstation]\nwindw = 1")
    done = _cli(str(_place(tmp_path, text)))
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and "“workstation.code”" in lines[0] and "“workstation.windw”" in lines[1]
    assert "Traceback" not in done.stderr


def test_the_command_on_a_missing_file(tmp_path: Path) -> None:
    done = _cli(str(tmp_path / "nope.toml"))
    assert done.returncode == 1 and "找不到配置文件" in done.stderr and len(done.stderr.strip().splitlines()) == 1
