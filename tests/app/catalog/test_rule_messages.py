"""Rule messages bind catalog labels as bilingual text: the core renders Chinese, an English screen English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QCoreApplication

from app.catalog.rules import PartyFacts, RuleContext, validate_form
from app.catalog.schema import ServiceItem
from app.i18n import Bilingual, Message
from ui.i18n import ENGLISH, install_translators, remove_translators, render

ON = date(2026, 11, 23)


@pytest.fixture
def english(qapp: QCoreApplication) -> Iterator[None]:
    translators = install_translators(qapp, ENGLISH)
    try:
        yield
    finally:
        remove_translators(qapp, translators)


def _problems(item: ServiceItem, values: dict[str, object], parties: list[PartyFacts]) -> list[Message]:
    return [p.message for p in validate_form(RuleContext(item, values, parties, ON))]


def _no_chinese(text: str) -> bool:
    return not any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_a_field_label_is_bound_bilingual(items: dict[str, ServiceItem], english: None) -> None:
    item = items["MZ-SHJZ-001"]
    messages = _problems(item, {}, [PartyFacts("applicant", "Zhang", values={"hukou_shanghai": True})])
    required = next(m for m in messages if m.args.get("label") is not None and m.text == "请填写“{label}”")
    assert isinstance(required.args["label"], Bilingual)
    # The core (documents, logs) shows the Chinese label; the English screen the catalog's English label.
    assert required.render() in {"请填写“申请理由”", "请填写“家庭财产情况”", "请填写“户籍地址”", "请填写“月收入（元）”"}
    shown = render(required)
    assert any(label in shown for label in ("Reason for applying", "Household assets", "Registered address"))
    assert "申请理由" not in shown and "家庭财产" not in shown and "户籍地址" not in shown


def test_role_and_item_names_are_bound_bilingual(items: dict[str, ServiceItem], english: None) -> None:
    item = items["MZ-BZ-001"]
    messages = _problems(item, {}, [PartyFacts("applicant", "Zhang")])
    count = next(m for m in messages if "{role}" in m.text)
    assert count.render() == "需要至少 1 名逝者，现在有 0 名"
    assert "Deceased" in render(count) and "逝者" not in render(count)
    residence = _problems(
        item, {}, [PartyFacts("applicant", "Zhang"), PartyFacts("deceased", "Li", values={"hukou_shanghai": False})]
    )
    refused = next(m for m in residence if "{item}" in m.text)
    assert "基本殡葬服务补贴申领" in refused.render()
    assert "Basic funeral services subsidy" in render(refused) and "基本殡葬" not in render(refused)


def test_a_choice_list_is_bound_bilingual(items: dict[str, ServiceItem], english: None) -> None:
    item = items["MZ-BZ-001"]
    bad = next(
        m
        for m in _problems(item, {"deceased_status": "nobody"}, [PartyFacts("applicant", "Zhang")])
        if "{choices}" in m.text
    )
    assert "城乡低保对象" in bad.render()
    assert "Dibao recipient" in render(bad) and "城乡低保对象" not in render(bad)


def test_rule_reasons_and_disabilities_are_messages(items: dict[str, ServiceItem]) -> None:
    # A rule never binds a Chinese string it made itself: the nested reason and the disability are messages the
    # English file translates.
    man = PartyFacts("applicant", "Zhang", "310104200411240012", date(2004, 11, 24), "M")
    woman = PartyFacts("spouse", "Li", "310104200001010027", date(2000, 1, 1), "F")
    under = next(m for m in _problems(items["MZ-HY-001"], {"business_type": "marriage"}, [man, woman]) if m.args)
    assert isinstance(under.args["reason"], Message)
    nursing = _problems(
        items["CL-CJFW-002"],
        {"cert_issued_in_shanghai": True},
        [PartyFacts("applicant", "Zhang", disability_category=4, disability_grade=4, values={"hukou_shanghai": True})],
    )
    bound = [m for m in nursing if "disability" in m.args]
    assert bound and all(isinstance(m.args["disability"], Message) for m in bound)
    for message in nursing:
        for value in message.args.values():
            assert not (isinstance(value, str) and not _no_chinese(value) and value not in ("Zhang",)), message


def test_a_rule_binds_the_chosen_value_bilingual(items: dict[str, ServiceItem], english: None) -> None:
    item = items["MZ-SHJZ-001"]
    applicant = PartyFacts(
        "applicant",
        "Zhang",
        values={"hukou_shanghai": True, "hukou_address": "x", "marital_status": "unmarried", "monthly_income": "0"},
    )
    spouse = PartyFacts("household_member", "Li", values={"relation": "spouse", "monthly_income": "0"})
    values = {"reason": "x", "assets_summary": "x", "hukou_at_this_center": True}
    refused = next(m for m in _problems(item, values, [applicant, spouse]) if "status" in m.args)
    assert "“未婚”" in refused.render()
    assert "Never married" in render(refused) and "未婚" not in render(refused)
