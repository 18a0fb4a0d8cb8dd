"""The chip's 256-byte text block: fixed-width UTF-16LE fields at the offsets of rules.md §6."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.idcard.model import CardType, IdCardError, Sex
from app.idcard.text import encode_text, parse_text
from tests.app.idcard.conftest import RESIDENT


def test_the_fields_sit_at_their_offsets() -> None:
    block = encode_text(RESIDENT)
    assert len(block) == 256
    assert block[0:30].decode("utf-16-le").strip() == "阿依古丽·买买提"
    assert block[30:32].decode("utf-16-le") == "2"
    assert block[32:36].decode("utf-16-le") == "05"  # 维吾尔 (GB/T 3304)
    assert block[36:52].decode("utf-16-le") == "19850615"
    assert block[122:158].decode("utf-16-le") == "310104198506150023"
    assert block[188:204].decode("utf-16-le") == "20160301"
    assert block[248:250].decode("utf-16-le") == " "  # 居民身份证: a blank type flag


def test_a_raw_block_reads_back_with_padding_stripped() -> None:
    raw = bytearray(encode_text(RESIDENT))
    raw[52:122] = "上海市徐汇区".encode("utf-16-le") + b"\x00\x00" * 29  # NUL padding, as some SDKs leave it
    card = parse_text(bytes(raw))
    assert card.address == "上海市徐汇区"
    assert (card.name, card.sex, card.ethnicity) == ("阿依古丽·买买提", Sex.FEMALE, "维吾尔")
    assert card.birth_date == dt.date(1985, 6, 15) and card.valid_to == dt.date(2036, 3, 1)


def test_residence_permit_and_long_term_validity() -> None:
    permit = dataclasses.replace(
        RESIDENT, card_type=CardType.HK_MACAO_TAIWAN, id_number="810000199408230021", pass_number="H12345678",
        ethnicity="", valid_to=None,
    )  # fmt: skip
    block = encode_text(permit)
    assert block[248:250].decode("utf-16-le") == "J"
    assert block[204:208].decode("utf-16-le") == "长期"
    card = parse_text(block)
    assert card == permit
    assert card.valid_to is None and not card.expired(dt.date(2200, 1, 1))


def test_expiry() -> None:
    assert RESIDENT.expired(dt.date(2036, 3, 2))
    assert not RESIDENT.expired(dt.date(2036, 3, 1))


def test_blocks_that_cannot_be_read_are_refused_with_a_clear_message() -> None:
    block = bytearray(encode_text(RESIDENT))
    with pytest.raises(IdCardError, match="无法识别"):
        parse_text(bytes(block[:200]))
    block[36:52] = "19851345".encode("utf-16-le")  # month 13
    with pytest.raises(IdCardError, match="请把证件重新放上读卡器"):
        parse_text(bytes(block))
    unknown = bytearray(encode_text(RESIDENT))
    unknown[248:250] = "Z".encode("utf-16-le")  # a card type no layout here covers
    with pytest.raises(IdCardError, match="类型标识“Z”"):
        parse_text(bytes(unknown))


def _field(text: str, length: int) -> bytes:
    data = text.encode("utf-16-le")
    return data + " ".encode("utf-16-le") * ((length - len(data)) // 2)


#: An English name longer than the 2023 card's first field (35 characters): it runs on in the second one.
LONG_NAME = "VAN DER BERG-OKONKWO, ALEXANDRA MARIE-LOUISE"
#: A 2023 永居证 number: 18 characters, first 9 (rules.md §1), MOD 11-2 check.
NUMBER_2023 = "931156198708010021"


def test_the_2023_permanent_residence_card_reads_from_its_own_layout() -> None:
    # Assembled field by field at the offsets of the vendors' t_idforeigner2023, not by encode_text.
    raw = b"".join(
        [
            _field("欧阳·玛丽", 30),  # 中文姓名
            _field("2", 2),  # 性别
            _field("01", 4),  # 换证次数
            _field("19870801", 16),  # 出生日期
            _field(LONG_NAME[:35], 70),  # 英文姓名 1–35
            _field(NUMBER_2023, 36),  # 证件号码
            _field("", 30),  # 预留
            _field("20240115", 16),  # 签发日期
            _field("20340115", 16),  # 有效期至
            _field(LONG_NAME[35:], 22),  # 英文姓名 36–46
            _field("NLD", 6),  # 国籍
            _field("Y", 2),  # 证件类型标识
            _field("", 6),  # 既往证件号码关联项
        ]
    )
    assert len(raw) == 256
    card = parse_text(raw)
    assert card.card_type is CardType.FOREIGN_PERMANENT
    assert (card.name, card.english_name, card.sex) == ("欧阳·玛丽", LONG_NAME, Sex.FEMALE)
    assert (card.id_number, card.nationality, card.authority) == (NUMBER_2023, "NLD", "")
    assert card.birth_date == dt.date(1987, 8, 1)
    assert (card.valid_from, card.valid_to) == (dt.date(2024, 1, 15), dt.date(2034, 1, 15))
    # What the simulator hands over for such a card is the same layout, and reads back whole.
    assert encode_text(card)[248:250].decode("utf-16-le") == "Y"
    assert parse_text(encode_text(card)) == card


def test_the_2017_permanent_residence_card_keeps_its_layout() -> None:
    old = dataclasses.replace(
        RESIDENT, card_type=CardType.FOREIGN_PERMANENT, name="玛丽", english_name="SMITH, MARY",
        id_number="USA310087080112", nationality="USA", ethnicity="", address="", authority="1500",
    )  # fmt: skip
    block = encode_text(old)
    assert block[248:250].decode("utf-16-le") == "I" and block[122:152].decode("utf-16-le") == "USA310087080112"
    assert parse_text(block) == old


def test_names_and_numbers_stay_out_of_repr() -> None:
    assert "阿依古丽" not in repr(RESIDENT) and RESIDENT.id_number not in str(RESIDENT)
