"""What the decision documents (:mod:`app.documents.render`) and the 申请表 (:mod:`app.documents.forms`) share.

How a record's values and materials read on paper, the PDF's metadata, and the characters of a record no font
has (the renderer reports them so the clerk can check the printout).  Both modules import this one, never each
other's helpers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from app.catalog.schema import (
    MATERIAL_FORM_ZH,
    FieldDef,
    FieldType,
    FormLayout,
    LegalBasis,
    LegalNature,
    MaterialForm,
    MaterialUnit,
    ServiceItem,
)
from app.documents import fonts as fnt
from app.documents import layout as lay
from app.documents.fonts import FontSet
from app.documents.model import DocumentKind, DocumentSettings
from app.domain import MaterialStatus, PartyRole
from app.intake.model import DecisionResult, MaterialView
from app.money import format_fen


def texts_of(result: DecisionResult) -> Iterable[str]:
    """The record's own texts (names, values, reasons): what may hold characters no face has."""
    yield result.item_name
    for party in result.parties:
        yield party.name
        yield from (str(v) for v in party.values.values())
    yield from (str(v) for v in result.values.values())
    for material in result.materials:
        yield material.name
        yield material.note or ""
    yield result.refusal_reason or ""
    yield result.refusal_basis or ""
    yield result.competent_office or ""
    yield result.first_aid_reason or ""


def unprintable_of(result: DecisionResult, fonts: FontSet) -> tuple[str, ...]:
    """The characters of the record's texts that no font of ``fonts`` can draw, each once, in order of use."""
    found: list[str] = []
    for text in texts_of(result):
        for char in fnt.unprintable(text, fonts):
            if char not in found:
                found.append(char)
    return tuple(found)


def value_text(fdef: FieldDef | None, value: Any) -> str:
    """A stored value as the form prints it (choice labels, 是/否, yuan, dates as 2026年1月2日)."""
    if value is None or value == "" or value == [] or value == ():
        return ""
    if fdef is None:
        return str(value)
    if fdef.type is FieldType.BOOL and isinstance(value, bool):
        return "是" if value else "否"
    if fdef.type is FieldType.MONEY and isinstance(value, int):
        return f"{format_fen(value)} 元"
    if fdef.type is FieldType.DATE:
        try:
            return lay.date_text(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    choices = {c.value: c.zh for c in fdef.constraints.choices or ()}
    if isinstance(value, list | tuple):
        return "、".join(choices.get(str(v), str(v)) for v in value)
    return choices.get(str(value), str(value))


def form_text(material: MaterialView) -> str:
    """A material's form in Chinese (原件、复印件 …); a value the catalog does not know is printed as stored."""
    try:
        return MATERIAL_FORM_ZH[MaterialForm(material.form)]
    except ValueError:
        return material.form


def meta(kind: DocumentKind, number: str, result: DecisionResult, settings: DocumentSettings) -> lay.Meta:
    """The PDF metadata of a record's document: title with its number, the centre as author, the decision time."""
    return lay.Meta(
        title=f"{kind.zh_title} {number}",
        author=settings.center_name,
        subject=result.item_name,
        created=result.decided_at,
        keywords=f"{result.acceptance_no} {kind.value}",
    )


# ------------------------------------------------------------------------------------------------ catalog texts

#: The catalog authors' mark of a local placeholder standard (docs/catalog.md): never printed to citizens.
INTERNAL_MARK = re.compile(r"【本地暂定[^】]*】\s*")


def printable(text: str | None) -> str:
    """A catalog text as a citizen may read it: the authors' internal marks (【本地暂定，待确认】) removed."""
    return INTERNAL_MARK.sub("", text or "").strip()


def material_standard(item: ServiceItem | None, key: str) -> str:
    """The standard a material must meet (补正 notice, pre-check), as printed."""
    if item is None:
        return ""
    return next((printable(m.standard.zh) for m in item.materials if m.key == key), "")


# ------------------------------------------------------------------------------------------------ materials


def unit_of(material: MaterialView, item: ServiceItem | None) -> str:
    """份, 张 or 本: the record's unit, else the catalog's (a record taken before units existed)."""
    unit = material.unit
    if unit and unit != MaterialUnit.COPIES.value:
        return unit
    if item is not None:
        found = next((m for m in item.materials if m.key == material.key), None)
        if found is not None:
            return found.unit.value
    return str(unit or MaterialUnit.COPIES.value)


#: What happened to a material line, as every document words it (receipt, 申请表, the future 材料交接单).
STATUS_ZH: dict[str, str] = {
    MaterialStatus.RECEIVED.value: "收取",
    MaterialStatus.ORIGINAL_CHECKED.value: "原件核验（已退还）",
    MaterialStatus.COPY_KEPT.value: "复印件收取",
    MaterialStatus.E_VERIFIED.value: "电子证照核验",
    MaterialStatus.MISSING.value: "缺少",
    MaterialStatus.DEFECTIVE.value: "不合格",
    MaterialStatus.NOT_NEEDED.value: "不需要",
}


def status_text(material: MaterialView, unit: str, *, short: bool = False) -> str:
    """One material line's status in words, with what is kept and how many.

    收取原件 1 份 / 收取 2 张 (paper the centre keeps), 原件核验（已退还），复印件收取 1 份, 原件核验（已退还）,
    电子证照核验, 缺少, 不合格, 不需要.  ``short`` leaves out the count (a column of its own prints it).
    """
    status = material.status
    count = "" if short else f" {material.count} {unit}"
    if status == MaterialStatus.RECEIVED.value:
        kept = form_text(material) if material.form in (MaterialForm.ORIGINAL, MaterialForm.COPY) else ""
        if unit != MaterialUnit.COPIES.value and material.form == MaterialForm.ORIGINAL:
            kept = ""  # photos and booklets: "收取 2 张", not "收取原件 2 张"
        return f"收取{kept}{count}"
    if status == MaterialStatus.COPY_KEPT.value:
        checked = "原件核验（已退还），" if material.form == MaterialForm.ORIGINAL_AND_COPY else ""
        return f"{checked}复印件收取{count}"
    return STATUS_ZH.get(status, status)


def kept_of(result: DecisionResult) -> list[MaterialView]:
    """Paper the centre keeps: 已收取的材料."""
    kept = (MaterialStatus.RECEIVED.value, MaterialStatus.COPY_KEPT.value)
    return [m for m in result.materials if m.status in kept]


def checked_of(result: DecisionResult) -> list[MaterialView]:
    """Originals looked at and handed back: 已核验的材料（原件已退还）."""
    return [m for m in result.materials if m.status == MaterialStatus.ORIGINAL_CHECKED.value]


def e_verified_of(result: DecisionResult) -> list[MaterialView]:
    """Certificates checked in the electronic licence library: no paper."""
    return [m for m in result.materials if m.status == MaterialStatus.E_VERIFIED.value]


def owed_of(result: DecisionResult) -> list[MaterialView]:
    """What a 容缺受理 or 先行救助 acceptance still owes (the core's ``owed_materials``)."""
    return result.owed_materials


def totals_text(materials: Iterable[MaterialView], item: ServiceItem | None) -> str:
    """``共 3 项，计 2 份、2 张``: items counted once, the copies summed per unit (photos in 张, not 份)."""
    listed = list(materials)
    per_unit: dict[str, int] = {}
    for m in listed:
        unit = unit_of(m, item)
        per_unit[unit] = per_unit.get(unit, 0) + m.count
    order = [u.value for u in MaterialUnit]
    sums = "、".join(f"{per_unit[u]} {u}" for u in sorted(per_unit, key=lambda u: order.index(u) if u in order else 9))
    return f"共 {len(listed)} 项，计 {sums}" if sums else f"共 {len(listed)} 项"


# ------------------------------------------------------------------------------------------------ legal basis

LICENSING_ART_32 = "《中华人民共和国行政许可法》第三十二条"
NEUTRAL_BASIS = "有关规定"


def citation(basis: LegalBasis) -> str:
    """《title》（doc_no）article: only the parts the catalog has."""
    text = f"《{basis.title}》"
    if basis.doc_no:
        text += f"（{basis.doc_no}）"
    if basis.article:
        text += basis.article
    return text


def is_licensing(item: ServiceItem | None) -> bool:
    return item is not None and item.nature is LegalNature.LICENSING


def item_basis(item: ServiceItem | None) -> str:
    """What a decision on ``item`` rests on: its first 政策依据, else the neutral 有关规定 (never a wrong law)."""
    if item is not None and item.legal_basis:
        return citation(item.legal_basis[0])
    return NEUTRAL_BASIS


def supplement_basis(item: ServiceItem | None) -> str:
    """The rule a 补正 notice cites: 行政许可法 Art. 32(1)(4) for a 行政许可 only; else the item's own basis."""
    if is_licensing(item):
        return f"{LICENSING_ART_32}第一款第（四）项"
    return item_basis(item)


def owner_of(material: MaterialView, item: ServiceItem | None) -> str:
    """Who brought a material: its party, else the applicant by the item's name for the role (遗属, 老人,
    丧事承办人 — as the receipt's party line calls them), 双方 for the two parties of a marriage pre-check."""
    if material.party_name:
        return material.party_name
    return applicant_label(item)


def applicant_label(item: ServiceItem | None) -> str:
    """Who brings a material that names no party: 双方 on a two-party form, else the item's name for its
    applicant (``parties[].label``), else 申请人."""
    if item is not None and item.form_layout is FormLayout.SIDE_BY_SIDE:
        return "双方"
    spec = item.party(PartyRole.APPLICANT) if item is not None else None
    return spec.display_zh() if spec is not None else "申请人"
