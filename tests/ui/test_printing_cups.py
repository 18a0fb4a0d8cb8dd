"""Printing through a real print system: a private CUPS daemon with cups-pdf queues (tests/cupskit.py).

The documents go the way they go at a counter — the stored PDF rasterised by QtPdf onto a QPrinter, Qt's CUPS
plugin, CUPS's filters, the queue's backend — and come back as the PDF cups-pdf writes, read as images by poppler:
the page size, ink where the stored page has it, the seal's red, and the QR code a phone reads.  The printer's
states are the queue's own: stopped (``cupsdisable``), deleted (``lpadmin -x``), rejecting jobs (``cupsreject``).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.documents.model import DocumentKind, Paper
from app.domain import Decision
from app.errors import PrinterError
from app.security.permissions import MACHINE
from tests import cupskit, pdfkit
from tests.app.documents.doc_testkit import take
from tests.conftest import write_deployment
from tests.cupskit import Page, PrivateCups, on_new_thread
from tests.ui.ui_testkit import Keyboard, applicant, choose_item, set_materials, valid_id
from ui.documents import printing

CTRL = Qt.KeyboardModifier.ControlModifier
DPI = 100  # the printed pages read back: enough for the QR and for ink in 6-point cells
_names = itertools.count(1)


@pytest.fixture(scope="module")
def cups_system() -> Iterator[PrivateCups]:
    """One private cupsd for the module, stopped and removed afterwards even when a test fails."""
    with cupskit.private_cups() as cups:
        yield cups


@pytest.fixture
def cups(cups_system: PrivateCups, monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateCups]:
    """The private print system as this process's CUPS (for the threads the test starts); queues removed after."""
    monkeypatch.setenv("CUPS_SERVER", str(cups_system.socket))
    before = set(_queues(cups_system))
    yield cups_system
    for name in set(_queues(cups_system)) - before:
        cups_system.delete(name)


def _queues(cups: PrivateCups) -> list[str]:
    out = cups.run("lpstat", "-p", check=False).stdout
    return [line.split()[1] for line in out.splitlines() if line.startswith("printer ")]


def queue(cups: PrivateCups, stem: str, **kwargs: Any) -> str:
    name = f"{stem}-{next(_names)}"
    cups.add_printer(name, **kwargs)
    return name


def production_with_printers(folder: Path, printer: str, *, paper: str = "a4") -> Path:
    """A production deployment whose three printers are the CUPS queue ``printer``."""
    path = write_deployment(folder, mode="production")
    text = path.read_text(encoding="utf-8")
    for role in ("receipt_printer", "notice_printer", "form_printer"):
        assert f'{role} = ""' in text
        text = text.replace(f'{role} = ""', f'{role} = "{printer}"')
    text = text.replace('receipt_format = "a4"', f'receipt_format = "{paper}"')
    path.write_text(text, encoding="utf-8")
    return path


def word(pdf: bytes, text: str, *, last: bool = False) -> pdfkit.Word:
    found = [w for w in pdfkit.words(pdf) if w.text == text]
    assert found, f"no word {text!r}"
    return found[-1] if last else found[0]


def assert_printed_as_stored(printed: bytes, stored: bytes) -> tuple[list[Page], list[str]]:
    """The job's pages are the stored pages: same sizes, ink where the stored page has it and nowhere else, the
    same QR codes.  Returns the printed pages and the codes read from them."""
    out, original = cupskit.pages(printed, dpi=DPI), cupskit.pages(stored, dpi=DPI)
    assert len(out) == len(original)
    for got, want in zip(out, original, strict=True):
        assert got.size_mm == pytest.approx(want.size_mm, abs=1.0)
        assert cupskit.same_layout(got, want) > 0.97  # another document scores about 0.1
    codes = pdfkit.qr_codes(printed)
    assert codes == pdfkit.qr_codes(stored)
    return out, codes


def seal_box(signature: pdfkit.Word, date: pdfkit.Word, size_mm: float) -> cupskit.Box:
    """Where the A4 seal presses: centred on the 署名, between it and the date (app/documents/layout.py)."""
    half = size_mm / 25.4 * 72 / 2
    cx, cy = (signature.x_min + signature.x_max) / 2, (signature.y_min + date.y_max) / 2
    return cx - half, cy - half, cx + half, cy + half


# ------------------------------------------------------------------------------------------- printing


def test_enter_prints_the_receipt_and_form_through_cups_on_a4(
    qtbot: Any,
    keyboard: Keyboard,
    services_factory: Any,
    tmp_path: Path,
    runner: Any,
    bridge: Any,
    show: Any,
    user_factory: Any,
    cups: PrivateCups,
) -> None:
    from ui.context import UiContext
    from ui.main_window import MainWindow

    printer = queue(cups, "counter-a4")
    services = services_factory(config=production_with_printers(tmp_path, printer), data_dir=tmp_path / "prod")
    window = MainWindow(UiContext(services, runner, bridge, user_factory(services)))
    show(window)
    qtbot.waitUntil(lambda: runner.idle)
    window.show_tab(0)
    choose_item(keyboard, "临时救助")
    applicant(keyboard, "阿依古丽·买买提", valid_id("31010119800101001"))
    keyboard.tab_to("assistance_type")
    keyboard.type("1")
    keyboard.tab_to("situation")
    keyboard.type("家中失火，衣物被褥损毁")
    set_materials(qtbot, keyboard, window, ["1"])
    with qtbot.waitSignal(window.desk.preview_opened, timeout=20_000) as opened:
        keyboard.press(Qt.Key.Key_1, CTRL)
    preview = opened.args[0]
    with qtbot.waitSignal(preview.finished, timeout=60_000):
        keyboard.enter()

    number = services.intake.list_day(by=MACHINE)[0].acceptance_no
    stored = {d.kind: services.documents.document(d.id) for d in services.documents.documents(number)}
    receipt_job, form_job = cups.wait_output(printer, 2)  # printed in the preview's order
    receipt = stored[DocumentKind.RECEIPT].pdf
    (page,), codes = assert_printed_as_stored(receipt_job, receipt)
    assert page.size_mm == pytest.approx((210, 297), abs=1.0)
    assert codes == [f"https://jd.example.gov.cn/q/{number}?c={services.intake.load(number).query_code}"]
    # Ink where the text is: the title and the acceptance number; none in the top margin.
    for text in ("受理回执", f"受理编号：{number}"):
        spot = word(receipt, text)
        assert page.ink((spot.x_min, spot.y_min, spot.x_max, spot.y_max)) > 0.05
    assert page.ink((0, 0, 595, 50)) == 0
    # The red seal where it presses on the 署名 and the date, and red nowhere else.
    signature = word(receipt, "徐汇区示范街道社区事务受理服务中心", last=True)
    date = word(receipt, "2026年11月23日", last=True)
    box = seal_box(signature, date, 42)
    assert page.red(box) > 0.05
    assert page.red((0, 0, 595, box[1])) == 0
    form, _ = assert_printed_as_stored(form_job, stored[DocumentKind.FORM].pdf)
    assert all(p.size_mm == pytest.approx((210, 297), abs=1.0) for p in form)
    assert all(d.handed_out == 1 for d in services.documents.documents(number))


def test_the_80_mm_receipt_and_the_notices_print_on_their_own_paper(
    services: Any, clerk: Any, tmp_path: Path, cups: PrivateCups
) -> None:
    roll, a4 = queue(cups, "receipt-80mm"), queue(cups, "notices-a4")
    accepted = take(services, clerk, "MZ-SHJZ-001")
    thermal = dataclasses.replace(services.documents.settings, receipt_paper=Paper.THERMAL80)
    from app.documents.fonts import load_fonts
    from app.documents.render import render

    receipt = render(DocumentKind.RECEIPT, accepted, thermal, load_fonts()).pdf
    supplement = take(services, clerk, "MZ-SHJZ-002", Decision.SUPPLEMENT)
    refusal = take(services, clerk, "MZ-SHJZ-002", Decision.REFUSE)
    notices = [
        services.documents.document(d.id).pdf
        for result in (supplement, refusal)
        for d in services.documents.issue(result, clerk)
        if d.kind.is_notice
    ]
    assert len(notices) == 2

    def print_all() -> None:
        printing.print_pdf(receipt, printing.resolve(roll, data_dir=tmp_path, demo=False), job_name="receipt")
        for pdf in notices:
            printing.print_pdf(pdf, printing.resolve(a4, data_dir=tmp_path, demo=False), job_name="notice")

    on_new_thread(print_all)
    (receipt_job,) = cups.wait_output(roll, 1)
    (page,), codes = assert_printed_as_stored(receipt_job, receipt)
    width, height = pdfkit.page_size_mm(receipt)
    assert round(width) == 80 and page.size_mm == pytest.approx((width, height), abs=1.0)  # as long as it needs
    number = accepted.acceptance_no
    assert codes == [f"https://jd.example.gov.cn/q/{number}?c={services.intake.load(number).query_code}"]
    # One ink on a thermal head: the black line-art seal centred above the 署名, and no red anywhere.
    signature = word(receipt, "徐汇区示范街道社区事务受理服务中心", last=True)
    middle, seal = width / 25.4 * 72 / 2, 30 / 25.4 * 72
    assert page.ink((middle - seal / 2, signature.y_min - seal, middle + seal / 2, signature.y_min)) > 0.02
    assert page.red() == 0
    for job, pdf in zip(cups.wait_output(a4, 2), notices, strict=True):
        (notice,), _ = assert_printed_as_stored(job, pdf)
        assert notice.size_mm == pytest.approx((210, 297), abs=1.0)
        assert notice.red() > 0.001  # the seal


# ------------------------------------------------------------------------------------------- states


def resolve(spec: str, tmp_path: Path) -> printing.PrintTarget:
    return on_new_thread(lambda: printing.resolve(spec, data_dir=tmp_path, demo=False))


def refusal(spec: str, tmp_path: Path) -> str:
    with pytest.raises(PrinterError) as raised:
        resolve(spec, tmp_path)
    return raised.value.message.render()


def test_the_queue_states_give_the_clerk_what_to_do(cups: PrivateCups, tmp_path: Path) -> None:
    ready, stopped, rejecting, gone = (queue(cups, n) for n in ("ready", "stopped", "rejecting", "gone"))
    # No default printer on the print system: the clerk is told, and the way out (另存为 PDF).
    assert "本机没有设置默认打印机" in refusal("", tmp_path) and "另存为 PDF" in refusal("", tmp_path)
    assert resolve(ready, tmp_path) == printing.PrintTarget(printer=ready)

    cups.stop_queue(stopped, "Media jam")
    assert "处于错误状态（可能离线、缺纸或卡纸）" in refusal(stopped, tmp_path)
    cups.reject(rejecting)
    said = refusal(rejecting, tmp_path)
    assert f"打印机“{rejecting}”已设为暂停接收打印任务" in said and "恢复接收任务" in said
    cups.delete(gone)
    said = refusal(gone, tmp_path)
    assert f"找不到打印机“{gone}”" in said and ready in said and gone not in said.split("本机的打印机：")[1]

    cups.run("lpadmin", "-d", ready)
    assert resolve("", tmp_path) == printing.PrintTarget(printer=ready)
    cups.run("cupsenable", stopped)
    cups.run("cupsaccept", rejecting)
    assert resolve(stopped, tmp_path).printer == stopped and resolve(rejecting, tmp_path).printer == rejecting


def test_without_lpstat_a_queue_is_taken_as_accepting(
    cups: PrivateCups, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on Windows, or a Linux without CUPS's client programs: Qt's view alone decides.
    rejecting = queue(cups, "rejecting")
    cups.reject(rejecting)
    assert printing.cups_accepting_jobs(rejecting) is False
    monkeypatch.setenv("PATH", str(tmp_path))
    assert printing.cups_accepting_jobs(rejecting) is None
    assert resolve(rejecting, tmp_path).printer == rejecting
