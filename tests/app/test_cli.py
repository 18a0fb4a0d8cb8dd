"""The `yimen` subcommands, run as real processes like IT runs them (no display, no Qt), and their texts."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.cli import workdays_add_command
from app.workdays import WorkCalendar, load_extra_years
from tests.storekit import connect_store

REPO = Path(__file__).resolve().parents[2]


def yimen(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("QT_QPA_PLATFORM", None)
    full_env.pop("DISPLAY", None)
    return subprocess.run(
        [sys.executable, "-m", "ui", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def test_id_check_prints_one_json_object_per_number() -> None:
    result = yimen("id", "check", "11010519491231002x", "990101198001010014", "931840198507040010")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["normalized"] for r in rows] == ["11010519491231002X", "990101198001010014", "931840198507040010"]
    assert set(rows[0]) == {"input", "valid", "normalized", "kind", "birth_date", "sex", "region", "warnings", "error"}
    assert rows[0]["birth_date"] == "1949-12-31" and rows[0]["sex"] == "F"
    assert rows[1]["valid"] is True and rows[1]["warnings"]
    assert rows[2]["kind"] == "foreign_permanent"


def test_id_check_fails_when_any_invalid() -> None:
    result = yimen("id", "check", "310101198001010018", "310101198002300017")
    assert result.returncode == 1
    bad = json.loads(result.stdout.splitlines()[1])
    assert bad["valid"] is False and "日期" in bad["error"]


def test_subcommands_never_import_qt() -> None:
    code = (
        "import sys; from ui.__main__ import main; "
        "rc = main(['id', 'check', '310101198001010018']); "
        "assert 'PySide6' not in sys.modules, 'Qt imported'; sys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_workdays_add() -> None:
    result = yimen("workdays", "add", "2026-09-30", "5")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2026-10-13" and lines[1] == ""
    estimated = yimen("workdays", "add", "2026-12-15", "20")
    assert estimated.stdout.splitlines()[1] == "估算"
    bad = yimen("workdays", "add", "2026-02-30", "5")
    assert bad.returncode == 2 and bad.stderr.strip()


def test_catalog_validate(tmp_path: Path) -> None:
    good = yimen("catalog", "validate", "resources/catalog/items")
    assert good.returncode == 0, good.stdout + good.stderr
    broken = tmp_path / "x.yaml"
    broken.write_text("schema: 1\ncode: AB-CD\nversion: zero\n", encoding="utf-8")
    result = yimen("catalog", "validate", str(broken))
    assert result.returncode == 1
    assert "x.yaml" in result.stdout and "第 3 行" in result.stdout


def test_user_add_and_applications_list(tmp_path: Path) -> None:
    config = REPO / "resources" / "demo" / "deployment.toml"
    data = tmp_path / "data"
    created = yimen(
        "user",
        "add",
        "lina",
        "--name",
        "李娜",
        "--staff-no",
        "0302",
        "--password-stdin",
        "--config",
        str(config),
        "--data-dir",
        str(data),
        stdin="a-long-password\n",
    )
    assert created.returncode == 0, created.stderr
    seeded = yimen("demo", "seed", "--config", str(config), "--data-dir", str(data))
    assert seeded.returncode == 0, seeded.stderr
    listed = yimen("applications", "list", "--json", "--config", str(config), "--data-dir", str(data))
    assert listed.returncode == 0, listed.stderr
    # demo seed creates no accounts when some exist, and then takes no applications
    assert listed.stdout == ""


def test_user_reset_password_gives_a_temporary_one_and_says_so(tmp_path: Path) -> None:
    config = REPO / "resources" / "demo" / "deployment.toml"
    data = tmp_path / "data"
    where = ("--config", str(config), "--data-dir", str(data))
    add = ("user", "add", "lina", "--name", "李娜", "--staff-no", "0302", "--permanent", "--password-stdin")
    assert yimen(*add, *where, stdin="a-long-password\n").returncode == 0
    reset = yimen("user", "reset-password", "LiNa", "--password-stdin", *where, stdin="temporary-1\n")
    assert reset.returncode == 0, reset.stderr
    assert "lina" in reset.stdout and "下次登录时须修改密码" in reset.stdout
    unknown = yimen("user", "reset-password", "nobody", "--password-stdin", *where, stdin="temporary-1\n")
    assert unknown.returncode == 2 and "没有名为“nobody”的在用账号" in unknown.stderr
    short = yimen("user", "reset-password", "lina", "--password-stdin", *where, stdin="short\n")
    assert short.returncode == 2 and "密码至少需要 8 个字符" in short.stderr
    from app.bootstrap import open_services

    services = open_services(config, data)
    try:
        assert services.accounts.login("lina", "temporary-1").must_change_password
    finally:
        services.close()


def test_an_admin_account_needs_an_admin_once_accounts_exist(tmp_path: Path) -> None:
    config = REPO / "resources" / "demo" / "deployment.toml"
    where = ("--config", str(config), "--data-dir", str(tmp_path / "data"))
    admin = ("--name", "信息员", "--staff-no", "9001", "--role", "admin", "--permanent", "--password-stdin")
    assert yimen("user", "add", "it", *admin, *where, stdin="admin-pass-123\n").returncode == 0
    refused = yimen("user", "add", "it2", *admin, *where, stdin="admin-pass-456\n")
    assert refused.returncode == 2 and "只能由现有系统管理员创建" in refused.stderr
    wrong = yimen("user", "add", "it2", *admin, "--by", "it", *where, stdin="admin-pass-456\nnot-it\n")
    assert wrong.returncode == 2 and "用户名或密码不正确" in wrong.stderr
    created = yimen("user", "add", "it2", *admin, "--by", "it", *where, stdin="admin-pass-456\nadmin-pass-123\n")
    assert created.returncode == 0, created.stderr


def test_demo_seed_lists_masked_applications(tmp_path: Path) -> None:
    config = REPO / "resources" / "demo" / "deployment.toml"
    data = tmp_path / "data"
    assert yimen("demo", "seed", "--config", str(config), "--data-dir", str(data)).returncode == 0
    listed = yimen("applications", "list", "--json", "--config", str(config), "--data-dir", str(data))
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 4
    # The fire victim whose ID card burned is helped first (先行救助), not sent away for the card.
    assert {r["decision"] for r in rows} == {"accept", "first_aid", "supplement", "refuse"}
    assert all("*" in r["id_masked"] and len(r["id_masked"]) == 18 for r in rows)
    assert any(r["applicant"] == "阿依古丽·买买提" for r in rows)
    plain = yimen("applications", "list", "--config", str(config), "--data-dir", str(data))
    assert "待补正" in plain.stdout and "31010419850615002" not in plain.stdout


def test_demo_seed_refused_in_production(tmp_path: Path) -> None:
    from tests.conftest import write_deployment

    config = write_deployment(tmp_path)  # a production deployment (with its recovery key)
    result = yimen("demo", "seed", "--config", str(config), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2 and "演示模式" in result.stderr


def test_missing_config_is_explained(tmp_path: Path) -> None:
    result = yimen("applications", "list", "--config", str(tmp_path / "none.toml"), "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "none.toml" in result.stderr


def test_print_writes_the_stored_document_as_an_audited_reprint(
    services_factory: object, user_factory: object, tmp_path: Path
) -> None:

    from tests import pdfkit
    from tests.app.documents.doc_testkit import take
    from tests.conftest import write_deployment

    config = write_deployment(tmp_path)
    data = tmp_path / "data"
    services = services_factory(config=config, data_dir=data)  # type: ignore[operator]
    clerk = user_factory(services)  # type: ignore[operator]
    result = take(services, clerk, "MZ-SHJZ-002")
    services.close()  # type: ignore[attr-defined]
    out = tmp_path / "out" / "receipt.pdf"
    location = ["--config", str(config), "--data-dir", str(data)]
    done = yimen("print", result.acceptance_no.replace("-", ""), "--doc", "receipt", "--out", str(out), *location)
    assert done.returncode == 0, done.stderr
    assert "已导出受理回执" in done.stdout and str(out.resolve()) in done.stdout  # says where it went
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # the citizen's data: the exporting account only
    pdf = out.read_bytes()
    flat = pdfkit.flat(pdf)
    assert flat.startswith("补打") and result.acceptance_no in flat
    assert pdfkit.qr_codes(pdf) == [f"https://jd.example.gov.cn/q/{result.acceptance_no}?c={result.query_code}"]
    with connect_store(data / "yimen.sqlite3") as conn:
        actions = [r[0] for r in conn.execute("SELECT action FROM audit_events ORDER BY seq")]
        reprint = conn.execute("SELECT details FROM audit_events WHERE action = 'document.reprinted'").fetchone()
    assert actions.count("document.issued") == 2 and actions[-1] == "document.reprinted"
    details = json.loads(reprint[0])
    assert details["via"] == "cli" and details["action"] == "export" and "脚本导出" in details["reason"]

    missing = yimen("print", result.acceptance_no, "--doc", "notice", "--out", str(tmp_path / "n.pdf"), *location)
    assert missing.returncode == 2
    assert "没有通知书或告知单（已有文书：受理回执、申请表）" in missing.stderr
    unknown = yimen("print", "310104003-003-20200101-0001", "--out", str(tmp_path / "x.pdf"), *location)
    assert unknown.returncode == 2 and "找不到办件编号" in unknown.stderr


# ------------------------------------------------------------------------------------------- workdays add: the text
# Library only, pinned to 2026 so that the estimate below keeps its meaning when chinesecalendar adds a year.
LIBRARY_ONLY = WorkCalendar(library_through=2026)


def test_cli_text_for_a_known_date() -> None:
    text, code = workdays_add_command("2026-09-30", "5", LIBRARY_ONLY)
    assert code == 0
    lines = text.split("\n")
    assert lines[0] == "2026-10-13"
    assert lines[1] == ""
    assert lines[2] == "受理日期2026年9月30日（星期三），办理时限5个工作日，承诺办结日期2026年10月13日（星期二）。"
    assert len(lines) == 3


def test_cli_text_for_an_estimate_with_problems(tmp_path: Path) -> None:
    (tmp_path / "2028.toml").write_text("year = 2028\n", encoding="utf-8")
    _, problems = load_extra_years(tmp_path)
    text, code = workdays_add_command(date(2026, 12, 15), 20, LIBRARY_ONLY, problems)
    assert code == 0
    lines = text.split("\n")
    assert lines[:2] == ["2027-01-12", "估算"]
    assert "2027年的节假日安排尚未录入" in lines[3] and "日历数据覆盖至2026年" in lines[3]
    assert all(line.startswith("注意：日历数据文件") for line in lines[4:]) and len(lines) > 4


@pytest.mark.parametrize(
    ("start", "n"),
    [("2026-02-30", "5"), ("30/09/2026", "5"), ("2026-09-30", "五"), ("2026-09-30", "0"), ("2026-09-30", "99999")],
)
def test_cli_rejects_bad_input_with_exit_code_2(start: str, n: str) -> None:
    text, code = workdays_add_command(start, n, LIBRARY_ONLY)
    assert code == 2
    assert "\n" not in text and text
