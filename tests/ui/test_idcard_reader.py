"""The ID-card reader at the counter: the simulator fills the applicant (or the party holding the cursor) off the UI
thread, the values are marked and a hand edit shows; an expired card warns; a refused reader only says so in the
status bar; the wedge types into the focused field; a reader whose bridge process dies is started again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.idcard.marks import CardMarks
from app.idcard.model import CardData, CardType, Sex
from app.idcard.sdk import InBridge, SdkReader
from app.idcard.text import encode_text
from tests.app.idcard.conftest import ensure_bridges
from tests.conftest import write_deployment
from tests.ui.ui_testkit import Keyboard, MessageRecorder, choose_item, valid_id

NUMBER = valid_id("31010419850615002")
FAKE_SDK = "the fake vendor library"
CARD = CardData(
    card_type=CardType.RESIDENT,
    name="阿依古丽·买买提",
    sex=Sex.FEMALE,
    ethnicity="维吾尔",
    birth_date=dt.date(1985, 6, 15),
    address="上海市徐汇区武康路100弄3号",
    id_number=NUMBER,
    authority="上海市公安局徐汇分局",
    valid_from=dt.date(2016, 3, 1),
    valid_to=None,
)


@pytest.fixture
def reader_config(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", 'driver = "simulator"\npoll_ms = 100\n')


@pytest.fixture
def services(services_factory: Any, tmp_path: Path, reader_config: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    if reader_config == FAKE_SDK:
        # A termb library that writes into its working directory: the bridge loads it.
        ensure_bridges()
        library = tmp_path / "libtermb.so"
        source = Path(__file__).resolve().parents[1] / "app" / "idcard" / "fake_reader.c"
        command = ["cc", "-shared", "-fPIC", "-DNO_READ_CONTENT_PATH", "-o", str(library), str(source)]
        subprocess.run(command, check=True)
        digest = hashlib.sha256(library.read_bytes()).hexdigest()
        reader_config = f'driver = "sdk"\nlibrary = "libtermb.so"\nlibrary_sha256 = "{digest}"\npoll_ms = 100\n'
        (tmp_path / "field").mkdir()
        monkeypatch.setenv("YIMEN_FAKE_READER", str(tmp_path / "field"))
    path = write_deployment(tmp_path, mode="demo")
    path.write_text(path.read_text(encoding="utf-8") + "\n[idcard]\n" + reader_config, encoding="utf-8")
    return services_factory(config=path)


@pytest.fixture(autouse=True)
def _stop_the_reader(messages: MessageRecorder, window: Any) -> Any:
    """The recorder listens before the window (and its reader's thread) starts; the thread ends with the test."""
    yield
    window.pages["intake"].card_reader.stop()


def test_a_placed_card_fills_the_applicant_and_a_hand_edit_shows(
    qtbot: Any, keyboard: Keyboard, messages: MessageRecorder, window: Any
) -> None:
    intake = window.pages["intake"]
    link = intake.card_reader
    qtbot.waitUntil(lambda: link.reader is not None)
    choose_item(keyboard, "临时救助")
    assert keyboard.focus_name() == "applicant.name"
    with qtbot.waitSignal(link.filled, timeout=5000):
        link.reader.place(CARD)
    identity = intake.applicant.identity
    assert identity.name_edit.text() == CARD.name and identity.id_edit.text() == NUMBER
    assert identity.check is not None and identity.check.valid  # the usual ID check ran
    label = identity.card_label
    assert label is not None and "已从居民身份证读入" in label.text()
    assert identity.name_edit.property("card") == "read"
    assert "已读入居民身份证。" in messages.texts("status")
    # The card stays on the reader: it is not read again.
    qtbot.wait(400)
    assert messages.texts("status").count("已读入居民身份证。") == 1
    # A hand edit of the name shows at once and goes into the draft's marks.
    identity.name_edit.setFocus()
    keyboard.press(Qt.Key.Key_End)
    keyboard.press(Qt.Key.Key_Backspace)
    assert identity.name_edit.property("card") == "edited"
    assert "读卡后手工修改：姓名" in label.text()
    party = intake.build_draft().parties[0]
    assert party.card == CardMarks("居民身份证", ("name", "id_number"), ("name",), False)
    # The card leaves and comes again: read again.
    link.reader.remove()
    qtbot.wait(300)
    with qtbot.waitSignal(link.filled, timeout=5000):
        link.reader.place(CARD)
    assert identity.name_edit.text() == CARD.name and identity.name_edit.property("card") == "read"


def test_an_expired_card_warns_and_still_fills(
    qtbot: Any, keyboard: Keyboard, messages: MessageRecorder, window: Any
) -> None:
    intake = window.pages["intake"]
    link = intake.card_reader
    qtbot.waitUntil(lambda: link.reader is not None)
    expired = dataclasses.replace(CARD, valid_to=dt.date(2020, 1, 1))
    with qtbot.waitSignal(link.filled, timeout=5000):
        link.reader.place(expired)
    assert intake.applicant.identity.id_edit.text() == NUMBER
    assert any("该证件已过有效期（有效期至 2020-01-01）" in t for t in messages.texts("warning"))
    assert intake.applicant.identity.card_fill is not None and intake.applicant.identity.card_fill.expired


def test_a_card_fills_the_party_holding_the_cursor(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    intake = window.pages["intake"]
    link = intake.card_reader
    qtbot.waitUntil(lambda: link.reader is not None)
    choose_item(keyboard, "低保")
    table = next(c for c in intake.others if c.objectName() == "party.household_member")
    keyboard.tab_to("household_member.add")
    keyboard.press(Qt.Key.Key_Space)  # 添加成员: the cursor goes into the new row's name
    assert keyboard.focus_name() == "household_member.0.name"
    with qtbot.waitSignal(link.filled, timeout=5000):
        link.reader.place(CARD)
    member = table.rows[0].identity
    assert member.name_edit.text() == CARD.name and member.id_edit.text() == NUMBER
    assert member.name_edit.property("card") == "read"
    assert intake.applicant.identity.name_edit.text() == ""  # the applicant stays as it was
    party, _row = table.party_inputs()[0]
    assert party.card is not None and party.card.read == ("name", "id_number")


def test_a_card_read_while_the_form_is_hidden_fills_nothing(
    qtbot: Any, keyboard: Keyboard, messages: MessageRecorder, window: Any
) -> None:
    intake = window.pages["intake"]
    link = intake.card_reader
    qtbot.waitUntil(lambda: link.reader is not None)
    window.show_tab(1)  # the list
    link.reader.place(CARD)
    qtbot.waitUntil(lambda: any("读卡时受理页未打开" in t for t in messages.texts("status")), timeout=5000)
    assert intake.applicant.identity.name_edit.text() == ""
    assert intake.applicant.identity.card_fill is None


@pytest.mark.parametrize("reader_config", ['driver = "wedge"\n'], indirect=True)
def test_a_wedge_reader_types_into_the_focused_id_field(qtbot: Any, keyboard: Keyboard, window: Any) -> None:
    intake = window.pages["intake"]
    assert intake.card_reader.poller is None  # nothing to poll
    choose_item(keyboard, "临时救助")
    keyboard.type(CARD.name)
    keyboard.enter()
    assert keyboard.focus_name() == "applicant.id_number"
    keyboard.type(NUMBER)  # what the reader types, then its Enter
    keyboard.enter()
    identity = intake.applicant.identity
    assert identity.check is not None and identity.check.valid
    assert identity.id_message.text()  # the usual check's description of the number
    assert keyboard.focus_name() == "applicant.phone"


@pytest.mark.parametrize(
    "reader_config",
    [f'driver = "sdk"\nlibrary = "yimen-310104003-003.toml"\nlibrary_sha256 = "{"0" * 64}"\n'],
    indirect=True,
)
def test_a_refused_reader_says_so_in_the_status_bar_and_entry_goes_on(
    qtbot: Any, keyboard: Keyboard, messages: MessageRecorder, window: Any
) -> None:
    qtbot.waitUntil(lambda: any("校验值与部署文件中登记的不符" in t for t in messages.texts("status")), timeout=5000)
    assert not messages.texts("error")  # no dialog took the focus
    choose_item(keyboard, "临时救助")
    keyboard.type(CARD.name)
    assert window.pages["intake"].applicant.identity.name_edit.text() == CARD.name


def _bridged(reader: object) -> bool:
    return isinstance(reader, SdkReader) and isinstance(reader.host, InBridge)


@pytest.mark.parametrize("reader_config", [FAKE_SDK], indirect=True)
def test_a_reader_whose_bridge_dies_is_started_again(
    qtbot: Any, keyboard: Keyboard, messages: MessageRecorder, window: Any, tmp_path: Path
) -> None:
    intake = window.pages["intake"]
    link = intake.card_reader
    qtbot.waitUntil(lambda: _bridged(link.reader), timeout=10_000)
    first = link.reader
    process = first.host.bridge.process
    assert process is not None
    process.kill()  # the vendor library crashed its process
    qtbot.waitUntil(lambda: any("读卡辅助程序意外退出" in t for t in messages.texts("status")), timeout=10_000)
    qtbot.waitUntil(lambda: _bridged(link.reader) and link.reader is not first, timeout=15_000)
    qtbot.waitUntil(lambda: "身份证读卡器已连接，可以放证读卡。" in messages.texts("status"), timeout=5000)
    with qtbot.waitSignal(link.filled, timeout=10_000):
        (tmp_path / "field" / "card.bin").write_bytes(encode_text(CARD))
    assert intake.applicant.identity.id_edit.text() == NUMBER
