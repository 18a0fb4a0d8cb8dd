"""IT's and the back office's reports from the command line:

- ``yimen report handover [--day YYYY-MM-DD] --out FILE.pdf`` — the day's 材料交接单 of this workstation
  (app/reports/handover.py, drawn by app/documents/handover.py), written readable by the exporting account only
  (it names applicants) and audited.  Exit status 0 on success, 1 when the file cannot be written, 2 when the store
  cannot be opened (the sentence says why).

Never imports Qt (ARCHITECTURE.md invariant 8).  It prints by design, like app/cli.py.
"""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
from pathlib import Path

COMMANDS = ("report",)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("report", help="报表")
    report_sub = parser.add_subparsers(dest="action", required=True)
    handover = report_sub.add_parser("handover", help="导出本工位某日的材料交接单（PDF，交后台签收）")
    handover.add_argument("--day", type=dt.date.fromisoformat, help="交接日期 YYYY-MM-DD（默认今天）")
    handover.add_argument("--out", required=True, type=Path, help="输出的 PDF 文件")
    handover.add_argument("--config", help="部署配置文件（默认为系统配置目录中的 yimen.toml，或 YIMEN_CONFIG）")
    handover.add_argument("--data-dir", help="数据文件夹（默认为系统数据目录，或 YIMEN_DATA_DIR）")


def run(args: argparse.Namespace) -> int:
    from app.bootstrap import open_services
    from app.config import resolve_config_path, resolve_data_dir
    from app.documents.fonts import load_fonts
    from app.documents.handover import render_handover, totals_text
    from app.reports.handover import handover_list
    from app.security import audit
    from app.security.permissions import MACHINE

    services = open_services(resolve_config_path(args.config), resolve_data_dir(args.data_dir))
    try:
        handover = handover_list(services.intake, args.day, by=MACHINE)
        pdf, _ = render_handover(handover, load_fonts())
        if not write_private(args.out, pdf):
            return 1
        with services.db.write() as session:
            audit.record(
                session,
                action="report.handover_exported",
                entity_type="report",
                entity_id=None,
                workstation_code=services.deployment.workstation_code,
                user_id=None,
                details={
                    "day": handover.day.isoformat(),
                    "cases": len(handover.cases),
                    "via": "cli",
                    "os_account": getpass.getuser(),
                },
            )
    finally:
        services.close()
    print(
        f"已导出{handover.day.isoformat()}的材料交接单（{totals_text(handover)}）："
        f"{args.out.resolve()}（仅本系统账号可读）"
    )
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
