"""IT's operations commands (docs/operations-workstation.md):

- ``yimen config check [FILE]`` — check a deployment file before rolling it out: one line of what it configures
  and exit 0, or every problem, one per line, each naming the key, and exit 1;
- ``yimen selftest`` — headless: the deployment, the store (read only: readable under the machine's key, its
  schema version), a receipt rendered from a fixed sample case in a throw-away demo workstation, the document
  fonts, the Qt libraries and platform plugins (in a child process: the core stays Qt-free) and the central
  server's ``/health``.  One line per check; exit 0 only when none failed (an unreachable server is a warning);
- ``yimen diagnose --out FILE`` — one zip for support: versions, the deployment file with anything key-, secret-
  or password-like masked, the log tails, the store's schema version and queue counts, and the self-test's output.
  Never a row of the store's personal data;
- ``yimen logs [--tail N] [--cli]`` — where the logs are, or the last lines of one.

Never imports Qt (ARCHITECTURE.md invariant 8).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import platform
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app import logs

if TYPE_CHECKING:
    from app.config import Deployment

COMMANDS = ("config", "selftest", "diagnose", "logs")

#: The sample case the self-test's receipt is drawn from (the demo's fictional people, never real data).
SAMPLE_ITEM = "MZ-SHJZ-001"
LOG_TAIL_LINES = 2000
QT_CHECK_TIMEOUT = 120
SERVER_TIMEOUT = (5.0, 10.0)
#: A deployment line whose key looks like a secret has its value masked in the support archive.
SECRET_KEY = re.compile(
    r"^(\s*[\"']?[A-Za-z0-9_.-]*(key|secret|password|passwd|token|credential)[A-Za-z0-9_.-]*"
    r"[\"']?\s*=\s*).*$",
    re.IGNORECASE | re.MULTILINE,
)

PASS, WARN, FAIL, SKIP = "通过", "提醒", "失败", "未查"


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _locations(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="部署配置文件（默认为系统配置目录中的 yimen.toml，或 YIMEN_CONFIG）")
    parser.add_argument("--data-dir", help="数据文件夹（默认为系统数据目录，或 YIMEN_DATA_DIR）")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    config = sub.add_parser("config", help="部署配置文件工具")
    config_sub = config.add_subparsers(dest="action", required=True, title="子命令", metavar="子命令")
    check = config_sub.add_parser("check", help="检查部署配置文件：列出每个问题及其设置项；没有问题时返回 0")
    check.add_argument("file", nargs="?", type=Path, metavar="FILE", help="要检查的文件（默认为本机在用的配置文件）")

    selftest = sub.add_parser(
        "selftest", help="自检（无需显示器）：配置、数据库、文书和字体、Qt 插件、中心服务器；全部通过时返回 0"
    )
    _locations(selftest)

    diagnose = sub.add_parser("diagnose", help="把版本、配置（不含密钥）、日志末尾、数据库状态和自检结果打包给技术支持")
    diagnose.add_argument("--out", required=True, type=Path, help="输出的 zip 文件（不得已存在）")
    _locations(diagnose)

    logs_parser = sub.add_parser("logs", help="显示日志文件夹和日志文件；--tail 输出最后几行")
    logs_parser.add_argument("--tail", type=int, metavar="N", help="输出日志最后 N 行")
    logs_parser.add_argument("--cli", action="store_true", help="看命令行的日志（yimen-cli.log），默认看受理窗口的")


def run(args: argparse.Namespace) -> int:
    if args.command == "config":
        return config_check(args.file)
    if args.command == "selftest":
        results = selftest(args.config, args.data_dir)
        for result in results:
            _out(result.line())
        return 1 if any(r.status == FAIL for r in results) else 0
    if args.command == "diagnose":
        return diagnose(args.out, args.config, args.data_dir)
    if args.command == "logs":
        return show_logs(args.tail, cli=args.cli)
    raise AssertionError(args.command)


# ------------------------------------------------------------------------------------------------ config check


def config_check(file: Path | None) -> int:
    from app.config import check_deployment, resolve_config_path

    path = file if file is not None else resolve_config_path(None)
    deployment, problems = check_deployment(path)
    if deployment is None:
        for problem in problems:
            _err(problem.render())
        return 1
    _out(summary(deployment))
    return 0


def summary(deployment: Deployment) -> str:
    server = deployment.server_url or "未配置（离线运行）"
    mode = "演示" if deployment.is_demo else "生产"
    return (
        f"配置文件 {deployment.source} 检查通过：中心 {deployment.center_code}（{deployment.center_name}），"
        f"工位 {deployment.workstation_code}（{deployment.window_name}），中心服务器 {server}，{mode}模式。"
    )


# ------------------------------------------------------------------------------------------------ self-test


@dataclass(frozen=True)
class Check:
    """One line of the self-test: what was checked, how it went, and what to do when it did not pass."""

    name: str
    status: str
    text: str

    def line(self) -> str:
        return f"{self.status}　{self.name}：{self.text}"


def selftest(config: str | None, data_dir: str | None) -> list[Check]:
    """Every check of ``yimen selftest``, in order (none raises: a failure is a line)."""
    from app.config import check_deployment, resolve_config_path

    results: list[Check] = []
    path = resolve_config_path(config)
    deployment, problems = check_deployment(path)
    if deployment is None:
        text = problems[0].render() + (
            f"（另有 {len(problems) - 1} 处问题，见 yimen config check）" if problems[1:] else ""
        )
        results.append(Check("配置文件", FAIL, text))
    else:
        results.append(Check("配置文件", PASS, summary(deployment)))
    results.append(_guarded("数据库", lambda: _check_store(deployment, data_dir)))
    results.append(_guarded("文书字体", _check_fonts))
    results.append(_guarded("受理回执", _check_receipt))
    results.append(_guarded("Qt 界面库", _check_qt))
    results.append(_guarded("中心服务器", lambda: _check_server(deployment)))
    return results


def _guarded(name: str, check: object) -> Check:
    from app.errors import YimenError

    assert callable(check)
    try:
        status, text = check()
    except YimenError as exc:
        return Check(name, FAIL, exc.message.render())
    except Exception as exc:  # a self-test reports what broke; it never ends in a traceback
        return Check(
            name,
            FAIL,
            f"检查时出错（{type(exc).__name__}: {str(exc)[:200]}）。请运行 yimen diagnose 并把生成的文件交给技术支持。",
        )
    return Check(name, status, text)


def _store_facts(deployment: Deployment | None, data_dir: str | None) -> tuple[str, dict[str, object]]:
    """Open the store read only: (status, facts) — its path, schema version and queue counts."""
    from app.bootstrap import machine_vault
    from app.config import pending_move, resolve_data_dir
    from db import migrate
    from db.engine import DB_FILE_NAME, raw_connect

    folder = resolve_data_dir(data_dir, move=False)  # the self-test changes nothing
    path = folder / DB_FILE_NAME
    facts: dict[str, object] = {"path": str(path)}
    if deployment is None:
        return SKIP, facts
    old = pending_move(folder)
    if old is not None:
        facts["old_folder"] = str(old)
        return "to-move", facts
    if not path.is_file() or path.stat().st_size == 0:
        return "absent", facts
    key = machine_vault(folder, deployment, move=False).read("store.key")
    if key is None:
        return "no-key", facts
    conn = raw_connect(path, key)
    try:
        conn.execute("PRAGMA query_only = ON")
        facts["quick_check"] = conn.execute("PRAGMA quick_check").fetchone()[0]
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        facts["schema"] = rows[0][0] if rows else None
        facts["head"] = migrate.head_revision()
        counts = dict(conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
        facts["outbox_pending"] = int(counts.get("pending", 0))
        facts["outbox_refused"] = int(counts.get("quarantined", 0))
        # 0: a store made before incremental auto-vacuum (app/pruning.py): pruning frees pages, the file stays.
        facts["auto_vacuum"] = int(conn.execute("PRAGMA auto_vacuum").fetchone()[0])
    finally:
        conn.close()
    return "open", facts


def _check_store(deployment: Deployment | None, data_dir: str | None) -> tuple[str, str]:
    state, facts = _store_facts(deployment, data_dir)
    path = facts["path"]
    if state == SKIP:
        return SKIP, "配置文件有误，未检查数据库。"
    if state == "to-move":
        return WARN, f"数据库仍在旧的数据文件夹 {facts['old_folder']}，下次启动本程序时移到 {path}。"
    if state == "absent":
        return WARN, f"{path} 尚未创建（首次启动受理窗口时创建）。"
    if state == "no-key":
        return (
            FAIL,
            f"本机密钥中没有 {path} 的数据库密钥。请信息员从密钥备份恢复本机密钥，或用 yimen restore 恢复数据。",
        )
    if facts["quick_check"] != "ok":
        return FAIL, f"数据库 {path} 校验未通过。请信息员用 yimen restore 从备份恢复（切勿删除数据文件夹）。"
    schema, head = facts["schema"], facts["head"]
    queue = f"待上传 {facts['outbox_pending']} 个事件，被拒收 {facts['outbox_refused']} 个"
    if facts.get("auto_vacuum") == 0:
        queue += "；数据库建于旧版本，清理后文件不会变小：请在下班后运行一次 yimen prune --vacuum"
    if schema == head:
        return PASS, f"{path} 可读，结构版本 {schema}（最新）；{queue}。"
    from db import migrate

    try:
        migrate._check_known(str(schema))
    except Exception:
        return FAIL, f"{path} 的结构版本 {schema} 比本程序新。请安装与之相符的新版本，切勿用旧版本打开。"
    return WARN, f"{path} 可读，结构版本 {schema}，下次启动受理窗口时先备份再升级到 {head}；{queue}。"


def _check_fonts() -> tuple[str, str]:
    from app.documents.fonts import REGULAR, fonts_dir, load_fonts

    fonts = load_fonts()
    # The demo's names (a rare character, an extension-A one, the middle dot) and 𪜀 (extension C), which only the
    # fallback face has: it is parsed at its first use, so the probe reads it now rather than at a clerk's print.
    rare = "𠮷䶮堃·\U0002a700"
    missing = [c for c in rare if fonts.face_for(c, REGULAR) is None]
    if missing:
        return FAIL, f"文书字体（{fonts_dir()}）缺少“{''.join(missing)}”等字。请信息员重新安装本程序。"
    return PASS, f"{fonts_dir()} 中的文书字体已加载，生僻字可以印出。"


@contextlib.contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _check_receipt() -> tuple[str, str]:
    """A fixed sample case decided in a throw-away demo workstation, its receipt drawn and read back."""
    import pypdf

    from app.bootstrap import open_services
    from app.demo import sample_draft, sample_ticks
    from app.documents.model import DocumentKind
    from app.domain import Decision, Role
    from app.intake.model import DecisionInput
    from app.resources import resource_path
    from app.security.accounts import create_user
    from app.security.vault import VAULT_ENV

    with tempfile.TemporaryDirectory(prefix="yimen-selftest-") as tmp:
        folder = Path(tmp)
        demo = resource_path("demo", "deployment.toml")
        text = demo.read_text(encoding="utf-8").replace(
            'seal_image = "seal.png"', f'seal_image = "{resource_path("demo", "seal.png").as_posix()}"'
        )
        config = folder / "yimen.toml"
        config.write_text(text, encoding="utf-8")
        with _env(VAULT_ENV, str(folder / "vault")):  # never the machine's own vault
            services = open_services(config, folder / "data")
        try:
            with services.db.write() as session:
                clerk = create_user(
                    session,
                    username="selftest",
                    display_name="自检",
                    staff_no="0000",
                    role=Role.CLERK,
                    password="selftest-pass-1",
                    workstation_code=services.deployment.workstation_code,
                )
            entry = services.catalog.entry(SAMPLE_ITEM)
            if entry is None:
                return FAIL, f"事项目录中没有示例事项 {SAMPLE_ITEM}。请信息员重新安装本程序。"
            item = entry.item
            draft = sample_draft(item, today=services.intake.clock().date())
            draft.materials = sample_ticks(services.intake.check(draft).materials, Decision.ACCEPT)
            result = services.intake.decide(draft, DecisionInput(Decision.ACCEPT, None), clerk)
            documents = services.documents.issue(result, clerk)
        finally:
            services.close()
        receipt = next(d for d in documents if d.kind is DocumentKind.RECEIPT)
        pdf = folder / "receipt.pdf"
        assert receipt.pdf is not None  # just issued: kept
        pdf.write_bytes(receipt.pdf)
        pages = len(pypdf.PdfReader(str(pdf)).pages)
    if pages < 1:
        return FAIL, "受理回执没有页面。请运行 yimen diagnose 并把生成的文件交给技术支持。"
    return PASS, f"示例办件（{SAMPLE_ITEM}）的受理回执已生成，{pages} 页。"


def qt_command() -> list[str]:
    """The child process that loads Qt: the frozen program itself, or ``python -m ui`` from the source tree."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--selftest-qt"]
    return [sys.executable, "-m", "ui", "--selftest-qt"]


def qt_facts() -> dict[str, str]:
    """What the Qt child process reports (``key=value`` lines); raises RuntimeError when it fails."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        qt_command(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        cwd=None if getattr(sys, "frozen", False) else root,
        timeout=QT_CHECK_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["（无输出）"])[-1]
        raise RuntimeError(f"退出码 {done.returncode}：{last[:200]}")
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


def wanted_platform_plugins() -> tuple[str, ...]:
    if sys.platform == "win32":
        return ("offscreen", "windows")
    return ("offscreen", "xcb")


def _check_qt() -> tuple[str, str]:
    try:
        facts = qt_facts()
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as exc:
        return FAIL, f"Qt 无法加载（{exc}）。请信息员按安装说明补装系统依赖包（如 libxcb-cursor0）或重新安装本程序。"
    found = facts.get("platform_plugins", "").split(",")
    missing = [w for w in wanted_platform_plugins() if not any(w in name for name in found)]
    if missing:
        return FAIL, (
            f"Qt 平台插件缺少 {'、'.join(missing)}（{facts.get('plugins', '?')}/platforms）。请信息员重新安装本程序。"
        )
    done = f"Qt {facts.get('qt', '?')} 可加载，平台插件 {'、'.join(wanted_platform_plugins())} 齐全"
    cameras = facts.get("cameras", "")
    if cameras.isdigit():
        return PASS, f"{done}；高拍仪组件可用，本机有 {cameras} 台摄像设备。"
    if cameras == "absent":
        return PASS, f"{done}（本安装不含高拍仪组件，拍照不可用；附加扫描件不受影响）。"
    # The document camera's module failing to load leaves everything else working: said, not failed.
    problem = cameras or "未报告"
    return WARN, f"{done}；高拍仪组件无法加载（{problem}）：拍照不可用，附加扫描件不受影响。请信息员检查安装。"


def _check_server(deployment: Deployment | None) -> tuple[str, str]:
    if deployment is None:
        return SKIP, "配置文件有误，未检查中心服务器。"
    if not deployment.server_url:
        return WARN, "未配置中心服务器（server.url 为空，本工位离线运行）。"
    import requests

    from app.sync import protocol
    from app.sync.client import ClientSettings, SyncClient

    client = SyncClient(
        ClientSettings(deployment.server_url, deployment.server_ca_bundle, deployment.server_proxy, SERVER_TIMEOUT)
    )
    url = client.base + "/health"
    try:
        response = client.session.get(url, timeout=SERVER_TIMEOUT)
    except requests.exceptions.SSLError:
        return (
            FAIL,
            f"与 {deployment.server_url} 的加密连接校验失败（证书不受信任或已过期）。"
            "请信息员检查服务器证书和 server.ca_bundle。",
        )
    except requests.exceptions.RequestException:
        return (
            WARN,
            f"无法连接 {deployment.server_url}（网络中断或服务器未运行）。"
            "离线时照常受理，记录保存在本机，恢复后自动上传。",
        )
    finally:
        client.close()
    if response.status_code != 200:
        return WARN, f"{url} 回答 HTTP {response.status_code}。请信息员检查中心服务器（{protocol.API_PREFIX}/health）。"
    return PASS, f"{deployment.server_url} 可以连接（/health 正常）。"


# ------------------------------------------------------------------------------------------------ logs


def show_logs(lines: int | None, *, cli: bool) -> int:
    """``yimen logs``: the folder and its files; ``--tail N``: the last N lines of the window's (or CLI's) log."""
    folder = logs.log_dir()
    if lines is None:
        files = logs.log_files(folder)
        names = f"受理窗口 {logs.GUI_LOG_NAME}，命令行 {logs.CLI_LOG_NAME}"
        _out(f"日志文件夹：{folder}（{names}，可用 {logs.LOG_DIR_ENV} 指定）")
        for file in files:
            _out(f"{file}\t{file.stat().st_size} 字节")
        if not files:
            _out("（还没有日志文件）")
        return 0
    if lines < 1:
        _err("--tail 须为正整数。")
        return 2
    path = folder / (logs.CLI_LOG_NAME if cli else logs.GUI_LOG_NAME)
    try:
        sys.stdout.write(logs.tail(path, lines))
    except FileNotFoundError:
        _err(f"还没有日志文件 {path}。")
        return 1
    except OSError as exc:
        _err(f"无法读取日志文件 {path}（{exc.strerror}）。请用有权限的账号运行。")
        return 1
    return 0


# ------------------------------------------------------------------------------------------------ diagnose


def diagnose(out: Path, config: str | None, data_dir: str | None) -> int:
    from app.config import resolve_config_path

    if out.exists():
        _err(f"{out} 已存在。请换一个文件名，或先把旧文件移走。")
        return 1
    results = selftest(config, data_dir)
    members: dict[str, str] = {
        "versions.txt": _versions(),
        "selftest.txt": "\n".join(r.line() for r in results) + "\n",
        "store.txt": _store_text(config, data_dir),
    }
    path = resolve_config_path(config)
    try:
        members["deployment.toml"] = mask_secrets(path.read_text(encoding="utf-8", errors="replace"))
    except OSError as exc:
        members["deployment.toml"] = f"# 无法读取 {path}（{exc.strerror}）\n"
    folder = logs.log_dir()
    files = logs.log_files(folder)
    members["logs/README.txt"] = f"日志文件夹：{folder}\n每个文件最后 {LOG_TAIL_LINES} 行。\n"
    for file in files:
        try:
            members[f"logs/{file.name}"] = logs.tail(file, LOG_TAIL_LINES)
        except OSError as exc:
            members[f"logs/{file.name}"] = f"无法读取（{exc.strerror}）\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(out, "xb") as fh:  # never over another file
            fh.write(buffer.getvalue())
        if os.name == "posix":
            out.chmod(0o600)
    except OSError as exc:
        _err(f"无法写入 {out}（{exc.strerror}）。请换一个可写的位置。")
        return 1
    failed = sum(r.status == FAIL for r in results)
    _out(
        f"已写入 {out}（{len(members)} 个文件，自检 {failed} 项未通过）。请把它交给技术支持；其中没有申请人的个人信息。"
    )
    return 0


def mask_secrets(text: str) -> str:
    """The deployment file with the value of every key-, secret-, password- or token-like setting masked."""
    return SECRET_KEY.sub(lambda m: m.group(1) + '"***"', text)


def _versions() -> str:
    from app.version import version

    lines = [
        f"yimen {version()}",
        f"Python {sys.version.split()[0]} ({platform.python_implementation()})",
        f"frozen {bool(getattr(sys, 'frozen', False))}",
        f"OS {platform.platform()}",
        f"machine {platform.machine()}",
        f"time {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
    ]
    try:
        import sqlcipher3

        conn = sqlcipher3.connect(":memory:")
        cipher = conn.execute("PRAGMA cipher_version").fetchone()
        lines.append(f"SQLite {conn.execute('select sqlite_version()').fetchone()[0]}")
        lines.append(f"SQLCipher {cipher[0] if cipher else '?'}")
        conn.close()
    except Exception as exc:
        lines.append(f"SQLCipher ? ({type(exc).__name__})")
    try:
        facts = qt_facts()
        lines.append(f"Qt {facts.get('qt', '?')} PySide6 {facts.get('pyside', '?')}")
        lines.append(f"Qt platform plugins {facts.get('platform_plugins', '')}")
    except (OSError, RuntimeError, subprocess.TimeoutExpired) as exc:
        lines.append(f"Qt ? ({exc})")
    return "\n".join(lines) + "\n"


def _store_text(config: str | None, data_dir: str | None) -> str:
    from app.config import check_deployment, resolve_config_path

    deployment, _ = check_deployment(resolve_config_path(config))
    try:
        state, facts = _store_facts(deployment, data_dir)
    except Exception as exc:
        return f"数据库无法读取（{type(exc).__name__}）\n"
    lines = [f"state {state}"] + [f"{key} {value}" for key, value in facts.items()]
    return "\n".join(lines) + "\n"
