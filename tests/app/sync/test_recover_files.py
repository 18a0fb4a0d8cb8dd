"""A rebuilt store gets its materials' files (电子材料) back from the server (app/sync/rebuild.py
``fetch_attachments``, app/recovery.py; docs/devices.md "Materials"): a real workstation takes a case with a scan
and a three-page PDF, syncs with the real central server (PostgreSQL where it runs), loses its store and runs
``yimen recover --from-server``: the files are byte-identical, marked as held by the server (nothing uploaded
again), and the record view lists them and opens them; once pruned after the retention, the record view says where
the original is.  A file the server cannot give (its stored bytes damaged there) is counted and said, and the
recovery completes."""

from __future__ import annotations

import hashlib
import io
from types import SimpleNamespace
from typing import Any

import pytest
from PIL import Image
from PySide6.QtWidgets import QLabel, QPushButton, QToolButton
from reportlab.pdfgen import canvas
from sqlalchemy import select, text

from app.attachments import AttachmentStore, StoredFile
from app.errors import ValidationError
from app.sync import attachments as uploads
from app.sync.rebuild import Rebuilt, fetch_attachments
from db.models import AttachmentBlob
from tests.app.sync.synckit import Workstation
from tests.app.sync.test_attachment_upload import take_with_files
from tests.app.sync.test_recover import emptied, yimen
from tests.conftest import add_user
from ui.context import UiContext
from ui.messages import MessageBridge
from ui.records.files import FileViewer
from ui.records.record import RecordDialog
from ui.tasks import TaskRunner

pytestmark = pytest.mark.slow


def scan() -> bytes:
    image = Image.new("RGB", (900, 600), "white")
    image.paste((20, 20, 160), (0, 0, 450, 600))  # a blue left half: the thumbnail shows it
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def three_pages() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for n in range(3):
        page.drawString(100, 700, f"page {n + 1}")
        page.showPage()
    page.save()
    return out.getvalue()


def a_case_with_two_files(ws: Workstation) -> tuple[Any, list[StoredFile], dict[str, bytes]]:
    store = AttachmentStore(ws.services.db)
    kept = [store.add(scan()), store.add(three_pages())]
    result = take_with_files(ws, [k.sha256 for k in kept])
    ws.services.documents.heal()
    assert ws.sync.sync_once().push.quarantined == 0 and ws.sync.status().pending == 0
    return result, kept, {k.sha256: store.read(k.sha256) for k in kept}


def open_record(qtbot: Any, services: Any, runner: TaskRunner, number: str) -> RecordDialog:
    add_user(services, "xinxiyuan", admin=True)
    context = UiContext(services, runner, MessageBridge(), add_user(services))
    dialog = RecordDialog(context, number)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.record is not None and bool(dialog.files.items))
    return dialog


@pytest.mark.allow_warning_logs  # the server logs the audit head reset of the recovery for its operator
def test_a_rebuilt_store_gets_its_files_back_byte_identical_and_the_record_view_shows_them(
    ws: Workstation, services_factory: Any, qtbot: Any, clock: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    result, kept, originals = a_case_with_two_files(ws)
    before = [
        (r.material_key, r.party_position, r.position, r.sha256)
        for r in AttachmentStore(ws.services.db).for_case(result.application_id)
    ]
    emptied(ws)

    assert yimen(ws, "recover", "--from-server") == 0
    said = capsys.readouterr().out
    assert "已从中心服务器取回 2 个材料文件" in said and "未能从中心服务器取回" not in said

    services = services_factory(config=ws.config, data_dir=ws.data_dir)
    store = AttachmentStore(services.db)
    rows = store.for_case(result.application_id)
    assert [(r.material_key, r.party_position, r.position, r.sha256) for r in rows] == before
    for each in kept:
        data = store.read(each.sha256)
        assert data == originals[each.sha256] and hashlib.sha256(data).hexdigest() == each.sha256
        assert store.info(each.sha256) == each  # type, size and pages as taken
    with services.db.read() as session:
        assert all(b.uploaded_at is not None for b in session.scalars(select(AttachmentBlob)))
    assert uploads.pending(services.db) == []  # the server holds them: nothing is sent again

    runner = TaskRunner()
    try:
        dialog = open_record(qtbot, services, runner, result.acceptance_no)
        line = f"record_files.{rows[0].material_key}"
        image_button, pdf_button = dialog.files.items[f"{line}.0"], dialog.files.items[f"{line}.1"]
        assert isinstance(image_button, QToolButton) and isinstance(pdf_button, QToolButton)
        assert image_button.text() == "JPEG 图片" and pdf_button.text() == "PDF，3 页"
        picture = image_button.icon().pixmap(64, 64).toImage()
        middle = picture.height() // 2
        assert (
            picture.pixelColor(5, middle).blue() > 120 and picture.pixelColor(picture.width() - 5, middle).red() > 200
        )
        assert not pdf_button.icon().isNull()
        assert dialog.findChild(QLabel, line).text()  # the line's name beside its files

        # A click opens the PDF read-only: its pages one by one, nothing to turn or delete.
        pdf_button.click()
        viewer = dialog.files.viewer
        assert isinstance(viewer, FileViewer)
        qtbot.waitUntil(lambda: viewer.loaded)
        assert viewer.caption.text().endswith("第 1 页，共 3 页") and not viewer.picture.pixmap().isNull()
        viewer.next.click()
        assert viewer.caption.text().endswith("第 2 页，共 3 页")
        buttons = {b.objectName() for b in viewer.findChildren(QPushButton)}
        assert buttons == {"record_file_viewer.prev", "record_file_viewer.next", ""}  # and the dialog's 关闭
        viewer.reject()

        # After the retention the workstation prunes the bytes (the server holds them): the view says so.
        clock.advance(days=services.deployment.document_retention_days + 1)
        assert services.prune().attachments == 2
        dialog.reload()
        qtbot.waitUntil(lambda: isinstance(dialog.files.items.get(f"{line}.0"), QLabel))
        for n in (0, 1):
            gone = dialog.files.items[f"{line}.{n}"]
            assert isinstance(gone, QLabel) and "已按保存期限从本机清理，原件在中心服务器" in gone.text()
        dialog.close()
    finally:
        runner.shutdown()


@pytest.mark.allow_warning_logs  # the server logs the damaged file and the reset; the rebuild the file not fetched
def test_a_file_the_server_cannot_give_is_counted_and_said_and_the_recovery_completes(
    ws: Workstation, central: Any, services_factory: Any, qtbot: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    result, kept, originals = a_case_with_two_files(ws)
    damaged = kept[1].sha256
    with central.engine().begin() as conn:  # the server's stored bytes of the PDF damaged: it no longer gives them
        conn.execute(
            text(
                "UPDATE attachment_chunks SET data = :junk WHERE upload_id IN "
                "(SELECT id FROM attachment_uploads WHERE sha256 = :sha)"
            ),
            {"junk": b"%PDF-damaged", "sha": damaged},
        )
    emptied(ws)

    assert yimen(ws, "recover", "--from-server") == 0
    said = capsys.readouterr().out
    assert "已从中心服务器取回 1 个材料文件" in said
    assert "1 个材料文件未能从中心服务器取回，0 个取回的文件与其 SHA-256 不符" in said

    services = services_factory(config=ws.config, data_dir=ws.data_dir)
    store = AttachmentStore(services.db)
    assert store.read(kept[0].sha256) == originals[kept[0].sha256]
    assert [r.sha256 for r in store.for_case(result.application_id)] == [k.sha256 for k in kept]  # the case is whole
    runner = TaskRunner()
    try:
        dialog = open_record(qtbot, services, runner, result.acceptance_no)
        line = f"record_files.{store.for_case(result.application_id)[0].material_key}"
        assert isinstance(dialog.files.items[f"{line}.0"], QToolButton)
        missing = dialog.files.items[f"{line}.1"]
        assert (
            isinstance(missing, QLabel) and "原件在中心服务器" in missing.text() and "恢复时未能取回" in missing.text()
        )
        dialog.close()
    finally:
        runner.shutdown()


@pytest.mark.allow_warning_logs  # the file that does not match is logged (by its hash's first characters)
def test_bytes_that_do_not_match_their_sha256_are_counted_and_not_kept(services_factory: Any) -> None:
    """The server's answer altered on the way (a proxy, a damaged disk behind it) cannot be caused through the real
    server, which checks its bytes before answering: the fetch is given as a function here."""
    services = services_factory()
    clerk = add_user(services)
    store = AttachmentStore(services.db)
    right, wrong = store.add(scan()), store.add(three_pages())
    result = take_with_files(SimpleNamespace(services=services, clerk=clerk), [right.sha256, wrong.sha256])  # type: ignore[arg-type]
    data = {right.sha256: store.read(right.sha256), wrong.sha256: b"%PDF-1.4 not these bytes"}
    with services.db.write() as session:  # the bytes as a rebuilt store has them before the fetch: none
        session.execute(text("DELETE FROM attachment_data"))
    rebuilt = Rebuilt()
    asked: list[tuple[str, Any]] = []

    def fetch(sha: str, application_id: Any) -> bytes:
        asked.append((sha, application_id))
        return data[sha]

    fetch_attachments(services.db, fetch, rebuilt)
    assert (rebuilt.files, rebuilt.files_wrong, rebuilt.files_missing) == (1, 1, 0)
    assert sorted(asked) == sorted([(right.sha256, result.application_id), (wrong.sha256, result.application_id)])
    assert store.read(right.sha256) == data[right.sha256]
    with pytest.raises(ValidationError, match="附件已不在本机"):
        store.read(wrong.sha256)
