"""IT's commands for the store and the machine vault (docs/security.md, docs/operations.md):

- ``yimen backup`` — write a verified, sealed backup now (``--if-due``: only when the newest is a day old);
  ``yimen backup --list`` lists them;
- ``yimen restore FILE [--identity KEYFILE]`` — put a backup in place of a lost or damaged store; numbering
  continues in a new series;
- ``yimen recover --from-server --code CODE [--force]`` — rebuild a lost or damaged store from what this
  workstation synced to the central server (app/recovery.py), enrolling first with the operator's one-time code (the
  server reads records back only soon after a fresh enrollment); numbering continues in a new series;
- ``yimen recovery-key new --out FILE`` — make IT's recovery key pair: the private identity goes to FILE (keep it
  offline), the public key is printed for ``backup.recovery_public_key`` in every deployment file;
- ``yimen vault status|seal|unseal`` — where the machine vault is and how it is protected; seal the keys with
  systemd-creds (root, at install) and open them into RAM at boot (the ``yimen-vault.service`` unit).

Never imports Qt (ARCHITECTURE.md invariant 8).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from app.errors import ConfigError, StorageError
from app.i18n import msg

COMMANDS = ("backup", "restore", "recover", "recovery-key", "vault")


def _locations(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="部署配置文件（默认为系统配置目录中的 yimen.toml，或 YIMEN_CONFIG）")
    parser.add_argument("--data-dir", help="数据文件夹（默认为系统数据目录，或 YIMEN_DATA_DIR）")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = sub.add_parser("backup", help="立即备份数据库（加密，并用恢复公钥封存密钥）")
    backup.add_argument("--if-due", action="store_true", help="仅当最新备份已超过一天时才备份（计划任务用）")
    backup.add_argument("--list", action="store_true", help="列出已有备份")
    _locations(backup)

    restore = sub.add_parser("restore", help="从备份恢复数据库；恢复后编号另起批次")
    restore.add_argument("file", type=Path, metavar="FILE", help="备份文件（.ybak，旁边须有同名 .ybak.key）")
    restore.add_argument("--identity", type=Path, action="append", default=[], help="恢复私钥文件（本机密钥丢失时用）")
    _locations(restore)

    recover = sub.add_parser(
        "recover", help="数据库丢失或损坏后，从中心服务器取回本工作站已上传的记录重建数据库；恢复后编号另起批次"
    )
    recover.add_argument("--from-server", action="store_true", required=True, help="从中心服务器取回本工位已上传的记录")
    recover.add_argument(
        "--code",
        help="先用运维人员给出的一次性注册码重新注册本工位（中心服务器只在重新注册后默认 24 小时内提供记录）",
    )
    recover.add_argument(
        "--force",
        action="store_true",
        help="现有数据库完好时也以服务器上的记录替换它（原数据库移到 replaced-… 文件夹，不删除）",
    )
    _locations(recover)

    rkey = sub.add_parser("recovery-key", help="信息员的恢复密钥")
    rkey_sub = rkey.add_subparsers(dest="action", required=True)
    new = rkey_sub.add_parser("new", help="生成恢复密钥对：私钥写入文件（离线保管），公钥填入部署文件")
    new.add_argument("--out", required=True, type=Path, help="私钥文件（不得已存在）")

    vault = sub.add_parser("vault", help="本机密钥文件夹")
    vault_sub = vault.add_subparsers(dest="action", required=True)
    for name, text in (
        ("status", "显示密钥文件夹的位置和保护方式"),
        ("seal", "用 systemd-creds 封存密钥（root，安装时运行）"),
        ("unseal", "开机时把封存的密钥解开到内存（root，由 yimen-vault.service 运行）"),
    ):
        _locations(vault_sub.add_parser(name, help=text))


def run(args: argparse.Namespace) -> int:
    if args.command == "recovery-key":
        return _recovery_key_new(args.out)
    if args.command == "backup":
        return _backup(args)
    if args.command == "restore":
        return _restore(args)
    if args.command == "recover":
        return _recover(args)
    if args.command == "vault":
        return _vault(args)
    raise AssertionError(args.command)


def _context(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from app.bootstrap import machine_vault
    from app.config import load_deployment, resolve_config_path, resolve_data_dir

    deployment = load_deployment(resolve_config_path(args.config))
    data_dir = resolve_data_dir(args.data_dir)
    return deployment, data_dir, machine_vault(data_dir, deployment)


def _recovery_key_new(out: Path) -> int:
    from app.security import crypto

    identity, recipient = crypto.new_recovery_identity()
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise ConfigError(msg("cli", "文件 {path} 已存在，不会覆盖。请换一个文件名。").bind(path=str(out))) from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(f"# Yimen recovery key, created {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}\n")
        handle.write(f"# public key: {recipient}\n{identity}\n")
    print(
        msg("cli", "恢复私钥已写入 {path}：请离线保管（例如加密 U 盘放入保险柜），不要放在工作站上。").bind(
            path=str(out)
        )
    )
    print(msg("cli", "把下面这一行写入每台工作站部署文件的 [backup] 表："))
    print(f'recovery_public_key = "{recipient}"')
    return 0


def _backup(args: argparse.Namespace) -> int:
    from app import backups

    if args.list:
        _, data_dir, _ = _context(args)
        from db.engine import DB_FILE_NAME

        for path in backups.list_backups(backups.backup_folder(data_dir / DB_FILE_NAME)):
            print(f"{path}\t{path.stat().st_size}")
        return 0
    from app.bootstrap import open_services
    from app.config import resolve_config_path, resolve_data_dir

    services = open_services(resolve_config_path(args.config), resolve_data_dir(args.data_dir))
    try:
        written = services.backup(only_if_due=args.if_due)
    finally:
        services.close()
    if written is None:
        print(msg("cli", "最新备份不到一天，本次未备份。"))
    else:
        print(msg("cli", "备份已写入并核验：{path}").bind(path=str(written)))
    return 0


def _restore(args: argparse.Namespace) -> int:
    from app import integrity

    deployment, data_dir, vault = _context(args)
    identities: list[str] = []
    for key_file in args.identity:
        try:
            lines = key_file.read_text("ascii").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise StorageError(
                msg("cli", "无法读取恢复私钥文件 {path}（{reason}）。").bind(
                    path=str(key_file), reason=type(exc).__name__
                )
            ) from None
        identities.extend(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    report = integrity.restore(data_dir, deployment, vault, args.file, identities=identities)
    print(
        msg(
            "cli", "已从备份 {backup} 恢复（{rows} 条申请）。此后的编号属于第 {series} 批次（编号中带字母 {letter}）。"
        ).bind(
            backup=str(report.backup),
            rows=report.counts.get("applications", 0),
            series=report.series,
            letter=_letter(report.series),
        )
    )
    if report.replaced is not None:
        print(msg("cli", "原来的数据库文件已移到 {path}，未删除。").bind(path=str(report.replaced)))
    return 0


def _recover(args: argparse.Namespace) -> int:
    from app.recovery import recover_from_server

    deployment, data_dir, vault = _context(args)
    print(msg("cli", "正在从中心服务器取回本工作站的记录……"))
    report = recover_from_server(data_dir, deployment, vault, force=args.force, code=args.code)
    rebuilt = report.rebuilt
    print(
        msg(
            "cli",
            "已从中心服务器恢复本工作站的 {apps} 件申请（{events} 个事件，{docs} 份文书），均已标为已上传。"
            "此后的编号属于第 {series} 批次（编号中带字母 {letter}），已打印的编号不会重复。",
        ).bind(
            apps=rebuilt.applications,
            events=rebuilt.events,
            docs=rebuilt.documents,
            series=report.series,
            letter=_letter(report.series),
        )
    )
    if rebuilt.files or rebuilt.files_missing or rebuilt.files_wrong:
        print(msg("cli", "已从中心服务器取回 {n} 个材料文件（电子材料）。").bind(n=rebuilt.files))
    if rebuilt.files_missing or rebuilt.files_wrong:
        print(
            msg(
                "cli",
                "注意：{missing} 个材料文件未能从中心服务器取回，{wrong} 个取回的文件与其 SHA-256 不符、未保存；"
                "办件记录完整，这些文件原件仍在中心服务器，可在后台查看。如需在本机查看，请检查网络后联系信息员。",
            ).bind(missing=rebuilt.files_missing, wrong=rebuilt.files_wrong)
        )
    if rebuilt.purged:
        print(
            msg("cli", "其中 {n} 件已超过本机保存期限，只保留编号和办理结果（个人信息在中心服务器和档案中）。").bind(
                n=rebuilt.purged
            )
        )
    if report.replaced is not None:
        print(msg("cli", "原来的数据库文件已移到 {path}，未删除。").bind(path=str(report.replaced)))
    if report.present is not None and report.present.unsent:
        print(
            msg(
                "cli",
                "注意：原来的数据库中有 {n} 个事件尚未上传中心服务器，仍在移出的文件中。请信息员处理后再删除该文件。",
            ).bind(n=report.present.unsent)
        )
    if rebuilt.accounts:
        print(
            msg(
                "cli",
                "账号只保存在本机，未能恢复。记录中的经办人账号（{names}）已保留为不能登录的停用账号："
                "请用 yimen user add 以同一用户名重新建立；第一个系统管理员账号用 yimen user add --role admin 建立。",
            ).bind(names="、".join(rebuilt.accounts))
        )
    print(msg("cli", "中心服务器已记录本次恢复，并接受了新的审计链；可用 yimen audit verify 核对。"))
    return 0


def _letter(series: int) -> str:
    from app.intake.numbering import series_letter

    return series_letter(series)


def _vault(args: argparse.Namespace) -> int:
    if args.action in ("seal", "unseal"):
        # At boot and at install: the keys only, never stopped by a missing or broken deployment file.
        from app.config import resolve_data_dir
        from app.security.vault import Vault, resolve_vault_dir

        vault = Vault(resolve_vault_dir(resolve_data_dir(args.data_dir), demo=False))
    else:
        deployment, data_dir, vault = _context(args)
    if args.action == "seal":
        done = vault.seal()
        print(msg("cli", "已封存：{names}").bind(names="、".join(done) or "（无）"))
        return 0
    if args.action == "unseal":
        done = vault.unseal()
        print(msg("cli", "已解开到 {path}：{names}").bind(path=str(vault.runtime), names="、".join(done) or "（无）"))
        return 0
    status = {
        "folder": str(vault.folder),
        "runtime": str(vault.runtime),
        "platform": sys.platform,
        "files": sorted(p.name for p in vault.folder.iterdir()) if vault.folder.is_dir() else [],
        "recovery_public_key": deployment.recovery_public_key or None,
        "data_dir": str(data_dir),
    }
    print(json.dumps(status, ensure_ascii=False, indent=1))
    return 0
