"""IT's and the back office's reports from the command line:

- ``yimen report handover [--day YYYY-MM-DD | --number 交接单编号] --out FILE.pdf`` — the day's 材料交接单 of this
  workstation, or a recorded list again with its number (app/reports/handover.py, drawn by
  app/documents/handover.py), written readable by the exporting account only (it names applicants) and audited.
  Exit status 0 on success, 1 when the file cannot be written, 2 when the store cannot be opened, the day is not a
  date or the number unknown (the sentence says why).
- ``yimen report daily [--date YYYY-MM-DD] [--center] --format pdf|xlsx|csv --out FILE [--full-ids]`` — the daily
  report (受理窗口日报; with ``--center`` the 中心日报 the central server computes) as the PDF of
  app/documents/daily_report.py or the spreadsheets of app/reports/exports.py.  ``--center`` never falls back to
  figures fetched earlier: an unreachable server is exit status 3 with the reason (a scheduled task must not file
  stale figures as the day's).
- ``yimen report ratings --from YYYY-MM-DD --to YYYY-MM-DD --format csv|json --out FILE [--full-phones]`` — the
  period's ratings and 差评 follow-ups (app/reports/ratings_export.py, docs/ratings-export.md).

The command line acts as the machine actor (IT: the admin's rights): it sees every figure but may not export full
ID numbers or phone numbers (FULL_ID_EXPORT is the supervisor's, in the window, audited): ``--full-ids`` and
``--full-phones`` are refused with exit status 2 and a sentence saying where to do it.  Every export is written
0600 and audited with ``via=cli`` and the OS account.  Exit status 0 on success, 1 when the file cannot be
written, 2 when the store cannot be opened or the request is refused, 3 when the center's figures cannot be fetched.

Never imports Qt (ARCHITECTURE.md invariant 8).  It prints by design, like app/cli.py.
"""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import re
import sys
from pathlib import Path

COMMANDS = ("report",)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("report", help="报表")
    report_sub = parser.add_subparsers(dest="action", required=True)
    handover = report_sub.add_parser("handover", help="导出本工位某日的材料交接单（PDF，交后台签收）")
    handover.add_argument("--day", help="交接日期 YYYY-MM-DD（默认今天）")
    handover.add_argument("--number", help="重新打印已登记的交接单（交接单编号），打印件上有编号、接收部门和移交人")
    handover.add_argument("--out", required=True, type=Path, help="输出的 PDF 文件")
    handover.add_argument("--config", help="部署配置文件（默认为系统配置目录中的 yimen.toml，或 YIMEN_CONFIG）")
    handover.add_argument("--data-dir", help="数据文件夹（默认为系统数据目录，或 YIMEN_DATA_DIR）")

    daily = report_sub.add_parser(
        "daily", help="导出日报（PDF、XLSX 或 CSV）；--center 为全中心日报（需连接中心服务器）"
    )
    daily.add_argument("--date", help="日期 YYYY-MM-DD（默认今天）")
    daily.add_argument("--center", action="store_true", help="全中心日报：从中心服务器取数，连不上时报错退出")
    daily.add_argument("--format", required=True, choices=["pdf", "xlsx", "csv"], help="文件格式")
    daily.add_argument("--out", required=True, type=Path, help="输出文件")
    daily.add_argument("--full-ids", action="store_true", help="申请明细显示完整证件号码（命令行不允许，见说明）")
    _location(daily)

    ratings = report_sub.add_parser("ratings", help="导出某段时间的群众评价和差评回访整改（CSV 或 JSON）")
    ratings.add_argument("--from", dest="first", required=True, help="开始日期 YYYY-MM-DD")
    ratings.add_argument("--to", dest="last", required=True, help="结束日期 YYYY-MM-DD")
    ratings.add_argument("--format", required=True, choices=["csv", "json"], help="文件格式")
    ratings.add_argument("--out", required=True, type=Path, help="输出文件")
    ratings.add_argument("--full-phones", action="store_true", help="显示完整电话号码（命令行不允许，见说明）")
    _location(ratings)


def _location(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="部署配置文件（默认为系统配置目录中的 yimen.toml，或 YIMEN_CONFIG）")
    parser.add_argument("--data-dir", help="数据文件夹（默认为系统数据目录，或 YIMEN_DATA_DIR）")


#: Why the command line exports no full numbers, and where to do it instead.
FULL_REFUSED = (
    "命令行以系统管理员身份运行，不能导出完整的{what}。"
    "需要时请值班长登录受理台，在「值班长」页导出时勾选「{box}」（会记入审计）。"
)
#: The center's figures could not be fetched: never the last copy in a scheduled task.
CENTER_UNREACHABLE = "无法从中心服务器取得全中心数据：{why}未导出任何文件。请检查网络和服务器后重试。"


#: A date that is not a real YYYY-MM-DD day (``--date 2026-02-30``): said in Chinese, never argparse's English.
BAD_DATE = "{option} 的日期“{value}”无效：请写成 YYYY-MM-DD 格式的真实日期，例如 2026-11-23。"


def parse_day(value: str | None, option: str) -> dt.date | None:
    """``value`` as a date (None when not given); raises ValueError with :data:`BAD_DATE` said for ``option``."""
    if value is None:
        return None
    text = value.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(BAD_DATE.format(option=option, value=value)) from None


def run(args: argparse.Namespace) -> int:
    if args.action == "daily":
        return _daily(args)
    if args.action == "ratings":
        return _ratings(args)
    return _handover(args)


def _handover(args: argparse.Namespace) -> int:
    from app.bootstrap import open_services
    from app.config import resolve_config_path, resolve_data_dir
    from app.documents.fonts import load_fonts
    from app.documents.handover import render_handover, totals_text
    from app.errors import YimenError
    from app.reports.handover import audit_handover, handover_list, recorded_list
    from app.security.permissions import MACHINE

    try:
        day = parse_day(args.day, "--day")
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    services = open_services(resolve_config_path(args.config), resolve_data_dir(args.data_dir))
    try:
        try:
            if args.number:
                handover = recorded_list(services.intake, args.number, by=MACHINE)
            else:
                handover = handover_list(services.intake, day, by=MACHINE)
        except YimenError as exc:
            print(exc.message.render(), file=sys.stderr)
            return 2
        pdf, _ = render_handover(handover, load_fonts())
        if not write_private(args.out, pdf):
            return 1
        audit_handover(services, handover, None, via="cli", os_account=getpass.getuser())
    finally:
        services.close()
    which = f"交接单 {handover.record.number}" if handover.record else f"{handover.day.isoformat()}的材料交接单"
    print(f"已导出{which}（{totals_text(handover)}）：{args.out.resolve()}（仅本系统账号可读）")
    return 0


def write_private(out: Path, data: bytes) -> bool:
    """Write ``data`` to ``out`` as 0600 through a temporary file (a document or list naming citizens: only the
    exporting account reads it); say why on stderr and return False when it cannot be written."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            if os.name == "posix":
                os.fchmod(handle.fileno(), 0o600)  # an existing .part keeps its mode otherwise
            handle.write(data)
        tmp.replace(out)
    except OSError as exc:
        print(f"无法写入 {out}（{exc.strerror}）。请检查路径和磁盘空间。", file=sys.stderr)
        return False
    return True


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.bootstrap import open_services
    from app.config import resolve_config_path, resolve_data_dir

    return open_services(resolve_config_path(args.config), resolve_data_dir(args.data_dir))


def _daily(args: argparse.Namespace) -> int:
    from app.localtime import local_date
    from app.reports import report as rep
    from app.reports.exports import export_daily
    from app.security.permissions import MACHINE

    if args.full_ids:
        print(FULL_REFUSED.format(what="证件号码", box="完整证件号码"), file=sys.stderr)
        return 2
    try:
        asked = parse_day(args.date, "--date")
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    services = _open(args)
    try:
        day = asked or local_date(services.intake.clock())
        if args.center:
            view = services.reports.center_figures(MACHINE, day)
            if view.figures is None or view.stale:
                why = view.problem.render() if view.problem is not None else "服务器没有回答。"
                print(CENTER_UNREACHABLE.format(why=why if why.endswith("。") else why + "。"), file=sys.stderr)
                return 3
            report = rep.from_center(
                view,
                center_name=services.deployment.center_name,
                now=services.intake.clock(),
                silent_minutes=services.deployment.silent_sync_minutes,
            )
        else:
            summary = services.reports.day_summary(MACHINE, day)
            report = rep.from_workstation(summary, services.day_close.closed(day))
        data = export_daily(services, MACHINE, report, args.format, via="cli", os_account=getpass.getuser())
        if not write_private(args.out, data):
            return 1
    finally:
        services.close()
    print(f"已导出{day.isoformat()}的{report.title}（{args.format.upper()}）：{args.out.resolve()}（仅本系统账号可读）")
    return 0


def _ratings(args: argparse.Namespace) -> int:
    from app.reports.ratings_export import export_ratings
    from app.security.permissions import MACHINE

    if args.full_phones:
        print(FULL_REFUSED.format(what="电话号码", box="完整电话号码"), file=sys.stderr)
        return 2
    try:
        first, last = parse_day(args.first, "--from"), parse_day(args.last, "--to")
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if first is None or last is None:  # required options: argparse refused their absence already
        return 2
    services = _open(args)
    try:
        data, export = export_ratings(
            services, MACHINE, first, last, args.format, via="cli", os_account=getpass.getuser()
        )
        if not write_private(args.out, data):
            return 1
    finally:
        services.close()
    bad = sum(1 for r in export.ratings if r["bad"])
    print(
        f"已导出{first.isoformat()}至{last.isoformat()}的群众评价 {len(export.ratings)} 条"
        f"（其中差评 {bad} 条，{args.format.upper()}）：{args.out.resolve()}（仅本系统账号可读）"
    )
    return 0
