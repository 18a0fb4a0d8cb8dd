"""A day at the counter leaves no personal data in the logs: every log record of every logger (ours, SQLAlchemy's,
the server's), with its exception text, is scanned for the day's ID numbers, names and phone numbers.

The day: cases of several items taken and decided (受理, 补正, 不予受理), a return visit, a 更正 and a 作废, every
document issued, printed and reprinted, a sync round with a real central server, and a few refusals a clerk meets
(a mistyped ID number, a reason holding an ID number, a wrong password).  What the clerk saw in the window is
covered by the message bridge's own test (tests/ui/test_messages_log.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.demo import SAMPLE_PEOPLE
from app.errors import AuthError, ValidationError
from app.idnumber import check_id
from app.intake.model import Decision, DecisionInput
from tests.app.documents.doc_testkit import take
from tests.app.sync.synckit import Workstation

ITEMS = ("MZ-SHJZ-001", "MZ-SHJZ-002", "MZ-YLFW-002", "MZ-BZ-001", "CL-CJFW-001", "MZ-HY-001")
PHONE = "13800138000"
# Any 18-character mainland ID number (17 digits and a check character) or a 15-digit one, whoever's it is.
ANY_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)\d{15}(?!\d)")
# A document's SHA-256 in a URL ("PUT /api/v1/documents/<64 hex>") holds a run of 15 digits about once in 25 hashes:
# such a run is not an ID number.  Hashes are taken out of the text before ANY_ID looks at it.
HEX_DIGEST = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{32,}(?![0-9A-Za-z])")


@pytest.mark.allow_warning_logs  # a refused event or a catalog note may warn; what matters is what the text holds
def test_a_day_of_intake_leaves_no_personal_data_in_any_log(
    caplog: pytest.LogCaptureFixture, services_factory: Callable[..., Any], tmp_path: Path, central: Any
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: ours, SQLAlchemy's, uvicorn's, the server's
    station = Workstation(services_factory, tmp_path / "ws", central.url)
    station.enroll(central.engine())
    services, clerk, supervisor = station.services, station.clerk, station.supervisor

    taken = []
    for code in ITEMS:
        for decision in (Decision.ACCEPT, Decision.SUPPLEMENT, Decision.REFUSE):
            try:
                taken.append(take(services, clerk, code, decision))
            except ValidationError:
                continue  # an item whose sample case does not allow this decision (a pre-check, say)
    assert len(taken) >= 10
    waiting = next(r for r in taken if r.decision is Decision.SUPPLEMENT)
    services.intake.supplement_return(
        waiting.acceptance_no, [], DecisionInput(Decision.REFUSE, "申请人放弃补正，不予受理。"), clerk
    )
    accepted = [r for r in taken if r.decision is Decision.ACCEPT]
    services.intake.correct(
        accepted[0].acceptance_no,
        values=dict(accepted[0].values),
        reason="申请人说明有误",
        approver=supervisor,
        user=clerk,
    )
    services.intake.void(accepted[1].acceptance_no, reason="重复录入的申请", approver=supervisor, user=clerk)
    for result in taken:
        for document in services.documents.issue(services.intake.load(result.acceptance_no), clerk):
            services.documents.record_handout(document.id, clerk, action="print", reprint=False)
            services.documents.record_handout(
                document.id, clerk, action="print", reprint=True, reason="申请人遗失回执", printer="前台打印机"
            )
    # What a clerk gets wrong in a day.
    with pytest.raises(ValidationError):
        services.intake.void(
            accepted[2].acceptance_no, reason="号码 310104198506150023 录错", approver=supervisor, user=clerk
        )
    with pytest.raises(AuthError):
        services.accounts.login("wangli", "not-the-password")
    station.sync.sync_once()

    people = set()
    for result in taken:
        for party in services.intake.load(result.acceptance_no).parties:
            people.add(party.name)
            if party.id_number:
                people.add(party.id_number)
    people |= {name for name, _ in SAMPLE_PEOPLE.values()}
    assert any(check_id(p).valid for p in people)  # the day did hold ID numbers to look for
    texts = []
    for record in caplog.records:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        texts.append(text)
    # The day was logged: the sync's requests with their URLs (document hashes, event paths) among the rest.  Not a
    # total count: which other loggers reach caplog depends on what earlier tests of the run configured (alembic's).
    assert sum("/api/v1/" in t for t in texts) >= 5 and len(texts) > 20, texts
    assert HEX_DIGEST.sub("", "PUT /api/v1/documents/" + "5" * 15 + "a" * 49) == "PUT /api/v1/documents/"
    assert ANY_ID.search(HEX_DIGEST.sub("", "id 310104198506150023 " + "a" * 64))  # an ID next to a hash is still found
    for text in texts:
        leaked = [p for p in people if p in text]
        assert not leaked, (leaked, text)
        assert PHONE not in text, text
        assert not ANY_ID.search(HEX_DIGEST.sub("<digest>", text)), text
