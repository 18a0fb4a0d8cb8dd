"""The material checklist of a case: the lines :meth:`IntakeService.check` expands from the catalog (one per party
for per-party materials), each ticked with what really happened, with a note (required for 不合格: the 补正 notice
states what is wrong with each material).

The present tick records the material's handling (``MaterialLine.handling``, the catalog's ``Material.handled()``):
收取 (the centre keeps the paper), 原件核验（已退还） (looked at and handed back) or 原件核验、收取复印件 (the
original handed back, copies kept: a copies box beside it, defaulting to the catalog's count).  An e-licence
material also offers 电子证照核验 (no paper at all).  Photos are counted in 张, booklets in 本.

Keyboard: Tab goes from status to status; Space toggles present/缺少; digits 1, 2, 3 choose present, 缺少, 不合格,
and 4 电子证照核验 where offered; choosing 不合格 moves the cursor into the note; + and − change the copies kept.

objectNames: the status box is ``material.<key>`` (``material.<key>.<party index>`` for a per-party line, e.g.
``material.check_authorisation_member.1``); its note ``<that>.note``; its copies box ``<that>.copies``; its message
``<that>.message``.  The watched folder's bar is ``scans``, with ``scans.text`` and ``scans.attach``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.catalog.schema import ServiceItem
from app.domain import MaterialStatus
from app.i18n import QT_TRANSLATE_NOOP
from app.intake.model import MaterialInput, MaterialLine
from ui.i18n import local_text, translate
from ui.material_names import STATUS_NAMES, copies_text, present_status, unit_name
from ui.widgets import ERROR, WARNING, MessageLabel, discard

if TYPE_CHECKING:
    from app.attachments import AttachmentStore
    from ui.intake.attachments import Attached, AttachmentStrip
    from ui.intake.scan_folder import Scan, ScanFolder
    from ui.tasks import TaskRunner

#: The present choice as the checklist words it, by handling.
PRESENT_NAMES = {
    MaterialStatus.RECEIVED: QT_TRANSLATE_NOOP("materials", "收取"),
    MaterialStatus.ORIGINAL_CHECKED: QT_TRANSLATE_NOOP("materials", "原件核验（已退还）"),
    MaterialStatus.COPY_KEPT: QT_TRANSLATE_NOOP("materials", "原件核验、收取复印件"),
}
MAX_COPIES = 20
#: Attaches the watched folder's new scans to the current line (the intake page's shortcut).
SCAN_KEYS = "Ctrl+Shift+S"
KEEP_DOT = "\u2060·\u2060"  # the middle dot between word joiners: a name does not break there


def line_name(line: MaterialLine) -> str:
    """The line's object name stem: ``material.<key>`` or ``material.<key>.<party index>``."""
    if line.party_index is None:
        return f"material.{line.key}"
    return f"material.{line.key}.{line.party_index}"


def choices_of(line: MaterialLine) -> tuple[MaterialStatus, ...]:
    """The statuses a line offers, in the order of their digits: present (its handling), 缺少, 不合格, and
    电子证照核验 for an e-licence material."""
    statuses = (present_status(line.handling), MaterialStatus.MISSING, MaterialStatus.DEFECTIVE)
    return (*statuses, MaterialStatus.E_VERIFIED) if line.e_license else statuses


class MaterialStatusBox(QComboBox):
    """The line's choices, chosen by Space (toggle present/missing) or their digits.

    Signals:
        copies_step(int): + (1) or − (−1) was pressed: the copies kept change.
    """

    copies_step = Signal(int)

    def __init__(self, name: str, choices: Sequence[MaterialStatus], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.choices = tuple(choices)
        for number, status in enumerate(self.choices, start=1):
            label = PRESENT_NAMES.get(status) or STATUS_NAMES[status]
            self.addItem(f"{number}  {translate('materials', label)}", status.value)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currentIndexChanged.connect(self._colour)
        self.set_status(MaterialStatus.MISSING)
        self._colour()
        # The style sheet's padding is not in the size hint: the longest choice (原件核验、收取复印件) stays whole.
        widest = max(self.fontMetrics().horizontalAdvance(self.itemText(i)) for i in range(self.count()))
        self.setMinimumWidth(widest + 48)

    def _colour(self, *_args: object) -> None:
        # The style sheet colours the box by status, so a glance down the list shows what is still missing.
        status = self.status()
        self.setProperty("status", MaterialStatus.RECEIVED.value if status.present else status.value)
        self.style().unpolish(self)
        self.style().polish(self)

    @property
    def present_choice(self) -> MaterialStatus:
        return self.choices[0]

    def status(self) -> MaterialStatus:
        """The chosen status."""
        return MaterialStatus(self.currentData())

    def set_status(self, status: MaterialStatus) -> None:
        """Choose ``status`` (another present status, as a line whose handling changed had, is the present one)."""
        if status not in self.choices:
            status = self.present_choice if status.present else MaterialStatus.MISSING
        self.setCurrentIndex(self.choices.index(status))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space toggles present/缺少; the digits choose; + and − change the copies kept."""
        key = event.key()
        if event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier):
            super().keyPressEvent(event)
            return
        if key == Qt.Key.Key_Space:
            present = self.status() is self.present_choice
            self.set_status(MaterialStatus.MISSING if present else self.present_choice)
            return
        if Qt.Key.Key_1 <= key < Qt.Key.Key_1 + len(self.choices):
            self.setCurrentIndex(key - Qt.Key.Key_1)
            return
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus):
            self.copies_step.emit(-1 if key == Qt.Key.Key_Minus else 1)
            return
        super().keyPressEvent(event)


class MaterialRow:
    """One line of the checklist: status, name (with form, count, unit and standard), copies, note, message."""

    def __init__(
        self,
        line: MaterialLine,
        item: ServiceItem | None,
        parent: QWidget,
        store: AttachmentStore | None = None,
        camera: str = "off",
        runner: TaskRunner | None = None,
    ) -> None:
        self.line = line
        name = line_name(line)
        self.status = MaterialStatusBox(name, choices_of(line), parent)
        material = next((m for m in item.materials if m.key == line.key), None) if item else None
        title = local_text(material.name) if material is not None else line.name
        if line.party_name:
            # Word joiners keep a name whole at its middle dot (阿依古丽·买买提 never breaks at the ·).
            title = f"{title}（{line.party_name.replace('·', KEEP_DOT)}）"
        details = copies_text(line.form, line.count, line.unit)
        if not line.required:
            details += QCoreApplication.translate("materials", "（可选）")
        self.label = QLabel(f"{title}  <span style='color:#5f6b7a'>{details}</span>", parent)
        self.label.setObjectName(f"{name}.label")
        self.label.setWordWrap(True)
        standard = local_text(material.standard) if material is not None else (line.standard or "")
        self.label.setToolTip(standard)
        self.status.setToolTip(standard)
        # Copies kept: only where the original goes back and copies stay; + and − in the status box change it.
        self.copies: QSpinBox | None = None
        if self.status.present_choice is MaterialStatus.COPY_KEPT:
            copies = QSpinBox(parent)
            copies.setObjectName(f"{name}.copies")
            copies.setRange(1, max(MAX_COPIES, line.count))
            copies.setValue(line.count)
            copies.setSuffix(f" {unit_name(line.unit)}")
            copies.setPrefix(QCoreApplication.translate("materials", "复印件 "))
            copies.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            copies.setToolTip(QCoreApplication.translate("materials", "收取的复印件份数（在状态框中按 + 或 − 调整）"))
            self.status.copies_step.connect(copies.stepBy)
            self.copies = copies
        self.note = QLineEdit(parent)
        self.note.setObjectName(f"{name}.note")
        self.note.setPlaceholderText(QCoreApplication.translate("materials", "说明（不合格时必填）"))
        self.note.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.message = MessageLabel(name, parent)
        #: The widget in the message's column: the message, or the files and the message.
        self.tail: QWidget = self.message
        #: The widget in the name's column: the name, or the name over the files' thumbnails.
        self.head: QWidget = self.label
        # The line's files (电子材料): thumbnails and 附加… (ui/intake/attachments.py), where the store is given.
        self.files: AttachmentStrip | None = None
        if store is not None:
            from ui.intake.attachments import AttachmentStrip

            self.files = AttachmentStrip(store, name, parent, button_inside=False, camera=camera, runner=runner)
            # No column of their own (the names keep their width): the thumbnails go under the line's name, shown
            # once there are some, and 附加… beside the line's message.
            self.head = QWidget(parent)
            head = QVBoxLayout(self.head)
            head.setContentsMargins(0, 0, 0, 0)
            head.setSpacing(2)
            head.addWidget(self.label)
            head.addWidget(self.files)
            self.tail = QWidget(parent)
            tail = QHBoxLayout(self.tail)
            tail.setContentsMargins(0, 0, 0, 0)
            tail.addWidget(self.files.add_button)
            if self.files.camera_button is not None:
                tail.addWidget(self.files.camera_button)
            tail.addWidget(self.message, 1)
            self.files.problem.connect(lambda text: self.message.show_text(text, ERROR))
        self.status.currentIndexChanged.connect(self._status_changed)
        self._status_changed(self.status.currentIndex())

    @property
    def ident(self) -> tuple[str, int | None]:
        """The line's identity across checks."""
        return self.line.key, self.line.party_index

    def widgets(self) -> list[QWidget | None]:
        """Every widget of the row, one per grid column (None: an empty cell)."""
        return [self.status, self.head, self.copies, self.note, self.tail]

    def tick(self) -> MaterialInput | None:
        """The clerk's tick for the core (None for an optional line not brought)."""
        status = self.status.status()
        if not self.line.required and status is MaterialStatus.MISSING:
            return None
        count = self.copies.value() if self.copies is not None and status is MaterialStatus.COPY_KEPT else None
        return MaterialInput(
            key=self.line.key,
            status=status,
            party_index=self.line.party_index,
            note=self.note.text().strip() or None,
            count=count,
            attachments=self.files.sha256s if self.files is not None else (),
        )

    def _status_changed(self, _index: int) -> None:
        status = self.status.status()
        defective = status is MaterialStatus.DEFECTIVE
        self.note.setFocusPolicy(Qt.FocusPolicy.StrongFocus if defective else Qt.FocusPolicy.ClickFocus)
        if self.copies is not None:
            self.copies.setEnabled(status is MaterialStatus.COPY_KEPT)
        self.message.clear_text()
        if defective and self.status.hasFocus():
            self.note.setFocus(Qt.FocusReason.TabFocusReason)


class MaterialsPanel(QGroupBox):
    """The checklist.  Lines are replaced after each check; ticks and notes survive for lines that stay.

    With the scanner's watched folder (:meth:`set_scan_folder`), a bar above the lines (``scans``) names the scans
    that arrived; :meth:`attach_scans` (its button ``scans.attach``, the page's Ctrl+Shift+S) attaches them to the
    current line — the one whose status box or note has, or last had, the cursor — and deletes each one the store
    took from the folder; a refused one stays there and its line says why.

    Signals:
        edited(): a status or a note changed.
        rows_changed(): the lines were replaced (the tab order changes).
        scan_notice(str): something about the scans the status bar should say too.
        settled(): the last file on its way to the store arrived (:attr:`attaching` is False again).
    """

    edited = Signal()
    rows_changed = Signal()
    scan_notice = Signal(str)
    settled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("材料"), parent)
        self.setObjectName("materials")
        layout = QVBoxLayout(self)
        self.hint = QLabel(
            self.tr("空格：齐全/缺少　1 齐全　2 缺少　3 不合格（须写说明）　4 电子证照核验　+/− 复印件份数"),
            self,
        )
        self.hint.setProperty("role", "hint")
        layout.addWidget(self.hint)
        self.scan_bar = QFrame(self)
        self.scan_bar.setObjectName("scans")
        self.scan_bar.setProperty("role", "notice")
        bar = QHBoxLayout(self.scan_bar)
        bar.setContentsMargins(6, 2, 6, 2)
        self.scan_text = QLabel(self.scan_bar)
        self.scan_text.setObjectName("scans.text")
        self.scan_text.setWordWrap(True)
        self.scan_text.setTextFormat(Qt.TextFormat.PlainText)
        self.scan_button = QPushButton(self.tr("附加到当前材料"), self.scan_bar)
        self.scan_button.setObjectName("scans.attach")
        self.scan_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the keyboard has Ctrl+Shift+S
        self.scan_button.clicked.connect(self.attach_scans)
        bar.addWidget(self.scan_text, 1)
        bar.addWidget(self.scan_button)
        self.scan_bar.hide()
        layout.addWidget(self.scan_bar)
        self.message = MessageLabel("materials", self, auto_hide=True)
        layout.addWidget(self.message)
        self._holder = QWidget(self)
        self._grid = QGridLayout(self._holder)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(1, 5)
        self._grid.setColumnMinimumWidth(3, 220)
        self._grid.setColumnStretch(3, 2)
        self._grid.setColumnStretch(4, 3)
        layout.addWidget(self._holder)
        self.empty = QLabel(self.tr("选择事项后显示材料清单。"), self)
        self.empty.setProperty("role", "hint")
        layout.addWidget(self.empty)
        self.rows: list[MaterialRow] = []
        self._item: ServiceItem | None = None
        self._store: AttachmentStore | None = None
        self._camera = "off"
        self._runner: TaskRunner | None = None
        self._scans: ScanFolder | None = None
        #: The line the scans go to: the one whose status box or note has (or last had) the cursor.
        self._current: tuple[str, int | None] | None = None

    def set_attachment_store(
        self, store: AttachmentStore | None, *, camera: str = "off", runner: TaskRunner | None = None
    ) -> None:
        """Where the lines' files are kept (None: the checklist offers no files), ``[materials] camera`` (``off``:
        no 拍照… on the lines) and the runner whose database worker keeps them; for the lines shown from now."""
        self._store = store
        self._camera = camera
        self._runner = runner

    @property
    def attaching(self) -> bool:
        """Files are on their way to the store on some line (the decision waits for them)."""
        return any(row.files is not None and row.files.attaching for row in self.rows)

    def _strip_settled(self) -> None:
        if not self.attaching:
            self.settled.emit()

    def set_lines(self, lines: Sequence[MaterialLine], item: ServiceItem | None) -> None:
        """Show ``lines``, keeping the status and note of lines that were there before."""
        old = {row.ident: row for row in self.rows}
        same = [row.ident for row in self.rows] == [(ln.key, ln.party_index) for ln in lines]
        if same and item is self._item:
            for row, line in zip(self.rows, lines, strict=True):
                row.line = line
            return
        focus_ident = next((row.ident for row in self.rows if row.status.hasFocus()), None)
        if item is not self._item:
            self._current = None  # another case or item: a line chosen before is not this case's
        for row in self.rows:
            for widget in row.widgets():
                if widget is not None:
                    self._grid.removeWidget(widget)
                    discard(widget)
        self.rows = []
        self._item = item
        for r, line in enumerate(lines):
            row = MaterialRow(line, item, self._holder, self._store, self._camera, self._runner)
            previous = old.get((line.key, line.party_index))
            if previous is not None and previous.files is not None and row.files is not None:
                row.files.adopt(previous.files)
            if row.files is not None:
                row.files.changed.connect(self._edited)
                row.files.settled.connect(self._strip_settled)
            if previous is not None:
                row.status.set_status(previous.status.status())
                row.note.setText(previous.note.text())
                if row.copies is not None and previous.copies is not None:
                    row.copies.setValue(previous.copies.value())
            row.status.currentIndexChanged.connect(self._edited)
            row.note.textEdited.connect(self._edited)
            row.status.installEventFilter(self)
            row.note.installEventFilter(self)
            if row.copies is not None:
                row.copies.valueChanged.connect(self._edited)
            for c, widget in enumerate(row.widgets()):
                if widget is not None:
                    self._grid.addWidget(widget, r, c)
                    widget.show()
            self.rows.append(row)
        self._holder.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)
        self.empty.setText(
            self.tr("本事项没有需要核验的材料。") if item is not None else self.tr("选择事项后显示材料清单。")
        )
        self.rows_changed.emit()
        for row in self.rows:
            if row.ident == focus_ident:
                row.status.setFocus()

    def ticks(self) -> list[MaterialInput]:
        """Every tick for the core."""
        return [t for row in self.rows if (t := row.tick()) is not None]

    def focus_widgets(self) -> list[QWidget]:
        """Status boxes (and notes of defective lines) in tab order."""
        return [w for row in self.rows for w in (row.status, row.note)]

    def locate(self, material_key: str | None, party_index: int | None = None) -> tuple[QWidget, MessageLabel]:
        """Where a materials problem belongs, found by the issue's ``material_key`` and ``party_index`` (never by
        the material's name inside the message, which is in the screen's language): that line's note when it is
        defective without one, else its status box; the panel's own message when the issue names no line here.

        A per-party material has a line per party: ``party_index`` picks it (the first line of the key without it).
        """
        rows = [row for row in self.rows if material_key is not None and row.line.key == material_key]
        row = next((r for r in rows if r.line.party_index == party_index), rows[0] if rows else None)
        if row is None:
            first = self.rows[0].status if self.rows else self
            return first, self.message
        if row.status.status() is MaterialStatus.DEFECTIVE and not row.note.text().strip():
            return row.note, row.message
        return row.status, row.message

    def clear_messages(self) -> None:
        """Remove every message."""
        self.message.clear_text()
        for row in self.rows:
            row.message.clear_text()

    def show_problem(self, text: str, material_key: str | None = None, party_index: int | None = None) -> QWidget:
        """Show ``text`` at the line it concerns (the issue's ``material_key`` and ``party_index``) and return the
        widget to focus."""
        widget, label = self.locate(material_key, party_index)
        label.show_text(text, ERROR)
        if label is not self.message:
            self.message.show_text(text, ERROR)
        return widget

    def _edited(self, *_args: object) -> None:
        self.edited.emit()

    # ------------------------------------------------------------------ the scanner's folder

    def set_scan_folder(self, scans: ScanFolder | None) -> None:
        """Offer the scans arriving in ``scans``' folder (None: no watched folder, no bar)."""
        self._scans = scans
        if scans is not None:
            scans.changed.connect(self._show_scans)
            scans.problem_changed.connect(self._show_scans)
        self._show_scans()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            for row in self.rows:
                if watched is row.status or watched is row.note:
                    self._current = row.ident
        return super().eventFilter(watched, event)

    def current_row(self) -> MaterialRow | None:
        """The line whose status box or note has, or last had, the cursor (None: none chosen in this case)."""
        return next((row for row in self.rows if row.ident == self._current), None)

    def _show_scans(self, *_args: object) -> None:
        scans = self._scans
        waiting = scans.scans if scans is not None else []
        if scans is not None and scans.problem:
            self.scan_text.setText(scans.problem)
        elif len(waiting) == 1:
            self.scan_text.setText(
                self.tr("新扫描件 1 个：{name} — 按 {keys} 附加到当前材料").format(name=waiting[0].name, keys=SCAN_KEYS)
            )
        elif waiting:
            self.scan_text.setText(
                self.tr("新扫描件 {n} 个：{name} 等 — 按 {keys} 附加到当前材料").format(
                    n=len(waiting), name=waiting[0].name, keys=SCAN_KEYS
                )
            )
        self.scan_button.setVisible(bool(waiting))
        self.scan_bar.setVisible(bool(waiting) or bool(scans is not None and scans.problem))

    def attach_scans(self) -> int:
        """Attach the arrived scans, oldest first, to the current line through its strip (the same checks and
        messages as 附加…); once kept, delete from the folder each one the store took.  How many were sent."""
        scans = self._scans
        if scans is None:
            return 0
        waiting = scans.scans
        if not waiting:
            text = scans.problem or self.tr("扫描文件夹中没有新扫描件：请先扫描，稍候片刻再附加。")
            self.message.show_text(text, WARNING)
            self.scan_notice.emit(text)
            return 0
        row = self.current_row()
        if row is None or row.files is None:
            text = self.tr("请先选中一条材料，再附加扫描件。")
            self.message.show_text(text, ERROR)
            self.scan_notice.emit(text)
            return 0
        self.message.clear_text()
        row.message.clear_text()
        for scan in waiting:
            scans.set_aside(scan)  # on its way: not offered again meanwhile
        kept = functools.partial(self._scans_kept, scans, waiting, row.ident)
        row.files.attach_paths([scan.path for scan in waiting], kept)
        row.status.setFocus(Qt.FocusReason.OtherFocusReason)
        return len(waiting)

    def _scans_kept(
        self, scans: ScanFolder, waiting: list[Scan], ident: tuple[str, int | None], outcome: Attached
    ) -> None:
        """Delete from the folder each scan the store took; a refused one stays there (its line said why).  A scan
        that could not be deleted is said at the line it went to (``ident``; the checklist may have made its lines
        again meanwhile)."""
        attached = 0
        kept: list[str] = []
        for scan, result in zip(waiting, outcome.results, strict=True):
            if result.stored is None:
                continue
            attached += 1
            if not scans.take(scan):
                kept.append(scan.name)
        row = next((r for r in self.rows if r.ident == ident), None)
        if kept and row is not None:
            row.message.show_text(
                self.tr("扫描件 {names} 已附加，但无法从扫描文件夹删除：其中有个人信息，请立即手动删除。").format(
                    names="、".join(kept)
                ),
                WARNING,
            )
        if attached:
            self.scan_notice.emit(self.tr("已将 {n} 个扫描件附加到当前材料。").format(n=attached))
