"""Pictures of the signature pad (``docs/screenshots/signature-*.png``), offscreen, demo data.

Run ``QT_QPA_PLATFORM=offscreen python -m ui.intake.signature_screenshots [FOLDER]``: the pad's dialog for the
marriage pre-check, whose catalog asks both parties to sign, the first party's signature drawn with synthetic mouse
strokes (``signature-pad.png``); Enter pressed on the second party's empty pad (``signature-pad-empty.png``: what
the dialog says); and the 签收 line of a receipt drawn with that signature, read back with poppler
(``signature-receipt.png``).
"""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.bootstrap import open_services
from app.demo import DEMO_PASSWORD, sample_draft, sample_ticks, seed
from app.documents import render as renderer
from app.documents.fonts import load_fonts
from app.documents.model import DocumentKind
from app.domain import Decision
from app.intake.model import DecisionInput
from app.resources import resource_path
from app.signatures import Signer
from ui.grab import main_for, save
from ui.i18n import install_translators
from ui.signature_pad import SignatureDialog, SignaturePad
from ui.style import apply_style


def strokes() -> list[list[tuple[int, int]]]:
    """A made-up signature: a looped first stroke, a wave, a short bar and a final flourish."""
    loop = [(60 + int(i * 6 + 28 * math.sin(i / 2.2)), 130 - int(50 * math.sin(i / 3.1))) for i in range(26)]
    wave = [(230 + i * 7, 110 + int(26 * math.sin(i / 1.6))) for i in range(22)]
    bar = [(300, 70), (330, 66), (362, 64)]
    flourish = [(390 + i * 8, 150 - int(70 * math.sin(i / 5.0)) + i) for i in range(20)]
    return [loop, wave, bar, flourish]


def draw(pad: SignaturePad, stroke: list[tuple[int, int]]) -> None:
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*stroke[0]))
    for x, y in stroke[1:]:
        QTest.mouseMove(pad, QPoint(x, y))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(*stroke[-1]))


def render_all(folder: Path, language: str) -> list[Path]:
    """Draw the pictures into ``folder``; the files written."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    apply_style(app)
    install_translators(app, language)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    signers = [Signer("applicant", 0, "阿依古丽·买买提"), Signer("spouse", 1, "张吉")]
    dialog = SignatureDialog(signers)
    dialog.show()
    QTest.qWaitForWindowExposed(dialog)
    for stroke in strokes():
        draw(dialog.pad, stroke)
    app.processEvents()
    written.append(save(dialog, folder, "signature-pad.png"))
    png = dialog.pad.png()
    dialog.confirm()  # the first party's; the second party's pad is empty
    dialog.confirm()
    app.processEvents()
    written.append(save(dialog, folder, "signature-pad-empty.png"))
    captures = list(dialog.captures)
    dialog.skip()
    with tempfile.TemporaryDirectory() as tmp:
        demo = resource_path("demo", "deployment.toml")
        text = demo.read_text(encoding="utf-8")
        text = text.replace('seal_image = "seal.png"', f'seal_image = "{(demo.parent / "seal.png").as_posix()}"')
        config = Path(tmp) / "yimen.toml"
        config.write_text(text, encoding="utf-8")
        services = open_services(config, Path(tmp) / "data")
        try:
            seed(services)
            user = services.accounts.login("wangli", DEMO_PASSWORD)
            entry = services.catalog.entry("MZ-SHJZ-002")
            assert entry is not None
            item = entry.item
            draft = sample_draft(item, today=services.intake.clock().date())
            draft.materials = sample_ticks(services.intake.check(draft).materials, Decision.ACCEPT)
            draft.signatures = tuple(captures[:1])
            assert captures[0].png == png
            result = services.intake.decide(draft, DecisionInput(Decision.ACCEPT), user)
            pdf = renderer.render(DocumentKind.RECEIPT, result, services.documents.settings, load_fonts()).pdf
        finally:
            services.close()
        source = Path(tmp) / "receipt.pdf"
        source.write_bytes(pdf)
        # The lower part of the page: the seal block with the 签收 line (x, y, width, height at 110 dpi).
        out = folder / "signature-receipt"
        subprocess.run(
            ["pdftoppm", "-r", "110", "-png", "-singlefile", "-x", "60", "-y", "800", "-W", "800", "-H", "170"]
            + [str(source), str(out)],
            check=True,
        )
        written.append(out.with_suffix(".png"))
    return written


def main(argv: list[str] | None = None) -> int:
    """Draw the pictures; print nothing, return 0."""
    return main_for("python -m ui.intake.signature_screenshots", render_all, argv)


if __name__ == "__main__":
    sys.exit(main())
