"""Which of a party's values came from an ID card, and which the clerk changed by hand afterwards.

The counter marks them on screen (ui/intake/reader.py) and the decision carries them into its audit event
(``details["id_cards"]``, app/intake/service.py): field names and the card type only, never the values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CardMarks:
    """One party's card reading.

    Attributes:
        card_type: the card read (a :class:`~app.idcard.model.CardType` value).
        read: the fields filled from the card (``name``, ``id_number`` and the role's own fields it had).
        edited: those of them the clerk changed by hand afterwards.
        expired: the card's validity had ended on the day it was read.
    """

    card_type: str
    read: tuple[str, ...]
    edited: tuple[str, ...] = ()
    expired: bool = False

    def detail(self, party_index: int) -> dict[str, Any]:
        """The audit detail of this party's reading (no personal data)."""
        return {
            "party": party_index,
            "card_type": self.card_type,
            "read": list(self.read),
            "edited": list(self.edited),
            "expired": self.expired,
        }
