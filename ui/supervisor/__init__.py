"""The supervisor's day at the counter: the 值班长 tab (figures, 差评 follow-ups, reconciliation and 日结) for
supervisors and IT's admin, and a clerk's own figures (我的统计).

Importing the package registers both tabs with the main window (:mod:`ui.tabs`); each user sees one of them (F6).
"""

from app.domain import Role
from app.i18n import QT_TRANSLATE_NOOP
from ui.supervisor.page import MyFiguresPage, SupervisorPage
from ui.tabs import TabSpec, register_tab

SUPERVISOR_KEYS = "F6"

register_tab(
    TabSpec(
        name="supervisor",
        title=QT_TRANSLATE_NOOP("MainWindow", "值班长 ({keys})"),
        page=SupervisorPage,
        order=40,
        keys=SUPERVISOR_KEYS,
        roles=frozenset({Role.SUPERVISOR, Role.ADMIN}),
    )
)
register_tab(
    TabSpec(
        name="my_figures",
        title=QT_TRANSLATE_NOOP("MainWindow", "我的统计 ({keys})"),
        page=MyFiguresPage,
        order=40,
        keys=SUPERVISOR_KEYS,
        roles=frozenset({Role.CLERK}),
    )
)
