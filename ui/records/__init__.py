"""Records: today's applications and the search, and one stored application (return visit, 更正, 作废).

Importing the package registers its tab (今日/查询, F3) with the main window (:mod:`ui.tabs`).
"""

from app.i18n import QT_TRANSLATE_NOOP
from ui.records.applications import ApplicationsView
from ui.tabs import TabSpec, register_tab

LIST_KEYS = "F3"

register_tab(
    TabSpec(
        name="applications",
        title=QT_TRANSLATE_NOOP("MainWindow", "今日/查询 ({keys})"),
        page=ApplicationsView,
        order=20,
        keys=LIST_KEYS,
    )
)
