"""The first start of a counter whose store has no account: enroll with the central server, create the first admin,
then the login window (ui/app.py ``run_gui`` shows this window instead of the login when the opened services have
no account and the deployment is not a demo; docs/operations-workstation.md "First run").

Step 1, only when the deployment names a server (``server.url``) and the workstation is not enrolled yet: the
one-time code IT gives, in the same form as the status bar's 注册本工位… (:class:`ui.sync.enroll.EnrollForm`, so the
same checks and messages).  The counter works offline, so the step can be skipped (以后再注册): the status bar offers
enrollment afterwards.  Step 2: the first account, an admin (user name, name, 工号, the password twice), made by the
core with the rules of ``yimen user add`` (``AccountService.create_first_admin``).  The window then closes and the
login window opens with the new user name filled in.

Every call into the core runs on the runner's workers (whether the workstation is enrolled and the enrollment on the
network pool, the account on the database worker).  Keyboard first: Enter in a field moves to the next, Enter in the
last one acts; Esc closes the window and ends the program (nothing was created; the next start shows it again).

objectNames: ``firstrun``, ``firstrun_step``, ``firstrun_pages``, ``firstrun_enroll`` (the page, holding the
``enroll_*`` form), ``firstrun_skip``, ``firstrun_admin`` (the page), ``admin_username``, ``admin_name``,
``admin_staff_no``, ``admin_password``, ``admin_repeat``, ``admin_password.message``, ``admin_create``,
``firstrun_enrolled`` (what became of step 1, on the admin page).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import YimenError
from app.limits import STAFF_NO_MAX, USERNAME_MAX
from ui.i18n import render
from ui.sync.enroll import EnrollForm
from ui.tasks import TaskRunner
from ui.widgets import ERROR, NEUTRAL, MessageLabel

if TYPE_CHECKING:
    from app.bootstrap import Services
    from app.security.accounts import SessionUser

#: The longest display name the form takes (the column holds 100).
NAME_MAX = 100
PASSWORD_MAX = 256


def needs_enrollment(services: Services) -> bool:
    """Whether step 1 is shown: a server is named and no credential is in the machine vault (a worker's call)."""
    if not services.deployment.server_url:
        return False
    return not services.sync.status().enrolled


class FirstRunWindow(QDialog):
    """Enrollment (when due) and the first admin of an empty store.

    Attributes:
        admin: the admin created (None until then).
        enrolled: the workstation was enrolled here (False when skipped or not asked).
        skipped: the clerk chose to enroll later.

    Signals:
        step_shown(str): a step is on screen (``enroll`` or ``admin``).
        admin_created(object): the first admin exists (the ``SessionUser``); the window then closes.
        refused(str): the core refused the account (the sentence shown).
    """

    step_shown = Signal(str)
    admin_created = Signal(object)
    refused = Signal(str)

    def __init__(self, services: Services, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstrun")
        self.services = services
        self.runner = runner
        self.admin: SessionUser | None = None
        self.enrolled = False
        self.skipped = False
        self._steps = 2
        deployment = services.deployment
        self.setWindowTitle(self.tr("首次启动 — 一门式社区事务受理台"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(12)
        title = QLabel(self.tr("一门式社区事务受理台 · 首次启动"), self)
        title.setProperty("role", "app-title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        place = QLabel(f"{deployment.center_name}\n{deployment.window_name}（{deployment.workstation_code}）", self)
        place.setAlignment(Qt.AlignmentFlag.AlignCenter)
        place.setProperty("role", "hint")
        layout.addWidget(place)
        self.step = QLabel(self)
        self.step.setObjectName("firstrun_step")
        self.step.setWordWrap(True)
        layout.addWidget(self.step)
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("firstrun_pages")
        layout.addWidget(self.pages, 1)
        self.pages.addWidget(self._waiting_page())
        self.enroll_page = self._enroll_page()
        self.pages.addWidget(self.enroll_page)
        self.admin_page = self._admin_page()
        self.pages.addWidget(self.admin_page)
        self.setMinimumWidth(520)
        self.step.setText(self.tr("正在检查本工位……"))
        self.runner.run_net(
            lambda: needs_enrollment(services), self._begin, self._cannot_tell, owner=self, name="firstrun.enrolled"
        )

    # ------------------------------------------------------------------------------------------------ the pages

    def _waiting_page(self) -> QWidget:
        page = QWidget(self)
        QVBoxLayout(page).addWidget(QLabel(self.tr("请稍候……"), page))
        return page

    def _enroll_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("firstrun_enroll")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(
            self.tr(
                "本工位还没有在中心服务器注册。请输入信息员给出的一次性注册码。"
                "没有网络或没有注册码时，可以以后再注册：本工位可以离线受理，记录在注册后上传。"
            ),
            page,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.enroll_form = EnrollForm(self.services, self.runner, page)
        layout.addWidget(self.enroll_form)
        self.skip_button = QPushButton(self.tr("以后再注册（离线使用）"), page)
        self.skip_button.setObjectName("firstrun_skip")
        self.skip_button.setAutoDefault(False)
        self.enroll_form.submit_button.setAutoDefault(False)
        self.enroll_form.submit_button.setDefault(False)  # Enter in the code submits (EnrollForm), not the dialog
        self.enroll_form.buttons.insertWidget(1, self.skip_button)
        self.enroll_form.enrolled.connect(self._enrolled)
        self.skip_button.clicked.connect(self.skip_enrollment)
        return page

    def _admin_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("firstrun_admin")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.enrolled_note = QLabel(page)
        self.enrolled_note.setObjectName("firstrun_enrolled")
        self.enrolled_note.setWordWrap(True)
        self.enrolled_note.setProperty("role", "hint")
        self.enrolled_note.hide()
        layout.addWidget(self.enrolled_note)
        intro = QLabel(
            self.tr(
                "本工位还没有任何账号。请创建第一个系统管理员账号（一般由信息员本人使用），"
                "再用它登录并为窗口人员和值班长开设账号。"
            ),
            page,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.username = QLineEdit(page)
        self.username.setObjectName("admin_username")
        self.username.setMaxLength(USERNAME_MAX)
        self.display_name = QLineEdit(page)
        self.display_name.setObjectName("admin_name")
        self.display_name.setMaxLength(NAME_MAX)
        self.staff_no = QLineEdit(page)
        self.staff_no.setObjectName("admin_staff_no")
        self.staff_no.setMaxLength(STAFF_NO_MAX)
        self.password = QLineEdit(page)
        self.password.setObjectName("admin_password")
        self.repeat = QLineEdit(page)
        self.repeat.setObjectName("admin_repeat")
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMaxLength(PASSWORD_MAX)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("姓名"), self.display_name)
        form.addRow(self.tr("工号"), self.staff_no)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("再次输入密码"), self.repeat)
        layout.addLayout(form)
        self.message = MessageLabel("admin_password", page)
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 2)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.create_button = QPushButton(self.tr("创建管理员并登录"), page)
        self.create_button.setObjectName("admin_create")
        self.create_button.setAutoDefault(False)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)
        self._fields = (self.username, self.display_name, self.staff_no, self.password, self.repeat)
        for field, following in zip(self._fields, self._fields[1:], strict=False):
            field.returnPressed.connect(lambda after=following: after.setFocus(Qt.FocusReason.TabFocusReason))
        self.repeat.returnPressed.connect(self.create_admin)
        self.create_button.clicked.connect(self.create_admin)
        return page

    # ------------------------------------------------------------------------------------------------ the steps

    def _begin(self, enroll: bool) -> None:
        if enroll:
            self._show_enroll()
        else:
            self._steps = 1
            self._show_admin()

    def _cannot_tell(self, error: YimenError) -> None:
        # The vault could not be read: offer the enrollment, whose own call says what is wrong with the vault.
        self._show_enroll()

    def _show_enroll(self) -> None:
        self.step.setText(self.tr("第 1 步（共 2 步）：在中心服务器注册本工位"))
        self.pages.setCurrentWidget(self.enroll_page)
        self.enroll_form.code.setFocus(Qt.FocusReason.OtherFocusReason)
        self.step_shown.emit("enroll")

    def _show_admin(self) -> None:
        if self._steps == 2:
            self.step.setText(self.tr("第 2 步（共 2 步）：创建第一个系统管理员"))
        else:
            self.step.setText(self.tr("创建第一个系统管理员"))
        self.pages.setCurrentWidget(self.admin_page)
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)
        self.step_shown.emit("admin")

    def _enrolled(self) -> None:
        self.enrolled = True
        self.enrolled_note.setText(self.tr("本工位已在中心服务器注册。"))
        self.enrolled_note.show()
        self._show_admin()

    def skip_enrollment(self) -> None:
        """Enroll later (the status bar's 注册本工位…): the counter works offline meanwhile."""
        self.skipped = True
        self.enrolled_note.setText(
            self.tr("本工位暂未注册，可以离线受理；以后可点状态栏的“注册本工位…”，用注册码注册后上传记录。")
        )
        self.enrolled_note.show()
        self._show_admin()

    def create_admin(self) -> None:
        """Check the form, then have the core create the admin (database worker)."""
        if not self.create_button.isEnabled():
            return  # already on its way
        for field, text in (
            (self.username, self.tr("请填写用户名。")),
            (self.display_name, self.tr("请填写姓名。")),
            (self.staff_no, self.tr("请填写工号。")),
            (self.password, self.tr("请输入密码。")),
        ):
            if not field.text().strip():
                self.message.show_text(text, ERROR)
                field.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        if self.password.text() != self.repeat.text():
            self.message.show_text(self.tr("两次输入的密码不一致，请重新输入。"), ERROR)
            self.repeat.clear()
            self.repeat.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        accounts = self.services.accounts
        username, name, staff_no, password = (
            self.username.text().strip(),
            self.display_name.text().strip(),
            self.staff_no.text().strip(),
            self.password.text(),
        )
        self.create_button.setEnabled(False)
        self.message.show_text(self.tr("正在创建账号……"), NEUTRAL)
        self.runner.run_db(
            lambda: accounts.create_first_admin(
                username=username, display_name=name, staff_no=staff_no, password=password
            ),
            self._created,
            self._refused,
            owner=self,
            name="firstrun.admin",
        )

    def _created(self, user: SessionUser) -> None:
        self.admin = user
        self.create_button.setEnabled(True)
        self.message.clear_text()
        self.admin_created.emit(user)
        self.accept()

    def _refused(self, error: YimenError) -> None:
        self.create_button.setEnabled(True)
        text = render(error.message)
        self.message.show_text(text, ERROR)
        field = getattr(error, "field", None)
        if field == "username":
            self.username.setFocus(Qt.FocusReason.OtherFocusReason)
            self.username.selectAll()
        elif field == "display_name":
            self.display_name.setFocus(Qt.FocusReason.OtherFocusReason)
        elif field == "staff_no":
            self.staff_no.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.password.clear()
            self.repeat.clear()
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.refused.emit(text)
