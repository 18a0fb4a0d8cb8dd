"""Tests of app.money: amounts as integer fen, parsed with Decimal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.money import MAX_FEN, fen_to_yuan, format_fen, format_yuan_label, parse_yuan, yuan_to_fen


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1595", 159500),
        ("1,595", 159500),
        ("1595.5", 159550),
        ("1595.50", 159550),
        ("1,595.50", 159550),
        ("１５９５．５０", 159550),
        ("１，５９５", 159500),
        ("¥12.3", 1230),
        ("￥12.30", 1230),
        ("12.30元", 1230),
        ("¥ 1,330元", 133000),
        ("人民币980元", 98000),
        ("RMB 980", 98000),
        ("  0.01 ", 1),
        ("0", 0),
        ("007", 700),
        ("+5", 500),
        ("-0", 0),
        ("1,000,000,000,000", MAX_FEN),
    ],
)
def test_parse_yuan(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    ("text", "fen"), [("-12.3", -1230), ("－１２．３", -1230), ("-¥1", -100), ("¥-1", -100), ("\u221212", -1200)]
)
def test_parse_negative_when_allowed(text: str, fen: int) -> None:
    assert parse_yuan(text, allow_negative=True) == fen
    with pytest.raises(ValidationError) as info:
        parse_yuan(text)
    assert "负数" in str(info.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "请输入金额"),
        ("   ", "请输入金额"),
        ("12.345", "最多两位小数"),
        ("12.340", "最多两位小数"),
        ("0.001", "3 位小数"),
        ("1,5,9", "千位分隔符"),
        ("15,95", "千位分隔符"),
        ("1595,", "千位分隔符"),
        (",595", "千位分隔符"),
        ("12.", "不是有效的金额"),
        (".5", "不是有效的金额"),
        ("1.2.3", "不是有效的金额"),
        ("1.2,3", "不是有效的金额"),
        ("abc", "不是有效的金额"),
        ("1 595", "不是有效的金额"),
        ("+-1", "不是有效的金额"),
        ("1e3", "不是有效的金额"),
        ("NaN", "不是有效的金额"),
        ("Infinity", "不是有效的金额"),
        ("12元5角", "不是有效的金额"),
        ("1,000,000,000,000.01", "金额过大"),
        ("9" * 100, "金额过大"),
    ],
)
def test_parse_yuan_errors(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_yuan(text, allow_negative=True)
    assert fragment in info.value.message.render()
    assert info.value.field == "amount"
    assert info.value.message.context == "money"


def test_parse_yuan_field_name() -> None:
    with pytest.raises(ValidationError) as info:
        parse_yuan("x", field="fee")
    assert info.value.field == "fee"


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "0.00"),
        (1, "0.01"),
        (10, "0.10"),
        (159500, "1,595.00"),
        (159550, "1,595.50"),
        (133000, "1,330.00"),
        (-1, "-0.01"),
        (-123456789, "-1,234,567.89"),
        (10**30, "10,000,000,000,000,000,000,000,000,000.00"),
    ],
)
def test_format_fen(fen: int, text: str) -> None:
    assert format_fen(fen) == text
    assert format_yuan_label(fen) == text + "元"


@pytest.mark.parametrize("value", [True, 1.5, Decimal("1"), "100"])
def test_format_fen_rejects_non_int(value: object) -> None:
    with pytest.raises(TypeError):
        format_fen(value)  # type: ignore[arg-type]


def test_decimal_conversions() -> None:
    assert fen_to_yuan(133000) == Decimal("1330.00")
    assert str(fen_to_yuan(-5)) == "-0.05"
    assert yuan_to_fen(Decimal("1330")) == 133000
    assert yuan_to_fen(Decimal("0.1")) == 10
    assert yuan_to_fen(Decimal("-12.30")) == -1230
    for bad in (Decimal("0.001"), Decimal("NaN"), Decimal("Infinity"), Decimal("sNaN")):
        with pytest.raises(ValueError):
            yuan_to_fen(bad)


amounts = st.integers(min_value=0, max_value=MAX_FEN)


@given(amounts)
def test_round_trip(fen: int) -> None:
    assert parse_yuan(format_fen(fen)) == fen
    assert parse_yuan(format_yuan_label(fen)) == fen
    assert parse_yuan(format_fen(fen).replace(",", "")) == fen
    assert yuan_to_fen(fen_to_yuan(fen)) == fen


@given(amounts.filter(lambda f: f > 0))
def test_round_trip_negative(fen: int) -> None:
    assert parse_yuan(format_fen(-fen), allow_negative=True) == -fen
    with pytest.raises(ValidationError):
        parse_yuan(format_fen(-fen))


@given(st.integers(min_value=0, max_value=10**12 - 1), st.integers(min_value=0, max_value=99))
def test_matches_decimal_arithmetic(yuan: int, cents: int) -> None:
    text = f"{yuan}.{cents:02d}"
    assert parse_yuan(text) == int(Decimal(text) * 100)


@given(st.text(), st.booleans())
def test_parse_yuan_raises_only_validation_error(text: str, allow_negative: bool) -> None:
    try:
        fen = parse_yuan(text, allow_negative=allow_negative)
    except ValidationError as exc:
        assert exc.message.render().isprintable()
    else:
        assert isinstance(fen, int) and not isinstance(fen, bool)
        assert abs(fen) <= MAX_FEN
        assert allow_negative or fen >= 0


@given(st.text(alphabet="0123456789.,¥￥元-+ １２．，", max_size=20), st.booleans())
def test_parse_yuan_number_like_text(text: str, allow_negative: bool) -> None:
    try:
        fen = parse_yuan(text, allow_negative=allow_negative)
    except ValidationError:
        return
    assert parse_yuan(format_fen(fen), allow_negative=True) == fen


def test_quoted_input_is_made_visible_and_shortened() -> None:
    with pytest.raises(ValidationError) as info:
        parse_yuan("12\u200b3\ud800" + "x" * 100)
    text = info.value.message.render()
    assert "U+200B" in text and "U+D800" in text and "…" in text
    assert text.isprintable() and len(text) < 100
