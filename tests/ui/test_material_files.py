"""Materials' files (电子材料) in the checklist, through the real counter window offscreen: a scan attached to a
line from a file shows its thumbnail in the line, opens in full on a click, turns and loses a page there, a wrong
file is refused in Chinese at its line, and the decision stores the line's files with the case (real store)."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton
from reportlab.pdfgen import canvas

from app.attachments import AttachmentStore
from tests.ui.ui_testkit import (
    Keyboard,
    applicant,
    choose_item,
    decide_and_skip_printing,
    valid_id,
    wait_attached,
    wait_materials,
)
from ui.intake.attachments import AttachmentViewer

OWED_CATALOG = Path(__file__).parent.parent / "app" / "data" / "catalog-owed"
APPLICANT_ID = valid_id("31010419850615002")


@pytest.fixture
def services(services_factory: Any) -> Any:
    return services_factory(catalog_dir=OWED_CATALOG)


def scan(path: Path, width: int = 1200, height: int = 800) -> Path:
    image = Image.new("RGB", (width, height), "white")
    image.paste((20, 20, 160), (0, 0, width // 2, height))  # a blue left half: the thumbnail shows it
    image.save(path, "JPEG", quality=90)
    return path


def pdf(path: Path, pages: int) -> Path:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for n in range(pages):
        page.drawString(100, 700, f"page {n + 1}")
        page.showPage()
    page.save()
    path.write_bytes(out.getvalue())
    return path


def start_case(qtbot: Any, keyboard: Keyboard, window: Any) -> dict[str, Any]:
    choose_item(keyboard, "测试事项")
    applicant(keyboard, "张三", APPLICANT_ID)
    keyboard.tab_to("urgency")
    keyboard.type("2")  # 一般
    return {row.line.key: row for row in wait_materials(qtbot, window, 5)}


def accept_with_all_present(qtbot: Any, keyboard: Keyboard, window: Any, rows: dict[str, Any]) -> Any:
    """Tick every line of the test item 已收到 (1) and accept (Ctrl+1), the preview skipped; the decision's result."""
    for key in ("applicant_id_card", "household_register", "photos", "income_proof"):
        keyboard.tab_to(rows[key].status.objectName())
        keyboard.type("1")
    return decide_and_skip_printing(qtbot, keyboard, window, Qt.Key.Key_1)


def test_a_scan_attached_from_a_file_shows_its_thumbnail_and_goes_with_the_case(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any, tmp_path: Path
) -> None:
    rows = start_case(qtbot, keyboard, window)
    income = rows["income_proof"]
    strip = income.files
    assert strip is not None and strip.objectName() == "material.income_proof.files"
    # The 附加… button asks the file dialog; the chosen paths are attached (the dialog itself is the platform's).
    strip._choose = lambda _parent: [str(scan(tmp_path / "收入证明.jpg"))]
    qtbot.mouseClick(strip.add_button, Qt.MouseButton.LeftButton)
    wait_attached(qtbot, strip)
    assert len(strip.thumbs) == 1
    thumb = strip.thumbs[0]
    assert thumb.objectName() == "material.income_proof.files.0" and thumb.isVisible()
    picture = thumb.icon().pixmap(44, 44).toImage()
    assert max(picture.width(), picture.height()) == 44
    middle = picture.height() // 2
    left, right = picture.pixelColor(5, middle), picture.pixelColor(picture.width() - 5, middle)
    assert left.blue() > 120 and left.red() < 80 and right.red() > 200  # the scan, not a blank icon

    # A wrong file is refused at its line, in Chinese; the line keeps its scan.
    (tmp_path / "说明.pdf").write_text("不是 PDF", encoding="utf-8")
    strip.attach_paths([tmp_path / "说明.pdf"])
    wait_attached(qtbot, strip)
    assert "只能附加 JPEG、PNG 图片或 PDF 文件" in income.message.text() and len(strip.files) == 1

    # A PDF: the full view on a click, turn its second page, delete its first.
    strip.attach_paths([pdf(tmp_path / "户口簿.pdf", 3)])
    wait_attached(qtbot, strip)
    qtbot.mouseClick(strip.thumbs[1], Qt.MouseButton.LeftButton)
    viewers = [w for w in window.findChildren(AttachmentViewer) if w.isVisible()]
    assert len(viewers) == 1
    viewer = viewers[0]
    assert viewer.caption.text() == "第 1 页，共 3 页" and not viewer.picture.pixmap().isNull()
    before = strip.files[1].sha256
    qtbot.mouseClick(viewer.next, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(viewer.rotate, Qt.MouseButton.LeftButton)
    assert strip.files[1].sha256 != before and viewer.caption.text() == "第 2 页，共 3 页"
    pixmap = viewer.picture.pixmap()
    assert pixmap.width() > pixmap.height()  # the page lies on its side now
    qtbot.mouseClick(viewer.prev, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(viewer.delete_page, Qt.MouseButton.LeftButton)
    assert strip.files[1].pages == 2 and viewer.caption.text() == "第 1 页，共 2 页"
    viewer.close()
    # The keyboard is back in the counter window, on the file just seen.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert keyboard.focus_name() == "material.income_proof.files.1"

    assert rows["income_proof"].tick().attachments == strip.sha256s
    result = accept_with_all_present(qtbot, keyboard, window, rows)
    stored = AttachmentStore(services.db).for_case(result.application_id)
    assert [(r.material_key, r.media_type, r.pages) for r in stored] == [
        ("income_proof", "image/jpeg", 1),
        ("income_proof", "application/pdf", 2),
    ]


def test_files_are_kept_on_the_database_worker_and_a_decision_waits_for_them(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any, tmp_path: Path
) -> None:
    """A 600 dpi scan takes over a second to check and downscale: the counter goes on meanwhile, the line says the
    file is on its way, and a decision asked for meanwhile follows once the file is kept, with the file."""
    rows = start_case(qtbot, keyboard, window)
    for key in ("applicant_id_card", "household_register", "photos", "income_proof"):
        keyboard.tab_to(rows[key].status.objectName())
        keyboard.type("1")
    qtbot.waitUntil(lambda: window.context.runner.idle)
    strip = rows["income_proof"].files
    gate = threading.Event()
    window.context.runner.run_db(gate.wait, name="test.hold")  # the worker busy, as with a large scan before
    strip.attach_paths([scan(tmp_path / "收入证明.jpg")])
    assert strip.attaching and strip.files == []
    busy = strip.findChild(QToolButton, "material.income_proof.files.busy")
    assert busy is not None and busy.isVisible() and busy.text() == "正在附加…"
    # The window answers meanwhile (this test's own events run), and Ctrl+1 waits for the file.
    decided: list[Any] = []
    window.context.events.changed.connect(decided.append)
    keyboard.press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(200)
    assert decided == [] and window.pages["intake"].materials.attaching
    gate.set()
    wait_attached(qtbot, strip)
    assert len(strip.thumbs) == 1 and strip.findChild(QToolButton, "material.income_proof.files.busy") is None
    qtbot.waitUntil(lambda: bool(decided), timeout=20_000)
    result = decided[0]
    stored = AttachmentStore(services.db).for_case(result.application_id)
    assert [(r.material_key, r.sha256) for r in stored] == [("income_proof", strip.files[0].sha256)]
