"""The catalog as stored: versions, retirement, last good version when a file breaks (invariant 11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain import Decision, MaterialStatus, PartyRole
from app.errors import NotAllowedError
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput

ITEM = "MZ-SHJZ-002"


def _draft() -> ApplicationDraft:
    return ApplicationDraft(
        item_code=ITEM,
        values={"assistance_type": "emergency", "situation": "突发事故。"},
        parties=[PartyInput(PartyRole.APPLICANT, "王䶮", "310104198506150023")],
        materials=[MaterialInput("applicant_id_card", MaterialStatus.RECEIVED)],
    )


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_retired_item_cannot_be_chosen_but_old_records_stay_readable(
    services_factory, user_factory, catalog_copy, tmp_path
) -> None:
    data = tmp_path / "data"
    first = services_factory(data_dir=data, catalog_dir=catalog_copy)
    clerk = user_factory(first)
    taken = first.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    shipped = first.catalog.entry(ITEM).item.version
    assert taken.item_version == shipped
    first.close()

    path = catalog_copy / f"{ITEM}.yaml"
    _edit(path, f"version: {shipped}", f"version: {shipped + 1}")
    _edit(path, "status: active", "status: retired")
    second = services_factory(data_dir=data, catalog_dir=catalog_copy)
    entry = second.catalog.entry(ITEM)
    assert entry is not None and entry.item.version == shipped + 1 and not entry.active
    assert ITEM not in {i.code for i in second.catalog.active_items()}
    with pytest.raises(NotAllowedError, match="已退出"):
        second.intake.decide(_draft(), DecisionInput(Decision.ACCEPT), clerk)
    old = second.intake.load(taken.acceptance_no)
    assert old.item_version == shipped and old.item_sha256 == taken.item_sha256
    assert old.item_name == taken.item_name


@pytest.mark.allow_warning_logs
def test_broken_file_keeps_last_good_version(services_factory, catalog_copy, tmp_path) -> None:
    data = tmp_path / "data"
    first = services_factory(data_dir=data, catalog_dir=catalog_copy)
    good_sha = first.catalog.entry(ITEM).sha256
    first.close()
    (catalog_copy / f"{ITEM}.yaml").write_text(
        "schema: 1\ncode: MZ-SHJZ-002\nversion: : 1\nstatus: active\n", encoding="utf-8"
    )
    second = services_factory(data_dir=data, catalog_dir=catalog_copy)
    assert second.catalog.entry(ITEM).sha256 == good_sha
    assert second.catalog.entry(ITEM).active
    problems = [p.render() for p in second.catalog.problems]
    assert any(f"{ITEM}.yaml" in p and "第 3 行" in p for p in problems), problems


def test_missing_file_keeps_stored_version(services_factory, catalog_copy, tmp_path) -> None:
    data = tmp_path / "data"
    services_factory(data_dir=data, catalog_dir=catalog_copy).close()
    (catalog_copy / f"{ITEM}.yaml").unlink()
    again = services_factory(data_dir=data, catalog_dir=catalog_copy)
    assert again.catalog.entry(ITEM) is not None


@pytest.mark.allow_warning_logs
def test_changed_content_without_new_version_is_refused(services_factory, catalog_copy, tmp_path) -> None:
    data = tmp_path / "data"
    first = services_factory(data_dir=data, catalog_dir=catalog_copy)
    name = first.catalog.entry(ITEM).item.name.zh
    shipped = first.catalog.entry(ITEM).item.version
    first.close()
    _edit(catalog_copy / f"{ITEM}.yaml", "zh: 临时救助申请", "zh: 临时救助申请（改）")
    second = services_factory(data_dir=data, catalog_dir=catalog_copy)
    assert second.catalog.entry(ITEM).item.name.zh == name
    assert any(f"版本号仍为 {shipped}" in p.render() for p in second.catalog.problems)


def test_shipped_catalog_loads_without_problems(services) -> None:
    assert services.catalog.problems == []
    assert len(services.catalog.active_items()) >= 16
