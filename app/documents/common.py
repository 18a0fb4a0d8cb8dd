"""What the decision documents (:mod:`app.documents.render`) and the 申请表 (:mod:`app.documents.forms`) share.

How a record's values and materials read on paper, the PDF's metadata, and the characters of a record no font
has (the renderer reports them so the clerk can check the printout).  Both modules import this one, never each
other's helpers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from app.catalog.schema import MATERIAL_FORM_ZH, FieldDef, FieldType, MaterialForm
from app.documents import fonts as fnt
from app.documents import layout as lay
from app.documents.fonts import FontSet
from app.documents.model import DocumentKind, DocumentSettings
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
