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
    new_permit = bytearray(encode_text(RESIDENT))
    new_permit[248:250] = "Y".encode("utf-16-le")  # the 2023 永居证: another layout
    with pytest.raises(IdCardError, match="类型标识“Y”"):
        parse_text(bytes(new_permit))


def test_names_and_numbers_stay_out_of_repr() -> None:
    assert "阿依古丽" not in repr(RESIDENT) and RESIDENT.id_number not in str(RESIDENT)
