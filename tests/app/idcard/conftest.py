"""The fake vendor libraries, built from fake_reader.c with the system compiler (``cc``; the Makefile installs gcc
and libc6-dev), and a reader's field: a folder the library reads the card from (``YIMEN_FAKE_READER``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.idcard.model import CardData, CardType, Sex
from app.idcard.settings import IdCardSettings
from app.idcard.text import encode_text

SOURCE = Path(__file__).with_name("fake_reader.c")
VARIANTS = {
    "sdk": [],  # termb with Read_Content_Path, and the SDT_* functions
    "termb_cwd": ["-DNO_READ_CONTENT_PATH"],  # writes wz.txt into its working directory
    "termb_getters": ["-DGETTERS"],  # no wz.txt: the getters
    "wltrs": ["-DWLTRS"],
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def built_libraries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("fake-sdk")
    built = {}
    for name, flags in VARIANTS.items():
        target = folder / f"lib{name}.so"
        subprocess.run(["cc", "-shared", "-fPIC", "-O1", *flags, "-o", str(target), str(SOURCE)], check=True)
        built[name] = target
    return built


@pytest.fixture
def libraries(built_libraries: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """Per test, a copy of each library under a new path: loading it runs its constructor afresh."""
    folder = tmp_path / "lib"
    folder.mkdir()
    return {name: Path(shutil.copy(path, folder / path.name)) for name, path in built_libraries.items()}


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
