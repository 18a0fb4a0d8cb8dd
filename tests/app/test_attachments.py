"""Materials' files (app/attachments.py) on a real SQLCipher store: the type read from the content, the size and
damage refused in Chinese, images downscaled with Pillow, files kept once by SHA-256 and encrypted, rotated and
trimmed before the save, linked to the case's lines by the decision, orphans and pruning by the housekeeping."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from app import attachments, pruning
from app.attachments import AttachmentLimits, AttachmentStore
from app.domain import Decision, MaterialStatus
from app.errors import ValidationError
from app.intake.model import DecisionInput, MaterialInput
from tests.app.test_intake_materials import ALL, OWED_CATALOG, draft
from tests.conftest import add_user
from tests.storekit import connect_store


def jpeg(width: int, height: int, *, seed: int = 0, quality: int = 90) -> bytes:
    image = Image.effect_noise((width, height), 40 + seed).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def png(width: int, height: int) -> bytes:
    image = Image.linear_gradient("L").resize((width, height))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def pdf(pages: int) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for n in range(pages):
        page.drawString(100, 700, f"page {n + 1}")
        page.showPage()
    page.save()
    return out.getvalue()


@pytest.fixture
def owed(services_factory: Any) -> Any:
    return services_factory(catalog_dir=OWED_CATALOG)


@pytest.fixture
def files(owed: Any, clock: Any) -> AttachmentStore:
    return AttachmentStore(owed.db, AttachmentLimits(max_bytes=3 * 1024 * 1024, max_side=1000), clock=clock)


def raw(services: Any, statement: str, *args: Any) -> list[Any]:
    conn = connect_store(services.db.path)
    try:
        return conn.execute(statement, args).fetchall()
    finally:
        conn.close()


def test_the_type_is_read_from_the_content_and_wrong_large_or_damaged_files_are_refused_in_chinese(
    files: AttachmentStore,
) -> None:
    with pytest.raises(ValidationError, match="只能附加 JPEG、PNG 图片或 PDF 文件") as wrong:
        files.add(b"GIF89a" + b"\0" * 100)  # a GIF, whatever its name says
    assert wrong.value.field == "attachment"
    with pytest.raises(ValidationError, match="只能附加"):
        files.add("收入证明.jpg 其实是文本".encode())
    with pytest.raises(ValidationError, match=r"文件过大（4\.0 MB，上限 3\.0 MB）"):
        files.add(b"%PDF-1.4\n" + b"0" * (4 * 1024 * 1024))
    for width, height in ((400, 300), (900, 700)):
        whole = jpeg(width, height)
        with pytest.raises(ValidationError, match="文件无法读取"):
            files.add(whole[: len(whole) // 2])  # a scan cut short
        with pytest.raises(ValidationError, match="文件无法读取"):
            files.add(whole[:-2000])  # only its last bytes missing
    with pytest.raises(ValidationError, match="文件无法读取"):
        files.add(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF")  # a PDF without pages
    assert raw_count(files) == 0


def raw_count(files: AttachmentStore) -> int:
    conn = connect_store(files.db.path)
    try:
        return int(conn.execute("SELECT count(*) FROM attachment_blobs").fetchone()[0])
    finally:
        conn.close()


def test_images_are_downscaled_small_ones_and_pdfs_kept_byte_for_byte_and_each_file_is_kept_once(
    files: AttachmentStore, owed: Any
) -> None:
    big = files.add(jpeg(3000, 2000))
    image = Image.open(io.BytesIO(files.read(big.sha256)))
    assert image.format == "JPEG" and image.size == (1000, 667)
    assert big.sha256 == hashlib.sha256(files.read(big.sha256)).hexdigest() and big.pages == 1
    small = png(600, 800)
    kept = files.add(small)
    assert kept.media_type == "image/png" and files.read(kept.sha256) == small
    doc = pdf(3)
    stored = files.add(doc)
    assert (stored.media_type, stored.pages, stored.size) == ("application/pdf", 3, len(doc))
    assert files.read(stored.sha256) == doc
    assert files.add(doc) == stored
    assert raw_count(files) == 3
    # Inside the encrypted store: the file on disk holds none of the bytes in clear.
    owed.db.empty_wal()
    on_disk = Path(owed.db.path).read_bytes()
    assert doc[:200] not in on_disk and small[-400:] not in on_disk


def test_a_photo_turned_by_its_exif_orientation_is_kept_upright(files: AttachmentStore) -> None:
    image = Image.effect_noise((600, 300), 40).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # taken turned: shown 90° clockwise
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    kept = Image.open(io.BytesIO(files.read(files.add(out.getvalue()).sha256)))
    assert kept.size == (300, 600) and kept.getexif().get(0x0112, 1) == 1


def test_rotating_and_deleting_a_page_make_new_files_and_the_last_page_cannot_go(files: AttachmentStore) -> None:
    photo = files.add(jpeg(800, 400))
    turned = files.rotate(photo.sha256, 90)
    assert turned.sha256 != photo.sha256
    assert Image.open(io.BytesIO(files.read(turned.sha256))).size == (400, 800)
    doc = files.add(pdf(3))
    rotated = files.rotate(doc.sha256, 90, page=1)
    pages = PdfReader(io.BytesIO(files.read(rotated.sha256))).pages
    assert [p.rotation for p in pages] == [0, 90, 0]
    trimmed = files.delete_page(rotated.sha256, 0)
    assert trimmed.pages == 2
    reader = PdfReader(io.BytesIO(files.read(trimmed.sha256)))
    assert [p.rotation for p in reader.pages] == [90, 0]
    assert "page 3" in reader.pages[1].extract_text()
    one = files.add(pdf(1))
    with pytest.raises(ValidationError, match="不能删除唯一的一页"):
        files.delete_page(one.sha256, 0)
    with pytest.raises(ValidationError, match="不能删除唯一的一页"):
        files.delete_page(photo.sha256, 0)


def test_the_decision_links_the_lines_files_and_the_housekeeping_removes_orphans_and_prunes_uploaded_files(
    owed: Any, files: AttachmentStore, clock: Any
) -> None:
    clerk = add_user(owed)
    scan, proof, abandoned = files.add(jpeg(500, 500, seed=1)), files.add(pdf(2)), files.add(jpeg(300, 300, seed=2))
    ticks = [MaterialInput(k, MaterialStatus.RECEIVED) for k in ALL if k != "income_proof"]
    ticks[0].attachments = (scan.sha256,)
    ticks.append(MaterialInput("income_proof", MaterialStatus.RECEIVED, attachments=(proof.sha256, scan.sha256)))
    result = owed.intake.decide(draft(*ticks), DecisionInput(Decision.ACCEPT), clerk)
    rows = files.for_case(result.application_id)
    assert [(r.material_key, r.position, r.sha256, r.pages) for r in rows] == [
        ("applicant_id_card", 0, scan.sha256, 1),
        ("income_proof", 0, proof.sha256, 2),
        ("income_proof", 1, scan.sha256, 1),
    ]
    assert {r.created_by for r in rows} == {clerk.id}
    # A draft naming a file that is no longer here is refused, nothing of it stored.
    gone = MaterialInput("income_proof", MaterialStatus.RECEIVED, attachments=("0" * 64,))
    others = [MaterialInput(k, MaterialStatus.RECEIVED) for k in ALL if k != "income_proof"]
    with pytest.raises(ValidationError, match="附件已不在本机"):
        owed.intake.decide(draft(*others, gone, name="王芳"), DecisionInput(Decision.ACCEPT), clerk)

    clock.advance(hours=23)
    assert attachments.remove_orphans(owed.db, clock()) == (0, 0)  # a draft may still be open
    clock.advance(hours=2)
    report = owed.prune()
    assert (report.orphans, report.orphan_bytes) == (1, abandoned.size)
    assert {r[0] for r in raw(owed, "SELECT sha256 FROM attachment_blobs")} == {scan.sha256, proof.sha256}

    # Past the retention, a file the server never confirmed keeps its bytes; once confirmed, they go.
    clock.advance(days=40)
    assert owed.prune().attachments == 0
    assert files.read(scan.sha256)
    conn = connect_store(owed.db.path)
    try:
        moment = (clock() - dt.timedelta(days=35)).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        conn.execute("UPDATE attachment_blobs SET uploaded_at = ? WHERE sha256 = ?", (moment, scan.sha256))
        conn.commit()
    finally:
        conn.close()
    report = owed.prune()
    assert (report.attachments, report.attachment_bytes) == (1, scan.size)
    left = dict(
        raw(
            owed,
            "SELECT b.sha256, d.sha256 IS NULL AND b.pruned_at IS NOT NULL FROM attachment_blobs b "
            "LEFT JOIN attachment_data d ON d.sha256 = b.sha256",
        )
    )
    assert left == {scan.sha256: 1, proof.sha256: 0}
    with pytest.raises(ValidationError, match="附件已不在本机"):
        files.read(scan.sha256)
    assert len(files.for_case(result.application_id)) == 3  # the rows and hashes stay
    assert pruning.PruneReport(False, 30, 30).bytes_cleared == 0
