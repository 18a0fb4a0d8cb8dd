"""The bridge (app/idcard/bridge.c, app/idcard/bridge.py) for real: this 64-bit program reads cards through 32-bit
fake vendor libraries and the 32-bit bridge, built here with ``cc -m32``; the bridge answers malformed requests with
an error and reads on; a library that prints never corrupts the answers; a bridge killed or missing is one Chinese
sentence; the Windows pair compiles where MinGW-w64 is installed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import resources
from app.idcard import bridge, library
from app.idcard.bridge import Bridge, bridge_path
from app.idcard.library import Out, OutUint
from app.idcard.model import CardType, IdCardError, Sex
from app.idcard.sdk import InBridge, open_sdk_reader
from installer import build_bridge
from tests.app.idcard.conftest import RESIDENT, Field, needs_32_bit, settings_for
from tests.app.idcard.test_sdk import FOREIGNER, GETTERS

PHOTO = b"BM" + bytes(range(256)) * 4  # every byte value, through the hex of the answers


def _libraries(request: pytest.FixtureRequest, bits: int) -> dict[str, Path]:
    """The fake libraries of ``bits`` (the 32-bit ones are built only where they can be)."""
    found: dict[str, Path] = request.getfixturevalue("libraries32" if bits == 32 else "libraries")
    return found


@needs_32_bit
def test_the_64_bit_program_reads_a_termb_card_through_a_32_bit_library(
    libraries32: dict[str, Path], field: Field
) -> None:
    assert library.library_bits(libraries32["sdk"]) == 32 and library.PROCESS_BITS == 64
    reader = open_sdk_reader(settings_for(libraries32["sdk"]))
    assert isinstance(reader.host, InBridge) and reader.host.bridge.bits == 32
    reader.open()
    folder = reader.folder
    try:
        assert reader.poll() is None
        field.place(RESIDENT, photo=PHOTO)
        assert reader.poll() == dataclasses.replace(RESIDENT, photo=PHOTO)
        assert reader.poll() is None and reader.poll() is None  # still in the field: not read again
        assert field.calls().count("read") == 1
        field.remove()
        assert reader.poll() is None
        field.place(FOREIGNER)
        assert reader.poll() == FOREIGNER
        assert list(folder.iterdir()) == []  # wz.txt and zp.bmp were read and deleted at once
    finally:
        reader.close()
    assert not folder.exists()


@needs_32_bit
def test_a_32_bit_sdt_library_with_its_32_bit_wltrs_decodes_the_photo(
    libraries32: dict[str, Path], field: Field
) -> None:
    wltrs = libraries32["wltrs"]
    settings = settings_for(
        libraries32["sdk"], "sdt", photo_library=wltrs, photo_library_sha256=library.sha256_of(wltrs)
    )
    reader = open_sdk_reader(settings)
    assert isinstance(reader.host, InBridge) and reader.host.bridge.bits == 32
    reader.open()
    try:
        wlt = bytes(range(256)) * 4
        field.place(FOREIGNER, wlt=wlt)
        card = reader.poll()
        assert card is not None and card.card_type is CardType.FOREIGN_PERMANENT
        assert (card.name, card.english_name, card.id_number) == ("玛丽", "MARTIN, MARIE", "FRA310085061502")
        assert card.photo == b"BM" + wlt  # the 1024-byte output buffer, the length, GetBmp's file
        assert reader.poll() is None  # the card must leave before the next read
        field.remove()
        assert reader.poll() is None
        field.place(RESIDENT)
        assert reader.poll() == RESIDENT
        assert list(reader.folder.iterdir()) == []  # xp.wlt and xp.bmp are gone
    finally:
        reader.close()


@needs_32_bit
def test_a_32_bit_termb_library_read_through_its_getters_frees_each_string(
    libraries32: dict[str, Path], field: Field
) -> None:
    reader = open_sdk_reader(settings_for(libraries32["termb_getters"]))
    reader.open()
    try:
        values = GETTERS
        field.place_getters(values)
        card = reader.poll()
        assert card is not None and card.card_type is CardType.RESIDENT
        assert (card.name, card.sex, card.ethnicity, card.id_number) == ("张𠮷", Sex.MALE, "汉", "310101198001010018")
        assert card.address == values["address"] and card.birth_date == dt.date(1980, 1, 1) and card.valid_to is None
        field.remove()
        assert reader.poll() is None
        field.place_getters({**values, "fpr": "1", "name": "玛丽", "en_name": "MARTIN, MARIE", "nationality": "FRA"})
        card = reader.poll()
        assert card is not None and card.card_type is CardType.FOREIGN_PERMANENT
        assert (card.name, card.english_name, card.nationality) == ("玛丽", "MARTIN, MARIE", "FRA")
        # DeleteMBCSString is the fake's free(): a string freed twice or a bad pointer would have killed the bridge.
        process = reader.host.bridge.process  # type: ignore[attr-defined]
        assert process is not None and process.poll() is None
    finally:
        reader.close()


@needs_32_bit
def test_a_32_bit_termb_library_without_read_content_path_writes_into_the_bridges_folder(
    libraries32: dict[str, Path], field: Field, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    reader = open_sdk_reader(settings_for(libraries32["termb_cwd"]))
    reader.open()
    folder = reader.folder
    try:
        process = reader.host.bridge.process  # type: ignore[attr-defined]
        assert process is not None
        assert Path(os.readlink(f"/proc/{process.pid}/cwd")) == folder  # its working directory: the private folder
        assert folder.stat().st_mode & 0o077 == 0  # this account's only
        field.place(RESIDENT, photo=PHOTO)
        assert reader.poll() == dataclasses.replace(RESIDENT, photo=PHOTO)
        assert list(folder.iterdir()) == []
    finally:
        reader.close()
    assert not folder.exists()
    assert list(tmp_path.glob("*.txt")) == [] and list(tmp_path.glob("*.bmp")) == []


@pytest.mark.parametrize("bits", [pytest.param(32, marks=needs_32_bit), library.PROCESS_BITS])
def test_a_bridge_killed_mid_session_is_the_sentence_for_the_status_bar(
    request: pytest.FixtureRequest, field: Field, bits: int
) -> None:
    lib = _libraries(request, bits)["sdk"]
    reader = open_sdk_reader(settings_for(lib), force_bridge=True)
    reader.open()
    try:
        field.place(RESIDENT)
        assert reader.poll() is not None
        process = reader.host.bridge.process  # type: ignore[attr-defined]
        assert process is not None
        os.kill(process.pid, signal.SIGKILL)  # the vendor library crashed its process
        process.wait()
        for _ in range(3):  # every poll says so, until the poller opens the reader again
            with pytest.raises(IdCardError, match="读卡辅助程序意外退出") as gone:
                reader.poll()
        assert "重新插拔读卡器" in gone.value.message.render()
    finally:
        reader.close()  # CloseComm cannot reach it: the close goes on quietly
    assert process.returncode == -signal.SIGKILL


def test_a_missing_bridge_names_the_file_to_reinstall(libraries: dict[str, Path], field: Field, tmp_path: Path) -> None:
    empty = tmp_path / "no-bridges"
    empty.mkdir()
    reader = open_sdk_reader(settings_for(libraries["termb_cwd"]), bridges=empty)
    with pytest.raises(IdCardError) as missing:
        reader.open()
    text = missing.value.message.render()
    assert "找不到读卡辅助程序" in text and str(bridge_path(library.PROCESS_BITS, empty)) in text
    assert "重新安装本程序" in text and f"{library.PROCESS_BITS} 位" in text
    reader.close()
    # A file that is not the bridge (here: a script that answers nothing) is refused the same way, by its answer.
    fake = bridge_path(library.PROCESS_BITS, empty)
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    reader = open_sdk_reader(settings_for(libraries["termb_cwd"]), bridges=empty)
    with pytest.raises(IdCardError, match="无法运行读卡辅助程序"):
        reader.open()
    reader.close()


@pytest.fixture(params=[pytest.param(32, marks=needs_32_bit), library.PROCESS_BITS], ids=lambda b: f"{b}-bit")
def raw_bridge(request: pytest.FixtureRequest, bridges: Path, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A bridge process spoken to directly, line by line."""
    process = subprocess.Popen(
        [str(bridge_path(request.param, bridges))], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=tmp_path
    )
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()
    assert process.stdin is not None and process.stdout is not None
    process.stdin.close()
    process.stdout.close()


def _ask(process: subprocess.Popen[bytes], line: bytes) -> str:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(line + b"\n")
    process.stdin.flush()
    return process.stdout.readline().decode("ascii")


def test_malformed_requests_get_an_error_answer_and_the_bridge_reads_on(
    raw_bridge: subprocess.Popen[bytes], request: pytest.FixtureRequest
) -> None:
    bits = int(_ask(raw_bridge, b"hello").split()[3])
    lib = _libraries(request, bits)["sdk"]
    malformed = [
        b"",
        b"   ",
        b"nonsense",
        b"hello there",
        b"has 0 InitComm",  # nothing loaded yet
        b"call 0 InitComm int i:1001",
        b"load",
        b"load xyz",
        b"load 616",  # odd hex
        b"load 00",  # a NUL in the path
        b"load " + b"41" * 40000,  # a path too long
        b"load " + "/nonexistent/库.so".encode().hex().encode(),
        b"\x00\x01\x02 binary",
        "加载 中文".encode(),
        b"x" * 300_000,  # a line longer than any request
        b"quit now",
    ]
    for line in malformed:
        answer = _ask(raw_bridge, line)
        assert answer.startswith("err ") and answer.endswith("\n") and answer.isascii(), (line[:40], answer)
    assert _ask(raw_bridge, b"load " + os.fsencode(lib).hex().encode()) == "ok 0\n"
    loaded = [
        b"has 1 InitComm",  # no such handle
        b"has 0",
        b"has 0 " + b"N" * 300,
        b"call 0 InitComm",
        b"call 0 InitComm float",
        b"call 0 InitComm str:",
        b"call 0 InitComm int x:1",
        b"call 0 InitComm int i:",
        b"call 0 InitComm int i:12a",
        b"call 0 InitComm int i:99999999999999999999999",
        b"call 0 InitComm int o:0",
        b"call 0 InitComm int o:65537",
        b"call 0 InitComm int o:-1",
        b"call 0 InitComm int u:-1",
        b"call 0 InitComm int u:4294967296",
        b"call 0 InitComm int b:0",
        b"call 0 InitComm int b:zz",
        b"call 0 InitComm int b:" + b"00" * 65537,
        b"call 0 InitComm int " + b" ".join([b"i:1"] * 9),  # more than 8 arguments
        b"call 0 " + b" ".join([b"i:1"] * 20),
        b"call 0 NoSuchFunction int",
        b"call 0 GetName str:NoSuchFree",
        b"call -1 InitComm int i:1001",
    ]
    for line in loaded:
        answer = _ask(raw_bridge, line)
        assert answer.startswith("err ") and answer.isascii(), (line[:40], answer)
    assert _ask(raw_bridge, b"call 0 NoSuchFunction int") == "err missing NoSuchFunction\n"
    # And it still answers, and calls.
    assert _ask(raw_bridge, b"has 0 InitComm") == "ok 1\n"
    assert _ask(raw_bridge, b"has 0 Read_Content_Path") == "ok 1\n"
    assert _ask(raw_bridge, b"has 0 GetBmp") == "ok 0\n"
    assert _ask(raw_bridge, b"call 0 InitComm int i:1002") == "ok i:0\n"
    assert _ask(raw_bridge, b"call 0 SDT_OpenPort int i:1001") == "ok i:144\n"
    assert _ask(raw_bridge, b"call 0 SDT_StartFindIDCard int i:1001 o:8 i:1") == "ok i:128 o:" + "00" * 8 + "\n"
    answer = _ask(raw_bridge, b"call 0 SDT_ReadBaseMsg int i:1001 o:256 u:7 o:1024 u:9 i:1")
    assert answer == "ok i:65 o:" + "00" * 256 + " u:7 o:" + "00" * 1024 + " u:9\n"  # no card: untouched
    assert _ask(raw_bridge, b"quit") == "ok\n"
    assert raw_bridge.wait(timeout=10) == 0


def test_the_bridge_ends_when_its_input_closes(raw_bridge: subprocess.Popen[bytes]) -> None:
    assert _ask(raw_bridge, b"hello").startswith("ok yimen-idcard-bridge 1 ")
    assert raw_bridge.stdin is not None
    raw_bridge.stdin.close()
    assert raw_bridge.wait(timeout=10) == 0


@pytest.mark.parametrize("bits", [pytest.param(32, marks=needs_32_bit), library.PROCESS_BITS])
def test_a_library_that_prints_to_stdout_does_not_corrupt_the_answers(
    request: pytest.FixtureRequest, field: Field, bits: int
) -> None:
    lib = _libraries(request, bits)["noisy"]
    reader = open_sdk_reader(settings_for(lib), force_bridge=True)
    reader.open()  # its constructor and InitComm printed "ok i:0 …" lines
    try:
        assert reader.poll() is None
        field.place(RESIDENT, photo=PHOTO)
        assert reader.poll() == dataclasses.replace(RESIDENT, photo=PHOTO)
        bridge_of = reader.host.bridge  # type: ignore[attr-defined]
        assert bridge_of.ask("hello") == ["yimen-idcard-bridge", "1", str(bits)]
    finally:
        reader.close()


def test_the_remote_library_passes_every_kind_of_argument(
    libraries: dict[str, Path], field: Field, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = libraries["sdk"]
    one = Bridge(library.PROCESS_BITS)
    one.start(field.folder)
    try:
        remote = one.load(lib, library.sha256_of(lib))
        # A path relative to this program's working directory is loaded as such, not in the bridge's folder.
        monkeypatch.chdir(lib.parent)
        assert one.load(Path(lib.name), library.sha256_of(lib)).has("InitComm")
        local = library.LocalLibrary(lib, library.sha256_of(lib))
        field.place(RESIDENT, wlt=b"\x00WLT\xff")
        for sdk in (remote, local):  # the same answers from the bridge and from ctypes
            assert sdk.call("SDT_OpenPort", 1001).result == 0x90
            assert sdk.call("SDT_StartFindIDCard", 1001, Out(8), 1).result == 0x9F
            assert sdk.call("SDT_SelectIDCard", 1001, Out(8), 1).result == 0x90
            called = sdk.call("SDT_ReadBaseMsg", 1001, Out(256), OutUint(3), Out(1024), OutUint(), 1)
            text, text_len, photo, photo_len = called.outputs
            assert called.result == 0x90 and (text_len, photo_len) == (256, 5)
            assert isinstance(photo, bytes) and photo[:5] == b"\x00WLT\xff" and len(photo) == 1024
            assert sdk.call("InitComm", 1001).result == 1
            assert sdk.call("Read_Content_Path", os.fsencode(field.folder), 1).result == 1
            assert (field.folder / "wz.txt").read_bytes() == (field.folder / "card.bin").read_bytes()
            assert sdk.call_string("GetName", free="DeleteMBCSString") is None  # no getters.txt: a NULL pointer
            (field.folder / "getters.txt").write_text("name=张三\n", encoding="utf-8")
            assert sdk.call_string("GetName", free="DeleteMBCSString") == "张三".encode()
            assert sdk.call_string("GetName") == "张三".encode()  # not freed: a leak, as the caller asked
            (field.folder / "getters.txt").unlink()
        assert remote.has("DeleteMBCSString") and not remote.has("GetBmp")
        with pytest.raises(IdCardError, match="读卡库缺少函数 GetBmp"):
            remote.call("GetBmp", b"x.wlt", 2)
        # A library the system cannot load is the same sentence as in this process.
        text = lib.parent / "not-a-library.so"
        text.write_bytes(b"\x7fELF" + bytes(60))
        with pytest.raises(IdCardError, match="无法加载"):
            one.load(text, library.sha256_of(text))
        assert remote.call("CloseComm").result == 1  # and it goes on
    finally:
        one.close()


def test_the_bundle_and_the_checkout_find_their_bridges(bridges: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert bridge.bridge_folder() == bridges == resources.root().joinpath(*bridge.CHECKOUT_FOLDER)
    assert bridge.NAME == build_bridge.NAME and bridge.PROTOCOL == 1
    assert {p.name for p in bridges.iterdir() if not p.name.startswith(".")} >= {
        t.filename for t in build_bridge.linux_targets()
    }
    # Frozen: beside the program's resources, in the bundle's _internal folder (installer/yimen.spec).
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", "/opt/yimen/_internal", raising=False)
    assert bridge.bridge_path(32) == Path("/opt/yimen/_internal/yimen-idcard-bridge32")


@pytest.mark.parametrize("target", build_bridge.windows_targets(), ids=lambda t: t.filename)
def test_the_windows_bridges_compile_with_mingw(target: build_bridge.Target, tmp_path: Path) -> None:
    """The MSI's bridges, cross-compiled as `make installers` does (the Makefile installs MinGW-w64 on amd64)."""
    assert build_bridge.present(target), f"{target.compiler[0]} is not installed: run make deps ({target.package})"
    built = build_bridge.compile_bridge(target, tmp_path)
    assert built.name == target.filename and built.read_bytes()[:2] == b"MZ"
    assert library.library_bits(built) == target.bits  # PE32 / PE32+
    # Static: nothing of MinGW's runtime beside it, only the system's DLLs.
    objdump = target.compiler[0].replace("-gcc", "-objdump")  # MinGW-w64's binutils come with its gcc
    dlls = subprocess.run([objdump, "-p", str(built)], capture_output=True, text=True, check=True).stdout
    imported = {line.split()[-1].lower() for line in dlls.splitlines() if "DLL Name:" in line}
    assert imported <= {"kernel32.dll", "msvcrt.dll", "user32.dll", "advapi32.dll"}, imported
