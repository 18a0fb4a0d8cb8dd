"""Start the counter: options, logging, translators, the deployment, the login dialog at once, the services opened
on the database worker meanwhile (with the demo data), then the main window.

Order (docs/performance.md, "Start-up"): the login dialog needs only the deployment file, so it is on screen before
the database is touched; ``open_services`` (SQLAlchemy, migrations, the catalog) runs on the database worker while
the clerk types.  This module and everything it imports at module level are on that path: the core's services,
the main window and the intake form are imported lazily, after login or on the worker.

A deployment or database problem at start-up (``ConfigError``, ``StorageError``, ``SchemaTooNewError``) is shown in
one clear Chinese dialog and the program exits with status 2; nothing else is attempted without a working database.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app import logs as app_logs
from app.cli import YimenParser, add_gui_options
from app.config import load_deployment, resolve_config_path, resolve_data_dir
from app.errors import ConfigError, StorageError, YimenError
from ui.crash import install_crash_handler
from ui.i18n import choose_language, install_translators, remove_translators, render
from ui.login import LoginDialog
from ui.memory import collect_on_gui_thread, forget_module_sources, keep_large_blocks_apart, release_freed_memory
from ui.style import apply_style
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from app.bootstrap import Services
    from app.security.accounts import SessionUser
    from ui.main_window import MainWindow

log = logging.getLogger("yimen.ui")

EXIT_STARTUP_FAILED = 2
LOG_FILE_NAME = app_logs.GUI_LOG_NAME
OPEN_TASK = "open_services"
#: The login dialog's result when the opened store has no account (ui/firstrun.py comes first).
FIRST_RUN = 2

#: Pure-Python modules the main window needs beyond those the opened services imported: the item search and the
#: intake labels.  The database worker imports them once the services are handed over (after a waiting login), so
#: the main window opens at once after login; then :func:`prepare_search` computes the pinyin of the catalog's names
#: (pypinyin's dictionaries, ~0.4 s) and releases pypinyin.  Never Qt modules: ``ui.*`` is imported on
#: the GUI thread only.  tests/ui/test_startup.py checks that the main window needs nothing else heavy.
PRELOAD_MODULES = ("app.catalog.search", "app.intake.labels")


def build_parser() -> argparse.ArgumentParser:
    """The GUI's command-line options (subcommands are ``app.cli``'s; ``yimen --help`` lists both)."""
    parser = YimenParser(prog="yimen", description="一门式社区事务受理台（子命令见 yimen --help）")
    add_gui_options(parser)
    return parser


def setup_logging(folder: Path | None = None) -> Path | None:
    """Log to ``yimen.log`` in the platform's log folder or ``YIMEN_LOG_DIR`` (rotating, app.logs); return the
    file, or None when it cannot be written (the log then goes to stderr)."""
    return app_logs.setup_logging(app_logs.GUI_LOG_NAME, folder)


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


def preload_modules() -> None:
    """Import :data:`PRELOAD_MODULES` (on the database worker)."""
    for name in PRELOAD_MODULES:
        importlib.import_module(name)


def prepare_search(services: Services) -> None:
    """The item search's pinyin of the catalog's names, computed once, and pypinyin's modules released (on the
    database worker; app.catalog.search: ~55 MiB less for the rest of the day once :func:`collect_released` ran)."""
    from app.catalog.search import prepare

    prepare(services.catalog.active_items())


def collect_released(_: object = None) -> None:
    """On the GUI thread: free what :func:`prepare_search` released (its modules refer to each other, so only a full
    collection frees them) and hand the pages back.  Never on a worker thread: a collection there can destroy Qt
    objects while the GUI thread builds the window, and the two threads then wait on each other (a start-up test
    hung so)."""
    import gc

    forget_module_sources()  # the services' modules, read by PySide6 as they were imported
    gc.collect()
    release_freed_memory()  # the dictionaries just freed, and what opening the services left behind


def seed_demo(services: Services) -> None:
    """Write the demo accounts and sample applications on the first start of a demo workstation."""
    from app.demo import seed

    if services.accounts.has_users():
        return
    created = seed(services)
    log.info("demo data written: %d applications", created)


class ServicesOpening(QObject):
    """Opens the services (and writes the demo data when asked) on the database worker, once.

    Attributes:
        services: the opened services once the worker has them (also when nobody waited for them any more: the
            caller closes them).
        error: the expected failure that stopped the opening (``StorageError``, ``SchemaTooNewError``…).
        crashed: the opening raised a bug (already shown by the crash handler).

    Once the services are handed over it queues :func:`preload_modules` on the worker.

    Signals:
        opened(object): the services are ready (the ``Services``), on the GUI thread.
        failed(object): the opening failed with an expected error (the ``YimenError``), or with a bug (None).
    """

    opened = Signal(object)
    failed = Signal(object)

    def __init__(
        self, runner: TaskRunner, config_path: Path, data_dir: Path, *, demo: bool, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.config_path = config_path
        self.data_dir = data_dir
        self.demo = demo
        self.services: Services | None = None
        self.error: YimenError | None = None
        self.crashed = False
        #: The store has no account of its own (and no demo data was written): the first-run window comes first.
        self.first_run = False
        self._settled = False
        self.runner.finished.connect(self._finished)

    def start(self) -> None:
        """Queue the opening on the database worker (the GUI thread never waits for it)."""
        self.runner.run_db(self._open, self._done, self._error, name=OPEN_TASK)

    def _open(self) -> Services:
        # Database worker: the heavy imports (SQLAlchemy, alembic, pydantic, the catalog) happen here too.
        from app.bootstrap import open_services

        services = open_services(self.config_path, self.data_dir)
        try:
            if self.demo:
                seed_demo(services)
            self.first_run = not services.deployment.is_demo and not services.accounts.has_users()
            services.start_housekeeping()  # the daily verified backup, off the GUI thread
        except BaseException:
            services.close()
            raise
        self.services = services
        return services

    def _done(self, services: Services) -> None:
        self._settled = True
        self.opened.emit(services)  # a login that was waiting is queued first
        self.runner.run_db(preload_modules, name="preload")
        self.runner.run_db(lambda: prepare_search(services), collect_released, name="prepare_search")

    def _error(self, error: YimenError) -> None:
        self._settled = True
        self.error = error
        self.failed.emit(error)

    def _finished(self, name: str) -> None:
        # Neither callback ran: the opening raised a bug, which the runner handed to the crash handler.
        if name == OPEN_TASK and not self._settled:
            self._settled = True
            self.crashed = True
            self.failed.emit(None)


class CounterSessions(QObject):
    """The counter windows of this process, one per clerk, kept by user name.

    A window whose locked session a supervisor ended is hidden, not closed: the clerk's unsaved form waits for them.
    When the same clerk logs in again, :meth:`open` shows that window again, unlocked; another user gets a window of
    their own (a supervisor never works inside a clerk's session).

    Signals:
        logged_out(): a supervisor ended the session of the window on screen: the login is to be shown again.
    """

    logged_out = Signal()

    def __init__(self, services: Services, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.runner = runner
        self.windows: dict[str, MainWindow] = {}

    def open(self, user: SessionUser) -> MainWindow:
        """Show ``user``'s window: the kept one (unlocked, its form as it was), or a new one."""
        kept = self.windows.get(user.username)
        if kept is not None:
            kept.resume()
            return kept
        from ui.context import UiContext
        from ui.main_window import MainWindow  # after login: the intake form and its imports
        from ui.messages import MessageBridge
        from ui.pdf_pages import keep_pdf_library

        keep_pdf_library()  # before the first preview or print (ui/pdf_pages.py)
        window = MainWindow(UiContext(self.services, self.runner, MessageBridge(), user))
        window.session_ended.connect(self.logged_out)
        self.windows[user.username] = window
        window.showMaximized()  # the screen's available area (MainWindow.fit_to_screen without a window manager)
        window.show_tab(0)
        forget_module_sources()  # the window's modules, read by PySide6 as they were imported (ui/memory.py)
        return window

    def close_all(self) -> None:
        """Close every window (their background sync stops)."""
        for window in self.windows.values():
            if shiboken6.isValid(window):  # not deleted meanwhile
                window.allow_close()  # the program ends: a locked window closes too
                window.close()
        self.windows.clear()


def first_run(services: Services, runner: TaskRunner) -> LoginDialog | None:
    """The first-run window (ui/firstrun.py: enrollment, the first admin); then the login dialog with the new admin's
    user name filled in, or None when the window was closed."""
    from ui.firstrun import FirstRunWindow  # only on a first start

    log.info("the store has no account: first run")
    window = FirstRunWindow(services, runner)
    if window.exec() != QDialog.DialogCode.Accepted or window.admin is None:
        return None
    login = LoginDialog(services.deployment, runner, services)
    login.username.setText(window.admin.username)
    login.password.setFocus()
    return login


def run_gui(args: list[str]) -> int:
    """Run the counter window; return the process exit status."""
    options = build_parser().parse_args(args)
    keep_large_blocks_apart()  # before Qt's and the services' threads (ui/memory.py)
    config_path = resolve_config_path(options.config)
    log_file = setup_logging(app_logs.log_dir())
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("yimen")
    app.setApplicationDisplayName(QCoreApplication.translate("startup", "一门式社区事务受理台"))
    apply_style(app)
    collect_on_gui_thread(app)
    translators = install_translators(app, choose_language("zh_CN"))
    install_crash_handler(log_file)
    try:
        deployment = load_deployment(config_path)
        data_dir = resolve_data_dir(options.data_dir)  # may move the old default data folder first
    except ConfigError as exc:
        log.error("start-up failed: %s", exc.message.render())
        show_startup_error(exc)
        remove_translators(app, translators)
        return EXIT_STARTUP_FAILED
    language = choose_language(deployment.language)
    remove_translators(app, translators)
    translators = install_translators(app, language)
    runner = TaskRunner()
    opening = ServicesOpening(runner, config_path, data_dir, demo=options.demo or deployment.is_demo)
    sessions: CounterSessions | None = None
    try:
        login = LoginDialog(deployment, runner)

        def opened(services: Services) -> None:
            if opening.first_run:
                login.done(FIRST_RUN)  # a store without accounts: the first-run window instead of the login
            else:
                login.set_services(services)

        opening.opened.connect(opened)
        opening.failed.connect(lambda _error: login.reject())
        # Opened once the dialog's event loop runs, i.e. after it is shown: the worker's imports then do not
        # compete with building and showing the window.
        QTimer.singleShot(0, opening.start)
        result = login.exec()
        if opening.error is not None:
            if isinstance(opening.error, ConfigError | StorageError):  # the runner has logged the others already
                log.error("start-up failed: %s", opening.error.message.render())
            show_startup_error(opening.error)
            return EXIT_STARTUP_FAILED
        if opening.crashed:
            return EXIT_STARTUP_FAILED
        if result == FIRST_RUN and opening.services is not None:
            after = first_run(opening.services, runner)
            if after is None:
                return 0  # the first-run window was closed: nothing was created, the next start shows it again
            login = after
            result = login.exec()
        accepted = result == QDialog.DialogCode.Accepted
        if not accepted or login.user is None:
            return 0
        services = login.services
        assert services is not None
        sessions = CounterSessions(services, runner)
        ended: list[bool] = []

        def logged_out() -> None:
            ended.append(True)
            app.exit()

        sessions.logged_out.connect(logged_out)
        user: SessionUser | None = login.user
        while user is not None:
            sessions.open(user)
            ended.clear()
            status = app.exec()
            if not ended:
                return status
            # A supervisor ended the session: the login again (closing it ends the program, as at start-up).
            login = LoginDialog(deployment, runner, services)
            user = login.user if login.exec() == QDialog.DialogCode.Accepted else None
        return 0
    finally:
        if sessions is not None:
            sessions.close_all()
        runner.shutdown()  # waits for an opening still running (the clerk closed the login dialog early)
        if opening.services is not None:
            opening.services.close()
        remove_translators(app, translators)
