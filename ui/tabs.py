"""The main window's tabs, registered by the feature packages that offer them (Frescobaldi's feature slices).

A feature package registers its tab when it is imported (``ui/intake/__init__.py``)::

    register_tab(
        TabSpec(name="intake", title=QT_TRANSLATE_NOOP("MainWindow", "受理 ({keys})"), page=IntakePanel,
                order=10, keys="F2")
    )

and the main window shows :func:`tabs_for` the clerk, in ``order``, each page made from the window's
:class:`~ui.context.UiContext`.  A tab for supervisors only is one more registration, with
``roles=frozenset({Role.SUPERVISOR, Role.ADMIN})``.

Titles are marked with ``QT_TRANSLATE_NOOP`` in the ``MainWindow`` context (the window shows them) and translated
when the window is built; ``{keys}`` is replaced with the tab's shortcut.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.domain import Role
    from app.security.accounts import SessionUser
    from ui.context import UiContext


class TabPage(QWidget):
    """A page of the main window's tabs."""

    def focus_start(self) -> None:
        """Put the cursor where work on this page starts (the window calls it when the page is shown)."""
        self.setFocus()


@dataclass(frozen=True)
class TabSpec:
    """One tab of the main window.

    Attributes:
        name: the page's key in ``MainWindow.pages`` (and its objectName), unique.
        title: the tab's title, a ``QT_TRANSLATE_NOOP("MainWindow", …)`` source string; ``{keys}`` is the shortcut.
        page: makes the page: called with the window's context and the tab widget as parent.
        order: where the tab goes (lower first).
        keys: the shortcut that shows the tab (empty: none).
        roles: the roles that see the tab (empty: every clerk).
    """

    name: str
    title: str
    page: Callable[[UiContext, QWidget], TabPage]
    order: int
    keys: str = ""
    roles: frozenset[Role] = frozenset()

    def allows(self, user: SessionUser) -> bool:
        """True when ``user`` sees this tab."""
        return not self.roles or user.role in self.roles


_registry: dict[str, TabSpec] = {}


def register_tab(spec: TabSpec) -> None:
    """Offer a tab to the main window.

    Raises:
        ValueError: another tab is registered under the same name.
    """
    known = _registry.get(spec.name)
    if known is not None and known != spec:
        raise ValueError(f"two tabs are called {spec.name!r}")
    _registry[spec.name] = spec


def tabs_for(user: SessionUser) -> list[TabSpec]:
    """The tabs ``user`` sees, in order."""
    return sorted((spec for spec in _registry.values() if spec.allows(user)), key=lambda spec: (spec.order, spec.name))
