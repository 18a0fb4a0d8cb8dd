"""Disability certificate numbers (残疾人证号): the holder's ID number, the category and the grade.

rules.md §2: a disability certificate number is the holder's 18-character ID + a category digit (1-7) + a grade
digit (1-4), optionally followed by a reissue suffix ``B`` + digit.  The embedded ID is checked by
:func:`app.idnumber.citizen_id.check_id`.

:func:`check_disability_cert` never raises: it returns a result with a Chinese :class:`~app.i18n.Message` for the
clerk.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Literal

from app.i18n import Message, msg
from app.idnumber.citizen_id import check_id
from app.idnumber.normalize import normalize_id, show_char

CertErrorPart = Literal["length", "embedded_id", "category", "grade", "reissue", "owner"]


class DisabilityCategory(IntEnum):
    """The 19th character of a disability certificate number (rules.md §2; 残疾人保障法 Art. 2)."""

    VISION = 1
    HEARING = 2
    SPEECH = 3
    PHYSICAL = 4
    INTELLECTUAL = 5
    MENTAL = 6
    MULTIPLE = 7

    @property
    def label(self) -> Message:
        """The category's Chinese name, e.g. 肢体残疾."""
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS: dict[DisabilityCategory, Message] = {
    DisabilityCategory.VISION: msg("idnumber", "视力残疾"),
    DisabilityCategory.HEARING: msg("idnumber", "听力残疾"),
    DisabilityCategory.SPEECH: msg("idnumber", "言语残疾"),
    DisabilityCategory.PHYSICAL: msg("idnumber", "肢体残疾"),
    DisabilityCategory.INTELLECTUAL: msg("idnumber", "智力残疾"),
    DisabilityCategory.MENTAL: msg("idnumber", "精神残疾"),
    DisabilityCategory.MULTIPLE: msg("idnumber", "多重残疾"),
}

_GRADE_LABELS: dict[int, Message] = {
    1: msg("idnumber", "一级"),
    2: msg("idnumber", "二级"),
    3: msg("idnumber", "三级"),
    4: msg("idnumber", "四级"),
}


def grade_label(grade: int) -> Message:
    """The Chinese name of a disability grade, 一级 (most severe) to 四级 (rules.md §2).

    Raises:
        KeyError: ``grade`` is not 1-4 (a programming error: :func:`check_disability_cert` only returns 1-4).
    """
    return _GRADE_LABELS[grade]


@dataclass(frozen=True)
class DisabilityCertCheck:
    """The result of :func:`check_disability_cert`.

    Derived fields (``embedded_id``, ``category``, ``grade``, ``reissue``) are set only when ``valid``.

    Attributes:
        input: the text as given.
        valid: True when the number is well formed, its ID is valid and (if asked) it belongs to the person.
        normalized: the number after :func:`normalize_id`.
        embedded_id: the holder's 18-character ID number (the first 18 characters).
        category: the type of disability.
        grade: 1 (一级, most severe) to 4 (四级).
        reissue: the digit after ``B`` on a reissued card, None on a first card.
        warnings: warnings about the embedded ID (e.g. an anachronistic region code).
        error: why the number is invalid.
        error_part: which part is wrong.
    """

    input: str
    valid: bool
    normalized: str
    embedded_id: str | None = None
    category: DisabilityCategory | None = None
    grade: int | None = None
    reissue: int | None = None
    warnings: tuple[Message, ...] = ()
    error: Message | None = None
    error_part: CertErrorPart | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON object for the command line and logs (messages rendered in Chinese)."""
        return {
            "input": self.input,
            "valid": self.valid,
            "normalized": self.normalized,
            "embedded_id": self.embedded_id,
            "category": int(self.category) if self.category is not None else None,
            "category_label": self.category.label.render() if self.category is not None else None,
            "grade": self.grade,
            "reissue": self.reissue,
            "warnings": [w.render() for w in self.warnings],
            "error": self.error.render() if self.error is not None else None,
        }


def check_disability_cert(
    raw: str, *, id_number: str | None = None, today: datetime.date | None = None
) -> DisabilityCertCheck:
    """Check a 残疾人证号 (rules.md §2).  Never raises.

    The number is 20 characters: the holder's 18-character ID (which may end in ``X``), the category digit
    1-7 and the grade digit 1-4; a reissued card adds ``B`` and a digit 1-9 (22 characters; reported by a
    third party, accepted as optional).

    Args:
        raw: the certificate number as typed.
        id_number: the applicant's ID number; when given, the certificate must carry this ID.
        today: the day of the check (see :func:`check_id`).

    Returns:
        The result, with a Chinese message naming the wrong part.
    """
    number = normalize_id(raw)

    def invalid(part: CertErrorPart, error: Message) -> DisabilityCertCheck:
        return DisabilityCertCheck(input=raw, valid=False, normalized=number, error=error, error_part=part)

    if len(number) not in (20, 22):
        if not number:
            return invalid("length", msg("idnumber", "请输入残疾人证号。"))
        return invalid(
            "length",
            msg("idnumber", "残疾人证号应为 20 位（补发的证为 22 位），现在是 {count} 位。").bind(count=len(number)),
        )
    id_check = check_id(number[:18], today=today)
    if not id_check.valid:
        # The ID's message names positions 1-18, which are the same positions in the certificate number.
        return invalid(
            "embedded_id",
            msg("idnumber", "残疾人证号的前 18 位（持证人身份号码）有误：{detail}").bind(detail=id_check.error),
        )
    if number[18] not in "1234567":
        return invalid(
            "category",
            msg(
                "idnumber",
                "第 19 位（残疾类别）应为 1–7（1 视力、2 听力、3 言语、4 肢体、5 智力、6 精神、7 多重），"
                "现在是“{char}”。",
            ).bind(char=show_char(number[18])),
        )
    if number[19] not in "1234":
        return invalid(
            "grade",
            msg("idnumber", "第 20 位（残疾等级）应为 1–4（一级至四级），现在是“{char}”。").bind(
                char=show_char(number[19])
            ),
        )
    reissue: int | None = None
    if len(number) == 22:
        if number[20] != "B" or number[21] not in "123456789":
            return invalid(
                "reissue",
                msg("idnumber", "第 21–22 位（补发标记）应为字母 B 加 1–9 的数字，现在是“{suffix}”。").bind(
                    suffix="".join(show_char(c) for c in number[20:])
                ),
            )
        reissue = int(number[21])
    if id_number is not None:
        person = check_id(id_number, today=today)
        person_id = person.normalized if person.valid else normalize_id(id_number)
        if person_id != id_check.normalized:
            return invalid(
                "owner",
                msg(
                    "idnumber",
                    "残疾人证号中的身份号码与本人的身份号码不一致：这张残疾人证不属于此人，请核对证件。",
                ),
            )
    return DisabilityCertCheck(
        input=raw,
        valid=True,
        normalized=number,
        embedded_id=id_check.normalized,
        category=DisabilityCategory(int(number[18])),
        grade=int(number[19]),
        reissue=reissue,
        warnings=id_check.warnings,
    )
