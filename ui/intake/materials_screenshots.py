"""Pictures of materials' files in the checklist (``docs/screenshots/materials-*.png``), offscreen, demo data.

Run ``QT_QPA_PLATFORM=offscreen python -m ui.intake.materials_screenshots [FOLDER]``: a throw-away demo workstation,
the clerk's 受理 form with 低保 chosen; a scan (JPEG) and a two-page PDF attached to the first lines show their
thumbnails (``materials-thumbnails.png``), and the PDF opened in full, its second page turned
(``materials-viewer.png``), and the document camera's live picture with one picture taken
(``materials-camera.png``; the frames come from Qt's QVideoFrameInput: this machine has no camera).  Two scans
wait in the scanner's watched folder: the bar above the lines offers them in the first picture.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.bootstrap import open_services
from app.demo import DEMO_PASSWORD, seed
from ui.context import UiContext
from ui.grab import WINDOW_SIZE, main_for, pump, save
from ui.i18n import install_translators
from ui.intake.attachments import AttachmentStrip, AttachmentViewer
from ui.intake.panel import IntakePanel
from ui.intake.reader_screenshots import _deployment
from ui.messages import MessageBridge
from ui.multimedia import multimedia
from ui.style import apply_style
from ui.tasks import TaskRunner


def _scan(path: Path) -> Path:
    """A made-up card scan: a pale card with a photo box and lines of 'text'."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1400, 900), (236, 240, 246))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((60, 60, 1340, 840), 40, fill=(250, 250, 252), outline=(150, 160, 180), width=6)
    draw.rectangle((980, 180, 1260, 540), fill=(205, 214, 228))
    for n in range(6):
        draw.rectangle((140, 190 + n * 90, 140 + 700 - n * 60, 225 + n * 90), fill=(90, 100, 120))
    image.save(path, "JPEG", quality=90)
    return path


def _pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    for n in range(2):
        page.setFillGray(0.35)
        for line in range(24):
            page.rect(70, 760 - line * 26, 380 + (line * 37) % 80, 9, fill=1, stroke=0)
        page.drawString(70, 80, f"{n + 1} / 2")
        page.showPage()
    page.save()
    path.write_bytes(out.getvalue())
    return path


def _camera(app: QApplication, strip: AttachmentStrip, tmp: Path, folder: Path) -> Path:
    """The document camera's dialog over a page, one picture taken (frames from Qt's QVideoFrameInput)."""
    from PySide6.QtGui import QImage

    media = multimedia()
    frames = media.QVideoFrameInput()
    page = QImage(str(_scan(tmp / "camera.jpg")))
    dialog = strip.open_camera(frame_input=frames)
    dialog.resize(900, 700)
    for _ in range(5):
        frames.sendVideoFrame(media.QVideoFrame(page))
        pump(app, seconds=0.12)
    dialog.capture()
    pump(app, lambda: not strip.attaching, seconds=10)
    pump(app, seconds=0.3)
    path = save(dialog, folder, "materials-camera.png")
    dialog.reject()
    return path


def render_all(folder: Path, language: str) -> list[Path]:
    """Draw the pictures into ``folder``; the files written."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_style(app)
    install_translators(app, language)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        # The scanner's folder, with two scans in it before the counter opens (the bar offers them).
        scans = Path(tmp) / "扫描件"
        scans.mkdir()
        deployment = _deployment(Path(tmp))
        text = deployment.read_text(encoding="utf-8")
        deployment.write_text(text + f'\n[materials]\nwatch_folder = "{scans.as_posix()}"\n', encoding="utf-8")
        _scan(scans / "scan_0012.jpg")
        _scan(scans / "scan_0013.jpg")
        services = open_services(deployment, Path(tmp) / "data")
        runner = TaskRunner()
        try:
            seed(services)
            user = services.accounts.login("wangli", DEMO_PASSWORD)
            panel = IntakePanel(UiContext(services, runner, MessageBridge(), user))
            panel.resize(*WINDOW_SIZE)
            panel.show()
            pump(app, lambda: runner.idle)
            entry = services.catalog.entry("MZ-SHJZ-001")  # 低保
            assert entry is not None
            panel.choose_item(entry.item)
            materials = panel.materials
            pump(app, lambda: bool(materials.rows) and runner.idle)
            rows = [row for row in materials.rows if row.files is not None]
            rows[0].files.attach_paths([_scan(Path(tmp) / "身份证.jpg")])  # type: ignore[union-attr]
            rows[1].files.attach_paths([_pdf(Path(tmp) / "户口簿.pdf"), _scan(Path(tmp) / "户口簿-2.jpg")])  # type: ignore[union-attr]
            pump(app, lambda: not materials.attaching and materials.scan_bar.isVisible(), seconds=10)
            pump(app, seconds=0.3)
            written.append(save(materials, folder, "materials-thumbnails.png"))
            viewer = rows[1].files.open_viewer(0)  # type: ignore[union-attr]
            viewer.resize(900, 700)
            viewer.next.click()
            viewer.rotate.click()
            pump(app, seconds=0.3)
            assert isinstance(viewer, AttachmentViewer)
            written.append(save(viewer, folder, "materials-viewer.png"))
            viewer.close()
            written.append(_camera(app, rows[2].files, Path(tmp), folder))  # type: ignore[arg-type]
            panel.card_reader.stop()  # the demo deployment's simulated reader polls on its own thread
            panel.close()
        finally:
            runner.shutdown()
            services.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Draw the pictures; print nothing, return 0."""
    return main_for("python -m ui.intake.materials_screenshots", render_all, argv)


if __name__ == "__main__":
    sys.exit(main())
