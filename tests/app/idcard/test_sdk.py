"""The SDK driver against a fake vendor library built from C and loaded with real ctypes or by the real bridge:
both shapes, the card leaving the field between reads, the pinned hash, and which libraries go to the bridge (the
bridge itself, and 32-bit libraries: test_bridge.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import struct
from pathlib import Path

import pytest

from app.idcard import library
from app.idcard.model import CardType, IdCardError, Sex
from app.idcard.sdk import InBridge, InProcess, needs_bridge, open_sdk_reader, sdk_reader
from tests.app.idcard.conftest import RESIDENT, Field, settings_for

FOREIGNER = dataclasses.replace(
    RESIDENT,
    card_type=CardType.FOREIGN_PERMANENT,
    name="玛丽",
    english_name="MARTIN, MARIE",
    nationality="FRA",
    sex=Sex.FEMALE,
    ethnicity="",
    address="",
    id_number="FRA310085061502",
    authority="3100",
)


def test_termb_reads_a_card_once_until_it_leaves_the_field(libraries: dict[str, Path], field: Field) -> None:
    reader = open_sdk_reader(settings_for(libraries["sdk"]))
    assert isinstance(reader.host, InProcess)  # same bitness, Read_Content_Path: in this process
    reader.open()
    folder = reader.folder
    try:
        assert reader.poll() is None  # an empty field
        field.place(RESIDENT, photo=b"BM-photo")
        card = reader.poll()
        assert card == dataclasses.replace(RESIDENT, photo=b"BM-photo")
        assert reader.poll() is None and reader.poll() is None  # still there: not read again
        assert field.calls().count("read") == 1
        field.remove()
        assert reader.poll() is None
        field.place(RESIDENT)
        again = reader.poll()
        assert again is not None and again.photo is None
        assert field.calls().count("read") == 2
        # The SDK's files held the card: they were read and deleted at once.
        assert list(folder.iterdir()) == []
    finally:
        reader.close()
    assert not folder.exists()


def test_sdt_reads_the_text_block_and_decodes_the_photo_with_wltrs(libraries: dict[str, Path], field: Field) -> None:
    wltrs = libraries["wltrs"]
    settings = settings_for(libraries["sdk"], "sdt", photo_library=wltrs, photo_library_sha256=library.sha256_of(wltrs))
    reader = open_sdk_reader(settings)
    reader.open()
    try:
        field.place(FOREIGNER, wlt=b"\x01WLT" * 10)
        card = reader.poll()
        assert card is not None
        assert card.card_type is CardType.FOREIGN_PERMANENT
        assert (card.name, card.english_name, card.id_number) == ("玛丽", "MARTIN, MARIE", "FRA310085061502")
        assert card.photo == b"BM" + b"\x01WLT" * 10
        assert reader.poll() is None  # the card must leave before the next read
        field.remove()
        assert reader.poll() is None
        field.place(RESIDENT)
        assert reader.poll() == RESIDENT  # no photo in the field: none decoded
    finally:
        reader.close()


#: What a termb SDK's getters answer for a 居民身份证 (the fake library returns each as a freshly allocated string).
GETTERS = {
    "name": "张𠮷",
    "sex": "男",
    "nation": "汉",
    "birth": "19800101",
    "address": "上海市黄浦区人民大道200号",
    "id": "310101198001010018",
    "authority": "上海市公安局黄浦分局",
    "from": "20200101",
    "to": "长期",
}


def test_termb_getters_where_the_sdk_writes_no_text_file(libraries: dict[str, Path], field: Field) -> None:
    reader = open_sdk_reader(settings_for(libraries["termb_getters"]))
    reader.open()
    try:
        field.place_getters(GETTERS)
        card = reader.poll()
        assert card is not None
        assert (card.name, card.sex, card.ethnicity, card.id_number) == ("张𠮷", Sex.MALE, "汉", "310101198001010018")
        assert card.birth_date == dt.date(1980, 1, 1)
        assert card.valid_to is None and not card.expired(dt.date(2099, 1, 1))
    finally:
        reader.close()


def test_a_library_whose_hash_is_not_the_pinned_one_is_never_loaded(libraries: dict[str, Path], field: Field) -> None:
    lib = libraries["sdk"]
    settings = dataclasses.replace(settings_for(lib), library_sha256="0" * 64)
    with pytest.raises(IdCardError, match="校验值与部署文件中登记的不符") as refused:
        open_sdk_reader(settings)
    assert "idcard.library_sha256" in refused.value.message.render()
    assert "loaded" not in field.calls()  # its constructor never ran
    # A changed file is refused the same way before the bridge is asked to load it.
    pinned = settings_for(lib)
    lib.write_bytes(lib.read_bytes() + b"\0")
    reader = sdk_reader(pinned, InBridge(library.PROCESS_BITS))
    with pytest.raises(IdCardError, match="校验值"):
        reader.open()
    reader.close()
    assert "loaded" not in field.calls()


def test_an_absent_reader_is_a_clear_message(libraries: dict[str, Path], field: Field) -> None:
    for shape in ("termb", "sdt"):
        reader = open_sdk_reader(settings_for(libraries["sdk"], shape, port=1002))
        with pytest.raises(IdCardError, match="读卡器未连接或端口 1002 无法打开"):
            reader.open()
        reader.close()


@pytest.mark.parametrize("shape", ["termb", "sdt"])
def test_the_bridge_reads_both_shapes(libraries: dict[str, Path], field: Field, shape: str) -> None:
    reader = open_sdk_reader(settings_for(libraries["sdk"], shape), force_bridge=True)
    assert isinstance(reader.host, InBridge)
    reader.open()
    try:
        assert reader.poll() is None
        field.place(RESIDENT, photo=b"BM-photo")
        card = reader.poll()
        assert card is not None and card.name == RESIDENT.name and card.valid_to == RESIDENT.valid_to
        assert card.photo == (b"BM-photo" if shape == "termb" else None)
        assert reader.poll() is None
        field.remove()
        reader.poll()
        field.place(RESIDENT)
        assert reader.poll() is not None
        process = reader.host.bridge.process
        assert process is not None and process.poll() is None
    finally:
        reader.close()
    assert process.wait(timeout=10) == 0  # its stdin closed: it ended by itself


def test_a_termb_library_writing_into_its_working_directory_goes_to_the_bridge(
    libraries: dict[str, Path], field: Field, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = settings_for(libraries["termb_cwd"])
    assert needs_bridge(settings)
    reader = open_sdk_reader(settings)
    assert isinstance(reader.host, InBridge) and reader.host.bridge.bits == library.PROCESS_BITS
    reader.open()
    try:
        field.place(RESIDENT, photo=b"BM-photo")
        card = reader.poll()
        assert card is not None and card.id_number == RESIDENT.id_number and card.photo == b"BM-photo"
    finally:
        reader.close()
    assert not (tmp_path / "wz.txt").exists()  # never in this program's working directory


def _elf(bits: int) -> bytes:
    return b"\x7fELF" + bytes([1 if bits == 32 else 2]) + b"\x01\x01" + bytes(57)


def _pe(magic: int) -> bytes:
    head = bytearray(0x200)
    head[:2] = b"MZ"
    struct.pack_into("<I", head, 0x3C, 0x80)
    head[0x80:0x84] = b"PE\x00\x00"
    struct.pack_into("<H", head, 0x80 + 24, magic)
    return bytes(head)


def test_the_bitness_is_read_from_the_header(libraries: dict[str, Path], tmp_path: Path) -> None:
    assert library.library_bits(libraries["sdk"]) == library.PROCESS_BITS  # the compiler's own output
    for name, head, bits in (
        ("a32.so", _elf(32), 32),
        ("a64.so", _elf(64), 64),
        ("termb.dll", _pe(0x10B), 32),
        ("termb64.dll", _pe(0x20B), 64),
    ):
        path = tmp_path / name
        path.write_bytes(head)
        assert library.library_bits(path) == bits
    text = tmp_path / "readme.txt"
    text.write_text("not a library")
    with pytest.raises(IdCardError, match="不是可加载的库文件"):
        library.library_bits(text)


def test_a_library_of_the_other_bitness_goes_to_the_bridge_of_its_bitness(
    libraries: dict[str, Path], tmp_path: Path
) -> None:
    other = tmp_path / "sdtapi.dll"
    other_bits = 32 if library.PROCESS_BITS == 64 else 64
    other.write_bytes(_pe(0x10B if other_bits == 32 else 0x20B))
    settings = settings_for(other, "sdt")
    assert needs_bridge(settings)
    host = open_sdk_reader(settings).host
    assert isinstance(host, InBridge) and host.bridge.bits == other_bits
