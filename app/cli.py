"""Scripting subcommands for IT (``yimen id check``, ``yimen catalog validate``, …).

Never imports Qt (ARCHITECTURE.md invariant 8): ``ui/__main__.py`` hands these over before PySide6 is loaded, so
they start fast and run where no display exists.  Output is Chinese for people and JSON where scripts read it;
the exit status is 0 only on success.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import getpass
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from app import cli_audit, cli_ops, cli_privacy, cli_report, cli_store
from app.errors import ValidationError, YimenError
from app.i18n import msg
from app.security.permissions import MACHINE
from app.version import version

if TYPE_CHECKING:
    from app.workdays import WorkCalendar

SUBCOMMANDS = (
    "id",
    "catalog",
    "workdays",
    "applications",
    "user",
    "demo",
    "print",
    "enroll",
    "sync",
    *cli_store.COMMANDS,
    *cli_audit.COMMANDS,
    *cli_privacy.COMMANDS,
    *cli_report.COMMANDS,
    *cli_ops.COMMANDS,
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class _ChineseHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]  # noqa: ANN001
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class YimenParser(argparse.ArgumentParser):
    """An argument parser whose help is Chinese (headings, -h); its subcommands' parsers are of this class too."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _ChineseHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"命令行有误：{_chinese(message)}。用 {self.prog} --help 查看用法。\n")


#: argparse's English refusals, in Chinese (what is not listed is shown as argparse says it).
_ARGPARSE_ERRORS = (
    (re.compile(r"the following arguments are required: (.+)"), "缺少参数 {0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数 {0}"),
    (
        re.compile(r"argument (\S+): invalid choice: '?([^'(]*)'? \(choose from (.+)\)"),
        "参数 {0} 的值“{1}”不在可选范围（{2}）内",
    ),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面要跟一个值"),
    (re.compile(r"argument (\S+): invalid (\w+) value: '?([^']*)'?"), "参数 {0} 的值“{2}”无效"),
)


def _chinese(message: str) -> str:
    for pattern, text in _ARGPARSE_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return text.format(*found.groups())
    return message


def add_gui_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """The counter window's options (``yimen`` without a subcommand)."""
    parser.add_argument("--config", help="部署配置文件（默认为系统配置目录中的 yimen.toml，或 YIMEN_CONFIG）")
    parser.add_argument("--data-dir", help="数据文件夹（默认为系统数据目录，或 YIMEN_DATA_DIR）")
    parser.add_argument(
        "--demo",
        action="store_true",
        help='演示：首次启动时写入演示账号和示例申请（仅限 deployment.mode = "demo" 的部署）',
    )


def full_help() -> str:
    """``yimen --help``: the window's options and every subcommand."""
    parser = build_parser()
    parser.usage = (
        "yimen [--config FILE] [--data-dir DIR] [--demo]   打开受理窗口\n"
        "       yimen 子命令 [选项] …                         命令行工具（yimen 子命令 --help 查看其选项）\n"
        "       yimen --version                             显示版本"
    )
    add_gui_options(parser.add_argument_group("受理窗口的选项（不带子命令时）"))
    parser.add_argument("--version", action="store_true", help="显示版本（如 yimen 0.1.0）并退出")
    return parser.format_help()


def version_line() -> str:
    from app.version import version

    return f"yimen {version()}"


def _add_location_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="部署配置文件（默认为系统配置目录中的 yimen.toml，或 YIMEN_CONFIG）")
    parser.add_argument("--data-dir", help="数据文件夹（默认为系统数据目录，或 YIMEN_DATA_DIR）")


def build_parser() -> argparse.ArgumentParser:
    parser = YimenParser(prog="yimen", description="一门式社区事务受理台 命令行工具")
    sub = parser.add_subparsers(
        dest="command", required=True, title="子命令", metavar="子命令", help="下列之一；yimen 子命令 --help 查看其选项"
    )

    id_parser = sub.add_parser("id", help="证件号码工具")
    id_sub = id_parser.add_subparsers(dest="action", required=True)
    check = id_sub.add_parser("check", help="校验身份证号，每个号码输出一行 JSON")
    check.add_argument("numbers", nargs="+", metavar="NUMBER")

    cat_parser = sub.add_parser("catalog", help="事项目录工具")
    cat_sub = cat_parser.add_subparsers(dest="action", required=True)
    validate = cat_sub.add_parser("validate", help="检查事项文件")
    validate.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    export = cat_sub.add_parser("export", help="把事项文件转成规范 JSON（供 yimen-server admin catalog-publish 发布）")
    export.add_argument("paths", nargs="+", metavar="PATH", type=Path)
    export.add_argument("--out", required=True, type=Path, help="输出文件夹（每个事项一个 CODE-vN.json）")

    wd_parser = sub.add_parser("workdays", help="工作日计算")
    wd_sub = wd_parser.add_subparsers(dest="action", required=True)
    add = wd_sub.add_parser("add", help="输出 DATE 之后第 N 个工作日，以及是否为估算")
    add.add_argument("date", metavar="DATE")
    add.add_argument("n", metavar="N")
    add.add_argument("--data-dir", help="数据文件夹（其中 calendar/ 可放信息员补充的年度日历）")

    apps_parser = sub.add_parser("applications", help="申请记录")
    apps_sub = apps_parser.add_subparsers(dest="action", required=True)
    lst = apps_sub.add_parser("list", help="列出某日受理的申请（身份证号已遮盖）")
    lst.add_argument("--date", type=dt.date.fromisoformat, help="日期 YYYY-MM-DD（默认今天）")
    lst.add_argument("--json", action="store_true", help="每行输出一个 JSON 对象")
    _add_location_options(lst)

    user_parser = sub.add_parser("user", help="账号管理（信息员）")
    user_sub = user_parser.add_subparsers(dest="action", required=True)
    uadd = user_sub.add_parser("add", help="新建账号；密码从标准输入读取或交互输入")
    uadd.add_argument("username")
    uadd.add_argument("--name", required=True, help="姓名")
    uadd.add_argument("--staff-no", required=True, help="工号")
    uadd.add_argument("--role", choices=["clerk", "supervisor", "admin"], default="clerk")
    uadd.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（脚本用）")
    uadd.add_argument("--permanent", action="store_true", help="不要求首次登录时修改密码")
    uadd.add_argument(
        "--by",
        metavar="管理员账号",
        help="已有账号时创建系统管理员账号须由现有管理员确认（随后输入其密码；--password-stdin 时为第二行）",
    )
    _add_location_options(uadd)
    ureset = user_sub.add_parser("reset-password", help="重置为临时密码（下次登录须修改）；也解除锁定")
    ureset.add_argument("username")
    ureset.add_argument("--password-stdin", action="store_true", help="从标准输入读取临时密码（脚本用）")
    _add_location_options(ureset)

    print_parser = sub.add_parser("print", help="导出已出具的文书（PDF，按补打记录审计）")
    print_parser.add_argument("acceptance_no", metavar="办件编号")
    print_parser.add_argument("--doc", choices=["receipt", "notice", "form"], default="receipt", help="文书种类")
    print_parser.add_argument("--out", required=True, type=Path, help="输出的 PDF 文件")
    print_parser.add_argument("--reason", default="脚本导出（yimen print）", help="补打原因（写入审计记录）")
    _add_location_options(print_parser)

    enroll = sub.add_parser("enroll", help="用一次性注册码在中心服务器注册本工位（凭证存入本机密钥文件夹）")
    enroll.add_argument("--server", help="中心服务器地址（默认取配置文件的 server.url）")
    enroll.add_argument("--code", required=True, help="信息员给出的一次性注册码")
    _add_location_options(enroll)

    sync = sub.add_parser("sync", help="与中心服务器同步")
    sync.add_argument("--once", action="store_true", help="上传一次、下载一次后退出；失败时返回非零并说明原因")
    sync.add_argument("--status", action="store_true", help="输出同步状态（JSON）")
    sync.add_argument("--retry", action="store_true", help="把被拒收（隔离）的事件重新放回队列")
    _add_location_options(sync)

    demo_parser = sub.add_parser("demo", help="演示数据（仅演示模式）")
    demo_sub = demo_parser.add_subparsers(dest="action", required=True)
    seed = demo_sub.add_parser("seed", help="写入演示账号和示例申请")
    _add_location_options(seed)
    cli_store.add_parsers(sub)
    cli_audit.add_parsers(sub)
    cli_privacy.add_parsers(sub)
    cli_report.add_parsers(sub)
    cli_ops.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except YimenError as exc:
        print(exc.message.render(), file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "id":
        return _id_check(args.numbers)
    if args.command == "catalog" and args.action == "export":
        return _catalog_export(args.paths, args.out)
    if args.command == "catalog":
        from app.catalog.loader import validate_paths

        lines, code = validate_paths(list(args.paths))
        for line in lines:
            print(line)
        return code
    if args.command == "workdays":
        return _workdays_add(args)
    if args.command == "applications":
        return _applications_list(args)
    if args.command == "user":
        return _user_reset_password(args) if args.action == "reset-password" else _user_add(args)
    if args.command == "demo":
        return _demo_seed(args)
    if args.command == "print":
        return _print(args)
    if args.command == "enroll":
        return _enroll(args)
    if args.command == "sync":
        return _sync(args)
    if args.command in cli_store.COMMANDS:
        return cli_store.run(args)
    if args.command in cli_audit.COMMANDS:
        return cli_audit.run(args)
    if args.command in cli_privacy.COMMANDS:
        return cli_privacy.run(args)
    if args.command in cli_report.COMMANDS:
        return cli_report.run(args)
    if args.command in cli_ops.COMMANDS:
        return cli_ops.run(args)
    raise AssertionError(args.command)


def _id_check(numbers: Sequence[str]) -> int:
    from app.idnumber import check_id

    ok = True
    for number in numbers:
        result = check_id(number)
        ok = ok and result.valid
        print(json.dumps(result.to_json(), ensure_ascii=False))
    return 0 if ok else 1


def _workdays_add(args: argparse.Namespace) -> int:
    from app.bootstrap import build_calendar
    from app.config import resolve_data_dir
    from app.resources import resource_path

    folders = [resource_path("calendar"), resolve_data_dir(args.data_dir) / "calendar"]
    calendar, problems = build_calendar(folders)
    for problem in problems:
        print(problem.render(), file=sys.stderr)
    text, code = workdays_add_command(args.date, args.n, calendar)
    print(text, file=sys.stdout if code == 0 else sys.stderr)
    return code


def _parse_start(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            msg("workdays", "日期“{value}”无效，请写成 2026-09-30 的格式。").bind(value=value), field="start"
        ) from None


def _parse_n(value: int | str) -> int:
    from app.workdays import MAX_WORKDAYS

    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    raise ValidationError(
        msg("workdays", "工作日数应为1至{max}之间的整数，收到的是“{value}”。").bind(max=MAX_WORKDAYS, value=str(value)),
        field="n",
    )


def workdays_add_command(
    start: dt.date | str,
    n: int | str,
    calendar: WorkCalendar,
    problems: Sequence[YimenError] = (),
) -> tuple[str, int]:
    """Run ``yimen workdays add DATE N``: the N-th working day after DATE.

    On success (exit code 0) the text is, one item per line:

    1. the date in ISO form, e.g. ``2026-10-13`` (for scripts);
    2. ``估算`` when the date is an estimate, else an empty line;
    3. a Chinese sentence with the acceptance date, N and the promised completion date;
    4. when estimated: which years were estimated and how far the calendar data reaches;
    5. one ``注意：…`` line per problem in ``problems`` (e.g. from :func:`app.workdays.load_calendar`).

    On invalid input (exit code 2) the text is one Chinese sentence saying what is wrong; print it to stderr.

    Args:
        start: the acceptance date, a date or ``YYYY-MM-DD`` text.
        n: the number of working days, an int or its text.
        calendar: the calendar to use (usually from :func:`app.workdays.load_calendar`).
        problems: calendar data problems to mention after the result.

    Returns:
        The text to print (no trailing newline) and the exit code.
    """
    from app.workdays import format_date_cn

    try:
        start_day = _parse_start(start)
        count = _parse_n(n)
        result = calendar.add_workdays(start_day, count)
    except ValidationError as exc:
        return exc.message.render(), 2
    lines = [
        result.date.isoformat(),
        "估算" if result.estimated else "",
        msg("workdays", "受理日期{start}，办理时限{n}个工作日，承诺办结日期{end}。")
        .bind(start=format_date_cn(result.start), n=result.n, end=format_date_cn(result.date))
        .render(),
    ]
    if result.estimated:
        covered = calendar.covered_through()
        lines.append(
            msg(
                "workdays",
                "估算：{years}年的节假日安排尚未录入，按周一至周五为工作日计算；{coverage}。补录后请重新计算。",
            )
            .bind(
                years="、".join(str(year) for year in result.estimated_years),
                coverage=calendar.coverage_message() if covered is not None else "没有日历数据",
            )
            .render()
        )
    lines.extend(msg("workdays", "注意：{problem}").bind(problem=problem.message).render() for problem in problems)
    return "\n".join(lines), 0


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.bootstrap import open_services
    from app.config import resolve_config_path, resolve_data_dir

    return open_services(resolve_config_path(args.config), resolve_data_dir(args.data_dir))


def _applications_list(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        rows = services.intake.list_day(args.date, by=MACHINE)
    finally:
        services.close()
    from app.intake.labels import decision_label

    for row in reversed(rows):
        local = row.decided_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
        if args.json:
            print(
                json.dumps(
                    {
                        "acceptance_no": row.acceptance_no,
                        "item_code": row.item_code,
                        "item": row.item_name,
                        "decision": row.decision,
                        "state": row.state,
                        "time": local.isoformat(timespec="seconds"),
                        "applicant": row.applicant_name,
                        "id_masked": row.applicant_id_masked,
                        "sync_state": row.sync_state,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            print(
                "\t".join(
                    [
                        row.acceptance_no,
                        row.item_name,
                        decision_label(row.decision, row.state).render(),
                        local.strftime("%Y-%m-%d %H:%M"),
                        row.applicant_id_masked,
                    ]
                )
            )
    return 0


def _user_add(args: argparse.Namespace) -> int:
    from app.domain import Role

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("密码：")
    by_password = None
    if args.by:
        by_password = (
            sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass(f"{args.by} 的密码：")
        )
    services = _open(args)
    try:
        from app.security.accounts import create_user

        by = services.accounts.login(args.by, by_password or "") if args.by else None
        with services.db.write() as session:
            user = create_user(
                session,
                username=args.username,
                display_name=args.name,
                staff_no=args.staff_no,
                role=Role(args.role),
                password=password,
                workstation_code=services.deployment.workstation_code,
                temporary_password=not args.permanent,
                by=by,
            )
    finally:
        services.close()
    print(f"已创建账号 {user.username}（{user.display_name}，{user.role.value}）")
    return 0


def _user_reset_password(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("临时密码：")
    services = _open(args)
    try:
        services.accounts.reset_password(args.username, password, by=None)
    finally:
        services.close()
    print(f"已为账号 {args.username.strip().lower()} 设置临时密码；该账号下次登录时须修改密码。")
    return 0


def _demo_seed(args: argparse.Namespace) -> int:
    from app.demo import seed

    services = _open(args)
    try:
        created = seed(services)
    finally:
        services.close()
    print(f"演示数据：新建 {created} 条申请" if created else "演示数据已存在，未做改动")
    return 0


def _print(args: argparse.Namespace) -> int:
    """Write the stored document, stamped 补打 and audited as a reprint (docs/documents.md)."""
    import getpass as _getpass

    from app.documents.service import check_reason

    reason = check_reason(args.reason)
    services = _open(args)
    try:
        # A decision whose documents a crash left undrawn gets them now (the same bytes they would have had).
        services.documents.heal()
        document = services.documents.current(args.acceptance_no, args.doc)
        copy = services.documents.copy_for_handout(document, reprint=True)
        out: Path = args.out
        # The document carries the citizen's name and ID number: only the exporting account reads it.
        if not cli_report.write_private(out, copy.data):
            return 1
        services.documents.record_handout(
            document.id,
            None,
            action="export",
            reprint=True,
            reason=f"{reason}（系统账号 {_getpass.getuser()}）",
            via="cli",
            source=copy.source,
        )
    finally:
        services.close()
    what = "补打，重新生成件" if copy.rerendered else "补打"
    print(f"已导出{document.kind.zh_title}（第 {document.seq} 版，{what}）：{out.resolve()}（仅本系统账号可读）")
    return 0


def _enroll(args: argparse.Namespace) -> int:
    from app.intake.numbering import series_letter

    services = _open(args)
    try:
        before = services.db.identity.series
        credential = services.sync.enroll(args.code, args.server)
        where = services.sync.credentials.where()
        after = services.db.identity.series
    finally:
        services.close()
    print(
        f"已注册：中心 {credential.center_code} 工位 {credential.workstation_code}，服务器 {credential.server_url}。"
        f"凭证已存入{where}。"
    )
    if after != before:
        # A store without numbers of its own, of a workstation code the server holds numbers of (a new disk).
        print(
            f"中心服务器上已有本工位代码的办件编号：本机此后的编号属于第 {after} 批次（编号中带字母 "
            f"{series_letter(after)}），已打印的编号不会重复。"
            "要取回本工位已上传的记录，请用 yimen recover --from-server。"
        )
    return 0


def _sync(args: argparse.Namespace) -> int:
    services = _open(args)
    try:
        if args.retry:
            print(f"已把 {services.sync.retry_quarantined(by=MACHINE)} 个被拒收的事件放回队列。")
        if args.once or not (args.status or args.retry):
            report = services.sync.sync_once()
            print(
                f"上传 {report.push.sent} 个事件，隔离 {report.push.quarantined} 个，暂缓 {report.push.held} 个；"
                f"下载 {report.pull.applied} 项更新。"
            )
            if report.pull.resent or report.pull.unsendable:  # docs/sync-protocol.md "Sending again after a …"
                print(
                    f"中心服务器恢复后要求重新上传：{report.pull.resent} 个事件已放回队列"
                    + (f"，{report.pull.unsendable} 个已在本机清理、无法重传。" if report.pull.unsendable else "。")
                )
        status = services.sync.status()
        if args.status:
            print(
                json.dumps(
                    {
                        "enrolled": status.enrolled,
                        "revoked": status.revoked,
                        "pending": status.pending,
                        "quarantined": status.quarantined,
                        "last_success_at": status.last_success_at.isoformat() if status.last_success_at else None,
                        "last_error": status.last_error,
                        "clock_offset_seconds": status.clock_offset.total_seconds() if status.clock_offset else None,
                        # docs/sync-protocol.md "Client versions": this build and what the server last published.
                        "version": version(),
                        "client_version_min": status.client_version_min,
                        "client_version_latest": status.client_version_latest,
                        # A restored server asked to send again events whose bytes were already pruned here.
                        "resend_unsendable": status.resend_unsendable,
                        # docs/sync-protocol.md "When the server is busy": no push before this moment.
                        "busy_until": status.busy_until.isoformat() if status.busy_until else None,
                        "update_due": dataclasses.asdict(status.update) if status.update else None,
                    },
                    ensure_ascii=False,
                )
            )
        for warning in status.warnings:
            print(warning.render(), file=sys.stderr)
        if status.quarantined:
            print(
                f"有 {status.quarantined} 个事件被中心服务器拒收，见同步面板或 yimen sync --status。", file=sys.stderr
            )
            return 1
    finally:
        services.close()
    return 0


def _catalog_export(paths: Sequence[Path], out: Path) -> int:
    """Canonical JSON of each catalog file: what the central server publishes and the counters verify."""
    from app.catalog.loader import CatalogFileError, load_item_bytes

    code = 0
    for path in paths:
        try:
            loaded = load_item_bytes(path.read_bytes(), path=str(path))
        except OSError as exc:
            print(f"{path}: 无法读取（{exc.strerror}）", file=sys.stderr)
            code = 1
            continue
        except CatalogFileError as exc:
            for problem in exc.problems:
                print(problem.as_message().render(), file=sys.stderr)
            code = 1
            continue
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{loaded.item.code}-v{loaded.item.version}.json"
        target.write_text(loaded.canonical_json, encoding="utf-8")
        print(f"{target}\t{loaded.sha256}")
    return code
