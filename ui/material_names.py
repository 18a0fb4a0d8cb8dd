"""How the counter names a material's form, unit and status: the intake checklist and the stored record both show
them.

A status says what really happened to the paper (docs/documents.md "Materials"): kept by the centre (收取), looked at
and handed back (原件核验（已退还）), the original handed back and copies kept, or checked in the electronic licence
library (电子证照核验).  The names are marked in the ``materials`` context and translated when shown.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.domain import MaterialStatus
from app.i18n import QT_TRANSLATE_NOOP
from ui.i18n import translate

FORM_NAMES = {
    "original": QT_TRANSLATE_NOOP("materials", "原件"),
    "copy": QT_TRANSLATE_NOOP("materials", "复印件"),
    "original_and_copy": QT_TRANSLATE_NOOP("materials", "原件和复印件"),
    "electronic": QT_TRANSLATE_NOOP("materials", "电子材料"),
}
#: How a material is counted (the catalog's ``unit``): documents in 份, photos in 张, booklets in 本.
UNIT_NAMES = {
    "份": QT_TRANSLATE_NOOP("materials", "份"),
    "张": QT_TRANSLATE_NOOP("materials", "张"),
    "本": QT_TRANSLATE_NOOP("materials", "本"),
}
#: A stored status as the record shows it.
STATUS_NAMES = {
    MaterialStatus.RECEIVED: QT_TRANSLATE_NOOP("materials", "收取"),
    MaterialStatus.ORIGINAL_CHECKED: QT_TRANSLATE_NOOP("materials", "原件核验（已退还）"),
    MaterialStatus.COPY_KEPT: QT_TRANSLATE_NOOP("materials", "原件核验（已退还），收取复印件"),
    MaterialStatus.E_VERIFIED: QT_TRANSLATE_NOOP("materials", "电子证照核验"),
    MaterialStatus.MISSING: QT_TRANSLATE_NOOP("materials", "缺少"),
    MaterialStatus.DEFECTIVE: QT_TRANSLATE_NOOP("materials", "不合格"),
    MaterialStatus.NOT_NEEDED: QT_TRANSLATE_NOOP("materials", "不需要"),
}
#: What the present tick records for each handling of the catalog (``Material.handled()``).
PRESENT_STATUS = {
    "keep": MaterialStatus.RECEIVED,
    "return": MaterialStatus.ORIGINAL_CHECKED,
    "copy": MaterialStatus.COPY_KEPT,
}


def present_status(handling: str) -> MaterialStatus:
    """The status a present tick records for a line of ``handling`` (keep when this UI does not know it)."""
    return PRESENT_STATUS.get(handling, MaterialStatus.RECEIVED)


def status_name(status: str) -> str:
    """A stored status in the clerk's words (a status this UI does not know stays as is)."""
    try:
        return translate("materials", STATUS_NAMES[MaterialStatus(status)])
    except ValueError:
        return status


def unit_name(unit: str) -> str:
    """份, 张 or 本 in the current language."""
    return translate("materials", UNIT_NAMES.get(unit, unit))


def copies_text(form: str, count: int, unit: str = "份") -> str:
    """The form a material is brought in and how many, e.g. “原件 1 份”, “原件 2 张” (photos)."""
    name = translate("materials", FORM_NAMES.get(form, form))
    return QCoreApplication.translate("materials", "{form} {count} {unit}").format(
        form=name, count=count, unit=unit_name(unit)
    )


def handled_text(status: str, form: str, count: int, unit: str = "份") -> str:
    """What happened to a stored material line, as the record shows it: “原件核验（已退还）”,
    “原件核验（已退还），收取复印件 2 份”, “电子证照核验”, “收取 原件 2 张”, “缺少 原件 1 份”."""
    if status == MaterialStatus.COPY_KEPT.value:
        return QCoreApplication.translate("materials", "原件核验（已退还），收取复印件 {count} 份").format(count=count)
    if status in (MaterialStatus.ORIGINAL_CHECKED.value, MaterialStatus.E_VERIFIED.value):
        return status_name(status)
    return f"{status_name(status)}　{copies_text(form, count, unit)}"
