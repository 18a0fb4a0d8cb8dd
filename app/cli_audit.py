"""IT's command for the audit trail (docs/security.md "Keyed audit chain"):

- ``yimen audit verify`` — check the keyed audit chain and the stored personal data against it, and compare the
  chain with the head the central server holds for this workstation when it is enrolled and the server answers
  (otherwise it says it checked locally only).  Findings are printed by position, in Chinese, never with personal
  data (positions and case numbers only).  Exit status 0 when intact, 1 with findings, 2 when the store cannot be
  opened (the sentence says why).

Never imports Qt (ARCHITECTURE.md invariant 8).  It prints by design, like app/cli.py.
"""

# ruff: noqa: T201

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.bootstrap import Services
    from app.security.audit import KnownHead

COMMANDS = ("audit",)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("audit", help="审计记录")
    actions = parser.add_subparsers(dest="action", required=True)
    verify = actions.add_parser(
        "verify", help="核对本机审计链和个人数据（已注册且连得上时与中心服务器比对）；完好时返回 0，否则返回 1"
    )
    verify.add_argument("--config", help="部署配置文件（默认为系统配置目录中的 yimen.toml，或 YIMEN_CONFIG）")
    verify.add_argument("--data-dir", help="数据文件夹（默认为系统数据目录，或 YIMEN_DATA_DIR）")


def run(args: argparse.Namespace) -> int:
    from app.bootstrap import open_services
    from app.config import resolve_config_path, resolve_data_dir

    services = open_services(resolve_config_path(args.config), resolve_data_dir(args.data_dir))
    try:
        return verify(services)
    finally:
        services.close()


def verify(services: Services) -> int:
    """Check the chain, print what was found, return the exit status."""
    from app.security import audit

    known: list[KnownHead] = []
    acknowledged = services.sync.acknowledged_head()
    if acknowledged is not None:
        known.append(audit.KnownHead(audit.HeadSource.ACKNOWLEDGED, *acknowledged))
    server_note, server_head = _server_head(services)
    if server_head is not None:
        known.append(server_head)
    with services.db.read() as session:
        report = audit.verify_chain(session, known=known)
    if report.events:
        keyed = f"（自第 {report.keyed_from} 条起以本机密钥校验）" if report.keyed_from else ""
        print(f"本机审计链共 {report.events} 条，最新为第 {report.head_seq} 条{keyed}。")
    else:
        print("本机审计链尚无记录。")
    print(server_note)
    if report.intact:
        print("审计链完好，个人数据与审计记录相符。")
        return 0
    print(f"发现 {len(report.findings)} 处问题：")
    for finding in report.findings:
        print(f"  {finding.message().render()}")
    print("请保留本机数据文件夹原样，不要删除任何文件，并通知信息员。", file=sys.stderr)
    return 1


def _server_head(services: Services) -> tuple[str, KnownHead | None]:
    """What the server says of this workstation's chain: a sentence, and its head when there is one to compare."""
    from app.errors import CredentialStoreError, SyncError
    from app.security import audit

    try:
        enrolled = services.sync.credentials.load() is not None
    except CredentialStoreError as exc:
        return f"无法读取工位凭证（{exc.message.render()}），仅在本机核对。", None
    if not enrolled:
        return "本工位未在中心服务器注册，仅在本机核对。", None
    try:
        held = services.sync.server_audit_head()
    except SyncError as exc:
        return f"未能与中心服务器核对（{exc.message.render()}），仅在本机核对。", None
    if held.seq == 0 or held.mac is None:
        return "中心服务器尚未收到本工位的审计链位置，仅在本机核对。", None
    return (
        f"已与中心服务器核对：服务器记录本工位审计链到第 {held.seq} 条。",
        audit.KnownHead(audit.HeadSource.SERVER, held.seq, held.mac),
    )
