"""The keyboard-wedge reader: it types the card's number into the focused field, like a keyboard.

Nothing is loaded and nothing polled: the number arrives as key presses in whichever input has the focus (the
panel's 证件号码 field checks it as it does a typed number, ui/intake/parties.py).  Only the number comes this
way, so the other fields stay for the clerk; a wedge reader that also types an Enter moves the cursor on
(ui/widgets.py ``EnterMovesFocus``).
"""

from __future__ import annotations

from app.idcard.model import CardData
from app.idcard.reader import DriverKind, IdCardReader


class WedgeReader(IdCardReader):
    """A reader in keyboard mode (nothing to open, nothing to poll)."""

    kind = DriverKind.WEDGE
    polls = False

    def open(self) -> None:
        """Nothing to connect: the reader is a keyboard."""

    def poll(self) -> CardData | None:
        return None

    def close(self) -> None:
        """Nothing to release."""
