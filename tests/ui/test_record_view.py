"""The record view's details are one aligned table: every label right-aligned in one column that does not wrap, every
value starting at the same x, section headings across both columns.  Checked on the rendered document of the real
dialog (offscreen), narrowed so that long values wrap, on a 先行救助 case of the test catalog
(tests/app/data/catalog-owed) that has every kind of line: owed materials, a long reason, copies kept, photos."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextTable
from PySide6.QtWidgets import QLabel, QToolButton

from app.domain import Decision, MaterialStatus, PartyRole
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from tests.ui.ui_testkit import valid_id
from ui.records.record import RecordDialog

OWED_CATALOG = Path(__file__).parent.parent / "app" / "data" / "catalog-owed"
APPLICANT_ID = valid_id("31010419850615002")
REASON = "住房于夜间失火，家中衣物、被褥和日常用品全部烧毁，一家三口暂住亲戚家，生活无着，急需救助"


CASES = ("first_aid", "marriage")


@pytest.fixture
def services(services_factory: Any, request: pytest.FixtureRequest) -> Any:
    # A 先行救助 case of the test catalog, or a marriage pre-check of the shipped one (its longest labels).
    case = getattr(request, "param", "first_aid")
    return services_factory(catalog_dir=OWED_CATALOG if case == "first_aid" else None)


def decide(services: Any, clerk: Any, case: str) -> Any:
    if case == "first_aid":
        draft = ApplicationDraft(
            item_code="TS-OWED-001",
            values={"urgency": "emergency"},
            parties=[PartyInput(PartyRole.APPLICANT, "阿卜杜热合曼·买买提", APPLICANT_ID, "13800138000")],
            materials=[
                MaterialInput("applicant_id_card", MaterialStatus.MISSING),
                MaterialInput("household_register", MaterialStatus.COPY_KEPT, count=2),
                MaterialInput("photos", MaterialStatus.RECEIVED),
                MaterialInput("income_proof", MaterialStatus.MISSING),
                MaterialInput("other_proof", MaterialStatus.NOT_NEEDED),
            ],
        )
        return services.intake.decide(draft, DecisionInput(Decision.FIRST_AID, basis=REASON), clerk)
    draft = ApplicationDraft(
        item_code="MZ-HY-001",
        values={"business_type": "marriage", "registry_office": "徐汇区婚姻登记中心"},
        parties=[
            PartyInput(PartyRole.APPLICANT, "阿卜杜热合曼·买买提", APPLICANT_ID, "13800138000"),
            PartyInput(PartyRole.SPOUSE, "李梅", valid_id("31010419920615002"), "13800138001"),
        ],
        materials=[
            MaterialInput("applicant_id_card", MaterialStatus.ORIGINAL_CHECKED, party_index=0),
            MaterialInput("spouse_id_card", MaterialStatus.ORIGINAL_CHECKED, party_index=1),
            MaterialInput("applicant_declaration", MaterialStatus.RECEIVED, party_index=0),
            MaterialInput("spouse_declaration", MaterialStatus.MISSING, party_index=1),
            MaterialInput("joint_photos", MaterialStatus.RECEIVED),
        ],
    )
    return services.intake.decide(draft, DecisionInput(Decision.SUPPLEMENT), clerk)


def open_record(qtbot: Any, window: Any, acceptance_no: str) -> RecordDialog:
    dialog = RecordDialog(window.context, acceptance_no, window)
    qtbot.addWidget(dialog)
    dialog.resize(300, 900)  # as narrow as it goes: long values wrap, and labels must hold
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.record is not None)
    return dialog


def the_table(record: RecordDialog) -> QTextTable:
    """The one table the details are (nothing outside it but the document's empty frame ends)."""
    document = record.details.document()
    frames = document.rootFrame().childFrames()
    assert len(frames) == 1, "the details are one table, not one per section"
    table = frames[0]
    assert isinstance(table, QTextTable)
    assert table.columns() == 2
    return table


def test_the_details_are_one_table_of_labels_and_values(qtbot: Any, services: Any, clerk: Any, window: Any) -> None:
    record = open_record(qtbot, window, decide(services, clerk, "first_aid").acceptance_no)
    table = the_table(record)
    headings, lines = [], []
    for row in range(table.rows()):
        cell = table.cellAt(row, 0)
        if cell.columnSpan() == 2:
            headings.append(text_of(cell))
        else:
            lines.append((text_of(cell), text_of(table.cellAt(row, 1))))
    assert headings == ["办件信息", "当事人", "申请信息", "材料"]
    shown = dict(lines)
    assert record.record is not None
    assert shown["受理编号"] == record.record.acceptance_no  # 先行救助 accepts the case
    assert shown["先行救助原因"] == REASON
    assert shown["须补交材料"] == "申请人居民身份证、收入证明"
    assert shown["户口簿"] == "原件核验（已退还），收取复印件 2 份"
    assert shown["一寸照片"] == "收取 原件 2 张"
    # Every label cell is right-aligned and may not be broken across lines.
    for row in range(table.rows()):
        cell = table.cellAt(row, 0)
        if cell.columnSpan() == 1:
            block = cell.firstCursorPosition().blockFormat()
            assert block.alignment() & Qt.AlignmentFlag.AlignRight, text_of(cell)
            assert block.nonBreakableLines(), text_of(cell)


def text_of(cell: Any) -> str:
    cursor = cell.firstCursorPosition()
    cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText().replace("\u2029", "\n")


@pytest.mark.parametrize("services", CASES, indirect=True)
def test_labels_line_up_right_and_values_start_in_one_column(
    qtbot: Any, services: Any, clerk: Any, window: Any, request: pytest.FixtureRequest
) -> None:
    case = request.node.callspec.params["services"]
    record = open_record(qtbot, window, decide(services, clerk, case).acceptance_no)
    if case == "marriage":  # the longest label there is: a per-party material with the party's name
        assert any(len(m.name) + len(m.party_name or "") > 25 for m in record.record.materials)
    table = the_table(record)
    details = record.details
    label_ends, value_starts, wrapped_values = set(), set(), 0
    for row in range(table.rows()):
        label = table.cellAt(row, 0)
        if label.columnSpan() == 2:
            continue
        value = table.cellAt(row, 1)
        first, last = details.cursorRect(label.firstCursorPosition()), details.cursorRect(label.lastCursorPosition())
        # A label never wraps: its first and its last character are on one line.
        assert first.top() == last.top(), f"label {text_of(label)!r} wraps"
        label_ends.add(last.left())
        start = details.cursorRect(value.firstCursorPosition())
        value_starts.add(start.left())
        assert start.top() == first.top(), f"the value of {text_of(label)!r} does not start on its label's line"
        assert last.left() < start.left()
        if details.cursorRect(value.lastCursorPosition()).top() > start.top():
            wrapped_values += 1
    assert wrapped_values >= 1, "the dialog is narrow enough for a long value to wrap (so labels had to hold)"
    # Right-aligned labels in one column: each ends at the same x (a pixel of rounding allowed).
    assert max(label_ends) - min(label_ends) <= 1, sorted(label_ends)
    # The values form one column: each starts at the same x.
    assert len(value_starts) == 1, sorted(value_starts)


@pytest.mark.parametrize("services", ["marriage"], indirect=True)
def test_parties_carry_the_items_own_names(qtbot: Any, services: Any, clerk: Any, window: Any) -> None:
    """A marriage pre-check has 当事人, not an 申请人 and a 配偶 (its catalog labels, as its documents print)."""
    record = open_record(qtbot, window, decide(services, clerk, "marriage").acceptance_no)
    table = the_table(record)
    labels = [text_of(table.cellAt(row, 0)) for row in range(table.rows()) if table.cellAt(row, 0).columnSpan() == 1]
    assert "当事人一方" in labels and "当事人另一方" in labels
    assert "申请人" not in labels and "配偶" not in labels


def test_the_cases_files_are_listed_per_material_line_and_open_read_only(
    qtbot: Any, services: Any, clerk: Any, window: Any
) -> None:
    """A saved case's files (电子材料) under their lines' names: an image's thumbnail, a PDF's type and pages; a
    click opens the file in full without the intake's tools (the case was decided on it: it is never changed)."""
    from app.attachments import AttachmentStore
    from tests.app.sync.test_recover_files import scan, three_pages
    from ui.records.files import FileViewer

    store = AttachmentStore(services.db)
    photo, register = store.add(scan()), store.add(three_pages())
    draft = ApplicationDraft(
        item_code="TS-OWED-001",
        values={"urgency": "emergency"},
        parties=[PartyInput(PartyRole.APPLICANT, "阿卜杜热合曼·买买提", APPLICANT_ID, "13800138000")],
        materials=[
            MaterialInput("applicant_id_card", MaterialStatus.MISSING),
            MaterialInput("household_register", MaterialStatus.COPY_KEPT, count=2, attachments=(register.sha256,)),
            MaterialInput("photos", MaterialStatus.RECEIVED, attachments=(photo.sha256,)),
            MaterialInput("income_proof", MaterialStatus.MISSING),
            MaterialInput("other_proof", MaterialStatus.NOT_NEEDED),
        ],
    )
    result = services.intake.decide(draft, DecisionInput(Decision.FIRST_AID, basis=REASON), clerk)
    record = open_record(qtbot, window, result.acceptance_no)
    record.resize(880, 820)
    qtbot.waitUntil(lambda: len(record.files.items) == 2)
    assert record.files.isVisible()
    names = {label.objectName(): label.text() for label in record.files.findChildren(QLabel)}
    assert names["record_files.household_register"] == "户口簿"
    assert names["record_files.photos"] == "一寸照片"
    pdf_button = record.files.items["record_files.household_register.0"]
    image_button = record.files.items["record_files.photos.0"]
    assert isinstance(pdf_button, QToolButton) and pdf_button.text() == "PDF，3 页"
    assert isinstance(image_button, QToolButton) and image_button.text() == "JPEG 图片"
    assert not image_button.icon().isNull() and not pdf_button.icon().isNull()

    qtbot.mouseClick(image_button, Qt.MouseButton.LeftButton)
    viewer = record.files.viewer
    assert isinstance(viewer, FileViewer) and viewer.isVisible()
    qtbot.waitUntil(lambda: viewer.loaded)
    pixmap = viewer.picture.pixmap()
    assert not pixmap.isNull() and pixmap.width() > pixmap.height()  # the 3:2 scan, upright
    assert viewer.caption.text() == "JPEG 图片　第 1 页，共 1 页"
    assert not viewer.prev.isEnabled() and not viewer.next.isEnabled()
    viewer.reject()
    qtbot.waitUntil(lambda: record.files.viewer is None)
    qtbot.waitUntil(image_button.hasFocus)  # the keyboard comes back to the file just seen


def test_a_case_without_files_shows_no_files_box(qtbot: Any, services: Any, clerk: Any, window: Any) -> None:
    record = open_record(qtbot, window, decide(services, clerk, "first_aid").acceptance_no)
    qtbot.waitUntil(lambda: window.context.runner.idle)
    assert record.files.files == [] and not record.files.isVisible()
