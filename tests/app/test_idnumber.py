"""Tests of app.idnumber: the vectors of rules.md §1, §2 and §8, plus generated numbers.

The check character is recomputed here from the standard's weights (GB 11643-1999, rules.md "Test vectors"),
independently of stdnum, which the module uses.
"""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.i18n import Message
from app.idnumber import (
    DisabilityCategory,
    IdCheck,
    IdKind,
    IdWarning,
    Sex,
    check_disability_cert,
    check_id,
    grade_label,
    mask_id,
    normalize_id,
    upgrade_15,
)

TODAY = datetime.date(2025, 6, 1)

# GB 11643-1999: W_i = 2^(17-i) mod 11; Y = S mod 11 -> "1 0 X 9 8 7 6 5 4 3 2".
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def gb_check_char(body17: str) -> str:
    return "10X98765432"[sum(int(a) * w for a, w in zip(body17, WEIGHTS, strict=True)) % 11]


def make_id(prefix6: str, born: datetime.date, sequence: int) -> str:
    body = f"{prefix6}{born:%Y%m%d}{sequence:03d}"
    return body + gb_check_char(body)


def full_years(born: datetime.date, on: datetime.date) -> int:
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


JSON_KEYS = {"input", "valid", "normalized", "kind", "birth_date", "sex", "region", "warnings", "error"}


def test_weights_are_the_standards_formula() -> None:
    assert [2 ** (17 - i) % 11 for i in range(17)] == WEIGHTS
    # The worked examples of rules.md.
    assert gb_check_char("31010119800101001") == "8"
    assert gb_check_char("11010519491231002") == "X"


# ------------------------------------------------------------------------------------------- rules.md vectors

VALID = [
    # number, birth date, sex, kind, region (substring), warning kinds
    ("11010519491231002X", "1949-12-31", Sex.F, IdKind.RESIDENT, "北京市朝阳区", ()),
    (
        "440524188001010014",
        "1880-01-01",
        Sex.M,
        IdKind.RESIDENT,
        "广东省",
        (IdWarning.REGION_NOT_IN_USE, IdWarning.IMPLAUSIBLE_AGE),
    ),
    ("310101198001010018", "1980-01-01", Sex.M, IdKind.RESIDENT, "上海市黄浦区", ()),
    ("310104198506150023", "1985-06-15", Sex.F, IdKind.RESIDENT, "上海市徐汇区", ()),
    ("31010619900307007X", "1990-03-07", Sex.M, IdKind.RESIDENT, "上海市静安区", ()),
    ("310151201703150021", "2017-03-15", Sex.F, IdKind.RESIDENT, "上海市崇明区", ()),
    ("310115195001010039", "1950-01-01", Sex.M, IdKind.RESIDENT, "上海市浦东新区", (IdWarning.REGION_NOT_IN_USE,)),
    ("310230195202290013", "1952-02-29", Sex.M, IdKind.RESIDENT, "上海市崇明县", (IdWarning.REGION_NOT_IN_USE,)),
    ("810000199408230021", "1994-08-23", Sex.F, IdKind.HMT_RESIDENCE_PERMIT, "香港", ()),
    ("11010519491231002x", "1949-12-31", Sex.F, IdKind.RESIDENT, "北京市朝阳区", ()),
    ("990101198001010014", "1980-01-01", Sex.M, IdKind.RESIDENT, None, (IdWarning.REGION_UNKNOWN,)),
    ("931840198507040010", "1985-07-04", Sex.M, IdKind.FOREIGN_PERMANENT, "上海市", ()),
]


@pytest.mark.parametrize(("number", "born", "sex", "kind", "region", "warning_kinds"), VALID)
def test_valid_vectors(
    number: str,
    born: str,
    sex: Sex,
    kind: IdKind,
    region: str | None,
    warning_kinds: tuple[IdWarning, ...],
) -> None:
    result = check_id(number, today=TODAY)
    assert result.valid, result.error
    assert result.error is None and result.error_part is None
    assert result.normalized == number.upper()
    assert result.birth_date == datetime.date.fromisoformat(born)
    assert result.sex is sex
    assert result.kind is kind
    assert result.age == full_years(datetime.date.fromisoformat(born), TODAY)
    if region is None:
        assert result.region is None
    else:
        assert result.region is not None and region in result.region
    assert result.warning_kinds == warning_kinds
    assert len(result.warnings) == len(warning_kinds)
    assert not result.converted_from_15


INVALID = [
    # input, error part, fragments the Chinese message must contain
    ("310101198001010019", "check_digit", ["校验码", "8", "9"]),
    ("310101198002300017", "birth_date", ["出生日期", "19800230", "2 月没有 30 日"]),
    ("310101190002290019", "birth_date", ["1900 年不是闰年"]),
    ("310101209901010014", "birth_date", ["2099年1月1日", "晚于今天"]),
    ("31010119800101001", "length", ["18 位", "17 位"]),
    ("3101011980010I0018", "characters", ["第 14 位", "I", "数字"]),
]


@pytest.mark.parametrize(("number", "part", "fragments"), INVALID)
def test_invalid_vectors(number: str, part: str, fragments: list[str]) -> None:
    result = check_id(number, today=TODAY)
    assert not result.valid
    assert result.error_part == part
    assert result.error is not None
    text = result.error.render()
    for fragment in fragments:
        assert fragment in text
    assert result.kind is None and result.birth_date is None and result.sex is None and result.age is None


def test_stdnum_and_us_disagree_on_future_dates_only_by_design() -> None:
    # rules.md §1: stdnum accepts a 2099 birth date; the checksum of the vector is right.
    assert gb_check_char("31010120990101001") == "4"
    assert check_id("310101209901010014", today=datetime.date(2100, 1, 1)).valid


def test_check_digit_message_names_the_expected_x() -> None:
    result = check_id("110105194912310021", today=TODAY)
    assert result.error_part == "check_digit"
    assert result.error is not None and "“X”" in result.error.render()


def test_bad_check_character_is_a_character_error() -> None:
    result = check_id("31010119800101001Y", today=TODAY)
    assert result.error_part == "characters"
    assert result.error is not None and "第 18 位" in result.error.render()


@pytest.mark.parametrize(
    ("digits", "fragment"),
    [("19801301", "没有 13 月"), ("19800100", "1 月没有 00 日"), ("00000101", "0000"), ("19810229", "1981 年不是闰年")],
)
def test_impossible_dates_are_explained(digits: str, fragment: str) -> None:
    number = make_id("310101", datetime.date(1980, 1, 1), 1)[:6] + digits + "001"
    number += gb_check_char(number)
    result = check_id(number, today=TODAY)
    assert result.error_part == "birth_date"
    assert result.error is not None and fragment in result.error.render()


def test_empty_and_wrong_lengths() -> None:
    assert check_id("", today=TODAY).error_part == "length"
    assert check_id("   ", today=TODAY).error_part == "length"
    result = check_id("3101011980010100181", today=TODAY)
    assert result.error_part == "length"
    assert result.error is not None and "19 位" in result.error.render()


def test_invisible_characters_are_named_by_code_point() -> None:
    result = check_id("31010119800101\x07018", today=TODAY)
    assert result.error_part == "characters"
    assert result.error is not None and "U+0007" in result.error.render()


# ------------------------------------------------------------------------------------------- warnings


def test_unknown_county_in_a_known_province_is_a_warning_naming_the_province() -> None:
    number = make_id("319901", datetime.date(1980, 1, 1), 1)
    result = check_id(number, today=TODAY)
    assert result.valid
    assert result.region == "上海市"
    assert result.warning_kinds == (IdWarning.REGION_UNKNOWN,)
    assert "上海市" in result.warnings[0].render()


def test_anachronism_warning_gives_the_years_of_use() -> None:
    result = check_id("310115195001010039", today=TODAY)
    text = result.warnings[0].render()
    assert "310115" in text and "1992 年起" in text and "1950" in text


def test_abolished_code_after_its_end_is_a_warning() -> None:
    number = make_id("310230", datetime.date(2020, 5, 1), 2)  # 崇明县 [1982-2016]
    result = check_id(number, today=TODAY)
    assert result.valid
    assert result.warning_kinds == (IdWarning.REGION_NOT_IN_USE,)
    assert "1982–2016" in result.warnings[0].render()


def test_code_in_use_in_the_birth_year_has_no_warning() -> None:
    number = make_id("310230", datetime.date(1990, 5, 1), 2)
    assert check_id(number, today=TODAY).warnings == ()


@pytest.mark.parametrize(("prefix", "fragment"), [("810000", "香港"), ("820000", "澳门"), ("830000", "台湾居民居住证")])
def test_residence_permits(prefix: str, fragment: str) -> None:
    result = check_id(make_id(prefix, datetime.date(1960, 3, 3), 5), today=TODAY)
    assert result.valid and result.kind is IdKind.HMT_RESIDENCE_PERMIT
    assert result.region is not None and fragment in result.region
    # Born before 1997, yet no anachronism warning: permits are issued since 2018 with these fixed codes.
    assert result.warnings == ()


def test_residence_permit_with_other_address_code_warns() -> None:
    result = check_id(make_id("811234", datetime.date(1960, 3, 3), 5), today=TODAY)
    assert result.valid
    assert result.warning_kinds == (IdWarning.REGION_UNKNOWN,)
    assert "810000" in result.warnings[0].render()


def test_kind_labels_and_sex_labels_are_chinese_messages() -> None:
    assert IdKind.RESIDENT.label.render() == "居民身份证"
    assert IdKind.HMT_RESIDENCE_PERMIT.label.render() == "港澳台居民居住证"
    assert IdKind.FOREIGN_PERMANENT.label.render() == "外国人永久居留身份证"
    assert Sex.M.label.render() == "男" and Sex.F.label.render() == "女"
    assert IdKind.RESIDENT.label.context == "idnumber"


# ------------------------------------------------------------------------------------------- 15 digits


def test_15_digit_number_is_converted_with_a_warning() -> None:
    result = check_id("310101800101001", today=TODAY)
    assert result.valid
    assert result.converted_from_15
    assert result.normalized == "310101198001010018" == upgrade_15("310101800101001")
    assert result.birth_date == datetime.date(1980, 1, 1)
    assert IdWarning.CONVERTED_FROM_15 in result.warning_kinds
    text = result.warnings[result.warning_kinds.index(IdWarning.CONVERTED_FROM_15)].render()
    assert "310101198001010018" in text and "百岁" in text
    assert result.to_json()["normalized"] == "310101198001010018"


def test_15_digit_number_with_impossible_date_or_letters() -> None:
    result = check_id("310101810229001", today=TODAY)
    assert result.error_part == "birth_date"
    assert result.converted_from_15
    assert check_id("31010180010100X", today=TODAY).error_part == "characters"


def test_upgrade_15_century_for_a_confirmed_centenarian() -> None:
    number = upgrade_15("310101850101996", century=18)
    assert number[:14] == "31010118850101"
    assert number[17] == gb_check_char(number[:17])
    assert check_id(number, today=TODAY).valid


@pytest.mark.parametrize(("text", "century"), [("31010180010100", 19), ("3101018001010X1", 19), ("", 19)])
def test_upgrade_15_rejects_non_15_digit_input(text: str, century: int) -> None:
    with pytest.raises(ValidationError) as info:
        upgrade_15(text, century=century)
    assert info.value.field == "id_number"


def test_upgrade_15_rejects_other_centuries() -> None:
    with pytest.raises(ValidationError):
        upgrade_15("310101800101001", century=20)


# ------------------------------------------------------------------------------------------- age


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        ("1980-01-01", "2024-12-31", 44),
        ("1980-01-01", "2025-01-01", 45),
        ("1952-02-29", "2025-02-28", 72),
        ("1952-02-29", "2025-03-01", 73),
        ("2025-06-01", "2025-06-01", 0),
    ],
)
def test_age_in_full_years(born: str, today: str, age: int) -> None:
    number = make_id("310101", datetime.date.fromisoformat(born), 11)
    assert check_id(number, today=datetime.date.fromisoformat(today)).age == age


def test_birth_tomorrow_is_an_error() -> None:
    number = make_id("310101", TODAY + datetime.timedelta(days=1), 11)
    assert check_id(number, today=TODAY).error_part == "birth_date"


# ------------------------------------------------------------------------------------------- normalizing, JSON


def test_normalize_id() -> None:
    assert normalize_id("３１０１０１　１９８００１０１－００１８") == "310101198001010018"
    assert normalize_id(" 11010519491231002ｘ ") == "11010519491231002X"
    assert normalize_id("110105-19491231-002Ｘ") == "11010519491231002X"
    assert normalize_id("310101\u200b198001010018\n") == "310101198001010018"
    assert normalize_id("𠮷") == "𠮷"


def test_full_width_input_is_valid() -> None:
    result = check_id("３１０１０１　１９８００１０１－００１８", today=TODAY)
    assert result.valid
    assert result.input == "３１０１０１　１９８００１０１－００１８"


def test_to_json_has_exactly_the_cli_keys() -> None:
    payload = check_id("310115195001010039", today=TODAY).to_json()
    assert set(payload) == JSON_KEYS
    assert payload["kind"] == "resident"
    assert payload["birth_date"] == "1950-01-01"
    assert payload["sex"] == "M"
    assert payload["region"] == "上海市浦东新区"
    assert isinstance(payload["warnings"], list) and isinstance(payload["warnings"][0], str)
    assert payload["error"] is None
    bad = check_id("310101198001010019", today=TODAY).to_json()
    assert bad["valid"] is False and "校验码" in bad["error"]
    assert bad["birth_date"] is None and bad["sex"] is None and bad["kind"] is None
    json.dumps(bad, ensure_ascii=False)


def test_default_today_is_used() -> None:
    result = check_id("310101198001010018")
    assert result.valid and result.age is not None and result.age >= 45


# ------------------------------------------------------------------------------------------- masking


def test_mask_id_vector() -> None:
    assert mask_id("310101198001010018") == "310***********0018"
    assert mask_id("11010519491231002x") == "110***********002X"


@given(st.text(max_size=40))
def test_mask_id_never_reveals_more_than_it_hides(text: str) -> None:
    masked = mask_id(text)
    normalized = normalize_id(text)
    assert len(masked) == len(normalized)
    shown = [i for i, ch in enumerate(masked) if ch != "*"]
    assert all(masked[i] == normalized[i] for i in shown)
    assert len(shown) <= len(normalized) - len(shown)
    assert len(shown) <= 7


@pytest.mark.parametrize("length", range(0, 20))
def test_mask_id_short_input(length: int) -> None:
    text = "1234567890123456789"[:length]
    masked = mask_id(text)
    assert len(masked) == length
    assert masked.count("*") >= (length + 1) // 2


# ------------------------------------------------------------------------------------------- generated numbers

dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)
resident_prefixes = st.integers(min_value=110000, max_value=659999).map(str)


@st.composite
def valid_ids(draw: st.DrawFn, prefixes: st.SearchStrategy[str] = resident_prefixes) -> tuple[str, datetime.date, int]:
    born = draw(dates)
    sequence = draw(st.integers(min_value=0, max_value=999))
    return make_id(draw(prefixes), born, sequence), born, sequence


@given(valid_ids())
def test_generated_resident_numbers_are_valid(generated: tuple[str, datetime.date, int]) -> None:
    number, born, sequence = generated
    result = check_id(number, today=TODAY)
    assert result.valid, result.error
    assert result.kind is IdKind.RESIDENT
    assert result.normalized == number
    assert result.birth_date == born
    assert result.sex is (Sex.M if sequence % 2 else Sex.F)
    assert result.age == full_years(born, TODAY)
    # Region problems are warnings, never errors (rules.md §1).
    assert set(result.warning_kinds) <= {
        IdWarning.REGION_UNKNOWN,
        IdWarning.REGION_NOT_IN_USE,
        IdWarning.IMPLAUSIBLE_AGE,
    }
    assert (IdWarning.IMPLAUSIBLE_AGE in result.warning_kinds) == (result.age > 120)


@given(valid_ids(st.sampled_from(["810000", "820000", "830000"])))
def test_generated_residence_permits_are_valid(generated: tuple[str, datetime.date, int]) -> None:
    number, born, _ = generated
    result = check_id(number, today=TODAY)
    assert result.valid and result.kind is IdKind.HMT_RESIDENCE_PERMIT and result.birth_date == born


foreign_prefixes = st.builds(
    lambda province, nationality: f"9{province}{nationality:03d}",
    st.sampled_from(["11", "31", "44", "65"]),
    st.integers(min_value=0, max_value=999),
)


@given(valid_ids(foreign_prefixes.map(lambda p: p[:6])))
def test_generated_permanent_residence_ids_are_valid(generated: tuple[str, datetime.date, int]) -> None:
    number, born, _ = generated
    result = check_id(number, today=TODAY)
    assert result.valid and result.kind is IdKind.FOREIGN_PERMANENT and result.birth_date == born


@given(valid_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_substitution_is_rejected(
    generated: tuple[str, datetime.date, int], position: int, replacement: str
) -> None:
    number = generated[0]
    assume(number[position] != replacement)
    mutated = number[:position] + replacement + number[position + 1 :]
    result = check_id(mutated, today=TODAY)
    assert not result.valid
    assert result.error_part in {"characters", "birth_date", "check_digit"}


@given(valid_ids(), st.integers(min_value=0, max_value=16))
def test_any_adjacent_transposition_is_rejected(generated: tuple[str, datetime.date, int], position: int) -> None:
    number = generated[0]
    assume(number[position] != number[position + 1])
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    assert not check_id(swapped, today=TODAY).valid


@given(valid_ids())
def test_lower_case_and_spaced_forms_are_the_same_number(generated: tuple[str, datetime.date, int]) -> None:
    number = generated[0]
    spaced = f" {number[:6]} {number[6:14]}-{number[14:].lower()}\u3000"
    assert check_id(spaced, today=TODAY).normalized == number


@given(
    st.text(alphabet="0123456789", min_size=15, max_size=15).filter(lambda s: s[0] != "0"),
)
def test_15_digit_conversion_matches_the_standard(n15: str) -> None:
    body = n15[:6] + "19" + n15[6:]
    assert upgrade_15(n15) == body + gb_check_char(body)


def _assert_consistent(result: IdCheck, raw: str) -> None:
    assert result.input == raw
    assert result.valid == (result.error is None) == (result.error_part is None)
    assert len(result.warnings) == len(result.warning_kinds)
    for message in (*result.warnings, *((result.error,) if result.error else ())):
        assert isinstance(message, Message) and message.context == "idnumber"
        assert message.render().isprintable()
    payload = result.to_json()
    assert set(payload) == JSON_KEYS
    json.dumps(payload, ensure_ascii=False)


@given(st.text())
def test_check_id_never_raises_on_any_text(raw: str) -> None:
    _assert_consistent(check_id(raw, today=TODAY), raw)


@given(st.text(alphabet="0123456789Xx -１２ｘ\u3000𠮷䶮\x00\u200b", min_size=13, max_size=22))
def test_check_id_never_raises_on_near_numbers(raw: str) -> None:
    _assert_consistent(check_id(raw, today=TODAY), raw)


@pytest.mark.parametrize(
    "raw", ["𠮷" * 18, "𠮷" * 15, "\ud800" * 18, "٣١٠١٠١١٩٨٠٠١٠١٠٠١٨", "³¹⁰¹⁰¹¹⁹⁸⁰⁰¹⁰¹⁰⁰¹⁸", "3" * 10_000]
)
def test_check_id_rare_characters(raw: str) -> None:
    result = check_id(raw, today=TODAY)
    assert not result.valid  # Arabic-Indic and superscript digits are not ASCII digits.
    _assert_consistent(result, raw)


# ------------------------------------------------------------------------------------------- disability


@pytest.mark.parametrize(
    ("number", "embedded", "category", "grade", "label"),
    [
        ("31010419850615002342", "310104198506150023", DisabilityCategory.PHYSICAL, 2, "肢体残疾"),
        ("11010519491231002X11", "11010519491231002X", DisabilityCategory.VISION, 1, "视力残疾"),
        ("31010119800101001874", "310101198001010018", DisabilityCategory.MULTIPLE, 4, "多重残疾"),
    ],
)
def test_disability_valid_vectors(
    number: str, embedded: str, category: DisabilityCategory, grade: int, label: str
) -> None:
    result = check_disability_cert(number, today=TODAY)
    assert result.valid, result.error
    assert result.embedded_id == embedded
    assert result.category is category
    assert result.grade == grade
    assert result.reissue is None
    assert result.category.label.render() == label


@pytest.mark.parametrize(
    ("number", "part", "fragment"),
    [
        ("31010119800101001884", "category", "“8”"),
        ("31010119800101001815", "grade", "“5”"),
        ("31010119800101001941", "embedded_id", "校验码"),
        ("3101041985061500234", "length", "19 位"),
        ("", "length", "请输入"),
        ("310104198506150023420", "length", "21 位"),
        ("31010419850615002342B0", "reissue", "B0"),
        ("31010419850615002342C1", "reissue", "C1"),
    ],
)
def test_disability_invalid_vectors(number: str, part: str, fragment: str) -> None:
    result = check_disability_cert(number, today=TODAY)
    assert not result.valid
    assert result.error_part == part
    assert result.error is not None and fragment in result.error.render()
    assert result.category is None and result.grade is None and result.embedded_id is None


def test_disability_reissue_suffix() -> None:
    result = check_disability_cert("31010419850615002342b1", today=TODAY)
    assert result.valid and result.reissue == 1 and result.normalized == "31010419850615002342B1"


def test_disability_certificate_of_another_person() -> None:
    result = check_disability_cert("31010419850615002342", id_number="310101198001010018", today=TODAY)
    assert not result.valid and result.error_part == "owner"
    assert result.error is not None and "不属于此人" in result.error.render()
    same = check_disability_cert("31010419850615002342", id_number="310104 19850615 0023", today=TODAY)
    assert same.valid
    # The person's old 15-digit number is upgraded before comparing.
    assert check_disability_cert("31010119800101001874", id_number="310101800101001", today=TODAY).valid


def test_disability_warnings_of_the_embedded_id_pass_through() -> None:
    result = check_disability_cert("31011519500101003941", today=TODAY)
    assert result.valid and len(result.warnings) == 1
    payload = result.to_json()
    assert payload["category"] == 4 and payload["category_label"] == "肢体残疾" and payload["grade"] == 1
    json.dumps(payload, ensure_ascii=False)


def test_grade_labels() -> None:
    assert [grade_label(g).render() for g in range(1, 5)] == ["一级", "二级", "三级", "四级"]
    assert [c.label.render()[:2] for c in DisabilityCategory] == [
        "视力",
        "听力",
        "言语",
        "肢体",
        "智力",
        "精神",
        "多重",
    ]


@given(
    valid_ids(),
    st.integers(min_value=1, max_value=7),
    st.integers(min_value=1, max_value=4),
    st.none() | st.integers(min_value=1, max_value=9),
)
def test_generated_disability_numbers(
    generated: tuple[str, datetime.date, int], category: int, grade: int, reissue: int | None
) -> None:
    number = generated[0] + f"{category}{grade}" + (f"B{reissue}" if reissue is not None else "")
    result = check_disability_cert(number, id_number=generated[0], today=TODAY)
    assert result.valid, result.error
    assert result.embedded_id == generated[0]
    assert result.category == category and result.grade == grade and result.reissue == reissue


@given(st.text(), st.none() | st.text())
def test_check_disability_cert_never_raises(raw: str, id_number: str | None) -> None:
    result = check_disability_cert(raw, id_number=id_number, today=TODAY)
    assert result.valid == (result.error is None)
    json.dumps(result.to_json(), ensure_ascii=False)
