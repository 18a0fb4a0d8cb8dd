"""The card's chip photo kept with the case only where the item's catalog flag ``keep_id_photo`` says so
(ui/intake/reader.py ``keep_photo``, docs/privacy.md "The card's photo"): the simulator reads a card with a BMP
photo into the real counter window; the photo becomes a PNG file of the applicant's ID-card line, replaced when
another card is read into the same party, and stored with the case (real store); an item without the flag keeps
nothing."""

from __future__ import annotations

import dataclasses
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.attachments import AttachmentStore
from tests.conftest import write_deployment
from tests.ui.test_idcard_reader import CARD
from tests.ui.test_material_files import OWED_CATALOG, accept_with_all_present, start_case
from tests.ui.ui_testkit import Keyboard, valid_id, wait_attached
from ui.intake.reader import png_of


def bmp(colour: tuple[int, int, int]) -> bytes:
    """A chip photo as the SDK decodes it: 102×126 pixels, BMP."""
    out = io.BytesIO()
    Image.new("RGB", (102, 126), colour).save(out, "BMP")
    return out.getvalue()


@pytest.fixture
def keeps_photo(request: pytest.FixtureRequest) -> bool:
    return bool(getattr(request, "param", True))


@pytest.fixture
def services(services_factory: Any, tmp_path: Path, keeps_photo: bool) -> Any:
    catalog = tmp_path / "catalog"
    shutil.copytree(OWED_CATALOG, catalog)
    if keeps_photo:
        item = catalog / "TS-OWED-001.yaml"
        item.write_text(item.read_text(encoding="utf-8") + "keep_id_photo: true\n", encoding="utf-8")
    path = write_deployment(tmp_path, mode="demo")
    text = path.read_text(encoding="utf-8") + '\n[idcard]\ndriver = "simulator"\npoll_ms = 100\n'
    path.write_text(text, encoding="utf-8")
    return services_factory(config=path, catalog_dir=catalog)


@pytest.fixture(autouse=True)
def _stop_the_reader(window: Any) -> Any:
    yield
    window.pages["intake"].card_reader.stop()


def place(qtbot: Any, link: Any, card: Any) -> None:
    link.reader.remove()
    qtbot.wait(300)  # the poller sees the field empty before the next card
    with qtbot.waitSignal(link.filled, timeout=5000):
        link.reader.place(card)


def test_the_photo_goes_on_the_id_card_line_where_the_item_keeps_it(
    qtbot: Any, keyboard: Keyboard, services: Any, window: Any
) -> None:
    intake = window.pages["intake"]
    link = intake.card_reader
    qtbot.waitUntil(lambda: link.reader is not None)
    # The card is placed before the item is chosen: the photo waits for its line.
    number = valid_id("31010419850615002")
    card = dataclasses.replace(CARD, id_number=number, photo=bmp((200, 30, 30)))
    place(qtbot, link, card)
    rows = start_case(qtbot, keyboard, window)
    strip = rows["applicant_id_card"].files
    qtbot.waitUntil(lambda: len(strip.files) == 1)
    first = strip.files[0]
    assert first.media_type == "image/png" and first.sha256 in strip.sha256s
    stored = Image.open(io.BytesIO(intake.materials.rows[0].files.store.read(first.sha256)))
    assert stored.size == (102, 126) and stored.convert("RGB").getpixel((50, 60)) == (200, 30, 30)
    assert all(len(r.files.files) == 0 for key, r in rows.items() if key != "applicant_id_card")

    # Another card into the same party: its photo replaces the first one; the same card again adds nothing.
    place(qtbot, link, dataclasses.replace(card, photo=bmp((30, 30, 200))))
    qtbot.waitUntil(lambda: len(strip.files) == 1 and strip.files[0].sha256 != first.sha256)
    second = strip.files[0].sha256
    place(qtbot, link, dataclasses.replace(card, photo=bmp((30, 30, 200))))
    wait_attached(qtbot, strip)
    assert strip.sha256s == (second,)

    result = accept_with_all_present(qtbot, keyboard, window, rows)
    kept = AttachmentStore(services.db).for_case(result.application_id)
    assert [(r.material_key, r.media_type, r.sha256) for r in kept] == [("applicant_id_card", "image/png", second)]


@pytest.mark.parametrize("keeps_photo", [False], indirect=True)
def test_an_item_without_the_flag_keeps_no_photo(qtbot: Any, keyboard: Keyboard, services: Any, window: Any) -> None:
    intake = window.pages["intake"]
    link = intake.card_reader
    qtbot.waitUntil(lambda: link.reader is not None)
    rows = start_case(qtbot, keyboard, window)
    intake.applicant.identity.name_edit.setFocus()
    place(qtbot, link, dataclasses.replace(CARD, photo=bmp((200, 30, 30))))
    assert intake.applicant.identity.card_fill is not None and intake.applicant.identity.card_fill.photo
    assert all(len(r.files.files) == 0 for r in rows.values())


def test_a_photo_that_does_not_decode_is_not_kept() -> None:
    assert png_of(b"BM not a bitmap") is None
    assert png_of(bmp((1, 2, 3))).startswith(b"\x89PNG\r\n\x1a\n")
