"""IT's operations commands as IT runs them (real processes, no display): ``yimen --help`` and ``--version``
without Qt, ``yimen selftest`` and ``yimen diagnose`` over a real store, and where the logs go."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import logs
from app.cli import SUBCOMMANDS
from app.cli_ops import mask_secrets
from app.demo import SAMPLE_PEOPLE
from app.domain import Decision
from app.version import version
from tests.app.documents.doc_testkit import take
from tests.app.test_cli import yimen as run_yimen
from tests.conftest import add_user, write_deployment
from tests.reliability.test_privacy_logs import ANY_ID, HEX_DIGEST, PHONE

REPO = Path(__file__).resolve().parents[2]


def yimen(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The ``yimen`` command as IT runs it (tests/app/test_cli.py), with time for a self-test."""
    return run_yimen(*args, env=env, timeout=300)


def test_help_lists_every_subcommand_and_the_windows_options_without_qt() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from ui.__main__ import main; main(['--help']); "
            "print('QT-LOADED' if 'PySide6' in sys.modules else 'NO-QT')",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.rstrip().endswith("NO-QT")
    for command in SUBCOMMANDS:
        assert re.search(rf"^\s+{re.escape(command)}\s", out, re.MULTILINE), command
    for option in ("--config", "--data-dir", "--demo", "--version", "受理窗口的选项"):
        assert option in out
    assert "用法：" in out and "show this help" not in out
    assert yimen("-h").stdout == yimen("--help").stdout


def test_a_subcommands_help_is_chinese() -> None:
    done = yimen("selftest", "--help")
    assert done.returncode == 0 and "用法：" in done.stdout and "显示本帮助并退出" in done.stdout


def test_version_without_qt() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from ui.__main__ import main; main(['--version']); "
            "print('QT-LOADED' if 'PySide6' in sys.modules else 'NO-QT')",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.stdout.splitlines() == [f"yimen {version()}", "NO-QT"]
    assert yimen("--version").stdout.strip() == f"yimen {version()}"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("diagnose",), "缺少参数 --out"),
        (("selftest", "--zzz"), "无法识别的参数 --zzz"),
        (("logs", "--tail", "x"), "参数 --tail 的值“x”无效"),
        (("report", "daily", "--format", "doc"), "参数 --format 的值“doc”不在可选范围"),
        (("bogus",), "无法识别的参数 bogus"),
    ],
)
def test_a_bad_command_line_is_one_chinese_sentence_and_exit_2(args: tuple[str, ...], said: str) -> None:
    done = yimen(*args)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("命令行有误：") and said in last and "--help 查看用法" in last, last


def test_selftest_on_an_offline_workstation(tmp_path: Path, services_factory: Callable[..., Any]) -> None:
    config = write_deployment(tmp_path, server_url="")
    services = services_factory(config=config, data_dir=tmp_path / "data")
    services.close()
    done = yimen(
        "selftest",
        "--config",
        str(config),
        "--data-dir",
        str(tmp_path / "data"),
        env={"YIMEN_LOG_DIR": str(tmp_path / "log")},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split("：")[0] for line in lines] == [
        "通过　配置文件",
        "通过　数据库",
        "通过　文书字体",
        "通过　受理回执",
        "通过　Qt 界面库",
        "提醒　中心服务器",
    ], lines
    assert "结构版本" in lines[1] and "最新" in lines[1] and "待上传 0 个事件" in lines[1]
    assert "1 页" in lines[3] or "页" in lines[3]
    assert "offscreen、xcb" in lines[4]
    assert "高拍仪组件可用，本机有 0 台摄像设备" in lines[4]  # Qt Multimedia loads; this machine has no camera
    assert "未配置中心服务器" in lines[5]
    assert (tmp_path / "log" / logs.CLI_LOG_NAME).is_file()  # the command line logs beside the window


def test_selftest_fails_on_a_bad_deployment_and_a_wrong_key(
    tmp_path: Path, services_factory: Callable[..., Any]
) -> None:
    config = write_deployment(tmp_path)
    services = services_factory(config=config, data_dir=tmp_path / "data")
    services.close()
    bad = tmp_path / "bad.toml"
    bad.write_text(config.read_text(encoding="utf-8").replace('code = "003"', 'code = "0003"'), encoding="utf-8")
    done = yimen("selftest", "--config", str(bad), "--data-dir", str(tmp_path / "data"))
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith("失败　配置文件") and "workstation.code" in done.stdout
    # Another machine's vault: the store does not open under its key.
    done = yimen(
        "selftest",
        "--config",
        str(config),
        "--data-dir",
        str(tmp_path / "data"),
        env={"YIMEN_VAULT_DIR": str(tmp_path / "other-vault")},
    )
    assert done.returncode == 1 and "失败　数据库" in done.stdout, done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_selftest_reaches_the_server(tmp_path: Path, services_factory: Callable[..., Any], central: Any) -> None:
    config = write_deployment(tmp_path, server_url=central.url)
    done = yimen("selftest", "--config", str(config), "--data-dir", str(tmp_path / "data"))
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[-1].startswith("通过　中心服务器") and central.url in done.stdout


def test_diagnose_collects_everything_but_personal_data(tmp_path: Path, services_factory: Callable[..., Any]) -> None:
    config = write_deployment(tmp_path)
    data = tmp_path / "data"
    services = services_factory(config=config, data_dir=data)
    clerk = add_user(services)
    taken = [take(services, clerk, code, Decision.ACCEPT) for code in ("MZ-SHJZ-001", "MZ-SHJZ-002", "CL-CJFW-001")]
    people = {p.name for r in taken for p in services.intake.load(r.acceptance_no).parties}
    people |= {p.id_number for r in taken for p in services.intake.load(r.acceptance_no).parties if p.id_number}
    people |= {name for name, _ in SAMPLE_PEOPLE.values()}
    services.close()
    log_dir = tmp_path / "log"
    log_dir.mkdir()
    (log_dir / "yimen.log").write_text("".join(f"2026-11-23 line {i}\n" for i in range(2500)), encoding="utf-8")
    (log_dir / "yimen.log.1").write_text("older\n", encoding="utf-8")
    out = tmp_path / "support" / "diag.zip"
    done = yimen(
        "diagnose",
        "--out",
        str(out),
        "--config",
        str(config),
        "--data-dir",
        str(data),
        env={"YIMEN_LOG_DIR": str(log_dir)},
    )
    assert done.returncode == 0, done.stderr
    assert "已写入" in done.stdout
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        texts = {name: archive.read(name).decode("utf-8") for name in names}
    assert {
        "versions.txt",
        "selftest.txt",
        "store.txt",
        "deployment.toml",
        "logs/yimen.log",
        "logs/yimen.log.1",
    } <= names
    assert f"yimen {version()}" in texts["versions.txt"] and "SQLCipher 4" in texts["versions.txt"]
    assert "Python 3" in texts["versions.txt"] and "Qt 6" in texts["versions.txt"]
    tail = texts["logs/yimen.log"].splitlines()
    assert len(tail) == 2000 and tail[0] == "2026-11-23 line 500" and tail[-1] == "2026-11-23 line 2499"
    assert "schema " in texts["store.txt"] and "outbox_pending " in texts["store.txt"]
    assert "outbox_pending 0" not in texts["store.txt"]  # three cases wait for upload
    assert "通过　数据库" in texts["selftest.txt"]
    assert 'recovery_public_key = "***"' in texts["deployment.toml"] and "age1" not in texts["deployment.toml"]
    for name, text in texts.items():
        leaked = [p for p in people if p in text]
        assert not leaked, (name, leaked)
        assert PHONE not in text, name
        assert not ANY_ID.search(HEX_DIGEST.sub("<digest>", text)), name
    assert yimen("diagnose", "--out", str(out), "--config", str(config)).returncode == 1  # never over a file


def test_secrets_are_masked() -> None:
    text = 'a = 1\nrecovery_public_key = "age1x"\n"api-token" = "t"\nPassword="p"\nserver_url = "https://x"\n'
    assert mask_secrets(text) == (
        'a = 1\nrecovery_public_key = "***"\n"api-token" = "***"\nPassword="***"\nserver_url = "https://x"\n'
    )


def test_logs_go_to_the_log_folder_or_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(logs.LOG_DIR_ENV, str(tmp_path / "log"))
    assert logs.log_dir() == tmp_path / "log"
    monkeypatch.delenv(logs.LOG_DIR_ENV)
    assert logs.log_dir().parts[-2:] == ("yimen", "log") or "yimen" in logs.log_dir().parts
    try:
        path = logs.setup_logging(logs.GUI_LOG_NAME, tmp_path / "log")
        assert path == tmp_path / "log" / "yimen.log"
        import logging

        logging.getLogger("yimen.test").info("案件数 3")
        assert "案件数 3" in path.read_text(encoding="utf-8")
        blocked = tmp_path / "file"
        blocked.write_text("")
        assert logs.setup_logging(logs.GUI_LOG_NAME, blocked / "log") is None  # not writable: stderr
        handlers = [h for h in logging.getLogger("yimen").handlers if getattr(h, "yimen_log", False)]
        assert len(handlers) == 1  # replaced, never two
        assert isinstance(handlers[0], logging.StreamHandler) and handlers[0].level == logging.WARNING
    finally:
        import logging

        for handler in [h for h in logging.getLogger("yimen").handlers if getattr(h, "yimen_log", False)]:
            logging.getLogger("yimen").removeHandler(handler)
            handler.close()


def test_logs_shows_the_folder_and_tails_a_log(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    env = {logs.LOG_DIR_ENV: str(folder)}
    done = yimen("logs", env=env)
    assert done.returncode == 0 and done.stdout.startswith(f"日志文件夹：{folder}")
    assert "yimen-cli.log" in done.stdout  # the command line logs there itself
    assert yimen("logs", "--tail", "5", env=env).returncode == 1  # no window log yet: one sentence, exit 1
    (folder / "yimen.log").write_text("".join(f"line {i}\n" for i in range(10)), encoding="utf-8")
    done = yimen("logs", "--tail", "3", env=env)
    assert done.returncode == 0 and done.stdout.splitlines() == ["line 7", "line 8", "line 9"]
    assert f"{folder / 'yimen.log'}\t" in yimen("logs", env=env).stdout


def test_the_windows_log_goes_to_the_log_folder(tmp_path: Path) -> None:
    """ui.app.setup_logging: yimen.log in the folder app.logs names (no longer below the data folder)."""
    import logging

    from ui.app import setup_logging

    try:
        assert setup_logging(tmp_path) == tmp_path / logs.GUI_LOG_NAME
    finally:
        for handler in [h for h in logging.getLogger("yimen").handlers if getattr(h, "yimen_log", False)]:
            logging.getLogger("yimen").removeHandler(handler)
            handler.close()


def test_the_font_check_reads_the_fallback_face(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback face is parsed only when a character needs it: the self-test makes it needed."""
    from app import cli_ops
    from app.documents import fonts

    assert cli_ops._check_fonts()[0] == cli_ops.PASS
    damaged = tmp_path / "fonts"
    shutil.copytree(fonts.fonts_dir(), damaged)
    fallback = damaged / "YimenFallback-Regular.ttf"
    fallback.write_bytes(b"\0" * 4096)
    monkeypatch.setattr(fonts, "fonts_dir", lambda: damaged)
    check = cli_ops._guarded("文书字体", cli_ops._check_fonts)
    assert check.status == cli_ops.FAIL and "YimenFallback-Regular.ttf" in check.text and "重新安装" in check.text
