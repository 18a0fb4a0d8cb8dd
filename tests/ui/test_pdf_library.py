"""QtPdf's library stays started once the counter's window is open (ui/pdf_pages.keep_pdf_library): pdfium reserves
new memory regions at each start and never hands them back, so documents opened and closed one after another
grew the counter over a day (issue 16).  The memory is measured in fresh interpreters: a started library is the
process's."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtPdf import QPdfDocument

from ui.pdf_pages import LIBRARY_KEEPER, keep_pdf_library

# Twenty documents, each opened, drawn and closed (as a preview or a print does), after five to warm up; prints
# how many memory regions the process gained over the twenty.
PROBE = textwrap.dedent(
    """
    import io, os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from reportlab.pdfgen import canvas
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    if sys.argv[1] == "kept":
        from ui.pdf_pages import keep_pdf_library
        keep_pdf_library()

    def draw(number):
        out = io.BytesIO()
        page = canvas.Canvas(out)
        page.drawString(72, 720, f"page {number}")
        page.showPage()
        page.save()
        document = QPdfDocument()
        buffer = QBuffer(document)
        buffer.setData(QByteArray(out.getvalue()))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document.load(buffer)
        assert document.status() == QPdfDocument.Status.Ready
        assert not document.render(0, QSize(200, 280)).isNull()
        document.close()
        del document

    def regions():
        with open("/proc/self/maps") as maps:
            return sum(1 for _ in maps)

    for number in range(5):
        draw(number)
    before = regions()
    for number in range(20):
        draw(number)
    print(regions() - before)
    """
)


def regions_gained(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, timeout=120, check=True)
    return int(done.stdout.strip().splitlines()[-1])


def test_documents_opened_one_after_another_leave_no_new_memory_regions_while_the_library_is_kept() -> None:
    assert regions_gained("kept") < 10


def test_without_it_every_document_starts_the_library_again_and_leaves_regions_behind() -> None:
    # The control: what keep_pdf_library prevents (a few new regions for every document).
    assert regions_gained("default") >= 40


def test_one_keeper_for_the_application_however_often_asked(qtbot: Any) -> None:
    first = keep_pdf_library()
    assert isinstance(first, QPdfDocument)
    assert first is keep_pdf_library()
    app = QCoreApplication.instance()
    assert app is not None
    keepers = [d for d in app.findChildren(QPdfDocument) if d.objectName() == LIBRARY_KEEPER]
    assert keepers == [first]
    assert first.parent() is app


def test_the_counters_window_keeps_the_library_from_its_opening(
    qtbot: Any, services: Any, runner: Any, clerk: Any
) -> None:
    from ui.app import CounterSessions

    app = QCoreApplication.instance()
    assert app is not None
    for earlier in app.findChildren(QPdfDocument, LIBRARY_KEEPER):  # another test's
        shiboken6.delete(earlier)
    assert app.findChild(QPdfDocument, LIBRARY_KEEPER) is None
    window = CounterSessions(services, runner).open(clerk)
    qtbot.addWidget(window)
    assert app.findChild(QPdfDocument, LIBRARY_KEEPER) is not None
