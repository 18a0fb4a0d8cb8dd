"""The scanner's watched folder (``[materials] watch_folder``): real files in a real folder, the real counter window
offscreen.  A file written in two steps is offered only once it has stopped changing; Ctrl+Shift+S attaches the
scans to the line that last had the cursor (its thumbnail shows) and deletes them from the folder; a text file
named .jpg is refused at the line and stays; scans already there at start are offered oldest first; a missing
folder is said once and the counter works on.

The settle logic is driven by a clock the test moves by hand (``ScanFolder.clock``) and explicit ``poll()`` calls,
so nothing depends on how fast the machine is; the window's own timers keep polling with the same clock, which
changes nothing."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, Qt

from tests.conftest import write_deployment
from tests.ui.ui_testkit import Keyboard, applicant, choose_item, valid_id, wait_attached, wait_materials
from ui.intake.scan_folder import ScanFolder, ignored

OWED_CATALOG = Path(__file__).parent.parent / "app" / "data" / "catalog-owed"
APPLICANT_ID = valid_id("31010419850615002")
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


class HandClock:
    """Monotonic seconds the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def jpeg_bytes(path: Path, width: int = 900, height: int = 600) -> bytes:
    image = Image.new("RGB", (width, height), "white")
    image.paste((20, 20, 160), (0, 0, width // 2, height))
    image.save(path, "JPEG", quality=90)
    data = path.read_bytes()
    path.unlink()
    return data


@pytest.fixture
def folder_exists() -> bool:
    return True


@pytest.fixture
def scan_dir(tmp_path: Path, folder_exists: bool) -> Path:
    folder = tmp_path / "扫描件"
    if folder_exists:
        folder.mkdir()
    return folder


@pytest.fixture
def services(services_factory: Any, tmp_path: Path, scan_dir: Path) -> Any:
    config = write_deployment(tmp_path)
    text = config.read_text(encoding="utf-8") + f'\n[materials]\nwatch_folder = "{scan_dir.as_posix()}"\n'
    config.write_text(text, encoding="utf-8")
    return services_factory(config=config, catalog_dir=OWED_CATALOG)


def start_case(qtbot: Any, keyboard: Keyboard, window: Any) -> dict[str, Any]:
    choose_item(keyboard, "测试事项")
    applicant(keyboard, "张三", APPLICANT_ID)
    keyboard.tab_to("urgency")
    keyboard.type("2")  # 一般
    return {row.line.key: row for row in wait_materials(qtbot, window, 5)}


def settle(scans: ScanFolder, clock: HandClock) -> None:
    """Two looks at the folder more than the settle time apart: whatever stopped changing arrives."""
    scans.poll()
    clock.now += scans.settle + 0.1
    scans.poll()


# ---------------------------------------------------------------------------------------------- the counter window


def test_a_scan_written_in_two_steps_is_offered_once_whole_and_ctrl_shift_s_attaches_and_deletes_it(
    qtbot: Any, keyboard: Keyboard, messages: Any, services: Any, window: Any, scan_dir: Path, tmp_path: Path
) -> None:
    intake = window.pages["intake"]
    scans, panel = intake.scans, intake.materials
    assert isinstance(scans, ScanFolder) and not panel.scan_bar.isVisible()
    clock = HandClock()
    scans.clock = clock
    rows = start_case(qtbot, keyboard, window)

    # The scanner writes the first half, then (0.6 s later) the rest.
    data = jpeg_bytes(tmp_path / "whole.jpg")
    scan = scan_dir / "scan_0012.jpg"
    scan.write_bytes(data[: len(data) // 2])
    scans.poll()
    clock.now += 0.6
    with scan.open("ab") as handle:
        handle.write(data[len(data) // 2 :])
    scans.poll()
    clock.now += 0.6  # 1.2 s since it was first seen, 0.6 s since it last grew: not yet
    scans.poll()
    assert scans.scans == [] and not panel.scan_bar.isVisible()
    clock.now += 0.5
    scans.poll()
    assert [(s.name, s.size) for s in scans.scans] == [("scan_0012.jpg", len(data))]
    assert panel.scan_bar.isVisible() and panel.scan_button.isVisible()
    assert panel.scan_text.text() == "新扫描件 1 个：scan_0012.jpg — 按 Ctrl+Shift+S 附加到当前材料"

    # No line chosen yet (the cursor is in the item's fields): the clerk is told, the scan waits.
    keyboard.press(Qt.Key.Key_S, CTRL_SHIFT)
    assert panel.message.text() == "请先选中一条材料，再附加扫描件。"
    assert scan.exists() and len(scans.scans) == 1

    # The income proof's line had the cursor last (the clerk has clicked into the queue ticket since): the scan
    # goes there.
    income = rows["income_proof"]
    keyboard.tab_to(income.status.objectName())
    qtbot.mouseClick(intake.queue_ticket, Qt.MouseButton.LeftButton)
    assert keyboard.focus_name() == "queue_ticket"
    keyboard.press(Qt.Key.Key_S, CTRL_SHIFT)
    wait_attached(qtbot, income.files)
    assert income.files is not None and len(income.files.thumbs) == 1 and income.files.thumbs[0].isVisible()
    picture = income.files.thumbs[0].icon().pixmap(44, 44).toImage()
    middle = picture.height() // 2
    assert picture.pixelColor(5, middle).blue() > 120  # the scan itself, not a blank icon
    assert not scan.exists()  # an ID card's scan does not stay on the disk in clear
    assert scans.scans == [] and not panel.scan_bar.isVisible()
    assert keyboard.focus_name() == income.status.objectName()
    assert panel.message.text() == "" and messages.texts("status")[-1] == "已将 1 个扫描件附加到当前材料。"

    # A text file named .jpg: refused at the line in Chinese, left in the folder, no longer offered.
    fake = scan_dir / "scan_0013.jpg"
    fake.write_text("不是图片", encoding="utf-8")
    settle(scans, clock)
    assert panel.scan_text.text() == "新扫描件 1 个：scan_0013.jpg — 按 Ctrl+Shift+S 附加到当前材料"
    keyboard.press(Qt.Key.Key_S, CTRL_SHIFT)
    wait_attached(qtbot, income.files)
    assert "scan_0013.jpg" in income.message.text() and "只能附加 JPEG、PNG 图片或 PDF 文件" in income.message.text()
    assert fake.exists() and len(income.files.files) == 1
    settle(scans, clock)
    assert scans.scans == [] and not panel.scan_bar.isVisible()
    keyboard.press(Qt.Key.Key_S, CTRL_SHIFT)  # nothing waiting: said, nothing else happens
    assert panel.message.text() == "扫描文件夹中没有新扫描件：请先扫描，稍候片刻再附加。"
    assert fake.exists() and len(income.files.files) == 1


def test_scans_already_there_at_start_are_offered_oldest_first_and_go_by_the_button(
    qtbot: Any, keyboard: Keyboard, scan_dir: Path, tmp_path: Path, make_window: Any, clerk: Any
) -> None:
    data = jpeg_bytes(tmp_path / "whole.jpg")
    for name, age in (("b_newer.jpg", 60), ("a_older.jpg", 600)):
        (scan_dir / name).write_bytes(data)
        moment = os.stat(scan_dir / name).st_mtime - age
        os.utime(scan_dir / name, (moment, moment))
    (scan_dir / "~b_newer.jpg").write_bytes(data)  # the scanner's temporary copy: never offered
    (scan_dir / "sub").mkdir()
    window = make_window(clerk)
    scans, panel = window.pages["intake"].scans, window.pages["intake"].materials
    # The window's own watcher and timers (the real clock): both settle about a second after start.
    qtbot.waitUntil(lambda: len(scans.scans) == 2, timeout=10_000)
    assert [s.name for s in scans.scans] == ["a_older.jpg", "b_newer.jpg"]
    assert panel.scan_text.text() == "新扫描件 2 个：a_older.jpg 等 — 按 Ctrl+Shift+S 附加到当前材料"

    rows = start_case(qtbot, keyboard, window)
    photos = rows["photos"]
    keyboard.tab_to(photos.status.objectName())
    qtbot.mouseClick(panel.scan_button, Qt.MouseButton.LeftButton)
    wait_attached(qtbot, photos.files)
    assert photos.files is not None and len(photos.files.files) == 1  # the same picture twice is kept once
    assert sorted(p.name for p in scan_dir.iterdir()) == ["sub", "~b_newer.jpg"]
    assert not panel.scan_bar.isVisible()


@pytest.mark.allow_warning_logs  # "an attached scan could not be deleted": the fault this test causes
def test_a_scan_kept_but_not_deleted_is_said_at_the_line_it_went_to(
    qtbot: Any, keyboard: Keyboard, window: Any, scan_dir: Path, tmp_path: Path
) -> None:
    """The store kept the scan, but the folder would not let it go (here a folder now stands at its name, which no
    unlink removes): the line the scan went to says to delete it by hand, not the line the cursor moved to."""
    scans = window.pages["intake"].scans
    clock = HandClock()
    scans.clock = clock
    rows = start_case(qtbot, keyboard, window)
    scan = scan_dir / "scan_0020.jpg"
    scan.write_bytes(jpeg_bytes(tmp_path / "whole.jpg"))
    settle(scans, clock)
    income, photos = rows["income_proof"], rows["photos"]
    keyboard.tab_to(income.status.objectName())
    qtbot.waitUntil(lambda: window.context.runner.idle)
    read = threading.Event()
    keyboard.press(Qt.Key.Key_S, CTRL_SHIFT)
    window.context.runner.run_db(read.set, name="test.after_attach")  # the worker is done with the scan after this
    assert read.wait(20)
    scan.unlink()
    scan.mkdir()
    (scan / "keep").write_bytes(b"x")
    keyboard.tab_to(photos.status.objectName())  # the clerk is on another line by now
    wait_attached(qtbot, income.files)
    assert len(income.files.files) == 1
    said = "扫描件 scan_0020.jpg 已附加，但无法从扫描文件夹删除：其中有个人信息，请立即手动删除。"
    assert income.message.text() == said and photos.message.text() == ""


@pytest.mark.parametrize("folder_exists", [False])
def test_a_missing_folder_is_said_once_and_the_counter_works_on(
    qtbot: Any, keyboard: Keyboard, messages: Any, scan_dir: Path, window: Any
) -> None:
    said = f"扫描文件夹 {scan_dir} 不存在或无法读取：请 IT 检查部署文件中的 [materials] watch_folder。"
    intake = window.pages["intake"]
    panel = intake.materials
    assert panel.scan_bar.isVisible() and panel.scan_text.text() == said
    assert not panel.scan_button.isVisible()
    assert messages.texts("status") == [said]
    intake.scans.poll()  # looked at again: not said again
    assert messages.texts("status") == [said]

    rows = start_case(qtbot, keyboard, window)
    keyboard.tab_to(rows["photos"].status.objectName())
    keyboard.press(Qt.Key.Key_S, CTRL_SHIFT)
    assert panel.message.text() == said
    keyboard.type("1")  # the checklist still takes its ticks
    assert rows["photos"].tick() is not None and rows["photos"].tick().status.present

    # IT makes the folder: the next look finds it and the message goes.
    scan_dir.mkdir()
    intake.scans.poll()
    assert intake.scans.problem == "" and not panel.scan_bar.isVisible()


# ---------------------------------------------------------------------------------------------- the settle logic


def test_a_file_arrives_only_after_it_stopped_changing_for_the_settle_time(qapp: Any, tmp_path: Path) -> None:
    clock = HandClock()
    scans = ScanFolder(tmp_path, clock=clock)
    changes: list[int] = []
    scans.changed.connect(lambda: changes.append(len(scans.scans)))
    part = tmp_path / "scan.pdf"
    part.write_bytes(b"%PDF-1.7\n")
    scans.start()
    clock.now += 0.9
    with part.open("ab") as handle:
        handle.write(b"1 0 obj\n" * 100)  # grew
    scans.poll()
    clock.now += 0.9  # 1.8 s since first seen, 0.9 s since it grew
    scans.poll()
    assert scans.scans == [] and changes == []
    clock.now += 0.2
    scans.poll()
    assert [(s.name, s.size) for s in scans.scans] == [("scan.pdf", part.stat().st_size)]
    assert changes == [1]
    scans.poll()
    assert changes == [1]  # nothing new: no signal

    # Written again after it arrived (a rescan to the same name): it leaves the offer and settles again.
    part.write_bytes(b"%PDF-1.7\n" * 3)
    scans.poll()
    assert scans.scans == [] and changes == [1, 0]
    clock.now += 1.1
    scans.poll()
    assert [s.size for s in scans.scans] == [27]
    scans.stop()


def test_hidden_temporary_empty_files_and_subfolders_are_never_offered(qapp: Any, tmp_path: Path) -> None:
    clock = HandClock()
    scans = ScanFolder(tmp_path, clock=clock)
    for name in (".scan.jpg", "~scan.jpg", "scan.jpg.tmp", "SCAN.TMP", "scan.part", "Thumbs.db", "desktop.ini"):
        (tmp_path / name).write_bytes(b"data")
    (tmp_path / "empty.jpg").write_bytes(b"")  # a scanner's file before its first write
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.jpg").write_bytes(b"data")
    (tmp_path / "real.png").write_bytes(b"data")
    settle(scans, clock)
    settle(scans, clock)
    assert [s.name for s in scans.scans] == ["real.png"]
    assert ignored("~$doc.pdf") and not ignored("扫描件 001.jpg")
    scans.stop()


@pytest.mark.allow_warning_logs  # the warnings these faults log
def test_set_aside_take_and_a_vanished_file(qapp: Any, tmp_path: Path) -> None:
    clock = HandClock()
    scans = ScanFolder(tmp_path, clock=clock)
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        (tmp_path / name).write_bytes(b"bytes of " + name.encode())
    settle(scans, clock)
    a, b, _c = scans.scans
    # Refused by the store: stays in the folder, not offered again while unchanged.
    scans.set_aside(a)
    settle(scans, clock)
    assert [s.name for s in scans.scans] == ["b.jpg", "c.jpg"] and (tmp_path / "a.jpg").exists()
    # Scanned again to the same name: offered again.
    (tmp_path / "a.jpg").write_bytes(b"a better scan")
    settle(scans, clock)
    assert [s.name for s in scans.scans] == ["b.jpg", "c.jpg", "a.jpg"]  # oldest first: a is the newest now
    # Taken: deleted from the folder.
    assert scans.take(b) and not (tmp_path / "b.jpg").exists()
    # Deleted by someone else before it was attached: forgotten at the next look.
    (tmp_path / "c.jpg").unlink()
    scans.poll()
    assert [s.name for s in scans.scans] == ["a.jpg"]
    # A scan that cannot be deleted (a folder now stands at its name): said by False, not offered again.
    a_now = scans.scans[0]
    (tmp_path / "a.jpg").unlink()
    (tmp_path / "a.jpg").mkdir()
    assert not scans.take(a_now) and scans.scans == []
    scans.stop()


@pytest.mark.allow_warning_logs  # the warnings these faults log
def test_a_missing_folder_is_a_problem_until_it_appears(qapp: Any, tmp_path: Path) -> None:
    clock = HandClock()
    folder = tmp_path / "scanner"
    scans = ScanFolder(folder, clock=clock)
    problems: list[str] = []
    scans.problem_changed.connect(problems.append)
    scans.start()
    scans.poll()
    assert scans.problem.startswith(f"扫描文件夹 {folder} 不存在或无法读取") and len(problems) == 1
    folder.mkdir()
    (folder / "late.jpg").write_bytes(b"scan")
    settle(scans, clock)
    assert problems[1:] == [""] and [s.name for s in scans.scans] == ["late.jpg"]
    QCoreApplication.processEvents()
    scans.stop()
