"""One ID card as read: the chip's text fields, the card type, an optional photo; the reader's failures.

The fields are those of 居民身份证法 Art. 3 (rules.md §6).  Nothing here logs a name or a number (STYLE.md,
docs/privacy.md): ``repr`` of a :class:`CardData` shows the card type only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from app.errors import YimenError
from app.i18n import QT_TRANSLATE_NOOP, Message


class CardType(StrEnum):
    """The cards a 二代证 reader reads (the chip's 证件类型标识: blank, ``J`` or ``I``)."""

    RESIDENT = "居民身份证"
    HK_MACAO_TAIWAN = "港澳台居民居住证"
    FOREIGN_PERMANENT = "外国人永久居留身份证"


#: The card types' names for the screen (the values, marked for translation).
CARD_TYPE_NAMES = {
    CardType.RESIDENT: QT_TRANSLATE_NOOP("idcard", "居民身份证"),
    CardType.HK_MACAO_TAIWAN: QT_TRANSLATE_NOOP("idcard", "港澳台居民居住证"),
    CardType.FOREIGN_PERMANENT: QT_TRANSLATE_NOOP("idcard", "外国人永久居留身份证"),
}


class Sex(StrEnum):
    """GB/T 2261.1 sex codes as the chip stores them."""

    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    UNSTATED = "9"


SEX_NAMES = {
    Sex.UNKNOWN: QT_TRANSLATE_NOOP("idcard", "未知"),
    Sex.MALE: QT_TRANSLATE_NOOP("idcard", "男"),
    Sex.FEMALE: QT_TRANSLATE_NOOP("idcard", "女"),
    Sex.UNSTATED: QT_TRANSLATE_NOOP("idcard", "未说明"),
}


@dataclass(frozen=True)
class CardData:
    """One card as read.

    Attributes:
        card_type: which card (居民身份证, 港澳台居民居住证, 外国人永久居留身份证).
        name: the name as printed (the Chinese name of a 永居证 where it has one, else its English name).
        sex: the sex code.
        ethnicity: 民族 in words (empty on cards that have none).
        birth_date: 出生日期.
        address: 住址 (empty on a 永居证).
        id_number: 公民身份号码 or the permit's number.
        authority: 签发机关 (a 永居证 carries the code of the accepting office).
        valid_from: start of the validity.
        valid_to: end of the validity; None for 长期.
        english_name: a 永居证's English name.
        nationality: a 永居证's nationality code (GB/T 2659).
        pass_number: a 居住证's 通行证号码.
        photo: the photo as BMP bytes when the SDK decoded it, else None.
    """

    card_type: CardType
    name: str
    sex: Sex
    ethnicity: str
    birth_date: dt.date | None
    address: str
    id_number: str
    authority: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    english_name: str = ""
    nationality: str = ""
    pass_number: str = ""
    photo: bytes | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # never a name or a number in a log line
        return f"CardData(card_type={self.card_type.value!r})"

    __str__ = __repr__

    def expired(self, today: dt.date) -> bool:
        """The card's validity ended before ``today`` (a 长期 card never expires)."""
        return self.valid_to is not None and self.valid_to < today


class IdCardError(YimenError):
    """The reader is absent, not configured, refused or failed: manual entry goes on; the text says what to do."""

    code = "idcard"

    def __init__(self, message: Message, *, detail: str = "") -> None:
        super().__init__(message)
        #: A technical detail for the log (an SDK's return code); never personal data.
        self.detail = detail
