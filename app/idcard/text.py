"""The chip's 256-byte text block (文字信息), UTF-16LE in fixed-width fields, read where an SDK hands it over raw.

Layouts (rules.md §6; the vendors' ``IDCardInfo`` structures agree):

居民身份证 and 港澳台居民居住证 (证件类型标识 blank or ``J``), offset/length in bytes::

    name 0/30  sex 30/2  nation 32/4  birth 36/16  address 52/70  id 122/36  authority 158/30
    valid_from 188/16  valid_to 204/16  pass_number 220/18  issue_count 238/4  reserved 242/6
    type 248/2  reserved 250/6

外国人永久居留身份证 (2017 版, type ``I``)::

    english_name 0/120  sex 120/2  id 122/30  nationality 152/6  chinese_name 158/30  valid_from 188/16
    valid_to 204/16  birth 220/16  version 236/4  authority_code 240/8  type 248/2  reserved 250/6

外国人永久居留身份证 (2023 版, issued from 2023-12-01, type ``Y``; its number has 18 characters, first ``9``)::

    name 0/30  sex 30/2  renewals 32/4  birth 36/16  english_name 52/70  id 122/36  reserved 158/30
    valid_from 188/16  valid_to 204/16  english_name_more 220/22  nationality 242/6  type 248/2  earlier_id 250/6

(the vendors' ``t_idforeigner2023``, e.g. Johann356/readinfo ``PCSCGetData.h``: the English name runs on from its
36th character in ``english_name_more``; the block names no issuing authority).  Fields are padded with spaces (and
sometimes NULs); dates are ``YYYYMMDD``, ``valid_to`` may read ``长期``.  Any other type flag is refused with a clear
message rather than misread.
"""

from __future__ import annotations

import datetime as dt

from app.i18n import msg
from app.idcard.model import CardData, CardType, IdCardError, Sex

TEXT_LENGTH = 256
LONG_TERM = "长期"

_RESIDENT = {
    "name": (0, 30),
    "sex": (30, 2),
    "nation": (32, 4),
    "birth": (36, 16),
    "address": (52, 70),
    "id": (122, 36),
    "authority": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "pass_number": (220, 18),
    "issue_count": (238, 4),
    "type": (248, 2),
}
_FOREIGN = {
    "english_name": (0, 120),
    "sex": (120, 2),
    "id": (122, 30),
    "nationality": (152, 6),
    "name": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "birth": (220, 16),
    "version": (236, 4),
    "authority": (240, 8),
    "type": (248, 2),
}
_FOREIGN_2023 = {
    "name": (0, 30),
    "sex": (30, 2),
    "renewals": (32, 4),
    "birth": (36, 16),
    "english_name": (52, 70),
    "id": (122, 36),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "english_name_more": (220, 22),
    "nationality": (242, 6),
    "type": (248, 2),
}
_TYPE_FLAGS = {
    "": CardType.RESIDENT,
    "J": CardType.HK_MACAO_TAIWAN,
    "I": CardType.FOREIGN_PERMANENT,
    "Y": CardType.FOREIGN_PERMANENT,
}
#: The 2023 永居证's number: 18 characters (the 2017 card's had 15).
FOREIGN_2023_ID_LENGTH = 18

#: 民族 codes (GB/T 3304-1991) as the chip stores them, two digits.
ETHNICITIES = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
    "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
    "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
    "25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
    "32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌",
    "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克", "46": "德昂",
    "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春", "53": "赫哲",
    "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}  # fmt: skip


def _unreadable() -> IdCardError:
    return IdCardError(msg("idcard", "读卡器返回的证件信息无法识别。请把证件重新放上读卡器，仍不行请手工录入。"))


def _field(raw: bytes, spec: tuple[int, int]) -> str:
    start, length = spec
    try:
        text = raw[start : start + length].decode("utf-16-le")
    except UnicodeDecodeError:
        raise _unreadable() from None
    return text.replace("\x00", " ").strip()


def parse_date(text: str) -> dt.date | None:
    """A chip date (``YYYYMMDD``); None for 长期 or an empty field.

    Raises:
        IdCardError: the field is neither (a misread).
    """
    text = text.strip()
    if not text or text == LONG_TERM:
        return None
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise _unreadable() from None


def _sex(code: str) -> Sex:
    try:
        return Sex(code)
    except ValueError:
        raise _unreadable() from None


def card_type_of(raw: bytes) -> CardType:
    """The card type named by the block's 证件类型标识.

    Raises:
        IdCardError: a block of another length, or a card type this layout does not cover (the 2023 永居证).
    """
    if len(raw) < TEXT_LENGTH:
        raise _unreadable()
    flag = _field(raw, _RESIDENT["type"])
    if flag not in _TYPE_FLAGS:
        raise IdCardError(
            msg("idcard", "这种证件（类型标识“{flag}”）暂不能由读卡器读入，请手工录入。").bind(flag=flag),
            detail=f"type flag {flag!r}",
        )
    return _TYPE_FLAGS[flag]


def parse_text(raw: bytes, photo: bytes | None = None) -> CardData:
    """The card the 256-byte block describes (``photo``: the decoded photo, when the SDK gave one).

    Raises:
        IdCardError: the block is too short, not UTF-16LE, holds an impossible date or code, or is of a card type
            this layout does not cover.
    """
    card_type = card_type_of(raw)
    if _field(raw, _RESIDENT["type"]) == "Y":
        # The 2023 card: the English name runs on in a second field; no issuing authority.
        english = _field(raw, _FOREIGN_2023["english_name"]) + _field(raw, _FOREIGN_2023["english_name_more"])
        return _foreign(raw, _FOREIGN_2023, english, "", photo)
    if card_type is CardType.FOREIGN_PERMANENT:
        return _foreign(raw, _FOREIGN, _field(raw, _FOREIGN["english_name"]), _field(raw, _FOREIGN["authority"]), photo)
    nation = _field(raw, _RESIDENT["nation"])
    return CardData(
        card_type=card_type,
        name=_field(raw, _RESIDENT["name"]),
        sex=_sex(_field(raw, _RESIDENT["sex"])),
        ethnicity=ETHNICITIES.get(nation, nation),
        birth_date=parse_date(_field(raw, _RESIDENT["birth"])),
        address=_field(raw, _RESIDENT["address"]),
        id_number=_field(raw, _RESIDENT["id"]),
        authority=_field(raw, _RESIDENT["authority"]),
        valid_from=parse_date(_field(raw, _RESIDENT["valid_from"])),
        valid_to=parse_date(_field(raw, _RESIDENT["valid_to"])),
        pass_number=_field(raw, _RESIDENT["pass_number"]) if card_type is CardType.HK_MACAO_TAIWAN else "",
        photo=photo,
    )


def _foreign(
    raw: bytes, layout: dict[str, tuple[int, int]], english: str, authority: str, photo: bytes | None
) -> CardData:
    """A 永居证 read from ``layout`` (2017 or 2023); its Chinese name, else its English one, is the name."""
    chinese = _field(raw, layout["name"])
    return CardData(
        card_type=CardType.FOREIGN_PERMANENT,
        name=chinese or english,
        sex=_sex(_field(raw, layout["sex"])),
        ethnicity="",
        birth_date=parse_date(_field(raw, layout["birth"])),
        address="",
        id_number=_field(raw, layout["id"]),
        authority=authority,
        valid_from=parse_date(_field(raw, layout["valid_from"])),
        valid_to=parse_date(_field(raw, layout["valid_to"])),
        english_name=english,
        nationality=_field(raw, layout["nationality"]),
        photo=photo,
    )


def _put(block: bytearray, spec: tuple[int, int], text: str) -> None:
    start, length = spec
    data = text.encode("utf-16-le")
    if len(data) > length:
        raise ValueError(f"field of {length} bytes cannot hold {len(data)}")
    block[start : start + length] = data + " ".encode("utf-16-le") * ((length - len(data)) // 2)


def _date(value: dt.date | None) -> str:
    return value.strftime("%Y%m%d") if value is not None else LONG_TERM


def encode_text(card: CardData) -> bytes:
    """The 256-byte block of ``card``, as a chip holds it: what the simulator and the tests' fake SDK hand over.

    Raises:
        ValueError: a value does not fit its field.
    """
    block = bytearray(" ".encode("utf-16-le") * (TEXT_LENGTH // 2))
    birth = card.birth_date.strftime("%Y%m%d") if card.birth_date is not None else ""
    if card.card_type is CardType.FOREIGN_PERMANENT and len(card.id_number) == FOREIGN_2023_ID_LENGTH:
        layout = _FOREIGN_2023
        english = card.english_name
        _put(block, layout["english_name"], english[:35])
        _put(block, layout["english_name_more"], english[35:])
        _put(block, layout["nationality"], card.nationality)
        _put(block, layout["renewals"], "00")
        _put(block, layout["type"], "Y")
    elif card.card_type is CardType.FOREIGN_PERMANENT:
        layout = _FOREIGN
        _put(block, layout["english_name"], card.english_name)
        _put(block, layout["nationality"], card.nationality)
        _put(block, layout["version"], "01")
        _put(block, layout["type"], "I")
    else:
        layout = _RESIDENT
        codes = {name: code for code, name in ETHNICITIES.items()}
        _put(block, layout["nation"], codes.get(card.ethnicity, card.ethnicity))
        _put(block, layout["address"], card.address)
        if card.card_type is CardType.HK_MACAO_TAIWAN:
            _put(block, layout["pass_number"], card.pass_number)
            _put(block, layout["issue_count"], "01")
            _put(block, layout["type"], "J")
    _put(block, layout["name"], card.name)
    _put(block, layout["sex"], card.sex.value)
    _put(block, layout["birth"], birth)
    _put(block, layout["id"], card.id_number)
    if "authority" in layout:
        _put(block, layout["authority"], card.authority)
    _put(block, layout["valid_from"], _date(card.valid_from))
    _put(block, layout["valid_to"], _date(card.valid_to))
    return bytes(block)
