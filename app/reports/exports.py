"""The daily report as spreadsheets: CSV (UTF-8 with BOM, so Excel opens the Chinese) and XLSX (openpyxl).

Both hold the same tables, one per section of :class:`app.reports.report.DailyReport` (汇总, 按事项, 按人员, 按时段,
办理时长, 评价, 差评, 期限, 更正作废, 数据上传) and the 申请明细: the period's applications of this workstation's store,
one line each (受理编号, 事项, 经办人, 收件时间, 首次决定, 当前状态, 申请人, 证件号码, 承诺期限, 上传状态).  The
applicant's name is shown (the supervisor needs it to follow a case up); the ID number is masked (app.idnumber
``mask_id``: first 3 and last 4) unless ``full_ids``, which needs :attr:`Permission.FULL_ID_EXPORT` and is audited
(``report.full_ids_exported``, without any number).  The CSV puts the tables one under the other, each after a
line 【表名】 and its header line, with an empty line between them; the XLSX has one sheet per table.

:func:`export_daily` is the one entry point of the window and the command line, for the PDF too: it checks the
permission, reads the records, writes the bytes and audits the export (``report.daily_exported``: format, period,
scope, number of records, whether full ID numbers).  :func:`write_csv` and :func:`write_xlsx` only write what
they are given.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select

from app import idnumber
from app.domain import Decision, PartyRole
from app.intake.labels import decision_label, sync_label
from app.localtime import SHANGHAI, utc_bounds
from app.reports.report import (
    APPLICATIONS_LABEL,
    CHANGE_KIND_ZH,
    NO_CALL_BACK,
    VOIDED_LABEL,
    DailyReport,
    age_text,
    duration_text,
    event_text,
    follow_up_state_text,
    level_text,
    listed_note,
    named_text,
    percent,
)
from app.security import audit
from app.security.permissions import Actor, Permission, allows, require
from db.models import Application, ApplicationParty, DecisionRecord, Person, User

Format = Literal["csv", "xlsx", "pdf"]

_DECISION_ZH = {
    Decision.ACCEPT.value: "受理",
    Decision.SUPPLEMENT.value: "一次性补正告知",
    Decision.REFUSE.value: "不予受理",
    Decision.TOLERATED.value: "容缺受理",
    Decision.FIRST_AID.value: "先行救助",
}

RECORD_HEADER = (
    "受理编号",
    "事项",
    "经办人",
    "收件时间",
    "首次决定",
    "当前状态",
    "申请人",
    "证件号码",
    "承诺期限",
    "上传状态",
)


@dataclass(frozen=True)
class CaseRecord:
    """One application of the period as the 申请明细 lists it (``id_number`` masked unless a full export)."""

    acceptance_no: str
    item_name: str
    clerk: str  # username
    clerk_name: str
    received_at: dt.datetime
    first_decision: str  # app.domain.Decision value
    decision: str  # the latest
    state: str
    applicant_name: str
    id_number: str
    promised_date: dt.date | None
    sync_state: str

    def cells(self) -> list[str]:
        return [
            self.acceptance_no,
            self.item_name,
            self.clerk_name or self.clerk,
            _local_text(self.received_at),
            _DECISION_ZH.get(self.first_decision, self.first_decision),
            decision_label(self.decision, self.state).render(),
            self.applicant_name,
            self.id_number,
            self.promised_date.isoformat() if self.promised_date else "",
            sync_label(self.sync_state).render(),
        ]


@dataclass(frozen=True)
class Table:
    """One table of an export: the sheet's name, its header and its rows (all text or numbers)."""

    name: str
    header: tuple[str, ...]
    rows: list[list[Any]]


def _local_text(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _share(count: int, total: int) -> str:
    return f"{count / total * 100:.1f}%" if total else ""


# ------------------------------------------------------------------------------------------------ the records


def case_records(
    services: Any,
    by: Actor,
    first: dt.date,
    last: dt.date | None = None,
    *,
    full_ids: bool = False,
    clerk: str | None = None,
) -> list[CaseRecord]:
    """The applications received from ``first`` to ``last`` (Shanghai days) in this workstation's store, oldest
    first; ``clerk`` (a username) keeps one clerk's.  An account with only OWN_FIGURES gets its own whatever
    ``clerk`` says.  Does not audit: :func:`export_daily` does.

    Raises:
        NotAllowedError: ``by`` may see no figures, or asks for full ID numbers without FULL_ID_EXPORT.
    """
    clerk = _scope(by, clerk)
    if full_ids:
        require(by, Permission.FULL_ID_EXPORT)
    last = last or first
    start, end = utc_bounds(first, last)
    query = (
        select(
            Application.id,
            Application.acceptance_no,
            Application.item_code,
            Application.received_at,
            Application.decision,
            Application.state,
            Application.promised_date,
            Application.sync_state,
            User.username,
            User.display_name,
        )
        .join(User, User.id == Application.clerk_id)
        .where(Application.received_at >= start, Application.received_at < end)
        .order_by(Application.received_at, Application.acceptance_no)
    )
    if clerk is not None:
        query = query.where(User.username == clerk)
    with services.db.read_connection() as conn:
        rows = conn.execute(query).all()
        ids = [r.id for r in rows]
        parties = (
            conn.execute(
                select(ApplicationParty.application_id, ApplicationParty.role, ApplicationParty.name, Person.id_number)
                .join(Person, Person.id == ApplicationParty.person_id)
                .where(ApplicationParty.application_id.in_(ids))
                .order_by(ApplicationParty.application_id, ApplicationParty.position)
            ).all()
            if ids
            else []
        )
        decisions = (
            conn.execute(
                select(DecisionRecord.application_id, DecisionRecord.decision)
                .where(DecisionRecord.application_id.in_(ids))
                .order_by(DecisionRecord.decided_at)
            ).all()
            if ids
            else []
        )
    # The applicant, or the case's first party (the two parties of a marriage pre-check have no 申请人).
    applicant: dict[uuid.UUID, tuple[str, str | None]] = {}
    named_applicant: set[uuid.UUID] = set()
    for p in parties:
        if p.role == PartyRole.APPLICANT.value and p.application_id not in named_applicant:
            applicant[p.application_id] = (p.name, p.id_number)
            named_applicant.add(p.application_id)
        elif p.application_id not in applicant:
            applicant[p.application_id] = (p.name, p.id_number)
    first_decision: dict[uuid.UUID, str] = {}
    for d in decisions:
        first_decision.setdefault(d.application_id, d.decision)
    out = []
    for r in rows:
        name, number = applicant.get(r.id, ("", None))
        shown = (number if full_ids else idnumber.mask_id(number)) if number else ""
        out.append(
            CaseRecord(
                acceptance_no=r.acceptance_no,
                item_name=services.catalog.item_name(r.item_code),
                clerk=r.username,
                clerk_name=r.display_name,
                received_at=r.received_at,
                first_decision=first_decision.get(r.id, r.decision),
                decision=r.decision,
                state=r.state,
                applicant_name=name,
                id_number=shown,
                promised_date=r.promised_date,
                sync_state=r.sync_state,
            )
        )
    return out


def _scope(by: Actor, clerk: str | None) -> str | None:
    """Whose records ``by`` may list: anyone's with ALL_FIGURES, else only their own (OWN_FIGURES)."""
    if allows(by.role, Permission.ALL_FIGURES):
        require(by, Permission.ALL_FIGURES)
        return clerk
    require(by, Permission.OWN_FIGURES)
    return str(getattr(by, "username", "")) or None


# ------------------------------------------------------------------------------------------------ the tables


def _deadlines_cut(s: Any) -> str:
    overdue = listed_note(len(s.overdue), s.overdue_total)
    soon = listed_note(len(s.due_soon), s.due_soon_total)
    return f"“期限”表只列出一部分：已超期 {s.overdue_total} 件{overdue}，三个工作日内到期 {s.due_soon_total} 件{soon}"


def tables(report: DailyReport, records: Sequence[CaseRecord] = ()) -> list[Table]:
    """Every table of the export, in the order of the report (汇总 first, 申请明细 last)."""
    s = report.summary
    rated = sum(t.count for t in s.ratings if t.key != "unrated")
    out = [
        Table(
            "汇总",
            ("项目", "内容"),
            [
                ["报表", report.title],
                ["服务中心", report.center_name],
                ["范围", report.place],
                ["统计期间", f"{s.first.isoformat()} 至 {s.last.isoformat()}"],
                ["日结", report.close_text],
                ["生成时间", _local_text(report.generated_at)],
                *([["仅含经办人", report.clerk_name(report.clerk_only)]] if report.clerk_only else []),
                *([["注意", report.stale_note]] if report.stale_note else []),
                [APPLICATIONS_LABEL, s.applications],
                [VOIDED_LABEL, s.voided],
                ["群众评价（次，不含未评价）", rated],
                ["评价率", percent(s.rated_share)],
                ["满意率", percent(s.satisfaction_rate)],
                ["差评（件）", len(s.bad_ratings)],
                ["超期未办结（件）", s.overdue_total],
                ["三个工作日内到期（件）", s.due_soon_total],
                *(
                    [["注意", _deadlines_cut(s)]]
                    if s.overdue_total > len(s.overdue) or s.due_soon_total > len(s.due_soon)
                    else []
                ),
                *(
                    [["申请明细", "全中心报表不含申请明细，请在各工位导出本工位的日报"]]
                    if report.scope == "center"
                    else []
                ),
            ],
        ),
        Table(
            "按事项",
            ("事项编码", "事项", "件数", "占比"),
            [[t.key, t.label, t.count, _share(t.count, s.applications)] for t in s.by_item],
        ),
        Table(
            "按决定",
            ("类别", "决定", "件数"),
            [["首次决定", t.label or t.key, t.count] for t in s.by_decision]
            + [["补正后再次来办", t.label or t.key, t.count] for t in s.return_visits],
        ),
        Table(
            "按人员",
            ("账号", "经办人", "件数", "占比"),
            [[t.key, t.label, t.count, _share(t.count, s.applications)] for t in s.by_clerk],
        ),
        Table("按时段", ("时段", "件数"), [[f"{t.key}时", t.count] for t in sorted(s.by_hour, key=lambda t: t.key)]),
        Table(
            "办理时长",
            ("事项编码", "事项", "件数", "中位时长（秒）", "最长（秒）", "中位时长", "最长"),
            [
                [
                    d.item_code,
                    d.item_name,
                    d.count,
                    d.median_seconds,
                    d.longest_seconds,
                    duration_text(d.median_seconds),
                    duration_text(d.longest_seconds),
                ]
                for d in s.durations
            ],
        ),
        Table(
            "评价",
            ("等级代码", "评价等级", "次数"),
            [[t.key, level_text(t.key), t.count] for t in s.ratings],
        ),
        Table(
            "差评",
            ("受理编号", "等级", "经办人", "评价时间", "实名/匿名", "回访期限", "整改期限", "状态", "超期"),
            [
                [
                    b.acceptance_no,
                    level_text(b.level),
                    report.clerk_name(b.clerk),
                    _local_text(b.rated_at),
                    named_text(b.named),
                    _date(b.contact_due) if b.named else NO_CALL_BACK,
                    _date(b.rectify_due),
                    follow_up_state_text(b.state, b.named),
                    "是" if b.overdue else "否",
                ]
                for b in s.bad_ratings
            ],
        ),
        Table(
            "期限",
            ("类别", "受理编号", "事项", "经办人", "承诺期限"),
            [["已超期", c.acceptance_no, c.item_name, report.clerk_name(c.clerk), _date(c.due)] for c in s.overdue]
            + [
                ["三个工作日内到期", c.acceptance_no, c.item_name, report.clerk_name(c.clerk), _date(c.due)]
                for c in s.due_soon
            ],
        ),
        Table(
            "更正作废",
            ("受理编号", "类别", "时间", "经办人", "批准人", "原因", "已日结日"),
            [
                [
                    c.acceptance_no,
                    CHANGE_KIND_ZH.get(c.kind, c.kind),
                    _local_text(c.at),
                    report.clerk_name(c.clerk),
                    report.clerk_name(c.approved_by),
                    c.reason,
                    "是" if c.closed_day else "否",
                ]
                for c in s.changes
            ],
        ),
        _sync_table(report),
        Table("申请明细", RECORD_HEADER, [r.cells() for r in records]),
    ]
    return out


def _sync_table(report: DailyReport) -> Table:
    if report.scope == "center":
        return Table(
            "数据上传",
            (
                "工位",
                "受理件数",
                "最近成功上传",
                "长时间未成功上传",
                "日结时间",
                "日结人",
                "日结说明",
                "本期已日结日",
                "最近连接服务器",
            ),
            [
                [
                    w.workstation_code,
                    w.applications,
                    _local_text(w.last_accepted_at) or "从未成功上传",
                    "是" if w.silent else "否",
                    _local_text(w.closed_at) or "未日结",
                    w.closed_by or "",
                    w.close_reason or "",
                    "、".join(d.isoformat() for d in w.closed_days),
                    _local_text(w.last_push_at),
                ]
                for w in report.workstations
            ],
        )
    return Table(
        "数据上传",
        ("状态", "受理编号", "事件", "产生时间", "已等待", "原因"),
        [
            [
                "待上传",
                e.acceptance_no or "",
                event_text(e.event_type),
                _local_text(e.created_at),
                age_text(e.age_seconds),
                "",
            ]
            for e in report.unsynced
        ]
        + [
            [
                "被隔离",
                e.acceptance_no or "",
                event_text(e.event_type),
                _local_text(e.created_at),
                age_text(e.age_seconds),
                e.reason or "",
            ]
            for e in report.quarantined
        ],
    )


# ------------------------------------------------------------------------------------------------ writing


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value)


def write_csv(report: DailyReport, records: Sequence[CaseRecord] = ()) -> bytes:
    """Every table one under the other: 【表名】, its header, its rows, an empty line.  UTF-8 with BOM, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, table in enumerate(tables(report, records)):
        if index:
            writer.writerow([])
        writer.writerow([f"【{table.name}】"])
        writer.writerow(table.header)
        writer.writerows([[_cell_text(v) for v in row] for row in table.rows])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def read_csv_tables(data: bytes) -> dict[str, list[list[str]]]:
    """The tables of :func:`write_csv` back by name (header line first): for the tests and for anyone mapping it."""
    text = data.decode("utf-8-sig")
    out: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            current = None
            continue
        if len(row) == 1 and row[0].startswith("【") and row[0].endswith("】"):
            current = out.setdefault(row[0][1:-1], [])
            continue
        if current is not None:
            current.append(row)
    return out


def write_xlsx(report: DailyReport, records: Sequence[CaseRecord] = ()) -> bytes:
    """One sheet per table, the header bold and frozen, columns wide enough for their text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for table in tables(report, records):
        sheet = book.create_sheet(table.name)
        sheet.append(list(table.header))
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([v if isinstance(v, int | float) else _cell_text(v) for v in row])
        sheet.freeze_panes = "A2"
        for column, head in enumerate(table.header, 1):
            values = [head, *(_cell_text(row[column - 1]) for row in table.rows)]
            wide = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in v) for v in values)
            sheet.column_dimensions[sheet.cell(1, column).column_letter].width = min(max(wide + 2, 8), 60)
    book.properties.title = f"{report.title} {report.summary.first.isoformat()}"
    book.properties.creator = "一门式社区事务受理台 (Yimen)"
    # The document properties date the report (when its figures were made), not the export.
    created = report.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    book.properties.created = book.properties.modified = created
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------------ the entry point


def audit_export(
    services: Any,
    by: Actor | None,
    action: str,
    details: dict[str, Any],
    *,
    via: str,
    os_account: str | None = None,
) -> None:
    """Record an export of a report or list in the audit chain: ``details`` with ``via`` (``window``, ``cli``) and,
    from the command line, the OS account; the user when ``by`` is a signed-in one (the machine has no id)."""
    details = {**details, "via": via}
    if os_account is not None:
        details["os_account"] = os_account
    user_id = getattr(by, "id", None)
    with services.db.write() as session:
        audit.record(
            session,
            action=action,
            entity_type="report",
            entity_id=None,
            workstation_code=services.deployment.workstation_code,
            user_id=user_id if isinstance(user_id, uuid.UUID) else None,
            details=details,
        )


def export_daily(
    services: Any,
    by: Actor,
    report: DailyReport,
    fmt: Format,
    *,
    full_ids: bool = False,
    via: str = "window",
    os_account: str | None = None,
) -> bytes:
    """The CSV or XLSX of ``report`` with the 申请明细 of its period (this workstation's store; one clerk's when the
    report is ``clerk_only``, or when ``by`` sees only their own), or its PDF (app/documents/daily_report.py; no
    申请明细, so no ID number), audited either way.

    Raises:
        NotAllowedError: ``by`` may not see these figures, or asks for full ID numbers without FULL_ID_EXPORT.
    """
    if report.scope == "center":
        require(by, Permission.ALL_FIGURES)
    first, last = report.summary.first, report.summary.last
    if fmt == "pdf":
        from app.documents.daily_report import render_daily_report

        _scope(by, report.clerk_only)
        if full_ids:
            require(by, Permission.FULL_ID_EXPORT)
        records: list[CaseRecord] = []
        data = render_daily_report(report)
        full_ids = False  # the PDF prints no 申请明细
    else:
        # The center's report: the server gives figures, not records; each workstation exports its own 申请明细.
        records = (
            []
            if report.scope == "center"
            else case_records(services, by, first, last, full_ids=full_ids, clerk=report.clerk_only)
        )
        data = write_csv(report, records) if fmt == "csv" else write_xlsx(report, records)
    audit_export(
        services,
        by,
        "report.full_ids_exported" if full_ids else "report.daily_exported",
        {
            "format": fmt,
            "scope": report.scope,
            "first": report.summary.first.isoformat(),
            "last": report.summary.last.isoformat(),
            "records": len(records),
            "full_ids": full_ids,
        },
        via=via,
        os_account=os_account,
    )
    return data
