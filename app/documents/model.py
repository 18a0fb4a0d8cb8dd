"""What a document is: its kind, its paper, the deployment facts printed on it, and a rendered result."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from app.catalog.schema import Kind, ServiceItem
from app.config import DepartmentSettings, Deployment
from app.domain import Decision
from app.i18n import Message, msg
from app.intake.model import DecisionResult

log = logging.getLogger("yimen.documents")


class DocumentKind(StrEnum):
    RECEIPT = "receipt"  # 受理回执
    SUPPLEMENT_NOTICE = "supplement_notice"  # 补正材料通知书（一次性告知书）
    REFUSAL_NOTICE = "refusal_notice"  # 不予受理通知书
    PRECHECK_NOTICE = "precheck_notice"  # 预审告知单 (marriage pre-check)
    FORM = "form"  # 申请表
    ANSWER_SLIP = "answer_slip"  # 答复单 (an inquiry answered on the spot: no 受理)

    @property
    def zh_title(self) -> str:
        """The title printed on the document (the Chinese source text of its UI name)."""
        return DOCUMENT_NAMES[self].text

    @property
    def is_notice(self) -> bool:
        return self in NOTICE_KINDS

    @property
    def printer_role(self) -> PrinterRole:
        if self is DocumentKind.RECEIPT:
            return PrinterRole.RECEIPT
        if self is DocumentKind.FORM:
            return PrinterRole.FORM
        return PrinterRole.NOTICE


NOTICE_KINDS = (
    DocumentKind.SUPPLEMENT_NOTICE,
    DocumentKind.REFUSAL_NOTICE,
    DocumentKind.PRECHECK_NOTICE,
    DocumentKind.ANSWER_SLIP,
)

# The documents' names: printed as they are (Chinese), translated by the UI in the preview and the reprint list.
DOCUMENT_NAMES: dict[DocumentKind, Message] = {
    DocumentKind.RECEIPT: msg("documents", "受理回执"),
    DocumentKind.SUPPLEMENT_NOTICE: msg("documents", "补正材料通知书"),
    DocumentKind.REFUSAL_NOTICE: msg("documents", "不予受理通知书"),
    DocumentKind.PRECHECK_NOTICE: msg("documents", "预审告知单"),
    DocumentKind.FORM: msg("documents", "申请表"),
    DocumentKind.ANSWER_SLIP: msg("documents", "答复单"),
}


class Paper(StrEnum):
    A4 = "a4"
    THERMAL80 = "thermal80"  # 80 mm roll, continuous length


class PrinterRole(StrEnum):
    """Which of the deployment's printers a document goes to (``[printing]``)."""

    RECEIPT = "receipt"
    NOTICE = "notice"
    FORM = "form"


def documents_for(result: DecisionResult, *, first_decision: bool) -> list[DocumentKind]:
    """Which documents this decision issues (docs/documents.md, "Which document, when")."""
    if result.item_kind == Kind.PRECHECK.value:
        return [DocumentKind.PRECHECK_NOTICE]
    if result.item_kind == Kind.INQUIRY.value:
        return [DocumentKind.ANSWER_SLIP]
    if result.decision.accepts:
        return [DocumentKind.RECEIPT, DocumentKind.FORM] if first_decision else [DocumentKind.RECEIPT]
    if result.decision is Decision.SUPPLEMENT:
        return [DocumentKind.SUPPLEMENT_NOTICE, DocumentKind.FORM]
    return [DocumentKind.REFUSAL_NOTICE]


@dataclass(frozen=True)
class DocumentSettings:
    """The deployment facts documents print, read once (the seal image's bytes included).

    Attributes:
        seal_png: the centre's 印章图样 (PNG bytes), or None: a "（盖章处）" box is printed instead.
        problems: what was wrong with the document settings (shown to IT in the status bar; never fatal).
    """

    center_name: str
    center_address: str
    center_phone: str
    complaint_phone: str
    progress_base_url: str
    review_body: str
    court: str
    receipt_paper: Paper
    seal_png: bytes | None
    problems: tuple[Message, ...] = ()
    #: Who decides (the 署名 of notices); empty: the centre.
    deciding_body: str = ""
    #: 承办部门 by the catalog's short name (``[departments."民政"]``): full name, 复议机关, court.
    departments: Mapping[str, DepartmentSettings] = field(default_factory=dict)
    #: 80 mm receipts: "line" (black line-art seal drawn as vectors) or "none" (the 盖章处 box).
    thermal_seal: str = "line"
    #: Copies of each notice printed (``printing.notice_copies``): from 2 on, the notice says where each goes.
    notice_copies: int = 1

    @property
    def decider(self) -> str:
        return self.deciding_body or self.center_name

    def department_name(self, short: str) -> str:
        """The 承办部门's full name (``[departments.<部门>].name``), else its short name as the catalog gives it."""
        found = self.departments.get(short)
        return found.name if found is not None and found.name else short

    def appeal_bodies(self, item: ServiceItem | None, department: str) -> tuple[str, str]:
        """(复议机关, court) of a refusal: the item's, else its 承办部门's, else the deployment's (may be empty)."""
        dept = self.departments.get(department) or DepartmentSettings()
        review = (item.review_body if item is not None else None) or dept.review_body or self.review_body
        court = (item.court if item is not None else None) or dept.court or self.court
        return review, court

    @classmethod
    def from_deployment(cls, deployment: Deployment) -> DocumentSettings:
        seal, problems = _read_seal(deployment.seal_image)
        return cls(
            center_name=deployment.center_name,
            center_address=deployment.center_address,
            center_phone=deployment.center_phone,
            complaint_phone=deployment.complaint_phone,
            progress_base_url=deployment.progress_base_url.rstrip("/"),
            review_body=deployment.review_body,
            court=deployment.court,
            receipt_paper=Paper(deployment.receipt_format),
            seal_png=seal,
            problems=tuple(problems),
            deciding_body=deployment.deciding_body,
            departments=dict(deployment.departments),
            thermal_seal=deployment.thermal_seal,
            notice_copies=deployment.notice_copies,
        )


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_SEAL_BYTES = 2 * 1024 * 1024
SEAL_PIXELS = 320  # ≈ 190 dpi at 42 mm: sharp on paper, small in every PDF


def prepare_seal(data: bytes) -> bytes:
    """Normalize a seal image to one ink colour with an alpha mask, at most 320 px square.

    A scanned seal is red ink on white; a drawn one is red on transparent.  Either way the ink amount of a pixel
    is its alpha times ``1 - min(R, G, B)/255`` (white → 0, red or black ink → ~1), and the colour is the ink's
    median.  The flat colour plane compresses to almost nothing, so the seal costs a PDF about 20 KB, not the
    size of the file IT supplied.

    Raises:
        OSError: the bytes are not an image Pillow can read.
    """
    from PIL import Image, ImageChops, ImageStat

    with Image.open(io.BytesIO(data)) as opened:
        image = opened.convert("RGBA")
    image.thumbnail((SEAL_PIXELS, SEAL_PIXELS), Image.Resampling.LANCZOS)
    red, green, blue, alpha = image.split()
    darkest = ImageChops.darker(ImageChops.darker(red, green), blue)
    ink = ImageChops.multiply(alpha, darkest.point(lambda v: 255 - v))
    strong = ink.point(lambda v: 255 if v > 160 else 0)
    if strong.getbbox() is not None:
        colour = tuple(int(c) for c in ImageStat.Stat(image.convert("RGB"), mask=strong).median)
    else:
        colour = (200, 20, 30)
    out = Image.new("RGBA", image.size, (*colour, 0))
    out.putalpha(ink)
    buffer = io.BytesIO()
    out.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _read_seal(path: Path | None) -> tuple[bytes | None, list[Message]]:
    """Read the seal image; a missing or broken file prints the box and tells IT, it never stops the counter."""
    if path is None:
        return None, []
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.warning("seal image %s unreadable: %s", path, exc.strerror)
        return None, [
            msg("documents", "无法读取印章图样 {path}（{reason}）：文书将印“盖章处”框。请信息员检查该文件。").bind(
                path=str(path), reason=exc.strerror or exc.__class__.__name__
            )
        ]
    problem = [
        msg("documents", "印章图样 {path} 不是 2 MB 以内的 PNG 图片：文书将印“盖章处”框。请信息员更换该文件。").bind(
            path=str(path)
        )
    ]
    if not data.startswith(PNG_SIGNATURE) or len(data) > MAX_SEAL_BYTES:
        log.warning("seal image %s is not a PNG of at most 2 MB", path)
        return None, problem
    from PIL import Image  # here, not at import: Pillow stays off the start-up path of everything else

    try:
        return prepare_seal(data), []
    except (OSError, ValueError, Image.DecompressionBombError):
        log.warning("seal image %s could not be decoded", path)
        return None, problem


@dataclass(frozen=True)
class RenderedDocument:
    """A document as drawn, before it is stored.

    Attributes:
        number: the number printed as the document's own (受理编号 for receipts and forms, the notice number).
        unprintable: characters no document face has; they printed as 〓 (the clerk is told to write them in).
    """

    kind: DocumentKind
    number: str
    paper: Paper
    pdf: bytes
    page_count: int
    unprintable: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredDocument:
    """A document kept with its application (what was handed over, byte for byte)."""

    id: str
    application_id: str
    acceptance_no: str
    kind: DocumentKind
    seq: int
    number: str
    paper: Paper
    sha256: str
    size: int
    created_at: dt.datetime
    handed_out: int  # prints and saved copies so far: the next one is a 补打
    superseded: bool
    #: The stored bytes; ``b""`` in a list (not loaded); None when this workstation no longer keeps them (pruned
    #: after the retention, app/pruning.py): a copy then comes from the server or is drawn again (docs/documents.md
    #: "补打 after the retention").
    pdf: bytes | None
    pruned: bool = False
