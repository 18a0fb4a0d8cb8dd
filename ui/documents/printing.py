"""Printing a stored PDF exactly as it is: QtPdf renders each page at the printer's resolution onto a QPrinter.

Runs on the renderer thread (QPainter on a QPrinter is allowed off the GUI thread; nothing here touches a widget).
The printer comes from the deployment file per document type (``[printing]``): an OS printer name, empty for the
system default, or — demo mode only — ``file:FOLDER``, a file printer that writes each job as a PDF below the data
folder (STYLE.md §16).  Problems raise :class:`~app.errors.PrinterError` with a sentence that says what to do; the
stored document is never touched by a print, so it can always be printed again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from app.config import FILE_PRINTER_PREFIX
from app.errors import PrinterError
from app.i18n import msg

log = logging.getLogger("yimen.ui.printing")

MIN_DPI = 300
# A page is a bitmap at the printer's resolution: 600 dpi is sharper than any counter printer needs, and 1200 dpi
# (what Qt's PDF writer claims) would be a 550 MB image per A4 page.
MAX_DPI = 600


@dataclass(frozen=True)
class PrintTarget:
    """Where a job goes: an OS printer by name, or a folder (the demo's file printer)."""

    printer: str | None = None
    folder: Path | None = None

    @property
    def label(self) -> str:
        return str(self.folder) if self.folder is not None else (self.printer or "")


class PrinterSystem(Protocol):
    """What the OS says about its printers (Qt's QPrinterInfo and CUPS; a test double for faults CUPS cannot cause)."""

    def names(self) -> list[str]: ...

    def default(self) -> str | None: ...

    def in_error(self, name: str) -> bool: ...

    def accepting_jobs(self, name: str) -> bool: ...


class QtPrinters:
    """The OS's printers as Qt sees them, and whether a CUPS queue takes jobs (which Qt does not say).

    Qt reports a CUPS queue that is stopped (``cupsdisable``, or stopped by CUPS when its device failed) as
    ``Error``, and a deleted one is no longer in the list; but a queue set to reject jobs (``cupsreject``) looks idle
    to Qt, and Qt drops the job it is given without a word.  That one state is read from ``lpstat -a`` (CUPS's
    client, beside every CUPS); where there is no ``lpstat`` (Windows) or it gives no clear answer, the queue is
    taken as accepting — what Qt alone would do.
    """

    def names(self) -> list[str]:
        return list(QPrinterInfo.availablePrinterNames())

    def default(self) -> str | None:
        info = QPrinterInfo.defaultPrinter()
        return None if info.isNull() else info.printerName()

    def in_error(self, name: str) -> bool:
        return QPrinterInfo.printerInfo(name).state() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted)

    def accepting_jobs(self, name: str) -> bool:
        return cups_accepting_jobs(name) is not False


LPSTAT_TIMEOUT = 10  # seconds: a local CUPS answers in milliseconds; a hung one must not hold the print for long


def cups_accepting_jobs(name: str) -> bool | None:
    """Whether the CUPS queue ``name`` accepts jobs, from ``lpstat -a`` in the C locale; None when CUPS cannot tell
    (no ``lpstat``, no such queue, no answer)."""
    lpstat = shutil.which("lpstat")
    if lpstat is None:
        return None
    try:
        done = subprocess.run(
            [lpstat, "-a", name],
            capture_output=True,
            text=True,
            timeout=LPSTAT_TIMEOUT,
            env={**os.environ, "LC_ALL": "C"},
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("lpstat could not be asked about a printer: %s", type(exc).__name__)
        return None
    for line in done.stdout.splitlines():
        if line.startswith(f"{name} not accepting requests"):
            return False
        if line.startswith(f"{name} accepting requests"):
            return True
    return None


def resolve(spec: str, *, data_dir: Path, demo: bool, system: PrinterSystem | None = None) -> PrintTarget:
    """The target of a deployment printer setting.

    Raises:
        PrinterError: none configured and no default, an unknown name, a printer in an error state or one that
            rejects jobs.
    """
    if spec.startswith(FILE_PRINTER_PREFIX):
        if not demo:  # the deployment loader refuses it too; never let a fake stand in for a printer
            raise PrinterError(msg("printing", "文件打印机只能用于演示模式。请信息员在部署配置中填写打印机名称。"))
        return PrintTarget(folder=data_dir / spec[len(FILE_PRINTER_PREFIX) :])
    system = system or QtPrinters()
    if not spec:
        default = system.default()
        if default is None:
            raise PrinterError(
                msg(
                    "printing",
                    "本机没有设置默认打印机，文书没有打印（已保存，可随时补打）。"
                    "请信息员安装打印机，或在部署配置 [printing] 中填写打印机名称；急用时可先“另存为 PDF”。",
                )
            )
        spec = default
    elif spec not in system.names():
        available = "、".join(system.names()) or "无"
        raise PrinterError(
            msg(
                "printing",
                "找不到打印机“{name}”（本机的打印机：{available}），文书没有打印（已保存，可随时补打）。"
                "请信息员检查打印机是否已安装，或修改部署配置中的打印机名称。",
            ).bind(name=spec, available=available)
        )
    if system.in_error(spec):
        raise PrinterError(
            msg(
                "printing",
                "打印机“{name}”处于错误状态（可能离线、缺纸或卡纸），文书没有打印。请检查打印机后按 Enter 重试。",
            ).bind(name=spec)
        )
    if not system.accepting_jobs(spec):
        raise PrinterError(
            msg(
                "printing",
                "打印机“{name}”已设为暂停接收打印任务，文书没有打印（已保存，可随时补打）。"
                "请信息员在系统的打印机设置中恢复接收任务后按 Enter 重试。",
            ).bind(name=spec)
        )
    return PrintTarget(printer=spec)


def _load(data: bytes) -> QPdfDocument:
    document = QPdfDocument()
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrinterError(
            msg("printing", "文书文件无法读取，没有打印。请重新打开该申请后补打；如仍不行请通知信息员。")
        )
    return document


def page_image(document: QPdfDocument, page: int, dpi: int) -> QImage:
    """One page rendered at ``dpi`` on white (QtPdf leaves the background transparent).

    The white goes behind the page in the image QtPdf rendered into (``DestinationOver``: the same pixels as the
    page drawn over a white image), so a page is one image, not two: at 300 dpi an A4 page is 35 MB, and the second
    image was the print's memory peak (issue 16, docs/performance.md "The counter over a day").
    """
    size = document.pagePointSize(page)
    pixels = QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi))
    image = document.render(page, pixels)
    if image.isNull():  # nothing rendered: a white page, as drawing nothing on white gave
        image = QImage(pixels, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        return image
    painter = QPainter(image)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationOver)
    painter.fillRect(image.rect(), QColor("white"))
    painter.end()
    # Every pixel is opaque now: the same bytes read as RGB32, in place (QtPdf renders 32-bit ARGB).
    if not image.reinterpretAsFormat(QImage.Format.Format_RGB32):
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    return image


def print_pdf(data: bytes, target: PrintTarget, *, job_name: str, copies: int = 1) -> Path | None:
    """Print ``data`` on ``target`` (renderer thread); returns the file written by a file printer.

    Raises:
        PrinterError: the printer could not start or failed during the job.
    """
    document = _load(data)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    written: Path | None = None
    if target.folder is not None:
        try:
            target.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PrinterError(
                msg("printing", "无法写入打印文件夹 {path}（{reason}）。").bind(
                    path=str(target.folder), reason=exc.strerror
                )
            ) from None
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        written = target.folder / f"{job_name}-{stamp}.pdf"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(written))
    else:
        assert target.printer is not None
        printer.setPrinterName(target.printer)
    dpi = MIN_DPI if target.folder is not None else min(MAX_DPI, max(MIN_DPI, printer.resolution()))
    printer.setResolution(dpi)
    printer.setDocName(job_name)
    printer.setCopyCount(copies)
    printer.setFullPage(True)  # the PDF carries its own margins (GB/T 9704)
    first = document.pagePointSize(0)
    printer.setPageLayout(
        QPageLayout(QPageSize(first, QPageSize.Unit.Point), QPageLayout.Orientation.Portrait, QMarginsF())
    )
    painter = QPainter()
    if not painter.begin(printer):
        raise PrinterError(
            msg("printing", "打印机“{name}”无法开始打印（可能离线或被占用），文书没有打印。请检查打印机后重试。").bind(
                name=target.label
            )
        )
    try:
        for page in range(document.pageCount()):
            if page:
                size = document.pagePointSize(page)
                printer.setPageLayout(
                    QPageLayout(QPageSize(size, QPageSize.Unit.Point), QPageLayout.Orientation.Portrait, QMarginsF())
                )
                printer.newPage()
            image = page_image(document, page, dpi)
            painter.drawImage(QRectF(0, 0, printer.width(), printer.height()), image)
    finally:
        painter.end()
    if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        raise PrinterError(
            msg("printing", "打印机“{name}”在打印时出错（可能缺纸或卡纸）。请检查打印机后补打。").bind(
                name=target.label
            )
        )
    log.info("printed %s on %s (%d page(s), %d dpi)", job_name, target.label, document.pageCount(), dpi)
    return written
