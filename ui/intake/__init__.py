"""Intake: the form a case is taken on (queue ticket, item, parties, the item's fields, materials, decision).

Importing the package registers its tab (受理, F2) with the main window (:mod:`ui.tabs`).
"""

from app.domain import Role
from app.i18n import QT_TRANSLATE_NOOP
from app.security.permissions import Permission, allows
from ui.intake.panel import IntakePanel
from ui.tabs import TabSpec, register_tab

INTAKE_KEYS = "F2"

register_tab(
    TabSpec(
        name="intake",
        title=QT_TRANSLATE_NOOP("MainWindow", "受理 ({keys})"),
        page=IntakePanel,
        order=10,
        keys=INTAKE_KEYS,
        # Only the roles that may take applications (IT's admin account does not: app/security/permissions.py).
        roles=frozenset(role for role in Role if allows(role, Permission.TAKE)),
    )
)
