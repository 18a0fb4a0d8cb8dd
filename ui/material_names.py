"""How the counter names a material's form and status: the intake checklist and the stored record both show them.

The names are marked in the ``materials`` context and translated when shown.
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
STATUS_NAMES = {
    MaterialStatus.RECEIVED: QT_TRANSLATE_NOOP("materials", "已收到"),
    MaterialStatus.MISSING: QT_TRANSLATE_NOOP("materials", "缺少"),
    MaterialStatus.DEFECTIVE: QT_TRANSLATE_NOOP("materials", "不合格"),
}


def copies_text(form: str, count: int) -> str:
    """The form a material is brought in and how many, e.g. “原件 1 份” (a form this UI does not know stays as is)."""
    name = translate("materials", FORM_NAMES.get(form, form))
    return QCoreApplication.translate("materials", "{form} {count} 份").format(form=name, count=count)
