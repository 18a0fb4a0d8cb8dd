"""IT's command for the retention of personal data (docs/privacy.md "Retention"):

- ``yimen purge`` — remove from this workstation the personal data of the closed cases that the central server has
  acknowledged and whose last change is older than ``privacy.retention_days`` (app/retention.py), in small
  transactions, as the running counter does every hour; ``--dry-run`` only says what would go.  Prints counts and
  case numbers, never personal data.  Exit status 0 on success, 2 when the store cannot be opened or written (the
  sentence says why).

Never imports Qt (ARCHITECTURE.md invariant 8).  It prints by design, like app/cli.py.
"""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import datetime as dt

COMMANDS = ("purge",)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "purge", help="清除已办结、中心服务器已确认且超过保存期限（privacy.retention_days）的申请的个人信息"
    )
    parser.add_argument("--dry-run", action="store_true", help="只列出将被清除的申请，不做任何改动")
    parser.add_argument("--list", action="store_true", help="逐行列出办件编号")
    parser.add_argument(
        "--vacuum",
        action="store_true",
        help="清除后重建数据库文件（VACUUM）：文件变小，旧版本留在空闲空间的内容一并清除；期间不能保存，请在下班后运行",
    )
    parser.add_argument("--config", help="部署配置文件（默认为系统配置目录中的 yimen.toml，或 YIMEN_CONFIG）")
    parser.add_argument("--data-dir", help="数据文件夹（默认为系统数据目录，或 YIMEN_DATA_DIR）")


def run(args: argparse.Namespace) -> int:
    from app.bootstrap import open_services
    from app.config import resolve_config_path, resolve_data_dir

    services = open_services(resolve_config_path(args.config), resolve_data_dir(args.data_dir))
    try:
        report = services.purge(dry_run=args.dry_run)
        if args.vacuum and not args.dry_run:
            from app import retention

            retention.compact(services.db)
    finally:
        services.close()
    cutoff = report.cutoff.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    print(f"保存期限 {report.retention_days} 天：最后一次变动早于 {cutoff} 的已办结申请。")
    if report.dry_run:
        print(
            f"试运行，未做任何改动：将清除 {report.count} 件申请的个人信息"
            f"（{report.persons} 位当事人，{report.documents} 份文书）。"
        )
    else:
        print(
            f"已清除 {report.count} 件申请的个人信息（{report.persons} 位当事人，{report.documents} 份文书，"
            f"分 {report.batches} 批）；办件编号保留，可查到“已按保存期限清除”。"
        )
    if args.vacuum and not args.dry_run:
        print("数据库文件已重建（VACUUM）。")
    if args.list:
        for number in report.acceptance_nos:
            print(number)
    if report.waiting_for_server:
        print(
            f"另有 {report.waiting_for_server} 件已办结的申请尚未全部得到中心服务器确认，不会清除；"
            "请检查同步状态（yimen sync --status）。"
        )
    return 0
