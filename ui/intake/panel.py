"""The intake form: queue ticket, item, parties, the item's fields, materials, and the three decisions.

Everything item-specific is generated from the catalog (:mod:`ui.fields`, :mod:`ui.intake.parties`,
:mod:`ui.intake.materials`).  While the clerk types, a debounced :meth:`IntakeService.check` on the database worker
refreshes the material checklist, the warnings and the duplicate-applicant notice.  A decision runs
:meth:`IntakeService.decide` on the worker; a refusal (:class:`~app.intake.model.DraftRejectedError`) names the
issue behind it and carries the check it was judged on: its message is shown beside that issue's input, the
checklist is refreshed from that check, and the cursor moves there.

Keyboard: Enter in a line edit moves to the next input; ``Ctrl+1`` 受理, ``Ctrl+2`` 一次性补正告知, ``Ctrl+3`` 不予受理
(the shortcut is on each button); ``F4`` 叫号; ``Ctrl+Shift+S`` the scanner's new scans (``[materials] watch_folder``,
:mod:`ui.intake.scan_folder`) to the current material line.

objectNames besides the generated ones: ``queue_ticket``, ``call_ticket``, ``called_at``, ``current_item``,
``applicant_history``, ``item_fields``, ``issues``, ``confirm_warnings``, ``duplicates``, ``confirm_duplicate``,
``refusal_reason``, ``decide_accept``, ``decide_supplement``, ``decide_refuse``, ``decision.message``, ``result``.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.attachments import AttachmentLimits, AttachmentStore
from app.catalog.rules import coerce_values, condition_holds
from app.catalog.schema import AcceptWithMaterialsOwed, Kind, PartySpec, ServiceItem
from app.domain import Decision, PartyRole
from app.errors import YimenError
from app.i18n import QT_TRANSLATE_NOOP, Message
from app.idnumber import IdCheck
from app.intake import labels
from app.intake.model import (
    ApplicationDraft,
    ApplicationSummary,
    DecisionInput,
    DecisionResult,
    DraftCheck,
    DraftRejectedError,
    Issue,
    MaterialView,
    PartyInput,
    Refusal,
    RefusalGround,
)
from app.signatures import SignatureCapture
from ui.context import UiContext
from ui.fields import FieldGrid
from ui.i18n import local_text, render, translate
from ui.intake.item_picker import ItemPicker
from ui.intake.materials import SCAN_KEYS, MaterialsPanel
from ui.intake.parties import PartyPanel, PartyTable, is_table, severity_of
from ui.intake.reader import CardReaderLink
from ui.intake.scan_folder import ScanFolder
from ui.intake.signature import SignatureStep
from ui.tabs import TabPage
from ui.widgets import ERROR, WARNING, EnterMovesFocus, FlowLayout, MessageLabel, click_on_key, discard

log = logging.getLogger("yimen.ui.intake")

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHECK_DELAY_MS = 250
DECISION_KEYS = {
    Decision.ACCEPT: "Ctrl+1",
    Decision.SUPPLEMENT: "Ctrl+2",
    Decision.REFUSE: "Ctrl+3",
    Decision.TOLERATED: "Ctrl+4",
    Decision.FIRST_AID: "Ctrl+5",
}
#: A refusal's grounds (the core's ``RefusalGround``), in the order the drop-down lists them.
REFUSAL_GROUNDS = (
    (RefusalGround.NOT_COMPETENT, QT_TRANSLATE_NOOP("IntakePanel", "不属于本机关职权范围")),
    (RefusalGround.NOT_ELIGIBLE, QT_TRANSLATE_NOOP("IntakePanel", "不符合申请条件")),
    (RefusalGround.NO_APPLICATION, QT_TRANSLATE_NOOP("IntakePanel", "依法无需申请")),
    (RefusalGround.OTHER, QT_TRANSLATE_NOOP("IntakePanel", "其他")),
)
CALL_KEYS = "F4"
HISTORY_LINES = 5
DEFAULT_APPLICANT = PartySpec(role=PartyRole.APPLICANT, min=1, max=1)


def material_label(material: MaterialView) -> str:
    """A material line's name with the party who brings it."""
    return f"{material.name}（{material.party_name}）" if material.party_name else material.name


def local_time(moment: dt.datetime) -> str:
    """A moment as the counter shows it (Shanghai time, to the second)."""
    return moment.astimezone(SHANGHAI).strftime("%H:%M:%S")


@dataclass(frozen=True)
class DecideOutcome:
    """What the database worker hands back for a decision: the result, or the core's refusal (with its check)."""

    result: DecisionResult | None
    rejected: DraftRejectedError | None = None


PartyComponent = PartyPanel | PartyTable


class IntakePanel(TabPage):
    """The counter's main work area (the 受理 tab).

    Signals:
        decided(object): a decision was stored (the ``DecisionResult``); the window's ``events.changed`` passes it
            on (the list, sync, its documents).
        checked(object): a background check of the draft came back (the ``DraftCheck``; tests wait on it).
        decision_failed(str): a decision was refused by the core; the text shown beside the field.
    """

    decided = Signal(object)
    checked = Signal(object)
    decision_failed = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intake")
        self.services = context.services
        self.runner = context.runner
        self.bridge = context.bridge
        self.user = context.user
        self.decided.connect(context.events.changed)
        self.item: ServiceItem | None = None
        self.called_at: dt.datetime | None = None
        self._check_seq = 0
        self._history_seq = 0
        self._attempted = False
        self._busy = False
        self._party_slots: list[tuple[PartyComponent, int | None]] = []
        self._enter = EnterMovesFocus(self)
        deployment = self.services.deployment
        self.signature_step = SignatureStep(
            self, enabled=deployment.signature_pad, on_citizen_screen=deployment.signature_screen == "citizen"
        )
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._run_check)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.picker = ItemPicker(splitter)
        self.picker.setMinimumWidth(200)
        self.picker.item_chosen.connect(self.choose_item)
        splitter.addWidget(self.picker)
        # The work column: ticket and item on top, the case in the middle (scrolls), warnings and the decision at
        # the bottom, always in view.
        column = QWidget(splitter)
        self.column = QVBoxLayout(column)
        self.column.setContentsMargins(8, 0, 0, 0)
        self.column.setSpacing(6)
        self.scroller = QScrollArea(column)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.page = QWidget()
        self.page.setObjectName("intake_page")
        self.scroller.setWidget(self.page)
        splitter.addWidget(column)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 1000])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)

        self.page_layout = QVBoxLayout(self.page)
        self.page_layout.setContentsMargins(4, 0, 12, 12)
        self.page_layout.setSpacing(10)
        self._build_header()
        self.applicant = PartyPanel(DEFAULT_APPLICANT, self.page)
        self._wire_party(self.applicant)
        self.history = QLabel(self.page)
        self.history.setObjectName("applicant_history")
        self.history.setProperty("role", "history")
        self.history.setWordWrap(True)
        self.history.hide()
        self.dynamic = QWidget(self.page)
        self.dynamic_layout = QVBoxLayout(self.dynamic)
        self.dynamic_layout.setContentsMargins(0, 0, 0, 0)
        self.dynamic_layout.setSpacing(10)
        self.others: list[PartyComponent] = []
        self.fields_box: QGroupBox | None = None
        self.fields_grid: FieldGrid | None = None
        self.materials = MaterialsPanel(self.page)
        # The lines' files (电子材料) are kept in the store (app/attachments.py), as large as the deployment allows.
        deployment = self.services.deployment
        limits = AttachmentLimits(max_bytes=deployment.attachment_max_bytes, max_side=deployment.attachment_max_side)
        self.materials.set_attachment_store(
            AttachmentStore(self.services.db, limits=limits, clock=self.services.intake.clock),
            camera=deployment.camera,
            runner=self.runner,
        )
        self.materials.edited.connect(self._schedule_check)
        self.materials.settled.connect(self._files_settled)
        #: A decision asked for while files were on their way to the store: taken once they are kept.
        self._waiting_decision: Decision | None = None
        self.materials.rows_changed.connect(self.fix_tab_order)
        self._build_scan_folder()
        self._build_issues()
        self._build_decisions()
        self.result = QLabel(column)
        self.result.setObjectName("result")
        self.result.setProperty("role", "result")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        for widget in (self.applicant, self.history, self.dynamic, self.materials):
            self.page_layout.addWidget(widget)
        self.page_layout.addStretch(1)
        for widget in (self.header, self.result):
            self.column.addWidget(widget)
        self.column.addWidget(self.scroller, 1)
        for widget in (self.issues, self.decision_box):
            self.column.addWidget(widget)
        self.picker.set_items(self.services.catalog.active_items(), self.today())
        self.applicant.id_checked.connect(self._applicant_id_checked)
        self._update_decision_labels()
        self.fix_tab_order()
        # The ID-card reader (ui/intake/reader.py): a card placed fills the party holding the cursor.
        self.card_reader = CardReaderLink(self, context)
        self.materials.rows_changed.connect(self.card_reader.keep_photos)

    def focus_start(self) -> None:
        """The cursor goes into the queue ticket: a case starts with calling the next number."""
        self.queue_ticket.setFocus()

    # ------------------------------------------------------------------ building

    def _build_header(self) -> None:
        self.header = QFrame(self)
        self.header.setObjectName("header")
        row = QHBoxLayout(self.header)
        row.setContentsMargins(0, 0, 0, 0)
        ticket_label = QLabel(self.tr("叫号号码"), self.header)
        self.queue_ticket = QLineEdit(self.header)
        self.queue_ticket.setObjectName("queue_ticket")
        self.queue_ticket.setMaxLength(20)
        self.queue_ticket.setFixedWidth(120)
        self.queue_ticket.setPlaceholderText(self.tr("如 A023"))
        ticket_label.setBuddy(self.queue_ticket)
        self.call_button = QPushButton(self.tr("叫号 ({keys})").format(keys=CALL_KEYS), self.header)
        self.call_button.setObjectName("call_ticket")
        click_on_key(self.call_button, CALL_KEYS)
        self.call_button.setAutoDefault(True)
        self.called_label = QLabel(self.header)
        self.called_label.setObjectName("called_at")
        self.called_label.setProperty("role", "hint")
        self.current_item = QLabel(self.tr("请先选择事项"), self.header)
        self.current_item.setObjectName("current_item")
        self.current_item.setProperty("role", "item-title")
        # A long item name is cut at the window's edge rather than widening the window (1366×768 at 150 %).
        self.current_item.setMinimumWidth(60)
        self.item_message = MessageLabel("current_item", self.header)
        row.addWidget(ticket_label)
        row.addWidget(self.queue_ticket)
        row.addWidget(self.call_button)
        row.addWidget(self.called_label)
        row.addSpacing(24)
        row.addWidget(self.current_item, 1)
        row.addWidget(self.item_message)
        self.queue_ticket.editingFinished.connect(self._ticket_entered)
        self.call_button.clicked.connect(self.call_ticket)

    def _build_scan_folder(self) -> None:
        """The scanner's watched folder (``[materials] watch_folder``, ui/intake/scan_folder.py): its new scans are
        offered above the checklist and Ctrl+Shift+S, anywhere on the page, attaches them to the current line."""
        self.scans: ScanFolder | None = None
        folder = self.services.deployment.watch_folder
        if folder is None:
            return
        self.scans = ScanFolder(folder, self)
        self.scans.problem_changed.connect(lambda text: self.bridge.status(text) if text else None)
        self.materials.set_scan_folder(self.scans)
        self.materials.scan_notice.connect(self.bridge.status)
        self.scan_shortcut = QShortcut(QKeySequence(SCAN_KEYS), self)
        self.scan_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.scan_shortcut.activated.connect(self.attach_scans)
        self.scans.start()

    def attach_scans(self) -> None:
        """Ctrl+Shift+S: the new scans to the current material line, which is brought into view."""
        self.materials.attach_scans()
        row = self.materials.current_row()
        self.scroller.ensureWidgetVisible(row.status if row is not None else self.materials.message)

    def _build_issues(self) -> None:
        self.issues = QFrame(self)
        self.issues.setObjectName("issues")
        self.issues.setProperty("role", "notice")
        box = QVBoxLayout(self.issues)
        self.warnings_label = QLabel(self.issues)
        self.warnings_label.setObjectName("warnings")
        self.warnings_label.setWordWrap(True)
        self.confirm_warnings = QCheckBox(self.tr("以上提示已核实"), self.issues)
        self.confirm_warnings.setObjectName("confirm_warnings")
        self.duplicates_label = QLabel(self.issues)
        self.duplicates_label.setObjectName("duplicates")
        self.duplicates_label.setWordWrap(True)
        self.confirm_duplicate = QCheckBox(self.tr("已核实，仍新建申请"), self.issues)
        self.confirm_duplicate.setObjectName("confirm_duplicate")
        self.issues_message = MessageLabel("issues", self.issues, auto_hide=True)
        for widget in (
            self.warnings_label,
            self.confirm_warnings,
            self.duplicates_label,
            self.confirm_duplicate,
            self.issues_message,
        ):
            box.addWidget(widget)
        self.issues.hide()

    def _build_decisions(self) -> None:
        self.decision_box = QGroupBox(self.tr("决定"), self)
        self.decision_box.setObjectName("decision")
        grid = QGridLayout(self.decision_box)
        grid.setVerticalSpacing(4)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        # A refusal: its ground, the rule behind it, where the matter belongs, and the reason (行政许可法 Art. 32).
        ground_label = QLabel(self.tr("不予受理理由类别"), self.decision_box)
        self.refusal_ground = QComboBox(self.decision_box)
        self.refusal_ground.setObjectName("refusal_ground")
        for ground, text in REFUSAL_GROUNDS:
            self.refusal_ground.addItem(translate("IntakePanel", text), ground.value)
        self.refusal_ground.setCurrentIndex(1)  # 不符合申请条件: the common case
        ground_label.setBuddy(self.refusal_ground)
        self.competent_office = QLineEdit(self.decision_box)
        self.competent_office.setObjectName("competent_office")
        self.competent_office.setPlaceholderText(self.tr("应向哪个机关申请（如 徐汇区民政局），必填"))
        self.competent_office.setMaxLength(100)
        self.refusal_basis = QLineEdit(self.decision_box)
        self.refusal_basis.setObjectName("refusal_basis")
        self.refusal_basis.setPlaceholderText(self.tr("依据：文件名称和条款，如《社会救助暂行办法》第十一条"))
        self.refusal_basis.setMaxLength(200)
        ground_row = QHBoxLayout()
        ground_row.addWidget(self.refusal_ground)
        ground_row.addWidget(self.competent_office, 1)
        ground_row.addWidget(self.refusal_basis, 2)
        self.ground_message = MessageLabel("refusal_ground", self.decision_box)
        grid.addWidget(ground_label, 0, 0, right)
        grid.addLayout(ground_row, 0, 1)
        grid.addWidget(self.ground_message, 0, 2)
        reason_label = QLabel(self.tr("不予受理理由"), self.decision_box)
        self.refusal_reason = QPlainTextEdit(self.decision_box)
        self.refusal_reason.setObjectName("refusal_reason")
        self.refusal_reason.setTabChangesFocus(True)
        self.refusal_reason.setPlaceholderText(self.tr("不予受理时必填：写明不符合哪项条件、依据什么"))
        self.refusal_reason.setFixedHeight(self.refusal_reason.fontMetrics().lineSpacing() * 2 + 16)
        reason_label.setBuddy(self.refusal_reason)
        self.reason_message = MessageLabel("refusal_reason", self.decision_box)
        grid.addWidget(reason_label, 1, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.refusal_reason, 1, 1)
        grid.addWidget(self.reason_message, 1, 2)
        # 先行救助: why help comes first (shown only where the item allows it).
        self.first_aid_label = QLabel(self.tr("先行救助原因"), self.decision_box)
        self.first_aid_reason = QLineEdit(self.decision_box)
        self.first_aid_reason.setObjectName("first_aid_reason")
        self.first_aid_reason.setPlaceholderText(self.tr("先行救助时必填：如 住房失火、突发事故，生活无着"))
        self.first_aid_reason.setMaxLength(200)
        self.first_aid_label.setBuddy(self.first_aid_reason)
        self.first_aid_message = MessageLabel("first_aid_reason", self.decision_box)
        grid.addWidget(self.first_aid_label, 2, 0, right)
        grid.addWidget(self.first_aid_reason, 2, 1)
        grid.addWidget(self.first_aid_message, 2, 2)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 1)
        # The buttons go on to a second line where a narrow window cannot hold five side by side.
        buttons = FlowLayout()
        self.decision_buttons: dict[Decision, QPushButton] = {}
        for decision, name in (
            (Decision.ACCEPT, "decide_accept"),
            (Decision.TOLERATED, "decide_tolerated"),
            (Decision.FIRST_AID, "decide_first_aid"),
            (Decision.SUPPLEMENT, "decide_supplement"),
            (Decision.REFUSE, "decide_refuse"),
        ):
            button = QPushButton(self.decision_box)
            button.setObjectName(name)
            button.setProperty("decision", decision.value)
            button.setAutoDefault(True)
            button.setMinimumHeight(36)
            button.clicked.connect(functools.partial(self.decide, decision))
            click_on_key(button, DECISION_KEYS[decision])
            buttons.addWidget(button)
            self.decision_buttons[decision] = button
        self.decision_message = MessageLabel("decision", self.decision_box, auto_hide=True)
        grid.addLayout(buttons, 3, 1, 1, 2)
        grid.addWidget(self.decision_message, 4, 1, 1, 2)
        self.refusal_ground.currentIndexChanged.connect(self._ground_changed)
        self._ground_changed()

    def _ground_changed(self, *_args: object) -> None:
        # Where the matter belongs is asked only when it belongs elsewhere.
        self.competent_office.setVisible(self.refusal_ground.currentData() == RefusalGround.NOT_COMPETENT.value)

    def offered(self) -> list[Decision]:
        """The decisions the bar offers for the chosen item and the case as entered."""
        item = self.item
        if item is None:
            return [Decision.ACCEPT, Decision.SUPPLEMENT, Decision.REFUSE]
        if item.kind is Kind.INQUIRY:
            return [Decision.ACCEPT]  # 答复并打印答复单: answered on the spot, nothing to accept or refuse
        decisions = [Decision.ACCEPT]
        if item.tolerated is not None:
            decisions.append(Decision.TOLERATED)
        if item.first_aid is not None and self._policy_applies(item.first_aid):
            decisions.append(Decision.FIRST_AID)
        return [*decisions, Decision.SUPPLEMENT, Decision.REFUSE]

    def _policy_applies(self, policy: AcceptWithMaterialsOwed) -> bool:
        if policy.when is None or self.item is None:
            return True
        values = self.fields_grid.values() if self.fields_grid is not None else {}
        try:
            return condition_holds(policy.when, coerce_values(self.item.fields, values))
        except (ValueError, TypeError):
            return False

    def _policy_tip(self, decision: Decision) -> str:
        """What 容缺受理 or 先行救助 does for this item (the button's tooltip)."""
        item = self.item
        policy = None if item is None else item.tolerated if decision is Decision.TOLERATED else item.first_aid
        if item is None or policy is None:
            return ""
        names = {m.key: local_text(m.name) for m in item.materials}
        materials = "、".join(names.get(key, key) for key in policy.materials)
        basis = policy.basis.title + (policy.basis.article or "")
        if decision is Decision.TOLERATED:
            return self.tr(
                "容缺受理：仅缺少{materials}时受理，申请人签署承诺书，{days} 个工作日内补交。依据：{basis}"
            ).format(materials=materials, days=policy.days, basis=basis)
        return self.tr(
            "先行救助：急难情形先行救助，{materials}可在 {days} 个工作日内补交；须写明先行救助原因。依据：{basis}"
        ).format(materials=materials, days=policy.days, basis=basis)

    def _wire_party(self, component: PartyComponent) -> None:
        component.edited.connect(self._schedule_check)
        if isinstance(component, PartyTable):
            component.rows_changed.connect(self.fix_tab_order)

    # ------------------------------------------------------------------ item

    def today(self) -> dt.date:
        """Today at the counter (the core's clock, Shanghai date)."""
        return self.services.intake.clock().astimezone(SHANGHAI).date()

    def choose_item(self, item: ServiceItem) -> None:
        """Build the form of ``item`` (the applicant's name, number and phone are kept)."""
        self.item = item
        self.item_message.clear_text()
        self.result.hide()
        self._attempted = False
        self.current_item.setText(f"{local_text(item.name)}  <span style='color:#5f6b7a'>{item.code}</span>")
        self.current_item.setToolTip(f"{local_text(item.name)} {item.code}")
        applicant_spec = item.party(PartyRole.APPLICANT) or DEFAULT_APPLICANT
        self._replace_applicant(applicant_spec)
        self._drop_generated()
        for spec in item.parties:
            if spec.role is PartyRole.APPLICANT:
                continue
            party: PartyComponent = PartyTable(spec, self.dynamic) if is_table(spec) else PartyPanel(spec, self.dynamic)
            self._wire_party(party)
            self.dynamic_layout.addWidget(party)
            party.show()  # now, not on the next event loop turn: a fast typist's Enter must find it
            self.others.append(party)
        if item.fields:
            self.fields_box = QGroupBox(self.tr("申请信息"), self.dynamic)
            self.fields_box.setObjectName("item_fields")
            self.fields_grid = FieldGrid(item.fields, "", self.fields_box)
            self.fields_grid.edited.connect(self._schedule_check)
            QVBoxLayout(self.fields_box).addWidget(self.fields_grid)
            self.dynamic_layout.addWidget(self.fields_box)
            self.fields_box.show()
        self.materials.set_lines([], item)
        self._update_decision_labels()
        self.fix_tab_order()
        self._run_check()
        self.applicant.identity.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _drop_generated(self) -> None:
        for component in self.others:
            discard(component)
        self.others = []
        if self.fields_box is not None:
            discard(self.fields_box)
            self.fields_box = self.fields_grid = None

    def _replace_applicant(self, spec: PartySpec) -> None:
        old = self.applicant
        identity = old.identity
        carried = (
            identity.name_edit.text(),
            identity.id_edit.text(),
            identity.phone_edit.text() if identity.phone_edit else "",
        )
        confirmed = identity.id_confirm.isChecked()
        panel = PartyPanel(spec, self.page)
        self.page_layout.replaceWidget(old, panel)
        panel.show()
        discard(old)
        self.applicant = panel
        self._wire_party(panel)
        panel.id_checked.connect(self._applicant_id_checked)
        panel.identity.set_identity(*carried)
        panel.identity.id_confirm.setChecked(confirmed)
        panel.identity.adopt_card(identity)
        self.card_reader.show_marks(panel.identity)

    def _update_decision_labels(self) -> None:
        kind = self.item.kind if self.item is not None else Kind.APPLICATION
        offered = self.offered()
        for decision, button in self.decision_buttons.items():
            if kind is Kind.INQUIRY:
                name = self.tr("答复并打印答复单")
            else:
                name = render(labels.decision_name(decision, kind.value))
            button.setText(f"{name} ({DECISION_KEYS[decision]})")
            button.setVisible(decision in offered)
            button.setEnabled(decision in offered and kind is not Kind.CONSULTATION and not self._busy)
            if decision in (Decision.TOLERATED, Decision.FIRST_AID):
                button.setToolTip(self._policy_tip(decision))
        first_aid = Decision.FIRST_AID in offered
        aid_widgets: tuple[QWidget, ...] = (self.first_aid_label, self.first_aid_reason, self.first_aid_message)
        for aid in aid_widgets:
            aid.setVisible(first_aid)
        refusable = Decision.REFUSE in offered
        refusal_widgets: tuple[QWidget, ...] = (
            self.refusal_ground,
            self.refusal_basis,
            self.refusal_reason,
            self.competent_office,
        )
        for refusal in refusal_widgets:
            refusal.setEnabled(refusable)
        if kind is Kind.CONSULTATION:
            self.decision_message.show_text(self.tr("咨询类事项不作受理决定。"), WARNING)

    # ------------------------------------------------------------------ queue ticket

    def _ticket_entered(self) -> None:
        if self.queue_ticket.text().strip() and self.called_at is None:
            self._set_called(self.services.intake.clock())

    def call_ticket(self) -> None:
        """The clerk called the ticket now (叫号): the handling time counts from here."""
        self._set_called(self.services.intake.clock())
        self.picker.search.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _set_called(self, moment: dt.datetime) -> None:
        self.called_at = moment
        self.called_label.setText(self.tr("叫号时间 {time}").format(time=local_time(moment)))

    # ------------------------------------------------------------------ the draft

    def _components(self) -> list[PartyComponent]:
        return [self.applicant, *self.others]

    def build_draft(self) -> ApplicationDraft:
        """The case as entered now (the party order fixes each ``party_index``)."""
        assert self.item is not None
        parties: list[PartyInput] = []
        slots: list[tuple[PartyComponent, int | None]] = []
        for component in self._components():
            for party, row in component.party_inputs():
                parties.append(party)
                slots.append((component, row))
        self._party_slots = slots
        return ApplicationDraft(
            item_code=self.item.code,
            values=self.fields_grid.values() if self.fields_grid is not None else {},
            parties=parties,
            materials=self.materials.ticks(),
            queue_ticket=self.queue_ticket.text().strip() or None,
            called_at=self.called_at,
            acknowledged_warnings=self.confirm_warnings.isChecked(),
            acknowledged_duplicate=self.confirm_duplicate.isChecked(),
        )

    def _schedule_check(self) -> None:
        if self.item is not None:
            self._check_timer.start()

    def _run_check(self) -> None:
        if self.item is None:
            return
        self._check_timer.stop()
        draft = self.build_draft()
        self._check_seq += 1
        seq = self._check_seq
        intake = self.services.intake
        self.runner.run_db(
            lambda: intake.check(draft),
            functools.partial(self._checked, seq),
            self._check_failed,
            owner=self,
            name="check",
        )

    def _checked(self, seq: int, check: DraftCheck) -> None:
        if seq != self._check_seq or self.item is None:
            return  # a newer check is on its way
        self.materials.set_lines(check.materials, self.item)
        self._show_warnings(check)
        self._update_decision_labels()  # 先行救助 follows the case's values (its ``when``)
        if self._attempted:
            self._show_issues(check.issues)
        self.checked.emit(check)

    def _check_failed(self, error: YimenError) -> None:
        self.item_message.show_text(render(error.message), ERROR)

    def _show_warnings(self, check: DraftCheck) -> None:
        general = [w for w in check.warnings if w.field != "id_number"]
        if general:
            self.warnings_label.setText("\n".join(f"• {render(w.message)}" for w in general))
        else:
            self.confirm_warnings.setChecked(False)
        self.warnings_label.setVisible(bool(general))
        self.confirm_warnings.setVisible(bool(general))
        if check.duplicates:
            self.duplicates_label.setText(self._duplicates_text(check.duplicates))
        else:
            self.confirm_duplicate.setChecked(False)
        self.duplicates_label.setVisible(bool(check.duplicates))
        self.confirm_duplicate.setVisible(bool(check.duplicates))
        self.issues.setVisible(bool(general or check.duplicates) or bool(self.issues_message.text()))

    def _duplicates_text(self, rows: list[ApplicationSummary]) -> str:
        lines = [self.tr("注意：该申请人已有同一事项的在办申请，请核实是否重复申请：")]
        for row in rows[:HISTORY_LINES]:
            lines.append(
                f"• {row.acceptance_no}　{row.item_name}　{render(labels.decision_label(row.decision, row.state))}"
                f"　{local_time(row.received_at)[:5]} {row.received_at.astimezone(SHANGHAI).date().isoformat()}"
            )
        return "\n".join(lines)

    def _show_issues(self, issues: list[Issue]) -> None:
        for component in self._components():
            component.clear_messages()
        if self.fields_grid is not None:
            for editor in self.fields_grid.editors.values():
                editor.validate_live()
        for issue in issues:
            self._place(issue.message, issue.field, issue.party_index, severity_of(issue.severity))

    def _place(
        self, message: Message | str, field: str | None, party_index: int | None, severity: str
    ) -> QWidget | None:
        """Show a message beside the input it concerns; return that input (None: shown in the decision area)."""
        text = render(message) if isinstance(message, Message) else message
        if party_index is not None and 0 <= party_index < len(self._party_slots):
            component, row = self._party_slots[party_index]
            found = component.locate(field, row)
            if found is not None:
                widget, label = found
                label.show_text(text, severity)
                return widget
        if field is not None and self.fields_grid is not None and field in self.fields_grid.editors:
            editor = self.fields_grid.editors[field]
            editor.show_issue(text, severity)
            return editor.focus_widgets()[0]
        if field == "applicant":
            self.applicant.identity.name_message.show_text(text, severity)
            return self.applicant.identity.name_edit
        if party_index is None and field is None and severity == ERROR:
            # Party counts ("需要至少 1 名家庭成员"): beside the table of that role when the text names it.
            for component in self.others:
                if isinstance(component, PartyTable) and component.title() in text:
                    component.message.show_text(text, severity)
                    return component.add_button
        return None

    # ------------------------------------------------------------------ history

    def _applicant_id_checked(self, check: object) -> None:
        self._history_seq += 1
        if not isinstance(check, IdCheck) or not check.valid:
            self.history.hide()
            return
        seq = self._history_seq
        intake = self.services.intake
        number = check.normalized
        self.runner.run_db(
            lambda: intake.history(number, by=self.user),
            functools.partial(self._show_history, seq),
            owner=self,
            name="history",
        )

    def _show_history(self, seq: int, rows: list[ApplicationSummary]) -> None:
        if seq != self._history_seq:
            return
        if not rows:
            self.history.setText(self.tr("该证件号码没有既往申请。"))
        else:
            lines = [self.tr("既往申请 {n} 条：").format(n=len(rows))]
            for row in rows[:HISTORY_LINES]:
                day = row.received_at.astimezone(SHANGHAI).date().isoformat()
                status = render(labels.decision_label(row.decision, row.state))
                lines.append(f"{day}　{row.item_name}　{status}　{row.acceptance_no}")
            if len(rows) > HISTORY_LINES:
                lines.append(self.tr("……（在“今日/查询”中按证件号码查看全部）"))
            self.history.setText("\n".join(lines))
        self.history.show()

    # ------------------------------------------------------------------ deciding

    def decide(self, decision: Decision) -> None:
        """Take the decision on the case as entered (on the database worker)."""
        if self._busy:
            return
        if self.item is None:
            self.item_message.show_text(self.tr("请先选择事项。"), ERROR)
            self.picker.search.setFocus(Qt.FocusReason.OtherFocusReason)
            self.bridge.status(self.tr("请先选择事项。"))
            return
        if self.materials.attaching:
            # A file still on its way would be missing from the case: the decision follows once it is kept.
            self._waiting_decision = decision
            self.bridge.status(self.tr("正在保存材料文件，保存完即继续……"))
            return
        self._check_timer.stop()
        self._attempted = True
        self.decision_message.clear_text()
        self.reason_message.clear_text()
        self.ground_message.clear_text()
        self.first_aid_message.clear_text()
        self.issues_message.clear_text()
        self.materials.clear_messages()
        draft = self.build_draft()
        # The signatures the item asks for, on the pad before the decision (the documents drawn after it print
        # them); Esc there leaves the pen on paper and never blocks the decision.
        self._set_busy(True)
        self.signature_step.run(self.item, draft, decision, functools.partial(self._decide_signed, decision, draft))

    def _files_settled(self) -> None:
        decision, self._waiting_decision = self._waiting_decision, None
        if decision is not None and self.item is not None:
            self.decide(decision)

    def _decide_signed(
        self, decision: Decision, draft: ApplicationDraft, captures: tuple[SignatureCapture, ...]
    ) -> None:
        draft.signatures = captures
        choice = self.decision_input(decision)
        intake, user = self.services.intake, self.user

        def work() -> DecideOutcome:
            try:
                return DecideOutcome(intake.decide(draft, choice, user))
            except DraftRejectedError as exc:
                return DecideOutcome(None, exc)

        self.runner.run_db(
            work,
            functools.partial(self._decided, decision),
            self._decision_error,
            owner=self,
            name=f"decide.{decision.value}",
        )

    def decision_input(self, decision: Decision) -> DecisionInput:
        """The clerk's decision with what it needs: a refusal's ground, basis, competent office and reason; the
        reason for 先行救助 (sent as ``basis``)."""
        if decision is Decision.REFUSE:
            ground = self.refusal_ground.currentData()
            office = self.competent_office.text().strip() if ground == RefusalGround.NOT_COMPETENT.value else ""
            return DecisionInput(
                decision,
                self.refusal_reason.toPlainText().strip() or None,
                ground=ground,
                basis=self.refusal_basis.text().strip() or None,
                competent_office=office or None,
            )
        if decision is Decision.FIRST_AID:
            return DecisionInput(decision, basis=self.first_aid_reason.text().strip() or None)
        return DecisionInput(decision)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_decision_labels()

    def _decision_error(self, error: YimenError) -> None:
        self._set_busy(False)
        text = render(error.message)
        self.decision_message.show_text(text, ERROR)
        self.bridge.failure(error)
        self.decision_failed.emit(text)

    def _decided(self, decision: Decision, outcome: DecideOutcome) -> None:
        self._set_busy(False)
        if outcome.rejected is not None:
            self._refused(decision, outcome.rejected)
            return
        assert outcome.result is not None
        self._succeeded(outcome.result)

    def _refused(self, decision: Decision, error: DraftRejectedError) -> None:
        text = render(error.message)
        self.materials.set_lines(error.check.materials, self.item)
        self._show_warnings(error.check)
        self._show_issues(error.check.issues)
        target = self._target_of(decision, error)
        self.bridge.status(text)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroller.ensureWidgetVisible(target)
        self.decision_failed.emit(text)

    def _target_of(self, decision: Decision, error: DraftRejectedError) -> QWidget | None:
        """Show the core's refusal beside the input its issue concerns and return that input."""
        text = render(error.message)
        issue = error.issue
        # The decision's own inputs (a refusal's ground, basis and office; the reason for 先行救助), whichever
        # refusal the core files them under.
        inputs: dict[str, tuple[QWidget, MessageLabel]] = {
            "refusal_ground": (self.refusal_ground, self.ground_message),
            "refusal_basis": (self.refusal_basis, self.ground_message),
            "competent_office": (self.competent_office, self.ground_message),
            "first_aid_reason": (self.first_aid_reason, self.first_aid_message),
        }
        if issue.field in inputs:
            target, label = inputs[issue.field]
            label.show_text(text, ERROR)
            return target
        if issue.field == "decision":  # 容缺受理 / 先行救助 not open for this item
            self.decision_message.show_text(text, ERROR)
            return self.decision_buttons[decision]
        if error.refusal is Refusal.REFUSAL_REASON:
            self.reason_message.show_text(text, ERROR)
            return self.refusal_reason
        if error.refusal is Refusal.DUPLICATE:
            self.issues_message.show_text(text, ERROR)
            self.issues.show()
            return self.confirm_duplicate
        if error.refusal is Refusal.MATERIALS:
            return self.materials.show_problem(text, issue.material_key, issue.party_index)
        if error.refusal is Refusal.UNCONFIRMED_WARNING:
            # "有需要确认的提示：…请核实后勾选“已核实”再受理": an ID number's warning is confirmed beside the number.
            if issue.field == "id_number":
                return self._place(text, issue.field, issue.party_index, ERROR)
            self.issues_message.show_text(text, ERROR)
            self.issues.show()
            return self.confirm_warnings
        widget = self._place(issue.message, issue.field, issue.party_index, ERROR)
        if widget is not None:
            return widget
        self.decision_message.show_text(text, ERROR)
        return self.decision_buttons[decision]

    def _succeeded(self, result: DecisionResult) -> None:
        text = self.result_text(result)
        self.clear_case()
        self.result.setText(text)
        self.result.setProperty("decision", result.decision.value)
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
        self.result.show()
        self.bridge.info(text)
        self.decided.emit(result)
        self.queue_ticket.setFocus(Qt.FocusReason.OtherFocusReason)

    def result_text(self, result: DecisionResult) -> str:
        """The confirmation the clerk reads after a decision (numbers in full, to copy onto the receipt)."""
        name = render(labels.decision_name(result.decision, result.item_kind))
        applicant = result.applicant.name
        if result.item_kind == Kind.INQUIRY.value:
            return self.tr("已答复：{applicant}　{item}\n办件编号 {no}").format(
                applicant=applicant, item=result.item_name, no=result.acceptance_no
            )
        if result.decision.accepts:
            text = self.tr("已{decision}：{applicant}　{item}\n受理编号 {no}").format(
                decision=name, applicant=applicant, item=result.item_name, no=result.acceptance_no
            )
            if result.promised_date is not None:
                promised = result.promised_date.isoformat()
                if result.promised_estimated:
                    promised += self.tr("（估算）")
                text += self.tr("　承诺办结日 {date}").format(date=promised)
            owed = result.owed_materials
            if owed:
                text += "\n" + self.tr("须补交：{materials}　补交期限 {date}").format(
                    materials="、".join(material_label(m) for m in owed),
                    date=result.owed_by.isoformat() if result.owed_by else "—",
                )
            return text
        text = self.tr("已出具{decision}：{applicant}　{item}\n办件编号 {no}　文书编号 {notice}").format(
            decision=name,
            applicant=applicant,
            item=result.item_name,
            no=result.acceptance_no,
            notice=result.notice_no or "",
        )
        if result.decision is Decision.SUPPLEMENT:
            missing = [material_label(m) for m in result.missing_materials]
            text += "\n" + self.tr("须补正：{materials}").format(materials="、".join(missing))
        return text

    def clear_case(self) -> None:
        """Empty the form for the next applicant."""
        self.signature_step.reset()
        self.queue_ticket.clear()
        self.called_at = None
        self.called_label.clear()
        self.refusal_reason.clear()
        self.refusal_basis.clear()
        self.competent_office.clear()
        self.refusal_ground.setCurrentIndex(1)
        self.first_aid_reason.clear()
        self.reason_message.clear_text()
        self.ground_message.clear_text()
        self.first_aid_message.clear_text()
        self.decision_message.clear_text()
        self.issues_message.clear_text()
        self.confirm_warnings.setChecked(False)
        self.confirm_duplicate.setChecked(False)
        self.issues.hide()
        self.history.hide()
        self._attempted = False
        self._check_seq += 1
        self._check_timer.stop()
        self.item = None
        self._waiting_decision = None
        self._drop_generated()
        self._replace_applicant(DEFAULT_APPLICANT)
        self.applicant.identity.set_identity("", "", "")
        self.applicant.identity.clear_messages()
        self.materials.set_lines([], None)
        self.current_item.setText(self.tr("请先选择事项"))
        self.picker.reset()
        self._update_decision_labels()
        self.fix_tab_order()

    # ------------------------------------------------------------------ keyboard

    def focus_chain(self) -> list[QWidget]:
        """Every input in the order Tab visits them."""
        chain: list[QWidget] = [self.queue_ticket, self.call_button, self.picker.search, self.picker.tree]
        for component in self._components():
            chain.extend(component.focus_widgets())
        if self.fields_grid is not None:
            chain.extend(self.fields_grid.focus_widgets())
        chain.extend(self.materials.focus_widgets())
        chain.extend([self.confirm_warnings, self.confirm_duplicate, self.refusal_ground, self.competent_office])
        chain.extend([self.refusal_basis, self.refusal_reason, self.first_aid_reason])
        chain.extend(self.decision_buttons.values())
        return chain

    def fix_tab_order(self) -> None:
        """Link the tab order to the visual order and let Enter move on in line edits and drop-downs."""
        chain = self.focus_chain()
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._enter.watch([w for w in chain if isinstance(w, QLineEdit | QComboBox) and w is not self.picker.search])
