"""Printing through the real path: a decision by keyboard, the preview of the stored PDF, Enter, and the printed
job — the stored PDF rendered by QtPdf onto a QPrinter at 300 dpi, written by the demo's file printer — read back.

A machine without a print system is one whose ``CUPS_SERVER`` answers nothing: no default printer, the stored
decision and document untouched.  The states of a real print system's queues: test_printing_cups.py.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.errors import PrinterError
from app.security.permissions import MACHINE
from tests import pdfkit
from tests.conftest import write_deployment
from tests.cupskit import on_new_thread
from tests.storekit import connect_store
from tests.ui.ui_testkit import Keyboard, MessageRecorder, applicant, choose_item, set_materials, valid_id
from ui.documents import printing

CTRL = Qt.KeyboardModifier.ControlModifier
APPLICANT_ID = valid_id("31010119800101001")


@pytest.fixture
def services(services_factory: Any, tmp_path: Path) -> Any:
    # Demo mode: the deployment's printers are the file printer (<data>/printed), as in `make run`.
    return services_factory(config=write_deployment(tmp_path, mode="demo"))


def printed_files(services: Any) -> list[Path]:
    return sorted((services.db.path.parent / "printed").glob("*.pdf"))


def take_accepted(qtbot: Any, keyboard: Keyboard, window: Any, name: str = "阿依古丽·买买提") -> Any:
    choose_item(keyboard, "临时救助")
    applicant(keyboard, name, APPLICANT_ID)
    keyboard.tab_to("assistance_type")
    keyboard.type("1")
    keyboard.tab_to("situation")
    keyboard.type("家中失火，衣物被褥损毁")
    set_materials(qtbot, keyboard, window, ["1"])
    with qtbot.waitSignal(window.desk.preview_opened, timeout=20_000) as opened:
        keyboard.press(Qt.Key.Key_1, CTRL)
    preview = opened.args[0]
    qtbot.waitUntil(lambda: not preview.storing, timeout=20_000)  # shown while storing; printable once stored
    return preview


def ppi_of_images(pdf: bytes) -> list[int]:
    out = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=False).stdout.decode()
    if not out:  # older poppler reads no stdin: go through a file
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            out = subprocess.run(["pdfimages", "-list", handle.name], capture_output=True, check=True).stdout.decode()
    return [int(line.split()[12]) for line in out.splitlines()[2:]]


def test_one_keystroke_after_the_decision_prints_the_receipt_and_form(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any, messages: MessageRecorder, tmp_path: Path
) -> None:
    preview = take_accepted(qtbot, keyboard, window)
    assert preview.isVisible() and preview.objectName() == "preview"
    assert [preview.list.item(i).text() for i in range(preview.list.count())] == [
        "受理回执（第 1 版）",
        "申请表（第 1 版）",
    ]
    assert not preview.reason.isVisible()  # originals: no reprint reason asked
    qtbot.waitUntil(lambda: preview.shown_pages() == 1)
    assert keyboard.focus_name() == "preview_print"
    stored = services.documents.documents(services.intake.list_day(by=MACHINE)[0].acceptance_no)
    receipt = services.documents.document(next(d.id for d in stored if d.kind.value == "receipt"))
    assert preview.copies[0].data == receipt.pdf  # the preview shows the stored bytes, not a re-rendering

    with qtbot.waitSignal(preview.finished, timeout=30_000):
        keyboard.enter()
    files = printed_files(services)
    assert len(files) == 2
    printed_receipt = next(f for f in files if "receipt" in f.name).read_bytes()
    # The job is the stored page rasterized at the printer's resolution: at least 300 dpi, A4, QR still readable.
    assert min(ppi_of_images(printed_receipt)) >= 300
    width, height = pdfkit.page_size_mm(printed_receipt)
    assert (round(width), round(height)) == (210, 297)
    assert pdfkit.qr_codes(printed_receipt) == [
        f"https://jd.example.gov.cn/q/{receipt.acceptance_no}?c={services.intake.load(receipt.acceptance_no).query_code}"
    ]
    with connect_store(services.db.path) as conn:
        handed = conn.execute("SELECT kind, handed_out FROM documents ORDER BY kind").fetchall()
        actions = [r[0] for r in conn.execute("SELECT action FROM audit_events WHERE action LIKE 'document.%'")]
    assert handed == [("form", 1), ("receipt", 1)]
    assert actions.count("document.printed") == 2
    assert f"已交付受理回执：{receipt.acceptance_no}" in messages.texts("info")
    # Back at the counter for the next applicant.
    qtbot.waitUntil(lambda: keyboard.focus_name() == "queue_ticket")


def test_esc_skips_and_a_later_print_from_the_list_is_an_audited_reprint(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any
) -> None:
    preview = take_accepted(qtbot, keyboard, window, "张𠮷")
    with qtbot.waitSignal(preview.finished, timeout=10_000):
        keyboard.press(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: keyboard.focus_name() == "queue_ticket")
    assert printed_files(services) == []
    number = services.intake.list_day(by=MACHINE)[0].acceptance_no

    # Nothing was handed out yet: printing from the list gives the original, no reason asked.
    keyboard.press(Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: window.pages["applications"].model.rows != [])
    with qtbot.waitSignal(window.desk.preview_opened, timeout=20_000) as opened:
        keyboard.press(Qt.Key.Key_P, CTRL)
    first = opened.args[0]
    assert not first.reason.isVisible() and not first.copies[0].reprint
    first.list.item(1).setCheckState(Qt.CheckState.Unchecked)  # the receipt only
    with qtbot.waitSignal(first.finished, timeout=30_000):
        keyboard.enter()
    assert len(printed_files(services)) == 1

    # The second time it is a 补打: the stamped copy is shown, and Enter needs a reason first.
    window.activateWindow()
    window.pages["applications"].table.setFocus()
    with qtbot.waitSignal(window.desk.preview_opened, timeout=20_000) as opened:
        window.pages["applications"].request_print()
    again = opened.args[0]
    assert again.reason.isVisible()
    receipt_copy = next(c for c in again.copies if c.document.kind.value == "receipt")
    assert receipt_copy.reprint and "补打" in pdfkit.flat(receipt_copy.data)
    assert "补打" not in pdfkit.flat(services.documents.document(receipt_copy.document.id).pdf)
    again.list.item(1).setCheckState(Qt.CheckState.Unchecked)
    again.print_button.click()
    assert again.message.text() == "补打须写明原因（至少 4 个字），如“申请人遗失回执”。"
    assert keyboard.focus_name() == "preview_reason"
    keyboard.type("申请人遗失回执")
    with qtbot.waitSignal(again.finished, timeout=30_000):
        keyboard.enter()
    assert len(printed_files(services)) == 2
    with connect_store(services.db.path) as conn:
        reprints = conn.execute("SELECT details FROM audit_events WHERE action = 'document.reprinted'").fetchall()
    assert len(reprints) == 1
    details = json.loads(reprints[0][0])
    assert details["reason"] == "申请人遗失回执" and details["acceptance_no"] == number and details["copy"] == 2


def test_save_as_pdf_writes_the_stored_bytes(
    qtbot: Any, keyboard: Keyboard, window: Any, services: Any, tmp_path: Path
) -> None:
    preview = take_accepted(qtbot, keyboard, window)
    target = tmp_path / "saved" / "receipt.pdf"
    target.parent.mkdir()
    with qtbot.waitSignal(preview.handed_out, timeout=10_000):
        preview.save_current(target)
    assert target.read_bytes() == preview.copies[0].data
    assert "已另存为" in preview.message.text()
    assert "已交付" in preview.list.item(0).text()


def test_printer_problems_say_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A machine without a print system (no CUPS answers): no default printer, and the way out is named.  The states
    # of a real print system's queues (stopped, deleted, rejecting jobs) are in test_printing_cups.py.
    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cups.sock"))
    with pytest.raises(PrinterError) as none:
        on_new_thread(lambda: printing.resolve("", data_dir=tmp_path, demo=False))
    assert "本机没有设置默认打印机" in none.value.message.render() and "另存为 PDF" in none.value.message.render()
    with pytest.raises(PrinterError) as unknown:
        on_new_thread(lambda: printing.resolve("前台热敏", data_dir=tmp_path, demo=False))
    assert "找不到打印机“前台热敏”（本机的打印机：无）" in unknown.value.message.render()
    with pytest.raises(PrinterError):
        printing.resolve("file:printed", data_dir=tmp_path, demo=False)
    with pytest.raises(PrinterError) as garbage:
        printing.print_pdf(b"not a pdf", printing.PrintTarget(folder=tmp_path), job_name="x")
    assert "文书文件无法读取" in garbage.value.message.render()


@pytest.mark.parametrize("mode", ["production"])
def test_a_printer_failure_keeps_the_decision_and_the_document(
    qtbot: Any,
    keyboard: Keyboard,
    services_factory: Any,
    tmp_path: Path,
    runner: Any,
    bridge: Any,
    show: Any,
    user_factory: Any,
    messages: MessageRecorder,
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.context import UiContext
    from ui.main_window import MainWindow

    monkeypatch.setenv("CUPS_SERVER", str(tmp_path / "no-cups.sock"))  # a machine without a print system
    services = services_factory(config=write_deployment(tmp_path, mode=mode), data_dir=tmp_path / "prod")
    window = MainWindow(UiContext(services, runner, bridge, user_factory(services)))
    show(window)
    qtbot.waitUntil(lambda: runner.idle)
    window.show_tab(0)
    preview = take_accepted(qtbot, keyboard, window)
    keyboard.enter()  # no printer on this machine
    qtbot.waitUntil(lambda: "本机没有设置默认打印机" in preview.message.text())
    assert preview.isVisible()  # still there: Save as PDF, or fix the printer and press Enter again
    number = services.intake.list_day(by=MACHINE)[0].acceptance_no
    assert services.intake.load(number).state == "accepted"
    assert len(services.documents.documents(number)) == 2
    assert all(d.handed_out == 0 for d in services.documents.documents(number))
    assert any("本机没有设置默认打印机" in t for t in messages.texts("error"))
