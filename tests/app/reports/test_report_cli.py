"""``yimen report daily`` and ``yimen report ratings`` (app/cli_report.py) as IT runs them: real processes over a
real store, a real central server for ``--center``; files read back, exit codes and the Chinese sentences checked."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path
from typing import Any

import openpyxl

from app.reports.exports import read_csv_tables
from tests import pdfkit
from tests.app.reports.reportkit import MONDAY, PHONE, build_day
from tests.app.sync.synckit import Workstation
from tests.app.test_cli import yimen
from tests.conftest import write_deployment
from tests.storekit import connect_store


def audits(data: Path, action: str) -> list[dict[str, Any]]:
    with connect_store(data / "yimen.sqlite3") as conn:
        rows = conn.execute("SELECT details FROM audit_events WHERE action = ? ORDER BY seq", (action,)).fetchall()
    return [json.loads(d) for (d,) in rows]


def a_day(services_factory: Any, clock: Any, tmp_path: Path) -> tuple[list[str], Any, Path, list[str]]:
    config = write_deployment(tmp_path)
    data = tmp_path / "data"
    services = services_factory(config=config, data_dir=data)
    day = build_day(services, clock)
    services.close()
    return ["--config", str(config), "--data-dir", str(data)], day, data, day.full_ids


def test_report_daily_writes_the_pdf_xlsx_and_csv_readable_by_the_account_only_and_audited(
    services_factory: Any, clock: Any, tmp_path: Path
) -> None:
    location, day, data, full_ids = a_day(services_factory, clock, tmp_path)
    out = tmp_path / "out"
    for fmt in ("pdf", "xlsx", "csv"):
        target = out / f"daily.{fmt}"
        done = yimen("report", "daily", "--date", MONDAY.isoformat(), "--format", fmt, "--out", str(target), *location)
        assert done.returncode == 0, done.stderr
        assert (
            f"已导出2026-11-23的受理窗口日报（{fmt.upper()}）" in done.stdout and str(target.resolve()) in done.stdout
        )
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = pdfkit.flat((out / "daily.pdf").read_bytes())
    assert "受理窗口日报" in text and "收件（件，不含作废）4" in text and "李䶮" in text
    book = openpyxl.load_workbook(io.BytesIO((out / "daily.xlsx").read_bytes()))
    details = [row for row in book["申请明细"].iter_rows(values_only=True)][1:]
    assert [row[0] for row in details] == day.numbers
    tables = read_csv_tables((out / "daily.csv").read_bytes())
    assert [row[0] for row in tables["申请明细"][1:]] == day.numbers
    for number in full_ids:
        assert number.encode() not in (out / "daily.csv").read_bytes()
    exported = audits(data, "report.daily_exported")
    assert [d["format"] for d in exported] == ["pdf", "xlsx", "csv"]
    assert all(d["via"] == "cli" and d["os_account"] for d in exported)


def test_report_daily_refuses_full_ids_and_a_bad_date_with_a_sentence(
    services_factory: Any, clock: Any, tmp_path: Path
) -> None:
    location, _, data, _ = a_day(services_factory, clock, tmp_path)
    out = tmp_path / "daily.xlsx"
    done = yimen("report", "daily", "--format", "xlsx", "--out", str(out), "--full-ids", *location)
    assert done.returncode == 2 and "命令行以系统管理员身份运行，不能导出完整的证件号码" in done.stderr
    assert "「完整证件号码」" in done.stderr and not out.exists()
    assert audits(data, "report.full_ids_exported") == []
    wrong = yimen("report", "daily", "--date", "2026-02-30", "--format", "pdf", "--out", str(out), *location)
    assert wrong.returncode == 2 and not out.exists()
    unwritable = tmp_path / "file"
    unwritable.write_text("x")
    blocked = yimen("report", "daily", "--format", "csv", "--out", str(unwritable / "daily.csv"), *location)
    assert blocked.returncode == 1 and "无法写入" in blocked.stderr


def test_report_ratings_writes_json_and_csv_and_refuses_full_phones(
    services_factory: Any, clock: Any, tmp_path: Path
) -> None:
    location, day, data, _ = a_day(services_factory, clock, tmp_path)
    out = tmp_path / "ratings.json"
    period = ["--from", "2026-11-23", "--to", "2026-11-23"]
    done = yimen("report", "ratings", *period, "--format", "json", "--out", str(out), *location)
    assert done.returncode == 0, done.stderr
    assert "已导出2026-11-23至2026-11-23的群众评价 3 条（其中差评 1 条，JSON）" in done.stdout
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["count"] == 3 and {r["level_name"] for r in body["ratings"]} == {"不满意", "非常满意", "未评价"}
    assert PHONE not in out.read_text(encoding="utf-8") and stat.S_IMODE(out.stat().st_mode) == 0o600
    csv_out = tmp_path / "ratings.csv"
    done = yimen("report", "ratings", *period, "--format", "csv", "--out", str(csv_out), *location)
    assert done.returncode == 0, done.stderr
    assert len(read_csv_tables(csv_out.read_bytes())["评价"]) == 4  # header and three ratings
    refused = yimen("report", "ratings", *period, "--format", "csv", "--out", str(csv_out), "--full-phones", *location)
    assert refused.returncode == 2 and "不能导出完整的电话号码" in refused.stderr
    backwards = yimen(
        "report",
        "ratings",
        "--from",
        "2026-11-23",
        "--to",
        "2026-11-22",
        "--format",
        "csv",
        "--out",
        str(csv_out),
        *location,
    )
    assert backwards.returncode == 2 and "结束日期不能早于开始日期" in backwards.stderr
    assert [d["format"] for d in audits(data, "report.ratings_exported")] == ["json", "csv"]


def test_report_daily_center_fetches_from_the_server_and_fails_without_it(
    services_factory: Any, central: Any, tmp_path: Path
) -> None:
    ws = Workstation(services_factory, tmp_path / "ws", central.url)
    ws.enroll(central.engine())
    numbers = [c.acceptance_no for c in ws.take(3)]
    ws.sync.sync_once()
    ws.services.close()
    location = ["--config", str(ws.config), "--data-dir", str(ws.data_dir)]
    out = tmp_path / "center.pdf"
    args = ["report", "daily", "--date", MONDAY.isoformat(), "--center", "--format", "pdf", "--out", str(out)]
    done = yimen(*args, *location)
    assert done.returncode == 0, done.stderr
    assert "的中心日报（PDF）" in done.stdout
    text = pdfkit.flat(out.read_bytes())
    assert "中心日报" in text and "全中心" in text and "收件（件，不含作废）3" in text and "003" in text
    assert len(numbers) == 3
    # The server gone: exit 3 with the reason, no file, never the copy fetched a moment ago.
    central.stop()
    out.unlink()
    gone = yimen(*args, *location)
    assert gone.returncode == 3, gone.stdout + gone.stderr
    assert "无法从中心服务器取得全中心数据" in gone.stderr and "未导出任何文件" in gone.stderr
    assert not out.exists()
    xlsx = tmp_path / "center.xlsx"
    assert yimen(*args[:-4], "--format", "xlsx", "--out", str(xlsx), *location).returncode == 3
    assert not xlsx.exists()


def test_a_date_that_does_not_exist_is_refused_in_chinese(tmp_path: Path) -> None:
    out = tmp_path / "daily.pdf"
    done = yimen("report", "daily", "--date", "2026-02-30", "--format", "pdf", "--out", str(out))
    assert done.returncode == 2 and not out.exists()
    assert "--date 的日期“2026-02-30”无效：请写成 YYYY-MM-DD 格式的真实日期，例如 2026-11-23。" in done.stderr
    assert "invalid" not in done.stderr and "fromisoformat" not in done.stderr and "Traceback" not in done.stderr
    done = yimen("report", "ratings", "--from", "2026-11-01", "--to", "11/30", "--format", "csv", "--out", str(out))
    assert done.returncode == 2 and "--to 的日期“11/30”无效" in done.stderr and "invalid" not in done.stderr
