"""Two gaps of the material checklist, on the test catalog (tests/app/data/catalog-owed) and a real SQLite file:

* a required material sent as "not needed" is refused (it would drop out of the 补正 notice, which lists everything
  missing at once), naming the material; an optional one may still be not needed;
* the counter's own messages bind a material's bilingual catalog name: Chinese from the core, English on an English
  screen (never a Chinese name inside English).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication

from app.domain import Decision, MaterialStatus, PartyRole
from app.errors import ValidationError
from app.i18n import Bilingual
from app.intake.model import ApplicationDraft, DecisionInput, DraftRejectedError, MaterialInput, PartyInput, Refusal
from tests.conftest import add_user
from tests.storekit import connect_store
from ui.i18n import ENGLISH, install_translators, remove_translators, render

OWED_CATALOG = Path(__file__).parent / "data" / "catalog-owed"
TS_FILE = Path(__file__).resolve().parents[2] / "resources" / "translations" / "yimen_en.ts"
ITEM = "TS-OWED-001"
OTHERS = ("applicant_id_card", "household_register", "photos")


@pytest.fixture
def owed(services_factory: Any) -> Any:
    return services_factory(catalog_dir=OWED_CATALOG)


@pytest.fixture
def clerk(owed: Any) -> Any:
    return add_user(owed)


@pytest.fixture
def english(qapp: QCoreApplication, tmp_path: Path) -> Iterator[None]:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    subprocess.run(
        [str(lrelease), "-silent", str(TS_FILE), "-qm", str(tmp_path / "yimen_en.qm")], check=True, capture_output=True
    )
    translators = install_translators(qapp, ENGLISH, folder=tmp_path)
    assert translators, "yimen_en.qm did not load"
    yield
    remove_translators(qapp, translators)


def draft(*ticks: MaterialInput, urgency: str = "ordinary", name: str = "李明") -> ApplicationDraft:
    return ApplicationDraft(
        item_code=ITEM,
        values={"urgency": urgency},
        parties=[PartyInput(PartyRole.APPLICANT, name, "310104198506150023")],
        materials=list(ticks),
        acknowledged_duplicate=True,
    )


def present(*keys: str) -> list[MaterialInput]:
    return [MaterialInput(k, MaterialStatus.RECEIVED) for k in keys]


def statuses(services: Any) -> list[tuple[str, str]]:
    conn = connect_store(services.db.path)
    try:
        return conn.execute("SELECT material_key, status FROM application_materials ORDER BY material_key").fetchall()
    finally:
        conn.close()


# ---------------------------------------------------------------- 1. "not needed" for a required line


@pytest.mark.parametrize("decision", [Decision.SUPPLEMENT, Decision.ACCEPT, Decision.TOLERATED])
def test_a_required_material_sent_as_not_needed_is_refused_naming_it(owed: Any, clerk: Any, decision: Decision) -> None:
    ticks = [*present(*OTHERS), MaterialInput("income_proof", MaterialStatus.NOT_NEEDED)]
    with pytest.raises(DraftRejectedError) as info:
        owed.intake.decide(draft(*ticks), DecisionInput(decision), clerk)
    error = info.value
    assert error.refusal is Refusal.MATERIALS
    assert error.material_key == "income_proof" and error.issue.field == "materials"
    assert str(error.message) == "“收入证明”是本申请必需的材料，不能标为“不需要”：请核验后勾选，或标为缺少、不合格。"
    assert statuses(owed) == []  # nothing stored


def test_the_same_case_ticked_missing_gives_a_notice_that_lists_it(owed: Any, clerk: Any) -> None:
    ticks = [*present(*OTHERS), MaterialInput("income_proof", MaterialStatus.MISSING)]
    result = owed.intake.decide(draft(*ticks), DecisionInput(Decision.SUPPLEMENT), clerk)
    assert [m.key for m in result.missing_materials] == ["income_proof"]
    assert ("income_proof", "missing") in statuses(owed)


def test_an_optional_material_may_still_be_not_needed(owed: Any, clerk: Any) -> None:
    ticks = [*present(*OTHERS, "income_proof"), MaterialInput("other_proof", MaterialStatus.NOT_NEEDED)]
    result = owed.intake.decide(draft(*ticks), DecisionInput(Decision.ACCEPT), clerk)
    assert result.decision is Decision.ACCEPT
    assert ("other_proof", "not_needed") in statuses(owed)


def test_a_return_visit_cannot_mark_a_listed_material_not_needed(owed: Any, clerk: Any) -> None:
    # Else the line would leave the outstanding ones and the case could be accepted without it.
    first = owed.intake.decide(draft(*present(*OTHERS)), DecisionInput(Decision.SUPPLEMENT), clerk)
    with pytest.raises(ValidationError, match="收入证明") as info:
        owed.intake.supplement_return(
            first.acceptance_no,
            [MaterialInput("income_proof", MaterialStatus.NOT_NEEDED)],
            DecisionInput(Decision.ACCEPT),
            clerk,
        )
    assert info.value.material_key == "income_proof"
    assert ("income_proof", "missing") in statuses(owed)


# ---------------------------------------------------------------- 2. bilingual material names in messages


def _refusal(owed: Any, clerk: Any, ticks: list[MaterialInput], decision: Decision) -> DraftRejectedError:
    with pytest.raises(DraftRejectedError) as info:
        owed.intake.decide(draft(*ticks), DecisionInput(decision), clerk)
    return info.value


def test_material_names_are_bound_bilingual_chinese_from_the_core(owed: Any, clerk: Any) -> None:
    missing = _refusal(owed, clerk, present(*OTHERS), Decision.ACCEPT)
    assert isinstance(missing.message.args["name"], Bilingual)
    assert (
        missing.message.render() == "材料不齐，不能受理：缺少“收入证明”。请选择“一次性补正告知”，列出全部缺少的材料。"
    )
    assert missing.material_key == "income_proof"
    e_licence = _refusal(
        owed,
        clerk,
        [
            *present("applicant_id_card", "household_register", "income_proof"),
            MaterialInput("photos", MaterialStatus.E_VERIFIED),
        ],
        Decision.ACCEPT,
    )
    assert e_licence.message.render().startswith("“一寸照片”不能通过电子证照核验")


def test_an_english_screen_shows_the_english_material_name(owed: Any, clerk: Any, english: None) -> None:
    missing = _refusal(owed, clerk, present(*OTHERS), Decision.ACCEPT)
    shown = render(missing.message)
    assert "“Proof of income” is missing" in shown and "收入证明" not in shown
    # Not owed under 容缺受理 (only the income proof may be): the photos' English name.
    owed_too = _refusal(owed, clerk, present("applicant_id_card", "household_register"), Decision.TOLERATED)
    assert render(owed_too.message).startswith('"Photos" cannot be owed') and owed_too.material_key == "photos"
    e_licence = _refusal(
        owed,
        clerk,
        [
            *present("applicant_id_card", "household_register", "income_proof"),
            MaterialInput("photos", MaterialStatus.E_VERIFIED),
        ],
        Decision.ACCEPT,
    )
    assert render(e_licence.message).startswith('"Photos" cannot be checked as an electronic licence')


def test_the_return_visit_names_the_material_still_missing_in_the_screen_language(
    owed: Any, clerk: Any, english: None
) -> None:
    first = owed.intake.decide(
        draft(*present("applicant_id_card", "photos")), DecisionInput(Decision.SUPPLEMENT), clerk
    )
    with pytest.raises(ValidationError) as info:
        owed.intake.supplement_return(
            first.acceptance_no,
            [MaterialInput("income_proof", MaterialStatus.RECEIVED)],
            DecisionInput(Decision.ACCEPT),
            clerk,
        )
    assert info.value.material_key == "household_register"
    assert info.value.message.render().startswith("补正告知书所列材料尚缺“户口簿”")
    assert "Household register" in render(info.value.message) and "户口簿" not in render(info.value.message)
