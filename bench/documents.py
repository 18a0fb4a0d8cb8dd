"""Document benchmarks: receipt and form render times against a bare ReportLab page, and the receipt's size.

The baseline is a bare ReportLab page set in the same embedded face with the same characters (every text line of
the receipt drawn with ``drawString``): the font subsetting and compression a PDF of that text costs anyway.  The
receipt adds the layout (tables, wrapping), the QR code, the seal image and the fallback runs.  Both alternate in
one loop, after one warm-up each (font registration happens once per process, at the renderer thread's start).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from app.bootstrap import open_services
from app.demo import sample_draft, seed
from app.documents import fonts as fnt
from app.documents import render as renderer
from app.documents.fonts import load_fonts
from app.documents.model import DocumentKind, DocumentSettings, Paper
from app.domain import Decision, MaterialStatus
from app.intake.model import DecisionInput, DecisionResult, MaterialInput
from bench.common import DEMO_DEPLOYMENT, Figures, Result

RECEIPT_GOAL_P95 = 0.060  # seconds (issue: receipt render p95 ≤ 60 ms)
RECEIPT_GOAL_BYTES = 150 * 1024


def _decide(services: object, code: str) -> DecisionResult:
    intake = services.intake  # type: ignore[attr-defined]
    user = services.accounts.login("wangli", "demo1234")  # type: ignore[attr-defined]
    entry = services.catalog.entry(code)  # type: ignore[attr-defined]
    draft = sample_draft(entry.item, today=dt.date.today())
    lines = intake.check(draft).materials
    draft.materials = [MaterialInput(x.key, MaterialStatus.RECEIVED, x.party_index) for x in lines]
    return intake.decide(draft, DecisionInput(Decision.ACCEPT), user)  # type: ignore[no-any-return]


def draw_line(canvas: Canvas, x: float, y: float, line: str, loaded: fnt.FontSet, size: float) -> None:
    """One line at (``x``, ``y``) in ``size`` points, each run in the face that has its characters."""
    for face, chunk in fnt.runs(line, loaded):
        canvas.setFont(face, size)
        canvas.drawString(x, y, chunk)
        x += canvas.stringWidth(chunk, face, size)


def bare_page(text: str, loaded: fnt.FontSet) -> bytes:
    """The baseline: one page of ``text`` lines in the same faces, nothing else."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, initialFontName=fnt.REGULAR)
    y = 800.0
    for line in text.splitlines():
        draw_line(canvas, 60.0, y, line, loaded, 11)
        y -= 15
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _pdftext(pdf: bytes) -> str:
    import subprocess

    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def alternate(measured: Callable[[], object], base: Callable[[], object], runs: int) -> tuple[list[float], list[float]]:
    """Time both, alternating, so they share the machine's state (caches, other load)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for func, samples in ((measured, times[0]), (base, times[1])):
            start = time.perf_counter()
            func()
            samples.append(time.perf_counter() - start)
    return times


def run(runs: int = 200) -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(DEMO_DEPLOYMENT, Path(tmp))
        try:
            seed(services)
            loaded = load_fonts()
            settings = services.documents.settings
            simple = _decide(services, "MZ-SHJZ-002")
            household = _decide(services, "MZ-SHJZ-001")
            results = []
            for label, result in (("临时救助 (1 material)", simple), ("低保 household (8 materials)", household)):
                receipt = renderer.render(DocumentKind.RECEIPT, result, settings, loaded).pdf
                text = _pdftext(receipt)
                bare_page(text, loaded)
                measured, base = alternate(
                    lambda r=result: renderer.render(DocumentKind.RECEIPT, r, settings, loaded),
                    lambda t=text: bare_page(t, loaded),
                    runs,
                )
                roll = renderer.render(
                    DocumentKind.RECEIPT, result, dataclasses_replace(settings, Paper.THERMAL80), loaded
                ).pdf
                figures = Figures(measured)
                results.append(
                    Result(
                        "receipt",
                        f"受理回执 (A4) of a {label}: render to PDF bytes",
                        "bare ReportLab page of the same text in the same faces",
                        figures,
                        Figures(base),
                        2.0,
                        notes=[
                            f"absolute goal p95 ≤ {RECEIPT_GOAL_P95 * 1000:.0f} ms: "
                            f"{'met' if figures.p95 <= RECEIPT_GOAL_P95 else 'NOT MET'}",
                            f"size: A4 {len(receipt) / 1024:.0f} KB, 80 mm roll {len(roll) / 1024:.0f} KB, "
                            f"bare page {len(bare_page(text, loaded)) / 1024:.0f} KB "
                            f"(goal ≤ {RECEIPT_GOAL_BYTES // 1024} KB: "
                            f"{'met' if max(len(receipt), len(roll)) <= RECEIPT_GOAL_BYTES else 'NOT MET'})",
                        ],
                    )
                )
            form = renderer.render(DocumentKind.FORM, household, settings, loaded).pdf
            form_text = _pdftext(form)
            measured, base = alternate(
                lambda: renderer.render(DocumentKind.FORM, household, settings, loaded),
                lambda: bare_page(form_text, loaded),
                max(runs // 2, 1),
            )
            results.append(
                Result(
                    "form",
                    "申请表 of the 低保 household (2 pages, member table)",
                    "bare ReportLab page of the same text in the same faces",
                    Figures(measured),
                    Figures(base),
                    None,
                    notes=[f"size {len(form) / 1024:.0f} KB"],
                )
            )
            return results
        finally:
            services.close()


def dataclasses_replace(settings: DocumentSettings, paper: Paper) -> DocumentSettings:
    return dataclasses.replace(settings, receipt_paper=paper)
