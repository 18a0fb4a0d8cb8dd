"""Start the counter: options, logging, translators, the services, demo data, login, then the main window.

A deployment or database problem at start-up (``ConfigError``, ``StorageError``) is shown in one clear Chinese
dialog and the program exits with status 2; nothing else is attempted without a working database.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.bootstrap import Services, open_services
from app.config import resolve_config_path, resolve_data_dir
from app.errors import ConfigError, StorageError, YimenError
from ui.crash import install_crash_handler
from ui.i18n import choose_language, install_translators, remove_translators, render
from ui.login import LoginDialog
from ui.main_window import MainWindow
from ui.messages import MessageBridge
from ui.style import apply_style
from ui.tasks import TaskRunner

log = logging.getLogger("yimen.ui")

EXIT_STARTUP_FAILED = 2
LOG_FILE_NAME = "yimen.log"


def build_parser() -> argparse.ArgumentParser:
    """The GUI's command-line options (subcommands are ``app.cli``'s)."""
    parser = argparse.ArgumentParser(prog="yimen", description="一门式社区事务受理台")
    parser.add_argument("--config", help="部署配置文件（默认为系统配置目录中的 yimen.toml，或 YIMEN_CONFIG）")
    parser.add_argument("--data-dir", help="数据文件夹（默认为系统数据目录，或 YIMEN_DATA_DIR）")
    parser.add_argument(
        "--demo",
        action="store_true",
        help='演示：首次启动时写入演示账号和示例申请（仅限 deployment.mode = "demo" 的部署）',
    )
    return parser


def setup_logging(data_dir: Path) -> Path | None:
    """Log to ``<data dir>/logs/yimen.log`` (rotating); return the file, or None when it cannot be written."""
    root = logging.getLogger("yimen")
    root.setLevel(logging.INFO)
    try:
        folder = data_dir / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOG_FILE_NAME
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler, path = logging.StreamHandler(), None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path


def show_startup_error(error: YimenError) -> None:
    """One dialog saying what is wrong and who fixes it."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("startup", "一门式社区事务受理台无法启动"),
        render(error.message),
        QMessageBox.StandardButton.Ok,
    )
    box.setObjectName("startup_error")
    box.exec()


def seed_demo(services: Services) -> None:
    """Write the demo accounts and sample applications on the first start of a demo workstation."""
    from app.demo import seed

    if services.accounts.has_users():
        return
    created = seed(services)
    log.info("demo data written: %d applications", created)


def run_gui(args: list[str]) -> int:
    """Run the counter window; return the process exit status."""
    options = build_parser().parse_args(args)
    config_path = resolve_config_path(options.config)
    data_dir = resolve_data_dir(options.data_dir)
    log_file = setup_logging(data_dir)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("yimen")
    app.setApplicationDisplayName(QCoreApplication.translate("startup", "一门式社区事务受理台"))
    apply_style(app)
    translators = install_translators(app, choose_language("zh_CN"))
    install_crash_handler(log_file)
    try:
        services = open_services(config_path, data_dir)
    except (ConfigError, StorageError) as exc:
        log.error("start-up failed: %s", exc.message.render())
        show_startup_error(exc)
        return EXIT_STARTUP_FAILED
    language = choose_language(services.deployment.language)
    remove_translators(app, translators)
    translators = install_translators(app, language)
    runner = TaskRunner()
    try:
        if options.demo or services.deployment.is_demo:
            try:
                seed_demo(services)
            except YimenError as exc:
                show_startup_error(exc)
                return EXIT_STARTUP_FAILED
        login = LoginDialog(services, runner)
        if login.exec() != QDialog.DialogCode.Accepted or login.user is None:
            return 0
        bridge = MessageBridge()
        window = MainWindow(services, runner, bridge, login.user)
        window.show()
        window.show_tab(0)
        return app.exec()
    finally:
        runner.shutdown()
        services.close()
        remove_translators(app, translators)
