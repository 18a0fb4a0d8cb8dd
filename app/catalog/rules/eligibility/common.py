"""What several named rules share: the disability read from a certificate, ages, the usual warnings.

rules.md §2: a 残疾人证号 carries the category (1 视力 … 5 智力, 6 精神, 7 多重) and the grade (1 = most severe).
"""

from __future__ import annotations

from datetime import date

from app.catalog.rules.case import Form, PartyFacts, Problem, Severity
from app.catalog.rules.dates import age_on, date_reaching_age, format_date
from app.catalog.schema import FieldType
from app.domain import PartyRole
from app.i18n import Bilingual, Message, msg
from app.idnumber import check_disability_cert

#: rules.md §2: category digit 5 智力, 6 精神.
INTELLECTUAL, MENTAL = 5, 6
INTELLECTUAL_OR_MENTAL = frozenset({INTELLECTUAL, MENTAL})
VISUAL, PHYSICAL, MULTIPLE = 1, 4, 7
_CATEGORY = {
    1: msg("catalog", "视力"),
    2: msg("catalog", "听力"),
    3: msg("catalog", "言语"),
    4: msg("catalog", "肢体"),
    5: msg("catalog", "智力"),
    6: msg("catalog", "精神"),
    7: msg("catalog", "多重"),
}
_GRADE = {1: msg("catalog", "一级"), 2: msg("catalog", "二级"), 3: msg("catalog", "三级"), 4: msg("catalog", "四级")}


def disability_text(category: int, grade: int) -> Message:
    """The disability, category then grade (``智力三级``); ``?`` for a digit outside the lists."""
    return msg("catalog", "{category}{grade}").bind(category=_CATEGORY.get(category, "?"), grade=_GRADE.get(grade, "?"))


def disability_of(form: Form, index: int, party: PartyFacts) -> tuple[int, int] | None:
    """(category, grade) of a party: from :class:`PartyFacts`, else from a valid ``disability_cert`` field.

    The field is looked for among the party's own fields first, then (for the applicant) among the item's fields.
    A certificate that carries another person's ID number is ignored (the field check reports it elsewhere).
    """
    if party.disability_category is not None and party.disability_grade is not None:
        return party.disability_category, party.disability_grade
    item = form.ctx.item
    spec = item.party(party.role) if party.role in set(PartyRole) else None
    candidates: list[object] = [
        form.party_values[index].get(f.key)
        for f in (spec.fields if spec else ())
        if f.type is FieldType.DISABILITY_CERT
    ]
    if party.role == PartyRole.APPLICANT.value:
        candidates += [form.values.get(f.key) for f in item.fields if f.type is FieldType.DISABILITY_CERT]
    for value in candidates:
        if isinstance(value, str):
            check = check_disability_cert(value, id_number=party.id_number)
            if check.valid and check.category is not None and check.grade is not None:
                return int(check.category), check.grade
    return None


def is_severe(category: int, grade: int) -> bool:
    """重残 as defined for 重残无业 (items §8, mzj 2021): grade 1 or 2, or 三级智力."""
    return grade in (1, 2) or (grade == 3 and category == INTELLECTUAL)


def missing_disability(index: int, party: PartyFacts, what: Message | Bilingual) -> Problem:
    """The warning that the disability of ``party`` is unknown, so the clerk checks ``what`` by hand."""
    return Problem(
        None,
        msg("catalog", "未能读出{name}的残疾类别和等级（请录入残疾人证号），无法核对“{what}”的条件，请人工核对").bind(
            name=party.name, what=what
        ),
        "warning",
        index,
    )


def missing_birth(index: int, party: PartyFacts, what: Message | Bilingual) -> Problem:
    """The warning that the birth date of ``party`` is unknown, so the clerk checks the age for ``what``."""
    return Problem(
        None,
        msg("catalog", "未能确定{name}的出生日期，无法核对“{what}”的年龄条件，请人工核对").bind(
            name=party.name, what=what
        ),
        "warning",
        index,
    )


def under_age(
    index: int, party: PartyFacts, years: int, on: date, reason: Message, severity: Severity
) -> Problem | None:
    """A problem when ``party`` is younger than ``years`` on ``on``, saying when the age is reached."""
    assert party.birth_date is not None
    if age_on(party.birth_date, on) >= years:
        return None
    reached = date_reaching_age(party.birth_date, years)
    return Problem(
        None,
        msg("catalog", "{name}于{reached}才满 {years} 周岁，{on}尚未达到：{reason}").bind(
            name=party.name, reached=format_date(reached), years=years, on=format_date(on), reason=reason
        ),
        severity,
        index,
    )


def cert_in_shanghai(form: Form) -> list[Problem]:
    """The 残疾人证 must be a second-generation one issued in Shanghai (护理补贴 and 生活补贴, items §6)."""
    if form.values.get("cert_issued_in_shanghai") is False:
        return [
            Problem(
                "cert_issued_in_shanghai",
                msg("catalog", "须持有本市核发的第二代残疾人证（2016 年两项补贴实施时的口径），请核对"),
                "error",
            )
        ]
    return []
