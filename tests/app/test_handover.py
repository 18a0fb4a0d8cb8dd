"""The 材料交接单: which paper of which case goes to the back office on a day (app/reports/handover.py), the A4
document read back with pdftotext (app/documents/handover.py), and ``yimen report handover`` as a process.

A real SQLite store and the small test catalog (tests/app/data/catalog-owed: an ID card checked and handed back, a
household register whose copy is kept or checked electronically, photos in 张, 容缺受理), plus shipped items.
"""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from app.documents.fonts import load_fonts
from app.documents.handover import render_handover
from app.domain import Decision, MaterialStatus, Role
from app.errors import NotAllowedError
from app.intake.model import DecisionInput, MaterialInput
from app.reports.handover import HandoverList, handover_list
from app.security.permissions import MACHINE
from tests import pdfkit
from tests.app.documents.doc_testkit import take
from tests.app.test_intake_materials import ALL, OWED_CATALOG, draft, present
from tests.conftest import add_user

MONDAY = dt.date(2026, 11, 23)
TUESDAY = dt.date(2026, 11, 24)
MASKED = "310***********0023"


@pytest.fixture
def owed(services_factory):
    return services_factory(catalog_dir=OWED_CATALOG)


@pytest.fixture
def owed_clerk(owed):
    return add_user(owed)


def _week(owed, clerk, clock) -> dict[str, str]:
    """Monday: 甲 accepted with copies kept ×2, 乙 容缺受理 with the 户口簿 checked electronically, 丙 补正, 丁 refused.
    Tuesday: 丙 comes back and is accepted, 乙 brings the owed 收入证明, 戊 is accepted."""
    decide = owed.intake.decide
    a = decide(
        draft(
            MaterialInput("applicant_id_card", MaterialStatus.RECEIVED),  # handling return: checked, handed back
            MaterialInput("household_register", MaterialStatus.RECEIVED, count=2),  # copy kept, two of them
            *present("photos", "income_proof"),
            name="甲",
        ),
        DecisionInput(Decision.ACCEPT),
        clerk,
    )
    b = decide(
        draft(
            *present("applicant_id_card", "photos"),
            MaterialInput("household_register", MaterialStatus.E_VERIFIED),
            name="乙",
        ),
        DecisionInput(Decision.TOLERATED),
        clerk,
    )
    c = decide(
        draft(*present("applicant_id_card", "household_register", "photos"), name="丙"),
        DecisionInput(Decision.SUPPLEMENT),
        clerk,
    )
    d = decide(
        draft(*present(*ALL), name="丁"),
        DecisionInput(Decision.REFUSE, "不符合申请条件。", ground="not_eligible"),
        clerk,
    )
    clock.advance(days=1)
    owed.intake.supplement_return(c.acceptance_no, present("income_proof"), DecisionInput(Decision.ACCEPT), clerk)
    owed.intake.materials_return(b.acceptance_no, present("income_proof"), clerk)
    e = decide(draft(*present(*ALL), name="戊"), DecisionInput(Decision.ACCEPT), clerk)
    return {name: r.acceptance_no for name, r in (("甲", a), ("乙", b), ("丙", c), ("丁", d), ("戊", e))}


def _handed(handover: HandoverList) -> dict[str, list[tuple[str, str, int, str]]]:
    return {c.applicant_name: [(m.key, m.status, m.count, m.unit) for m in c.handed] for c in handover.cases}


def test_the_list_of_a_day_hands_over_the_paper_kept_and_names_what_was_handed_back(owed, owed_clerk, clock) -> None:
    numbers = _week(owed, owed_clerk, clock)
    monday = handover_list(owed.intake, MONDAY, by=owed_clerk)
    # The 补正 case and the refusal hand nothing over; Tuesday's cases are not on Monday's list.
    assert [c.acceptance_no for c in monday.cases] == [numbers["甲"], numbers["乙"]]
    assert _handed(monday) == {
        "甲": [
            ("household_register", "copy_kept", 2, "本"),
            ("photos", "received", 2, "张"),
            ("income_proof", "received", 1, "份"),
        ],
        "乙": [("photos", "received", 2, "张")],
    }
    a, b = monday.cases
    assert [(m.key, m.status) for m in a.not_handed] == [("applicant_id_card", "original_checked")]
    assert [(m.key, m.status) for m in b.not_handed] == [
        ("applicant_id_card", "original_checked"),
        ("household_register", "e_verified"),
    ]
    assert [m.key for m in b.owed] == ["income_proof"] and b.decision == "tolerated"
    assert (a.applicant_id_masked, a.brought_later) == (MASKED, False)
    assert monday.copies == {"本": 2, "张": 4, "份": 1} and monday.material_lines == 4


def test_the_next_day_lists_the_supplemented_case_and_only_the_owed_paper_brought(owed, owed_clerk, clock) -> None:
    numbers = _week(owed, owed_clerk, clock)
    tuesday = handover_list(owed.intake, TUESDAY, by=owed_clerk)
    assert {c.applicant_name: c.acceptance_no for c in tuesday.cases} == {
        "丙": numbers["丙"],
        "乙": numbers["乙"],
        "戊": numbers["戊"],
    }
    handed = _handed(tuesday)
    # Accepted after the 补正 return visit: the whole file goes, the paper of the first visit included.
    assert [k for k, *_ in handed["丙"]] == ["household_register", "photos", "income_proof"]
    # 容缺受理 on Monday: only what was brought on Tuesday; its photos went with Monday's list.
    assert handed["乙"] == [("income_proof", "received", 1, "份")]
    late = next(c for c in tuesday.cases if c.applicant_name == "乙")
    assert late.brought_later and late.not_handed == () and late.owed == ()
    assert handover_list(owed.intake, dt.date(2026, 11, 25), by=owed_clerk).cases == ()


def test_reading_the_list_needs_the_right_to_read_records(owed) -> None:
    admin = add_user(owed, "it", admin=True)
    assert handover_list(owed.intake, MONDAY, by=admin).cases == ()
    assert handover_list(owed.intake, MONDAY, by=MACHINE).cases == ()

    class Temporary:
        role = Role.CLERK
        must_change_password = True

    with pytest.raises(NotAllowedError, match="临时密码"):
        handover_list(owed.intake, MONDAY, by=Temporary())


def _block(text: str, start: str, end: str | None) -> str:
    tail = text[text.index(start) :]
    return tail[: tail.index(end)] if end else tail


def test_the_document_lists_each_case_with_counts_and_units_and_not_the_returned_originals(
    owed, owed_clerk, clock
) -> None:
    numbers = _week(owed, owed_clerk, clock)
    pdf, pages = render_handover(handover_list(owed.intake, MONDAY, by=owed_clerk), load_fonts())
    text = pdfkit.flat(pdf)
    assert pages == 1 and text.count("材料交接单") >= 1
    assert "2026年11月23日" in text and "工位003" in text
    a = _block(text, numbers["甲"], numbers["乙"])
    b = _block(text, numbers["乙"], "合计：")
    assert f"甲（{MASKED}）" in a and f"乙（{MASKED}）" in b
    # What goes, with its count and unit; what was handed back is named only after 不随件移交.
    handed_a, _, apart_a = a.partition("不随件移交：")
    assert "户口簿" in handed_a and "2本" in handed_a and "一寸照片" in handed_a and "2张" in handed_a
    assert "收入证明" in handed_a and "1份" in handed_a
    assert "申请人居民身份证" not in handed_a and "原件核验（已退还）：申请人居民身份证。" in apart_a
    handed_b, _, apart_b = b.partition("不随件移交：")
    assert "户口簿" not in handed_b and "收入证明" not in handed_b and "2张" in handed_b
    assert "原件核验（已退还）：申请人居民身份证；电子证照核验：户口簿。" in apart_b and "待补交：收入证明" in apart_b
    assert numbers["丙"] not in text and numbers["丁"] not in text and numbers["戊"] not in text
    assert "合计：共2件、材料4项，计1份、4张、2本。" in text
    assert "移交人（签名）" in text and "接收人（签名）" in text and text.count("____年__月__日__时__分") == 2
    # Monochrome, every font embedded.
    assert all(f.embedded for f in pdfkit.fonts(pdf))


def test_shipped_items_and_an_empty_day(services, clerk, supervisor, clock) -> None:
    accepted = take(services, clerk, "MZ-SHJZ-001")
    refused = take(services, clerk, "MZ-SHJZ-002", Decision.REFUSE)
    voided = take(services, clerk, "MZ-YLFW-002")
    services.intake.void(voided.acceptance_no, reason="重复录入，已作废。", approver=supervisor, user=clerk)
    handover = handover_list(services.intake, MONDAY, by=clerk)
    assert [c.acceptance_no for c in handover.cases] == [accepted.acceptance_no]
    (case,) = handover.cases
    # The ID card is checked and handed back; the 户口簿's copy stays: the counter's defaults for a shipped item.
    assert "applicant_id_card" in [m.key for m in case.not_handed]
    assert all(m.kept for m in case.handed) and case.handed
    pdf = render_handover(handover, load_fonts())[0]
    text = pdfkit.flat(pdf)
    # The sample applicant is 阿依古丽·买买提: never broken at the 间隔号.
    lines = [line.strip() for line in pdfkit.text(pdf).splitlines() if line.strip()]
    assert "阿依古丽·买买提" in text and not [line for line in lines if line.endswith("·") or line.startswith("·")]
    assert accepted.acceptance_no in text and refused.acceptance_no not in text and voided.acceptance_no not in text
    empty = pdfkit.flat(render_handover(handover_list(services.intake, TUESDAY, by=clerk), load_fonts())[0])
    assert "本日没有需要移交后台的纸质材料。" in empty and "合计：共0件、材料0项。" in empty


def test_yimen_report_handover_writes_the_days_list_readable_by_the_account_only(
    services_factory, user_factory, tmp_path: Path
) -> None:
    from tests.app.test_cli import yimen
    from tests.conftest import write_deployment
    from tests.storekit import connect_store

    config = write_deployment(tmp_path)
    data = tmp_path / "data"
    services = services_factory(config=config, data_dir=data)
    clerk = user_factory(services)
    accepted = take(services, clerk, "MZ-SHJZ-001")
    refused = take(services, clerk, "MZ-SHJZ-002", Decision.REFUSE)
    services.close()
    out = tmp_path / "out" / "handover.pdf"
    location = ["--config", str(config), "--data-dir", str(data)]
    done = yimen("report", "handover", "--day", MONDAY.isoformat(), "--out", str(out), *location)
    assert done.returncode == 0, done.stderr
    assert "已导出2026-11-23的材料交接单（共 1 件" in done.stdout and str(out.resolve()) in done.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # names applicants: the exporting account only
    text = pdfkit.flat(out.read_bytes())
    assert accepted.acceptance_no in text and refused.acceptance_no not in text
    with connect_store(data / "yimen.sqlite3") as conn:
        (details,) = conn.execute(
            "SELECT details FROM audit_events WHERE action = 'report.handover_exported'"
        ).fetchone()
    assert '"cases": 1' in details and '"via": "cli"' in details
    wrong = yimen("report", "handover", "--day", "2026-13-01", "--out", str(out), *location)
    assert wrong.returncode == 2 and "--day 的日期“2026-13-01”无效" in wrong.stderr and "Traceback" not in wrong.stderr
    # A recorded list printed again with its number; an unknown number is said in Chinese.
    services = services_factory(config=config, data_dir=data)
    recorded = services.day_close.record_handover(clerk, [accepted.acceptance_no], "徐汇区民政局", "李·娜")
    services.close()
    again = yimen("report", "handover", "--number", recorded.number, "--out", str(out), *location)
    assert again.returncode == 0, again.stderr
    assert f"已导出交接单 {recorded.number}（共 1 件" in again.stdout
    text = pdfkit.flat(out.read_bytes())
    assert f"交接单编号：{recorded.number}" in text and "接收部门：徐汇区民政局" in text and "接收人：李·娜" in text
    missing = yimen("report", "handover", "--number", "示范交〔2026〕不存在号", "--out", str(out), *location)
    assert missing.returncode == 2 and "找不到编号为" in missing.stderr
