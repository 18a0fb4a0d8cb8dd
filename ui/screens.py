"""The screens of a counter: the clerk's, and the one facing the citizen where there is a second (the rater,
ui/rating/desk.py; the signature pad at ``[signatures] screen = "citizen"``, ui/intake/signature.py)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QScreen

#: ``[ratings] screen``: the citizen's screen when there is one.
AUTO = "auto"


def citizen_screen(counter: QScreen | None, setting: str, *, gone: QScreen | None = None) -> QScreen | None:
    """The screen facing the citizen: another screen than the counter window's (and than ``gone``, a screen being
    unplugged), when the deployment lets the rater use one (``setting`` ``auto``) and there is one; None: the rater is
    a window on the counter's screen."""
    if setting != AUTO:
        return None
    screens = [screen for screen in QGuiApplication.screens() if screen is not gone]
    if len(screens) < 2:
        return None
    return next((screen for screen in screens if screen is not counter), None)
