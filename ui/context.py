"""What every part of a logged-in counter window is given: :class:`UiContext`, and the window's :class:`WindowEvents`.

The feature packages (``ui.intake``, ``ui.records``, ``ui.documents``, ``ui.sync``) never import each other (the
import-linter contracts in pyproject.toml).  What one tells the others goes through :class:`WindowEvents`, one small
hub of signals per window (Frescobaldi's ``app.py`` signals, scoped to a window rather than global): an intake
decision is a ``changed`` record, which the list reads again, sync pushes and the documents feature draws what it
owes — none of them knowing who stored it.

This module is light (no core services at run time): the start-up path may import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from app.bootstrap import Services
    from app.security.accounts import SessionUser
    from ui.messages import MessageBridge
    from ui.tasks import TaskRunner


class WindowEvents(QObject):
    """What the parts of one counter window tell each other.

    Signals:
        changed(object): a record was stored or changed (the ``DecisionResult``): a decision at the form, a 补正
            return visit, 更正 or 作废.  Lists read again, sync pushes, and the documents the change owes (the core
            says which: ``DocumentService.due``) are drawn and previewed.
        synced(): sync changed stored records (their sync state or the back office's status): views read them again
            in place.
        print_requested(str): the clerk asked for the documents of an application (its 受理编号): the preview
            opens; a copy of one already handed out is a 补打.
        documents_changed(): documents were stored, or a copy was handed out (printed, saved, 补打): sync pushes.
    """

    changed = Signal(object)
    synced = Signal()
    print_requested = Signal(str)
    documents_changed = Signal()


@dataclass(frozen=True)
class UiContext:
    """The services, the background runner, the message bridge and the clerk of a logged-in window, in one value.

    Attributes:
        services: the core's opened services.
        runner: the one background runner (database worker, renderer thread, network pool).
        bridge: where messages for the clerk go.
        user: the clerk logged in at this window.
        events: the window's hub between its parts (one per context, made with it).
    """

    services: Services
    runner: TaskRunner
    bridge: MessageBridge
    user: SessionUser
    events: WindowEvents = field(default_factory=WindowEvents, compare=False, repr=False)
