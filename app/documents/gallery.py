"""The rendered samples in ``docs/documents``: every document of every shipped item, drawn from the demo's sample
cases decided through the real use cases (``make documents``, or ``python -m app.documents.gallery [FOLDER]``).

One folder per item (``<ITEM-CODE>/<kind>.png``, further pages ``<kind>-2.png`` …) and an ``index.md`` of what was
drawn; the few pages README.md shows are copied to the folder's top under their old names (``FEATURED``).  A
throw-away demo workstation in a temporary folder, with a fixed clock, so the pages do not change from one
run to the next unless the documents do.  Pages are rasterised by poppler's ``pdftoppm`` at a readable but small
resolution, in grey except the few colour samples that show the seal as printed.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.catalog.schema import Kind, ServiceItem
from app.documents.fonts import FontSet, load_fonts
from app.documents.forms import render_blank_form
from app.documents.model import DocumentKind, DocumentSettings, Paper
from app.documents.render import render
from app.domain import Decision
from app.intake.model import DecisionInput, DecisionResult, RefusalGround

if TYPE_CHECKING:  # the use cases are opened at run time only (app.bootstrap imports this package's service)
    from app.bootstrap import Services
    from app.security.accounts import SessionUser

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "docs" / "documents"
# 2026-11-23 10:00 in Shanghai: a Monday, inside the working-day calendar's years (as the tests' clock).
CLOCK = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)
DPI = 72  # A4 at 72 dpi: 595 × 842 pixels, the body text still readable
THERMAL_DPI = 120  # the 80 mm roll is narrow: 378 pixels wide
# (item, file) drawn in colour: the red seal as printed on A4; everything else in grey.
COLOUR = {("MZ-SHJZ-001", "receipt-a4"), ("MZ-SHJZ-002", "refusal-notice")}
REFUSAL = "申请人户籍不在本市，不符合本事项的申请条件，已告知向户籍地街道申请。"
# One refusal as not competent, naming where the matter belongs (行政许可法 Art. 32(1)(2)'s practice).
NOT_COMPETENT = {
    "MZ-SHJZ-002": ("申请人户籍和居住地均不在本街道。", "申请人户籍所在地街道社区事务受理服务中心"),
}
# The pages README.md shows, kept under their old names at the top of the folder (copies of the item's page: git
# stores identical files once).
FEATURED = {
    "receipt-a4.png": "MZ-SHJZ-001/receipt-a4.png",
    "receipt-80mm.png": "MZ-SHJZ-001/receipt-80mm.png",
    "receipt-reprint.png": "MZ-SHJZ-001/receipt-reprint.png",
    "form-dibao-1.png": "MZ-SHJZ-001/form.png",
    "supplement-notice.png": "MZ-SHJZ-002/supplement-notice.png",
    "refusal-notice.png": "MZ-SHJZ-002/refusal-notice.png",
    "precheck-notice.png": "MZ-HY-001/precheck-notice-missing.png",
    "form-marriage.png": "MZ-HY-001/form.png",
}


@dataclass(frozen=True)
class Sample:
    """One document drawn: which item, the file's stem, what it shows, its PDF and paper."""

    item: str
    stem: str
    caption: str
    pdf: bytes
    thermal: bool = False


def samples(services: Services, clerk: SessionUser) -> Iterator[Sample]:
    """Every document of every shipped item, as each item's kind and declarations allow (see module docstring)."""
    settings: DocumentSettings = services.documents.settings
    roll = dataclasses.replace(settings, receipt_paper=Paper.THERMAL80)
    fonts = load_fonts()
    for code in sorted(services.catalog.entries):
        entry = services.catalog.entry(code)
        assert entry is not None
        item = entry.item
        yield from _item_samples(services, clerk, item, settings, roll, fonts)
        blank = render_blank_form(item, settings, fonts, created=CLOCK).pdf
        yield Sample(code, "form-blank", "空白申请表", blank)


def _item_samples(
    services: Services,
    clerk: SessionUser,
    item: ServiceItem,
    settings: DocumentSettings,
    roll: DocumentSettings,
    fonts: FontSet,
) -> Iterator[Sample]:
    code = item.code

    def draw(kind: DocumentKind, result: DecisionResult, paper: DocumentSettings = settings) -> bytes:
        return render(kind, result, paper, fonts).pdf

    if item.kind is Kind.CONSULTATION:
        return
    if item.kind is Kind.INQUIRY:
        yield Sample(code, "answer-slip", "答复单", draw(DocumentKind.ANSWER_SLIP, _decide(services, clerk, item)))
        return
    if item.kind is Kind.PRECHECK:
        complete = _decide(services, clerk, item)
        yield Sample(code, "precheck-notice", "预审告知单（材料齐全）", draw(DocumentKind.PRECHECK_NOTICE, complete))
        missing = _decide(services, clerk, item, Decision.SUPPLEMENT)
        yield Sample(
            code, "precheck-notice-missing", "预审告知单（缺材料）", draw(DocumentKind.PRECHECK_NOTICE, missing)
        )
        yield Sample(code, "form", "申请表（已填写）", draw(DocumentKind.FORM, complete))
        return
    accepted = _decide(services, clerk, item)
    yield Sample(code, "receipt-a4", "受理回执（A4）", draw(DocumentKind.RECEIPT, accepted))
    yield Sample(code, "receipt-80mm", "受理回执（80 mm 热敏纸）", draw(DocumentKind.RECEIPT, accepted, roll), True)
    yield Sample(code, "form", "申请表（已受理）", draw(DocumentKind.FORM, accepted))
    supplement = _decide(services, clerk, item, Decision.SUPPLEMENT)
    yield Sample(code, "supplement-notice", "补正材料通知书", draw(DocumentKind.SUPPLEMENT_NOTICE, supplement))
    refused = _decide(services, clerk, item, Decision.REFUSE)
    yield Sample(code, "refusal-notice", "不予受理通知书", draw(DocumentKind.REFUSAL_NOTICE, refused))
    for decision, owed, stem, caption in (
        (Decision.TOLERATED, item.tolerated, "receipt-tolerated", "受理回执（容缺受理）"),
        (Decision.FIRST_AID, item.first_aid, "receipt-first-aid", "受理回执（先行救助）"),
    ):
        if owed is not None:
            result = _decide(services, clerk, item, decision)
            yield Sample(code, stem, caption, draw(DocumentKind.RECEIPT, result))
    if code == "MZ-SHJZ-001":  # one 补打: the stored receipt handed out again, stamped
        stored = services.documents.issue(accepted, clerk)
        copy = services.documents.copy_for_handout(services.documents.document(stored[0].id), reprint=True).data
        yield Sample(code, "receipt-reprint", "受理回执（补打）", copy)


def _decide(
    services: Services,
    clerk: SessionUser,
    item: ServiceItem,
    decision: Decision = Decision.ACCEPT,
    *,
    called_at: dt.datetime | None = None,
) -> DecisionResult:
    """The demo's sample case of ``item`` decided as ``decision`` (as tests/app/documents/doc_testkit.py does):
    补正 leaves the first required material missing and the next one defective; 容缺/先行救助 leave the materials
    the item allows to be owed missing, in the case its ``when`` names."""
    from app.demo import sample_draft, sample_ticks

    draft = sample_draft(item, today=services.intake.clock().date())
    draft.called_at = called_at  # the 叫号 (the daily report's 办理时长 runs from it); the samples have none
    owed = item.tolerated if decision is Decision.TOLERATED else item.first_aid
    if decision in (Decision.TOLERATED, Decision.FIRST_AID) and owed is not None and owed.when is not None:
        if owed.when.equals is not None:
            draft.values[owed.when.field] = owed.when.equals
        elif owed.when.in_:
            draft.values[owed.when.field] = owed.when.in_[0]
    owes = owed is not None and decision in (Decision.TOLERATED, Decision.FIRST_AID)
    owed_keys = owed.materials if owed is not None and owes else ()
    draft.materials = sample_ticks(services.intake.check(draft).materials, decision, owed_keys)
    chosen = DecisionInput(decision)
    if decision is Decision.REFUSE and item.code in NOT_COMPETENT:
        reason, office = NOT_COMPETENT[item.code]
        chosen = DecisionInput(decision, reason, ground=RefusalGround.NOT_COMPETENT.value, competent_office=office)
    elif decision is Decision.REFUSE:
        chosen = DecisionInput(decision, REFUSAL, ground=RefusalGround.NOT_ELIGIBLE.value)
    elif decision is Decision.FIRST_AID:
        chosen = DecisionInput(decision, basis="家中突发火灾，身份证件烧毁，生活急需救助。")
    return services.intake.decide(draft, chosen, clerk)


def rasterise(pdf: bytes, target: Path, *, dpi: int, grey: bool) -> list[Path]:
    """Write the pages of ``pdf`` as ``target`` (.png), ``target-2.png`` …; return the files written."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        options = ["-gray"] if grey else []
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", *options, str(source), str(Path(tmp) / "p")], check=True)
        pages = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        written = []
        for number, page in enumerate(pages, start=1):
            path = target.with_name(target.stem + (f"-{number}" if number > 1 else "") + ".png")
            shutil.move(page, path)
            written.append(path)
        return written


def render_gallery(folder: Path) -> list[Path]:
    """Draw every sample into ``folder`` (its item folders and index replaced); return the files written."""
    from app.bootstrap import open_services
    from app.demo import DEMO_PASSWORD, seed
    from app.resources import resource_path

    written: list[Path] = []
    rows: list[tuple[Sample, list[Path]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(resource_path("demo", "deployment.toml"), Path(tmp), clock=lambda: CLOCK)
        try:
            seed(services)
            clerk = services.accounts.login("wangli", DEMO_PASSWORD)
            # Its own pages only: another sample at the top (the 材料交接单's handover.png) is left alone.
            for old in [*folder.glob("*/*.png"), *(folder / name for name in FEATURED)]:
                old.unlink(missing_ok=True)
            for sample in samples(services, clerk):
                target = folder / sample.item / f"{sample.stem}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                grey = (sample.item, sample.stem) not in COLOUR
                pages = rasterise(sample.pdf, target, dpi=THERMAL_DPI if sample.thermal else DPI, grey=grey)
                written += pages
                rows.append((sample, pages))
        finally:
            services.close()
    daily = draw_daily_report(folder / "daily-report" / "daily-report.png")
    written += daily
    for name, source in FEATURED.items():
        shutil.copyfile(folder / source, folder / name)
        written.append(folder / name)
    index = folder / "index.md"
    index.write_text(_index(rows, folder) + _daily_index(daily, folder), encoding="utf-8")
    return [*written, index]


#: The daily report's demo day (a Monday at this workstation): (叫号 → decision, item, first decision, minutes from the
#: 叫号 to the decision, the citizen's rating: a level, "skip" for 未评价, "bad" for a 差评 with a phone, "anon" for an
#: anonymous one, None for a citizen who left before the rater came up).  A morning rush, a quiet lunch, an afternoon.
DAY_CASES: tuple[tuple[str, str, Decision, int, str | None], ...] = (
    ("08:47", "MZ-SHJZ-002", Decision.ACCEPT, 6, "very_satisfied"),
    ("09:05", "MZ-SHJZ-001", Decision.ACCEPT, 14, "very_satisfied"),
    ("09:21", "MZ-YLFW-001", Decision.ACCEPT, 9, "satisfied"),
    ("09:34", "MZ-SHJZ-002", Decision.SUPPLEMENT, 7, "very_satisfied"),
    ("09:52", "CL-CJFW-001", Decision.ACCEPT, 11, "skip"),
    ("10:08", "MZ-SHJZ-001", Decision.ACCEPT, 18, "very_satisfied"),
    ("10:19", "MZ-BZ-001", Decision.ACCEPT, 8, "basically_satisfied"),
    ("10:31", "MZ-SHJZ-002", Decision.REFUSE, 5, "bad"),
    ("10:44", "MZ-YLFW-002", Decision.ACCEPT, 12, "very_satisfied"),
    ("10:58", "MZ-SHJZ-003", Decision.ACCEPT, 16, "satisfied"),
    ("11:12", "MZ-SHJZ-002", Decision.ACCEPT, 6, "very_satisfied"),
    ("11:27", "CL-CJFW-002", Decision.SUPPLEMENT, 9, None),
    ("11:40", "MZ-SHJZ-001", Decision.ACCEPT, 21, "very_satisfied"),
    ("13:15", "MZ-YLFW-001", Decision.ACCEPT, 10, "satisfied"),
    ("13:42", "MZ-SHJZ-002", Decision.ACCEPT, 7, "very_satisfied"),
    ("14:03", "MZ-BZ-002", Decision.ACCEPT, 13, "skip"),
    ("14:18", "MZ-SHJZ-001", Decision.SUPPLEMENT, 15, "anon"),
    ("14:35", "MZ-SHJZ-004", Decision.ACCEPT, 9, "very_satisfied"),
    ("14:51", "MZ-SHJZ-002", Decision.ACCEPT, 6, "satisfied"),
    ("15:10", "MZ-YLFW-003", Decision.ACCEPT, 11, "very_satisfied"),
    ("15:33", "MZ-SHJZ-001", Decision.ACCEPT, 24, "basically_satisfied"),
    ("15:58", "CL-CJFW-001", Decision.ACCEPT, 8, "very_satisfied"),
    ("16:22", "MZ-SHJZ-002", Decision.ACCEPT, 5, "very_satisfied"),
    ("16:41", "MZ-SHJZ-003", Decision.ACCEPT, 17, "skip"),
)
#: When the demo's own sample cases are taken (app.demo.seed), and when the report is drawn, in Shanghai.
DAY_START, DAY_END = "08:32", "17:30"


class _DayClock:
    """The demo day's clock for the daily report: moved on case by case, so each is received, called and decided
    at its own time of day (the documents' samples keep the fixed :data:`CLOCK`)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def draw_daily_report(target: Path) -> list[Path]:
    """The 受理窗口日报 of a demo day on its own throw-away workstation: the cases of :data:`DAY_CASES` taken through
    the real use cases at their times of day (so the hour chart and the 办理时长 show a day's shape), each citizen
    rating the visit at once (a few levels, a named and an anonymous 差评, some 未评价); pages in grey."""
    from app.bootstrap import open_services
    from app.demo import DEMO_PASSWORD, seed
    from app.documents.daily_report import render_daily_report
    from app.domain import BadRatingReason, RatingLevel
    from app.errors import YimenError
    from app.ratings import RatingInput
    from app.reports import report as daily
    from app.resources import resource_path
    from app.security.permissions import MACHINE

    shanghai = dt.timezone(dt.timedelta(hours=8))
    day = CLOCK.astimezone(shanghai).date()

    def at(hhmm: str) -> dt.datetime:
        hour, minute = (int(part) for part in hhmm.split(":"))
        return dt.datetime.combine(day, dt.time(hour, minute), shanghai).astimezone(dt.UTC)

    clock = _DayClock(CLOCK)
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(resource_path("demo", "deployment.toml"), Path(tmp), clock=clock)
        try:
            clock.now = at(DAY_START)  # the demo's four sample cases (rare names), decided as the doors open
            seed(services)
            clerk = services.accounts.login("wangli", DEMO_PASSWORD)
            for index, (called, code, decision, minutes, rating) in enumerate(DAY_CASES):
                entry = services.catalog.entry(code)
                if entry is None:
                    continue
                clock.now = at(called)
                call = clock.now
                clock.now = call + dt.timedelta(minutes=minutes, seconds=index * 37 % 60)
                try:
                    result = _decide(services, clerk, entry.item, decision, called_at=call)
                except YimenError:
                    continue  # an item the demo's sample case does not fit for this decision
                clock.now += dt.timedelta(minutes=1)
                occasion = services.ratings.awaiting(result.acceptance_no)
                if occasion is None or rating is None:
                    continue
                if rating == "skip":
                    services.ratings.skip(result.acceptance_no, occasion, clerk)
                    continue
                if rating in ("bad", "anon"):
                    phone = "13912345678" if rating == "bad" else None
                    reasons = (BadRatingReason.LONG_WAIT,) if rating == "bad" else (BadRatingReason.MATERIALS,)
                    comment = "排队时间较长。" if rating == "bad" else "要带的材料太多。"
                    given = RatingInput(RatingLevel.DISSATISFIED, reasons, comment, phone)
                else:
                    given = RatingInput(RatingLevel(rating))
                services.ratings.record(result.acceptance_no, occasion, given, clerk)
            clock.now = at(DAY_END)
            view = services.reports.day_summary(MACHINE, day)
            report = daily.from_workstation(view, services.day_close.closed(day))
        finally:
            services.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in target.parent.glob("*.png"):
        old.unlink()
    return rasterise(render_daily_report(report), target, dpi=DPI, grey=True)


def _daily_index(pages: list[Path], folder: Path) -> str:
    links = ", ".join(f"[{p.name}]({p.relative_to(folder).as_posix()})" for p in pages)
    return f"\n## 受理窗口日报 (daily report)\n\n- The demo day's figures (docs/supervisor.md): {links}\n"


def _index(rows: list[tuple[Sample, list[Path]]], folder: Path) -> str:
    lines = [
        "# Rendered documents",
        "",
        "Generated by `make documents` (app/documents/gallery.py) from the demo's sample cases; do not edit by hand.",
        "Every document of every shipped item, one folder per item; see docs/documents.md for what each prints.",
        "",
        "Shown in README.md (copies of item pages): "
        + ", ".join(f"[{name}]({name}) = {source}" for name, source in FEATURED.items())
        + ".",
    ]
    item = ""
    for sample, pages in rows:
        if sample.item != item:
            item = sample.item
            lines += ["", f"## {item}", ""]
        links = ", ".join(f"[{p.name}]({p.relative_to(folder).as_posix()})" for p in pages)
        lines.append(f"- {sample.caption}: {links}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.documents.gallery")
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    options = parser.parse_args(argv)
    render_gallery(options.folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
