"""The signatures at the decision (issue 17): :class:`SignatureStep` opens the pad (ui/signature_pad.py) before a
decision at a counter with one (``[signatures] pad = "on"``) when the item's catalog flag ``signatures`` names
signers among the case's parties (the applicant by default; a spouse, agent or guardian where the item takes them),
and hands the decision its captures; before a 补正 or 不予受理 only the one who signs the notice's 签收 line
(app.signatures.needed_signers). Esc leaves the pen on paper, so it never blocks the decision.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.catalog.schema import ServiceItem
from app.domain import Decision
from app.intake.model import ApplicationDraft
from app.signatures import SignatureCapture, needed_signers
from ui.screens import AUTO, citizen_screen
from ui.signature_pad import SignatureDialog


class SignatureStep:
    """Before a decision at a counter with a pad, the signatures the item asks for (catalog
    ``signatures``).  Kept for a retry of the same case (a decision refused for a missing field asks for nothing
    again); :meth:`reset` for the next."""

    def __init__(self, parent: QWidget, *, enabled: bool, on_citizen_screen: bool = False) -> None:
        self.parent = parent
        #: The counter has a pad (``[signatures] pad = "on"``); without one nobody is asked.
        self.enabled = enabled
        #: The pad opens on the screen facing the citizen, when there is one (``[signatures] screen = "citizen"``).
        self.on_citizen_screen = on_citizen_screen
        self.dialog: SignatureDialog | None = None
        self._signed: tuple[tuple[str, int], ...] | None = None
        self._captures: tuple[SignatureCapture, ...] = ()

    def reset(self) -> None:
        self._signed, self._captures = None, ()

    def run(
        self,
        item: ServiceItem,
        draft: ApplicationDraft,
        decision: Decision,
        then: Callable[[tuple[SignatureCapture, ...]], None],
    ) -> None:
        """Call ``then`` with the captures for ``draft``: at once when nobody is to sign (or they signed this case
        already), else once the pad's dialog is done."""
        signers = needed_signers(item, draft, decision) if self.enabled else []
        key = tuple((s.signer, s.party_position) for s in signers)
        if not signers or key == self._signed:
            then(self._captures if signers else ())
            return
        dialog = SignatureDialog(signers, self.parent)
        self.dialog = dialog
        facing = citizen_screen(self.parent.screen(), AUTO) if self.on_citizen_screen else None
        if facing is not None:
            # On the citizen's touch screen, as large as it is: the clerk's keyboard still works the dialog.
            dialog.setGeometry(facing.availableGeometry())

        def done(_result: int) -> None:
            self._signed, self._captures = key, tuple(dialog.captures)
            self.dialog = None
            dialog.deleteLater()
            then(self._captures)

        dialog.finished.connect(done)
        dialog.open()
