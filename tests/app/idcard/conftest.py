"""The fake vendor libraries, built from fake_reader.c with the system compiler (``cc``; the Makefile installs gcc
and libc6-dev) for this program's bitness and, on x86-64, for 32 bits too (``cc -m32``: gcc-multilib); the bridges
(installer/build_bridge.py, into the checkout's build/idcard-bridge where the program finds them); and a reader's
field: a folder the library reads the card from (``YIMEN_FAKE_READER``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.idcard.model import CardData, CardType, Sex
from app.idcard.settings import IdCardSettings
from app.idcard.text import encode_text
from installer import build_bridge

SOURCE = Path(__file__).with_name("fake_reader.c")
VARIANTS = {
    "sdk": [],  # termb with Read_Content_Path, and the SDT_* functions
    "termb_cwd": ["-DNO_READ_CONTENT_PATH"],  # writes wz.txt into its working directory
    "termb_getters": ["-DGETTERS"],  # no wz.txt: the getters
    "wltrs": ["-DWLTRS"],
    "noisy": ["-DNOISY"],  # prints to stdout at every call
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: Whether this machine builds and runs 32-bit x86 programs (the 32-bit bridge and libraries).
HAS_32_BIT = platform.machine().lower() in {"x86_64", "amd64"}
needs_32_bit = pytest.mark.skipif(not HAS_32_BIT, reason="32-bit x86 libraries are built on x86-64 only")


def ensure_bridges() -> Path:
    """The bridges of this machine in the checkout's build/idcard-bridge (``make bridge``; rebuilt when stale)."""
    build_bridge.build()
    return build_bridge.CHECKOUT_FOLDER


def _build(folder: Path, flags: list[str]) -> dict[str, Path]:
    built = {}
    for name, variant in VARIANTS.items():
        target = folder / f"lib{name}.so"
        command = ["cc", *flags, "-shared", "-fPIC", "-O1", *variant, "-o", str(target), str(SOURCE)]
        subprocess.run(command, check=True)
        built[name] = target
    return built


@pytest.fixture(scope="session")
def built_libraries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _build(tmp_path_factory.mktemp("fake-sdk"), [])


@pytest.fixture(scope="session")
def built_libraries32(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _build(tmp_path_factory.mktemp("fake-sdk32"), ["-m32"])


@pytest.fixture(scope="session")
def bridges() -> Path:
    return ensure_bridges()


def _copies(built: dict[str, Path], folder: Path) -> dict[str, Path]:
    folder.mkdir()
    return {name: Path(shutil.copy(path, folder / path.name)) for name, path in built.items()}


@pytest.fixture
def libraries(built_libraries: dict[str, Path], bridges: Path, tmp_path: Path) -> dict[str, Path]:
    """Per test, a copy of each library under a new path: loading it runs its constructor afresh."""
    return _copies(built_libraries, tmp_path / "lib")


@pytest.fixture
def libraries32(built_libraries32: dict[str, Path], bridges: Path, tmp_path: Path) -> dict[str, Path]:
    """The 32-bit libraries, copied per test as :func:`libraries`."""
    return _copies(built_libraries32, tmp_path / "lib32")


@dataclass
class Field:
    """The reader's field: place and remove a card as a citizen does."""

    folder: Path

    def place(self, card: CardData, *, photo: bytes | None = None, wlt: bytes | None = None) -> None:
        if photo is not None:
            (self.folder / "photo.bmp").write_bytes(photo)
        if wlt is not None:
            (self.folder / "wlt.bin").write_bytes(wlt)
        (self.folder / "card.bin").write_bytes(encode_text(card))

    def place_getters(self, values: dict[str, str]) -> None:
        (self.folder / "getters.txt").write_text("".join(f"{k}={v}\n" for k, v in values.items()), encoding="utf-8")
        (self.folder / "card.bin").write_bytes(b"")  # a card in the field; its text comes from the getters

    def remove(self) -> None:
        for name in ("card.bin", "photo.bmp", "wlt.bin", "getters.txt"):
            (self.folder / name).unlink(missing_ok=True)

    def calls(self) -> list[str]:
        log = self.folder / "calls.log"
        return log.read_text().split() if log.exists() else []


@pytest.fixture
def field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Field]:
    folder = tmp_path / "field"
    folder.mkdir()
    monkeypatch.setenv("YIMEN_FAKE_READER", str(folder))
    yield Field(folder)


def settings_for(library: Path, shape: str = "termb", **more: object) -> IdCardSettings:
    values: dict[str, object] = {"driver": "sdk", "sdk_shape": shape, "library": library}
    values["library_sha256"] = sha256(library)
    values.update(more)
    return IdCardSettings(**values)  # type: ignore[arg-type]


RESIDENT = CardData(
    card_type=CardType.RESIDENT,
    name="阿依古丽·买买提",
    sex=Sex.FEMALE,
    ethnicity="维吾尔",
    birth_date=dt.date(1985, 6, 15),
    address="上海市徐汇区湖南路街道武康路100弄3号",
    id_number="310104198506150023",
    authority="上海市公安局徐汇分局",
    valid_from=dt.date(2016, 3, 1),
    valid_to=dt.date(2036, 3, 1),
)
