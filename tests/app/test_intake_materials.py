"""What each material tick records, against a real SQLite file and a small test catalog (tests/app/data/catalog-owed):
an ID card checked and handed back, copies kept and counted, an electronic licence, photos in 张; unticked
required lines stored as missing; defective lines with their reason; and the wire carrying all of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain import Decision, MaterialStatus, PartyRole
from app.errors import ValidationError
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from app.sync import protocol
from tests.conftest import add_user
from tests.storekit import connect_store

OWED_CATALOG = Path(__file__).parent / "data" / "catalog-owed"
ITEM = "TS-OWED-001"
ALL = ("applicant_id_card", "household_register", "photos", "income_proof")


@pytest.fixture
def owed(services_factory):
    return services_factory(catalog_dir=OWED_CATALOG)


@pytest.fixture
def owed_clerk(owed):
    return add_user(owed)


def draft(*ticks: MaterialInput, urgency: str = "ordinary", name: str = "李明") -> ApplicationDraft:
    return ApplicationDraft(
        item_code=ITEM,
        values={"urgency": urgency},
        parties=[PartyInput(PartyRole.APPLICANT, name, "310104198506150023")],
        materials=list(ticks),
        acknowledged_duplicate=True,  # one applicant for every case of these tests
    )


def present(*keys: str, status: MaterialStatus = MaterialStatus.RECEIVED) -> list[MaterialInput]:
    return [MaterialInput(k, status) for k in keys]


def stored(services, acceptance_no: str) -> dict[str, tuple[str, int]]:
    conn = connect_store(services.db.path)
    try:
        rows = conn.execute(
            "SELECT m.material_key, m.status, m.count FROM application_materials m "
            "JOIN applications a ON a.id = m.application_id WHERE a.acceptance_no = ?",
            (acceptance_no,),
        ).fetchall()
    finally:
        conn.close()
    return {key: (status, count) for key, status, count in rows}


def outbox_materials(services, result) -> dict[str, protocol.MaterialData]:
    conn = connect_store(services.db.path)
    try:
        payload = conn.execute(
            "SELECT payload FROM outbox WHERE application_id = ? ORDER BY seq DESC", (result.application_id.bytes,)
        ).fetchone()[0]
    finally:
        conn.close()
    return {m.key: m for m in protocol.parse(payload).body.materials}


def test_a_present_tick_records_what_the_counter_does_with_the_material(owed, owed_clerk) -> None:
    result = owed.intake.decide(draft(*present(*ALL)), DecisionInput(Decision.ACCEPT), owed_clerk)
    assert stored(owed, result.acceptance_no) == {
        "applicant_id_card": ("original_checked", 1),  # handling: return — the ID card goes back
        "household_register": ("copy_kept", 1),  # 原件和复印件 — the copy stays
        "photos": ("received", 2),  # kept, two of them
        "income_proof": ("received", 1),
        "other_proof": ("not_needed", 1),
    }
    by_key = {m.key: m for m in result.materials}
    assert by_key["photos"].unit == "张" and by_key["household_register"].unit == "本"
    assert by_key["applicant_id_card"].unit == "份"
    assert [m.key for m in result.kept_materials] == ["household_register", "photos", "income_proof"]
    assert [m.key for m in result.checked_materials] == ["applicant_id_card"]
    assert [m.key for m in result.received_materials] == list(ALL)
    assert result.owed_materials == [] and result.owed_by is None
    wire = outbox_materials(owed, result)
    assert wire["applicant_id_card"].status == "original_checked" and wire["household_register"].status == "copy_kept"


def test_copies_kept_are_counted_as_the_clerk_says_and_photos_by_the_catalog(owed, owed_clerk) -> None:
    ticks = present("applicant_id_card", "photos", "income_proof")
    ticks.append(MaterialInput("household_register", MaterialStatus.COPY_KEPT, count=3))
    result = owed.intake.decide(draft(*ticks), DecisionInput(Decision.ACCEPT), owed_clerk)
    rows = stored(owed, result.acceptance_no)
    assert rows["household_register"] == ("copy_kept", 3)
    assert rows["photos"] == ("received", 2)
    assert outbox_materials(owed, result)["photos"].count == 2
    # Nothing is kept of a returned original: a count there is refused, and a count out of range too.
    for wrong in (
        MaterialInput("applicant_id_card", MaterialStatus.ORIGINAL_CHECKED, count=2),
        MaterialInput("photos", MaterialStatus.RECEIVED, count=0),
    ):
        others = [t for t in present(*ALL) if t.key != wrong.key]
        with pytest.raises(ValidationError, match="份数"):
            owed.intake.decide(draft(*others, wrong, name="王芳"), DecisionInput(Decision.ACCEPT), owed_clerk)


def test_electronic_licence_check_only_for_materials_the_library_holds(owed, owed_clerk) -> None:
    ticks = present("applicant_id_card", "photos", "income_proof")
    photos_online = [*present("applicant_id_card", "household_register", "income_proof")]
    photos_online.append(MaterialInput("photos", MaterialStatus.E_VERIFIED))
    with pytest.raises(ValidationError, match="不能通过电子证照核验") as info:
        owed.intake.decide(draft(*photos_online), DecisionInput(Decision.ACCEPT), owed_clerk)
    assert info.value.material_key == "photos"
    result = owed.intake.decide(
        draft(*ticks, MaterialInput("household_register", MaterialStatus.E_VERIFIED)),
        DecisionInput(Decision.ACCEPT),
        owed_clerk,
    )
    assert stored(owed, result.acceptance_no)["household_register"][0] == "e_verified"
    assert [m.key for m in result.checked_materials] == ["applicant_id_card", "household_register"]
    assert "household_register" not in [m.key for m in result.kept_materials]


def test_an_unticked_required_material_is_missing_and_on_the_notice(owed, owed_clerk) -> None:
    # The clerk ticked nothing for the income proof: the 补正 notice must list it (Art. 32: everything at once).
    ticks = present("applicant_id_card", "household_register", "photos")
    result = owed.intake.decide(draft(*ticks), DecisionInput(Decision.SUPPLEMENT), owed_clerk)
    rows = stored(owed, result.acceptance_no)
    assert rows["income_proof"][0] == "missing"
    assert rows["other_proof"][0] == "not_needed"  # optional: not needed, not missing
    assert [m.key for m in result.missing_materials] == ["income_proof"]
    conn = connect_store(owed.db.path)
    try:
        (missing,) = conn.execute("SELECT missing FROM decisions").fetchone()
    finally:
        conn.close()
    assert "income_proof" in missing


@pytest.mark.parametrize(
    ("decision", "reason"),
    [(Decision.SUPPLEMENT, None), (Decision.REFUSE, "不符合申请条件。"), (Decision.ACCEPT, None)],
)
def test_a_defective_material_needs_its_reason_whatever_the_decision(owed, owed_clerk, decision, reason) -> None:
    # For ACCEPT the defective line is the optional one (a required defective line could not be accepted).
    key = "other_proof" if decision is Decision.ACCEPT else "income_proof"
    ticks = [t for t in present(*ALL) if t.key != key]
    with pytest.raises(ValidationError, match="不合格材料的问题"):
        owed.intake.decide(
            draft(*ticks, MaterialInput(key, MaterialStatus.DEFECTIVE, note=" ")),
            DecisionInput(decision, reason),
            owed_clerk,
        )
    result = owed.intake.decide(
        draft(*ticks, MaterialInput(key, MaterialStatus.DEFECTIVE, note="未盖公章")),
        DecisionInput(decision, reason),
        owed_clerk,
    )
    assert stored(owed, result.acceptance_no)[key][0] == "defective"


def test_defective_and_not_needed_are_never_received_or_kept(owed, owed_clerk) -> None:
    ticks = present("applicant_id_card", "household_register", "photos")
    ticks.append(MaterialInput("income_proof", MaterialStatus.DEFECTIVE, note="未盖公章"))
    ticks.append(MaterialInput("other_proof", MaterialStatus.NOT_NEEDED))
    result = owed.intake.decide(draft(*ticks), DecisionInput(Decision.SUPPLEMENT), owed_clerk)
    for listed in (result.received_materials, result.kept_materials, result.checked_materials):
        assert {m.key for m in listed}.isdisjoint({"income_proof", "other_proof"})
    assert [m.key for m in result.missing_materials] == ["income_proof"]


def test_the_return_visit_records_what_was_brought_the_same_way(owed, owed_clerk, clock) -> None:
    ticks = present("photos", "income_proof")
    first = owed.intake.decide(draft(*ticks), DecisionInput(Decision.SUPPLEMENT), owed_clerk)
    clock.advance(days=1)
    with pytest.raises(ValidationError, match="不能通过电子证照核验"):
        owed.intake.supplement_return(
            first.acceptance_no,
            [MaterialInput("applicant_id_card", MaterialStatus.E_VERIFIED)],
            DecisionInput(Decision.ACCEPT),
            owed_clerk,
        )
    done = owed.intake.supplement_return(
        first.acceptance_no,
        [
            MaterialInput("applicant_id_card", MaterialStatus.RECEIVED),
            MaterialInput("household_register", MaterialStatus.RECEIVED, count=2),
        ],
        DecisionInput(Decision.ACCEPT),
        owed_clerk,
    )
    rows = stored(owed, done.acceptance_no)
    assert rows["applicant_id_card"] == ("original_checked", 1)
    assert rows["household_register"] == ("copy_kept", 2)
    assert done.state == "accepted"
