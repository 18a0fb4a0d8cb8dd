"""validate_value: coercion of what widgets give, constraints, and never raising (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.catalog.rules import validate_value
from app.catalog.schema import FieldDef, FieldType


def make(type_: FieldType, **constraints: Any) -> FieldDef:
    data: dict[str, Any] = {"key": "f", "type": type_.value, "label": {"zh": "字段", "en": "Field"}}
    if type_ in (FieldType.CHOICE, FieldType.MULTICHOICE):
        constraints.setdefault(
            "choices",
            [
                {"value": "emergency", "zh": "急难型", "en": "Emergency"},
                {"value": "expenditure", "zh": "支出型", "en": "Expenditure"},
                {"value": "other", "zh": "其他", "en": "Other"},
            ],
        )
    if constraints:
        data["constraints"] = constraints
    return FieldDef.model_validate(data)


def ok(field: FieldDef, raw: object) -> object:
    value, problem = validate_value(field, raw)
    assert problem is None, problem.render()
    return value


def bad(field: FieldDef, raw: object) -> str:
    value, problem = validate_value(field, raw)
    assert value is None and problem is not None, value
    return problem.render()


@pytest.mark.parametrize("raw", [None, "", "   ", [], ()])
@pytest.mark.parametrize("type_", list(FieldType))
def test_empty_is_no_value(type_: FieldType, raw: object) -> None:
    assert validate_value(make(type_), raw) == (None, None)


def test_text() -> None:
    field = make(FieldType.TEXT, max_length=5, pattern=r"[^0-9]*")
    assert ok(field, "  张三  ") == "张三"
    assert "最多 5 个字" in bad(field, "一二三四五六")
    assert "格式不对" in bad(field, "a1")
    assert "不能换行" in bad(field, "a\nb")
    assert "控制字符" in bad(field, "a\x00b")
    assert "应为文字" in bad(field, 12)
    assert ok(make(FieldType.MULTILINE), "第一行\r\n第二行\n") == "第一行\n第二行"


def test_int() -> None:
    field = make(FieldType.INT, min=1, max=20)
    assert ok(field, "３") == 3
    assert ok(field, 20) == 20
    assert ok(field, 4.0) == 4
    assert "不能大于 20" in bad(field, "21")
    assert "不能小于 1" in bad(field, 0)
    for raw in ("1.5", "abc", True, 2.5, float("nan"), [1]):
        assert "应为整数" in bad(field, raw)


def test_money_is_fen() -> None:
    field = make(FieldType.MONEY, min=0, max=98000)
    assert ok(field, "980") == 98000
    assert ok(field, "¥12.30元") == 1230
    assert ok(field, "１２.５") == 1250
    assert ok(field, 1230) == 1230  # an int is already fen
    assert ok(field, Decimal("12.3")) == 1230
    assert ok(field, 12.3) == 1230
    assert "不能多于 980.00 元" in bad(field, "980.01")
    assert "两位小数" in bad(field, "1.234")
    assert "负数" in bad(field, "-1")
    assert bad(field, True)
    assert bad(field, float("inf"))
    assert bad(field, Decimal("NaN"))
    assert ok(make(FieldType.MONEY, min=-100), "-1") == -100


def test_date() -> None:
    field = make(FieldType.DATE)
    expected = dt.date(2025, 7, 1)
    for raw in ("2025-07-01", "2025/7/1", "2025年7月1日", "20250701", "２０２５-０７-０１", expected):
        assert ok(field, raw) == expected
    assert ok(field, dt.datetime(2025, 7, 1, 9, 30)) == expected
    assert "不存在" in bad(field, "2025-02-30")
    assert "应为日期" in bad(field, "明天")
    assert "不合理" in bad(field, "0999-01-01")


def test_choice_and_multichoice() -> None:
    choice = make(FieldType.CHOICE)
    assert ok(choice, "emergency") == "emergency"
    assert ok(choice, "支出型") == "expenditure"
    assert "急难型、支出型、其他" in bad(choice, "urgent")
    multi = make(FieldType.MULTICHOICE, min=1, max=2)
    assert ok(multi, ["other", "急难型"]) == ("emergency", "other")  # declaration order, no duplicates
    assert ok(multi, "急难型，其他") == ("emergency", "other")
    assert "最多选 2 项" in bad(multi, ["emergency", "expenditure", "other"])
    assert bad(multi, ["emergency", 3])


def test_bool() -> None:
    field = make(FieldType.BOOL)
    assert ok(field, "是") is True
    assert ok(field, "否") is False
    assert ok(field, False) is False
    assert ok(field, 1) is True
    assert "“是”或“否”" in bad(field, "maybe")
    assert bad(field, 2)


def test_id_number_uses_the_shared_checker() -> None:
    field = make(FieldType.ID_NUMBER)
    assert ok(field, "11010519491231002x") == "11010519491231002X"
    assert "校验码" in bad(field, "310101198001010019")
    assert bad(field, 310101198001010018)


def test_disability_cert_uses_the_shared_checker() -> None:
    field = make(FieldType.DISABILITY_CERT)
    assert ok(field, "31010419850615002342") == "31010419850615002342"
    assert "残疾类别" in bad(field, "31010119800101001884")


def test_phone_uses_the_shared_checker() -> None:
    field = make(FieldType.PHONE)
    assert ok(field, "13812345678")
    assert bad(field, "12345")


ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(),
    st.text(alphabet="0123456789.,-+¥元年月日/ Xx１２３４５６７８９０，、"),
    st.from_regex(r"[0-9]{17}[0-9X]([1-7][1-4])?", fullmatch=True),
    st.dates(),
    st.datetimes(),
    st.lists(st.one_of(st.text(), st.integers(), st.none()), max_size=4),
    st.binary(max_size=10),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@pytest.mark.parametrize("type_", list(FieldType))
@settings(max_examples=150, deadline=None)
@given(raw=ANYTHING)
def test_validate_value_never_raises(type_: FieldType, raw: object) -> None:
    field = make(type_, **({"min": 0, "max": 10**9} if type_ in (FieldType.INT, FieldType.MONEY) else {}))
    value, problem = validate_value(field, raw)
    assert value is None or problem is None
    if problem is not None:
        assert problem.render()
    if value is not None:
        # A stored value coerces to itself.
        assert validate_value(field, value) == (value, None)
