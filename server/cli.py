"""``yimen-server``: ``migrate`` the store, ``run`` the server, and ``admin …`` for the operator.

Settings come from the environment (``YIMEN_SERVER_DATABASE_URL`` …) and may be overridden by options.  Exit
status 0 on success; messages for people are Chinese; ``--json`` output is for scripts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from app.sync.protocol import ServerStatus

from server.settings import ServerSettings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yimen-server", description="一门式社区事务受理台 中心服务器")
    parser.add_argument("--database-url", help="数据库地址（默认取 YIMEN_SERVER_DATABASE_URL）")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="升级数据库结构（可多进程同时执行）")
    sub.add_parser("openapi", help="输出 OpenAPI 文档（JSON；docs/openapi.json 由此生成）")

    run = sub.add_parser("run", help="启动服务器（数据库须已升级）")
    run.add_argument("--host")
    run.add_argument("--port", type=int)
    run.add_argument("--workers", type=int)

    admin = sub.add_parser("admin", help="运维管理")
    asub = admin.add_subparsers(dest="action", required=True)
    code = asub.add_parser("enroll-code", help="为一个中心的一个工位生成一次性注册码")
    code.add_argument("--center", required=True, help="中心代码")
    code.add_argument("--workstation", required=True, help="3 位工位代码")
    code.add_argument("--hours", type=int, help="有效小时数（默认取设置）")
    revoke = asub.add_parser("revoke", help="吊销一个工位的凭证")
    revoke.add_argument("--center", required=True)
    revoke.add_argument("--workstation", required=True)
    revoke.add_argument("--reason", default="运维吊销")
    op = asub.add_parser("operator", help="后台协同办理的凭证：生成、吊销、列出")
    osub = op.add_subparsers(dest="operator_action", required=True)
    op_add = osub.add_parser("add", help="生成一个后台凭证（凭证只显示这一次）")
    op_add.add_argument("name", help="名称（记录在办理历史中，不能重复使用）")
    grant = op_add.add_mutually_exclusive_group(required=True)
    grant.add_argument("--center", action="append", default=[], help="可办理的中心代码（可多次）")
    grant.add_argument("--all-centers", action="store_true", help="可办理全部中心")
    op_add.add_argument(
        "--expires",
        type=_expiry,
        help="有效期：天数（如 90），或最后有效的日期（如 2027-06-30，北京时间当天结束时失效）",
    )
    op_revoke = osub.add_parser("revoke", help="吊销一个后台凭证")
    op_revoke.add_argument("name")
    osub.add_parser("list", help="列出后台凭证（JSON；不含凭证本身）")
    status = asub.add_parser("status", help="以一个后台凭证的名义变更一件申请的办理状态（后台协同办理）")
    status.add_argument("acceptance_no", metavar="办件编号")
    status.add_argument("status", choices=[s.value for s in _statuses()])
    status.add_argument("--operator", required=True, help="以其名义办理的后台凭证名称（须有效且可办理该中心）")
    status.add_argument("--note", default="")
    account = asub.add_parser("account", help="停用或启用一个中心的窗口账号")
    account.add_argument("--center", required=True)
    account.add_argument("username")
    account.add_argument("--disable", action="store_true")
    publish = asub.add_parser("catalog-publish", help="发布事项版本（规范 JSON 文件）")
    publish.add_argument("files", nargs="+", type=Path)
    asub.add_parser("stats", help="输出存量统计（JSON）")
    listed = asub.add_parser(
        "devices", help="列出在用工位及其程序版本、最近联系时间（每行一个 JSON）；--below 只列低于该版本或未报告版本的"
    )
    listed.add_argument("--below", type=_release, help="版本号，如 0.2.0")
    asub.add_parser("audit-resets", help="列出工位恢复后重置的审计链位置（每行一个 JSON；原位置、新位置、时间）")
    _storage_parsers(asub)
    resend = asub.add_parser(
        "resend",
        help="数据库从备份恢复后，请各工位重新上传某时刻以来的事件；--list 列出请求及执行情况（每行一个 JSON）",
    )
    resend_what = resend.add_mutually_exclusive_group(required=True)
    resend_what.add_argument(
        "--since",
        type=_moment,
        help="从此时刻起重新上传：恢复到的时刻再往前留出余量（见 docs/operations.md），如 2026-12-06T09:30+08:00",
    )
    resend_what.add_argument("--list", action="store_true", help="列出重发请求、已执行和未执行的工位")
    resend.add_argument("--center", help="只请该中心的工位重发（默认全部中心）")
    resend.add_argument("--reason", help="原因（记录在请求中），如“数据库恢复到 09:40”")
    return parser


def _storage_parsers(asub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``admin partitions`` and ``admin archive``: the events table by month (PostgreSQL; docs/operations.md
    "Storage at city scale")."""
    parts = asub.add_parser(
        "partitions", help="建好本月及以后几个月的事件分区，并把默认分区中的事件移入其月份的分区（PostgreSQL）"
    )
    parts.add_argument("--ahead", type=int, default=3, help="本月之后再建几个月（默认 3）")
    old = asub.add_parser("archive", help="把某月之前各月的事件分区卸下、导出到归档目录并从数据库删除（PostgreSQL）")
    old.add_argument("--before", required=True, type=_month, help="归档此月之前的各月（YYYY-MM，北京时间；最晚为本月）")
    old.add_argument("--to", required=True, type=Path, help="归档目录（须已存在，放在数据库以外的存储上）")
    moved = asub.add_parser(
        "documents-transferred",
        help="记录档案部门已确认接收某月的归档（移交）：此后该月归档所带的文书 PDF 可由 documents-prune 从服务器删除",
    )
    moved.add_argument("month", type=_month, help="已移交的月份（YYYY-MM，北京时间；须已结束）")
    moved.add_argument("--reference", required=True, help="移交凭据，如档案部门的接收单号")
    prune = asub.add_parser(
        "documents-prune",
        help="删除已移交月份归档所带、且不再被事件表中任何事件引用的文书 PDF 内容（保留其记录；输出一行 JSON）",
    )
    prune.add_argument("--dry-run", action="store_true", help="只统计，不删除")
    asub.add_parser(
        "documents-move",
        help="把仍存在数据库中的文书 PDF 分批移入 YIMEN_SERVER_BLOB_DIR（服务运行中即可执行；可重复执行）",
    )


def _month(text: str) -> dt.date:
    """``--before``: a month, ``YYYY-MM``."""
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是月份（应如 2025-01）") from None


def _storage(engine: Engine, args: argparse.Namespace, blob_dir: Path | None) -> int:
    """``admin partitions`` / ``archive`` / ``documents-prune``: each makes its own transactions (a month archived
    is committed detached before pg_dump reads it)."""
    from server.services import blobs, partitions

    if args.action == "documents-move":
        if blob_dir is None:
            print("未设置 YIMEN_SERVER_BLOB_DIR：文书仍保存在数据库中，无需移动。请先设置该目录。", file=sys.stderr)
            return 1
        moved = blobs.move_out(engine, blob_dir)
        print(f"已把 {moved} 份文书移入 {blob_dir}。")
        return 0
    if args.action == "documents-prune":
        pruned = blobs.prune(engine, blob_dir=blob_dir, dry_run=args.dry_run)
        print(blobs.describe(pruned))
        return 0

    if args.action == "partitions":
        done = partitions.ensure(engine, ahead=args.ahead)
        for name in done.created:
            print(f"已建分区 {name}")
        print(f"新建 {len(done.created)} 个分区，从默认分区移出 {done.moved} 个事件。")
        return 0
    archived = partitions.archive(engine, before=args.before, directory=args.to, blob_dir=blob_dir)
    for month in archived:
        print(f"已归档 {month.month:%Y-%m}：{month.rows} 个事件 → {month.path}（清单 {month.manifest.name}）")
    if not archived:
        print(f"{args.before:%Y-%m} 之前没有仍挂在事件表上的月份：未归档任何内容。")
    return 0


#: Dates on the command line are Beijing dates (docs/operations.md).
_BEIJING = dt.timezone(dt.timedelta(hours=8))


def _expiry(text: str) -> dt.datetime:
    """``--expires``: a number of days from now, or the last day the credential works (it stops at the end of
    that day, Beijing time)."""
    text = text.strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= 3660:
        return dt.datetime.now(dt.UTC) + dt.timedelta(days=int(text))
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”既不是天数（1–3660），也不是日期（如 2027-06-30）") from None
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), _BEIJING).astimezone(dt.UTC)


def _moment(text: str) -> dt.datetime:
    """``--since``: an ISO moment; without a time zone it is Beijing time."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是时刻（如 2026-12-06T09:30+08:00 或 2026-12-06 09:30）") from None
    return moment.replace(tzinfo=_BEIJING) if moment.tzinfo is None else moment


def _statuses() -> list[ServerStatus]:
    from app.sync.protocol import ServerStatus

    return list(ServerStatus)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides = {"database_url": args.database_url} if args.database_url else {}
    try:
        settings = ServerSettings(**overrides)
    except Exception as exc:  # pydantic's ValidationError: a setting in the environment is wrong
        print(f"服务器设置有误：{exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if args.command == "migrate":
        return _migrate(settings)
    if args.command == "run":
        return _run(settings, args)
    if args.command == "openapi":
        print(openapi_text())
        return 0
    return _admin(settings, args)


def openapi_text() -> str:
    """The OpenAPI document, as checked in under docs/openapi.json (no database is touched)."""
    from server.app import create_app

    app = create_app(ServerSettings(database_url="sqlite://"))
    try:
        return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True)
    finally:
        app.state.runtime.engine.dispose()


def _migrate(settings: ServerSettings) -> int:
    from server import migrate
    from server.store.db import create_store_engine

    engine = create_store_engine(settings.database_url)
    try:
        before, after = migrate.upgrade(engine, blob_dir=settings.blob_dir)
    finally:
        engine.dispose()
    print(f"数据库结构：{before or '（空）'} → {after}")
    return 0


def _run(settings: ServerSettings, args: argparse.Namespace) -> int:
    import uvicorn

    from server import migrate
    from server.store.db import create_store_engine

    settings = settings.model_copy(
        update={k: v for k, v in {"host": args.host, "port": args.port, "workers": args.workers}.items() if v}
    )
    engine = create_store_engine(settings.database_url)
    try:
        migrate.require_current(engine)
    except migrate.NotMigratedError as exc:
        print(
            f"数据库结构为 {exc.current or '（空）'}，本程序需要 {exc.head}。请先执行 yimen-server migrate。",
            file=sys.stderr,
        )
        return 3
    finally:
        engine.dispose()
    ssl = {}
    if settings.tls_certfile and settings.tls_keyfile:
        ssl = {"ssl_certfile": str(settings.tls_certfile), "ssl_keyfile": str(settings.tls_keyfile)}
    # The workers rebuild the app from the environment (uvicorn's factory mode), so pass the settings on.
    import os

    for key, value in settings.model_dump(exclude_none=True).items():
        os.environ[f"YIMEN_SERVER_{key.upper()}"] = str(value)
    uvicorn.run(
        "server.asgi:app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        access_log=False,
        proxy_headers=False,  # the client address is decided by server.api.deps.client_address alone
        timeout_graceful_shutdown=10,
        **ssl,  # type: ignore[arg-type]
    )
    return 0


def _release(text: str) -> str:
    """A release version on the command line (``0.2.0``); argparse says what is wrong otherwise (exit 2)."""
    from app.version import valid_version

    found = valid_version(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"不是发布版本号：{text!r}（应如 0.2.0）")
    return found


def _admin(settings: ServerSettings, args: argparse.Namespace) -> int:
    from server import migrate
    from server.services import accounts, audit_heads, backoffice, catalog, devices, operators, stats
    from server.services.common import ServiceError
    from server.services.documents import session_info
    from server.store.db import create_store_engine

    engine = create_store_engine(settings.database_url)
    try:
        migrate.require_current(engine)
    except migrate.NotMigratedError:
        print("数据库尚未升级。请先执行 yimen-server migrate。", file=sys.stderr)
        return 3
    try:
        if args.action in ("partitions", "archive", "documents-prune", "documents-move"):
            return _storage(engine, args, settings.blob_dir)
        with Session(engine, info=session_info(settings.blob_dir)) as session, session.begin():
            if args.action == "enroll-code":
                code = devices.create_enrollment_code(
                    session,
                    center_code=args.center,
                    workstation_code=args.workstation,
                    hours=args.hours or settings.enrollment_code_hours,
                )
                print(code)
            elif args.action == "revoke":
                n = devices.revoke_device(
                    session, center_code=args.center, workstation_code=args.workstation, reason=args.reason
                )
                print(f"已吊销 {n} 个凭证。")
                if n == 0:
                    return 1
            elif args.action == "operator":
                return _operator(session, args)
            elif args.action == "status":
                from app.sync.protocol import ServerStatus
                from server.api.schemas import TransitionResponse

                # The command line acts in the name of an operator that exists and may act on the center: the
                # recorded actor is that operator, never a free text.
                change = backoffice.change_status(
                    session,
                    operator=operators.operator_named(session, args.operator),
                    acceptance_no=args.acceptance_no,
                    to=ServerStatus(args.status),
                    note=args.note,
                    via=operators.VIA_CLI,
                )
                answer = TransitionResponse(
                    acceptance_no=change.acceptance_no, status=change.status, changed_at=change.changed_at
                )
                print(answer.model_dump_json())
            elif args.action == "account":
                accounts.set_account(session, center_code=args.center, username=args.username, active=not args.disable)
                print("已停用。" if args.disable else "已启用。")
            elif args.action == "catalog-publish":
                for path in args.files:
                    seq = catalog.publish_catalog(session, path.read_text("utf-8").strip())
                    print(f"{path}: {'已发布' if seq else '已是该版本，未改动'}")
            elif args.action == "stats":
                print(json.dumps(stats.counts(session), ensure_ascii=False))
            elif args.action == "devices":
                for row in devices.listing(session, below=args.below):
                    print(json.dumps(row, ensure_ascii=False))
            elif args.action == "audit-resets":
                for row in audit_heads.resets(session):
                    print(json.dumps(row, ensure_ascii=False))
            elif args.action == "resend":
                return _resend(session, args)
            elif args.action == "documents-transferred":
                return _transferred(session, args)
    except ServiceError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _transferred(session: Session, args: argparse.Namespace) -> int:
    """``admin documents-transferred YYYY-MM --reference …``: the archive's confirmation of a month's transfer."""
    from server.services import blobs

    if blobs.confirm_transfer(session, args.month, args.reference):
        print(f"已记录 {args.month:%Y-%m} 的移交（{args.reference.strip()}）。")
    else:
        print(f"{args.month:%Y-%m} 的移交此前已记录，未改动。")
    return 0


def _resend(session: Session, args: argparse.Namespace) -> int:
    """``admin resend``: record a request (docs/operations.md "After a point-in-time restore"), or list them."""
    from server.services import resend

    if args.list:
        for row in resend.listing(session):
            print(json.dumps(row, ensure_ascii=False))
        return 0
    if not args.reason:
        print("请用 --reason 写明原因，如 --reason “数据库恢复到 09:40”。", file=sys.stderr)
        return 2
    now = dt.datetime.now(dt.UTC)
    request_id = resend.create(session, since=args.since, center_code=args.center, reason=args.reason, now=now)
    which = f"中心 {args.center} 的工位" if args.center else "全部中心的工位"
    print(
        f"已登记重发请求 {request_id}：{which}下次同步时重新上传 {args.since.astimezone(_BEIJING):%Y-%m-%d %H:%M:%S}"
        "（北京时间）以来已被确认的事件。用 yimen-server admin resend --list 查看哪些工位已执行。"
    )
    return 0


def _operator(session: Session, args: argparse.Namespace) -> int:
    from server.services import operators

    if args.operator_action == "add":
        centers = [] if args.all_centers else args.center
        print(operators.create_operator(session, name=args.name, centers=centers, expires_at=args.expires))
        return 0
    if args.operator_action == "revoke":
        if not operators.revoke_operator(session, args.name):
            print(f"没有未吊销的名为“{args.name}”的后台凭证。", file=sys.stderr)
            return 1
        print(f"已吊销后台凭证“{args.name}”。")
        return 0
    rows = [
        {
            "name": o.name,
            "centers": o.centers,
            "created_at": o.created_at.isoformat(),
            "expires_at": o.expires_at.isoformat() if o.expires_at else None,
            "revoked_at": o.revoked_at.isoformat() if o.revoked_at else None,
        }
        for o in operators.list_operators(session)
    ]
    print(json.dumps(rows, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
