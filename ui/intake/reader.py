"""The ID-card reader at the counter: a poller off the UI thread, and a card filling the focused party.

:class:`ReaderThread` opens the configured reader (app/idcard/factory.py) and polls it every ``idcard.poll_ms``;
a card it reads comes back to the UI thread as a signal, and :class:`CardReaderLink` fills the party holding the
cursor (the applicant when the cursor is elsewhere): name and ID number, and the role's own fields where the item
has them (sex, ethnicity, birth date, address, issuing authority, validity).  The values read are marked — a line
under the party says what was read from which card, the inputs get a tint and a tooltip — and a later hand edit
shows as such (:class:`CardFill`); the decision carries the marks into its audit event (app/idcard/marks.py).

An absent or failing reader never blocks manual entry: its message goes to the status bar (no dialog takes the
focus), and the thread tries to open it again every few seconds.  An expired card is filled all the same, with a
warning.  A keyboard-wedge reader needs none of this: it types the number into the focused input, which checks it
as any typed number (ui/intake/parties.py).

objectNames: ``<party>.card`` (the mark line, e.g. ``applicant.card``).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QThread, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.errors import YimenError
from app.i18n import QT_TRANSLATE_NOOP
from app.idcard.factory import open_reader
from app.idcard.marks import CardMarks
from app.idcard.model import CARD_TYPE_NAMES, SEX_NAMES, CardData, CardType
from app.idcard.reader import IdCardReader
from ui.i18n import render, translate
from ui.widgets import OK, WARNING, MessageLabel

if TYPE_CHECKING:
    from app.config import Deployment
    from ui.context import UiContext
    from ui.fields import FieldEditor
    from ui.intake.attachments import Attached
    from ui.intake.panel import IntakePanel
    from ui.intake.parties import Identity

log = logging.getLogger("yimen.ui.idcard")

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: After a failure to open, the reader is tried again after this long (a reader plugged in later is found).
RETRY_MS = 5000
#: Failed polls in a row after which the reader is closed and opened again.
FAILURES_BEFORE_REOPEN = 3
#: The role fields a card fills where the item has them (field key → what of the card).
CARD_FIELDS = ("sex", "ethnicity", "birth_date", "address", "id_authority", "id_valid_from", "id_valid_to")
FIELD_TITLES = {
    "name": QT_TRANSLATE_NOOP("CardReader", "姓名"),
    "id_number": QT_TRANSLATE_NOOP("CardReader", "证件号码"),
    "sex": QT_TRANSLATE_NOOP("CardReader", "性别"),
    "ethnicity": QT_TRANSLATE_NOOP("CardReader", "民族"),
    "birth_date": QT_TRANSLATE_NOOP("CardReader", "出生日期"),
    "address": QT_TRANSLATE_NOOP("CardReader", "住址"),
    "id_authority": QT_TRANSLATE_NOOP("CardReader", "签发机关"),
    "id_valid_from": QT_TRANSLATE_NOOP("CardReader", "有效期起"),
    "id_valid_to": QT_TRANSLATE_NOOP("CardReader", "有效期至"),
}
READ_STYLE = "background-color: #eaf5ea;"
EDITED_STYLE = "background-color: #fff4d6;"


def card_values(card: CardData) -> dict[str, object]:
    """What a card fills, by input: ``name``, ``id_number`` and the role fields of :data:`CARD_FIELDS`."""
    return {
        "name": card.name,
        "id_number": card.id_number,
        "sex": translate("idcard", SEX_NAMES[card.sex]),
        "ethnicity": card.ethnicity,
        "birth_date": card.birth_date,
        "address": card.address,
        "id_authority": card.authority,
        "id_valid_from": card.valid_from,
        "id_valid_to": card.valid_to,
    }


@dataclass
class CardFill:
    """One card read into one party: what was filled, so a later hand edit shows and is audited.

    Attributes:
        card_type: the card's type.
        expired: the card's validity had ended when it was read.
        inputs: the inputs filled, by field name, with the text put in.
    """

    card_type: str
    expired: bool
    inputs: dict[str, tuple[QWidget, str]] = field(default_factory=dict)
    #: The chip's photo as PNG (None: the SDK gave none), and the file it became on the ID-card line (None: not
    #: kept, the item does not keep photos or its line is not on the checklist yet).
    photo: bytes | None = field(default=None, repr=False)
    photo_sha256: str | None = None

    def edited(self) -> list[str]:
        """The fields whose input no longer holds what the card put there."""
        return [name for name, (widget, text) in self.inputs.items() if _text_of(widget) != text]

    def marks(self) -> CardMarks:
        return CardMarks(self.card_type, tuple(self.inputs), tuple(self.edited()), self.expired)


def png_of(photo: bytes) -> bytes | None:
    """The chip's photo (a BMP as the SDK decodes it) as PNG bytes; None when it does not decode."""
    image = QImage.fromData(photo)
    if image.isNull():
        return None
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs miss the QIODevice overload
    buffer.close()
    return bytes(data.data())


def _text_of(widget: QWidget) -> str:
    return widget.text() if isinstance(widget, QLineEdit) else str(widget.property("card_text") or "")


class ReaderThread(QThread):
    """Opens the reader and polls it, off the UI thread.

    Signals:
        opened(object): the reader is open (the :class:`IdCardReader`).
        card_read(object): a card was placed and read (a :class:`CardData`).
        failed(object): opening or reading failed (the :class:`~app.errors.YimenError`); polling goes on.
    """

    opened = Signal(object)
    card_read = Signal(object)
    failed = Signal(object)

    def __init__(self, deployment: Deployment, *, poll_ms: int | None = None) -> None:
        super().__init__()
        self.deployment = deployment
        self.poll_ms = poll_ms if poll_ms is not None else deployment.idcard.poll_ms
        self.reader: IdCardReader | None = None

    def run(self) -> None:
        while not self.isInterruptionRequested():
            reader = self._open()
            if reader is None:
                self._pause(RETRY_MS)
                continue
            try:
                self._poll(reader)
            finally:
                reader.close()
                self.reader = None

    def _open(self) -> IdCardReader | None:
        reader: IdCardReader | None = None
        try:
            reader = open_reader(self.deployment)
            if reader is None:
                return None
            reader.open()
        except YimenError as exc:
            log.info("the ID-card reader could not be opened (%s)", exc.code)
            if reader is not None:
                reader.close()
            self.failed.emit(exc)
            return None
        self.reader = reader
        self.opened.emit(reader)
        return reader

    def _poll(self, reader: IdCardReader) -> None:
        """Poll until stopped, or until the reader failed :data:`FAILURES_BEFORE_REOPEN` times in a row (an unplugged
        reader, a bridge process that died): then it is closed and opened again."""
        failures = 0
        while not self.isInterruptionRequested():
            try:
                card = reader.poll()
            except YimenError as exc:
                log.info("reading a card failed (%s)", exc.code)
                self.failed.emit(exc)
                failures += 1
                if failures >= FAILURES_BEFORE_REOPEN:
                    return
                card = None
            else:
                failures = 0
            if card is not None:
                self.card_read.emit(card)
            self._pause(self.poll_ms)

    def _pause(self, ms: int) -> None:
        # In steps of at most 20 ms, so a stop is not kept waiting for a whole retry interval.
        step = min(20, ms)
        for _ in range(max(1, ms // step)):
            if self.isInterruptionRequested():
                return
            self.msleep(step)

    def stop(self) -> None:
        """End the polling and wait for the thread (the reader is closed on it)."""
        self.requestInterruption()
        self.wait()


class CardReaderLink(QObject):
    """The intake panel's reader: starts the poller, fills the focused party with a card, reports failures.

    Signals:
        filled(object): a card was filled into a party (the :class:`CardData`; tests and the benchmark wait on it).
    """

    filled = Signal(object)

    def __init__(self, panel: IntakePanel, context: UiContext, *, poll_ms: int | None = None) -> None:
        super().__init__(panel)
        self.panel = panel
        self.bridge = context.bridge
        deployment = context.services.deployment
        self.driver = deployment.idcard.driver
        self.poller: ReaderThread | None = None
        self._last_failure = ""
        if self.driver in ("none", "wedge"):
            return  # nothing to poll: a wedge reader types into the focused input
        thread = ReaderThread(deployment, poll_ms=poll_ms)
        thread.opened.connect(self._opened)
        thread.card_read.connect(self.fill)
        thread.failed.connect(self._failed)
        self.poller = thread
        # The thread has no parent: it is stopped (and the reader closed) when the panel goes or the program ends.
        panel.destroyed.connect(thread.stop)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(thread.stop)
        thread.start()

    @property
    def reader(self) -> IdCardReader | None:
        """The open reader (None until it is open)."""
        return None if self.poller is None else self.poller.reader

    def stop(self) -> None:
        if self.poller is not None:
            self.poller.stop()

    def _opened(self, _reader: object) -> None:
        if self._last_failure:
            self.bridge.status(self.tr("身份证读卡器已连接，可以放证读卡。"))
        self._last_failure = ""

    def _failed(self, error: object) -> None:
        assert isinstance(error, YimenError)
        text = render(error.message)
        if text != self._last_failure:  # a reader that stays absent is said once, not every few seconds
            self.bridge.status(text)
        self._last_failure = text

    # ------------------------------------------------------------------ filling

    def target(self) -> Identity:
        """The identity of the party holding the cursor (the applicant when the cursor is elsewhere)."""
        from ui.intake.parties import PartyPanel, PartyTable

        focus = QApplication.focusWidget()
        if focus is not None:
            for component in self.panel._components():
                if isinstance(component, PartyPanel) and component.isAncestorOf(focus):
                    return component.identity
                if isinstance(component, PartyTable):
                    index = component.focused_row()
                    if index is not None:
                        return component.rows[index].identity
        return self.panel.applicant.identity

    def fill(self, card: object) -> None:
        """Fill ``card`` into the focused party, mark what was read, warn of an expired card (nothing while the
        panel is hidden: another tab, or the lock page)."""
        assert isinstance(card, CardData)
        self._last_failure = ""  # a reader that reads works: its next failure is said again
        if not self.panel.isVisible():
            # Another tab, or the window is locked: a card must not fill a form nobody sees (nor one behind the
            # lock page). It was read, so it has to leave the reader before it is read again.
            self.bridge.status(self.tr("读卡时受理页未打开：请切换到受理页（F2）后，把证件取下再重新放上读卡器。"))
            return
        identity = self.target()
        today = dt.datetime.now(SHANGHAI).date()
        fill = CardFill(card.card_type.value, card.expired(today))
        values = card_values(card)
        identity.name_edit.setText(card.name)
        identity.id_edit.setText(card.id_number)
        fill.inputs["name"] = (identity.name_edit, card.name)
        fill.inputs["id_number"] = (identity.id_edit, card.id_number)
        for key, editor in self._role_editors(identity).items():
            value = values.get(key)
            if value in (None, ""):
                continue
            editor.set_raw(value.isoformat() if isinstance(value, dt.date) else value)
            if isinstance(editor.input, QLineEdit):
                fill.inputs[key] = (editor.input, editor.input.text())
        previous = identity.card_fill
        fill.photo = png_of(card.photo) if card.photo else None
        identity.card_fill = fill
        self.keep_photo(identity, previous)
        identity.name_edited_from_card()
        self.show_marks(identity)
        if fill.expired:
            valid_to = card.valid_to.isoformat() if card.valid_to is not None else ""
            self.bridge.warning(
                self.tr("该证件已过有效期（有效期至 {date}），请核实身份后再办理，或请申请人出示有效证件。").format(
                    date=valid_to
                )
            )
        else:
            name = translate("idcard", CARD_TYPE_NAMES[card.card_type])
            self.bridge.status(self.tr("已读入{card}。").format(card=name))
        self.filled.emit(card)

    def keep_photo(self, identity: Identity, previous: CardFill | None = None) -> None:
        """Put the card's photo on the party's ID-card line where the item keeps photos (catalog flag
        ``keep_id_photo``); a photo of an earlier card read into the same party goes.  Called again when the
        checklist's lines change (a card read before the item was chosen)."""
        fill = identity.card_fill
        item = self.panel.item
        if fill is None or fill.photo is None or item is None or not item.keep_id_photo:
            return
        row = self._id_card_row(identity)
        if row is None or row.files is None:
            return
        strip = row.files
        if previous is not None and previous.photo_sha256 and previous.photo_sha256 != fill.photo_sha256:
            gone = [n for n, f in enumerate(strip.files) if f.sha256 == previous.photo_sha256]
            for n in reversed(gone):
                strip.replace(n, None)
        if fill.photo_sha256 is not None and fill.photo_sha256 in strip.sha256s:
            return

        def kept(outcome: Attached) -> None:
            stored = outcome.results[0].stored
            if stored is not None:
                fill.photo_sha256 = stored.sha256

        strip.attach_data(fill.photo, self.tr("证件照片"), kept)

    def _id_card_row(self, identity: Identity) -> Any:
        """The checklist line of ``identity``'s ID card (``<role>_id_card``, its row for a table's party)."""
        from ui.intake.parties import PartyPanel, PartyTable

        for component in self.panel._components():
            if isinstance(component, PartyPanel) and component.identity is identity:
                key, index = f"{component.role.value}_id_card", None
                break
            if isinstance(component, PartyTable):
                found = [n for n, row in enumerate(component.rows) if row.identity is identity]
                if found:
                    key, index = f"{component.role.value}_id_card", found[0]
                    break
        else:
            if identity is not self.panel.applicant.identity:
                return None
            key, index = "applicant_id_card", None
        rows = self.panel.materials.rows
        return next(
            (r for r in rows if r.line.key == key and r.line.party_index in (index, None) and r.files is not None),
            None,
        )

    def keep_photos(self) -> None:
        """The checklist's lines changed: photos read before their line was there are put on it now."""
        for identity in self._identities():
            self.keep_photo(identity)

    def _identities(self) -> list[Identity]:
        from ui.intake.parties import PartyPanel, PartyTable

        found = [self.panel.applicant.identity]
        for component in self.panel._components():
            if isinstance(component, PartyPanel) and component.identity not in found:
                found.append(component.identity)
            elif isinstance(component, PartyTable):
                found.extend(row.identity for row in component.rows)
        return found

    def _role_editors(self, identity: Identity) -> dict[str, FieldEditor]:
        from ui.intake.parties import PartyPanel, PartyTable

        for component in self.panel._components():
            if isinstance(component, PartyPanel) and component.identity is identity:
                return {k: e for k, e in component.grid.editors.items() if k in CARD_FIELDS}
            if isinstance(component, PartyTable):
                for row in component.rows:
                    if row.identity is identity:
                        return {e.fdef.key: e for e in row.editors if e.fdef.key in CARD_FIELDS}
        return {}

    def _edited_by_hand(self, identity: Identity, _text: str) -> None:
        self.show_marks(identity)

    def show_marks(self, identity: Identity) -> None:
        """Tint the inputs read from the card (another tint once edited by hand) and say so under the party."""
        fill = identity.card_fill
        if fill is None:
            return
        edited = set(fill.edited())
        for name, (widget, _text) in fill.inputs.items():
            if isinstance(widget, QLineEdit) and not widget.property("card_watched"):
                # A hand edit re-marks the party at once (the decision's audit reads the marks as they are then).
                widget.setProperty("card_watched", True)
                widget.textEdited.connect(functools.partial(self._edited_by_hand, identity))
            changed = name in edited
            widget.setStyleSheet(EDITED_STYLE if changed else READ_STYLE)
            widget.setProperty("card", "edited" if changed else "read")
            widget.setToolTip(self.tr("读卡后已手工修改") if changed else self.tr("由身份证读卡器读入"))
        label = identity.card_label
        card = translate("idcard", CARD_TYPE_NAMES[CardType(fill.card_type)])
        text = self.tr("已从{card}读入。").format(card=card)
        if edited:
            names = "、".join(translate("CardReader", FIELD_TITLES.get(n, n)) for n in fill.inputs if n in edited)
            text += self.tr("读卡后手工修改：{fields}（受理时记入审计）。").format(fields=names)
        if fill.expired:
            text += self.tr("证件已过有效期。")
        if isinstance(label, MessageLabel):
            label.show_text(text, WARNING if edited or fill.expired else OK)
