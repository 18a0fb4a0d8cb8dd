"""One stored application: what was taken, the 补正 return visit, and 更正 / 作废 with a supervisor's approval.

Nothing is ever deleted: 作废 keeps the record readable with its reason; 更正 changes the form values with a reason,
both approved by a supervisor's user name and password at this workstation (``AccountService.approve``).

The return visit (补正): the dialog lists the materials the notice asked for; the clerk ticks what was brought and
accepts (``Ctrl+1``).  Nothing the notice did not list can be asked for (行政许可法 Art. 32).

Under the title the record says where it stands (ARCHITECTURE.md invariant 9): its sync state (with the server's
reason when it refused the record) and the back office's status with its date and note, read again after each sync
round that changed records (:meth:`RecordDialog.refresh_sync`).

objectNames: ``record_title``, ``record_sync``, ``record_details``, ``supplement`` (the return-visit group),
``brought.<key>`` (or ``brought.<key>.<party index>``), ``supplement_accept``, ``supplement.message``, ``correct``,
``void``, ``close_record``; the approval dialog's are in :mod:`ui.records.approval`; the materials' files
(``record_files``, a click opens one read-only) in :mod:`ui.records.files`.
"""

from __future__ import annotations

import functools
import html
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.catalog.schema import FieldDef, FieldType, Kind, ServiceItem
from app.domain import AppState, Decision, MaterialStatus
from app.errors import YimenError
from app.i18n import QT_TRANSLATE_NOOP
from app.intake import labels
from app.intake.model import DecisionInput, DecisionResult, MaterialInput, MaterialView
from app.money import format_fen
from app.signatures import SignatureService, Signer
from ui.context import UiContext
from ui.i18n import local_text, render, translate
from ui.material_names import handled_text
from ui.records.approval import ApprovalDialog
from ui.records.files import CaseFilesBox
from ui.signature_pad import SignatureDialog
from ui.widgets import ERROR, MessageLabel, click_on_key, discard

SHANGHAI = ZoneInfo("Asia/Shanghai")
OUTSTANDING = (MaterialStatus.MISSING.value, MaterialStatus.DEFECTIVE.value)


def display_value(fdef: FieldDef | None, value: object) -> str:
    """A stored form value as people read it (choice labels, 是/否, yuan)."""
    if value is None or value == "" or value == [] or value == ():
        return "—"
    if fdef is None:
        return str(value)
    yes_no = {True: QCoreApplication.translate("record", "是"), False: QCoreApplication.translate("record", "否")}
    if fdef.type is FieldType.BOOL and isinstance(value, bool):
        return yes_no[value]
    if fdef.type is FieldType.MONEY and isinstance(value, int):
        return QCoreApplication.translate("record", "{amount} 元").format(amount=format_fen(value))
    choices = {c.value: local_text(c) for c in fdef.constraints.choices or ()}
    if isinstance(value, list | tuple):
        return "、".join(choices.get(str(v), str(v)) for v in value)
    return choices.get(str(value), str(value))


def outstanding(result: DecisionResult) -> list[tuple[MaterialView, int | None]]:
    """The required materials still missing or defective, with the index of the party who brings them."""
    return [(m, m.party_index) for m in result.materials if m.required and m.status in OUTSTANDING]


def owed_lines(result: DecisionResult) -> list[tuple[MaterialView, int | None]]:
    """What a 容缺受理 or 先行救助 case still owes (none for another decision, or once voided)."""
    if result.state != AppState.ACCEPTED.value:
        return []
    return [(m, m.party_index) for m in result.owed_materials]


def material_label(material: MaterialView) -> str:
    """A material line's name with the party who brings it."""
    return f"{material.name}（{material.party_name}）" if material.party_name else material.name


#: A refusal's ground as the record shows it (the intake panel's words, context ``IntakePanel``).
GROUND_NAMES = {
    "not_competent": QT_TRANSLATE_NOOP("IntakePanel", "不属于本机关职权范围"),
    "not_eligible": QT_TRANSLATE_NOOP("IntakePanel", "不符合申请条件"),
    "no_application": QT_TRANSLATE_NOOP("IntakePanel", "依法无需申请"),
    "other": QT_TRANSLATE_NOOP("IntakePanel", "其他"),
}


class RecordDialog(QDialog):
    """Shows one application and offers what can be done with it.

    Signals:
        loaded(object): the record was read (a ``DecisionResult``).
        changed(object): the record changed: a return visit's decision, 更正 or 作废 (a ``DecisionResult``); the
            window's ``events.changed`` passes it on (the list, sync, the documents it owes).
    """

    loaded = Signal(object)
    changed = Signal(object)

    def __init__(self, context: UiContext, acceptance_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("record")
        self.setWindowTitle(self.tr("申请记录 {no}").format(no=acceptance_no))
        self.resize(880, 820)
        self.services = context.services
        self.runner = context.runner
        self.bridge = context.bridge
        self.user = context.user
        self.changed.connect(context.events.changed)
        context.events.synced.connect(self.refresh_sync)
        self.acceptance_no = acceptance_no
        self.record: DecisionResult | None = None
        self._boxes: list[tuple[QCheckBox, MaterialView, int | None]] = []
        self.sign_dialog: SignatureDialog | None = None
        self.owing = False  # the group records materials owed after 容缺受理 / 先行救助, not a 补正 return visit
        layout = QVBoxLayout(self)
        self.title = QLabel(self.tr("正在读取……"), self)
        self.title.setObjectName("record_title")
        self.title.setProperty("role", "item-title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.title)
        self.sync_line = QLabel(self)
        self.sync_line.setObjectName("record_sync")
        self.sync_line.setWordWrap(True)
        self.sync_line.setTextFormat(Qt.TextFormat.PlainText)
        self.sync_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.sync_line)
        self.details = QTextBrowser(self)
        self.details.setObjectName("record_details")
        self.details.setOpenLinks(False)
        self.details.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab goes to what can be done
        layout.addWidget(self.details, 1)
        # The materials' files per checklist line (ui/records/files.py), read after the record.
        self.files = CaseFilesBox(context, self)
        layout.addWidget(self.files)
        self.supplement = QGroupBox(self.tr("补正收件：勾选申请人本次补交的材料"), self)
        self.supplement.setObjectName("supplement")
        self.supplement_layout = QVBoxLayout(self.supplement)
        self.supplement_message = MessageLabel("supplement", self.supplement, auto_hide=True)
        self.accept_button = QPushButton(self.tr("补交齐全，受理 (Ctrl+1)"), self.supplement)
        self.accept_button.setObjectName("supplement_accept")
        click_on_key(self.accept_button, "Ctrl+1")
        self.accept_button.setAutoDefault(True)
        self.accept_button.clicked.connect(self.accept_supplement)
        self.supplement.hide()
        layout.addWidget(self.supplement)
        actions = QHBoxLayout()
        self.correct_button = QPushButton(self.tr("更正 (Ctrl+E)"), self)
        self.correct_button.setObjectName("correct")
        click_on_key(self.correct_button, "Ctrl+E")
        self.void_button = QPushButton(self.tr("作废 (Ctrl+D)"), self)
        self.void_button.setObjectName("void")
        click_on_key(self.void_button, "Ctrl+D")
        self.close_button = QPushButton(self.tr("关闭 (Esc)"), self)
        self.close_button.setObjectName("close_record")
        # Signing again on the pad (after a 更正, or a signature redone): at a counter with a pad, for an item whose
        # catalog names signers.
        self.sign_button = QPushButton(self.tr("重新签名 (Ctrl+G)"), self)
        self.sign_button.setObjectName("sign_again")
        click_on_key(self.sign_button, "Ctrl+G")
        self.sign_button.hide()
        for button in (self.correct_button, self.void_button, self.sign_button, self.close_button):
            button.setAutoDefault(True)
            button.setEnabled(button is self.close_button)
        actions.addWidget(self.correct_button)
        actions.addWidget(self.void_button)
        actions.addWidget(self.sign_button)
        actions.addStretch(1)
        actions.addWidget(self.close_button)
        layout.addLayout(actions)
        self.correct_button.clicked.connect(self.start_correction)
        self.sign_button.clicked.connect(self.start_signing)
        self.void_button.clicked.connect(self.start_void)
        self.close_button.clicked.connect(self.reject)
        self.reload()

    # ------------------------------------------------------------------ reading

    def reload(self) -> None:
        """Read the record again (on the database worker)."""
        intake, number = self.services.intake, self.acceptance_no
        self.runner.run_db(lambda: intake.load(number), self.show_result, self._load_failed, owner=self, name="load")

    def _load_failed(self, error: YimenError) -> None:
        self.title.setText(render(error.message))

    def item(self) -> ServiceItem | None:
        """The catalog item the record was taken under, when this workstation still has that exact version."""
        if self.record is None:
            return None
        entry = self.services.catalog.entry(self.record.item_code)
        if entry is None or entry.item.version != self.record.item_version:
            return None
        return entry.item

    def show_result(self, result: DecisionResult) -> None:
        """Show ``result`` and enable what can be done with it."""
        self.record = result
        self.acceptance_no = result.acceptance_no
        state = render(labels.decision_label(result.decision.value, result.state))
        self.title.setText(f"{result.acceptance_no}　{result.item_name}　[{state}]")
        self.show_sync(result)
        self.details.setHtml(self._details_html(result))
        voided = result.state == AppState.VOIDED.value
        self.void_button.setEnabled(not voided)
        self.correct_button.setEnabled(not voided and self.item() is not None)
        if not voided and self.item() is None:
            self.correct_button.setToolTip(self.tr("记录所用的事项版本已不在本机目录中，无法在此更正。"))
        signers = self.signers()
        self.sign_button.setVisible(bool(signers))
        self.sign_button.setEnabled(bool(signers) and not voided)
        self._build_supplement(result)
        self.files.load(result.application_id, result.materials)
        self.loaded.emit(result)

    def refresh_sync(self) -> None:
        """Read the record again and update only where it stands with the server (a sync round changed records;
        the rest of the dialog, with what the clerk may be ticking, stays as it is)."""
        if self.record is None:
            return
        intake, number = self.services.intake, self.acceptance_no
        self.runner.run_db(lambda: intake.load(number), self.show_sync, owner=self, name="load.sync")

    def show_sync(self, result: DecisionResult) -> None:
        """Show the record's sync state (and the server's reason) and the back office's status."""
        sync = render(labels.sync_label(result.sync_state))
        if result.sync_error:
            sync = self.tr("{state}（{reason}）").format(state=sync, reason=result.sync_error)
        lines = [self.tr("上传：{state}").format(state=sync)]
        status = self.tr("办理进度：{status}").format(status=render(labels.server_status_label(result.server_status)))
        if result.server_status_at is not None:
            status += self.tr("（{time}）").format(
                time=result.server_status_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
            )
        if result.server_note:
            status += self.tr("　说明：{note}").format(note=result.server_note)
        lines.append(status)
        self.sync_line.setText("\n".join(lines))
        self.sync_line.setProperty("severity", ERROR if result.sync_state == "rejected" else "")
        self.sync_line.style().unpolish(self.sync_line)
        self.sync_line.style().polish(self.sync_line)

    def _details_html(self, r: DecisionResult) -> str:
        esc = html.escape
        item = self.item()
        rows: list[str] = []

        def line(label: str, value: str) -> None:
            # One two-column table for every section: the labels right-aligned in one column, the values beside.  Qt's
            # rich text ignores the nowrap attribute: the CSS white-space keeps a label on one line.
            label_cell = f"<th align='right' valign='top' style='white-space:nowrap'>{esc(label)}</th>"
            rows.append(f"<tr>{label_cell}<td>{esc(value)}</td></tr>")

        def heading(text: str) -> None:
            rows.append(f"<tr><td colspan='2'><h3>{esc(text)}</h3></td></tr>")

        heading(self.tr("办件信息"))
        # 受理编号 only for a case that was accepted (an inquiry is answered, not accepted): 办件编号 otherwise.
        accepted = r.decision.accepts and r.item_kind != Kind.INQUIRY.value
        line(self.tr("受理编号") if accepted else self.tr("办件编号"), r.acceptance_no)
        line(self.tr("查询码"), r.query_code)
        line(
            self.tr("事项"),
            self.tr("{name}（{code} 第 {version} 版）").format(
                name=r.item_name, code=r.item_code, version=r.item_version
            ),
        )
        line(self.tr("收件时间"), r.received_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"))
        line(self.tr("决定"), render(labels.decision_name(r.decision, r.item_kind)))
        line(self.tr("决定时间"), r.decided_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"))
        if r.notice_no:
            line(self.tr("文书编号"), r.notice_no)
        if r.refusal_reason:
            line(self.tr("不予受理理由"), r.refusal_reason)
        if r.refusal_ground:
            ground = GROUND_NAMES.get(r.refusal_ground)
            line(self.tr("理由类别"), translate("IntakePanel", ground) if ground else r.refusal_ground)
        if r.refusal_basis:
            line(self.tr("依据"), r.refusal_basis)
        if r.competent_office:
            line(self.tr("有权机关"), r.competent_office)
        if r.first_aid_reason:
            line(self.tr("先行救助原因"), r.first_aid_reason)
        if r.promised_date:
            estimated = self.tr("（估算）") if r.promised_estimated else ""
            line(self.tr("承诺办结日"), r.promised_date.isoformat() + estimated)
        owed = owed_lines(r)
        if owed:
            line(self.tr("须补交材料"), "、".join(material_label(m) for m, _ in owed))
            line(self.tr("补交期限"), r.owed_by.isoformat() if r.owed_by else "—")
        if r.queue_ticket:
            line(self.tr("叫号号码"), r.queue_ticket)
        line(self.tr("经办人"), f"{r.clerk_name}（{r.clerk_staff_no}）")
        line(self.tr("窗口"), f"{r.center.name} {r.center.window_name}")
        heading(self.tr("当事人"))
        for party in r.parties:
            spec = item.party(party.role) if item else None
            role = labels.ROLE_LABELS.get(party.role)
            # The item's own name of the role (当事人一方 of a marriage pre-check, 丧事承办人), as its documents say.
            name = local_text(spec.label) if spec and spec.label else (render(role) if role else party.role)
            parts = [party.name, party.id_masked or "", party.phone_masked or ""]
            line(name, "　".join(p for p in parts if p))
            fields = {f.key: f for f in spec.fields} if spec else {}
            for key, value in party.values.items():
                fdef = fields.get(key)
                line(f"· {local_text(fdef.label) if fdef else key}", display_value(fdef, value))
        if r.values:
            heading(self.tr("申请信息"))
            for key, value in r.values.items():
                fdef = item.field(key) if item else None
                line(local_text(fdef.label) if fdef else key, display_value(fdef, value))
        if r.signatures:
            # The signatures from the counter's pad; one given before a later 更正 says so (it signed other content).
            heading(self.tr("签名"))
            for signed in r.signatures:
                when = signed.signed_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
                text = self.tr("已在签名板上签名（{when}）").format(when=when)
                if signed.predates_change:
                    text += self.tr("；签名早于此后的更正，签名时的内容与现在不同")
                    if item is not None and item.resign_after_correction:
                        text += self.tr("，本事项更正后须重新签名")
                line(render(labels.ROLE_LABELS.get(signed.signer, labels.ROLE_LABELS["applicant"])), text)
        heading(self.tr("材料"))
        for m in r.materials:
            name = f"{m.name}（{m.party_name}）" if m.party_name else m.name
            note = f"：{m.note}" if m.note else ""
            line(name, handled_text(m.status, m.form, m.count, m.unit) + note)
        return "<table cellspacing='4'>" + "".join(rows) + "</table>"

    # ------------------------------------------------------------------ 补正 return visit

    def _build_supplement(self, result: DecisionResult) -> None:
        for box, _, _ in self._boxes:
            discard(box)
        self._boxes = []
        waiting = result.state == AppState.AWAITING_SUPPLEMENT.value
        owed = owed_lines(result)
        self.owing = bool(owed) and not waiting
        self.supplement.setVisible(waiting or self.owing)
        if not (waiting or self.owing):
            return
        if self.owing:
            # 容缺受理 / 先行救助: the case stays accepted; the applicant brings what was promised.
            due = result.owed_by.isoformat() if result.owed_by else "—"
            self.supplement.setTitle(self.tr("补交材料：勾选申请人本次带来的材料（补交期限 {date}）").format(date=due))
            self.accept_button.setText(self.tr("记录补交 (Ctrl+1)"))
        else:
            self.supplement.setTitle(self.tr("补正收件：勾选申请人本次补交的材料"))
            self.accept_button.setText(self.tr("补交齐全，受理 (Ctrl+1)"))
        for material, party_index in owed if self.owing else outstanding(result):
            name = material_label(material)
            if material.note:
                name += f"　[{material.note}]"
            box = QCheckBox(name, self.supplement)
            suffix = f".{party_index}" if party_index is not None else ""
            box.setObjectName(f"brought.{material.key}{suffix}")
            self.supplement_layout.addWidget(box)
            box.show()  # now: the cursor goes into the first box below
            self._boxes.append((box, material, party_index))
        self.supplement_layout.addWidget(self.supplement_message)
        self.supplement_layout.addWidget(self.accept_button, 0, Qt.AlignmentFlag.AlignLeft)
        chain = [box for box, _, _ in self._boxes] + [self.accept_button, self.correct_button, self.void_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        if self._boxes:
            self._boxes[0][0].setFocus(Qt.FocusReason.OtherFocusReason)

    def accept_supplement(self) -> None:
        """The applicant brought materials: a 补正 return visit is recorded and accepted; materials owed after
        容缺受理 or 先行救助 are recorded as brought (the case stays accepted).  On the database worker."""
        if self.record is None or not self.supplement.isVisibleTo(self):
            return
        brought = [
            MaterialInput(key=m.key, status=MaterialStatus.RECEIVED, party_index=index)
            for box, m, index in self._boxes
            if box.isChecked()
        ]
        intake, user, number = self.services.intake, self.user, self.record.acceptance_no
        self.supplement_message.clear_text()
        self.accept_button.setEnabled(False)
        if self.owing:
            self.runner.run_db(
                lambda: intake.materials_return(number, brought, user),
                self._owed_done,
                self._supplement_failed,
                owner=self,
                name="materials_return",
            )
            return
        self.runner.run_db(
            lambda: intake.supplement_return(number, brought, DecisionInput(Decision.ACCEPT), user),
            self._supplement_done,
            self._supplement_failed,
            owner=self,
            name="supplement_return",
        )

    def _owed_done(self, result: DecisionResult) -> None:
        self.accept_button.setEnabled(True)
        self.show_result(result)
        still = owed_lines(result)
        if still:
            text = self.tr("已记录补交：办件编号 {no}，仍须补交 {materials}").format(
                no=result.acceptance_no, materials="、".join(material_label(m) for m, _ in still)
            )
        else:
            text = self.tr("承诺补交的材料已收齐：受理编号 {no}").format(no=result.acceptance_no)
        self.bridge.info(text)
        self.changed.emit(result)

    def _supplement_done(self, result: DecisionResult) -> None:
        self.accept_button.setEnabled(True)
        self.show_result(result)
        text = self.tr("补正材料已收齐，已受理：受理编号 {no}").format(no=result.acceptance_no)
        if result.promised_date is not None:
            text += self.tr("　承诺办结日 {date}").format(date=result.promised_date.isoformat())
        self.bridge.info(text)
        self.changed.emit(result)

    def _supplement_failed(self, error: YimenError) -> None:
        self.accept_button.setEnabled(True)
        self.supplement_message.show_text(render(error.message), ERROR)
        target = next((box for box, _, _ in self._boxes if not box.isChecked()), self.accept_button)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # ------------------------------------------------------------------ signing again

    def signers(self) -> list[Signer]:
        """Who may sign this case again on the pad: the item's signers among its parties (none without a pad)."""
        item, record = self.item(), self.record
        if item is None or record is None or not self.services.deployment.signature_pad:
            return []
        found: list[Signer] = []
        for role in item.signatures:
            position = next((i for i, p in enumerate(record.parties) if p.role == role.value), None)
            if position is not None:
                found.append(Signer(role.value, position, record.parties[position].name))
        return found

    def start_signing(self) -> None:
        """Open the pad for the case's signers; what they sign supersedes their earlier signatures."""
        signers = self.signers()
        if not signers:
            return
        dialog = SignatureDialog(signers, self)
        self.sign_dialog = dialog
        dialog.finished.connect(functools.partial(self._signed, dialog))
        dialog.open()

    def _signed(self, dialog: SignatureDialog, _result: int) -> None:
        captures, number, user = list(dialog.captures), self.acceptance_no, self.user
        self.sign_dialog = None
        dialog.deleteLater()
        if not captures:
            return
        signatures = SignatureService(self.services.db, self.services.deployment)

        def work() -> None:
            for capture in captures:
                signatures.record(number, capture, user)

        def done(_none: None) -> None:
            self.bridge.info(self.tr("已保存签名：办件编号 {no}").format(no=number))
            self.reload()

        self.runner.run_db(work, done, self._sign_failed, owner=self, name="sign")

    def _sign_failed(self, error: YimenError) -> None:
        self.bridge.failure(error)

    # ------------------------------------------------------------------ 更正 / 作废

    def start_void(self) -> None:
        """Ask for a reason and a supervisor's approval, then void the record."""
        if self.record is None:
            return
        dialog = ApprovalDialog(self, title=self.tr("作废 {no}").format(no=self.acceptance_no), item=None)
        dialog.submitted.connect(functools.partial(self._submit_approval, dialog, None))
        dialog.open()

    def start_correction(self) -> None:
        """Edit the form values, give a reason and a supervisor's approval, then correct the record."""
        item = self.item()
        if self.record is None or item is None:
            return
        dialog = ApprovalDialog(self, title=self.tr("更正 {no}").format(no=self.acceptance_no), item=item)
        assert dialog.grid is not None
        dialog.grid.set_values(self.record.values)
        dialog.submitted.connect(functools.partial(self._submit_approval, dialog, item))
        dialog.open()

    def _submit_approval(self, dialog: ApprovalDialog, item: ServiceItem | None) -> None:
        services, user, number = self.services, self.user, self.acceptance_no
        reason = dialog.reason.toPlainText()
        username, password = dialog.username.text(), dialog.password.text()
        values = dialog.grid.values() if dialog.grid is not None else None

        def work() -> DecisionResult:
            approver = services.accounts.approve(username, password)
            if values is None:
                return services.intake.void(number, reason=reason, approver=approver, user=user)
            return services.intake.correct(number, values=values, reason=reason, approver=approver, user=user)

        dialog.set_busy(True)
        self.runner.run_db(
            work,
            functools.partial(self._approved, dialog, item is None),
            dialog.show_failure,
            owner=dialog,
            name="void" if item is None else "correct",
        )

    def _approved(self, dialog: ApprovalDialog, voided: bool, result: DecisionResult) -> None:
        dialog.accept()
        self.show_result(result)
        if voided:
            self.bridge.info(self.tr("已作废：办件编号 {no}").format(no=result.acceptance_no))
        else:
            self.bridge.info(self.tr("已更正：办件编号 {no}").format(no=result.acceptance_no))
        self.changed.emit(result)
