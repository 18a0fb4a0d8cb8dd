"""The shown figures written as a daily report (日报): PDF, XLSX or CSV through app/reports/exports.py
``export_daily``, which checks the permission (full ID numbers only for a supervisor) and audits every export.  Runs
on a worker thread: no widgets here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import ValidationError
from app.i18n import msg
from app.reports import report as daily
from app.reports.exports import Format, export_daily

if TYPE_CHECKING:
    from ui.context import UiContext
    from ui.supervisor.figures import Shown


def build_report(context: UiContext, shown: Shown) -> daily.DailyReport:
    """The daily report of what the page shows (with the day's 日结 when one day of this workstation is shown)."""
    services = context.services
    if shown.scope == "center":
        try:
            return daily.from_center(
                shown.answer,
                center_name=services.deployment.center_name,
                now=services.intake.clock(),
                silent_minutes=services.deployment.silent_sync_minutes,
            )
        except ValueError as exc:
            raise ValidationError(msg("supervisor", "还没有取得中心数据，无法导出全中心日报。")) from exc
    close = services.day_close.closed(shown.first) if shown.first == shown.last else None
    return daily.from_workstation(shown.answer, close)


def write(context: UiContext, shown: Shown, path: Path, kind: str, *, full_ids: bool = False) -> Path:
    """Write the report as ``kind`` (pdf, xlsx, csv) to ``path`` (owner-only permissions) and return the path."""
    report = build_report(context, shown)
    fmt: Format = "pdf" if kind == "pdf" else "xlsx" if kind == "xlsx" else "csv"
    # The PDF prints no 申请明细 (so no ID number): full_ids only matters to the spreadsheets.
    data = export_daily(context.services, context.user, report, fmt, full_ids=full_ids and fmt != "pdf")
    return write_owner_only(path, data)


def write_owner_only(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` readable by its owner only (an export names citizens) and return the path; a file
    written over is made owner-only too (it keeps its mode otherwise), as app/cli_report.write_private does."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        if os.name == "posix":
            os.fchmod(handle.fileno(), 0o600)
        handle.write(data)
    return path
