"""IT's command for the retention of personal data (docs/privacy.md "Retention"):

- ``yimen purge`` — remove from this workstation the personal data of the closed cases that the central server has
  acknowledged and whose last change is older than ``privacy.retention_days`` (app/retention.py), in small
  transactions, as the running counter does every hour; ``--dry-run`` only says what would go.  Prints counts and
  case numbers, never personal data.  Exit status 0 on success, 2 when the store cannot be opened or written (the
  sentence says why).
- ``yimen prune`` — clear the bytes the central server already holds and this workstation no longer needs
  (app/pruning.py): acknowledged events' payloads after ``storage.payload_retention_days``, issued PDFs after
  ``storage.document_retention_days``; the rows and their SHA-256 stay.  Then the freed space goes back to the disk
  (incremental vacuum); ``--vacuum`` rebuilds the file once (a store made before auto-vacuum switches to it).
  ``--dry-run`` only counts.  Prints counts and sizes, never personal data.

Never imports Qt (ARCHITECTURE.md invariant 8).  It prints by design, like app/cli.py.
"""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

COMMANDS = ("purge", "prune")


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

    prune = sub.add_parser(
        "prune",
        help="删除中心服务器已确认收到且超过保存天数的同步事件内容和文书 PDF（记录和校验值保留），并回收磁盘空间",
    )
    prune.add_argument("--dry-run", action="store_true", help="只统计将删除的内容，不做任何改动")
    prune.add_argument(
        "--vacuum",
        action="store_true",
        help="之后重建数据库文件（VACUUM）：旧数据库由此改为可逐步回收空间；期间不能保存，请在下班后运行",
    )
    prune.add_argument("--config", help="部署配置文件（默认为系统配置目录中的 yimen.toml，或 YIMEN_CONFIG）")
    prune.add_argument("--data-dir", help="数据文件夹（默认为系统数据目录，或 YIMEN_DATA_DIR）")


def run(args: argparse.Namespace) -> int:
    if args.command == "prune":
        return _prune(args)
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


def _mb(nbytes: int) -> str:
    return f"{nbytes / 1024 / 1024:.1f} MB"


def _prune(args: argparse.Namespace) -> int:
    from app import pruning, retention
    from app.bootstrap import open_services
    from app.config import resolve_config_path, resolve_data_dir

    services = open_services(resolve_config_path(args.config), resolve_data_dir(args.data_dir))
    try:
        path = services.db.path
        before = _file_size(path)
        report = services.prune(dry_run=args.dry_run)
        if args.vacuum and not args.dry_run:
            retention.compact(services.db)
            mode = pruning.auto_vacuum_mode(services.db)
        else:
            mode = report.auto_vacuum
        after = _file_size(path)
    finally:
        services.close()
    print(
        f"保存期限：同步事件内容 {report.payload_days} 天（中心服务器确认收到后），"
        f"文书 PDF {report.document_days} 天（出具或最后一次打印后）。"
    )
    what = (
        f"{report.payloads} 条同步事件的内容（{_mb(report.payload_bytes)}），"
        f"{report.documents} 份文书 PDF（{_mb(report.document_bytes)}）"
    )
    if report.dry_run:
        print(f"试运行，未做任何改动：将删除 {what}。")
    else:
        print(f"已删除 {what}，分 {report.batches} 批；记录和校验值保留，补打时从中心服务器取回原件。")
        print(f"数据库文件：{_mb(before)} → {_mb(after)}（释放 {_mb(max(before - after, 0))}）。")
    if args.vacuum and not args.dry_run:
        print("数据库文件已重建（VACUUM）。")
    if mode != "incremental":
        print(
            "本数据库建于旧版本，删除内容后空间只供重复使用，文件不会变小。"
            "请在下班后运行一次 yimen prune --vacuum（或 yimen purge --vacuum），此后空间会逐步自动回收。"
        )
    if report.waiting_payloads or report.waiting_documents:
        print(
            f"另有 {report.waiting_payloads} 条同步事件、{report.waiting_documents} 份文书 PDF 尚未得到中心服务器确认，"
            "不会删除；请检查同步状态（yimen sync --status）。"
        )
    return 0


def _file_size(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
