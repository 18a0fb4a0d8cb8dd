"""Tests of app.people: names (documents.md §5) and phone numbers (rules.md §8 masking)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.people import (
    GBK_PUA_TO_UNICODE,
    MAX_NAME_LENGTH,
    MIDDLE_DOT,
    MIDDLE_DOT_LOOKALIKES,
    mask_phone,
    name_search_key,
    normalize_name,
    normalize_phone,
    validate_name,
    validate_phone,
)

# ------------------------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "lookalike", ["\u2022", "\u30fb", "\u2027", "\u22c5", "\uff65", "\u2219", "\u2e31", "\ua78f", "\u0387"]
)
def test_middle_dot_lookalikes_become_u00b7(lookalike: str) -> None:
    assert normalize_name(f"阿依古丽{lookalike}买买提") == "阿依古丽·买买提"
    assert validate_name(f"阿依古丽{lookalike}买买提") == "阿依古丽\u00b7买买提"


def test_every_lookalike_in_the_table_maps_to_the_middle_dot() -> None:
    assert set(MIDDLE_DOT_LOOKALIKES.values()) == {MIDDLE_DOT}
    assert MIDDLE_DOT == "\u00b7"
    # A1A4 in GB 18030 is U+00B7; Python's gb2312 codec gives the katakana dot instead (documents.md §5).
    assert b"\xa1\xa4".decode("gb18030") == MIDDLE_DOT
    assert normalize_name("阿依古丽" + b"\xa1\xa4".decode("gb2312") + "买买提") == "阿依古丽·买买提"


@pytest.mark.parametrize("stop", [".", "\u3002", "\uff0e", "\uff61", " . ", "\u3000．\u3000"])
def test_full_stop_between_han_is_a_mistyped_separator(stop: str) -> None:
    assert normalize_name(f"阿依古丽{stop}买买提") == "阿依古丽·买买提"


def test_full_stops_in_latin_names_stay_full_stops() -> None:
    assert normalize_name("Ｊ．ＳＭＩＴＨ") == "J.SMITH"
    assert validate_name("J. Smith") == "J. Smith"
    with pytest.raises(ValidationError):
        validate_name("张三。")


def test_whitespace_is_stripped_and_collapsed() -> None:
    assert normalize_name("  张\u3000\u3000三 \n") == "张 三"
    assert normalize_name("阿依古丽 · 买买提") == "阿依古丽·买买提"
    assert normalize_name("John\t  SMITH") == "John SMITH"
    assert normalize_name("张\u200b三\ufeff") == "张三"


@pytest.mark.parametrize("name", ["𠮷", "吉𠮷", "刘䶮", "王堃", "𠮷野家", "张〇", "葛\u845b\U000e0100"])
def test_rare_characters_are_kept(name: str) -> None:
    assert validate_name(name) == unicodedata.normalize("NFC", name)
    assert len(validate_name(name)) == len(name)


def test_gbk_private_use_code_points_are_mapped() -> None:
    assert normalize_name("刘\ue863") == "刘䶮"
    assert validate_name("刘\ue863") == "刘\u4dae"
    assert GBK_PUA_TO_UNICODE[0xE863] == 0x4DAE
    # GB 18030-2022 additions (Extension B and U+9FB4-9FBB).
    assert normalize_name("\ue816") == "\U00020087"
    assert normalize_name("\ue864") == "\u9fbb"
    # Every target is a CJK ideograph that the validator accepts.
    for code in GBK_PUA_TO_UNICODE.values():
        assert validate_name(chr(code)) == chr(code)
    assert all(0xE815 <= pua <= 0xE864 for pua in GBK_PUA_TO_UNICODE)


def test_gbk_table_agrees_with_pythons_gb18030_codec() -> None:
    # GBK FE50-FEA0 were mapped in order to U+E815-E864; Python's codec has the GB 18030-2005 mapping, which
    # decodes the 52 characters moved in 2005 to their standard code points.
    trail_bytes = [t for t in range(0x50, 0xA1) if t != 0x7F]
    checked = 0
    for index, trail in enumerate(trail_bytes):
        decoded = bytes([0xFE, trail]).decode("gb18030")
        pua = 0xE815 + index
        if not 0xE000 <= ord(decoded) <= 0xF8FF and pua in GBK_PUA_TO_UNICODE:
            assert GBK_PUA_TO_UNICODE[pua] == ord(decoded)
            checked += 1
    assert checked == 52


def test_unknown_private_use_character_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        validate_name("张\ue000")
    assert "U+E000" in str(info.value) and "造字" in str(info.value)
    assert info.value.field == "name"


def test_kangxi_radicals_become_ideographs() -> None:
    assert normalize_name("\u2f08\u2f1d") == "人口"


def test_name_length_limits() -> None:
    assert validate_name("买" * 25) == "买" * 25
    assert validate_name("a" * 50) == "a" * 50
    fifty_han = "阿" * 24 + "·" + "买" * 25
    assert validate_name(fifty_han) == fifty_han
    assert validate_name("𠮷" * MAX_NAME_LENGTH) == "𠮷" * MAX_NAME_LENGTH
    with pytest.raises(ValidationError) as info:
        validate_name("买" * (MAX_NAME_LENGTH + 1))
    assert str(MAX_NAME_LENGTH) in str(info.value) and str(MAX_NAME_LENGTH + 1) in str(info.value)


@pytest.mark.parametrize(
    "name", ["John Smith", "Jean-Luc Picard", "O'Brien", "O\u2019Brien", "SMITH, JOHN", "José", "Zoë"]
)
def test_latin_names_are_accepted(name: str) -> None:
    assert validate_name(name) == unicodedata.normalize("NFC", name).replace("\u2019", "'")


def test_decomposed_accents_are_composed() -> None:
    assert validate_name("Jose\u0301") == "José"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "请输入姓名"),
        ("   ", "请输入姓名"),
        ("张三1", "数字"),
        ("张三１", "数字"),
        ("张三②", "数字"),
        ("张\x07三", "U+0007"),
        ("张\u202e三", "U+202E"),
        ("张三😀", "😀"),
        ("张三@", "@"),
        ("Иван", "И"),
        ("·张三", "开头或结尾"),
        ("张三·", "开头或结尾"),
        ("阿依古丽··买买提", "连用"),
        ("阿依古丽·  ·买买提", "连用"),
        ("-John", "-"),
        ("张-三", "-"),
        ("\u0301", "\u0301"),
        ("张\ufe00\u0301", "\u0301"),
    ],
)
def test_invalid_names(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_name(raw)
    assert info.value.field == "name"
    assert fragment in info.value.message.render()
    assert info.value.message.context == "people"


def test_name_search_key() -> None:
    key = name_search_key("阿依古丽·买买提")
    assert (
        key
        == name_search_key("阿依古丽 买买提")
        == name_search_key("阿依古丽•买买提")
        == name_search_key("阿依古丽买买提")
    )
    assert name_search_key("John SMITH") == name_search_key("john smith") == "johnsmith"
    assert name_search_key("刘\ue863") == "刘䶮"
    assert name_search_key("张三") != name_search_key("张四")


names = st.text(
    alphabet=st.sampled_from(list("张王李赵阿依古丽买买提𠮷䶮堃ABCxyzé ·•・.。-'")),
    max_size=30,
)


@given(st.text())
def test_validate_name_raises_only_validation_error(raw: str) -> None:
    try:
        name = validate_name(raw)
    except ValidationError as exc:
        assert exc.field == "name"
        assert exc.message.render().isprintable()
    else:
        assert validate_name(name) == name
        assert 0 < len(name) <= MAX_NAME_LENGTH


@given(st.one_of(st.text(), names))
def test_normalize_name_is_idempotent(raw: str) -> None:
    once = normalize_name(raw)
    assert normalize_name(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert not any(ch in once for ch in MIDDLE_DOT_LOOKALIKES)
    assert name_search_key(once) == name_search_key(raw)


@given(names)
def test_accepted_names_are_fixed_points(raw: str) -> None:
    try:
        name = validate_name(raw)
    except ValidationError:
        return
    assert normalize_name(name) == name
    assert not name.startswith(MIDDLE_DOT) and not name.endswith(MIDDLE_DOT)
    assert MIDDLE_DOT * 2 not in name


@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("阿依古丽买提艾力江帕尔𠮷")), min_size=1, max_size=6),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(sorted(MIDDLE_DOT_LOOKALIKES)),
)
def test_generated_minority_names(parts: list[str], separator: str) -> None:
    assert validate_name(separator.join(parts)) == MIDDLE_DOT.join(parts)


# ------------------------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("18012341999", "18012341999"),
        ("180 1234 1999", "18012341999"),
        ("180-1234-1999", "18012341999"),
        ("１８０１２３４１９９９", "18012341999"),
        ("+86 180 1234 1999", "18012341999"),
        ("+86-18012341999", "18012341999"),
        ("008618012341999", "18012341999"),
        ("8618012341999", "18012341999"),
        ("(+86) 180 1234 1999", "18012341999"),
        ("021-61234567", "02161234567"),
        ("(021) 6123 4567", "02161234567"),
        ("（０２１）６１２３４５６７", "02161234567"),
        ("+86 21 6123 4567", "02161234567"),
        ("0086 21 61234567", "02161234567"),
        ("010-22345678", "01022345678"),
        ("0571-8888888", "05718888888"),
        ("0571-88888888", "057188888888"),
        ("021-61234567-123", "02161234567-123"),
        ("021-61234567转123", "02161234567-123"),
        ("021 61234567 分机 8", "02161234567-8"),
        ("02161234567 ext. 45", "02161234567-45"),
        ("02161234567x45", "02161234567-45"),
        ("02161234567#45", "02161234567-45"),
        ("0571-8888888-1", "05718888888-1"),
        ("02161234567-123", "02161234567-123"),
    ],
)
def test_valid_phones(raw: str, expected: str) -> None:
    assert validate_phone(raw) == expected
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "请输入"),
        ("  ", "请输入"),
        ("1801234199", "11 位"),
        ("180123419999", "11 位"),
        ("12012341999", "第 2 位"),
        ("18012341999转1", "分机"),
        ("021-6123456", "8 位"),
        ("0571-888888", "7 或 8 位"),
        ("021-01234567", "0 或 1 开头"),
        ("61234567", "区号"),
        ("+1 415 555 0100", "+86"),
        ("00442071234567", "+86"),
        ("021-61234567转", "分机号"),
        ("021-61234567转1234567", "分机号"),
        ("021-61234567转12a", "分机号"),
        ("180a1234199", "a"),
        ("12345", "11 位"),
        ("5", "不是有效"),
        ("021", "不是有效"),
    ],
)
def test_invalid_phones(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_phone(raw)
    assert info.value.field == "phone"
    assert fragment in info.value.message.render()


def test_default_area_code() -> None:
    assert validate_phone("6123 4567", default_area_code="021") == "02161234567"
    assert validate_phone("61234567转12", default_area_code="021") == "02161234567-12"
    with pytest.raises(ValidationError):
        validate_phone("6123456", default_area_code="021")  # Shanghai numbers have 8 digits


def test_mask_phone() -> None:
    assert mask_phone("18012341999") == "180****1999"
    assert mask_phone("180 1234 1999") == "180****1999"
    assert mask_phone("+86 180 1234 1999") == "180****1999"
    assert mask_phone("021-61234567") == "021****4567"
    assert mask_phone("0571-88888888") == "057*****8888"
    assert mask_phone("021-61234567-123") == "021****4567-123"
    assert mask_phone("") == ""


@given(st.text(max_size=30))
def test_mask_phone_hides_at_least_four_characters(raw: str) -> None:
    main = normalize_phone(raw).split("-", 1)[0]
    masked_main = mask_phone(raw).split("-", 1)[0]
    assert len(masked_main) == len(main)
    hidden = [i for i, ch in enumerate(masked_main) if ch == "*"]
    assert len(hidden) >= min(4, len(main))
    assert all(masked_main[i] == main[i] for i in range(len(main)) if i not in hidden)


mobiles = st.builds(
    lambda second, rest: f"1{second}{rest:09d}",
    st.sampled_from("3456789"),
    st.integers(min_value=0, max_value=999_999_999),
)


@given(mobiles, st.sampled_from(["{}", "+86 {}", "0086{}", "{0}{1}{2} {3}{4}{5}{6} {7}{8}{9}{10}", " {} "]))
def test_generated_mobiles(number: str, pattern: str) -> None:
    raw = pattern.format(*number) if "{0}" in pattern else pattern.format(number)
    assert validate_phone(raw) == number
    assert mask_phone(raw) == number[:3] + "****" + number[7:]


landlines = st.one_of(
    st.builds(
        lambda area, local: f"0{area}{local}",
        st.sampled_from(["10", "20", "21", "22", "23", "25", "27", "28", "29"]),
        st.integers(min_value=20_000_000, max_value=99_999_999),
    ),
    st.builds(
        lambda area, local: f"0{area}{local}",
        st.integers(min_value=310, max_value=999).map(str),
        st.one_of(
            st.integers(min_value=2_000_000, max_value=9_999_999),
            st.integers(min_value=20_000_000, max_value=99_999_999),
        ),
    ),
)


@given(landlines, st.none() | st.integers(min_value=0, max_value=999_999).map(str))
def test_generated_landlines(number: str, extension: str | None) -> None:
    raw = number if extension is None else f"{number}转{extension}"
    expected = number if extension is None else f"{number}-{extension}"
    assert validate_phone(raw) == expected
    assert validate_phone(expected) == expected


@given(st.text())
def test_validate_phone_raises_only_validation_error(raw: str) -> None:
    try:
        phone = validate_phone(raw)
    except ValidationError as exc:
        assert exc.field == "phone"
        assert exc.message.render().isprintable()
    else:
        assert validate_phone(phone) == phone
        assert normalize_phone(phone) == phone


@given(st.text())
def test_normalize_and_mask_phone_never_raise(raw: str) -> None:
    assert isinstance(normalize_phone(raw), str)
    assert isinstance(mask_phone(raw), str)
